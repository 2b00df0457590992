#pragma once
// Internal to core/onnx (includes the generated protobuf header, so never include it from
// a public header): conversion of protobuf messages into our own types.

#include <string>

#include <layerlens_onnx/onnx.pb.h>

#include "core/onnx/onnx_node.h"
#include "core/onnx/onnx_tensor.h"

namespace layerlens::core::detail {

// `context` prefixes every error message, e.g. "model.onnx: initializer 'W'".
OnnxTensor tensorFromProto(const onnx::TensorProto& proto, const std::string& context);
// Whole file contents; throws "PATH: cannot open file".
std::string readBinaryFile(const std::string& path);
OnnxNode nodeFromProto(const onnx::NodeProto& proto, const std::string& context);

}  // namespace layerlens::core::detail
