#include "core/io/onnx_exporter.h"

#include <cmath>
#include <filesystem>
#include <fstream>

#include <layerlens_onnx/onnx.pb.h>

namespace layerlens::core {

namespace {

std::pair<int, int> pairOf(const nlohmann::json& config, const char* key, int fallback)
{
    if (!config.contains(key))
        return {fallback, fallback};
    const auto& v = config[key];
    if (v.is_array() && v.size() == 2)
        return {v[0].get<int>(), v[1].get<int>()};
    if (v.is_number_integer())
        return {v.get<int>(), v.get<int>()};
    return {fallback, fallback};
}

// Builds the graph one node at a time; each node's output feeds the next.
class GraphWriter {
public:
    explicit GraphWriter(onnx::GraphProto& graph) : m_graph(graph) {}

    std::string current = "input";

    onnx::NodeProto& node(const std::string& op, const std::string& name, std::vector<std::string> extraInputs = {},
                          bool last = false)
    {
        onnx::NodeProto& n = *m_graph.add_node();
        n.set_op_type(op);
        n.set_name(name);
        n.add_input(current);
        for (const auto& input : extraInputs)
            n.add_input(input);
        current = last ? "output" : name + "_out";
        n.add_output(current);
        return n;
    }

    std::string initializer(const std::string& name, const Tensor& t, const Shape& shape)
    {
        onnx::TensorProto& init = *m_graph.add_initializer();
        init.set_name(name);
        init.set_data_type(onnx::TensorProto::FLOAT);
        for (int d : shape)
            init.add_dims(d);
        init.set_raw_data(std::string(reinterpret_cast<const char*>(t.data()), t.size() * sizeof(float)));
        return name;
    }

    std::string int64Initializer(const std::string& name, const std::vector<long long>& values)
    {
        onnx::TensorProto& init = *m_graph.add_initializer();
        init.set_name(name);
        init.set_data_type(onnx::TensorProto::INT64);
        init.add_dims(static_cast<long long>(values.size()));
        for (long long v : values)
            init.add_int64_data(v);
        return name;
    }

    std::string floatScalar(const std::string& name, float value)
    {
        onnx::TensorProto& init = *m_graph.add_initializer();
        init.set_name(name);
        init.set_data_type(onnx::TensorProto::FLOAT);
        init.add_float_data(value);
        return name;
    }

private:
    onnx::GraphProto& m_graph;
};

void setInts(onnx::NodeProto& n, const std::string& name, std::vector<long long> values)
{
    auto& a = *n.add_attribute();
    a.set_name(name);
    a.set_type(onnx::AttributeProto::INTS);
    for (long long v : values)
        a.add_ints(v);
}

void setInt(onnx::NodeProto& n, const std::string& name, long long value)
{
    auto& a = *n.add_attribute();
    a.set_name(name);
    a.set_type(onnx::AttributeProto::INT);
    a.set_i(value);
}

void setFloat(onnx::NodeProto& n, const std::string& name, float value)
{
    auto& a = *n.add_attribute();
    a.set_name(name);
    a.set_type(onnx::AttributeProto::FLOAT);
    a.set_f(value);
}

// Explicit pads [top, left, bottom, right] for "same" padding as our layers compute it (extra on
// the bottom/right, as Keras does), or for explicit/valid padding.
std::vector<long long> padsFor(const nlohmann::json& config, int inH, int inW, int kh, int kw, int sh, int sw, int dh, int dw)
{
    const auto& padding = config.contains("padding") ? config["padding"] : nlohmann::json("valid");
    if (padding.is_string() && padding.get<std::string>() == "same") {
        auto total = [](int in, int k, int s, int d) {
            const int out = (in + s - 1) / s;
            return std::max((out - 1) * s + (k - 1) * d + 1 - in, 0);
        };
        const int th = total(inH, kh, sh, dh), tw = total(inW, kw, sw, dw);
        return {th / 2, tw / 2, th - th / 2, tw - tw / 2};
    }
    if (padding.is_number_integer())
        return {padding.get<int>(), padding.get<int>(), padding.get<int>(), padding.get<int>()};
    if (padding.is_array() && padding.size() == 2)
        return {padding[0].get<int>(), padding[1].get<int>(), padding[0].get<int>(), padding[1].get<int>()};
    return {0, 0, 0, 0};
}

void writeActivation(GraphWriter& g, const std::string& activation, float alpha, const std::string& name, bool last)
{
    if (activation == "relu") {
        g.node("Relu", name, {}, last);
    } else if (activation == "sigmoid") {
        g.node("Sigmoid", name, {}, last);
    } else if (activation == "tanh") {
        g.node("Tanh", name, {}, last);
    } else if (activation == "leaky_relu") {
        setFloat(g.node("LeakyRelu", name, {}, last), "alpha", alpha > 0 ? alpha : 0.01f);
    } else if (activation == "elu") {
        setFloat(g.node("Elu", name, {}, last), "alpha", alpha > 0 ? alpha : 1.0f);
    } else if (activation == "selu") {
        g.node("Selu", name, {}, last);
    } else if (activation == "hard_sigmoid") {
        auto& n = g.node("HardSigmoid", name, {}, last);
        setFloat(n, "alpha", 0.2f);
        setFloat(n, "beta", 0.5f);
    } else if (activation == "hardtanh") {
        g.node("Clip", name, {g.floatScalar(name + "_min", -1.0f), g.floatScalar(name + "_max", 1.0f)}, last);
    } else if (activation == "softplus") {
        g.node("Softplus", name, {}, last);
    } else if (activation == "softsign") {
        g.node("Softsign", name, {}, last);
    } else if (activation == "softmax") {
        setInt(g.node("Softmax", name, {}, last), "axis", -1);
    } else if (activation == "linear") {
        g.node("Identity", name, {}, last);
    } else if (activation == "silu") {
        const std::string x = g.current;
        g.node("Sigmoid", name + "_sigmoid");
        g.node("Mul", name, {x}, last);
    } else if (activation == "gelu") {
        // Exact GELU from opset-13 operators: 0.5 * x * (1 + erf(x / sqrt(2))).
        const std::string x = g.current;
        g.node("Div", name + "_scaled", {g.floatScalar(name + "_sqrt2", std::sqrt(2.0f))});
        g.node("Erf", name + "_erf");
        g.node("Add", name + "_plus1", {g.floatScalar(name + "_one", 1.0f)});
        g.node("Mul", name + "_times_x", {x});
        g.node("Mul", name, {g.floatScalar(name + "_half", 0.5f)}, last);
    } else {
        throw std::runtime_error("ONNX export: activation '" + activation + "' has no ONNX equivalent");
    }
}

}  // namespace

void exportOnnx(const Model& constModel, const std::string& path)
{
    Model& model = const_cast<Model&>(constModel);  // parameters() is non-const; nothing is modified
    if (!model.isBuilt())
        throw std::runtime_error("ONNX export: the model is not built");
    onnx::ModelProto proto;
    proto.set_ir_version(7);
    proto.set_producer_name("LayerLens");
    proto.set_producer_version(LAYERLENS_VERSION);
    auto& opset = *proto.add_opset_import();
    opset.set_domain("");
    opset.set_version(13);
    onnx::GraphProto& graph = *proto.mutable_graph();
    graph.set_name("layerlens");
    GraphWriter g(graph);

    auto addValueInfo = [](onnx::ValueInfoProto& info, const std::string& name, const Shape& shape) {
        info.set_name(name);
        auto& type = *info.mutable_type()->mutable_tensor_type();
        type.set_elem_type(onnx::TensorProto::FLOAT);
        auto& dims = *type.mutable_shape();
        dims.add_dim()->set_dim_param("batch");
        for (int d : shape)
            dims.add_dim()->set_dim_value(d);
    };
    addValueInfo(*graph.add_input(), "input", model.inputShape());

    Shape shape = model.inputShape();
    const int count = model.layerCount();
    for (int i = 0; i < count; ++i) {
        Layer& layer = model.layer(i);
        const nlohmann::json config = layer.config();
        const std::string name = layer.name().empty() ? "layer" + std::to_string(i) : layer.name();
        const bool last = i == count - 1;
        const std::string type = layer.type();
        auto params = layer.parameters();
        if (type == "Dense") {
            std::vector<std::string> inputs = {g.initializer(name + ".kernel", params[0]->value, params[0]->value.shape())};
            if (params.size() > 1)
                inputs.push_back(g.initializer(name + ".bias", params[1]->value, params[1]->value.shape()));
            else
                inputs.push_back(g.initializer(name + ".bias", Tensor({params[0]->value.dim(0)}), {params[0]->value.dim(0)}));
            setInt(g.node("Gemm", name, inputs, last), "transB", 1);
        } else if (type == "Conv2D") {
            const Tensor& kernel = params[0]->value;  // (O, I, kh, kw)
            const auto [sh, sw] = pairOf(config, "strides", 1);
            const auto [dh, dw] = pairOf(config, "dilation", 1);
            std::vector<std::string> inputs = {g.initializer(name + ".kernel", kernel, kernel.shape())};
            if (params.size() > 1)
                inputs.push_back(g.initializer(name + ".bias", params[1]->value, params[1]->value.shape()));
            auto& n = g.node("Conv", name, inputs, last);
            setInts(n, "kernel_shape", {kernel.dim(2), kernel.dim(3)});
            setInts(n, "strides", {sh, sw});
            setInts(n, "dilations", {dh, dw});
            setInts(n, "pads", padsFor(config, shape[1], shape[2], kernel.dim(2), kernel.dim(3), sh, sw, dh, dw));
        } else if (type == "MaxPool2D" || type == "AvgPool2D") {
            const auto [ph, pw] = pairOf(config, "pool_size", 2);
            auto strides = pairOf(config, "strides", 0);
            if (strides.first <= 0)
                strides = {ph, pw};
            auto& n = g.node(type == "MaxPool2D" ? "MaxPool" : "AveragePool", name, {}, last);
            setInts(n, "kernel_shape", {ph, pw});
            setInts(n, "strides", {strides.first, strides.second});
            setInts(n, "pads", padsFor(config, shape[1], shape[2], ph, pw, strides.first, strides.second, 1, 1));
            if (type == "AvgPool2D")
                setInt(n, "count_include_pad", 0);
        } else if (type == "GlobalAveragePool") {
            g.node("GlobalAveragePool", name);
            setInt(g.node("Flatten", name + "_flatten", {}, last), "axis", 1);
        } else if (type == "Flatten") {
            setInt(g.node("Flatten", name, {}, last), "axis", 1);
        } else if (type == "Reshape") {
            std::vector<long long> target = {-1};
            for (int d : layer.outputShape(shape))
                target.push_back(d);
            g.node("Reshape", name, {g.int64Initializer(name + ".shape", target)}, last);
        } else if (type == "Dropout") {
            g.node("Identity", name, {}, last);
        } else if (type == "BatchNorm") {
            auto buffers = layer.buffers();
            auto& n = g.node("BatchNormalization", name,
                             {g.initializer(name + ".gamma", params[0]->value, params[0]->value.shape()),
                              g.initializer(name + ".beta", params[1]->value, params[1]->value.shape()),
                              g.initializer(name + ".moving_mean", buffers[0]->value, buffers[0]->value.shape()),
                              g.initializer(name + ".moving_variance", buffers[1]->value, buffers[1]->value.shape())},
                             last);
            setFloat(n, "epsilon", config.value("epsilon", 1e-3f));
        } else if (type == "Activation") {
            const std::string activation = config.value("activation", "linear");
            writeActivation(g, activation, config.value("alpha", 0.0f), name, last);
        } else if (type == "Softmax") {
            setInt(g.node("Softmax", name, {}, last), "axis", -1);
        } else {
            throw std::runtime_error("ONNX export: layer " + std::to_string(i) + " '" + name + "' of type " + type
                                     + " has no ONNX equivalent yet");
        }
        shape = model.layerOutputShape(i);
    }
    addValueInfo(*graph.add_output(), "output", shape);

    const std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out || !proto.SerializeToOstream(&out))
            throw std::runtime_error(path + ": cannot write the ONNX file");
    }
    std::error_code error;
    std::filesystem::rename(temporary, path, error);
    if (error)
        throw std::runtime_error(path + ": cannot replace the file: " + error.message());
}

}  // namespace layerlens::core
