#include "core/layers/activation_layer.h"

#include "core/layers/json_float.h"

namespace layerlens::core {

namespace {
bool usesAlpha(ActivationKind kind)
{
    return kind == ActivationKind::LeakyRelu || kind == ActivationKind::Elu;
}
}  // namespace

ActivationLayer::ActivationLayer(Activation activation)
    : m_activation(activation)
{
}

Shape ActivationLayer::outputShape(const Shape& inputShape) const
{
    if (inputShape.empty() || shapeSize(inputShape) == 0)
        throw ShapeError("Activation expects a non-empty input shape, found " + shapeToString(inputShape));
    return inputShape;
}

void ActivationLayer::forward(const Tensor& input, Tensor& output, bool training)
{
    (void)training;
    output.resize(input.shape());
    // ReLU is most of the activations in a CNN; a vectorized path keeps it off the profile.
    // Same definition as Activation: max(x, 0), derivative 0 at x <= 0.
    if (m_activation.kind == ActivationKind::Relu) {
        output.vector() = input.vector().cwiseMax(0.0f);
        return;
    }
    m_activation.forward(input.data(), output.data(), input.size(), input.sampleSize());
}

void ActivationLayer::backward(const Tensor& input, const Tensor& output, const Tensor& gradOutput,
                               Tensor& gradInput)
{
    gradInput.resize(input.shape());
    if (m_activation.kind == ActivationKind::Relu) {
        gradInput.vector() = (input.vector().array() > 0.0f).select(gradOutput.vector(), 0.0f);
        return;
    }
    m_activation.backward(input.data(), output.data(), gradOutput.data(), gradInput.data(), input.size(),
                          input.sampleSize());
}

nlohmann::json ActivationLayer::config() const
{
    nlohmann::json c = {{"type", "Activation"}, {"activation", m_activation.name()}};
    if (usesAlpha(m_activation.kind))
        c["alpha"] = detail::jsonFloat(m_activation.alpha);
    return c;
}

std::string ActivationLayer::describe() const
{
    std::string text = m_activation.name();
    if (usesAlpha(m_activation.kind)) {
        char alpha[32];
        std::snprintf(alpha, sizeof alpha, " (alpha %g)", static_cast<double>(m_activation.alpha));
        text += alpha;
    }
    return text;
}

std::optional<Activation> activationOfLayer(const Layer& layer)
{
    if (const auto* activationLayer = dynamic_cast<const ActivationLayer*>(&layer))
        return activationLayer->activation();
    return std::nullopt;
}

}  // namespace layerlens::core
