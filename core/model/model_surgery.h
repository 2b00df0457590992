#pragma once
// Model surgery for transfer learning: find and replace the classifier head, freeze layers.
//
//   Model m = loadModel("pretrained.onnx").model;
//   replaceClassifierHead(m, 5, seed);   // Dense(5) (+ Softmax if the old head had one)
//   freezeLayers(m, "all-but-head");     // only the new head trains

#include <cstdint>
#include <string>
#include <vector>

#include "core/model/model.h"

namespace layerlens::core {

// Index of the classifier head: the last Dense layer; -1 when the model has none.
int classifierHeadIndex(const Model& model);

// Removes the head (the last Dense and every layer after it) and adds a fresh Dense(classes)
// named "head", initialized from `seed`, followed by a Softmax when the old head ended in one
// (probabilities stay probabilities; logits stay logits). Every other layer keeps its weights,
// buffers and frozen flag. Builds the model. Returns the new head's index.
// Throws std::invalid_argument when there is no Dense layer or classes < 1.
int replaceClassifierHead(Model& model, int classes, std::uint64_t seed);

// Which layers a freeze spec freezes, one flag per layer:
//   "none"          nothing
//   "all"           every layer
//   "all-but-head"  every layer before the classifier head (the head and what follows train)
//   "N"             the first N layers (0 .. N-1)
//   "a-b"           layers a to b, inclusive, 0-based
// Throws std::invalid_argument naming the spec and the layer count when it does not fit.
std::vector<bool> freezeMask(const Model& model, const std::string& spec);
// Sets every layer's frozen flag from the mask (size = layer count).
void applyFreezeMask(Model& model, const std::vector<bool>& frozen);
void freezeLayers(Model& model, const std::string& spec);  // applyFreezeMask(freezeMask(spec))

}  // namespace layerlens::core
