#include "core/layers/rescaling.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace layerlens::core {

namespace {

// Settings are floats; written to JSON they should read 0.00392157, not 0.003921568859368563.
double shortest(float value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.7g", static_cast<double>(value));
    return std::strtod(text, nullptr);
}

}  // namespace

Rescaling::Rescaling(float scale, float offset) : m_scale(scale), m_offset(offset)
{
    if (!std::isfinite(scale) || !std::isfinite(offset))
        throw std::invalid_argument("Rescaling: \"scale\" and \"offset\" must be finite numbers");
}

void Rescaling::forward(const Tensor& input, Tensor& output, bool training)
{
    (void)training;
    output.resize(input.shape());
    output.vector() = input.vector() * m_scale + Eigen::VectorXf::Constant(static_cast<Eigen::Index>(input.size()), m_offset);
}

void Rescaling::backward(const Tensor& input, const Tensor& output, const Tensor& gradOutput, Tensor& gradInput)
{
    (void)input;
    (void)output;
    gradInput.resize(gradOutput.shape());
    gradInput.vector() = gradOutput.vector() * m_scale;
}

nlohmann::json Rescaling::config() const
{
    return {{"type", "Rescaling"}, {"scale", shortest(m_scale)}, {"offset", shortest(m_offset)}};
}

std::string Rescaling::describe() const
{
    char text[64];
    std::snprintf(text, sizeof text, "x * %g + %g", static_cast<double>(m_scale), static_cast<double>(m_offset));
    return text;
}

LayerPtr Rescaling::fromJson(const nlohmann::json& description)
{
    auto number = [&description](const char* key, float fallback) {
        if (!description.contains(key))
            return fallback;
        if (!description[key].is_number())
            throw std::invalid_argument(std::string("Rescaling: field \"") + key + "\" must be a number, found "
                                        + description[key].dump());
        return description[key].get<float>();
    };
    auto layer = std::make_unique<Rescaling>(number("scale", 1.0f), number("offset", 0.0f));
    if (description.contains("name") && description["name"].is_string())
        layer->setName(description["name"].get<std::string>());
    return layer;
}

}  // namespace layerlens::core
