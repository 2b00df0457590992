#pragma once
// OnnxNode: one operator of an ONNX graph in our own types (no protobuf), with typed
// attribute access. Attribute defaults are the caller's: the ONNX operator specification
// states them per operator and per opset, so the operator implementation supplies them.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/onnx/onnx_tensor.h"

namespace layerlens::core {

struct OnnxAttribute {
    enum class Kind { Float, Int, String, Tensor, Floats, Ints, Strings, Other };
    Kind kind = Kind::Other;
    float f = 0.0f;
    std::int64_t i = 0;
    std::string s;
    std::vector<float> floats;
    std::vector<std::int64_t> ints;
    std::vector<std::string> strings;
    std::shared_ptr<const OnnxTensor> tensor;  // Kind::Tensor
};

struct OnnxNode {
    std::string name;    // may be empty in files; the model then names it "<OpType>_<index>"
    std::string opType;
    std::string domain;  // "" or "ai.onnx" for the standard operators
    std::vector<std::string> inputs;   // "" marks an omitted optional input
    std::vector<std::string> outputs;  // "" marks an omitted optional output
    std::map<std::string, OnnxAttribute> attributes;

    bool has(const std::string& attribute) const { return attributes.count(attribute) != 0; }
    // Typed access; throws std::invalid_argument naming node and attribute when the stored
    // attribute has another kind. The default is returned when the attribute is absent.
    std::int64_t attrInt(const std::string& attribute, std::int64_t fallback) const;
    float attrFloat(const std::string& attribute, float fallback) const;
    std::string attrString(const std::string& attribute, const std::string& fallback) const;
    std::vector<std::int64_t> attrInts(const std::string& attribute, const std::vector<std::int64_t>& fallback = {}) const;
    std::vector<float> attrFloats(const std::string& attribute, const std::vector<float>& fallback = {}) const;
    const OnnxAttribute* attr(const std::string& attribute) const;

    std::string describe() const;  // "Conv 'conv1'" for messages
};

}  // namespace layerlens::core
