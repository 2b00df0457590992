#pragma once
// OnnxOpRegistry: the operators the ONNX executor implements, by op type, each with an
// optional load-time check that refuses attribute combinations we do not implement (so a
// model is refused when loaded rather than failing half-way through a run).
// Internal to core/onnx: operator families register themselves in onnx_op_registry.cpp.

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "core/onnx/onnx_node.h"
#include "core/onnx/onnx_tensor.h"

namespace layerlens::core {

struct OnnxOpContext {
    const OnnxNode& node;
    int opset;                                // version of the default ("ai.onnx") domain
    std::vector<const OnnxTensor*> inputs;    // nullptr for omitted optional inputs

    std::size_t inputCount() const { return inputs.size(); }
    bool hasInput(std::size_t i) const { return i < inputs.size() && inputs[i] != nullptr; }
    // Throws naming the node when a required input is missing.
    const OnnxTensor& input(std::size_t i) const;
    const OnnxTensor* optionalInput(std::size_t i) const { return hasInput(i) ? inputs[i] : nullptr; }
    std::size_t outputCount() const { return node.outputs.size(); }
    [[noreturn]] void fail(const std::string& message) const;
};

using OnnxOpRun = std::vector<OnnxTensor> (*)(const OnnxOpContext&);
// Returns "" when the node is supported, else a short reason such as "Indices output".
using OnnxOpCheck = std::string (*)(const OnnxNode&, int opset);

struct OnnxOpInfo {
    OnnxOpRun run = nullptr;
    OnnxOpCheck check = nullptr;
};

class OnnxOpRegistry {
public:
    static const OnnxOpRegistry& instance();

    const OnnxOpInfo* find(const std::string& opType) const;
    std::vector<std::string> operatorNames() const;
    void add(const std::string& opType, OnnxOpRun run, OnnxOpCheck check = nullptr);

private:
    OnnxOpRegistry();
    std::map<std::string, OnnxOpInfo> m_ops;
};

// One registration function per operator family (ops/onnx_ops_<family>.cpp).
void registerOnnxElementwiseOps(OnnxOpRegistry& registry);
void registerOnnxConvOps(OnnxOpRegistry& registry);
void registerOnnxPoolOps(OnnxOpRegistry& registry);
void registerOnnxLinearOps(OnnxOpRegistry& registry);
void registerOnnxNormalizationOps(OnnxOpRegistry& registry);
void registerOnnxShapeOps(OnnxOpRegistry& registry);
void registerOnnxReduceOps(OnnxOpRegistry& registry);
void registerOnnxIndexingOps(OnnxOpRegistry& registry);
void registerOnnxResizeOps(OnnxOpRegistry& registry);
void registerOnnxLossOps(OnnxOpRegistry& registry);

}  // namespace layerlens::core
