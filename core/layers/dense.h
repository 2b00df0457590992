#pragma once
// Dense (fully connected): y = x W^T + b.
// input (N, F) -> output (N, units); kernel (units, F) in PyTorch layout, bias (units).

#include "core/layers/initializers.h"
#include "core/layers/layer.h"

namespace layerlens::core {

class Dense : public Layer {
public:
    explicit Dense(int units, bool useBias = true, Initializer kernelInitializer = Initializer::glorotUniform());

    std::string type() const override { return "Dense"; }
    Shape outputShape(const Shape& inputShape) const override;
    void build(const Shape& inputShape, Rng& rng) override;
    void forward(const Tensor& input, Tensor& output, bool training) override;
    void backward(const Tensor& input, const Tensor& output, const Tensor& gradOutput, Tensor& gradInput) override;
    std::vector<Parameter*> parameters() override;
    std::size_t parameterCountFor(const Shape& inputShape) const override;
    nlohmann::json config() const override;
    std::string describe() const override;

    int units() const { return m_units; }
    bool useBias() const { return m_useBias; }
    Parameter& kernel() { return m_kernel; }
    Parameter& bias() { return m_bias; }

private:
    int m_units;
    bool m_useBias;
    Initializer m_kernelInitializer;
    int m_inputs = 0;
    Parameter m_kernel {"kernel", {}, {}, true};  // (units, inputs)
    Parameter m_bias {"bias", {}, {}, true};      // (units)
    Shape m_scratchShape;
};

}  // namespace layerlens::core
