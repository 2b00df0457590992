#include "core/lab/backprop_debugger.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "core/train/trainer.h"

namespace layerlens::core {

namespace {

void checkFits(const Model& model, const Dataset& data)
{
    if (data.size() == 0)
        throw std::invalid_argument("BackpropDebugger: the dataset is empty");
    if (model.inputShape() != data.sampleShape())
        throw std::invalid_argument("BackpropDebugger: the model expects inputs of shape " + shapeToString(model.inputShape())
                                    + " but the dataset's samples have shape " + shapeToString(data.sampleShape()));
}

}  // namespace

BackpropDebugger::BackpropDebugger(std::shared_ptr<Model> model, DatasetPtr data, BackpropDebuggerSettings settings)
    : m_model(std::move(model))
    , m_data(std::move(data))
    , m_settings(std::move(settings))
    , m_rng(m_settings.seed)
{
    if (!m_model || !m_data)
        throw std::invalid_argument("BackpropDebugger: no model or no dataset");
    if (m_settings.batchSize <= 0)
        throw std::invalid_argument("BackpropDebugger: batch size must be positive, got " + std::to_string(m_settings.batchSize));
    checkFits(*m_model, *m_data);
    if (!m_model->isBuilt())
        m_model->build(m_settings.seed);
    m_ownedOptimizer = Optimizer::create(m_settings.optimizer);
    m_optimizer = m_ownedOptimizer.get();
    m_model->setRng(&m_rng);
    initialize();
}

BackpropDebugger::BackpropDebugger(Trainer& trainer, DatasetPtr data)
    : m_model(trainer.model())
    , m_data(std::move(data))
    , m_rng(trainer.settings().seed)
    , m_ownsRng(false)
{
    if (!m_data)
        throw std::invalid_argument("BackpropDebugger: no dataset");
    m_settings.batchSize = trainer.settings().batchSize;
    m_settings.seed = trainer.settings().seed;
    m_settings.loss = trainer.settings().loss;
    m_settings.optimizer = trainer.settings().optimizer;
    checkFits(*m_model, *m_data);
    m_optimizer = &trainer.optimizer();
    initialize();
}

BackpropDebugger::~BackpropDebugger()
{
    // The model may outlive us; its layers must not keep a pointer to our random source.
    if (m_ownsRng && m_model)
        m_model->setRng(nullptr);
}

void BackpropDebugger::initialize()
{
    m_loss = Trainer::resolveLoss(m_settings.loss, *m_model, *m_data);
    // The same order the trainer draws with this seed (no validation split): one shuffle per epoch.
    m_order.resize(m_data->size());
    std::iota(m_order.begin(), m_order.end(), 0u);
    for (std::size_t i = m_order.size() - 1; i > 0; --i)
        std::swap(m_order[i], m_order[static_cast<std::size_t>(m_rng.uniformInt(static_cast<int>(i + 1)))]);
    m_updates.clear();
}

const Tensor& BackpropDebugger::targets() const { return m_loss->wantsClassIndices() ? m_labels : m_targets; }

long long BackpropDebugger::batchesPerEpoch() const
{
    const auto b = static_cast<std::size_t>(m_settings.batchSize);
    return static_cast<long long>((m_order.size() + b - 1) / b);
}

long long BackpropDebugger::batchIndex() const
{
    const std::size_t at = m_batchLoaded ? m_batchBegin : m_cursor;
    return static_cast<long long>(at / static_cast<std::size_t>(m_settings.batchSize));
}

int BackpropDebugger::firstParameterIndex(int layer) const
{
    int index = 0;
    for (int i = 0; i < layer; ++i)
        index += static_cast<int>(m_model->layer(i).parameters().size());
    return index;
}

std::string BackpropDebugger::phaseText() const
{
    auto layerText = [this](int i) {
        const Layer& l = m_model->layer(i);
        return "layer " + std::to_string(i) + " '" + l.name() + "' (" + l.type() + ")";
    };
    switch (m_phase) {
    case TrainPhase::Forward: return "Forward · " + layerText(m_layer);
    case TrainPhase::Loss: return "Loss · " + m_loss->name();
    case TrainPhase::Backward: return "Backward · " + layerText(m_layer);
    case TrainPhase::Update: return "Update · " + m_optimizer->settings().kind;
    default: return m_batchLoaded ? "Start of batch" : "Ready";
    }
}

bool BackpropDebugger::outputReady(int layer) const
{
    if (!m_batchLoaded)
        return false;
    switch (m_phase) {
    case TrainPhase::Forward: return layer <= m_layer;
    case TrainPhase::Loss:
    case TrainPhase::Backward:
    case TrainPhase::Update: return true;
    default: return false;
    }
}

bool BackpropDebugger::outputGradientReady(int layer) const
{
    if (!m_batchLoaded)
        return false;
    switch (m_phase) {
    case TrainPhase::Loss: return layer == m_model->layerCount() - 1;
    case TrainPhase::Backward: return layer >= m_layer - 1;
    case TrainPhase::Update: return true;
    default: return false;
    }
}

bool BackpropDebugger::inputGradientReady(int layer) const
{
    if (!m_batchLoaded)
        return false;
    switch (m_phase) {
    case TrainPhase::Backward: return layer >= m_layer;
    case TrainPhase::Update: return true;
    default: return false;
    }
}

void BackpropDebugger::wrapEpoch()
{
    ++m_epoch;
    for (std::size_t i = m_order.size() - 1; i > 0; --i)
        std::swap(m_order[i], m_order[static_cast<std::size_t>(m_rng.uniformInt(static_cast<int>(i + 1)))]);
    m_cursor = 0;
}

void BackpropDebugger::loadNextBatch()
{
    if (m_cursor >= m_order.size())
        wrapEpoch();
    const std::size_t count = std::min<std::size_t>(static_cast<std::size_t>(m_settings.batchSize), m_order.size() - m_cursor);
    m_data->gather(m_order, m_cursor, count, m_inputs, m_targets, m_labels);
    m_batchBegin = m_cursor;
    m_cursor += count;
    m_batchLoaded = true;
    m_stepAtBatchStart = m_step;
    m_checkpoint.capture(*m_model, m_optimizer, m_ownsRng ? &m_rng : nullptr);
    m_lossValue = m_accuracy = 0;
}

void BackpropDebugger::computeLoss()
{
    const Tensor& output = m_model->output();
    const Tensor& target = targets();
    m_lossValue = m_loss->value(output, target);
    m_loss->gradient(output, target, m_gradient);
    m_accuracy = 0;
    if (m_data->classCount() > 0 && output.rank() == 2) {
        const int batch = output.dim(0), k = output.dim(1);
        int correct = 0;
        for (int n = 0; n < batch; ++n) {
            const float* row = output.data() + static_cast<std::size_t>(n) * static_cast<std::size_t>(k);
            correct += static_cast<int>(std::max_element(row, row + k) - row) == static_cast<int>(m_labels[static_cast<std::size_t>(n)]);
        }
        m_accuracy = static_cast<float>(correct) / static_cast<float>(std::max(batch, 1));
    }
}

void BackpropDebugger::applyUpdate()
{
    m_optimizer->step(m_model->parameters(), &m_updates);
    ++m_step;
    m_phase = TrainPhase::Update;
    m_layer = -1;
}

void BackpropDebugger::stepLayer()
{
    Model& model = *m_model;
    const int last = model.layerCount() - 1;
    switch (m_phase) {
    case TrainPhase::Forward:
        if (m_layer < last) {
            model.forwardLayer(++m_layer, true);
        } else {
            computeLoss();
            model.setOutputGradient(m_gradient);
            m_phase = TrainPhase::Loss;
            m_layer = last;
        }
        return;
    case TrainPhase::Loss:
        model.backwardLayer(last);
        m_phase = TrainPhase::Backward;
        m_layer = last;
        return;
    case TrainPhase::Backward:
        if (m_layer > 0) {
            model.backwardLayer(--m_layer);
        } else {
            applyUpdate();
        }
        return;
    case TrainPhase::Update:
        m_batchLoaded = false;
        [[fallthrough]];
    default:
        if (!m_batchLoaded)
            loadNextBatch();
        model.setInput(m_inputs);
        model.forwardLayer(0, true);
        m_phase = TrainPhase::Forward;
        m_layer = 0;
        return;
    }
}

void BackpropDebugger::finishStep()
{
    do {
        stepLayer();
    } while (m_phase != TrainPhase::Update);
}

void BackpropDebugger::restartBatch()
{
    if (!m_batchLoaded)
        return;
    m_checkpoint.restore(*m_model, m_optimizer, m_ownsRng ? &m_rng : nullptr);
    m_step = m_stepAtBatchStart;
    m_phase = TrainPhase::Idle;
    m_layer = -1;
    m_lossValue = m_accuracy = 0;
    m_updates.clear();
}

void BackpropDebugger::trainStep()
{
    if (m_phase == TrainPhase::Forward || m_phase == TrainPhase::Loss || m_phase == TrainPhase::Backward) {
        finishStep();
        return;
    }
    if (m_phase == TrainPhase::Update)
        m_batchLoaded = false;
    if (!m_batchLoaded)
        loadNextBatch();
    m_model->forward(m_inputs, true);
    computeLoss();
    m_model->backward(m_gradient);
    applyUpdate();
}

void BackpropDebugger::runToNextEpoch()
{
    if (m_phase == TrainPhase::Forward || m_phase == TrainPhase::Loss || m_phase == TrainPhase::Backward)
        finishStep();
    else if (m_phase == TrainPhase::Idle && m_batchLoaded)
        trainStep();  // the batch restartBatch() went back to
    while (m_cursor < m_order.size())
        trainStep();
    wrapEpoch();
    m_batchLoaded = false;
    m_phase = TrainPhase::Idle;
    m_layer = -1;
}

}  // namespace layerlens::core
