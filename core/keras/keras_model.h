#pragma once
// KerasModel: what a Keras model file holds, described independently of Keras.
//
// Everything stays as Keras stores it: shapes are channels-last (H, W, C), a Conv2D kernel
// is (kh, kw, in, out), a Dense kernel is (in, out). Conversion into the engine's NCHW
// layout happens in KerasConverter, so this description can also show models that cannot
// be converted (functional models with branches, unknown layers).

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/tensor.h"

namespace layerlens::core {

struct KerasWeight {
    std::string name;           // role within the layer: "kernel", "bias", "gamma", "moving_mean", ...
    std::string path;           // HDF5 dataset path in the file, for messages
    Shape shape;                // as stored, e.g. (3, 3, 16, 32)
    std::vector<float> values;  // row-major, as stored
};

struct KerasLayer {
    std::string name;
    std::string className;               // "Conv2D", "Dense", ...; empty for a weights-only file
    nlohmann::json config;               // the layer's "config" object as Keras wrote it
    std::vector<std::string> inbound;    // names of the layers feeding this one (functional models)
    std::vector<KerasWeight> weights;    // in the order Keras stores them

    const KerasWeight* weight(const std::string& role) const;  // nullptr when absent
    std::size_t valueCount() const;
};

struct KerasModel {
    std::string source;          // the file it was read from, for messages
    std::string format;          // "keras2-h5", "keras2-h5-weights" (weights only), "keras3"
    std::string kerasVersion;    // "2.4.0", "3.3.3"; empty when the file does not say
    std::string backend;         // "tensorflow", ...; empty when the file does not say
    std::string modelClassName;  // "Sequential", "Functional", "Model"; empty for weights only
    std::string modelName;       // the model's own name ("sequential")
    Shape inputShape;            // per sample, channels-last as in the file; -1 for unknown sizes
    std::vector<KerasLayer> layers;          // in the order of the config (or of layer_names)
    std::vector<std::string> inputLayers;    // functional models: names of the input layers
    std::vector<std::string> outputLayers;   // functional models: names of the output layers
    std::vector<std::string> classNames;     // output class labels, when the file stores them

    bool hasConfig() const { return !modelClassName.empty(); }
    bool isFunctional() const { return modelClassName == "Functional" || modelClassName == "Model"; }
    const KerasLayer* findLayer(const std::string& name) const;  // nullptr when absent
    std::size_t storedValueCount() const;  // all weight values, BN statistics included
    // Values Keras would train: not BN moving statistics, not layers with "trainable": false.
    std::size_t trainableValueCount() const;

    // Keras-like table: name, class, inbound layers, weight shapes, value count, and totals.
    std::string summary() const;
};

}  // namespace layerlens::core
