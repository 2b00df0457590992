#pragma once

#include "core/losses/loss.h"

namespace layerlens::core {

// Mean squared error: mean over all N*K values of (p - t)^2 (Keras 'mse', PyTorch mse_loss 'mean').
class MeanSquaredError final : public Loss {
public:
    std::string name() const override { return "mse"; }
    float value(const Tensor& prediction, const Tensor& target) const override;
    void gradient(const Tensor& prediction, const Tensor& target, Tensor& gradient) const override;
};

}  // namespace layerlens::core
