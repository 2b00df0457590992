#pragma once
// GradientView: how the gradient signal flows through the network over time.
//  * per-layer gradient norm (dL/d output) per step on a log axis, read from the TrainingHistory
//    so no step is lost when snapshots are skipped;
//  * the latest update-to-weight ratio per parameter on a log axis with the 1e-3 rule of thumb;
//  * TensorBoard-style histograms over time (ridge plot) of the selected layer's weights and
//    weight gradients (output activations and gradients for layers without parameters).

#include "core/train/snapshot.h"
#include "core/train/training_history.h"
#include "ui/widgets/histogram_ridge_widget.h"

#include <QImage>
#include <QString>
#include <QStringList>
#include <QWidget>
#include <map>
#include <vector>

class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QLineSeries;
class QLogValueAxis;
class QValueAxis;

namespace layerlens::ui {

class RatioBarChart;

class GradientView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kHistogramsKept = 50; // per layer and kind

    explicit GradientView(QWidget* parent = nullptr);

    // The trainer's history; read (never written) on every showSnapshot/refreshHistory.
    void setHistory(const core::TrainingHistory* history);

    QImage renderImage();
    bool exportSvg(const QString& path);

    int selectedLayer() const { return m_selectedLayer; }
    void setSelectedLayer(int layer);

    // Introspection (tests).
    int normSeriesCount() const { return static_cast<int>(m_series.size()); }
    int normPointCount(int layer) const;
    int histogramCount(int layer, bool gradients) const;
    RatioBarChart* ratioChart() const { return m_ratios; }
    HistogramRidgeWidget* valueHistograms() const { return m_valueRidge; }
    HistogramRidgeWidget* gradientHistograms() const { return m_gradientRidge; }

public slots:
    void showSnapshot(const layerlens::core::SnapshotPtr& snapshot);
    void clear();
    void refreshHistory(); // picks up steps added to the history since the last call

protected:
    void changeEvent(QEvent* event) override;

private:
    void ensureSeries(int count);
    void updateLayerSelector();
    void updateRatios();
    void updateRidges();
    void recordHistograms(const core::Snapshot& snapshot);
    QString layerLabel(int layer) const;
    void applyChartPalette();

    const core::TrainingHistory* m_history = nullptr;
    std::size_t m_historyIndex = 0;
    core::SnapshotPtr m_snapshot;
    int m_selectedLayer = 0;

    QChart* m_chart = nullptr;
    QChartView* m_chartView = nullptr;
    QLogValueAxis* m_axisY = nullptr;
    QValueAxis* m_axisX = nullptr;
    std::vector<QLineSeries*> m_series;
    std::vector<std::vector<QPointF>> m_points;
    double m_minNorm = 0, m_maxNorm = 0;
    long long m_maxStep = 0;

    QComboBox* m_layerCombo = nullptr;
    QLabel* m_layerInfo = nullptr;
    RatioBarChart* m_ratios = nullptr;
    std::vector<float> m_ratioValues; // last measured update/weight ratios
    QStringList m_ratioLabels;
    HistogramRidgeWidget* m_valueRidge = nullptr;
    HistogramRidgeWidget* m_gradientRidge = nullptr;
    // layer -> last kHistogramsKept histograms (values / gradients)
    std::map<int, std::vector<HistogramSlice>> m_valueHistory, m_gradientHistory;
};

} // namespace layerlens::ui
