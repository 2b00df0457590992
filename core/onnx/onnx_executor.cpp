#include "core/onnx/onnx_executor.h"

#include <stdexcept>

#include "core/onnx/ops/onnx_op_registry.h"

namespace layerlens::core {

OnnxShape OnnxValueInfo::resolvedShape(std::int64_t batch) const
{
    OnnxShape resolved = shape;
    for (std::int64_t& dim : resolved)
        if (dim < 0)
            dim = batch;
    return resolved;
}

std::string OnnxExecutor::unsupportedReason(const OnnxNode& node, int opset)
{
    if (!node.domain.empty() && node.domain != "ai.onnx")
        return node.domain + ":" + node.opType;
    const OnnxOpInfo* info = OnnxOpRegistry::instance().find(node.opType);
    if (info == nullptr)
        return node.opType;
    if (info->check != nullptr) {
        std::string reason;
        try {
            reason = info->check(node, opset);
        } catch (const std::exception& error) {
            reason = error.what();
        }
        if (!reason.empty())
            return node.opType + " (" + reason + ")";
    }
    return {};
}

std::vector<std::string> OnnxExecutor::supportedOperators()
{
    return OnnxOpRegistry::instance().operatorNames();
}

OnnxTensorMap OnnxExecutor::runAll(const OnnxTensorMap& inputs, const OnnxNodeCallback& onNode) const
{
    OnnxTensorMap values;
    for (const OnnxValueInfo& input : m_graph.inputs) {
        const auto it = inputs.find(input.name);
        if (it == inputs.end())
            throw std::invalid_argument("ONNX graph input '" + input.name + "' was not given");
        const OnnxTensor& value = it->second;
        if (input.hasShape) {
            bool matches = value.shape.size() == input.shape.size();
            for (std::size_t d = 0; matches && d < input.shape.size(); ++d)
                matches = input.shape[d] < 0 || input.shape[d] == value.shape[d];
            if (!matches)
                throw std::invalid_argument("ONNX graph input '" + input.name + "': expected shape "
                                            + onnxShapeToString(input.shape) + " (-1 = any), got "
                                            + onnxShapeToString(value.shape));
        }
        if (value.size() != onnxShapeSize(value.shape))
            throw std::invalid_argument("ONNX graph input '" + input.name + "': " + std::to_string(value.size())
                                        + " values for shape " + onnxShapeToString(value.shape));
        values[input.name] = value;
    }
    for (const auto& [name, value] : inputs)
        if (m_graph.initializers.count(name) != 0)
            values[name] = value;

    auto lookup = [&](const std::string& name) -> const OnnxTensor* {
        if (name.empty())
            return nullptr;
        if (const auto it = values.find(name); it != values.end())
            return &it->second;
        if (const auto it = m_graph.initializers.find(name); it != m_graph.initializers.end())
            return &it->second;
        return nullptr;
    };

    const OnnxOpRegistry& registry = OnnxOpRegistry::instance();
    for (std::size_t index = 0; index < m_graph.nodes.size(); ++index) {
        const OnnxNode& node = m_graph.nodes[index];
        const OnnxOpInfo* info = registry.find(node.opType);
        if (info == nullptr)
            throw std::runtime_error(node.describe() + ": operator is not supported");
        OnnxOpContext context{node, m_graph.opset, {}};
        for (const std::string& name : node.inputs) {
            const OnnxTensor* value = lookup(name);
            if (value == nullptr && !name.empty())
                throw std::runtime_error(node.describe() + ": input '" + name + "' has no value");
            context.inputs.push_back(value);
        }
        std::vector<OnnxTensor> results;
        try {
            results = info->run(context);
        } catch (const std::runtime_error&) {
            throw;
        } catch (const std::exception& error) {  // e.g. invalid_argument from a shape helper
            throw std::runtime_error(node.describe() + ": " + error.what());
        }
        if (results.size() < node.outputs.size()) {
            // Trailing optional outputs an operator does not produce must be omitted.
            for (std::size_t i = results.size(); i < node.outputs.size(); ++i)
                if (!node.outputs[i].empty())
                    throw std::runtime_error(node.describe() + ": output " + std::to_string(i) + " is not produced");
        }
        std::vector<const OnnxTensor*> produced(node.outputs.size(), nullptr);
        for (std::size_t i = 0; i < node.outputs.size() && i < results.size(); ++i) {
            if (node.outputs[i].empty())
                continue;
            OnnxTensor& stored = values[node.outputs[i]];
            stored = std::move(results[i]);
            produced[i] = &stored;
        }
        if (onNode)
            onNode(index, node, produced);
    }
    return values;
}

OnnxTensorMap OnnxExecutor::run(const OnnxTensorMap& inputs, const OnnxNodeCallback& onNode) const
{
    OnnxTensorMap all = runAll(inputs, onNode);
    OnnxTensorMap outputs;
    for (const OnnxValueInfo& output : m_graph.outputs) {
        if (auto it = all.find(output.name); it != all.end())
            outputs[output.name] = std::move(it->second);
        else if (auto init = m_graph.initializers.find(output.name); init != m_graph.initializers.end())
            outputs[output.name] = init->second;
        else
            throw std::runtime_error("ONNX graph output '" + output.name + "' is produced by no node");
    }
    return outputs;
}

}  // namespace layerlens::core
