#pragma once
// Rescaling: y = x * scale + offset, element-wise, shape-preserving, no parameters.
// Keras puts it at the front of image models to map pixel values 0..255 to 0..1 (scale 1/255)
// or -1..1 (scale 1/127.5, offset -1); converted Keras models keep it as a layer of its own.
// Schema: {"type": "Rescaling", "scale": 0.00392157, "offset": 0}

#include "core/layers/layer.h"

namespace layerlens::core {

class Rescaling : public Layer {
public:
    explicit Rescaling(float scale = 1.0f, float offset = 0.0f);

    std::string type() const override { return "Rescaling"; }
    Shape outputShape(const Shape& inputShape) const override { return inputShape; }
    void forward(const Tensor& input, Tensor& output, bool training) override;
    void backward(const Tensor& input, const Tensor& output, const Tensor& gradOutput, Tensor& gradInput) override;
    nlohmann::json config() const override;
    std::string describe() const override;

    // Throws std::invalid_argument naming the field when scale or offset is not a finite number.
    // For the layer factory: {"type": "Rescaling", "scale": .., "offset": .., "name": ..}.
    static LayerPtr fromJson(const nlohmann::json& description);

    float scale() const { return m_scale; }
    float offset() const { return m_offset; }

private:
    float m_scale;
    float m_offset;
};

}  // namespace layerlens::core
