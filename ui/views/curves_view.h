#pragma once
// CurvesView: training loss and accuracy per step, validation per epoch. It reads the trainer's
// TrainingHistory incrementally (records after the last index it read), so no point is lost when
// the UI skips snapshots. Previous runs can be kept as faint overlays.

#include <QList>
#include <QPointF>
#include <QWidget>

#include <vector>

#include "core/train/snapshot.h"
#include "core/train/training_history.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QToolButton;

class QChart;
class QChartView;
class QLineSeries;
class QScatterSeries;
class QAbstractAxis;

namespace layerlens::ui {

class CurvesView : public QWidget {
    Q_OBJECT
public:
    enum class XAxis { Step, Epoch };

    explicit CurvesView(QWidget* parent = nullptr);

    // The history to read; null detaches (the current curves stay until clear() or a new history).
    void setHistory(const core::TrainingHistory* history);
    void setXAxis(XAxis axis);
    XAxis xAxis() const { return m_xAxis; }
    void setLogScale(bool on);
    bool logScale() const { return m_logScale; }

    int stepPointCount() const { return static_cast<int>(m_steps.size()); }
    int epochPointCount() const { return static_cast<int>(m_epochs.size()); }
    int keptRunCount() const { return static_cast<int>(m_kept.size()); }
    int displayedLossPoints() const;  // points in the drawn training-loss series (after thinning)

    QImage renderImage();                          // both charts side by side
    bool exportPng(const QString& path, QString* error);
    bool exportSvg(const QString& path, QString* error);
    bool exportCsv(const QString& path, QString* error) const;
    QString toCsv() const;

public slots:
    void refresh();  // reads new records from the history and redraws
    void showSnapshot(const layerlens::core::SnapshotPtr& snapshot);  // refreshes (throttled)
    void keepRun();  // freezes the current curves as an overlay
    void clearKeptRuns();
    void clear();    // forgets the current run's points

protected:
    void changeEvent(QEvent* event) override;

private:
    struct Run {
        std::vector<core::StepRecord> steps;
        std::vector<core::EpochRecord> epochs;
        QString label;
    };
    struct RunSeries {
        QLineSeries* loss = nullptr;
        QLineSeries* accuracy = nullptr;
    };
    void rebuildAxes();
    void redraw();
    void applyTheme();
    void exportDialog(const QString& format);
    QList<QPointF> stepPoints(const std::vector<core::StepRecord>& steps, bool accuracy, bool smooth) const;
    QList<QPointF> epochPoints(const std::vector<core::EpochRecord>& epochs, bool accuracy, bool validation) const;
    void connectHover(QLineSeries* series, const QString& what);

    const core::TrainingHistory* m_history = nullptr;
    std::vector<core::StepRecord> m_steps;
    std::vector<core::EpochRecord> m_epochs;
    std::vector<Run> m_kept;
    XAxis m_xAxis = XAxis::Step;
    bool m_logScale = false;
    qint64 m_lastRefreshMs = -1;
    bool m_refreshPending = false;

    QChart* m_lossChart;
    QChart* m_accuracyChart;
    QChartView* m_lossView;
    QChartView* m_accuracyView;
    QLineSeries *m_lossRaw, *m_lossSmooth, *m_accuracyRaw, *m_accuracySmooth;
    QLineSeries *m_validationLoss, *m_validationAccuracy;
    QScatterSeries *m_validationLossPoints, *m_validationAccuracyPoints;
    std::vector<RunSeries> m_keptSeries;
    QComboBox* m_xAxisCombo;
    QCheckBox* m_logBox;
    QLabel* m_summary;
};

}  // namespace layerlens::ui
