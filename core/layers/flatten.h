#pragma once
// Flatten: (N, d1, d2, ...) -> (N, d1 * d2 * ...). Row-major order, so (C, H, W) flattens
// channel by channel (PyTorch order; Keras channels_last models need a permutation on import).

#include "core/layers/layer.h"

namespace layerlens::core {

class Flatten : public Layer {
public:
    std::string type() const override { return "Flatten"; }
    Shape outputShape(const Shape& inputShape) const override;
    void forward(const Tensor& input, Tensor& output, bool training) override;
    void backward(const Tensor& input, const Tensor& output, const Tensor& gradOutput, Tensor& gradInput) override;
    nlohmann::json config() const override { return {{"type", "Flatten"}}; }

private:
    Shape m_scratchShape;
};

}  // namespace layerlens::core
