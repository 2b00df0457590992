#pragma once

#include "core/losses/loss.h"

namespace layerlens::core {

// Multi-class focal loss from logits (Lin et al. 2017): p = softmax(z) and per sample
// -alpha sum_k t_k (1 - p_k)^gamma log p_k, which for one-hot targets is -alpha (1 - p_t)^gamma log p_t;
// mean over the batch. gamma = 0, alpha = 1 gives categorical_crossentropy_logits.
class FocalLoss final : public Loss {
public:
    explicit FocalLoss(float gamma = 2.0f, float alpha = 0.25f) : m_gamma(gamma), m_alpha(alpha) {}
    float gamma() const { return m_gamma; }
    float alpha() const { return m_alpha; }
    std::string name() const override { return "focal"; }
    bool expectsLogits() const override { return true; }
    float value(const Tensor& prediction, const Tensor& target) const override;
    void gradient(const Tensor& prediction, const Tensor& target, Tensor& gradient) const override;

private:
    float m_gamma;
    float m_alpha;
};

}  // namespace layerlens::core
