#pragma once

#include "core/optimizers/optimizer.h"

namespace layerlens::core {

// Plain stochastic gradient descent: p -= lr * g.
class Sgd final : public Optimizer {
public:
    explicit Sgd(OptimizerSettings settings) : Optimizer(std::move(settings)) {}
    std::vector<Tensor*> state() override;

protected:
    void update(std::size_t index, Parameter& param) override;
    void prepare(const std::vector<Parameter*>& params) override;
};

}  // namespace layerlens::core
