#pragma once

#include "core/optimizers/optimizer.h"

namespace layerlens::core {

// Adam in PyTorch's form: m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2,
// p -= lr * m_hat / (sqrt(v_hat) + epsilon) with bias-corrected m_hat, v_hat (epsilon added after the
// square root). state(): per parameter, its first then its second moment (m0, v0, m1, v1, ...).
class Adam : public Optimizer {
public:
    explicit Adam(OptimizerSettings settings) : Optimizer(std::move(settings)) {}
    std::vector<Tensor*> state() override;

protected:
    void update(std::size_t index, Parameter& param) override;
    void prepare(const std::vector<Parameter*>& params) override;

    std::vector<Tensor> m_first;
    std::vector<Tensor> m_second;
};

}  // namespace layerlens::core
