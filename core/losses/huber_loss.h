#pragma once

#include "core/losses/loss.h"

namespace layerlens::core {

// Huber loss with threshold delta: 0.5 d^2 where |d| <= delta, else delta (|d| - 0.5 delta), d = p - t;
// mean over all N*K values (Keras Huber, PyTorch huber_loss 'mean').
class HuberLoss final : public Loss {
public:
    explicit HuberLoss(float delta = 1.0f) : m_delta(delta) {}
    float delta() const { return m_delta; }
    std::string name() const override { return "huber"; }
    float value(const Tensor& prediction, const Tensor& target) const override;
    void gradient(const Tensor& prediction, const Tensor& target, Tensor& gradient) const override;

private:
    float m_delta;
};

}  // namespace layerlens::core
