#pragma once

#include "core/optimizers/optimizer.h"

namespace layerlens::core {

// Adagrad in PyTorch's form (initial accumulator 0, no lr decay): s += g^2; p -= lr * g / (sqrt(s) + epsilon).
// state(): one accumulator tensor per parameter.
class Adagrad final : public Optimizer {
public:
    explicit Adagrad(OptimizerSettings settings) : Optimizer(std::move(settings)) {}
    std::vector<Tensor*> state() override;

protected:
    void update(std::size_t index, Parameter& param) override;
    void prepare(const std::vector<Parameter*>& params) override;

private:
    std::vector<Tensor> m_sum;
};

}  // namespace layerlens::core
