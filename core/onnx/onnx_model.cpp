#include "core/onnx/onnx_model.h"

#include <algorithm>
#include <iomanip>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>

#include "core/model/model.h"
#include "core/onnx/onnx_proto_convert.h"

namespace layerlens::core {

struct OnnxModel::Impl {
    std::string origin;
    std::int64_t irVersion = 0;
    std::string producer;
    std::map<std::string, std::int64_t> opsets;
    OnnxGraph graph;
    std::vector<std::string> unsupported;

    std::mutex infoMutex;  // nodeInfos() is const but caches its dry run
    std::optional<std::vector<OnnxNodeInfo>> infos;
};

namespace {

OnnxValueInfo valueInfoFromProto(const onnx::ValueInfoProto& proto)
{
    OnnxValueInfo info;
    info.name = proto.name();
    if (!proto.type().has_tensor_type()) {
        info.dataType = onnx_type::Undefined;  // sequence, map, optional: not a tensor
        return info;
    }
    const onnx::TypeProto::Tensor& tensor = proto.type().tensor_type();
    info.dataType = tensor.elem_type();
    if (!tensor.has_shape())
        return info;
    info.hasShape = true;
    for (const onnx::TensorShapeProto::Dimension& dim : tensor.shape().dim()) {
        if (dim.has_dim_value() && dim.dim_value() >= 0) {
            info.shape.push_back(dim.dim_value());
            info.dimNames.emplace_back();
        } else {
            info.shape.push_back(-1);
            info.dimNames.push_back(dim.has_dim_param() ? dim.dim_param() : std::string("?"));
        }
    }
    return info;
}

// Kahn's algorithm, taking ready nodes in file order so a file already in order keeps it.
std::vector<OnnxNode> sortTopologically(std::vector<OnnxNode> nodes, const std::set<std::string>& available,
                                        const std::string& origin)
{
    std::map<std::string, std::size_t> producer;
    for (std::size_t i = 0; i < nodes.size(); ++i)
        for (const std::string& output : nodes[i].outputs)
            if (!output.empty()) {
                if (producer.count(output) != 0 || available.count(output) != 0)
                    throw std::runtime_error(origin + ": value '" + output + "' is produced twice (by "
                                             + nodes[i].describe() + ")");
                producer[output] = i;
            }
    std::vector<std::size_t> waiting(nodes.size(), 0);
    std::vector<std::vector<std::size_t>> consumers(nodes.size());
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        std::set<std::size_t> dependencies;
        for (const std::string& input : nodes[i].inputs) {
            if (input.empty() || available.count(input) != 0)
                continue;
            const auto it = producer.find(input);
            if (it == producer.end())
                throw std::runtime_error(origin + ": " + nodes[i].describe() + " reads '" + input
                                         + "', which is no graph input, initializer or node output");
            dependencies.insert(it->second);
        }
        waiting[i] = dependencies.size();
        for (const std::size_t d : dependencies)
            consumers[d].push_back(i);
    }
    std::set<std::size_t> ready;
    for (std::size_t i = 0; i < nodes.size(); ++i)
        if (waiting[i] == 0)
            ready.insert(i);
    std::vector<OnnxNode> sorted;
    sorted.reserve(nodes.size());
    while (!ready.empty()) {
        const std::size_t i = *ready.begin();
        ready.erase(ready.begin());
        for (const std::size_t c : consumers[i])
            if (--waiting[c] == 0)
                ready.insert(c);
        sorted.push_back(std::move(nodes[i]));
    }
    if (sorted.size() != nodes.size())
        throw std::runtime_error(origin + ": the graph has a cycle (" + std::to_string(nodes.size() - sorted.size())
                                 + " nodes depend on each other)");
    return sorted;
}

}  // namespace

OnnxModel::OnnxModel(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
OnnxModel::OnnxModel(OnnxModel&&) noexcept = default;
OnnxModel& OnnxModel::operator=(OnnxModel&&) noexcept = default;
OnnxModel::~OnnxModel() = default;

OnnxModel OnnxModel::load(const std::string& path, const OnnxLoadOptions& options)
{
    return loadFromBytes(detail::readBinaryFile(path), path, options);
}

OnnxModel OnnxModel::loadFromBytes(const std::string& bytes, const std::string& origin, const OnnxLoadOptions& options)
{
    if (bytes.empty())
        throw std::runtime_error(origin + ": empty file, not an ONNX model");
    onnx::ModelProto proto;
    if (!proto.ParseFromString(bytes))
        throw std::runtime_error(origin + ": not an ONNX model (protobuf parse failed)");
    // Arbitrary bytes occasionally parse as a protobuf message; a real model has a graph
    // with at least one node or output and an IR version.
    if (!proto.has_graph() || proto.ir_version() <= 0 || (proto.graph().node_size() == 0 && proto.graph().output_size() == 0))
        throw std::runtime_error(origin + ": not an ONNX model (no graph or IR version)");

    auto impl = std::make_unique<Impl>();
    impl->origin = origin;
    impl->irVersion = proto.ir_version();
    impl->producer = proto.producer_name() + (proto.producer_version().empty() ? "" : " " + proto.producer_version());
    for (const onnx::OperatorSetIdProto& opset : proto.opset_import()) {
        const std::string domain = opset.domain() == "ai.onnx" ? "" : opset.domain();
        impl->opsets[domain] = opset.version();
    }
    // IR version 1-2 files without opset_import mean opset 1.
    const auto defaultOpset = impl->opsets.find("");
    impl->graph.opset = defaultOpset == impl->opsets.end() ? 1 : static_cast<int>(defaultOpset->second);
    if (defaultOpset == impl->opsets.end())
        impl->opsets[""] = 1;

    const onnx::GraphProto& graph = proto.graph();
    std::set<std::string> unsupported;
    for (const onnx::TensorProto& initializer : graph.initializer()) {
        if (!onnxTypeIsSupported(initializer.data_type())) {
            unsupported.insert("initializer of type " + onnxTypeName(initializer.data_type()));
            continue;
        }
        impl->graph.initializers[initializer.name()] =
            detail::tensorFromProto(initializer, origin + ": initializer '" + initializer.name() + "'");
    }
    if (graph.sparse_initializer_size() > 0)
        unsupported.insert("sparse initializers");

    std::set<std::string> available;
    for (const onnx::ValueInfoProto& input : graph.input()) {
        available.insert(input.name());
        if (impl->graph.initializers.count(input.name()) != 0)
            continue;  // IR < 4 lists initializers as inputs too; they are not user inputs
        OnnxValueInfo info = valueInfoFromProto(input);
        if (info.dataType == onnx_type::Undefined || !onnxTypeIsSupported(info.dataType))
            unsupported.insert("input '" + input.name() + "' of type " + (info.dataType == onnx_type::Undefined ? std::string("sequence/map/optional") : onnxTypeName(info.dataType)));
        impl->graph.inputs.push_back(std::move(info));
    }
    for (const onnx::TensorProto& initializer : graph.initializer())
        available.insert(initializer.name());
    for (const onnx::ValueInfoProto& output : graph.output()) {
        OnnxValueInfo info = valueInfoFromProto(output);
        if (info.dataType == onnx_type::Undefined)
            unsupported.insert("output '" + output.name() + "' of type sequence/map/optional");
        impl->graph.outputs.push_back(std::move(info));
    }
    for (const onnx::ValueInfoProto& value : graph.value_info())
        impl->graph.valueInfo[value.name()] = valueInfoFromProto(value);

    std::vector<OnnxNode> nodes;
    nodes.reserve(static_cast<std::size_t>(graph.node_size()));
    for (int i = 0; i < graph.node_size(); ++i) {
        const onnx::NodeProto& nodeProto = graph.node(i);
        OnnxNode node = detail::nodeFromProto(nodeProto, origin + ": node " + std::to_string(i) + " (" + nodeProto.op_type() + ")");
        if (node.name.empty())
            node.name = node.opType + "_" + std::to_string(i);
        const std::string reason = OnnxExecutor::unsupportedReason(node, impl->graph.opset);
        if (!reason.empty())
            unsupported.insert(reason);
        nodes.push_back(std::move(node));
    }
    impl->graph.nodes = sortTopologically(std::move(nodes), available, origin);
    impl->unsupported.assign(unsupported.begin(), unsupported.end());
    if (!impl->unsupported.empty() && !options.allowUnsupported) {
        std::string list;
        for (const std::string& op : impl->unsupported)
        {
            if (!list.empty())
                list += ", ";
            list += op;
        }
        throw OnnxUnsupportedError(origin + ": unsupported ONNX operators (opset " + std::to_string(impl->graph.opset)
                                       + "): " + list,
                                   impl->unsupported);
    }
    return OnnxModel(std::move(impl));
}

const std::string& OnnxModel::origin() const { return m_impl->origin; }
std::int64_t OnnxModel::irVersion() const { return m_impl->irVersion; }
const std::string& OnnxModel::producer() const { return m_impl->producer; }
int OnnxModel::opsetVersion() const { return m_impl->graph.opset; }
const std::map<std::string, std::int64_t>& OnnxModel::opsetImports() const { return m_impl->opsets; }
const std::vector<OnnxValueInfo>& OnnxModel::inputs() const { return m_impl->graph.inputs; }
const std::vector<OnnxValueInfo>& OnnxModel::outputs() const { return m_impl->graph.outputs; }
const OnnxGraph& OnnxModel::graph() const { return m_impl->graph; }
const std::vector<OnnxNode>& OnnxModel::nodes() const { return m_impl->graph.nodes; }
std::vector<std::string> OnnxModel::unsupportedOperators() const { return m_impl->unsupported; }

// Exporters deduplicate initializers with equal values: torch.onnx stores one zero bias and
// feeds the other layers Identity copies of it. Those copies are parameters of their own in
// the network, so each Identity of a constant counts as the constant it copies.
namespace {

std::map<std::string, const OnnxTensor*> constantValues(const OnnxGraph& graph)
{
    std::map<std::string, const OnnxTensor*> constants;
    for (const auto& [name, tensor] : graph.initializers)
        constants[name] = &tensor;
    for (const OnnxNode& node : graph.nodes)  // in execution order, so chains resolve
        if (node.opType == "Identity" && node.inputs.size() == 1 && node.outputs.size() == 1) {
            const auto it = constants.find(node.inputs[0]);
            if (it != constants.end())
                constants[node.outputs[0]] = it->second;
        }
    return constants;
}

}  // namespace

std::size_t OnnxModel::parameterCount() const
{
    std::size_t count = 0;
    for (const auto& entry : constantValues(m_impl->graph))
        count += entry.second->size();
    return count;
}

std::size_t OnnxModel::weightCount() const
{
    std::size_t count = 0;
    for (const auto& entry : constantValues(m_impl->graph))
        if (entry.second->isFloat())
            count += entry.second->size();
    return count;
}

OnnxTensorMap OnnxModel::run(const OnnxTensorMap& inputs, const OnnxNodeCallback& onNode) const
{
    if (!m_impl->unsupported.empty())
        throw OnnxUnsupportedError(m_impl->origin + ": cannot run, unsupported operators present", m_impl->unsupported);
    return OnnxExecutor(m_impl->graph).run(inputs, onNode);
}

OnnxTensorMap OnnxModel::runAll(const OnnxTensorMap& inputs) const
{
    if (!m_impl->unsupported.empty())
        throw OnnxUnsupportedError(m_impl->origin + ": cannot run, unsupported operators present", m_impl->unsupported);
    return OnnxExecutor(m_impl->graph).runAll(inputs);
}

std::vector<OnnxNodeInfo> OnnxModel::nodeInfos() const
{
    std::lock_guard lock(m_impl->infoMutex);
    if (m_impl->infos)
        return *m_impl->infos;
    const OnnxGraph& graph = m_impl->graph;
    std::vector<OnnxNodeInfo> infos;
    std::set<std::string> counted;
    const std::map<std::string, const OnnxTensor*> constants = constantValues(graph);
    for (const OnnxNode& node : graph.nodes) {
        OnnxNodeInfo info;
        info.name = node.name;
        info.opType = node.opType;
        info.outputs = node.outputs;
        const bool copiesConstant = node.opType == "Identity" && node.outputs.size() == 1 && constants.count(node.outputs[0]);
        for (const std::string& input : node.inputs) {
            const auto it = constants.find(input);
            if (!copiesConstant && it != constants.end() && counted.insert(input).second)
                info.parameterCount += it->second->size();
        }
        // Declared shapes first; a dry run below replaces them with exact ones.
        info.shapesKnown = !node.outputs.empty();
        for (const std::string& output : node.outputs) {
            const auto it = graph.valueInfo.find(output);
            const OnnxValueInfo* declared = it != graph.valueInfo.end() ? &it->second : nullptr;
            if (declared == nullptr)
                for (const OnnxValueInfo& out : graph.outputs)
                    if (out.name == output)
                        declared = &out;
            if (declared == nullptr || !declared->hasShape)
                info.shapesKnown = false;
            info.outputShapes.push_back(declared != nullptr ? declared->shape : OnnxShape{});
        }
        infos.push_back(std::move(info));
    }
    // Dry run on zeros with batch 1, when every input shape is known.
    bool runnable = m_impl->unsupported.empty();
    OnnxTensorMap zeros;
    for (const OnnxValueInfo& input : graph.inputs) {
        if (!input.hasShape) {
            runnable = false;
            break;
        }
        OnnxTensor zero;
        zero.shape = input.resolvedShape(1);
        zero.dataType = onnxTypeIsFloating(input.dataType) ? onnx_type::Float : input.dataType;
        try {
            if (zero.isFloat())
                zero.floats.assign(onnxShapeSize(zero.shape), 0.0f);
            else
                zero.ints.assign(onnxShapeSize(zero.shape), 0);
        } catch (const std::exception&) {
            runnable = false;
            break;
        }
        zeros[input.name] = std::move(zero);
    }
    if (runnable) {
        try {
            OnnxExecutor(graph).runAll(zeros, [&](std::size_t index, const OnnxNode&, const std::vector<const OnnxTensor*>& outputs) {
                OnnxNodeInfo& info = infos[index];
                info.shapesKnown = true;
                for (std::size_t i = 0; i < outputs.size(); ++i)
                    info.outputShapes[i] = outputs[i] != nullptr ? outputs[i]->shape : OnnxShape{};
            });
        } catch (const std::exception&) {
            // Keep the declared shapes: zeros can be invalid data (e.g. as indices).
        }
    }
    m_impl->infos = infos;
    return infos;
}

std::string OnnxModel::summary() const
{
    const std::vector<OnnxNodeInfo> infos = nodeInfos();
    std::ostringstream text;
    text << "ONNX model " << m_impl->origin << " (IR " << m_impl->irVersion << ", opset " << m_impl->graph.opset;
    if (!m_impl->producer.empty())
        text << ", " << m_impl->producer;
    text << ")\n";
    // Symbolic dimensions by name: "(batch_size, 3, 32, 32)".
    auto declaredShape = [](const OnnxValueInfo& info) {
        if (!info.hasShape)
            return std::string("(?)");
        std::string shape = "(";
        for (std::size_t d = 0; d < info.shape.size(); ++d) {
            if (d > 0)
                shape += ", ";
            shape += info.shape[d] >= 0 ? std::to_string(info.shape[d]) : info.dimNames[d];
        }
        return shape + (info.shape.size() == 1 ? ",)" : ")");
    };
    for (const OnnxValueInfo& input : inputs())
        text << "input  " << input.name << " " << onnxTypeName(input.dataType) << " " << declaredShape(input) << "\n";
    std::size_t nameWidth = 28;
    for (const OnnxNodeInfo& info : infos)
        nameWidth = std::max(nameWidth, info.name.size() + 2);
    nameWidth = std::min<std::size_t>(nameWidth, 64);
    const int nameColumn = static_cast<int>(nameWidth);
    text << std::left << std::setw(nameColumn) << "node" << std::setw(20) << "op" << std::setw(26) << "output shape"
         << "parameters\n";
    for (const OnnxNodeInfo& info : infos) {
        std::string shapes;
        for (std::size_t i = 0; i < info.outputShapes.size(); ++i) {
            if (info.outputs[i].empty())
                continue;
            if (!shapes.empty())
                shapes += ' ';
            shapes += info.shapesKnown ? onnxShapeToString(info.outputShapes[i]) : std::string("?");
        }
        // A name wider than its column still keeps one space before the op.
        text << std::left << std::setw(nameColumn) << (info.name.size() >= nameWidth ? info.name + " " : info.name)
             << std::setw(20) << info.opType << std::setw(26) << shapes << formatThousands(info.parameterCount) << "\n";
    }
    for (const OnnxValueInfo& output : outputs())
        text << "output " << output.name << " " << onnxTypeName(output.dataType) << " " << declaredShape(output) << "\n";
    text << "total parameters: " << formatThousands(parameterCount()) << " (floating-point weights: "
         << formatThousands(weightCount()) << ")\n";
    if (!m_impl->unsupported.empty()) {
        text << "unsupported:";
        for (const std::string& op : m_impl->unsupported)
            text << " " << op << ";";
        text << "\n";
    }
    return text.str();
}

}  // namespace layerlens::core
