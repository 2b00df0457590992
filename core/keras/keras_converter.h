#pragma once
// KerasConverter: turns a KerasModel (channels-last, Keras weight layouts) into a description
// in the model-description schema of core/model/layer_factory.h plus the weights in the
// engine's NCHW layouts, for Sequential models and chain-shaped functional models.
//
// Layout changes (so that outputs match Keras exactly):
//   input (H, W, C)            -> (C, H, W)
//   Conv2D kernel (kh, kw, in, out) -> (out, in, kh, kw)
//   Dense kernel (in, out)     -> (out, in); after a Flatten of an (H, W, C) tensor the input
//                                 rows are also reordered from HWC to CHW order
//   BatchNormalization         -> parameters (gamma, beta), buffers (moving_mean, moving_variance);
//                                 ones/zeros where scale/center is false
// The conversion reads nothing but the KerasModel, so it does not need the layer implementations.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/keras/keras_model.h"
#include "core/tensor.h"

namespace layerlens::core {

// Values for one engine layer, matched by name ("conv2d"), in the order of
// Layer::parameters() and Layer::buffers().
struct KerasLayerWeights {
    std::string layerName;
    std::vector<Tensor> parameters;  // Dense/Conv2D: kernel, bias (if used); BatchNorm: gamma, beta
    std::vector<Tensor> buffers;     // BatchNorm: moving_mean, moving_variance
};

struct KerasConversion {
    nlohmann::json description;              // {"input_shape": [C, H, W], "layers": [...]}
    std::vector<KerasLayerWeights> weights;  // only layers that have weights
};

class KerasConverter {
public:
    // Throws std::runtime_error for a weights-only file, a functional model with branches
    // ("functional model with branches (Add at layer 'add') ..."), unsupported layer classes
    // (all listed), a missing weight (named) and weights whose shape does not fit the config.
    static KerasConversion convert(const KerasModel& model);

    // The layers in execution order for a chain-shaped model (InputLayer included);
    // throws with the reason when the model is not a single chain.
    static std::vector<const KerasLayer*> chain(const KerasModel& model);

    static std::vector<std::string> supportedClasses();

private:
    static KerasConversion convertModel(const KerasModel& model);
};

}  // namespace layerlens::core
