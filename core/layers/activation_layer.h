#pragma once
// ActivationLayer: applies a core::Activation to every value (softmax: to each sample's row).
// Shape-preserving.

#include <optional>

#include "core/activations/activation.h"
#include "core/layers/layer.h"

namespace layerlens::core {

class ActivationLayer : public Layer {
public:
    explicit ActivationLayer(Activation activation);

    std::string type() const override { return "Activation"; }
    Shape outputShape(const Shape& inputShape) const override;
    void forward(const Tensor& input, Tensor& output, bool training) override;
    void backward(const Tensor& input, const Tensor& output, const Tensor& gradOutput, Tensor& gradInput) override;
    nlohmann::json config() const override;
    std::string describe() const override;

    const Activation& activation() const { return m_activation; }

private:
    Activation m_activation;
};

// The function an Activation layer applies; nullopt for every other layer.
std::optional<Activation> activationOfLayer(const Layer& layer);

}  // namespace layerlens::core
