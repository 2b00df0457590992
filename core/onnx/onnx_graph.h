#pragma once
// OnnxGraph: an ONNX model's computation graph in our own types, ready to execute:
// nodes in a valid execution order, constant tensors (initializers), and the declared
// inputs/outputs with their shapes.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/onnx/onnx_node.h"
#include "core/onnx/onnx_tensor.h"

namespace layerlens::core {

struct OnnxValueInfo {
    std::string name;
    int dataType = onnx_type::Float;  // ONNX TensorProto data type code
    bool hasShape = false;            // false when the file leaves the shape unspecified
    OnnxShape shape;                  // -1 for a symbolic or unknown dimension
    std::vector<std::string> dimNames;  // symbolic names ("batch_size"), "" for fixed dims

    // The shape with every symbolic/unknown dimension set to `batch` (such dimensions are
    // the batch size in the models LayerLens opens).
    OnnxShape resolvedShape(std::int64_t batch = 1) const;
};

using OnnxTensorMap = std::map<std::string, OnnxTensor>;

struct OnnxGraph {
    int opset = 1;  // version of the default domain ("" / "ai.onnx")
    std::vector<OnnxNode> nodes;            // topologically sorted
    OnnxTensorMap initializers;
    std::vector<OnnxValueInfo> inputs;      // graph inputs that are not initializers
    std::vector<OnnxValueInfo> outputs;
    std::map<std::string, OnnxValueInfo> valueInfo;  // declared intermediate shapes, if any
};

}  // namespace layerlens::core
