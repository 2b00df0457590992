#pragma once

#include "core/losses/loss.h"

namespace layerlens::core {

// Sum squared error: per sample the sum over K of (p - t)^2, then the mean over the batch
// (PyTorch mse_loss(reduction='sum') / N).
class SumSquaredError final : public Loss {
public:
    std::string name() const override { return "sse"; }
    float value(const Tensor& prediction, const Tensor& target) const override;
    void gradient(const Tensor& prediction, const Tensor& target, Tensor& gradient) const override;
};

}  // namespace layerlens::core
