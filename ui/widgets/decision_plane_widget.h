#pragma once
// DecisionPlaneWidget: the model's prediction over a 2-D input plane (the snapshot's decision
// grid): each cell takes its argmax class colour, washed toward the background where the model
// is unsure, with the data points on top and labelled axes.

#include <vector>

#include <QColor>
#include <QImage>
#include <QStringList>
#include <QWidget>

#include "core/tensor.h"

namespace layerlens::ui {

class DecisionPlaneWidget : public QWidget {
    Q_OBJECT
public:
    explicit DecisionPlaneWidget(QWidget* parent = nullptr);

    // probabilities: (gridSize * gridSize, classes), row-major with y varying slowest (row 0 = minY).
    void setGrid(int gridSize, const core::Tensor& probabilities, float minX, float maxX, float minY, float maxY);
    // points: (n, 2); labels: class per point (-1 or missing = unknown).
    void setPoints(const core::Tensor& points, const std::vector<int>& labels);
    void setClassNames(const QStringList& names);
    void clear();

    // The colour of a cell whose argmax is `classIndex` with probability `confidence` among
    // `classes` classes: the class colour at full confidence, fading to `background` at chance.
    static QColor cellColor(int classIndex, float confidence, int classes, const QColor& background);

    int gridSize() const { return m_gridSize; }
    QImage gridImage() const { return m_image; }  // one pixel per cell, row 0 = maxY (top)
    QRect plotRect() const;
    QPoint cellCenter(int gx, int gy) const;  // gy = 0: the row at minY

    QSize sizeHint() const override { return {460, 460}; }
    QSize minimumSizeHint() const override { return {200, 200}; }

protected:
    void paintEvent(QPaintEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void rebuildImage();

    int m_gridSize = 0, m_classes = 0;
    core::Tensor m_probabilities;
    float m_minX = 0, m_maxX = 1, m_minY = 0, m_maxY = 1;
    core::Tensor m_points;
    std::vector<int> m_labels;
    QStringList m_classNames;
    QImage m_image;
};

}  // namespace layerlens::ui
