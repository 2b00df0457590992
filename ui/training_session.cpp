#include "ui/training_session.h"

#include <QElapsedTimer>
#include <QThread>

#include <exception>
#include <utility>

#include "core/model/model.h"

namespace layerlens::ui {

TrainingSession::TrainingSession(QObject* parent) : QObject(parent), m_bridge(new TrainerBridge(this)) {}

TrainingSession::~TrainingSession()
{
    // The trainer's worker calls into the bridge: join it before the bridge goes away.
    m_trainer.reset();
}

void TrainingSession::loadDataset(const QString& spec)
{
    core::DatasetPtr dataset = core::loadDataset(spec.toStdString());
    setDataset(std::move(dataset), spec);
}

void TrainingSession::setDataset(core::DatasetPtr dataset, const QString& spec)
{
    reset();
    m_dataset = std::move(dataset);
    m_datasetSpec = spec;
    emit datasetChanged(m_dataset);
}

void TrainingSession::setModelDescription(const nlohmann::json& description)
{
    if (description == m_modelDescription)
        return;
    m_modelDescription = description;
    if (m_trainer)
        reset();
}

void TrainingSession::setSettings(const core::TrainerSettings& settings) { m_settings = settings; }

bool TrainingSession::prepare(QString* error)
{
    if (m_trainer)
        return true;
    try {
        if (!m_dataset)
            throw std::runtime_error("no dataset is loaded");
        if (!m_modelDescription.is_object())
            throw std::runtime_error("no model is defined");
        auto model = std::make_shared<core::Model>(core::Model::fromJson(m_modelDescription));
        // The data decides the input: a model drawn for 28x28 images trains on what is loaded.
        model->setInputShape(m_dataset->sampleShape());
        model->build(m_settings.seed);
        const core::TrainerSettings settings = trainerSettingsFor(*model);
        m_trainer = std::make_unique<core::Trainer>(model, m_dataset, nullptr, settings);
        m_trainer->setObserver(m_bridge);
    } catch (const std::exception& e) {
        m_trainer.reset();
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
    ++m_generation;
    emit trainerCreated(m_trainer.get());
    return true;
}

core::TrainerSettings TrainingSession::trainerSettingsFor(const core::Model& model) const
{
    core::TrainerSettings settings = m_settings;
    // Copying every weight and gradient at 30 Hz is cheap for small models and lets every
    // view show everything; big models copy only the layers a view asked for.
    constexpr std::size_t kCopyAllBelow = 2'000'000;
    for (int i = 0; i < model.layerCount(); ++i)
        if (model.parameterCount() <= kCopyAllBelow && model.layer(i).parameterCount() > 0)
            settings.capture.fullTensorLayers.insert(i);
    settings.capture.fullTensorLayers.insert(m_fullTensorLayers.begin(), m_fullTensorLayers.end());
    if (m_dataset->sampleShape() == core::Shape{2} && settings.capture.decisionGrid <= 0)
        settings.capture.decisionGrid = 64;  // the playground's decision plane
    return settings;
}

bool TrainingSession::adoptTrained(std::shared_ptr<core::Model> model, const core::SavedTraining& saved, QString* error)
{
    reset();
    try {
        if (!m_dataset)
            throw std::runtime_error("no dataset is loaded");
        if (!model || !model->isBuilt())
            throw std::runtime_error("no trained model");
        core::TrainerSettings settings = trainerSettingsFor(*model);
        settings.optimizer = saved.optimizer;  // the saved state belongs to this optimizer
        auto trainer = std::make_unique<core::Trainer>(std::move(model), m_dataset, nullptr, settings);
        trainer->restore(saved);
        m_trainer = std::move(trainer);
        m_trainer->setObserver(m_bridge);
    } catch (const std::exception& e) {
        m_trainer.reset();
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
    ++m_generation;
    emit trainerCreated(m_trainer.get());
    // The views show the restored model at once, not only after the next step.
    m_bridge->snapshotReady(m_trainer->captureSnapshot(core::TrainPhase::Step, -1));
    m_bridge->poll();
    return true;
}

bool TrainingSession::holdStill(bool* wasRunning, int timeoutMs)
{
    if (wasRunning)
        *wasRunning = false;
    if (!m_trainer)
        return true;
    // What was commanded, not the state: a pause given a moment ago shows as "running" until the
    // worker ends its step, and must not be undone by resuming after the hold.
    const bool running = m_trainer->runRequested();
    m_trainer->pause();
    // The worker pauses after its current step. Its state flag lags its wake-up by a moment
    // after a start command, so "not running" must hold twice, a few milliseconds apart.
    QElapsedTimer clock;
    clock.start();
    int calm = 0;
    while (calm < 2) {
        if (clock.elapsed() > timeoutMs)
            return false;
        calm = m_trainer->state() == core::TrainerState::Running ? 0 : calm + 1;
        if (calm < 2)
            QThread::msleep(3);
    }
    if (wasRunning)
        *wasRunning = running;
    return true;
}

void TrainingSession::resume()
{
    if (m_trainer)
        m_trainer->start();
}

bool TrainingSession::ensureTrainer()
{
    QString error;
    if (prepare(&error))
        return true;
    emit failed(tr("Cannot train: %1").arg(error));
    return false;
}

void TrainingSession::start()
{
    if (m_trainer && (m_trainer->state() == core::TrainerState::Finished || m_trainer->state() == core::TrainerState::Failed))
        reset();
    if (ensureTrainer())
        m_trainer->start();
}

void TrainingSession::pause()
{
    if (m_trainer)
        m_trainer->pause();
}

void TrainingSession::stepOnce()
{
    if (ensureTrainer())
        m_trainer->stepOnce();
}

void TrainingSession::stepLayer()
{
    if (ensureTrainer())
        m_trainer->stepLayer();
}

void TrainingSession::stop()
{
    if (m_trainer)
        m_trainer->stop();
}

void TrainingSession::reset()
{
    if (!m_trainer)
        return;
    emit trainerAboutToBeDestroyed();
    m_trainer.reset();  // stops and joins the worker
    m_bridge->discard();  // a snapshot of the old run must not be shown after the reset
    emit sessionReset();
}

void TrainingSession::requestFullTensors(int layer)
{
    if (layer >= 0)
        m_fullTensorLayers.insert(layer);
}

void TrainingSession::setLearningRate(double rate)
{
    m_settings.optimizer.learningRate = static_cast<float>(rate);
    if (m_trainer)
        m_trainer->setLearningRate(static_cast<float>(rate));
}

}  // namespace layerlens::ui
