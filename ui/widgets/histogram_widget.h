#pragma once
// HistogramWidget: one histogram of a tensor's values as bars over a value axis, with the
// range, zero and the mean marked. The counts come from core (TensorStats); this only draws.

#include <QString>
#include <QWidget>

#include <vector>

namespace layerlens::ui {

class HistogramWidget : public QWidget {
    Q_OBJECT
public:
    explicit HistogramWidget(QWidget* parent = nullptr);

    // counts: equal-width bins between min and max.
    void setHistogram(std::vector<float> counts, float min, float max, float mean, const QString& title);
    void clear();
    int binCount() const { return static_cast<int>(m_counts.size()); }
    QString title() const { return m_title; }

    QSize sizeHint() const override { return {320, 150}; }
    QSize minimumSizeHint() const override { return {160, 90}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    std::vector<float> m_counts;
    float m_min = 0, m_max = 0, m_mean = 0;
    QString m_title;
};

}  // namespace layerlens::ui
