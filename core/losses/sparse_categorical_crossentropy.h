#pragma once

#include "core/losses/loss.h"

namespace layerlens::core {

// Sparse categorical cross-entropy from logits: -log_softmax(z)_c for the class index c of each sample,
// mean over the batch (PyTorch cross_entropy with class targets, 'mean'). Target: (N) or (N, 1)
// class indices stored as floats.
class SparseCategoricalCrossentropy final : public Loss {
public:
    std::string name() const override { return "sparse_categorical_crossentropy"; }
    bool wantsClassIndices() const override { return true; }
    bool expectsLogits() const override { return true; }
    float value(const Tensor& prediction, const Tensor& target) const override;
    void gradient(const Tensor& prediction, const Tensor& target, Tensor& gradient) const override;
};

}  // namespace layerlens::core
