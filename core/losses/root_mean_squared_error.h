#pragma once

#include "core/losses/loss.h"

namespace layerlens::core {

// Root mean squared error: sqrt of the mean over all N*K values of (p - t)^2 (as Keras'
// RootMeanSquaredError metric). Its gradient is taken as 0 when the error is exactly 0.
class RootMeanSquaredError final : public Loss {
public:
    std::string name() const override { return "rmse"; }
    float value(const Tensor& prediction, const Tensor& target) const override;
    void gradient(const Tensor& prediction, const Tensor& target, Tensor& gradient) const override;
};

}  // namespace layerlens::core
