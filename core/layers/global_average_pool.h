#pragma once
// GlobalAveragePool: mean over all spatial positions of each channel.
// input (N, C, H, W) -> output (N, C).

#include "core/layers/layer.h"

namespace layerlens::core {

class GlobalAveragePool : public Layer {
public:
    std::string type() const override { return "GlobalAveragePool"; }
    Shape outputShape(const Shape& inputShape) const override;
    void forward(const Tensor& input, Tensor& output, bool training) override;
    void backward(const Tensor& input, const Tensor& output, const Tensor& gradOutput, Tensor& gradInput) override;
    nlohmann::json config() const override { return {{"type", "GlobalAveragePool"}}; }
    std::string describe() const override { return "mean per channel"; }

private:
    Shape m_scratchShape;
};

}  // namespace layerlens::core
