#include "core/optimizers/optimizer.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "core/optimizers/adagrad.h"
#include "core/optimizers/adam.h"
#include "core/optimizers/adam_w.h"
#include "core/optimizers/rms_prop.h"
#include "core/optimizers/sgd.h"
#include "core/optimizers/sgd_momentum.h"
#include "core/optimizers/sgd_nesterov.h"

namespace layerlens::core {

// Order of work, so that both clipping guarantees hold at once: regularize, scale to the global
// norm, then clamp values (clamping only shrinks, so the norm bound survives it). The working
// gradient is a copy only when it differs from param.grad; vectors and tensors are reused, so
// after the first step nothing here allocates.
void Optimizer::step(const std::vector<Parameter*>& params, std::vector<Tensor>* updates)
{
    prepare(params);
    ++m_steps;

    const std::size_t count = params.size();
    const float l1 = m_settings.l1, l2 = m_settings.l2;
    const float clipNorm = m_settings.clipNorm, clipValue = m_settings.clipValue;
    const bool regularize = l1 != 0.0f || l2 != 0.0f;
    const bool copy = regularize || clipNorm > 0.0f || clipValue > 0.0f;
    if (m_gradients.size() != count)
        m_gradients.assign(count, nullptr);
    if (copy && m_workspace.size() != count)
        m_workspace.resize(count);

    for (std::size_t i = 0; i < count; ++i) {
        Parameter& param = *params[i];
        if (!param.trainable)
            continue;
        if (param.grad.size() != param.value.size())
            throw std::invalid_argument("Optimizer::step: parameter " + std::to_string(i) + " (\"" + param.name
                                        + "\") has value shape " + shapeToString(param.value.shape())
                                        + " but gradient shape " + shapeToString(param.grad.shape()));
        if (!copy) {
            m_gradients[i] = &param.grad;
            continue;
        }
        Tensor& work = m_workspace[i];
        work.copyFrom(param.grad);
        work.reshape(param.value.shape());
        if (regularize) {
            auto g = work.vector().array();
            const auto p = param.value.vector().array();
            if (l2 != 0.0f)
                g += l2 * p;
            if (l1 != 0.0f)
                g += l1 * p.sign();
        }
        m_gradients[i] = &work;
    }

    if (clipNorm > 0.0f) {
        double squared = 0.0;
        for (std::size_t i = 0; i < count; ++i)
            if (params[i]->trainable)
                squared += static_cast<double>(m_workspace[i].vector().squaredNorm());
        const double norm = std::sqrt(squared);
        if (norm > clipNorm) {
            const auto scale = static_cast<float>(clipNorm / norm);
            for (std::size_t i = 0; i < count; ++i)
                if (params[i]->trainable)
                    m_workspace[i].vector() *= scale;
        }
    }
    if (clipValue > 0.0f) {
        for (std::size_t i = 0; i < count; ++i)
            if (params[i]->trainable)
                m_workspace[i].vector() = m_workspace[i].vector().cwiseMax(-clipValue).cwiseMin(clipValue);
    }

    if (updates && updates->size() != count)
        updates->resize(count);
    for (std::size_t i = 0; i < count; ++i) {
        Parameter& param = *params[i];
        if (!param.trainable) {
            if (updates) {
                (*updates)[i].resize(param.value.shape());
                (*updates)[i].setZero();
            }
            continue;
        }
        if (updates)
            (*updates)[i].copyFrom(param.value);  // the old value, turned into the change below
        update(i, param);
        if (updates)
            (*updates)[i].vector() = param.value.vector() - (*updates)[i].vector();
    }
}

nlohmann::json Optimizer::config() const
{
    const auto& s = m_settings;
    return nlohmann::json{{"kind", s.kind},
                          {"learning_rate", s.learningRate},
                          {"momentum", s.momentum},
                          {"beta1", s.beta1},
                          {"beta2", s.beta2},
                          {"epsilon", s.epsilon},
                          {"rho", s.rho},
                          {"weight_decay", s.weightDecay},
                          {"l1", s.l1},
                          {"l2", s.l2},
                          {"clip_norm", s.clipNorm},
                          {"clip_value", s.clipValue}};
}

std::unique_ptr<Optimizer> Optimizer::create(const OptimizerSettings& settings)
{
    std::string kind = settings.kind;
    std::transform(kind.begin(), kind.end(), kind.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!(settings.learningRate >= 0.0f) || !std::isfinite(settings.learningRate))
        throw std::invalid_argument("optimizer \"" + settings.kind + "\": learning rate must be a finite number >= 0, found "
                                    + std::to_string(settings.learningRate));
    OptimizerSettings normalized = settings;
    normalized.kind = kind;
    if (kind == "sgd")
        return std::make_unique<Sgd>(normalized);
    if (kind == "momentum" || kind == "sgd_momentum")
        return std::make_unique<SgdMomentum>((normalized.kind = "momentum", normalized));
    if (kind == "nesterov" || kind == "sgd_nesterov")
        return std::make_unique<SgdNesterov>((normalized.kind = "nesterov", normalized));
    if (kind == "rmsprop")
        return std::make_unique<RmsProp>(normalized);
    if (kind == "adagrad")
        return std::make_unique<Adagrad>(normalized);
    if (kind == "adam")
        return std::make_unique<Adam>(normalized);
    if (kind == "adamw")
        return std::make_unique<AdamW>(normalized);
    throw std::invalid_argument("unknown optimizer \"" + settings.kind
                                + "\"; known optimizers: sgd, momentum, nesterov, rmsprop, adagrad, adam, adamw");
}

// step counts optimizer steps done (0 for the first update). stepSize and totalSteps count from
// the end of the warm-up, so a warm-up delays the schedule rather than eating into it.
float LearningRateSchedule::rateAt(float baseRate, long long step) const
{
    step = std::max(step, 0LL);
    // Linear warm-up reaches the base rate at step warmupSteps - 1 (the first step already moves).
    if (warmupSteps > 0 && step < warmupSteps)
        return baseRate * static_cast<float>(step + 1) / static_cast<float>(warmupSteps);
    const double s = static_cast<double>(step - std::max(warmupSteps, 0));
    const double base = baseRate;
    const double size = std::max(stepSize, 1);
    if (kind == "constant")
        return baseRate;
    if (kind == "step")
        return static_cast<float>(base * std::pow(static_cast<double>(gamma), std::floor(s / size)));
    if (kind == "exponential")
        return static_cast<float>(base * std::pow(static_cast<double>(gamma), s / size));
    if (kind == "cosine") {
        if (totalSteps <= 0)
            return minRate;
        const double progress = std::min(s / totalSteps, 1.0);
        return static_cast<float>(minRate + (base - minRate) * 0.5 * (1.0 + std::cos(std::numbers::pi * progress)));
    }
    throw std::invalid_argument("unknown learning-rate schedule \"" + kind
                                + "\"; known schedules: constant, step, exponential, cosine");
}

}  // namespace layerlens::core
