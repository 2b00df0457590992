#pragma once
// toModel: a KerasModel as an engine Model with the file's weights, ready for inference.

#include <cstdint>

#include "core/keras/keras_model.h"
#include "core/model/model.h"

namespace layerlens::core {

// Converts (KerasConverter), creates the layers of the description (layer factory; Rescaling
// directly), builds with the seed (build(seed)) and copies
// the weights into each layer's parameters() and buffers(), checking counts and shapes.
// Throws std::runtime_error with the reason when the model cannot be converted.
Model toModel(const KerasModel& keras, std::uint64_t seed = 1);

}  // namespace layerlens::core
