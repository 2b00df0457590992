#include "ui/main_window.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QUndoStack>
#include <QVBoxLayout>

#include <exception>

#include "core/model/presets.h"
#include "ui/probe_inputs.h"
#include "ui/session_manager.h"
#include "ui/training_session.h"
#include "ui/views/activation_lab_view.h"
#include "ui/views/activation_view.h"
#include "ui/views/backprop_view.h"
#include "ui/views/curves_view.h"
#include "ui/views/data_view.h"
#include "ui/views/evaluation_view.h"
#include "ui/views/gradient_view.h"
#include "ui/views/model_builder_view.h"
#include "ui/views/model_inspector_view.h"
#include "ui/views/playground_view.h"
#include "ui/views/race_view.h"
#include "ui/views/training_controls.h"
#include "ui/views/weight_view.h"
#include "ui/widgets/fine_tune_dialog.h"
#include "ui/widgets/message_banner.h"
#include "ui/widgets/training_status.h"

static void initLayerLensResources() { Q_INIT_RESOURCE(resources); }

namespace layerlens::ui {

void initResources()
{
    static const bool done = (initLayerLensResources(), true);
    (void)done;
}

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent), m_session(new TrainingSession(this))
{
    initResources();
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(QStringLiteral("LayerLens"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/layerlens.svg")));
    setDockOptions(AnimatedDocks | AllowTabbedDocks | AllowNestedDocks);
    createViews();
    createDocks();
    m_sessionManager = new SessionManager(this);
    m_probeInputs = new ProbeInputs(m_session, this);
    setAcceptDrops(true);  // image files dropped anywhere become probe inputs
    installEventFilter(m_probeInputs);
    // Installed after the probes' filter so that it sees drops first (the last filter installed
    // runs first): model files always open in the inspector, images only while it is in front.
    m_inspector->acceptDropsOn(this);
    createMenus();
    m_status = new TrainingStatus(statusBar());
    wireSession();
    resize(1600, 1000);
    readSettings();
}

MainWindow::~MainWindow()
{
    // Join the worker before the views it feeds go away.
    m_session->reset();
}

void MainWindow::createViews()
{
    m_builder = new ModelBuilderView(this);
    m_data = new DataView(this);
    m_controls = new TrainingControls(this);
    m_curves = new CurvesView(this);
    m_activations = new ActivationView(this);
    m_gradients = new GradientView(this);
    m_weights = new WeightView(this);
    m_playground = new PlaygroundView(this);
    m_evaluation = new EvaluationView(this);
    m_backprop = new BackpropView(this);
    m_activationLab = new ActivationLabView(this);
    m_race = new RaceView(this);
    m_inspector = new ModelInspectorView(this);
    m_builder->setMinimumWidth(400);  // the layer table's four columns stay readable
    m_controls->setMinimumWidth(320);

    QStringList presets;
    for (const auto& name : core::presetNames())
        presets << QString::fromStdString(name);
    m_builder->setPresets(presets, [this](const QString& name) {
        const core::DatasetPtr dataset = m_session->dataset();
        return core::presetDescription(name.toStdString(), dataset ? dataset->sampleShape() : core::Shape{},
                                       dataset ? dataset->classCount() : 10);
    });

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    m_banner = new MessageBanner(central);
    m_tabs = new QTabWidget(central);
    m_tabs->setObjectName(QStringLiteral("workbenchTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_activations, tr("Activations"));
    m_tabs->addTab(m_gradients, tr("Gradients"));
    m_tabs->addTab(m_weights, tr("Weights"));
    m_tabs->addTab(m_playground, tr("Playground"));
    m_tabs->addTab(m_evaluation, tr("Evaluation"));
    m_tabs->addTab(m_backprop, tr("Backprop"));
    m_tabs->addTab(m_activationLab, tr("Activation lab"));
    m_tabs->addTab(m_race, tr("Race"));
    m_tabs->addTab(m_inspector, tr("Inspector"));
    connect(m_inspector, &ModelInspectorView::raiseRequested, this, [this] { m_tabs->setCurrentWidget(m_inspector); });
    layout->addWidget(m_banner);
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);

    // Views only draw when seen; a view that becomes visible gets the newest snapshot at once.
    m_receivers = {
        {m_activations, [this](const core::SnapshotPtr& s) { m_activations->showSnapshot(s); }},
        {m_gradients, [this](const core::SnapshotPtr& s) { m_gradients->showSnapshot(s); }},
        {m_weights, [this](const core::SnapshotPtr& s) { m_weights->showSnapshot(s); }},
        {m_playground, [this](const core::SnapshotPtr& s) { m_playground->showSnapshot(s); }},
        {m_evaluation, [this](const core::SnapshotPtr& s) { m_evaluation->showSnapshot(s); }},
        {m_curves, [this](const core::SnapshotPtr& s) { m_curves->showSnapshot(s); }},
    };
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        if (m_latest)
            deliverTo(m_tabs->currentWidget(), m_latest);
        prepareLabView(m_tabs->currentWidget());
    });
}

void MainWindow::createDocks()
{
    auto dock = [this](QWidget* view, const QString& title, const QString& name, Qt::DockWidgetArea area) {
        auto* d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(view);
        d->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
        addDockWidget(area, d);
        m_docks.push_back(d);
        return d;
    };
    dock(m_builder, tr("Model builder"), QStringLiteral("builderDock"), Qt::LeftDockWidgetArea);
    QDockWidget* controls = dock(m_controls, tr("Training"), QStringLiteral("controlsDock"), Qt::RightDockWidgetArea);
    QDockWidget* dataDock = dock(m_data, tr("Data"), QStringLiteral("dataDock"), Qt::RightDockWidgetArea);
    splitDockWidget(controls, dataDock, Qt::Vertical);
    QDockWidget* curves = dock(m_curves, tr("Curves"), QStringLiteral("curvesDock"), Qt::BottomDockWidgetArea);
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    resizeDocks({m_docks[0], controls}, {470, 330}, Qt::Horizontal);
    resizeDocks({controls, dataDock}, {330, 520}, Qt::Vertical);
    resizeDocks({curves}, {270}, Qt::Vertical);
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New from preset…"), QKeySequence::New, this, &MainWindow::newFromPresetDialog);
    file->addAction(QIcon(QStringLiteral(":/icons/open.svg")), tr("&Open session…"), QKeySequence::Open, m_sessionManager, &SessionManager::openDialog);
    file->addAction(QIcon(QStringLiteral(":/icons/save.svg")), tr("&Save session…"), QKeySequence::Save, m_sessionManager, &SessionManager::saveDialog);
    file->addAction(tr("Save session &as…"), QKeySequence::SaveAs, m_sessionManager, &SessionManager::saveAsDialog);
    file->addSeparator();
    file->addAction(tr("Open model &JSON…"), m_builder, &ModelBuilderView::openModelDialog);
    file->addAction(tr("Save model JS&ON…"), m_builder, &ModelBuilderView::saveModelDialog);
    file->addAction(tr("Probe &image…"), this, &MainWindow::probeImageDialog);
    file->addAction(tr("&Inspect model…"), QKeySequence(Qt::CTRL | Qt::Key_I), this, [this] {
        m_tabs->setCurrentWidget(m_inspector);
        m_inspector->openModelDialog();
    });
    file->addSeparator();
    file->addAction(tr("Export &metrics CSV…"), this, &MainWindow::exportMetricsDialog);
    file->addAction(QIcon(QStringLiteral(":/icons/export.svg")), tr("Export current view as &PNG…"), this, [this] { exportViewDialog(QStringLiteral("png")); });
    file->addAction(tr("Export current view as S&VG…"), this, [this] { exportViewDialog(QStringLiteral("svg")); });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = m_builder->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = m_builder->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    edit->addAction(undo);
    edit->addAction(redo);

    QMenu* train = menuBar()->addMenu(tr("&Train"));
    auto add = [train](const QString& icon, const QString& text, const QKeySequence& key, auto receiver, auto slot) {
        QAction* a = train->addAction(QIcon(icon), text, key, receiver, slot);
        return a;
    };
    add(QStringLiteral(":/icons/start.svg"), tr("&Start"), QKeySequence(Qt::Key_F5), m_controls, &TrainingControls::startRequested);
    add(QStringLiteral(":/icons/pause.svg"), tr("&Pause"), QKeySequence(Qt::Key_F6), m_controls, &TrainingControls::pauseRequested);
    add(QStringLiteral(":/icons/step.svg"), tr("S&tep"), QKeySequence(Qt::Key_F10), m_controls, &TrainingControls::stepRequested);
    add(QStringLiteral(":/icons/layer_step.svg"), tr("&Layer step"), QKeySequence(Qt::Key_F11), m_controls, &TrainingControls::layerStepRequested);
    add(QStringLiteral(":/icons/stop.svg"), tr("St&op"), QKeySequence(Qt::SHIFT | Qt::Key_F5), m_controls, &TrainingControls::stopRequested);
    add(QStringLiteral(":/icons/reset.svg"), tr("&Reset"), QKeySequence(Qt::CTRL | Qt::Key_R), m_controls, &TrainingControls::resetRequested);

    QMenu* modelMenu = menuBar()->addMenu(tr("&Model"));
    modelMenu->addAction(tr("&Fine-tune…"), this, [this] { FineTuneDialog::run(this); })->setObjectName("fineTuneAction");

    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget* d : m_docks)
        view->addAction(d->toggleViewAction());
    view->addSeparator();
    for (int i = 0; i < m_tabs->count(); ++i)
        view->addAction(m_tabs->tabText(i), this, [this, i] { m_tabs->setCurrentIndex(i); });
    view->addSeparator();
    QMenu* theme = view->addMenu(tr("&Theme"));
    m_themeGroup = new QActionGroup(this);
    for (auto [mode, label] : {std::pair{Theme::Mode::System, tr("&System")}, std::pair{Theme::Mode::Light, tr("&Light")},
                               std::pair{Theme::Mode::Dark, tr("&Dark")}}) {
        QAction* a = theme->addAction(label, this, [this, mode = mode] { setTheme(mode); });
        a->setCheckable(true);
        a->setData(Theme::modeName(mode));
        m_themeGroup->addAction(a);
    }

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About LayerLens"), this, [this] {
        QMessageBox::about(this, tr("About LayerLens"),
                           tr("<h3>LayerLens %1</h3><p>Build a neural network, train it, and see inside it while it learns: "
                              "activations, gradients, weights and curves.</p><p>C++20, Qt 6, Eigen.</p>")
                               .arg(QStringLiteral(LAYERLENS_VERSION)));
    });
}

void MainWindow::wireSession()
{
    TrainerBridge* bridge = m_session->bridge();
    connect(bridge, &TrainerBridge::snapshotArrived, this, &MainWindow::showSnapshot);
    connect(bridge, &TrainerBridge::trainerStateChanged, this, &MainWindow::onStateChanged);
    connect(m_session, &TrainingSession::failed, this, &MainWindow::showError);
    connect(m_session, &TrainingSession::trainerCreated, this, [this](core::Trainer* trainer) {
        m_curves->setHistory(&trainer->history());
        m_gradients->setHistory(&trainer->history());
    });
    connect(m_session, &TrainingSession::trainerAboutToBeDestroyed, this, [this] {
        m_curves->setHistory(nullptr);
        m_gradients->setHistory(nullptr);
    });
    connect(m_session, &TrainingSession::sessionReset, this, [this] {
        m_latest.reset();
        for (auto& receiver : m_receivers)
            QMetaObject::invokeMethod(receiver.first, "clear");
        onStateChanged(core::TrainerState::Idle, QString());
    });
    connect(m_controls, &TrainingControls::startRequested, this, [this] {
        m_session->setSettings(m_controls->settings());
        m_banner->dismiss();
        m_session->start();
    });
    connect(m_controls, &TrainingControls::pauseRequested, m_session, &TrainingSession::pause);
    connect(m_controls, &TrainingControls::stepRequested, this, [this] {
        m_session->setSettings(m_controls->settings());
        m_session->stepOnce();
    });
    connect(m_controls, &TrainingControls::layerStepRequested, this, [this] {
        m_session->setSettings(m_controls->settings());
        m_session->stepLayer();
    });
    connect(m_controls, &TrainingControls::stopRequested, m_session, &TrainingSession::stop);
    connect(m_controls, &TrainingControls::resetRequested, this, [this] {
        m_session->setSettings(m_controls->settings());
        m_session->reset();
    });
    connect(m_controls, &TrainingControls::learningRateChanged, m_session, &TrainingSession::setLearningRate);
    connect(m_builder, &ModelBuilderView::modelChanged, this, [this](const nlohmann::json& description) {
        m_session->setModelDescription(description);
    });
    connect(m_builder, &ModelBuilderView::errorOccurred, this, &MainWindow::showError);
    connect(m_data, &DataView::datasetRequested, this, &MainWindow::loadDataset);
    connect(m_weights, &WeightView::requestFullTensors, m_session, &TrainingSession::requestFullTensors);
    connect(m_activations, &ActivationView::probeFilesDropped, this, &MainWindow::setProbeImages);
    connect(m_activations, &ActivationView::probeImageRequested, this, &MainWindow::probeImageDialog);
    connect(m_activations, &ActivationView::datasetProbesRequested, m_probeInputs, &ProbeInputs::useDataset);
    connect(m_probeInputs, &ProbeInputs::filesDropped, this, &MainWindow::setProbeImages);
    connect(m_probeInputs, &ProbeInputs::failed, this, &MainWindow::showError);
}

bool MainWindow::loadDataset(const QString& spec)
{
    QApplication::setOverrideCursor(Qt::WaitCursor);
    try {
        m_session->loadDataset(spec);
    } catch (const std::exception& e) {
        QApplication::restoreOverrideCursor();
        showError(tr("Cannot load data '%1': %2").arg(spec, QString::fromStdString(e.what())));
        return false;
    }
    QApplication::restoreOverrideCursor();
    const core::DatasetPtr dataset = m_session->dataset();
    m_data->setDataset(dataset, spec);
    m_builder->setInputShape(dataset->sampleShape());
    m_builder->fitOutputToClasses(dataset->classCount());
    if (m_session->state() == core::TrainerState::Idle && dataset->size() <= 5000) {
        // Small sets need more epochs and a brisker rate to show learning within seconds.
        core::TrainerSettings settings = m_controls->settings();
        settings.epochs = std::max(settings.epochs, 100);
        settings.batchSize = std::min(settings.batchSize, 32);
        if (settings.optimizer.learningRate <= 0.001f)
            settings.optimizer.learningRate = 0.01f;
        m_controls->setSettings(settings);
    }
    m_banner->dismiss();
    statusBar()->showMessage(tr("Loaded %1 (%2 samples)").arg(QString::fromStdString(dataset->name())).arg(dataset->size()), 5000);
    return true;
}

bool MainWindow::loadPreset(const QString& name)
{
    QString error;
    if (!m_builder->loadPreset(name, &error)) {
        showError(error);
        return false;
    }
    return true;
}

QStringList MainWindow::viewNames()
{
    return {QStringLiteral("activations"), QStringLiteral("gradients"), QStringLiteral("weights"), QStringLiteral("playground"),
            QStringLiteral("evaluation"), QStringLiteral("backprop"), QStringLiteral("activationlab"), QStringLiteral("race"),
            QStringLiteral("inspector"),
            QStringLiteral("curves"), QStringLiteral("builder"), QStringLiteral("data"),
            QStringLiteral("controls")};
}

bool MainWindow::raiseView(const QString& name)
{
    const int index = static_cast<int>(viewNames().indexOf(name.toLower()));
    if (index < 0)
        return false;
    if (index < m_tabs->count()) {
        m_tabs->setCurrentIndex(index);
        return true;
    }
    QWidget* views[] = {m_curves, m_builder, m_data, m_controls};
    for (QDockWidget* d : m_docks) {
        if (d->widget() == views[index - m_tabs->count()]) {
            d->show();
            d->raise();
            return true;
        }
    }
    return false;
}

bool MainWindow::trainSteps(long long steps, int timeoutMs)
{
    m_session->setSettings(m_controls->settings());
    m_session->start();
    core::Trainer* trainer = m_session->trainer();
    if (!trainer)
        return false;
    QElapsedTimer clock;
    clock.start();
    // The worker picks the command up asynchronously: still "paused" at first is not an end,
    // but paused later is (the trainer paused itself, e.g. on a NaN loss).
    auto busy = [trainer, &clock] {
        const auto s = trainer->state();
        return s == core::TrainerState::Running || s == core::TrainerState::Idle
               || (s == core::TrainerState::Paused && clock.elapsed() < 2000);
    };
    while (trainer->stepCount() < steps && busy() && clock.elapsed() < timeoutMs)
        QApplication::processEvents(QEventLoop::AllEvents, 20);
    m_session->pause();
    while (trainer->state() == core::TrainerState::Running && clock.elapsed() < timeoutMs)
        QApplication::processEvents(QEventLoop::AllEvents, 10);
    // Deliver and draw the newest state of the model, even if the throttle held it back. The
    // worker makes it: a "paused" state can be read a moment before the worker really rests.
    trainer->requestSnapshot();
    while (trainer->snapshotRequestPending() && clock.elapsed() < timeoutMs + 2000)
        QApplication::processEvents(QEventLoop::AllEvents, 5);
    m_session->bridge()->poll();
    m_curves->refresh();
    for (int i = 0; i < 5; ++i)
        QApplication::processEvents();
    return trainer->stepCount() >= steps || trainer->state() == core::TrainerState::Finished;
}

bool MainWindow::exportCurrentView(const QString& path, QString* error)
{
    QWidget* view = currentCentralView();
    const bool svg = path.endsWith(QLatin1String(".svg"), Qt::CaseInsensitive);
    bool ok = false;
    if (view == m_activations)
        ok = svg ? m_activations->exportSvg(path) : m_activations->renderImage().save(path);
    else if (view == m_gradients)
        ok = svg ? m_gradients->exportSvg(path) : m_gradients->renderImage().save(path);
    else if (view == m_weights)
        ok = svg ? m_weights->exportSvg(path) : m_weights->renderImage().save(path);
    else if (view == m_playground)
        ok = svg ? m_playground->exportSvg(path) : m_playground->renderImage().save(path);
    else if (view == m_evaluation)
        ok = svg ? m_evaluation->exportSvg(path) : m_evaluation->renderImage().save(path);
    if (!ok && error)
        *error = tr("Cannot write %1").arg(path);
    return ok;
}

bool MainWindow::setProbeImages(const QStringList& paths)
{
    QString error;
    if (!m_probeInputs->setFiles(paths, &error)) {
        showError(tr("Cannot use this as a probe input: %1").arg(error));
        return false;
    }
    QStringList names;
    for (const QString& path : paths)
        names << QFileInfo(path).fileName();
    m_tabs->setCurrentWidget(m_activations);
    m_banner->dismiss();  // an earlier complaint about a file no longer applies
    statusBar()->showMessage(m_session->trainer() ? tr("Probe input: %1").arg(names.join(QStringLiteral(", ")))
                                                  : tr("Probe input once training starts: %1").arg(names.join(QStringLiteral(", "))),
                             8000);
    return true;
}

void MainWindow::probeImageDialog()
{
    const QStringList paths = QFileDialog::getOpenFileNames(this, tr("Probe image"), QString(), ProbeInputs::fileDialogFilter());
    if (!paths.isEmpty())
        setProbeImages(paths);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (!m_sessionManager->confirmClose()) {
        event->ignore();  // Cancel: the work stays open
        return;
    }
    m_sessionManager->closedCleanly();
    writeSettings();
    m_session->reset();
    QMainWindow::closeEvent(event);
}

void MainWindow::prepareLabView(QWidget* view)
{
    const core::DatasetPtr dataset = m_session->dataset();
    const nlohmann::json& description = m_session->modelDescription();
    if (!dataset || description.is_null() || description.empty())
        return;
    if (view == m_race && !m_race->isRunning()) {
        m_race->setDatasetSpec(m_session->datasetSpec());
        m_race->setCurrentModel(description);
        return;
    }
    if (view != m_backprop || (m_backprop->debugger() && description == m_backpropModel && dataset == m_backpropData))
        return;
    // The debugger trains its own copy, starting from the trainer's weights when it is paused.
    const core::TrainerSettings settings = m_controls->settings();
    auto model = std::make_shared<core::Model>();
    try {
        *model = core::Model::fromJson(description);
        model->build(settings.seed);
        core::Trainer* trainer = m_session->trainer();
        if (trainer && trainer->state() != core::TrainerState::Running) {
            try {
                model->copyWeightsFrom(*trainer->model());
            } catch (const std::invalid_argument&) {
                // The trainer still holds an older architecture: start from fresh weights.
            }
        }
    } catch (const std::exception& e) {
        showError(tr("Backprop debugger: %1").arg(QString::fromUtf8(e.what())));
        return;
    }
    if (m_backprop->debug(model, dataset, {settings.batchSize, settings.seed, settings.loss, settings.optimizer})) {
        m_backpropModel = description;
        m_backpropData = dataset;
    }
}

void MainWindow::deliverTo(QWidget* view, const core::SnapshotPtr& snapshot)
{
    for (auto& [widget, show] : m_receivers)
        if (widget == view)
            show(snapshot);
}

void MainWindow::showSnapshot(const core::SnapshotPtr& snapshot)
{
    QElapsedTimer clock;
    clock.start();
    m_latest = snapshot;
    ++m_snapshotsShown;
    for (auto& [widget, show] : m_receivers) {
        // Hidden views skip frames; epoch-end snapshots carry validation results that the
        // evaluation view must not miss.
        if (!widget->isHidden() && (widget->isVisible() || widget == m_tabs->currentWidget() || snapshot->hasValidation))
            show(snapshot);
    }
    m_status->showSnapshot(*snapshot, m_session->bridge()->deliveredFps());
    if (!snapshot->message.empty())
        m_banner->showMessage(QString::fromStdString(snapshot->message), MessageBanner::Level::Warning);
    m_slowestDeliveryMs = std::max(m_slowestDeliveryMs, clock.elapsed());
}

void MainWindow::onStateChanged(core::TrainerState state, const QString& message)
{
    m_controls->setState(state);
    m_status->setState(state);
    if (!message.isEmpty())
        m_banner->showMessage(message, state == core::TrainerState::Failed ? MessageBanner::Level::Error : MessageBanner::Level::Warning);
}

void MainWindow::showError(const QString& message)
{
    m_banner->showMessage(message, MessageBanner::Level::Error);
    statusBar()->showMessage(message, 8000);
}

void MainWindow::setTheme(Theme::Mode mode)
{
    Theme::apply(mode);
    for (QAction* a : m_themeGroup->actions())
        a->setChecked(a->data().toString() == Theme::modeName(mode));
}

void MainWindow::readSettings()
{
    QSettings settings(QStringLiteral("LayerLens"), QStringLiteral("LayerLens"));
    if (settings.contains(QStringLiteral("window/geometry")))
        restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    if (settings.contains(QStringLiteral("window/state")))
        restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    setTheme(Theme::modeFromName(settings.value(QStringLiteral("theme"), QStringLiteral("system")).toString()));
}

void MainWindow::writeSettings() const
{
    QSettings settings(QStringLiteral("LayerLens"), QStringLiteral("LayerLens"));
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("theme"), Theme::modeName(Theme::current()));
}

QWidget* MainWindow::currentCentralView() const { return m_tabs->currentWidget(); }

void MainWindow::exportViewDialog(const QString& format)
{
    const QString name = m_tabs->tabText(m_tabs->currentIndex()).toLower();
    QString path = QFileDialog::getSaveFileName(this, tr("Export view"), name + QLatin1Char('.') + format,
                                                format == QLatin1String("svg") ? tr("SVG (*.svg)") : tr("PNG (*.png)"));
    if (path.isEmpty())
        return;
    if (!path.endsWith(QLatin1Char('.') + format, Qt::CaseInsensitive))
        path += QLatin1Char('.') + format;
    QString error;
    if (!exportCurrentView(path, &error))
        QMessageBox::warning(this, tr("Export failed"), error);
}

void MainWindow::exportMetricsDialog()
{
    QString path = QFileDialog::getSaveFileName(this, tr("Export metrics"), QStringLiteral("metrics.csv"), tr("CSV (*.csv)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!m_curves->exportCsv(path, &error))
        QMessageBox::warning(this, tr("Export failed"), error);
}

void MainWindow::newFromPresetDialog()
{
    QStringList names;
    for (const auto& n : core::presetNames())
        names << QString::fromStdString(n);
    bool ok = false;
    const QString name = QInputDialog::getItem(this, tr("New model"), tr("Start from:"), names, 0, false, &ok);
    if (ok)
        loadPreset(name);
}

}  // namespace layerlens::ui
