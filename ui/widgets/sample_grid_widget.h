#pragma once
// SampleGridWidget: a grid of dataset samples drawn as images with their class names underneath.

#include <QImage>
#include <QWidget>

#include <vector>

#include "core/data/dataset.h"

namespace layerlens::ui {

class SampleGridWidget : public QWidget {
    Q_OBJECT
public:
    explicit SampleGridWidget(QWidget* parent = nullptr);

    // Shows up to `count` samples, picked evenly over the dataset (every class shows up quickly).
    void setDataset(const core::DatasetPtr& dataset, int count = 60);
    int sampleCount() const { return static_cast<int>(m_images.size()); }

    // A (C, H, W) sample in [0, 1] (or any range: scaled per sample) as an image.
    static QImage sampleImage(const float* values, const core::Shape& shape);

    QSize sizeHint() const override;
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    int columnsFor(int width) const;
    int cellWidth() const;
    int cellHeight() const;

    std::vector<QImage> m_images;
    std::vector<QString> m_labels;
    QString m_message;
};

}  // namespace layerlens::ui
