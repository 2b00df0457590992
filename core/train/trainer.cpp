#include "core/train/trainer.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/activations/activation.h"
#include "core/layers/activation_layer.h"
#include "core/train/subset_dataset.h"

namespace layerlens::core {

const char* trainerStateName(TrainerState state)
{
    switch (state) {
    case TrainerState::Idle: return "idle";
    case TrainerState::Running: return "running";
    case TrainerState::Paused: return "paused";
    case TrainerState::Finished: return "finished";
    case TrainerState::Failed: return "failed";
    }
    return "?";
}

namespace {

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int argmaxRow(const float* row, int count)
{
    return static_cast<int>(std::max_element(row, row + count) - row);
}

}  // namespace

Trainer::Trainer(std::shared_ptr<Model> model, DatasetPtr train, DatasetPtr validation, TrainerSettings settings)
    : m_model(std::move(model))
    , m_train(std::move(train))
    , m_validation(std::move(validation))
    , m_settings(std::move(settings))
    , m_rng(m_settings.seed)
{
    if (!m_model)
        throw std::invalid_argument("Trainer: no model");
    if (!m_train || m_train->size() == 0)
        throw std::invalid_argument("Trainer: the training dataset is empty");
    if (m_settings.batchSize <= 0)
        throw std::invalid_argument("Trainer: batch size must be positive, got " + std::to_string(m_settings.batchSize));
    if (m_settings.epochs <= 0)
        throw std::invalid_argument("Trainer: epochs must be positive, got " + std::to_string(m_settings.epochs));
    if (m_model->inputShape() != m_train->sampleShape())
        throw std::invalid_argument("Trainer: the model expects inputs of shape " + shapeToString(m_model->inputShape())
                                    + " but the dataset's samples have shape " + shapeToString(m_train->sampleShape()));
    if (!m_model->isBuilt())
        m_model->build(m_settings.seed);
    if (m_train->classCount() > 0) {
        const Shape out = m_model->outputShape();
        if (out.size() != 1 || out[0] != m_train->classCount())
            throw std::invalid_argument("Trainer: the model's output shape " + shapeToString(out) + " does not match the "
                                        + std::to_string(m_train->classCount()) + " classes of the dataset");
    }
    m_loss = resolveLoss(m_settings.loss, *m_model, *m_train);
    m_optimizer = Optimizer::create(m_settings.optimizer);
    m_model->setRng(&m_rng);
}

Trainer::~Trainer()
{
    stop();
    if (m_worker.joinable())
        m_worker.join();
}

std::unique_ptr<Loss> Trainer::resolveLoss(const std::string& spec, const Model& model, const Dataset& data)
{
    if (spec != "auto" && !spec.empty())
        return Loss::create(spec);
    if (data.classCount() == 0)
        return Loss::create("mse");
    const bool endsInSoftmax = model.layerCount() > 0 && model.layer(model.layerCount() - 1).type() == "Softmax";
    return Loss::create(endsInSoftmax ? "categorical_crossentropy" : "categorical_crossentropy_logits");
}

SavedTraining Trainer::trainingState() const
{
    SavedTraining saved;
    saved.optimizer = m_settings.optimizer;
    saved.optimizerSteps = m_optimizer->stepCount();
    for (Tensor* t : m_optimizer->state())
        saved.optimizerState.push_back(*t);
    saved.step = m_step;
    saved.epoch = m_epoch;
    saved.steps = m_history.stepsSince(0);
    saved.epochs = m_history.epochsSince(0);
    saved.classNames = m_train->classNames();
    const auto rngState = m_rng.state();
    saved.rngState.assign(rngState.begin(), rngState.end());
    saved.order = m_order;
    saved.cursor = m_cursor;
    return saved;
}

void Trainer::restore(const SavedTraining& saved)
{
    m_step = saved.step;
    m_epoch = saved.epoch;
    m_optimizer->setStepCount(saved.optimizerSteps);
    // Optimizer state tensors are created lazily on the first step; size them now by a dry run
    // of prepare on the parameter list, then copy.
    m_optimizer->initialize(m_model->parameters());
    auto state = m_optimizer->state();
    if (state.empty() && !saved.optimizerState.empty())
        throw std::runtime_error("restore: the optimizer has no state to restore into");
    if (state.size() != saved.optimizerState.size())
        throw std::runtime_error("restore: the saved optimizer state has " + std::to_string(saved.optimizerState.size())
                                 + " tensors, the optimizer expects " + std::to_string(state.size()));
    for (std::size_t i = 0; i < state.size(); ++i)
        state[i]->copyFrom(saved.optimizerState[i]);
    prepare();
    if (saved.rngState.size() == 5) {
        std::array<std::uint64_t, 5> rngState{};
        std::copy(saved.rngState.begin(), saved.rngState.end(), rngState.begin());
        m_rng.setState(rngState);
    }
    if (saved.order.size() == m_order.size() && saved.cursor <= m_order.size()) {
        m_order = saved.order;
        m_cursor = saved.cursor;
    }
    for (const auto& r : saved.steps)
        m_history.addStep(r);
    for (const auto& r : saved.epochs)
        m_history.addEpoch(r);
}

// ---------------------------------------------------------------------------------------------
// Commands

void Trainer::start()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_finished)
            return;
        m_running = true;
    }
    launchWorker();
    m_wake.notify_all();
}

void Trainer::pause()
{
    std::lock_guard lock(m_mutex);
    m_running = false;
    m_stepBudget = 0;
}

void Trainer::stepOnce()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_finished)
            return;
        m_running = false;
        ++m_stepBudget;
    }
    launchWorker();
    m_wake.notify_all();
}

void Trainer::stepLayer()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_finished)
            return;
        m_running = false;
        ++m_layerBudget;
    }
    launchWorker();
    m_wake.notify_all();
}

void Trainer::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopRequested = true;
        m_running = false;
    }
    m_wake.notify_all();
}

void Trainer::launchWorker()
{
    std::lock_guard outside(m_outsideUse);
    if (m_worker.joinable())
        return;
    {
        std::lock_guard lock(m_mutex);
        m_workerActive = true;
    }
    m_worker = std::thread([this] { workerLoop(); });
}

void Trainer::setProbeInputs(Tensor images, std::vector<std::string> names)
{
    if (!images.empty()) {
        const Shape expected = m_model->inputShape();
        const Shape sample(images.shape().begin() + 1, images.shape().end());
        if (images.rank() < 2 || sample != expected)
            throw std::invalid_argument("probe inputs: the model takes samples of shape " + shapeToString(expected)
                                        + ", the probes have shape " + shapeToString(images.shape()));
        if (names.empty())
            for (int i = 0; i < images.dim(0); ++i)
                names.push_back("probe " + std::to_string(i + 1));
        if (names.size() != static_cast<std::size_t>(images.dim(0)))
            throw std::invalid_argument("probe inputs: " + std::to_string(images.dim(0)) + " probes but "
                                        + std::to_string(names.size()) + " names");
    }
    bool applyHere = false;
    std::unique_lock outside(m_outsideUse);
    {
        std::lock_guard lock(m_mutex);
        m_pendingProbeInputs = std::move(images);
        m_pendingProbeNames = std::move(names);
        m_probesPending.store(true);
        // No thread runs the model: a trainer that has not started takes them in prepare(); a
        // finished or stopped one takes them here and shows them at once.
        applyHere = !m_workerActive && m_prepared;
    }
    if (!applyHere) {
        outside.unlock();
        m_wake.notify_all();  // a paused worker takes them and publishes
        return;
    }
    if (applyPendingProbes())
        publish(m_finished ? TrainPhase::Finished : TrainPhase::Step, -1, true);
}

void Trainer::requestSnapshot()
{
    std::unique_lock outside(m_outsideUse);
    {
        std::lock_guard lock(m_mutex);
        if (m_workerActive) {
            m_snapshotRequested.store(true);
            outside.unlock();
        }
    }
    if (!outside.owns_lock()) {
        m_wake.notify_all();  // a paused worker publishes at once
        return;
    }
    publish(m_finished ? TrainPhase::Finished : TrainPhase::Step, -1, true);
}

bool Trainer::applyPendingProbes()
{
    Tensor images;
    std::vector<std::string> names;
    {
        std::lock_guard lock(m_mutex);
        if (!m_probesPending.exchange(false))
            return false;
        images = std::move(m_pendingProbeInputs);
        names = std::move(m_pendingProbeNames);
        m_pendingProbeInputs = Tensor();
        m_pendingProbeNames.clear();
    }
    if (images.empty()) {
        m_probeInputs = m_datasetProbeInputs;
        m_probeLabels = m_datasetProbeLabels;
        m_probeNames.clear();
    } else {
        m_probeLabels.assign(static_cast<std::size_t>(images.dim(0)), -1);
        m_probeInputs = std::move(images);
        m_probeNames = std::move(names);
    }
    return true;
}

void Trainer::releaseModel()
{
    // Probes that arrived while the run was ending are taken here, while this thread is still
    // the model's only user; after that setProbeInputs applies them itself.
    while (true) {
        const bool newProbes = applyPendingProbes();
        if (newProbes || m_snapshotRequested.exchange(false))
            publish(m_finished ? TrainPhase::Finished : TrainPhase::Step, -1, true);
        std::lock_guard lock(m_mutex);
        if (!m_probesPending.load() && !m_snapshotRequested.load()) {
            m_workerActive = false;
            return;
        }
    }
}

void Trainer::setLearningRate(float lr)
{
    if (lr > 0 && std::isfinite(lr))
        m_pendingLearningRate.store(lr);
}

void Trainer::setState(TrainerState state, const std::string& message)
{
    m_state.store(state);
    if (m_observer)
        m_observer->stateChanged(state, message);
}

// ---------------------------------------------------------------------------------------------
// The worker

void Trainer::prepare()
{
    if (m_prepared)
        return;
    m_prepared = true;
    const std::size_t n = m_train->size();
    std::vector<std::uint32_t> all(n);
    std::iota(all.begin(), all.end(), 0u);
    if (!m_validation && m_settings.validationSplit > 0 && n >= 10) {
        // Hold out a seeded random part of the training set.
        Rng splitRng(m_settings.seed ^ 0x9e3779b97f4a7c15ULL);
        for (std::size_t i = n - 1; i > 0; --i)
            std::swap(all[i], all[static_cast<std::size_t>(splitRng.uniformInt(static_cast<int>(i + 1)))]);
        const auto held = static_cast<std::size_t>(std::clamp(m_settings.validationSplit, 0.0f, 0.9f) * static_cast<float>(n));
        std::vector<std::uint32_t> validationIndices(all.end() - static_cast<std::ptrdiff_t>(held), all.end());
        all.resize(n - held);
        std::sort(validationIndices.begin(), validationIndices.end());
        std::sort(all.begin(), all.end());
        m_validation = std::make_shared<SubsetDataset>(m_train, validationIndices, m_train->name() + " (validation)");
        m_train = std::make_shared<SubsetDataset>(m_train, all, m_train->name() + " (training)");
        all.resize(m_train->size());
        std::iota(all.begin(), all.end(), 0u);
    }
    m_order = std::move(all);
    for (std::size_t i = m_order.size() - 1; i > 0; --i)
        std::swap(m_order[i], m_order[static_cast<std::size_t>(m_rng.uniformInt(static_cast<int>(i + 1)))]);
    m_cursor = 0;
    m_stepsPerEpoch = static_cast<long long>((m_order.size() + static_cast<std::size_t>(m_settings.batchSize) - 1)
                                             / static_cast<std::size_t>(m_settings.batchSize));

    // Probe inputs: the first samples of the validation set (or the training set).
    const Dataset& probeSource = m_validation ? *m_validation : *m_train;
    const int probes = std::min<int>(m_settings.capture.probeCount, static_cast<int>(probeSource.size()));
    if (probes > 0) {
        std::vector<std::uint32_t> probeOrder(static_cast<std::size_t>(probes));
        std::iota(probeOrder.begin(), probeOrder.end(), 0u);
        Tensor targets, labels;
        probeSource.gather(probeOrder, 0, static_cast<std::size_t>(probes), m_probeInputs, targets, labels);
        m_probeLabels.clear();
        for (int i = 0; i < probes; ++i)
            m_probeLabels.push_back(static_cast<int>(labels[static_cast<std::size_t>(i)]));
    }
    m_datasetProbeInputs = m_probeInputs;
    m_datasetProbeLabels = m_probeLabels;
    applyPendingProbes();  // set before the first start
    m_startTime = std::chrono::steady_clock::now();
}

void Trainer::workerLoop()
{
    prepare();
    while (true) {
        bool layerMode = false;
        bool probesOnly = false;
        {
            std::unique_lock lock(m_mutex);
            if (!m_running && m_stepBudget == 0 && m_layerBudget == 0 && !m_stopRequested
                && m_state.load() == TrainerState::Running)
                setState(TrainerState::Paused);
            m_wake.wait(lock, [this] {
                return m_running || m_stepBudget > 0 || m_layerBudget > 0 || m_stopRequested || m_probesPending.load()
                    || m_snapshotRequested.load();
            });
            if (m_stopRequested)
                break;
            layerMode = !m_running && m_stepBudget == 0 && m_layerBudget > 0;
            probesOnly = !m_running && m_stepBudget == 0 && m_layerBudget == 0;
        }
        if (probesOnly) {
            // Paused, and new probe inputs or a snapshot request arrived: publish without training.
            const bool newProbes = applyPendingProbes();
            if (newProbes || m_snapshotRequested.exchange(false))
                publish(TrainPhase::Step, -1, true);
            continue;
        }
        if (m_state.load() != TrainerState::Running)
            setState(TrainerState::Running);
        const bool more = trainOneStep(layerMode);
        {
            std::lock_guard lock(m_mutex);
            if (m_stepBudget > 0 && !layerMode)
                --m_stepBudget;
            if (!more) {
                m_finished = true;
                m_running = false;
                m_stepBudget = 0;
                m_layerBudget = 0;
            }
        }
        if (!more)
            break;
    }
    if (m_finished && m_state.load() != TrainerState::Failed)
        setState(TrainerState::Finished);
    else if (m_state.load() == TrainerState::Running)
        setState(TrainerState::Paused);
    releaseModel();
}

bool Trainer::waitForPermission(bool layerStep)
{
    if (!layerStep)
        return true;
    std::unique_lock lock(m_mutex);
    if (m_layerBudget > 0)
        --m_layerBudget;
    if (m_layerBudget == 0 && !m_running && m_stepBudget == 0 && !m_stopRequested) {
        m_state.store(TrainerState::Paused);
        lock.unlock();
        if (m_observer)
            m_observer->stateChanged(TrainerState::Paused, "layer step");
        lock.lock();
    }
    m_wake.wait(lock, [this] { return m_layerBudget > 0 || m_running || m_stepBudget > 0 || m_stopRequested; });
    if (m_stopRequested)
        return false;
    m_state.store(TrainerState::Running);
    return true;
}

bool Trainer::nextBatch()
{
    if (m_cursor >= m_order.size())
        return false;
    const std::size_t count = std::min<std::size_t>(static_cast<std::size_t>(m_settings.batchSize), m_order.size() - m_cursor);
    m_train->gather(m_order, m_cursor, count, m_inputs, m_targets, m_labels);
    m_cursor += count;
    return true;
}

std::string Trainer::firstNonFiniteLayer(bool inGradients) const
{
    if (!inGradients) {
        for (int i = 0; i < m_model->layerCount(); ++i)
            if (!m_model->output(i).allFinite())
                return "the output of layer " + std::to_string(i) + " '" + m_model->layer(i).name() + "' ("
                       + m_model->layer(i).type() + ")";
        return "the loss";
    }
    for (int i = m_model->layerCount() - 1; i >= 0; --i) {
        if (!m_model->inputGradient(i).allFinite())
            return "the gradient computed by layer " + std::to_string(i) + " '" + m_model->layer(i).name() + "' ("
                   + m_model->layer(i).type() + ")";
        for (const Parameter* p : std::as_const(m_model->layer(i)).parameters())
            if (!p->grad.allFinite())
                return "the " + p->name + " gradient of layer " + std::to_string(i) + " '" + m_model->layer(i).name() + "'";
    }
    return "the loss gradient";
}

bool Trainer::trainOneStep(bool layerByLayer)
{
    if (m_probesPending.load(std::memory_order_relaxed))
        applyPendingProbes();  // between steps: the model's tensors belong to no step now
    if (!nextBatch()) {
        endEpoch();
        if (m_epoch >= m_settings.epochs)
            return false;
        if (!nextBatch())
            return false;
    }
    const auto stepStart = std::chrono::steady_clock::now();
    const float pending = m_pendingLearningRate.exchange(-1.0f);
    if (pending > 0) {
        m_settings.optimizer.learningRate = pending;
        m_settings.schedule.kind = "constant";  // a rate set by hand replaces the schedule
        m_settings.schedule.warmupSteps = 0;
    }
    m_optimizer->setLearningRate(m_settings.schedule.rateAt(m_settings.optimizer.learningRate, m_step));

    const bool publishDue = m_settings.capture.maxPublishHz <= 0
        || m_lastPublishSeconds < 0
        || secondsSince(m_startTime) - m_lastPublishSeconds >= 1.0 / m_settings.capture.maxPublishHz;
    m_publishThisStep = publishDue || layerByLayer;

    Model& model = *m_model;
    const Tensor& target = m_loss->wantsClassIndices() ? m_labels : m_targets;

    // Forward.
    if (layerByLayer) {
        model.setInput(m_inputs);
        for (int i = 0; i < model.layerCount(); ++i) {
            model.forwardLayer(i, true);
            publish(TrainPhase::Forward, i, true);
            if (!waitForPermission(true))
                return false;
        }
    } else {
        model.forward(m_inputs, true);
    }
    const Tensor& output = model.output();
    const float loss = m_loss->value(output, target);
    if (!std::isfinite(loss)) {
        const std::string where = firstNonFiniteLayer(false);
        {
            std::lock_guard lock(m_mutex);
            m_running = false;
            m_stepBudget = 0;
            m_layerBudget = 0;
        }
        auto snapshot = captureSnapshot(TrainPhase::Loss, -1);
        const std::string message = "step " + std::to_string(m_step + 1) + ": the loss is " + (std::isnan(loss) ? "NaN" : "infinite")
            + "; non-finite values first appear in " + where + ". Training paused; lower the learning rate or check the data.";
        auto copy = std::make_shared<Snapshot>(*snapshot);
        copy->message = message;
        if (m_observer)
            m_observer->snapshotReady(copy);
        setState(TrainerState::Paused, message);
        m_cursor -= static_cast<std::size_t>(m_inputs.dim(0));  // the batch was not used
        return true;
    }
    m_loss->gradient(output, target, m_gradient);
    if (layerByLayer) {
        model.setOutputGradient(m_gradient);
        publish(TrainPhase::Loss, model.layerCount() - 1, true);
        if (!waitForPermission(true))
            return false;
        for (int i = model.layerCount() - 1; i >= 0; --i) {
            model.backwardLayer(i);
            publish(TrainPhase::Backward, i, true);
            if (!waitForPermission(true))
                return false;
        }
    } else {
        model.backward(m_gradient);
    }
    if (m_settings.stopOnNonFinite) {
        bool finite = true;
        for (Parameter* p : model.trainableParameters())
            finite = finite && p->grad.allFinite();
        if (!finite) {
            const std::string message = "step " + std::to_string(m_step + 1) + ": a gradient is NaN or infinite; it first appears in "
                + firstNonFiniteLayer(true) + ". Training paused before the update; lower the learning rate or clip gradients.";
            {
                std::lock_guard lock(m_mutex);
                m_running = false;
                m_stepBudget = 0;
                m_layerBudget = 0;
            }
            setState(TrainerState::Paused, message);
            m_cursor -= static_cast<std::size_t>(m_inputs.dim(0));
            return true;
        }
    }

    m_optimizer->step(model.parameters(), m_publishThisStep ? &m_updates : nullptr);
    ++m_step;

    // Metrics.
    const int batch = output.dim(0);
    int correct = 0;
    if (m_train->classCount() > 0) {
        const int k = static_cast<int>(output.sampleSize());
        for (int i = 0; i < batch; ++i)
            correct += argmaxRow(output.data() + static_cast<std::size_t>(i) * static_cast<std::size_t>(k), k)
                == static_cast<int>(m_labels[static_cast<std::size_t>(i)]);
    }
    m_lastLoss = loss;
    m_lastAccuracy = m_train->classCount() > 0 ? static_cast<float>(correct) / static_cast<float>(batch) : 0.0f;
    m_epochLossSum += static_cast<double>(loss) * batch;
    m_epochCorrect += correct;
    m_epochSeen += batch;
    m_samplesTrained += batch;
    m_trainSeconds += secondsSince(stepStart);

    StepRecord record{m_step,
                      m_epoch + static_cast<double>(m_cursor) / static_cast<double>(std::max<std::size_t>(m_order.size(), 1)),
                      loss, m_lastAccuracy, m_optimizer->learningRate(), {}};
    SnapshotPtr snapshot;
    if (m_publishThisStep) {
        // Activations and gradients in the model are still this batch's: the update does not touch them.
        snapshot = captureSnapshot(layerByLayer ? TrainPhase::Update : TrainPhase::Step, -1);
        for (const auto& layer : snapshot->layers)
            record.gradientNorms.push_back(layer.gradient.l2);
    }
    m_history.addStep(std::move(record));
    if (snapshot) {
        m_lastPublishSeconds = secondsSince(m_startTime);
        if (m_observer)
            m_observer->snapshotReady(snapshot);
    }
    return true;
}

void Trainer::endEpoch()
{
    const double seconds = secondsSince(m_startTime);
    EpochRecord record{m_epoch, m_step,
                       m_epochSeen > 0 ? static_cast<float>(m_epochLossSum / m_epochSeen) : 0.0f,
                       m_epochSeen > 0 ? static_cast<float>(m_epochCorrect / m_epochSeen) : 0.0f,
                       0.0f, 0.0f, seconds};
    Evaluation evaluation;
    if (m_validation && m_validation->size() > 0) {
        evaluation = evaluate(*m_model, *m_validation, *m_loss, 256);
        record.validationLoss = evaluation.loss;
        record.validationAccuracy = evaluation.accuracy;
    }
    m_history.addEpoch(record);
    ++m_epoch;
    m_epochLossSum = m_epochCorrect = m_epochSeen = 0;
    // Reshuffle for the next epoch.
    for (std::size_t i = m_order.size() - 1; i > 0; --i)
        std::swap(m_order[i], m_order[static_cast<std::size_t>(m_rng.uniformInt(static_cast<int>(i + 1)))]);
    m_cursor = 0;

    auto snapshot = std::const_pointer_cast<Snapshot>(captureSnapshot(
        m_epoch >= m_settings.epochs ? TrainPhase::Finished : TrainPhase::EpochEnd, -1));
    if (m_validation && m_validation->size() > 0) {
        snapshot->hasValidation = true;
        snapshot->validationLoss = evaluation.loss;
        snapshot->validationAccuracy = evaluation.accuracy;
        snapshot->validationTop5 = evaluation.top5;
        snapshot->confusion = evaluation.confusion;
        snapshot->perClassAccuracy = evaluation.perClassAccuracy;
        snapshot->misclassified = evaluation.misclassified;
        m_lastEpochSnapshot = snapshot;
    }
    m_lastPublishSeconds = secondsSince(m_startTime);
    if (m_observer)
        m_observer->snapshotReady(snapshot);
}

// ---------------------------------------------------------------------------------------------
// Observation

void Trainer::captureLayerStatistics(Snapshot& snapshot, bool withUpdates)
{
    Model& model = *m_model;
    const int layers = model.layerCount();
    snapshot.layers.resize(static_cast<std::size_t>(layers));
    std::vector<std::size_t> firstParameter(static_cast<std::size_t>(layers) + 1, 0);
    for (int i = 0; i < layers; ++i) {
        Layer& layer = model.layer(i);
        LayerSnapshot& ls = snapshot.layers[static_cast<std::size_t>(i)];
        ls.name = layer.name();
        ls.type = layer.type();
        ls.description = layer.describe();
        ls.outputShape = model.layerOutputShape(i);
        firstParameter[static_cast<std::size_t>(i) + 1] = firstParameter[static_cast<std::size_t>(i)] + layer.parameters().size();
    }
    // Three independent jobs per layer (activation statistics, gradient statistics, dead and
    // saturated units with the parameters), spread over both cores: the statistics read every
    // value of the batch's activations and gradients, the largest share of a snapshot's cost.
    std::vector<float> deadFraction(static_cast<std::size_t>(layers), 0.0f), saturatedFraction(deadFraction);
    const int jobs = 3 * layers;
#pragma omp parallel for schedule(dynamic, 1)
    for (int job = 0; job < jobs; ++job) {
        const int i = job / 3;
        const auto index = static_cast<std::size_t>(i);
        Layer& layer = model.layer(i);
        LayerSnapshot& ls = snapshot.layers[index];
        if (job % 3 == 0) {
            const Tensor& out = model.output(i);
            if (!out.empty())
                ls.activation = TensorStats::of(out.data(), out.size());
            continue;
        }
        if (job % 3 == 1) {
            const Tensor& grad = model.gradientAtOutput(i);
            if (!grad.empty())
                ls.gradient = TensorStats::of(grad.data(), grad.size());
            continue;
        }
        if (auto activation = activationOfLayer(layer); activation && !model.output(i).empty()) {
            // Dead: a unit whose pre-activation makes it dead for every sample of the batch.
            // Saturated: share of pre-activation values in the flat tails.
            const Tensor& in = model.layerInput(i);
            const std::size_t units = in.sampleSize();
            const int batch = in.dim(0);
            std::size_t dead = 0, saturated = 0;
            for (std::size_t u = 0; u < units; ++u) {
                bool allDead = true;
                for (int n = 0; n < batch; ++n) {
                    const float x = in[static_cast<std::size_t>(n) * units + u];
                    allDead = allDead && activation->isDead(x);
                    saturated += activation->isSaturated(x);
                }
                dead += allDead;
            }
            deadFraction[index] = units ? static_cast<float>(dead) / static_cast<float>(units) : 0.0f;
            saturatedFraction[index] = in.size() ? static_cast<float>(saturated) / static_cast<float>(in.size()) : 0.0f;
        }
        const bool full = m_settings.capture.fullTensorLayers.count(i) > 0;
        std::size_t paramIndex = firstParameter[index];
        for (Parameter* p : layer.parameters()) {
            ParameterSnapshot ps;
            ps.name = p->name;
            ps.shape = p->value.shape();
            ps.value = TensorStats::of(p->value.data(), p->value.size());
            ps.gradient = TensorStats::of(p->grad.data(), p->grad.size());
            if (withUpdates && paramIndex < m_updates.size() && m_updates[paramIndex].size() == p->value.size()) {
                const Tensor& u = m_updates[paramIndex];
                ps.update = TensorStats::of(u.data(), u.size());
                ps.updateToWeightRatio = ps.value.l2 > 0 ? ps.update.l2 / ps.value.l2 : 0.0f;
            }
            if (full) {
                ps.fullValue.copyFrom(p->value);
                ps.fullGradient.copyFrom(p->grad);
            }
            ls.parameters.push_back(std::move(ps));
            ++paramIndex;
        }
    }
    for (int i = 0; i < layers; ++i) {
        auto& stats = snapshot.layers[static_cast<std::size_t>(i)].activation;
        stats.deadFraction = deadFraction[static_cast<std::size_t>(i)];
        stats.saturatedFraction = saturatedFraction[static_cast<std::size_t>(i)];
    }
}

SnapshotPtr Trainer::captureSnapshot(TrainPhase phase, int phaseLayer)
{
    auto snapshot = std::make_shared<Snapshot>();
    Model& model = *m_model;
    snapshot->step = m_step;
    snapshot->epoch = std::min(m_epoch, m_settings.epochs - 1);
    snapshot->epochs = m_settings.epochs;
    snapshot->stepsPerEpoch = m_stepsPerEpoch;
    snapshot->loss = m_lastLoss;
    snapshot->accuracy = m_lastAccuracy;
    snapshot->learningRate = m_optimizer->learningRate();
    snapshot->secondsElapsed = secondsSince(m_startTime);
    snapshot->imagesPerSecond = m_trainSeconds > 0 ? m_samplesTrained / m_trainSeconds : 0.0;
    snapshot->phase = phase;
    snapshot->phaseLayer = phaseLayer;
    snapshot->classNames = m_train->classNames();
    if (m_lastEpochSnapshot) {
        snapshot->hasValidation = true;
        snapshot->validationLoss = m_lastEpochSnapshot->validationLoss;
        snapshot->validationAccuracy = m_lastEpochSnapshot->validationAccuracy;
        snapshot->validationTop5 = m_lastEpochSnapshot->validationTop5;
        snapshot->confusion = m_lastEpochSnapshot->confusion;
        snapshot->perClassAccuracy = m_lastEpochSnapshot->perClassAccuracy;
        snapshot->misclassified = m_lastEpochSnapshot->misclassified;
    }
    const bool midStep = phase == TrainPhase::Forward || phase == TrainPhase::Loss || phase == TrainPhase::Backward;
    if (m_settings.capture.statistics || midStep)
        captureLayerStatistics(*snapshot, phase == TrainPhase::Step || phase == TrainPhase::Update);

    const int probes = m_probeInputs.empty() ? 0 : m_probeInputs.dim(0);
    if (midStep) {
        // The exact tensors of this moment: the first samples of the batch being trained.
        const int shown = std::min(std::max(probes, 1), m_inputs.empty() ? 0 : m_inputs.dim(0));
        Shape inputShape = m_inputs.shape();
        if (shown > 0) {
            inputShape[0] = shown;
            snapshot->probeInputs.resize(inputShape);
            std::copy(m_inputs.data(), m_inputs.data() + snapshot->probeInputs.size(), snapshot->probeInputs.data());
            for (int n = 0; n < shown; ++n)
                snapshot->probeLabels.push_back(static_cast<int>(m_labels[static_cast<std::size_t>(n)]));
        }
        for (int i = 0; i < model.layerCount(); ++i) {
            auto& ls = snapshot->layers[static_cast<std::size_t>(i)];
            const bool computed = phase != TrainPhase::Forward || i <= phaseLayer;
            const Tensor& out = model.output(i);
            if (computed && !out.empty() && shown > 0) {
                Shape s = out.shape();
                s[0] = shown;
                ls.probeOutput.resize(s);
                std::copy(out.data(), out.data() + ls.probeOutput.size(), ls.probeOutput.data());
            }
            const bool gradientReady = phase == TrainPhase::Loss ? i == model.layerCount() - 1
                : phase == TrainPhase::Backward ? i >= phaseLayer - 1 : false;
            if (gradientReady) {
                const Tensor& g = model.gradientAtOutput(i);
                if (!g.empty())
                    ls.fullOutputGradient.copyFrom(g);
            }
        }
    } else if (probes > 0) {
        snapshot->probeInputs.copyFrom(m_probeInputs);
        snapshot->probeLabels = m_probeLabels;
        snapshot->probeNames = m_probeNames;
        model.forward(m_probeInputs, false);
        if (snapshot->layers.size() != static_cast<std::size_t>(model.layerCount()))
            snapshot->layers.resize(static_cast<std::size_t>(model.layerCount()));
        for (int i = 0; i < model.layerCount(); ++i) {
            auto& ls = snapshot->layers[static_cast<std::size_t>(i)];
            if (ls.name.empty()) {
                ls.name = model.layer(i).name();
                ls.type = model.layer(i).type();
                ls.outputShape = model.layerOutputShape(i);
            }
            ls.probeOutput.copyFrom(model.output(i));
        }
    }
    if (!midStep && m_settings.capture.decisionGrid > 0)
        captureDecisionGrid(*snapshot);
    return snapshot;
}

void Trainer::captureDecisionGrid(Snapshot& snapshot)
{
    if (m_train->sampleShape() != Shape{2} || m_train->classCount() <= 0)
        return;
    const int g = m_settings.capture.decisionGrid;
    // Bounding box of (a sample of) the training data, with a margin.
    const std::size_t n = std::min<std::size_t>(m_train->size(), 600);
    float minX = 1e30f, maxX = -1e30f, minY = 1e30f, maxY = -1e30f;
    snapshot.dataPoints.resize({static_cast<int>(n), 2});
    snapshot.dataLabels.resize(n);
    const std::size_t stride = std::max<std::size_t>(m_train->size() / n, 1);
    for (std::size_t i = 0; i < n; ++i) {
        float xy[2];
        m_train->copySample(i * stride, xy);
        snapshot.dataPoints[2 * i] = xy[0];
        snapshot.dataPoints[2 * i + 1] = xy[1];
        snapshot.dataLabels[i] = m_train->label(i * stride);
        minX = std::min(minX, xy[0]);
        maxX = std::max(maxX, xy[0]);
        minY = std::min(minY, xy[1]);
        maxY = std::max(maxY, xy[1]);
    }
    const float marginX = 0.1f * std::max(maxX - minX, 1e-3f), marginY = 0.1f * std::max(maxY - minY, 1e-3f);
    snapshot.gridSize = g;
    snapshot.gridMinX = minX - marginX;
    snapshot.gridMaxX = maxX + marginX;
    snapshot.gridMinY = minY - marginY;
    snapshot.gridMaxY = maxY + marginY;
    Tensor grid({g * g, 2});
    for (int y = 0; y < g; ++y)
        for (int x = 0; x < g; ++x) {
            const auto i = static_cast<std::size_t>(y * g + x);
            grid[2 * i] = snapshot.gridMinX + (snapshot.gridMaxX - snapshot.gridMinX) * (static_cast<float>(x) + 0.5f) / static_cast<float>(g);
            grid[2 * i + 1] = snapshot.gridMaxY - (snapshot.gridMaxY - snapshot.gridMinY) * (static_cast<float>(y) + 0.5f) / static_cast<float>(g);
        }
    Model& model = *m_model;
    const Tensor& out = model.forward(grid, false);
    snapshot.gridOutput.copyFrom(out);
    // Turn logits into probabilities so that the view draws confidence, not raw scores.
    const bool logits = model.layer(model.layerCount() - 1).type() != "Softmax";
    if (logits) {
        const auto k = static_cast<std::size_t>(out.sampleSize());
        Activation softmax{ActivationKind::Softmax, 0.0f};
        softmax.forward(out.data(), snapshot.gridOutput.data(), out.size(), k);
    }
    snapshot.gridNeurons.assign(static_cast<std::size_t>(model.layerCount()), Tensor());
    for (int i = 0; i < model.layerCount(); ++i)
        if (model.layerOutputShape(i).size() == 1)
            snapshot.gridNeurons[static_cast<std::size_t>(i)].copyFrom(model.output(i));
}

void Trainer::publish(TrainPhase phase, int phaseLayer, bool force)
{
    if (!force && !m_publishThisStep)
        return;
    auto snapshot = captureSnapshot(phase, phaseLayer);
    m_lastPublishSeconds = secondsSince(m_startTime);
    if (m_observer)
        m_observer->snapshotReady(snapshot);
}

// ---------------------------------------------------------------------------------------------

void Trainer::runBlocking(const std::function<void(const Snapshot&)>& progress)
{
    {
        std::lock_guard lock(m_mutex);
        m_workerActive = true;
    }
    prepare();
    setState(TrainerState::Running);
    struct Forwarder : TrainerObserver {
        TrainerObserver* next = nullptr;
        const std::function<void(const Snapshot&)>* callback = nullptr;
        void snapshotReady(SnapshotPtr snapshot) override
        {
            if (next)
                next->snapshotReady(snapshot);
            if (callback && *callback)
                (*callback)(*snapshot);
        }
        void stateChanged(TrainerState state, const std::string& message) override
        {
            if (next)
                next->stateChanged(state, message);
        }
    } forwarder;
    forwarder.next = m_observer;
    forwarder.callback = &progress;
    TrainerObserver* saved = m_observer;
    m_observer = &forwarder;
    while (true) {
        {
            std::lock_guard lock(m_mutex);
            if (m_stopRequested)
                break;
        }
        if (!trainOneStep(false)) {
            m_finished = true;
            break;
        }
        if (m_state.load() == TrainerState::Paused)  // NaN: stop the blocking run
            break;
    }
    m_observer = saved;
    if (m_finished)
        setState(TrainerState::Finished);
    releaseModel();
}

}  // namespace layerlens::core
