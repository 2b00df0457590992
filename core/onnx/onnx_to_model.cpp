#include "core/onnx/onnx_to_model.h"

#include <array>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>

#include "core/activations/activation.h"
#include "core/layers/activation_layer.h"
#include "core/layers/avg_pool2d.h"
#include "core/layers/batch_norm.h"
#include "core/layers/conv2d.h"
#include "core/layers/dense.h"
#include "core/layers/dropout.h"
#include "core/layers/flatten.h"
#include "core/layers/global_average_pool.h"
#include "core/layers/max_pool2d.h"
#include "core/layers/reshape.h"
#include "core/layers/softmax.h"

namespace layerlens::core {

namespace {

// One layer to add, with the values its parameters and buffers get after the model is built
// (in parameters() / buffers() order).
struct PendingLayer {
    LayerPtr layer;
    std::vector<Tensor> parameters;
    std::vector<Tensor> buffers;
    std::string source;  // "Conv 'conv1'" for messages
};

const std::set<std::string> kChainOps = {
    "Conv", "Gemm", "MatMul", "Add", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Elu", "Selu", "Softplus",
    "HardSigmoid", "Softmax", "LogSoftmax", "MaxPool", "AveragePool", "GlobalAveragePool", "BatchNormalization",
    "Flatten", "Reshape", "Dropout", "Identity", "Pad"};

class Converter {
public:
    Converter(const OnnxModel& onnx, std::uint64_t seed) : m_onnx(onnx), m_graph(onnx.graph()), m_seed(seed) {}

    OnnxConversion run()
    {
        findChain();
        probe();
        Shape shape = m_inputShape;
        for (std::size_t k = 0; k < m_chain.size(); ++k) {
            const OnnxNode& node = *m_chain[k];
            if (m_skip.count(&node))
                continue;
            m_last = k + 1 == m_chain.size();
            convert(node, shape);
        }
        const std::size_t produced = shapeSize(shape);
        const std::size_t expected = perSampleSize(m_graph.outputs[0].name);
        if (produced != expected)
            fail(*m_chain.back(), "the converted layers give " + shapeToString(shape) + " per sample, the graph "
                                      + std::to_string(expected) + " values");
        return build();
    }

private:
    [[noreturn]] void fail(const OnnxNode& node, const std::string& why) const
    {
        throw std::runtime_error(m_onnx.origin() + ": node " + node.describe() + ": " + why);
    }

    // ------------------------------------------------------------------ the chain
    void findChain()
    {
        if (m_graph.inputs.size() != 1)
            throw std::runtime_error(m_onnx.origin() + ": a trainable model needs exactly one graph input, the file has "
                                     + std::to_string(m_graph.inputs.size()));
        if (m_graph.outputs.size() != 1)
            throw std::runtime_error(m_onnx.origin() + ": a trainable model needs exactly one graph output, the file has "
                                     + std::to_string(m_graph.outputs.size()));
        const OnnxValueInfo& input = m_graph.inputs[0];
        m_batch = 1;
        if (input.hasShape && !input.shape.empty() && input.shape[0] < 0)
            m_batch = 2;  // a free batch axis: probe with two samples so that Reshape shows what it does with it
        m_probeShape = input.resolvedShape(m_batch);
        if (m_probeShape.size() != 2 && m_probeShape.size() != 4)
            throw std::runtime_error(m_onnx.origin() + ": input '" + input.name + "' has shape "
                                     + onnxShapeToString(m_probeShape)
                                     + "; a trainable model takes (N, features) or (N, C, H, W)");
        m_batch = m_probeShape[0];
        for (std::size_t i = 1; i < m_probeShape.size(); ++i)
            m_inputShape.push_back(static_cast<int>(m_probeShape[i]));

        m_dynamic.insert(input.name);
        std::map<std::string, std::vector<const OnnxNode*>> consumers;
        std::vector<std::string> refused;
        for (const OnnxNode& node : m_graph.nodes) {
            bool dynamicInput = false;
            for (const std::string& in : node.inputs)
                dynamicInput = dynamicInput || m_dynamic.count(in);
            // Shape reads only the (static) shape of its input: its result is a constant.
            if (!dynamicInput || node.opType == "Shape")
                continue;
            m_chain.push_back(&node);
            for (const std::string& in : node.inputs)
                if (m_dynamic.count(in))
                    consumers[in].push_back(&node);
            for (const std::string& out : node.outputs)
                if (!out.empty())
                    m_dynamic.insert(out);
            const bool standard = node.domain.empty() || node.domain == "ai.onnx";
            if (!standard || !kChainOps.count(node.opType))
                refused.push_back(node.describe() + (standard ? "" : " (domain " + node.domain + ")"));
        }
        if (!refused.empty()) {
            std::string list;
            for (const auto& r : refused)
                list += (list.empty() ? "" : ", ") + r;
            throw std::runtime_error(m_onnx.origin() + ": cannot make a trainable model: no layer for node(s) " + list);
        }
        if (m_chain.empty())
            throw std::runtime_error(m_onnx.origin() + ": the graph has no operator on its input");
        for (const OnnxNode* node : m_chain) {
            int dynamicInputs = 0;
            for (const std::string& in : node->inputs)
                dynamicInputs += m_dynamic.count(in) ? 1 : 0;
            if (dynamicInputs != 1)
                fail(*node, "it joins two branches of the graph; only chains of layers (no skip connections) can be trained here");
        }
        for (const auto& [tensor, users] : consumers)
            if (users.size() > 1)
                throw std::runtime_error(m_onnx.origin() + ": the graph branches at '" + tensor + "' (read by "
                                         + users[0]->describe() + " and " + users[1]->describe()
                                         + "); only chains of layers can be trained here");
        // Every chain node's main output must feed the next one; the last gives the graph output.
        for (std::size_t k = 0; k + 1 < m_chain.size(); ++k) {
            const std::string& out = m_chain[k]->outputs.at(0);
            bool feedsNext = false;
            for (const std::string& in : m_chain[k + 1]->inputs)
                feedsNext = feedsNext || in == out;
            if (!feedsNext)
                fail(*m_chain[k + 1], "it does not continue the chain from " + m_chain[k]->describe());
        }
        if (m_chain.back()->outputs.at(0) != m_graph.outputs[0].name)
            fail(*m_chain.back(), "its output is not the graph output '" + m_graph.outputs[0].name + "'");
        for (const OnnxNode* node : m_chain)
            for (std::size_t o = 1; o < node->outputs.size(); ++o)
                if (!node->outputs[o].empty() && consumers.count(node->outputs[o]))
                    fail(*node, "its extra output '" + node->outputs[o] + "' is used; only the main output can be");
    }

    void probe()
    {
        OnnxTensor zero;
        zero.shape = m_probeShape;
        zero.floats.assign(onnxShapeSize(m_probeShape), 0.0f);
        try {
            m_values = m_onnx.runAll({{m_graph.inputs[0].name, zero}});
        } catch (const std::exception& e) {
            throw std::runtime_error(m_onnx.origin() + ": could not evaluate the graph's shapes: " + e.what());
        }
    }

    // ------------------------------------------------------------------ values
    const OnnxTensor& value(const std::string& name) const
    {
        auto it = m_values.find(name);
        if (it != m_values.end())
            return it->second;
        it = m_graph.initializers.find(name);
        if (it == m_graph.initializers.end())
            throw std::runtime_error(m_onnx.origin() + ": value '" + name + "' was not computed");
        return it->second;
    }
    const OnnxTensor& constant(const OnnxNode& node, std::size_t input, const std::string& what) const
    {
        if (input >= node.inputs.size() || node.inputs[input].empty())
            fail(node, "input " + std::to_string(input) + " (" + what + ") is missing");
        if (m_dynamic.count(node.inputs[input]))
            fail(node, "its " + what + " must be a constant, not computed from the model input");
        const OnnxTensor& t = value(node.inputs[input]);
        if (!t.isFloat())
            fail(node, "its " + what + " is not a float tensor");
        return t;
    }
    bool hasInput(const OnnxNode& node, std::size_t input) const
    {
        return input < node.inputs.size() && !node.inputs[input].empty();
    }
    const std::string& chainInput(const OnnxNode& node) const
    {
        for (const std::string& in : node.inputs)
            if (m_dynamic.count(in))
                return in;
        fail(node, "no input from the chain");
    }
    // Per-sample shape of a probed value (batch axis dropped).
    Shape perSample(const std::string& name) const
    {
        const OnnxShape& s = value(name).shape;
        Shape shape;
        for (std::size_t i = 1; i < s.size(); ++i)
            shape.push_back(static_cast<int>(s[i]));
        return shape;
    }
    std::size_t perSampleSize(const std::string& name) const { return shapeSize(perSample(name)); }

    // ------------------------------------------------------------------ emitting layers
    void emit(const OnnxNode& node, LayerPtr layer, Shape& shape, std::vector<Tensor> parameters = {},
              std::vector<Tensor> buffers = {}, bool named = true)
    {
        try {
            shape = layer->outputShape(shape);
        } catch (const std::exception& e) {
            fail(node, e.what());
        }
        if (named && !node.name.empty() && m_named.insert(node.name).second)
            layer->setName(node.name);
        m_layers.push_back({std::move(layer), std::move(parameters), std::move(buffers), node.describe()});
        m_emittedFrom = node.outputs.at(0);
    }
    // Our layers may hold a value as (C) where ONNX holds (C, 1, 1) (GlobalAveragePool): reshape
    // before an operator that needs ONNX's layout.
    void conform(const OnnxNode& node, Shape& shape)
    {
        const Shape expected = perSample(chainInput(node));
        if (expected == shape)
            return;
        if (shapeSize(expected) != shapeSize(shape))
            fail(node, "its input has " + shapeToString(expected) + " per sample, the converted layers give "
                           + shapeToString(shape));
        emit(node, std::make_unique<Reshape>(expected), shape, {}, {}, false);
        m_emittedFrom.clear();
    }
    void checkOutput(const OnnxNode& node, const Shape& shape) const
    {
        const Shape expected = perSample(node.outputs.at(0));
        if (shapeSize(expected) != shapeSize(shape))
            fail(node, "the layer gives " + shapeToString(shape) + " per sample, ONNX " + shapeToString(expected));
    }

    // "valid" / "same" / explicit symmetric padding for a 2-D window, from pads and auto_pad.
    Padding2D padding(const OnnxNode& node, const Shape& in, std::array<int, 2> kernel, std::array<int, 2> strides,
                      std::array<int, 2> dilations, bool allowExplicit) const
    {
        const std::string autoPad = node.attrString("auto_pad", "NOTSET");
        std::array<int, 2> before{}, after{};
        std::array<WindowAxis, 2> same{};
        for (int a = 0; a < 2; ++a)
            same[static_cast<std::size_t>(a)] = computeWindowAxis(in[static_cast<std::size_t>(a + 1)], kernel[static_cast<std::size_t>(a)],
                                                                  strides[static_cast<std::size_t>(a)], dilations[static_cast<std::size_t>(a)],
                                                                  Padding2D::Mode::Same, 0);
        if (autoPad == "VALID")
            return Padding2D::valid();
        if (autoPad == "SAME_UPPER")
            return Padding2D::same();  // Keras "same" puts the odd pixel at the bottom/right too
        if (autoPad == "SAME_LOWER") {
            for (const WindowAxis& axis : same)
                if (axis.padBefore != axis.padAfter)
                    fail(node, "auto_pad SAME_LOWER with odd total padding has no equivalent layer padding");
            return Padding2D::same();
        }
        if (autoPad != "NOTSET")
            fail(node, "unknown auto_pad \"" + autoPad + "\"");
        const auto pads = node.attrInts("pads", {0, 0, 0, 0});
        if (pads.size() != 4)
            fail(node, "expected 4 pads for a 2-D window, found " + std::to_string(pads.size()));
        for (int a = 0; a < 2; ++a) {
            before[static_cast<std::size_t>(a)] = static_cast<int>(pads[static_cast<std::size_t>(a)]);
            after[static_cast<std::size_t>(a)] = static_cast<int>(pads[static_cast<std::size_t>(a + 2)]);
        }
        if (before == std::array<int, 2>{0, 0} && after == std::array<int, 2>{0, 0})
            return Padding2D::valid();
        if (same[0].padBefore == before[0] && same[0].padAfter == after[0] && same[1].padBefore == before[1]
            && same[1].padAfter == after[1])
            return Padding2D::same();
        if (allowExplicit && before == after)
            return Padding2D::explicitPadding(before[0], before[1]);
        fail(node, "pads [" + std::to_string(pads[0]) + ", " + std::to_string(pads[1]) + ", " + std::to_string(pads[2])
                       + ", " + std::to_string(pads[3]) + "] have no equivalent layer padding (supported: none, "
                       + (allowExplicit ? "symmetric, " : "") + "or the same padding as Keras \"same\")");
    }
    std::array<int, 2> pair(const OnnxNode& node, const std::string& attribute, std::array<int, 2> fallback) const
    {
        const auto v = node.attrInts(attribute, {fallback[0], fallback[1]});
        if (v.size() != 2)
            fail(node, "attribute " + attribute + " must have 2 values (2-D), found " + std::to_string(v.size()));
        if (v[0] <= 0 || v[1] <= 0)
            fail(node, "attribute " + attribute + " must be positive");
        return {static_cast<int>(v[0]), static_cast<int>(v[1])};
    }

    // ------------------------------------------------------------------ operators
    void convert(const OnnxNode& node, Shape& shape)
    {
        const std::string& op = node.opType;
        if (op == "Identity")
            return;
        if (op == "Dropout") {
            float ratio = node.attrFloat("ratio", 0.5f);
            if (hasInput(node, 1))
                ratio = constant(node, 1, "ratio").floatAt(0);
            if (ratio > 0.0f && ratio < 1.0f)
                emit(node, std::make_unique<Dropout>(ratio), shape);
            return;
        }
        if (op == "Flatten" || op == "Reshape") {
            convertReshape(node, shape);
            return;
        }
        if (op == "LogSoftmax") {
            if (!m_last)
                fail(node, "LogSoftmax is only supported as the last node (it is dropped: the model then emits logits)");
            m_notes.push_back("The final LogSoftmax (" + node.describe()
                              + ") was dropped: the model emits logits; predictions are unchanged.");
            return;
        }
        conform(node, shape);
        if (op == "Pad") {
            const std::string mode = node.attrString("mode", "constant");
            std::vector<std::int64_t> pads = node.attrInts("pads");
            if (hasInput(node, 1)) {
                if (m_dynamic.count(node.inputs[1]))
                    fail(node, "its pads must be constant");
                pads = value(node.inputs[1]).toInts();
            }
            for (auto p : pads)
                if (p != 0)
                    fail(node, "Pad with non-zero pads has no layer here (use the padding of the next Conv)");
            return;
        }
        if (op == "Conv")
            convertConv(node, shape);
        else if (op == "Gemm")
            convertGemm(node, shape);
        else if (op == "MatMul")
            convertMatMul(node, shape);
        else if (op == "Add")
            foldAdd(node, shape);
        else if (op == "MaxPool" || op == "AveragePool")
            convertPool(node, shape);
        else if (op == "GlobalAveragePool")
            emit(node, std::make_unique<GlobalAveragePool>(), shape);
        else if (op == "BatchNormalization")
            convertBatchNorm(node, shape);
        else if (op == "Softmax")
            convertSoftmax(node, shape);
        else
            convertActivation(node, shape);
        if (!m_skip.count(&node))
            checkOutput(node, shape);
    }

    void convertConv(const OnnxNode& node, Shape& shape)
    {
        const OnnxTensor& w = constant(node, 1, "weight");
        if (w.rank() != 4 || shape.size() != 3)
            fail(node, "only 2-D convolutions of (N, C, H, W) inputs are supported (weight " + onnxShapeToString(w.shape) + ")");
        const int filters = static_cast<int>(w.shape[0]);
        const int group = static_cast<int>(node.attrInt("group", 1));
        const int channels = shape[0];
        if (group < 1 || channels % group != 0 || filters % group != 0 || w.shape[1] * group != channels)
            fail(node, "weight " + onnxShapeToString(w.shape) + " and group " + std::to_string(group)
                           + " do not fit " + std::to_string(channels) + " input channels");
        const std::array<int, 2> kernel = {static_cast<int>(w.shape[2]), static_cast<int>(w.shape[3])};
        if (node.has("kernel_shape") && pair(node, "kernel_shape", kernel) != kernel)
            fail(node, "kernel_shape differs from the weight's shape");
        const auto strides = pair(node, "strides", {1, 1});
        const auto dilations = pair(node, "dilations", {1, 1});
        const Padding2D pad = padding(node, shape, kernel, strides, dilations, true);

        // A grouped convolution is a full one whose kernel is zero between groups.
        const int perGroupIn = channels / group, perGroupOut = filters / group;
        const std::size_t kArea = static_cast<std::size_t>(kernel[0]) * static_cast<std::size_t>(kernel[1]);
        Tensor kernelValues({filters, channels, kernel[0], kernel[1]});
        const std::vector<float> src = w.toFloats();
        for (int o = 0; o < filters; ++o) {
            const int g = o / perGroupOut;
            for (int c = 0; c < perGroupIn; ++c)
                for (std::size_t k = 0; k < kArea; ++k)
                    kernelValues[(static_cast<std::size_t>(o) * static_cast<std::size_t>(channels)
                                  + static_cast<std::size_t>(g * perGroupIn + c)) * kArea + k]
                        = src[(static_cast<std::size_t>(o) * static_cast<std::size_t>(perGroupIn) + static_cast<std::size_t>(c)) * kArea + k];
        }
        if (group > 1)
            m_notes.push_back(node.describe() + ": group " + std::to_string(group)
                              + " became a full convolution with a block-diagonal kernel (same outputs; training may "
                                "fill the zero blocks).");
        Tensor bias({filters}, 0.0f);
        if (hasInput(node, 2))
            bias = biasVector(node, constant(node, 2, "bias"), filters);
        else
            m_biasless.push_back(node.describe());
        emit(node, std::make_unique<Conv2D>(filters, kernel, strides, pad, dilations, true), shape,
             {std::move(kernelValues), std::move(bias)});
    }

    Tensor biasVector(const OnnxNode& node, const OnnxTensor& t, int units) const
    {
        const std::vector<float> v = t.toFloats();
        if (v.size() == 1)
            return Tensor({units}, v[0]);
        if (static_cast<int>(v.size()) != units)
            fail(node, "bias " + onnxShapeToString(t.shape) + " does not fit " + std::to_string(units) + " outputs");
        return Tensor({units}, v);
    }

    void convertGemm(const OnnxNode& node, Shape& shape)
    {
        if (node.inputs.empty() || !m_dynamic.count(node.inputs[0]))
            fail(node, "the chain must be Gemm's first input (A)");
        if (node.attrInt("transA", 0) != 0)
            fail(node, "transA = 1 is not supported (A must be (N, features))");
        if (shape.size() != 1)
            fail(node, "A must be (N, features), found " + shapeToString(shape) + " per sample");
        const OnnxTensor& b = constant(node, 1, "B");
        if (b.rank() != 2)
            fail(node, "B must be a matrix, found " + onnxShapeToString(b.shape));
        const bool transB = node.attrInt("transB", 0) != 0;
        const float alpha = node.attrFloat("alpha", 1.0f), beta = node.attrFloat("beta", 1.0f);
        const int inputs = static_cast<int>(transB ? b.shape[1] : b.shape[0]);
        const int units = static_cast<int>(transB ? b.shape[0] : b.shape[1]);
        if (inputs != shape[0])
            fail(node, "B " + onnxShapeToString(b.shape) + " does not fit " + std::to_string(shape[0]) + " input features");
        Tensor kernel = denseKernel(b, transB, alpha);
        Tensor bias({units}, 0.0f);
        if (hasInput(node, 2)) {
            const OnnxTensor& c = constant(node, 2, "C");
            if (c.rank() == 2 && c.shape[0] != 1)
                fail(node, "C " + onnxShapeToString(c.shape) + " varies per sample; only a bias row is supported");
            bias = biasVector(node, c, units);
            for (std::size_t i = 0; i < bias.size(); ++i)
                bias[i] *= beta;
        } else {
            m_biasless.push_back(node.describe());
        }
        emit(node, std::make_unique<Dense>(units, true), shape, {std::move(kernel), std::move(bias)});
    }

    // Our Dense kernel is (units, inputs), PyTorch's layout.
    static Tensor denseKernel(const OnnxTensor& b, bool transposed, float alpha)
    {
        const int rows = static_cast<int>(b.shape[0]), cols = static_cast<int>(b.shape[1]);
        const std::vector<float> v = b.toFloats();
        const int units = transposed ? rows : cols, inputs = transposed ? cols : rows;
        Tensor kernel({units, inputs});
        for (int u = 0; u < units; ++u)
            for (int i = 0; i < inputs; ++i)
                kernel[static_cast<std::size_t>(u) * static_cast<std::size_t>(inputs) + static_cast<std::size_t>(i)]
                    = alpha * (transposed ? v[static_cast<std::size_t>(u) * static_cast<std::size_t>(cols) + static_cast<std::size_t>(i)]
                                          : v[static_cast<std::size_t>(i) * static_cast<std::size_t>(cols) + static_cast<std::size_t>(u)]);
        return kernel;
    }

    void convertMatMul(const OnnxNode& node, Shape& shape)
    {
        if (node.inputs.size() != 2 || !m_dynamic.count(node.inputs[0]))
            fail(node, "the chain must be MatMul's first input");
        if (shape.size() != 1)
            fail(node, "the chain input must be (N, features), found " + shapeToString(shape) + " per sample");
        const OnnxTensor& b = constant(node, 1, "weight");
        if (b.rank() != 2 || b.shape[0] != shape[0])
            fail(node, "weight " + onnxShapeToString(b.shape) + " does not fit " + std::to_string(shape[0]) + " input features");
        m_biasless.push_back(node.describe());  // until an Add gives it one
        emit(node, std::make_unique<Dense>(static_cast<int>(b.shape[1]), true), shape,
             {denseKernel(b, false, 1.0f), Tensor({static_cast<int>(b.shape[1])}, 0.0f)});
    }

    // Add of a constant right after Conv/Gemm/MatMul is that layer's bias.
    void foldAdd(const OnnxNode& node, Shape& shape)
    {
        const std::string& in = chainInput(node);
        const std::size_t other = node.inputs[0] == in ? 1 : 0;
        const OnnxTensor& c = constant(node, other, "addend");
        if (m_layers.empty() || m_emittedFrom != in
            || (m_layers.back().layer->type() != "Conv2D" && m_layers.back().layer->type() != "Dense"))
            fail(node, "adding a constant is only supported as the bias of the Conv/Gemm/MatMul just before it");
        PendingLayer& prev = m_layers.back();
        Tensor& bias = prev.parameters[1];
        const int units = static_cast<int>(bias.size());
        // Broadcasting aligns trailing axes: the non-1 axis must be the channel/feature axis.
        OnnxShape s = c.shape;
        const std::size_t outRank = shape.size() + 1;
        if (s.size() > outRank)
            fail(node, "addend " + onnxShapeToString(c.shape) + " has more axes than the value");
        while (s.size() < outRank)
            s.insert(s.begin(), 1);
        for (std::size_t a = 0; a < s.size(); ++a)
            if (s[a] != 1 && !(a == 1 && s[a] == units))
                fail(node, "addend " + onnxShapeToString(c.shape) + " is not a per-channel bias of " + prev.source);
        const std::vector<float> v = c.toFloats();
        for (int u = 0; u < units; ++u)
            bias[static_cast<std::size_t>(u)] += v.size() == 1 ? v[0] : v[static_cast<std::size_t>(u)];
        std::erase(m_biasless, prev.source);
        m_emittedFrom = node.outputs.at(0);
        m_skip.insert(&node);
    }

    void convertPool(const OnnxNode& node, Shape& shape)
    {
        if (shape.size() != 3)
            fail(node, "pooling needs an (N, C, H, W) input");
        const bool isMax = node.opType == "MaxPool";
        const auto kernel = pair(node, "kernel_shape", {0, 0});
        const auto strides = pair(node, "strides", {1, 1});
        if (isMax && pair(node, "dilations", {1, 1}) != std::array<int, 2>{1, 1})
            fail(node, "dilated pooling is not supported");
        const Padding2D pad = padding(node, shape, kernel, strides, {1, 1}, false);
        if (!isMax && pad.mode != Padding2D::Mode::Valid && node.attrInt("count_include_pad", 0) != 0)
            fail(node, "count_include_pad = 1 with padding is not supported (the layer averages real pixels only)");
        LayerPtr layer;
        if (isMax)
            layer = std::make_unique<MaxPool2D>(kernel, strides, pad);
        else
            layer = std::make_unique<AvgPool2D>(kernel, strides, pad);
        const Shape ours = layer->outputShape(shape);
        if (ours != perSample(node.outputs.at(0)))
            fail(node, "the layer gives " + shapeToString(ours) + " but ONNX " + shapeToString(perSample(node.outputs.at(0)))
                           + (node.attrInt("ceil_mode", 0) ? " (ceil_mode = 1)" : ""));
        emit(node, std::move(layer), shape);
    }

    void convertBatchNorm(const OnnxNode& node, Shape& shape)
    {
        if (node.attrInt("training_mode", 0) != 0)
            fail(node, "training_mode = 1 is not supported");
        const int channels = shape.empty() ? 0 : shape[0];
        const std::vector<Tensor> parameters = {biasVector(node, constant(node, 1, "scale"), channels),
                                                biasVector(node, constant(node, 2, "B"), channels)};
        const std::vector<Tensor> buffers = {biasVector(node, constant(node, 3, "mean"), channels),
                                             biasVector(node, constant(node, 4, "var"), channels)};
        emit(node, std::make_unique<BatchNorm>(node.attrFloat("momentum", 0.9f), node.attrFloat("epsilon", 1e-5f)), shape,
             parameters, buffers);
    }

    void convertSoftmax(const OnnxNode& node, Shape& shape)
    {
        const std::int64_t axis = node.attrInt("axis", m_graph.opset >= 13 ? -1 : 1);
        if (shape.size() != 1 || (axis != 1 && axis != -1))
            fail(node, "Softmax is supported over the features of (N, features) only (axis " + std::to_string(axis) + ")");
        emit(node, std::make_unique<Softmax>(), shape);
    }

    void convertActivation(const OnnxNode& node, Shape& shape)
    {
        const std::string& op = node.opType;
        Activation a;
        auto near = [](float x, float y) { return std::abs(x - y) <= 1e-6f * std::max(1.0f, std::abs(y)); };
        if (op == "Relu") {
            a.kind = ActivationKind::Relu;
        } else if (op == "LeakyRelu") {
            a.kind = ActivationKind::LeakyRelu;
            a.alpha = node.attrFloat("alpha", 0.01f);
        } else if (op == "Sigmoid") {
            a.kind = ActivationKind::Sigmoid;
        } else if (op == "Tanh") {
            a.kind = ActivationKind::Tanh;
        } else if (op == "Elu") {
            a.kind = ActivationKind::Elu;
            a.alpha = node.attrFloat("alpha", 1.0f);
        } else if (op == "Softplus") {
            a.kind = ActivationKind::Softplus;
        } else if (op == "Selu") {
            a.kind = ActivationKind::Selu;
            if (!near(node.attrFloat("alpha", 1.67326319217681884765625f), 1.6732632f)
                || !near(node.attrFloat("gamma", 1.05070102214813232421875f), 1.0507010f))
                fail(node, "Selu with non-standard alpha/gamma is not supported");
        } else if (op == "HardSigmoid") {
            a.kind = ActivationKind::HardSigmoid;
            if (!near(node.attrFloat("alpha", 0.2f), 0.2f) || !near(node.attrFloat("beta", 0.5f), 0.5f))
                fail(node, "HardSigmoid with alpha/beta other than 0.2/0.5 is not supported");
        } else {
            fail(node, "no layer for operator " + op);
        }
        emit(node, std::make_unique<ActivationLayer>(a), shape);
    }

    void convertReshape(const OnnxNode& node, Shape& shape)
    {
        const OnnxShape& in = value(chainInput(node)).shape;
        const OnnxShape& out = value(node.outputs.at(0)).shape;
        if (node.opType == "Flatten") {
            std::int64_t axis = node.attrInt("axis", 1);
            if (axis < 0)
                axis += static_cast<std::int64_t>(in.size());
            if (axis != 1)
                fail(node, "Flatten with axis " + std::to_string(axis) + " mixes the batch axis; only axis 1 is supported");
        }
        if (out.empty() || out[0] != m_batch)
            fail(node, "the reshape to " + onnxShapeToString(out) + " changes the batch axis (probed with batch "
                           + std::to_string(m_batch) + ")");
        Shape target;
        for (std::size_t i = 1; i < out.size(); ++i)
            target.push_back(static_cast<int>(out[i]));
        if (target == shape)
            return;
        if (shapeSize(target) != shapeSize(shape))
            fail(node, "reshape to " + shapeToString(target) + " does not fit " + shapeToString(shape));
        if (target.size() == 1)
            emit(node, std::make_unique<Flatten>(), shape);
        else
            emit(node, std::make_unique<Reshape>(target), shape);
    }

    // ------------------------------------------------------------------ the model
    OnnxConversion build()
    {
        OnnxConversion result;
        Model& model = result.model;
        model.setInputShape(m_inputShape);
        for (auto& pending : m_layers)
            model.add(std::move(pending.layer));
        try {
            model.build(m_seed);
        } catch (const std::exception& e) {
            throw std::runtime_error(m_onnx.origin() + ": the converted layers do not fit together: " + e.what());
        }
        for (int i = 0; i < model.layerCount(); ++i) {
            const PendingLayer& pending = m_layers[static_cast<std::size_t>(i)];
            auto copy = [&](const std::vector<Parameter*>& to, const std::vector<Tensor>& from, const char* what) {
                if (from.empty())
                    return;
                if (to.size() != from.size())
                    throw std::runtime_error(m_onnx.origin() + ": " + pending.source + ": expected " + std::to_string(to.size())
                                             + " " + what + ", converted " + std::to_string(from.size()));
                for (std::size_t p = 0; p < to.size(); ++p) {
                    if (to[p]->value.shape() != from[p].shape())
                        throw std::runtime_error(m_onnx.origin() + ": " + pending.source + ": " + to[p]->name + " is "
                                                 + shapeToString(to[p]->value.shape()) + ", the file gives "
                                                 + shapeToString(from[p].shape()));
                    to[p]->value.copyFrom(from[p]);
                }
            };
            copy(model.layer(i).parameters(), pending.parameters, "parameters");
            copy(model.layer(i).buffers(), pending.buffers, "buffers");
        }
        result.notes = m_notes;
        for (const std::string& source : m_biasless)
            result.notes.push_back(source + " has no bias in the file: it got a zero bias that training can change.");
        return result;
    }

    const OnnxModel& m_onnx;
    const OnnxGraph& m_graph;
    std::uint64_t m_seed;
    std::int64_t m_batch = 1;
    OnnxShape m_probeShape;
    Shape m_inputShape;
    std::set<std::string> m_dynamic;        // values computed from the graph input
    std::vector<const OnnxNode*> m_chain;   // the nodes on the data path, in order
    std::set<const OnnxNode*> m_skip;       // folded into an earlier layer
    OnnxTensorMap m_values;                 // every value for a zero input
    std::vector<PendingLayer> m_layers;
    std::set<std::string> m_named;
    std::string m_emittedFrom;              // the ONNX value the last emitted layer stands for
    std::vector<std::string> m_notes;
    std::vector<std::string> m_biasless;
    bool m_last = false;
};

}  // namespace

OnnxConversion onnxToModel(const OnnxModel& onnx, std::uint64_t seed)
{
    return Converter(onnx, seed).run();
}

}  // namespace layerlens::core
