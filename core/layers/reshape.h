#pragma once
// Reshape: (N, ...) -> (N, target_shape...). One target axis may be -1 (inferred, as in Keras).

#include "core/layers/layer.h"

namespace layerlens::core {

class Reshape : public Layer {
public:
    explicit Reshape(Shape targetShape);

    std::string type() const override { return "Reshape"; }
    Shape outputShape(const Shape& inputShape) const override;
    void build(const Shape& inputShape, Rng& rng) override;
    void forward(const Tensor& input, Tensor& output, bool training) override;
    void backward(const Tensor& input, const Tensor& output, const Tensor& gradOutput, Tensor& gradInput) override;
    nlohmann::json config() const override { return {{"type", "Reshape"}, {"target_shape", m_targetShape}}; }
    std::string describe() const override { return "to " + shapeToString(m_targetShape); }

    const Shape& targetShape() const { return m_targetShape; }

private:
    Shape m_targetShape;
    Shape m_batchShape;  // (N, resolved target...) of the latest forward, reused to avoid allocation
};

}  // namespace layerlens::core
