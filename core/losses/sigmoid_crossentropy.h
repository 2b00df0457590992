#pragma once

#include "core/losses/loss.h"

namespace layerlens::core {

// Multi-label sigmoid cross-entropy from logits: max(z, 0) - z t + log(1 + exp(-|z|)), mean over all
// N*K values (PyTorch binary_cross_entropy_with_logits 'mean', Keras from_logits=True).
class SigmoidCrossentropy final : public Loss {
public:
    std::string name() const override { return "sigmoid_crossentropy"; }
    bool expectsLogits() const override { return true; }
    float value(const Tensor& prediction, const Tensor& target) const override;
    void gradient(const Tensor& prediction, const Tensor& target, Tensor& gradient) const override;
};

}  // namespace layerlens::core
