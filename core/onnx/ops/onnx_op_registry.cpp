#include "core/onnx/ops/onnx_op_registry.h"

#include <stdexcept>

namespace layerlens::core {

const OnnxTensor& OnnxOpContext::input(std::size_t i) const
{
    if (!hasInput(i))
        fail("input " + std::to_string(i) + " is required but missing");
    return *inputs[i];
}

void OnnxOpContext::fail(const std::string& message) const
{
    throw std::runtime_error(node.describe() + " (opset " + std::to_string(opset) + "): " + message);
}

const OnnxOpRegistry& OnnxOpRegistry::instance()
{
    static const OnnxOpRegistry registry;
    return registry;
}

OnnxOpRegistry::OnnxOpRegistry()
{
    // Explicit calls, not static self-registration: objects in a static library that nothing
    // references would be dropped by the linker together with their registrations.
    registerOnnxElementwiseOps(*this);
    registerOnnxConvOps(*this);
    registerOnnxPoolOps(*this);
    registerOnnxLinearOps(*this);
    registerOnnxNormalizationOps(*this);
    registerOnnxShapeOps(*this);
    registerOnnxReduceOps(*this);
    registerOnnxIndexingOps(*this);
    registerOnnxResizeOps(*this);
    registerOnnxLossOps(*this);
}

const OnnxOpInfo* OnnxOpRegistry::find(const std::string& opType) const
{
    const auto it = m_ops.find(opType);
    return it == m_ops.end() ? nullptr : &it->second;
}

std::vector<std::string> OnnxOpRegistry::operatorNames() const
{
    std::vector<std::string> names;
    for (const auto& entry : m_ops)
        names.push_back(entry.first);
    return names;
}

void OnnxOpRegistry::add(const std::string& opType, OnnxOpRun run, OnnxOpCheck check)
{
    m_ops[opType] = OnnxOpInfo{run, check};
}

}  // namespace layerlens::core
