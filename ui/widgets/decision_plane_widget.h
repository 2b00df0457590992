#pragma once
// DecisionPlaneWidget: the model's prediction over a 2-D input plane (the snapshot's decision
// grid): each cell takes its argmax class colour, washed toward the background where the model
// is unsure, with the data points on top and labelled axes.

#include "core/tensor.h"

#include <QColor>
#include <QImage>
#include <QStringList>
#include <QWidget>
#include <vector>

namespace layerlens::ui {

class DecisionPlaneWidget : public QWidget {
    Q_OBJECT
public:
    explicit DecisionPlaneWidget(QWidget* parent = nullptr);

    // probabilities: (gridSize * gridSize, classes), row-major with y varying slowest. As the trainer
    // builds the grid, row 0 is the top of the plane (maxY) and column 0 its left edge (minX).
    void setGrid(int gridSize, const core::Tensor& probabilities, float minX, float maxX, float minY, float maxY);
    // points: (n, 2); labels: class per point (-1 or missing = unknown).
    void setPoints(const core::Tensor& points, const std::vector<int>& labels);
    void setClassNames(const QStringList& names);
    void clear();

    // The colour of a cell whose argmax is `classIndex` with probability `confidence` among
    // `classes` classes: the class colour at full confidence, fading to `background` at chance.
    static QColor cellColor(int classIndex, float confidence, int classes, const QColor& background);

    int gridSize() const { return m_gridSize; }
    QImage gridImage() const { return m_image; } // one pixel per cell, as laid out in the grid
    QRect plotRect() const;
    QPoint cellCenter(int column, int row) const; // row 0 = top (maxY)
    QPointF toWidget(double x, double y) const; // plane coordinates -> widget pixels

    QSize sizeHint() const override { return { 460, 460 }; }
    QSize minimumSizeHint() const override { return { 200, 200 }; }

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

} // namespace layerlens::ui
