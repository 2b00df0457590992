#pragma once

#include "core/losses/loss.h"

namespace layerlens::core {

// Categorical cross-entropy from logits: softmax and cross-entropy fused, -sum_k t_k log_softmax(z)_k
// per sample, mean over the batch (PyTorch cross_entropy with probability targets, 'mean').
// Stable for any logits (log-sum-exp); target rows may be one-hot or soft.
class SoftmaxCrossentropy final : public Loss {
public:
    std::string name() const override { return "categorical_crossentropy_logits"; }
    bool expectsLogits() const override { return true; }
    float value(const Tensor& prediction, const Tensor& target) const override;
    void gradient(const Tensor& prediction, const Tensor& target, Tensor& gradient) const override;
};

}  // namespace layerlens::core
