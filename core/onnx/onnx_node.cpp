#include "core/onnx/onnx_node.h"

#include <stdexcept>

namespace layerlens::core {

namespace {

const OnnxAttribute* expectKind(const OnnxNode& node, const std::string& name, OnnxAttribute::Kind kind, const char* kindName)
{
    const OnnxAttribute* attribute = node.attr(name);
    if (attribute != nullptr && attribute->kind != kind)
        throw std::invalid_argument(node.describe() + ": attribute '" + name + "' should be " + kindName);
    return attribute;
}

}  // namespace

const OnnxAttribute* OnnxNode::attr(const std::string& attribute) const
{
    const auto it = attributes.find(attribute);
    return it == attributes.end() ? nullptr : &it->second;
}

std::int64_t OnnxNode::attrInt(const std::string& attribute, std::int64_t fallback) const
{
    const OnnxAttribute* a = expectKind(*this, attribute, OnnxAttribute::Kind::Int, "an INT");
    return a ? a->i : fallback;
}

float OnnxNode::attrFloat(const std::string& attribute, float fallback) const
{
    const OnnxAttribute* a = attr(attribute);
    if (a != nullptr && a->kind == OnnxAttribute::Kind::Int)  // some exporters write 0 instead of 0.0
        return static_cast<float>(a->i);
    a = expectKind(*this, attribute, OnnxAttribute::Kind::Float, "a FLOAT");
    return a ? a->f : fallback;
}

std::string OnnxNode::attrString(const std::string& attribute, const std::string& fallback) const
{
    const OnnxAttribute* a = expectKind(*this, attribute, OnnxAttribute::Kind::String, "a STRING");
    return a ? a->s : fallback;
}

std::vector<std::int64_t> OnnxNode::attrInts(const std::string& attribute, const std::vector<std::int64_t>& fallback) const
{
    const OnnxAttribute* a = expectKind(*this, attribute, OnnxAttribute::Kind::Ints, "INTS");
    return a ? a->ints : fallback;
}

std::vector<float> OnnxNode::attrFloats(const std::string& attribute, const std::vector<float>& fallback) const
{
    const OnnxAttribute* a = expectKind(*this, attribute, OnnxAttribute::Kind::Floats, "FLOATS");
    return a ? a->floats : fallback;
}

std::string OnnxNode::describe() const
{
    return opType + " '" + name + "'";
}

}  // namespace layerlens::core
