#include "core/lab/race.h"

#include <chrono>
#include <optional>
#include <stdexcept>

#include "core/activations/activation.h"
#include "core/losses/loss.h"

namespace layerlens::core {

struct Race::Variant : TrainerObserver {
    std::string label;
    std::shared_ptr<Model> model;
    std::unique_ptr<Trainer> trainer;
    bool sharedInitialWeights = true;
    bool hasValidation = false;

    mutable std::mutex mutex;  // guards the fields below
    SnapshotPtr latest;
    bool started = false, finished = false;
    std::string error;
    double wallSeconds = 0;
    std::chrono::steady_clock::time_point startTime;

    void snapshotReady(SnapshotPtr snapshot) override
    {
        std::lock_guard lock(mutex);
        latest = std::move(snapshot);
    }
};

namespace {

// Splits "name:value" into the name and the number after the colon (if any).
std::pair<std::string, std::optional<float>> splitSpec(const std::string& spec, const std::string& what)
{
    const auto colon = spec.find(':');
    if (colon == std::string::npos)
        return {spec, std::nullopt};
    try {
        std::size_t used = 0;
        const float value = std::stof(spec.substr(colon + 1), &used);
        if (used != spec.size() - colon - 1)
            throw std::invalid_argument("trailing text");
        return {spec.substr(0, colon), value};
    } catch (const std::exception&) {
        throw std::invalid_argument("Race: " + what + " variant \"" + spec + "\": expected name[:number]");
    }
}

bool isSoftmaxLayer(const nlohmann::json& layer)
{
    const std::string type = layer.value("type", "");
    return type == "Softmax" || (type == "Activation" && layer.value("activation", "") == "softmax");
}

// The description with every hidden (not last, not softmax) Activation layer set to `spec`.
nlohmann::json withHiddenActivation(nlohmann::json description, const std::string& spec)
{
    const auto [name, alpha] = splitSpec(spec, "activation");
    const auto activation = Activation::fromName(name);
    if (!activation || activation->kind == ActivationKind::Softmax)
        throw std::invalid_argument("Race: unknown or non-element-wise activation \"" + name + "\"");
    auto& layers = description["layers"];
    int replaced = 0;
    for (std::size_t i = 0; i + 1 < layers.size(); ++i) {
        auto& layer = layers[i];
        if (layer.value("type", "") != "Activation" || isSoftmaxLayer(layer))
            continue;
        layer["activation"] = activation->name();
        layer.erase("alpha");
        if (alpha)
            layer["alpha"] = *alpha;
        ++replaced;
    }
    if (replaced == 0)
        throw std::invalid_argument("Race: the model has no hidden Activation layer whose function could be replaced");
    return description;
}

// Logit losses want the last layer's raw scores, the others want probabilities.
nlohmann::json withOutputFor(nlohmann::json description, const Loss& loss, bool classification)
{
    auto& layers = description["layers"];
    if (!classification || layers.empty())
        return description;
    const bool endsInSoftmax = isSoftmaxLayer(layers.back());
    if (loss.expectsLogits() && endsInSoftmax)
        layers.erase(layers.size() - 1);
    else if (!loss.expectsLogits() && !endsInSoftmax)
        layers.push_back({{"type", "Softmax"}});
    return description;
}

}  // namespace

const char* Race::kindName(RaceKind kind)
{
    switch (kind) {
    case RaceKind::Activation: return "activation";
    case RaceKind::Loss: return "loss";
    case RaceKind::Optimizer: return "optimizer";
    case RaceKind::Transfer: return "transfer";
    }
    return "?";
}

std::vector<std::string> Race::defaultVariants(RaceKind kind)
{
    switch (kind) {
    case RaceKind::Activation: return {"sigmoid", "tanh", "relu", "leaky_relu:0.1", "elu"};
    case RaceKind::Loss: return {"categorical_crossentropy_logits", "mse", "mae"};
    case RaceKind::Optimizer: return {"sgd:0.1", "momentum:0.05", "rmsprop:0.005", "adam:0.01"};
    case RaceKind::Transfer: return {"fine-tune", "scratch"};
    }
    return {};
}

nlohmann::json Race::mlpDescription(int inputs, const std::vector<int>& hidden, int classes, const std::string& activation)
{
    nlohmann::json layers = nlohmann::json::array();
    for (int units : hidden)
        layers.push_back({{"type", "Dense"}, {"units", units}, {"activation", activation}});
    layers.push_back({{"type", "Dense"}, {"units", classes}});
    return {{"input_shape", {inputs}}, {"layers", layers}};
}

RaceSettings Race::transferSettings(std::shared_ptr<Model> pretrained, DatasetPtr train, DatasetPtr validation,
                                    const TrainerSettings& trainer)
{
    RaceSettings s;
    s.kind = RaceKind::Transfer;
    s.pretrained = std::move(pretrained);
    s.train = std::move(train);
    s.validation = std::move(validation);
    s.trainer = trainer;
    s.variants = defaultVariants(RaceKind::Transfer);
    s.parallelism = 2;
    return s;
}

Race::Race(RaceSettings settings)
    : m_settings(std::move(settings))
{
    if (!m_settings.train || m_settings.train->size() == 0)
        throw std::invalid_argument("Race: no training data");
    if (m_settings.variants.empty())
        throw std::invalid_argument("Race: no variants to compare");
    if (m_settings.parallelism < 1)
        m_settings.parallelism = 1;
    const bool classification = m_settings.train->classCount() > 0;
    if (m_settings.kind == RaceKind::Transfer) {
        if (!m_settings.pretrained || !m_settings.pretrained->isBuilt())
            throw std::invalid_argument("Race: a transfer race needs a built pretrained model");
        if (m_settings.model.is_null())
            m_settings.model = m_settings.pretrained->toJson();
    }
    // Expand "activation" fields into Activation layers so that each can be replaced.
    const nlohmann::json base = Model::fromJson(m_settings.model).toJson();
    Model reference = Model::fromJson(base);
    reference.build(m_settings.trainer.seed);

    for (const std::string& spec : m_settings.variants) {
        auto variant = std::make_unique<Variant>();
        variant->label = spec;
        TrainerSettings ts = m_settings.trainer;
        ts.capture.statistics = true;
        ts.capture.probeCount = 0;  // the race shows statistics and decision maps, not probe images
        if (m_settings.train->sampleShape() == Shape{2} && classification && ts.capture.decisionGrid <= 0)
            ts.capture.decisionGrid = 48;
        nlohmann::json description = base;
        switch (m_settings.kind) {
        case RaceKind::Activation: description = withHiddenActivation(base, spec); break;
        case RaceKind::Loss: {
            std::unique_ptr<Loss> loss;
            try {
                loss = Loss::create(spec);
            } catch (const std::exception& e) {
                throw std::invalid_argument("Race: loss variant \"" + spec + "\": " + e.what());
            }
            description = withOutputFor(base, *loss, classification);
            ts.loss = spec;
            break;
        }
        case RaceKind::Transfer:
            if (spec == "scratch") {
                for (auto& layer : description["layers"])
                    layer.erase("trainable");
            } else if (spec != "fine-tune") {
                throw std::invalid_argument("Race: transfer variant \"" + spec + "\": expected fine-tune or scratch");
            }
            break;
        case RaceKind::Optimizer: {
            const auto [kind, rate] = splitSpec(spec, "optimizer");
            ts.optimizer.kind = kind;
            if (rate)
                ts.optimizer.learningRate = *rate;
            break;
        }
        }
        try {
            variant->model = std::make_shared<Model>(Model::fromJson(description));
            variant->model->build(ts.seed);
            try {
                if (m_settings.kind == RaceKind::Transfer && spec == "fine-tune")
                    variant->model->copyWeightsFrom(*m_settings.pretrained);  // must fit: same description
                else
                    variant->model->copyWeightsFrom(reference);
            } catch (const std::invalid_argument&) {
                if (m_settings.kind == RaceKind::Transfer && spec == "fine-tune")
                    throw;
                variant->sharedInitialWeights = false;  // same seed, but shapes differ
            }
            variant->trainer = std::make_unique<Trainer>(variant->model, m_settings.train, m_settings.validation, ts);
        } catch (const std::exception& e) {
            throw std::invalid_argument("Race: variant \"" + spec + "\": " + e.what());
        }
        variant->trainer->setObserver(variant.get());
        variant->hasValidation = m_settings.validation ? m_settings.validation->size() > 0
                                                       : ts.validationSplit > 0 && m_settings.train->size() >= 10;
        m_variants.push_back(std::move(variant));
    }
}

Race::~Race()
{
    stop();
    wait();
}

void Race::start()
{
    if (m_started)
        return;
    m_started = true;
    const int workers = std::min<int>(m_settings.parallelism, variantCount());
    m_workersRunning = workers;
    for (int w = 0; w < workers; ++w)
        m_workers.emplace_back([this] { workerLoop(); });
}

void Race::stop()
{
    m_stopping = true;
    for (auto& v : m_variants)
        v->trainer->stop();
}

void Race::wait()
{
    for (auto& worker : m_workers)
        if (worker.joinable())
            worker.join();
}

bool Race::isFinished() const { return m_started && m_workersRunning.load() == 0; }

void Race::workerLoop()
{
    while (!m_stopping) {
        const int i = m_next++;
        if (i >= variantCount())
            break;
        runVariant(*m_variants[static_cast<std::size_t>(i)]);
    }
    --m_workersRunning;
}

void Race::runVariant(Variant& variant)
{
    {
        std::lock_guard lock(variant.mutex);
        variant.started = true;
        variant.startTime = std::chrono::steady_clock::now();
    }
    std::string error;
    try {
        variant.trainer->runBlocking();
        if (variant.trainer->state() != TrainerState::Finished && !m_stopping)
            error = "training stopped early (non-finite loss or gradient)";
    } catch (const std::exception& e) {
        error = e.what();
    }
    std::lock_guard lock(variant.mutex);
    variant.wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - variant.startTime).count();
    variant.finished = true;
    variant.error = error;
}

const std::string& Race::label(int i) const { return m_variants[static_cast<std::size_t>(i)]->label; }

const TrainingHistory& Race::history(int i) const { return m_variants[static_cast<std::size_t>(i)]->trainer->history(); }

SnapshotPtr Race::latest(int i) const
{
    const Variant& v = *m_variants[static_cast<std::size_t>(i)];
    std::lock_guard lock(v.mutex);
    return v.latest;
}

std::shared_ptr<Model> Race::model(int i) const { return m_variants[static_cast<std::size_t>(i)]->model; }

std::vector<float> Race::firstGradientNorms(int i) const
{
    const auto steps = history(i).stepsSince(0);
    return steps.empty() ? std::vector<float>{} : steps.front().gradientNorms;
}

RaceResult Race::result(int i) const
{
    const Variant& v = *m_variants[static_cast<std::size_t>(i)];
    RaceResult r;
    r.label = v.label;
    r.sharedInitialWeights = v.sharedInitialWeights;
    {
        std::lock_guard lock(v.mutex);
        r.started = v.started;
        r.finished = v.finished;
        r.error = v.error;
        r.wallSeconds = v.finished || !v.started
            ? v.wallSeconds
            : std::chrono::duration<double>(std::chrono::steady_clock::now() - v.startTime).count();
    }
    const auto steps = v.trainer->history().stepsSince(0);
    const auto epochs = v.trainer->history().epochsSince(0);
    r.steps = steps.empty() ? 0 : steps.back().step;
    constexpr std::size_t window = 10;
    double sum = 0;
    for (std::size_t k = 0; k < steps.size(); ++k) {
        sum += steps[k].accuracy;
        if (k >= window)
            sum -= steps[k - window].accuracy;
        const double mean = sum / static_cast<double>(std::min(k + 1, window));
        if (k + 1 >= std::min(window, steps.size()) && mean >= m_settings.targetAccuracy) {
            r.stepsToTarget = steps[k].step;
            break;
        }
    }
    if (!epochs.empty()) {
        const EpochRecord& last = epochs.back();
        r.finalLoss = v.hasValidation ? last.validationLoss : last.trainLoss;
        r.finalAccuracy = v.hasValidation ? last.validationAccuracy : last.trainAccuracy;
    } else if (!steps.empty()) {
        r.finalLoss = steps.back().loss;
        r.finalAccuracy = steps.back().accuracy;
    }
    return r;
}

std::vector<RaceResult> Race::results() const
{
    std::vector<RaceResult> all;
    for (int i = 0; i < variantCount(); ++i)
        all.push_back(result(i));
    return all;
}

}  // namespace layerlens::core
