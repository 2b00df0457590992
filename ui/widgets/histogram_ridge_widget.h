#pragma once
// HistogramRidgeWidget: TensorBoard-style "histograms over time": one filled histogram outline
// per recorded step, older ones further up and fainter, all on a common value axis.

#include <QString>
#include <QWidget>
#include <vector>

namespace layerlens::ui {

struct HistogramSlice {
    long long step = 0;
    float min = 0, max = 0; // value range the bins cover
    std::vector<float> counts; // equal-width bins between min and max
};

class HistogramRidgeWidget : public QWidget {
    Q_OBJECT
public:
    explicit HistogramRidgeWidget(QWidget* parent = nullptr);

    void setTitle(const QString& title);
    QString title() const { return m_title; }
    void setSlices(std::vector<HistogramSlice> slices); // oldest first
    void clear();
    int sliceCount() const { return static_cast<int>(m_slices.size()); }
    const std::vector<HistogramSlice>& slices() const { return m_slices; }

    QSize sizeHint() const override { return { 360, 240 }; }
    QSize minimumSizeHint() const override { return { 200, 140 }; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QString m_title;
    std::vector<HistogramSlice> m_slices;
};

} // namespace layerlens::ui
