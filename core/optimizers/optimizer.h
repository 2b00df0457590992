#pragma once
// Optimizer: updates parameters from their gradients. Per-parameter state (momentum, moments)
// is kept in the order of the parameter list it is given, which must not change between steps.

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/layers/parameter.h"

namespace layerlens::core {

struct OptimizerSettings {
    std::string kind = "adam";  // sgd, momentum, nesterov, rmsprop, adagrad, adam, adamw
    float learningRate = 0.001f;
    float momentum = 0.9f;       // momentum / nesterov
    float beta1 = 0.9f, beta2 = 0.999f, epsilon = 1e-7f;  // adam(w); rho = beta2 for rmsprop... see rho
    float rho = 0.9f;            // rmsprop
    float weightDecay = 0.01f;   // adamw (decoupled)
    float l1 = 0.0f, l2 = 0.0f;  // regularization added to the gradient
    float clipNorm = 0.0f;       // > 0: scale gradients so their global L2 norm is at most this
    float clipValue = 0.0f;      // > 0: clamp each gradient value to [-clipValue, clipValue]
};

class Optimizer {
public:
    virtual ~Optimizer() = default;
    explicit Optimizer(OptimizerSettings settings) : m_settings(std::move(settings)) {}

    const OptimizerSettings& settings() const { return m_settings; }
    float learningRate() const { return m_settings.learningRate; }
    void setLearningRate(float lr) { m_settings.learningRate = lr; }
    long long stepCount() const { return m_steps; }

    // Applies regularization and clipping to the gradients, then updates every trainable
    // parameter. If `updates` is not null it receives, per parameter, the applied change
    // (new value - old value), for update-to-weight statistics.
    void step(const std::vector<Parameter*>& params, std::vector<Tensor>* updates = nullptr);

    // Sizes the per-parameter state for this list without updating anything (before restoring).
    void initialize(const std::vector<Parameter*>& params) { prepare(params); }

    // Optimizer state for saving and resuming (moments etc.), in parameter order.
    virtual std::vector<Tensor*> state() = 0;
    nlohmann::json config() const;
    void setStepCount(long long steps) { m_steps = steps; }

    static std::unique_ptr<Optimizer> create(const OptimizerSettings& settings);  // throws on unknown kind

protected:
    // The gradient update() must use for parameter `index`: param.grad plus the L1/L2 terms, clipped.
    // param.grad itself is never modified (it stays the pure loss gradient the views display).
    const Tensor& workingGradient(std::size_t index) const { return *m_gradients[index]; }

    // Update one parameter (index i in the list) with its already-regularized, clipped gradient.
    virtual void update(std::size_t index, Parameter& param) = 0;
    // Called once per step before update(), with the parameter list (to size state lazily).
    virtual void prepare(const std::vector<Parameter*>& params) = 0;

    OptimizerSettings m_settings;
    long long m_steps = 0;

private:
    std::vector<Tensor> m_workspace;         // regularized/clipped gradient copies (when needed)
    std::vector<const Tensor*> m_gradients;  // per parameter: &param.grad or &m_workspace[i]
};

// Learning-rate schedule: the rate to use at a given step, from the base rate.
struct LearningRateSchedule {
    std::string kind = "constant";  // constant, step, exponential, cosine
    int stepSize = 1000;            // step: multiply by gamma every stepSize steps
    float gamma = 0.5f;             // step / exponential decay factor (exponential: per stepSize steps)
    int totalSteps = 10000;         // cosine: steps to reach minRate
    float minRate = 0.0f;
    int warmupSteps = 0;            // linear warm-up from 0 before the schedule starts
    float rateAt(float baseRate, long long step) const;
};

}  // namespace layerlens::core
