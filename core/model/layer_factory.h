#pragma once
// Creates layers from their JSON description (the model-description schema, Keras-like):
//   {"type": "Conv2D", "filters": 6, "kernel_size": 5, "strides": 1, "padding": "same",
//    "dilation": 1, "use_bias": true, "activation": "relu"}
//   {"type": "Dense", "units": 10, "activation": "softmax"}
//   {"type": "MaxPool2D" | "AvgPool2D", "pool_size": 2, "strides": 2, "padding": "valid"}
//   {"type": "GlobalAveragePool"}, {"type": "Flatten"}, {"type": "Reshape", "target_shape": [1, 28, 28]}
//   {"type": "Dropout", "rate": 0.5}, {"type": "BatchNorm", "momentum": 0.99, "epsilon": 0.001}
//   {"type": "Activation", "activation": "leaky_relu", "alpha": 0.01}, {"type": "Softmax"}
// Optional in every layer: "name", "trainable" (false = frozen).
// A layer with "activation" other than linear expands into the layer followed by an
// Activation layer (so that each can be observed on its own): createLayers() returns both.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/layers/layer.h"

namespace layerlens::core {

// Throws std::invalid_argument naming the field and what was expected.
std::vector<LayerPtr> createLayers(const nlohmann::json& description);
std::vector<std::string> layerTypeNames();  // the types createLayers() accepts

}  // namespace layerlens::core
