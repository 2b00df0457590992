#pragma once
// ModelGraphWidget: a model's computation graph as boxes and arrows, top to bottom in
// data-dependency order. Each layer sits in the row of its topological depth (core computes
// it), so branches (residual Add, Concat) spread sideways and join again. Scrollable; Ctrl+wheel
// or the +/- keys zoom. Clicking a box emits layerClicked; setSelectedLayer highlights one.

#include <QGraphicsView>

#include <vector>

#include "core/io/inspected_model.h"

class QGraphicsPathItem;
class QGraphicsScene;

namespace layerlens::ui {

class ModelGraphWidget : public QGraphicsView {
    Q_OBJECT
public:
    explicit ModelGraphWidget(QWidget* parent = nullptr);

    void setLayers(const std::vector<core::InspectedLayer>& layers);
    void clear();
    void setSelectedLayer(int layer);  // -1: none; scrolls the box into view
    int selectedLayer() const { return m_selected; }

    int nodeItemCount() const { return static_cast<int>(m_nodes.size()); }
    int edgeItemCount() const { return m_edgeCount; }
    // Centre of a layer's box in viewport coordinates (for tests and tours).
    QPoint nodeCenter(int layer) const;
    int layerAt(const QPoint& viewportPosition) const;  // -1 when no box is there

    void zoomBy(double factor);
    void fitAll();
    void fitWidth();  // the whole width visible, never enlarged
    double zoom() const;

    // Box fill for an operator, by family (convolution, dense, activation, pooling, ...).
    static QColor colorForType(const QString& type);

signals:
    void layerClicked(int layer);

protected:
    void mousePressEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    void applySelectionStyle(int layer, bool selected);

    QGraphicsScene* m_scene;
    std::vector<QGraphicsPathItem*> m_nodes;
    int m_edgeCount = 0;
    int m_selected = -1;
    bool m_autoFit = true;  // follow the widget's width until the person zooms
};

}  // namespace layerlens::ui
