#pragma once
// KerasConfigParser: reads a Keras model config (the "model_config" attribute of a Keras 2
// .h5 file, or config.json of a Keras 3 .keras file) into a KerasModel's architecture:
// layers with class and config, the functional graph, the input shape. Weights are not here.
//
// Understood layouts:
//   Keras 2 Sequential  {"class_name": "Sequential", "config": {"name", "layers": [{class_name, config}]}}
//                       (very old files: "config" is the layer list itself)
//   Keras 2 Functional  {"class_name": "Functional" | "Model", "config": {"layers": [{name, class_name,
//                       config, inbound_nodes: [[["input_1", 0, 0, {}], ...]]}], input_layers, output_layers}}
//   Keras 3             the same with "module"/"registered_name"/"build_config" and inbound_nodes
//                       [{"args": [{"class_name": "__keras_tensor__", "config": {"keras_history": [name, 0, 0]}}]}]

#include <string>

#include <nlohmann/json.hpp>

#include "core/keras/keras_model.h"

namespace layerlens::core {

class KerasConfigParser {
public:
    // Fills modelClassName, modelName, layers (name, className, config, inbound), inputLayers,
    // outputLayers and inputShape. Throws std::runtime_error naming `source` and the field.
    static void parse(const nlohmann::json& modelConfig, KerasModel& model, const std::string& source);
    // The same from JSON text; a syntax error names the source.
    static void parse(const std::string& modelConfigText, KerasModel& model, const std::string& source);
};

}  // namespace layerlens::core
