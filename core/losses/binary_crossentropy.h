#pragma once

#include "core/losses/loss.h"

namespace layerlens::core {

// Binary cross-entropy on probabilities: -(t log p + (1 - t) log(1 - p)), mean over all N*K values
// (Keras binary_crossentropy, PyTorch binary_cross_entropy 'mean'). p is clamped to
// [1e-7, 1 - 1e-7] as Keras does; the gradient is evaluated at the clamped p (never zero), so a
// confidently wrong sigmoid output still gets pushed back.
class BinaryCrossentropy final : public Loss {
public:
    std::string name() const override { return "binary_crossentropy"; }
    float value(const Tensor& prediction, const Tensor& target) const override;
    void gradient(const Tensor& prediction, const Tensor& target, Tensor& gradient) const override;
};

}  // namespace layerlens::core
