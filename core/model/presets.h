#pragma once
// Ready-made architectures as model descriptions ({"input_shape": [...], "layers": [...]}),
// to be turned into a Model by Model::fromJson. Output layers emit logits (no softmax): the
// default loss is softmax cross-entropy from logits.
//   mlp     (1, 28, 28): Flatten, Dense 256 relu, Dense 128 relu, Dense classes
//   lenet5  (1, 28, 28): Conv2D 6@5x5 same relu, MaxPool 2, Conv2D 16@5x5 relu, MaxPool 2,
//                        Flatten, Dense 120 relu, Dense 84 relu, Dense classes (61,706 params)
//   tinyvgg (3, 64, 64): 2 x [Conv2D 10@3x3 relu, Conv2D 10@3x3 relu, MaxPool 2], Flatten, Dense classes
//   vgg16   (3, 224, 224): the 13-conv VGG16, Dense 4096, 4096, classes (138,357,544 params for 1000)

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/tensor.h"

namespace layerlens::core {

// name is case-insensitive; an empty inputShape takes the preset's default; classes <= 0 takes
// the preset's default (10, or 1000 for vgg16). Throws std::invalid_argument listing the names.
nlohmann::json presetDescription(const std::string& name, const Shape& inputShape = {}, int classes = 10);
std::vector<std::string> presetNames();

}  // namespace layerlens::core
