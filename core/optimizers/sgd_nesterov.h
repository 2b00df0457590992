#pragma once

#include "core/optimizers/optimizer.h"

namespace layerlens::core {

// SGD with Nesterov momentum in PyTorch's form: v = momentum * v + g; p -= lr * (g + momentum * v).
// state(): one velocity tensor per parameter.
class SgdNesterov final : public Optimizer {
public:
    explicit SgdNesterov(OptimizerSettings settings) : Optimizer(std::move(settings)) {}
    std::vector<Tensor*> state() override;

protected:
    void update(std::size_t index, Parameter& param) override;
    void prepare(const std::vector<Parameter*>& params) override;

private:
    std::vector<Tensor> m_velocity;
};

}  // namespace layerlens::core
