#pragma once
// MainWindow: assembles the workbench. The big views (activations, gradients, weights,
// playground, evaluation) share the central tab area; the model builder docks on the left, the
// training controls and the data on the right, the curves at the bottom. It wires them to one
// TrainingSession and shows state and errors; it computes nothing itself.

#include <QMainWindow>

#include <functional>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/train/snapshot.h"
#include "core/train/trainer.h"
#include "ui/theme.h"

class QActionGroup;
class QDockWidget;
class QTabWidget;

namespace layerlens::ui {

class ActivationLabView;
class ActivationView;
class BackpropView;
class CurvesView;
class DataView;
class EvaluationView;
class GradientView;
class MessageBanner;
class ModelInspectorView;
class ModelBuilderView;
class PlaygroundView;
class ProbeInputs;
class RaceView;
class SessionManager;
class TrainingControls;
class TrainingSession;
class TrainingStatus;
class WeightView;

void initResources();  // the icons live in a static library: register them once

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Loads data / a preset and reports failures in the window (banner), never by throwing.
    bool loadDataset(const QString& spec);
    bool loadPreset(const QString& name);
    // Raises a view by name: activations, gradients, weights, playground, evaluation, curves,
    // builder, data, controls. False for an unknown name.
    bool raiseView(const QString& name);
    static QStringList viewNames();
    // Trains until `steps` optimizer steps are done (or training ends), then pauses and lets
    // the views draw the newest snapshot. False on timeout or failure.
    bool trainSteps(long long steps, int timeoutMs = 120000);
    // The current central view as PNG (any other extension: by Qt's image writers) or SVG.
    bool exportCurrentView(const QString& path, QString* error);
    // Image files as the probe inputs of the Activations view (dropped, or File > Probe image);
    // a file that cannot be used is reported in the banner. False then.
    bool setProbeImages(const QStringList& paths);

    TrainingSession* session() const { return m_session; }
    SessionManager* sessionManager() const { return m_sessionManager; }  // save/open, close question, autosave
    ModelBuilderView* builder() const { return m_builder; }
    DataView* dataView() const { return m_data; }
    TrainingControls* controls() const { return m_controls; }
    CurvesView* curves() const { return m_curves; }
    ActivationView* activations() const { return m_activations; }
    GradientView* gradients() const { return m_gradients; }
    WeightView* weights() const { return m_weights; }
    PlaygroundView* playground() const { return m_playground; }
    EvaluationView* evaluation() const { return m_evaluation; }
    BackpropView* backprop() const { return m_backprop; }
    RaceView* race() const { return m_race; }
    ProbeInputs* probeInputs() const { return m_probeInputs; }
    MessageBanner* banner() const { return m_banner; }
    ModelInspectorView* inspector() const { return m_inspector; }
    QTabWidget* workbenchTabs() const { return m_tabs; }
    long long snapshotsShown() const { return m_snapshotsShown; }
    // The longest time the UI thread spent handing one snapshot to the views (diagnostics).
    qint64 slowestDeliveryMs() const { return m_slowestDeliveryMs; }

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createViews();
    void createDocks();
    void createMenus();
    void wireSession();
    void showSnapshot(const core::SnapshotPtr& snapshot);
    void deliverTo(QWidget* view, const core::SnapshotPtr& snapshot);
    void onStateChanged(core::TrainerState state, const QString& message);
    void showError(const QString& message);
    void setTheme(Theme::Mode mode);
    void prepareLabView(QWidget* view);  // the backprop debugger and race follow the current model and data
    void readSettings();
    void writeSettings() const;
    void exportViewDialog(const QString& format);
    void exportMetricsDialog();
    void newFromPresetDialog();
    void probeImageDialog();
    QWidget* currentCentralView() const;

    TrainingSession* m_session;
    SessionManager* m_sessionManager = nullptr;
    ModelBuilderView* m_builder = nullptr;
    DataView* m_data = nullptr;
    TrainingControls* m_controls = nullptr;
    CurvesView* m_curves = nullptr;
    ActivationView* m_activations = nullptr;
    GradientView* m_gradients = nullptr;
    WeightView* m_weights = nullptr;
    PlaygroundView* m_playground = nullptr;
    EvaluationView* m_evaluation = nullptr;
    BackpropView* m_backprop = nullptr;
    ActivationLabView* m_activationLab = nullptr;
    RaceView* m_race = nullptr;
    ModelInspectorView* m_inspector = nullptr;
    nlohmann::json m_backpropModel;    // what the backprop debugger was made from
    core::DatasetPtr m_backpropData;
    MessageBanner* m_banner = nullptr;
    ProbeInputs* m_probeInputs = nullptr;
    QTabWidget* m_tabs = nullptr;
    std::vector<QDockWidget*> m_docks;
    std::vector<std::pair<QWidget*, std::function<void(const core::SnapshotPtr&)>>> m_receivers;
    QActionGroup* m_themeGroup = nullptr;

    TrainingStatus* m_status = nullptr;
    core::SnapshotPtr m_latest;
    long long m_snapshotsShown = 0;
    qint64 m_slowestDeliveryMs = 0;
};

}  // namespace layerlens::ui
