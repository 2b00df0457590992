#pragma once
// Reading a single ONNX TensorProto, as stored in the ONNX test data (input_0.pb,
// output_0.pb) or sent by tools, into an OnnxTensor.

#include <string>

#include "core/onnx/onnx_tensor.h"

namespace layerlens::core {

// Throws std::runtime_error naming the file and the problem (missing, not a TensorProto,
// unsupported data type, data size not matching the dims, absurd dims).
OnnxTensor loadOnnxTensorFile(const std::string& path);
// Same from the serialized bytes; `origin` names the source in messages.
OnnxTensor parseOnnxTensor(const std::string& bytes, const std::string& origin);

}  // namespace layerlens::core
