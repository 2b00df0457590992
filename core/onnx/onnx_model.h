#pragma once
// OnnxModel: an ONNX model file (.onnx) loaded for inspection and CPU inference.
// Loading parses the protobuf, converts it into our own types (OnnxGraph), sorts the nodes
// by their data dependencies and checks that every operator is implemented. Running gives
// the graph outputs and, through a callback or runAll(), every intermediate value, which the
// activation views display.
//
//   OnnxModel model = OnnxModel::load("mnist.onnx");
//   OnnxTensorMap out = model.run({{model.inputs()[0].name, image}});  // image: (1, 1, 28, 28)

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/onnx/onnx_executor.h"
#include "core/onnx/onnx_graph.h"
#include "core/onnx/onnx_tensor.h"

namespace onnx {
class ModelProto;
}

namespace layerlens::core {

// Thrown by OnnxModel::load when the graph uses operators we do not implement; what() lists
// them, operators() gives them one by one ("LSTM", "MaxPool (Indices output)", "com.x:Foo").
class OnnxUnsupportedError : public std::runtime_error {
public:
    OnnxUnsupportedError(const std::string& message, std::vector<std::string> operators)
        : std::runtime_error(message), m_operators(std::move(operators)) {}
    const std::vector<std::string>& operators() const { return m_operators; }

private:
    std::vector<std::string> m_operators;
};

struct OnnxLoadOptions {
    // Load even when operators are unsupported (to show the graph and its summary);
    // run() then throws. unsupportedOperators() lists what is missing.
    bool allowUnsupported = false;
};

// One row of the model summary.
struct OnnxNodeInfo {
    std::string name;
    std::string opType;
    std::vector<std::string> outputs;
    std::vector<OnnxShape> outputShapes;  // one per output when shapesKnown
    bool shapesKnown = false;
    std::size_t parameterCount = 0;  // elements of the initializers this node is the first to use
};

class OnnxModel {
public:
    // Throws std::runtime_error with the file name for missing/unreadable/truncated/non-ONNX
    // files and invalid graphs, OnnxUnsupportedError for unimplemented operators.
    static OnnxModel load(const std::string& path, const OnnxLoadOptions& options = {});
    static OnnxModel loadFromBytes(const std::string& bytes, const std::string& origin, const OnnxLoadOptions& options = {});

    OnnxModel(OnnxModel&&) noexcept;
    OnnxModel& operator=(OnnxModel&&) noexcept;
    ~OnnxModel();

    const std::string& origin() const;  // file path or the name given to loadFromBytes
    std::int64_t irVersion() const;
    const std::string& producer() const;  // "pytorch 1.7", "CNTK 2.5.1", may be empty
    int opsetVersion() const;  // default domain ("" / "ai.onnx")
    const std::map<std::string, std::int64_t>& opsetImports() const;  // domain -> version

    const std::vector<OnnxValueInfo>& inputs() const;   // graph inputs that are not initializers
    const std::vector<OnnxValueInfo>& outputs() const;
    const OnnxGraph& graph() const;
    const std::vector<OnnxNode>& nodes() const;  // in execution order

    // Sum of the element counts of all initializers (weights, biases, BN statistics, and
    // constant shape tensors stored as initializers).
    std::size_t parameterCount() const;
    // Floating-point initializer elements only: the learned weights, without integer
    // constants such as Reshape target shapes.
    std::size_t weightCount() const;

    // Operators that block execution, deduplicated and sorted; empty when run() works.
    std::vector<std::string> unsupportedOperators() const;

    // Inputs by graph input name. Throws on missing inputs, shape mismatches and operator
    // errors (naming the node).
    OnnxTensorMap run(const OnnxTensorMap& inputs, const OnnxNodeCallback& onNode = {}) const;
    // Every value of the graph (inputs and each node's outputs) by name.
    OnnxTensorMap runAll(const OnnxTensorMap& inputs) const;

    // Per node: name, op type, output shapes (from a run on zero inputs with batch 1 when
    // possible, else from the file's value_info), parameter counts.
    std::vector<OnnxNodeInfo> nodeInfos() const;
    // Human-readable table of nodeInfos() with totals.
    std::string summary() const;

private:
    struct Impl;
    explicit OnnxModel(std::unique_ptr<Impl> impl);
    // Takes the weights out of proto as it converts them, so a large model is never held twice.
    static OnnxModel fromProto(onnx::ModelProto& proto, const std::string& origin, const OnnxLoadOptions& options);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace layerlens::core
