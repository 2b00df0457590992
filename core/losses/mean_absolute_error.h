#pragma once

#include "core/losses/loss.h"

namespace layerlens::core {

// Mean absolute error: mean over all N*K values of |p - t| (Keras 'mae', PyTorch l1_loss 'mean').
// The gradient at p == t is 0, as in PyTorch (sign(0) = 0).
class MeanAbsoluteError final : public Loss {
public:
    std::string name() const override { return "mae"; }
    float value(const Tensor& prediction, const Tensor& target) const override;
    void gradient(const Tensor& prediction, const Tensor& target, Tensor& gradient) const override;
};

}  // namespace layerlens::core
