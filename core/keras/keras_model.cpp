#include "core/keras/keras_model.h"

#include <sstream>


namespace layerlens::core {

namespace {

// Same as thousands() in model.cpp; repeated so that reading a Keras file does not pull in
// the model (and with it the layer factory).
std::string thousands(std::size_t n)
{
    std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out += ',';
        out += digits[i];
    }
    return out;
}

}  // namespace

const KerasWeight* KerasLayer::weight(const std::string& role) const
{
    for (const auto& w : weights)
        if (w.name == role)
            return &w;
    return nullptr;
}

std::size_t KerasLayer::valueCount() const
{
    std::size_t n = 0;
    for (const auto& w : weights)
        n += w.values.size();
    return n;
}

const KerasLayer* KerasModel::findLayer(const std::string& name) const
{
    for (const auto& layer : layers)
        if (layer.name == name)
            return &layer;
    return nullptr;
}

std::size_t KerasModel::storedValueCount() const
{
    std::size_t n = 0;
    for (const auto& layer : layers)
        n += layer.valueCount();
    return n;
}

std::size_t KerasModel::trainableValueCount() const
{
    std::size_t n = 0;
    for (const auto& layer : layers) {
        if (layer.config.is_object() && layer.config.contains("trainable") && layer.config["trainable"] == false)
            continue;
        for (const auto& w : layer.weights)
            if (w.name != "moving_mean" && w.name != "moving_variance")
                n += w.values.size();
    }
    return n;
}

std::string KerasModel::summary() const
{
    auto pad = [](std::string s, std::size_t width) {
        if (s.size() < width)
            s.append(width - s.size(), ' ');
        return s + " ";
    };
    std::ostringstream out;
    out << "Model: \"" << (modelName.empty() ? std::string("?") : modelName) << "\" ("
        << (modelClassName.empty() ? std::string("weights only") : modelClassName) << ", " << format;
    if (!kerasVersion.empty())
        out << ", Keras " << kerasVersion;
    out << ")\n";
    if (!inputShape.empty()) {
        out << "Input shape (channels-last): (None";
        for (int d : inputShape)
            out << ", " << (d < 0 ? std::string("None") : std::to_string(d));
        out << ")\n";
    }
    const std::string rule(102, '_');
    out << rule << "\n"
        << pad("Layer (type)", 46) << pad("Weights", 32) << pad("Values", 10) << "Inbound\n"
        << std::string(102, '=') << "\n";
    for (const auto& layer : layers) {
        std::string weightText;
        for (const auto& w : layer.weights) {
            if (!weightText.empty())
                weightText += " ";
            weightText += shapeToString(w.shape);
        }
        std::string inboundText;
        for (const auto& name : layer.inbound)
            inboundText += (inboundText.empty() ? "" : ", ") + name;
        out << pad(layer.name + " (" + (layer.className.empty() ? std::string("?") : layer.className) + ")", 46)
            << pad(weightText, 32) << pad(thousands(layer.valueCount()), 10) << inboundText << "\n";
    }
    out << rule << "\n";
    out << "Stored values: " << thousands(storedValueCount()) << "\n";
    if (hasConfig()) {
        out << "Trainable: " << thousands(trainableValueCount()) << "\n";
        out << "Non-trainable: " << thousands(storedValueCount() - trainableValueCount()) << "\n";
    }
    return out.str();
}

}  // namespace layerlens::core
