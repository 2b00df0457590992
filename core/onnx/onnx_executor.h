#pragma once
// OnnxExecutor: runs an OnnxGraph node by node on the CPU. Every intermediate value is
// reported through an optional callback as soon as it is computed, so views can show the
// activations of each node without the executor knowing about them.

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "core/onnx/onnx_graph.h"

namespace layerlens::core {

// Called after each node with the node's position in graph.nodes and its outputs (in the
// node's output order; nullptr for omitted optional outputs).
using OnnxNodeCallback = std::function<void(std::size_t nodeIndex, const OnnxNode& node,
                                            const std::vector<const OnnxTensor*>& outputs)>;

class OnnxExecutor {
public:
    explicit OnnxExecutor(const OnnxGraph& graph) : m_graph(graph) {}

    // Runs the graph. `inputs` must hold every graph input (by name); a supplied value
    // may also override an initializer. Returns every value computed (graph inputs and
    // all node outputs), keyed by name. Throws std::runtime_error naming the node on
    // failure, std::invalid_argument for missing or mis-shaped inputs.
    OnnxTensorMap runAll(const OnnxTensorMap& inputs, const OnnxNodeCallback& onNode = {}) const;
    // As runAll, but returns only the graph outputs.
    OnnxTensorMap run(const OnnxTensorMap& inputs, const OnnxNodeCallback& onNode = {}) const;

    // "" if the node can run, else why not (unknown op, other domain, unsupported attribute).
    static std::string unsupportedReason(const OnnxNode& node, int opset);
    static std::vector<std::string> supportedOperators();

private:
    const OnnxGraph& m_graph;
};

}  // namespace layerlens::core
