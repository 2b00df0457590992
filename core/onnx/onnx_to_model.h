#pragma once
// onnxToModel: an ONNX graph that is a chain of layers, as a trainable engine Model with the
// file's weights, so that a model trained elsewhere can be fine-tuned here.
//
// The chain is what flows from the graph's one input to its one output; every other node must
// be constant (initializers, Constant, and shape arithmetic such as PyTorch's
// Shape -> Gather -> Unsqueeze -> Concat -> Reshape, evaluated once by the ONNX executor on a
// zero input). Mapped operators:
//   Conv (2-D, pads/strides/dilations/auto_pad; group > 1 becomes a full convolution whose
//   kernel is block-diagonal, which gives the same outputs), Gemm (transB, alpha, beta),
//   MatMul (+ Add of a constant: the bias), Add of a per-channel constant after Conv/Gemm/MatMul
//   (folded into the bias), Relu, LeakyRelu, Sigmoid, Tanh, Elu, Selu, Softplus, HardSigmoid,
//   Softmax, LogSoftmax as the last node (dropped: the model then emits logits, the predictions
//   are unchanged), MaxPool, AveragePool (valid or "same" padding), GlobalAveragePool,
//   BatchNormalization (running statistics -> moving mean/variance), Flatten, Reshape that
//   keeps the batch axis, Dropout, Identity, Pad with zero pads.
// Conv2D and Dense layers always get a bias (zero where the file has none), so that a folded Add
// has somewhere to go; such a bias is listed in the notes.

#include <cstdint>
#include <string>
#include <vector>

#include "core/model/model.h"
#include "core/onnx/onnx_model.h"

namespace layerlens::core {

struct OnnxConversion {
    Model model;                     // built, with the file's weights
    std::vector<std::string> notes;  // what was adapted (dropped LogSoftmax, expanded groups, ...)
};

// Throws std::runtime_error naming the file, the node and its operator when the graph branches,
// uses an operator or attribute that has no layer here, or its weights do not fit.
OnnxConversion onnxToModel(const OnnxModel& onnx, std::uint64_t seed = 1);

}  // namespace layerlens::core
