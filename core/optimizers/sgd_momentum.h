#pragma once

#include "core/optimizers/optimizer.h"

namespace layerlens::core {

// SGD with momentum in PyTorch's form (dampening 0): v = momentum * v + g; p -= lr * v.
// (Keras folds lr into v instead; the two agree while lr is constant.)
// state(): one velocity tensor per parameter.
class SgdMomentum final : public Optimizer {
public:
    explicit SgdMomentum(OptimizerSettings settings) : Optimizer(std::move(settings)) {}
    std::vector<Tensor*> state() override;

protected:
    void update(std::size_t index, Parameter& param) override;
    void prepare(const std::vector<Parameter*>& params) override;

private:
    std::vector<Tensor> m_velocity;
};

}  // namespace layerlens::core
