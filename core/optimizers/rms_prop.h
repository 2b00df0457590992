#pragma once

#include "core/optimizers/optimizer.h"

namespace layerlens::core {

// RMSprop in PyTorch's form (no momentum, not centered): s = rho * s + (1 - rho) g^2;
// p -= lr * g / (sqrt(s) + epsilon). state(): one mean-square tensor per parameter.
class RmsProp final : public Optimizer {
public:
    explicit RmsProp(OptimizerSettings settings) : Optimizer(std::move(settings)) {}
    std::vector<Tensor*> state() override;

protected:
    void update(std::size_t index, Parameter& param) override;
    void prepare(const std::vector<Parameter*>& params) override;

private:
    std::vector<Tensor> m_square;
};

}  // namespace layerlens::core
