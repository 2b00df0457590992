#include "core/model/model.h"

#include <algorithm>
#include <map>
#include <sstream>

#include "core/model/layer_factory.h"

namespace layerlens::core {

std::string formatThousands(std::size_t n)
{
    std::string digits = std::to_string(n);
    std::string out;
    const int len = static_cast<int>(digits.size());
    for (int i = 0; i < len; ++i) {
        if (i > 0 && (len - i) % 3 == 0)
            out += ',';
        out += digits[static_cast<std::size_t>(i)];
    }
    return out;
}

void Model::add(LayerPtr layer)
{
    m_layers.push_back(std::move(layer));
    m_built = false;
}

void Model::insert(int index, LayerPtr layer)
{
    m_layers.insert(m_layers.begin() + index, std::move(layer));
    m_built = false;
}

LayerPtr Model::remove(int index)
{
    LayerPtr layer = std::move(m_layers[static_cast<std::size_t>(index)]);
    m_layers.erase(m_layers.begin() + index);
    m_built = false;
    return layer;
}

std::vector<LayerShapeCheck> Model::checkShapes() const
{
    std::vector<LayerShapeCheck> checks(m_layers.size());
    Shape shape = m_inputShape;
    bool broken = m_inputShape.empty();
    for (std::size_t i = 0; i < m_layers.size(); ++i) {
        if (broken) {
            checks[i].error = m_inputShape.empty() ? "the model has no input shape" : "an earlier layer does not fit";
            continue;
        }
        try {
            const Shape input = shape;
            shape = m_layers[i]->outputShape(shape);
            checks[i].outputShape = shape;
            // Unbuilt layers report what they would hold for this input, without allocating.
            checks[i].parameters = m_built ? m_layers[i]->parameterCount() : m_layers[i]->parameterCountFor(input);
        } catch (const std::exception& e) {
            checks[i].error = e.what();
            broken = true;
        }
    }
    return checks;
}

void Model::build(std::uint64_t seed)
{
    if (m_inputShape.empty())
        throw ModelError("the model has no input shape", -1);
    if (m_layers.empty())
        throw ModelError("the model has no layers", -1);
    std::map<std::string, int> typeCounts;
    for (auto& layer : m_layers) {
        if (layer->name().empty()) {
            std::string base = layer->type();
            std::transform(base.begin(), base.end(), base.begin(), [](unsigned char c) { return std::tolower(c); });
            layer->setName(base + "_" + std::to_string(++typeCounts[base]));
        }
    }
    Rng rng(seed);
    m_outputShapes.clear();
    Shape shape = m_inputShape;
    for (std::size_t i = 0; i < m_layers.size(); ++i) {
        Layer& layer = *m_layers[i];
        Shape out;
        try {
            out = layer.outputShape(shape);
        } catch (const std::exception& e) {
            throw ModelError("layer " + std::to_string(i) + " '" + layer.name() + "' (" + layer.type()
                                 + ") cannot take input of shape " + shapeToString(shape) + ": " + e.what(),
                             static_cast<int>(i));
        }
        layer.build(shape, rng);
        layer.setInputGradientNeeded(i > 0);
        layer.setFrozen(layer.isFrozen());
        m_outputShapes.push_back(out);
        shape = out;
    }
    m_outputs.assign(m_layers.size(), Tensor());
    m_inputGradients.assign(m_layers.size(), Tensor());
    m_built = true;
}

Shape Model::outputShape() const
{
    if (m_built)
        return m_outputShapes.back();
    Shape shape = m_inputShape;
    for (const auto& layer : m_layers)
        shape = layer->outputShape(shape);
    return shape;
}

const Tensor& Model::forward(const Tensor& input, bool training)
{
    const Tensor* current = &input;
    for (std::size_t i = 0; i < m_layers.size(); ++i) {
        m_layers[i]->forward(*current, m_outputs[i], training);
        current = &m_outputs[i];
    }
    m_input.copyFrom(input);
    return m_outputs.back();
}

void Model::backward(const Tensor& gradOutput)
{
    const Tensor* grad = &gradOutput;
    for (int i = static_cast<int>(m_layers.size()) - 1; i >= 0; --i) {
        const auto idx = static_cast<std::size_t>(i);
        m_layers[idx]->backward(layerInput(i), m_outputs[idx], *grad, m_inputGradients[idx]);
        grad = &m_inputGradients[idx];
    }
    m_outputGradient.copyFrom(gradOutput);
}

void Model::setInput(const Tensor& input) { m_input.copyFrom(input); }

void Model::forwardLayer(int i, bool training)
{
    const auto idx = static_cast<std::size_t>(i);
    m_layers[idx]->forward(layerInput(i), m_outputs[idx], training);
}

void Model::setOutputGradient(const Tensor& gradOutput) { m_outputGradient.copyFrom(gradOutput); }

void Model::backwardLayer(int i)
{
    const auto idx = static_cast<std::size_t>(i);
    m_layers[idx]->backward(layerInput(i), m_outputs[idx], gradientAtOutput(i), m_inputGradients[idx]);
}

const Tensor& Model::gradientAtOutput(int i) const
{
    return i + 1 == layerCount() ? m_outputGradient : m_inputGradients[static_cast<std::size_t>(i + 1)];
}

std::vector<Parameter*> Model::parameters()
{
    std::vector<Parameter*> all;
    for (auto& layer : m_layers)
        for (Parameter* p : layer->parameters())
            all.push_back(p);
    return all;
}

std::vector<Parameter*> Model::trainableParameters()
{
    std::vector<Parameter*> trainable;
    for (Parameter* p : parameters())
        if (p->trainable)
            trainable.push_back(p);
    return trainable;
}

std::size_t Model::parameterCount() const
{
    std::size_t n = 0;
    for (const auto& layer : m_layers)
        n += layer->parameterCount() + layer->bufferCount();
    return n;
}

std::size_t Model::trainableParameterCount() const
{
    std::size_t n = 0;
    for (const auto& layer : m_layers)
        for (const Parameter* p : std::as_const(*layer).parameters())
            if (p->trainable)
                n += p->value.size();
    return n;
}

std::size_t Model::nonTrainableParameterCount() const { return parameterCount() - trainableParameterCount(); }

void Model::setRng(Rng* rng)
{
    for (auto& layer : m_layers)
        layer->setRng(rng);
}

std::string Model::summary() const
{
    auto pad = [](std::string s, std::size_t width) {
        if (s.size() < width)
            s.append(width - s.size(), ' ');
        return s + " ";
    };
    std::ostringstream out;
    const std::string rule(78, '_');
    const std::string thick(78, '=');
    out << "Model: \"sequential\"\n" << rule << "\n";
    out << pad("Layer (type)", 34) << pad("Output Shape", 26) << "Param #\n" << thick << "\n";
    const auto checks = checkShapes();
    for (std::size_t i = 0; i < m_layers.size(); ++i) {
        const Layer& layer = *m_layers[i];
        Shape shape = checks[i].outputShape;
        std::string shapeText = "(None";
        for (int d : shape)
            shapeText += ", " + std::to_string(d);
        shapeText += ")";
        if (!checks[i].error.empty())
            shapeText = "error";
        std::string label = (layer.name().empty() ? std::string("?") : layer.name()) + " (" + layer.type() + ")";
        if (layer.isFrozen())
            label += " [frozen]";
        out << pad(label, 34) << pad(shapeText, 26) << formatThousands(layer.parameterCount() + layer.bufferCount())
            << "\n";
        out << (i + 1 == m_layers.size() ? thick : rule) << "\n";
    }
    out << "Total params: " << formatThousands(parameterCount()) << "\n";
    out << "Trainable params: " << formatThousands(trainableParameterCount()) << "\n";
    out << "Non-trainable params: " << formatThousands(nonTrainableParameterCount()) << "\n";
    out << rule << "\n";
    return out.str();
}

nlohmann::json Model::toJson() const
{
    nlohmann::json layers = nlohmann::json::array();
    for (const auto& layer : m_layers) {
        nlohmann::json config = layer->config();
        if (!layer->name().empty())
            config["name"] = layer->name();
        if (layer->isFrozen())
            config["trainable"] = false;
        layers.push_back(config);
    }
    return {{"input_shape", m_inputShape}, {"layers", layers}};
}

Model Model::fromJson(const nlohmann::json& description)
{
    if (!description.is_object())
        throw std::invalid_argument("model description: expected a JSON object with \"input_shape\" and \"layers\"");
    Model model;
    if (!description.contains("input_shape") || !description["input_shape"].is_array())
        throw std::invalid_argument("model description: field \"input_shape\" must be an array like [1, 28, 28]");
    for (const auto& d : description["input_shape"]) {
        if (!d.is_number_integer() || d.get<int>() <= 0)
            throw std::invalid_argument("model description: \"input_shape\" must hold positive integers");
        model.m_inputShape.push_back(d.get<int>());
    }
    if (!description.contains("layers") || !description["layers"].is_array())
        throw std::invalid_argument("model description: field \"layers\" must be an array of layer objects");
    int index = 0;
    for (const auto& layerDescription : description["layers"]) {
        try {
            for (auto& layer : createLayers(layerDescription))
                model.add(std::move(layer));
        } catch (const std::exception& e) {
            throw std::invalid_argument("model description: layer " + std::to_string(index) + ": " + e.what());
        }
        ++index;
    }
    return model;
}

void Model::copyWeightsFrom(Model& other)
{
    auto copyAll = [](const std::vector<Parameter*>& to, const std::vector<Parameter*>& from) {
        if (to.size() != from.size())
            throw std::invalid_argument("copyWeightsFrom: the models differ in their parameters");
        for (std::size_t i = 0; i < to.size(); ++i) {
            if (to[i]->value.shape() != from[i]->value.shape())
                throw std::invalid_argument("copyWeightsFrom: parameter " + to[i]->name + " differs in shape");
            to[i]->value.copyFrom(from[i]->value);
        }
    };
    copyAll(parameters(), other.parameters());
    std::vector<Parameter*> mine, theirs;
    for (auto& l : m_layers)
        for (Parameter* p : l->buffers())
            mine.push_back(p);
    for (auto& l : other.m_layers)
        for (Parameter* p : l->buffers())
            theirs.push_back(p);
    copyAll(mine, theirs);
}

}  // namespace layerlens::core
