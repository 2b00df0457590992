#pragma once
// Dropout (inverted): in training each value is zeroed with probability `rate` and the kept
// ones are scaled by 1 / (1 - rate), so inference is the identity. Shape-preserving.
// Randomness comes from the Rng given by setRng() (the trainer's, so runs repeat with the
// seed); without one, from an internal Rng with a fixed seed.

#include "core/layers/json_float.h"
#include "core/layers/layer.h"

namespace layerlens::core {

class Dropout : public Layer {
public:
    explicit Dropout(float rate = 0.5f);

    std::string type() const override { return "Dropout"; }
    Shape outputShape(const Shape& inputShape) const override { return inputShape; }
    void forward(const Tensor& input, Tensor& output, bool training) override;
    void backward(const Tensor& input, const Tensor& output, const Tensor& gradOutput, Tensor& gradInput) override;
    nlohmann::json config() const override { return {{"type", "Dropout"}, {"rate", detail::jsonFloat(m_rate)}}; }
    std::string describe() const override;
    void setRng(Rng* rng) override { m_rng = rng; }

    float rate() const { return m_rate; }
    const Tensor& mask() const { return m_mask; }  // 0 or 1/(1-rate) per value, latest training forward

private:
    float m_rate;
    Rng* m_rng = nullptr;
    Rng m_ownRng {0xd809u};
    Tensor m_mask;
    bool m_masked = false;  // whether the latest forward applied m_mask
};

}  // namespace layerlens::core
