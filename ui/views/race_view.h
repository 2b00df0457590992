#pragma once
// RaceView: sets up and watches a core::Race — the same network trained with several
// activation functions, losses or optimizers at once. Loss and accuracy curves per variant
// (live), per-layer gradient norms (log scale), dead-ReLU and saturated fractions per
// activation layer, the final table, and for 2-D data each variant's decision regions side by
// side. It polls the race on a timer (10 Hz) and never waits for it.

#include <QWidget>
#include <memory>
#include <vector>

#include "core/lab/race.h"

class QBarSeries;
class QChart;
class QChartView;
class QComboBox;
class QDoubleSpinBox;
class QGridLayout;
class QLabel;
class QLineEdit;
class QLineSeries;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QTabWidget;
class QTimer;
class QValueAxis;
class QLogValueAxis;
class QBarCategoryAxis;

namespace layerlens::ui {

class RaceView : public QWidget {
    Q_OBJECT
public:
    explicit RaceView(QWidget* parent = nullptr);
    ~RaceView() override;

    // The set-up, as the form holds it (for tests and for wiring from elsewhere).
    void setKind(core::RaceKind kind);
    void setVariants(const QStringList& variants);
    void setDatasetSpec(const QString& spec);
    void setModelChoice(const QString& choice);  // "MLP", "Current model" or a preset name (core::presetNames)
    // Offers the model being built elsewhere (the builder's description) as "Current model".
    void setCurrentModel(const nlohmann::json& description);
    void setHiddenLayers(const QString& sizes);  // "16, 16"
    void setEpochs(int epochs);
    void setBatchSize(int batch);
    void setLearningRate(double rate);
    void setSeed(int seed);
    void setTargetAccuracy(double accuracy);

    // Starts a race from the form; false (and the reason in the status line) when it cannot.
    bool start();
    // Starts a race from ready settings (the form is not consulted).
    bool start(core::RaceSettings settings);
    void stop();
    bool isRunning() const;
    bool isFinished() const;  // a race ran and has ended
    const core::Race* race() const { return m_race.get(); }

    QTableWidget* resultTable() const { return m_table; }
    QString statusText() const;
    int boundaryCount() const;  // decision maps drawn

private:
    void poll();
    void clearCharts();
    void setUpSeries();
    void updateCurves();
    void updateLayerCharts();
    void updateBoundaries();
    void updateTable();
    void setStatus(const QString& text, bool error = false);
    core::RaceSettings settingsFromForm();

    std::unique_ptr<core::Race> m_race;
    QTimer* m_timer;

    // Form.
    QComboBox* m_kind;
    QLineEdit* m_variants;
    QLineEdit* m_dataset;
    QComboBox* m_model;
    QLineEdit* m_hidden;
    QComboBox* m_baseActivation;
    QSpinBox* m_epochs;
    QSpinBox* m_batch;
    QDoubleSpinBox* m_rate;
    QSpinBox* m_seed;
    QDoubleSpinBox* m_target;
    QPushButton* m_start;
    QPushButton* m_stop;
    QLabel* m_status;

    // Charts.
    QTabWidget* m_tabs;
    QChart* m_lossChart;
    QChart* m_accuracyChart;
    QChart* m_gradientChart;
    QChart* m_deadChart;
    QChart* m_saturatedChart;
    QWidget* m_boundaryPage;
    QGridLayout* m_boundaryGrid;
    std::vector<QLabel*> m_boundaries;
    QTableWidget* m_table;

    std::vector<QLineSeries*> m_lossSeries, m_accuracySeries, m_gradientSeries;
    std::vector<std::size_t> m_stepsRead, m_epochsRead;
    std::vector<double> m_bucketSum;
    std::vector<int> m_bucketCount;
    nlohmann::json m_currentModel;  // for the "Current model" choice
    std::shared_ptr<core::Model> m_pretrained;  // of the last fine-tune race, to run it again
    int m_bucket = 1;  // steps averaged into one plotted loss point
    long long m_maxStep = 1;
    double m_maxLoss = 1e-6;
};

}  // namespace layerlens::ui
