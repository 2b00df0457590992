#include "core/keras/keras_config_parser.h"

#include <optional>
#include <stdexcept>

namespace layerlens::core {

namespace {

using nlohmann::json;

// (None, 28, 28, 1) -> (28, 28, 1); unknown sizes become -1.
Shape perSampleShape(const json& batchShape, const std::string& where)
{
    if (!batchShape.is_array() || batchShape.empty())
        throw std::runtime_error(where + ": expected a shape list like [null, 28, 28, 1]");
    Shape shape;
    for (std::size_t i = 1; i < batchShape.size(); ++i) {
        const json& d = batchShape[i];
        if (d.is_null())
            shape.push_back(-1);
        else if (d.is_number_integer() && d.get<long long>() > 0 && d.get<long long>() < (1LL << 31))
            shape.push_back(d.get<int>());
        else
            throw std::runtime_error(where + ": shape entries must be positive integers or null, found " + d.dump());
    }
    return shape;
}

// The input shape a layer declares for itself, if any (first layer of a Sequential, InputLayer).
std::optional<Shape> declaredInputShape(const json& layer, const std::string& where)
{
    const json* config = layer.contains("config") && layer["config"].is_object() ? &layer["config"] : nullptr;
    if (config) {
        for (const char* key : {"batch_input_shape", "batch_shape"})
            if (config->contains(key) && !(*config)[key].is_null())
                return perSampleShape((*config)[key], where + " \"" + key + "\"");
        if (config->contains("input_shape") && (*config)["input_shape"].is_array()) {
            json batch = json::array({nullptr});
            for (const auto& d : (*config)["input_shape"])
                batch.push_back(d);
            return perSampleShape(batch, where + " \"input_shape\"");
        }
    }
    if (layer.contains("build_config") && layer["build_config"].is_object()
        && layer["build_config"].contains("input_shape") && layer["build_config"]["input_shape"].is_array())
        return perSampleShape(layer["build_config"]["input_shape"], where + " \"build_config.input_shape\"");
    return std::nullopt;
}

// Finds the source layer names in one entry of "inbound_nodes", for Keras 2 ([name, node, tensor, kwargs])
// and Keras 3 ({"keras_history": [name, node, tensor]} inside the call arguments).
void collectInbound(const json& node, std::vector<std::string>& names)
{
    auto add = [&names](const std::string& name) {
        for (const auto& n : names)
            if (n == name)
                return;
        names.push_back(name);
    };
    if (node.is_object()) {
        if (node.contains("keras_history") && node["keras_history"].is_array() && !node["keras_history"].empty()
            && node["keras_history"][0].is_string()) {
            add(node["keras_history"][0].get<std::string>());
            return;
        }
        for (const auto& [key, value] : node.items())
            if (key != "kwargs" || value.is_object())
                collectInbound(value, names);
        return;
    }
    if (node.is_array()) {
        if (node.size() >= 3 && node[0].is_string() && node[1].is_number_integer()) {
            add(node[0].get<std::string>());
            return;
        }
        for (const auto& item : node)
            collectInbound(item, names);
    }
}

std::vector<std::string> endpointNames(const json& list)
{
    std::vector<std::string> names;
    if (!list.is_array())
        return names;
    if (!list.empty() && list[0].is_string()) {  // Keras 3 writes a single endpoint unwrapped
        names.push_back(list[0].get<std::string>());
        return names;
    }
    for (const auto& item : list)
        if (item.is_array() && !item.empty() && item[0].is_string())
            names.push_back(item[0].get<std::string>());
    return names;
}

}  // namespace

void KerasConfigParser::parse(const std::string& modelConfigText, KerasModel& model, const std::string& source)
{
    json config = json::parse(modelConfigText, nullptr, false);
    if (config.is_discarded())
        throw std::runtime_error(source + ": the model config is not valid JSON");
    parse(config, model, source);
}

void KerasConfigParser::parse(const json& modelConfig, KerasModel& model, const std::string& source)
{
    if (!modelConfig.is_object() || !modelConfig.contains("class_name") || !modelConfig["class_name"].is_string())
        throw std::runtime_error(source + ": the model config has no \"class_name\" (expected Sequential or Functional)");
    model.modelClassName = modelConfig["class_name"].get<std::string>();
    if (model.modelClassName != "Sequential" && !model.isFunctional())
        throw std::runtime_error(source + ": model class \"" + model.modelClassName
                                 + "\" is not supported (expected Sequential, Functional or Model; subclassed "
                                   "models store no architecture)");
    const json empty = json::object();
    const json& config = modelConfig.contains("config") ? modelConfig["config"] : empty;
    const json* layerList = nullptr;
    if (config.is_array()) {
        layerList = &config;  // Keras 2.0-2.2 Sequential: the config is the layer list
    } else if (config.is_object()) {
        if (config.contains("name") && config["name"].is_string())
            model.modelName = config["name"].get<std::string>();
        if (config.contains("layers") && config["layers"].is_array())
            layerList = &config["layers"];
    }
    if (!layerList)
        throw std::runtime_error(source + ": the model config has no \"layers\" list");

    model.layers.clear();
    std::optional<Shape> inputShape;
    int index = 0;
    for (const json& entry : *layerList) {
        const std::string where = source + ": layer " + std::to_string(index);
        if (!entry.is_object() || !entry.contains("class_name") || !entry["class_name"].is_string())
            throw std::runtime_error(where + " has no \"class_name\"");
        KerasLayer layer;
        layer.className = entry["class_name"].get<std::string>();
        layer.config = entry.contains("config") && entry["config"].is_object() ? entry["config"] : json::object();
        if (entry.contains("name") && entry["name"].is_string())
            layer.name = entry["name"].get<std::string>();
        else if (layer.config.contains("name") && layer.config["name"].is_string())
            layer.name = layer.config["name"].get<std::string>();
        else
            throw std::runtime_error(where + " (" + layer.className + ") has no name");
        if (model.findLayer(layer.name))
            throw std::runtime_error(where + ": the name \"" + layer.name + "\" is used by two layers");

        if (model.isFunctional()) {
            if (entry.contains("inbound_nodes"))
                collectInbound(entry["inbound_nodes"], layer.inbound);
            if (layer.className == "InputLayer" && !inputShape)
                inputShape = declaredInputShape(entry, where + " (" + layer.name + ")");
        } else {
            if (!model.layers.empty())
                layer.inbound.push_back(model.layers.back().name);
            // Only the first layer may declare the model's input; later layers' build shapes are theirs.
            if (index == 0)
                inputShape = declaredInputShape(entry, where + " (" + layer.name + ")");
        }
        model.layers.push_back(std::move(layer));
        ++index;
    }

    if (model.isFunctional() && config.is_object()) {
        model.inputLayers = endpointNames(config.value("input_layers", json::array()));
        model.outputLayers = endpointNames(config.value("output_layers", json::array()));
        for (const auto& names : {model.inputLayers, model.outputLayers})
            for (const auto& name : names)
                if (!model.findLayer(name))
                    throw std::runtime_error(source + ": the model's inputs/outputs name a layer \"" + name
                                             + "\" that the config does not define");
        for (const auto& layer : model.layers)
            for (const auto& name : layer.inbound)
                if (!model.findLayer(name))
                    throw std::runtime_error(source + ": layer \"" + layer.name + "\" takes input from \"" + name
                                             + "\", which the config does not define");
    }
    if (!inputShape && config.is_object() && config.contains("build_input_shape")
        && config["build_input_shape"].is_array())
        inputShape = perSampleShape(config["build_input_shape"], source + ": \"build_input_shape\"");
    if (!inputShape && modelConfig.contains("build_config") && modelConfig["build_config"].is_object()
        && modelConfig["build_config"].contains("input_shape") && modelConfig["build_config"]["input_shape"].is_array())
        inputShape = perSampleShape(modelConfig["build_config"]["input_shape"], source + ": \"build_config.input_shape\"");
    model.inputShape = inputShape.value_or(Shape{});
}

}  // namespace layerlens::core
