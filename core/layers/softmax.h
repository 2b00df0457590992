#pragma once
// Softmax over each sample's features: (N, K) -> (N, K), rows sum to 1.
// Numerically stable (subtracts the row maximum); backward is the exact Jacobian-vector
// product dx = y * (dy - sum(dy * y)).

#include "core/layers/layer.h"

namespace layerlens::core {

class Softmax : public Layer {
public:
    std::string type() const override { return "Softmax"; }
    Shape outputShape(const Shape& inputShape) const override;
    void forward(const Tensor& input, Tensor& output, bool training) override;
    void backward(const Tensor& input, const Tensor& output, const Tensor& gradOutput, Tensor& gradInput) override;
    nlohmann::json config() const override { return {{"type", "Softmax"}}; }
    std::string describe() const override { return "over features"; }
};

}  // namespace layerlens::core
