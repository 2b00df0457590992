#pragma once
// Writes a LayerLens model as an ONNX file (opset 13), so that it runs in other tools.
// Input "input" (N, inputShape...) with a symbolic batch dimension; output "output".

#include <string>

#include "core/model/model.h"

namespace layerlens::core {

// Throws std::runtime_error naming the layer that cannot be expressed or the file problem.
void exportOnnx(const Model& model, const std::string& path);

}  // namespace layerlens::core
