#include "core/keras/keras_converter.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>

namespace layerlens::core {

namespace {

using nlohmann::json;

const std::vector<std::string>& supportedList()
{
    static const std::vector<std::string> classes = {
        "InputLayer", "Dense", "Conv2D", "MaxPooling2D", "AveragePooling2D", "GlobalAveragePooling2D",
        "Flatten", "Reshape", "Dropout", "BatchNormalization", "Activation", "ReLU", "LeakyReLU", "Softmax",
        "Rescaling"};
    return classes;
}

// Keras activation name -> name in our schema; nullopt when we have no such activation.
std::optional<std::string> activationName(const std::string& keras)
{
    static const std::map<std::string, std::string> names = {
        {"linear", "linear"}, {"relu", "relu"}, {"sigmoid", "sigmoid"}, {"tanh", "tanh"}, {"softmax", "softmax"},
        {"elu", "elu"}, {"selu", "selu"}, {"softplus", "softplus"}, {"softsign", "softsign"}, {"gelu", "gelu"},
        {"hard_sigmoid", "hard_sigmoid"}, {"swish", "silu"}, {"silu", "silu"}, {"leaky_relu", "leaky_relu"}};
    const auto it = names.find(keras);
    if (it == names.end())
        return std::nullopt;
    return it->second;
}

// What the tensor flowing between layers looks like in Keras, and how ours differs.
struct Flow {
    Shape keras;            // per-sample Keras shape: (H, W, C) or (F)
    std::optional<Shape> hwcFlat;  // set when a flat vector holds an (H, W, C) tensor: Keras orders it
                                   // HWC, ours CHW
};

class LayerConverter {
public:
    LayerConverter(const KerasLayer& layer, Flow& flow) : m_layer(layer), m_flow(flow) {}

    std::string where() const { return "layer '" + m_layer.name + "' (" + m_layer.className + ")"; }

    [[noreturn]] void fail(const std::string& why) const { throw std::runtime_error(where() + ": " + why); }

    const json& config() const { return m_layer.config; }

    int intField(const char* key, int fallback) const
    {
        if (!config().contains(key) || config()[key].is_null())
            return fallback;
        if (!config()[key].is_number_integer())
            fail(std::string("field \"") + key + "\" must be an integer, found " + config()[key].dump());
        return config()[key].get<int>();
    }

    double numberField(const char* key, double fallback) const
    {
        if (!config().contains(key) || config()[key].is_null())
            return fallback;
        if (!config()[key].is_number())
            fail(std::string("field \"") + key + "\" must be a number, found " + config()[key].dump());
        return config()[key].get<double>();
    }

    std::string stringField(const char* key, const std::string& fallback) const
    {
        if (!config().contains(key) || config()[key].is_null())
            return fallback;
        if (!config()[key].is_string())
            fail(std::string("field \"") + key + "\" must be text, found " + config()[key].dump());
        return config()[key].get<std::string>();
    }

    // kernel_size, strides, pool_size, dilation_rate: an int or a pair.
    std::pair<int, int> pairField(const char* key, std::pair<int, int> fallback) const
    {
        if (!config().contains(key) || config()[key].is_null())
            return fallback;
        const json& v = config()[key];
        if (v.is_number_integer())
            return {v.get<int>(), v.get<int>()};
        if (v.is_array() && v.size() == 2 && v[0].is_number_integer() && v[1].is_number_integer()
            && v[0].get<int>() > 0 && v[1].get<int>() > 0)
            return {v[0].get<int>(), v[1].get<int>()};
        fail(std::string("field \"") + key + "\" must be an integer or a pair of positive integers, found " + v.dump());
    }

    static json pairJson(std::pair<int, int> p)
    {
        return p.first == p.second ? json(p.first) : json::array({p.first, p.second});
    }

    void requireChannelsLast() const
    {
        const std::string format = stringField("data_format", "channels_last");
        if (format != "channels_last")
            fail("data_format \"" + format + "\" is not supported (only channels_last, Keras' default)");
    }

    void requireImage() const
    {
        if (m_flow.keras.size() != 3)
            fail("needs an image input (H, W, C) but receives " + shapeToString(m_flow.keras));
    }

    void requireVector() const
    {
        if (m_flow.keras.size() != 1)
            fail("is supported only on a feature vector (F) but receives " + shapeToString(m_flow.keras)
                 + "; Keras would apply it to the last axis");
    }

    std::string padding() const
    {
        const std::string p = stringField("padding", "valid");
        if (p != "valid" && p != "same")
            fail("padding \"" + p + "\" is not supported (valid or same)");
        return p;
    }

    static int outputSize(int in, int kernel, int stride, int dilation, const std::string& pad)
    {
        if (pad == "same")
            return (in + stride - 1) / stride;
        const int span = dilation * (kernel - 1) + 1;
        return in < span ? 0 : (in - span) / stride + 1;
    }

    // Adds "activation" to the description when the layer has one other than linear.
    void addActivation(json& out) const
    {
        if (!config().contains("activation") || config()["activation"].is_null())
            return;
        if (!config()["activation"].is_string())
            fail("activation " + config()["activation"].dump() + " is not supported (only built-in activations)");
        const std::string keras = config()["activation"].get<std::string>();
        const auto name = activationName(keras);
        if (!name)
            fail("activation \"" + keras + "\" is not supported");
        if (*name == "linear")
            return;
        if (*name == "softmax" && m_flow.keras.size() != 1)
            fail("softmax over the channels of an image is not supported");
        out["activation"] = *name;
        if (*name == "leaky_relu")
            out["alpha"] = 0.2;  // Keras' leaky_relu activation default
    }

    const KerasWeight& requireWeight(const std::string& role, const Shape& expected) const
    {
        const KerasWeight* w = m_layer.weight(role);
        if (!w)
            fail("missing weight \"" + role + "\" (expected shape " + shapeToString(expected) + ")");
        if (w->shape != expected)
            fail("weight \"" + role + "\" has shape " + shapeToString(w->shape) + " but the config and input shape "
                 + shapeToString(m_flow.keras) + " need " + shapeToString(expected));
        if (w->values.size() != shapeSize(expected))
            fail("weight \"" + role + "\" holds " + std::to_string(w->values.size()) + " values, expected "
                 + std::to_string(shapeSize(expected)));
        return *w;
    }

    void rejectUnexpectedWeights(const std::vector<std::string>& allowed) const
    {
        for (const auto& w : m_layer.weights)
            if (std::find(allowed.begin(), allowed.end(), w.name) == allowed.end())
                fail("unexpected weight \"" + w.name + "\" " + shapeToString(w.shape) + " for this config");
    }

    // Maps our CHW-ordered index to the Keras HWC-ordered index of the same element.
    static std::size_t hwcIndex(std::size_t chw, const Shape& hwc)
    {
        const auto h = static_cast<std::size_t>(hwc[0]), w = static_cast<std::size_t>(hwc[1]),
                   c = static_cast<std::size_t>(hwc[2]);
        const std::size_t ch = chw / (h * w), rest = chw % (h * w);
        return rest * c + ch;
    }

    // A per-feature vector over a flattened (H, W, C) tensor, reordered to our CHW order.
    Tensor perFeature(const std::vector<float>& values) const
    {
        Tensor t(Shape{static_cast<int>(values.size())});
        for (std::size_t i = 0; i < values.size(); ++i)
            t[i] = values[m_flow.hwcFlat ? hwcIndex(i, *m_flow.hwcFlat) : i];
        return t;
    }

    json convert(std::vector<KerasLayerWeights>& weights)
    {
        const std::string& c = m_layer.className;
        json out = {{"name", m_layer.name}};
        if (config().contains("trainable") && config()["trainable"].is_boolean() && !config()["trainable"].get<bool>())
            out["trainable"] = false;
        if (c == "Conv2D")
            conv2d(out, weights);
        else if (c == "Dense")
            dense(out, weights);
        else if (c == "MaxPooling2D" || c == "AveragePooling2D")
            pooling(out);
        else if (c == "GlobalAveragePooling2D") {
            requireImage();
            requireChannelsLast();
            if (config().value("keepdims", false))
                fail("keepdims=true is not supported");
            out["type"] = "GlobalAveragePool";
            m_flow.keras = {m_flow.keras[2]};
            m_flow.hwcFlat.reset();
        } else if (c == "Flatten") {
            requireChannelsLast();
            out["type"] = "Flatten";
            flatten();
        } else if (c == "Reshape")
            reshape(out);
        else if (c == "Dropout") {
            out["type"] = "Dropout";
            out["rate"] = numberField("rate", 0.5);
        } else if (c == "BatchNormalization")
            batchNorm(out, weights);
        else if (c == "Activation") {
            out["type"] = "Activation";
            addActivation(out);
            if (!out.contains("activation"))
                out["activation"] = "linear";
        } else if (c == "ReLU") {
            const double slope = numberField("negative_slope", 0.0), threshold = numberField("threshold", 0.0);
            if (config().contains("max_value") && !config()["max_value"].is_null())
                fail("max_value (capped ReLU) is not supported");
            if (threshold != 0.0)
                fail("a threshold other than 0 is not supported");
            out["type"] = "Activation";
            out["activation"] = slope == 0.0 ? "relu" : "leaky_relu";
            if (slope != 0.0)
                out["alpha"] = slope;
        } else if (c == "LeakyReLU") {
            out["type"] = "Activation";
            out["activation"] = "leaky_relu";
            // Keras 2 calls the slope "alpha", Keras 3 "negative_slope"; both default to 0.3.
            out["alpha"] = numberField("negative_slope", numberField("alpha", 0.3));
        } else if (c == "Softmax") {
            const json axis = config().value("axis", json(-1));
            if (!(axis == json(-1) || axis == json::array({-1})))
                fail("softmax over axis " + axis.dump() + " is not supported (only the last axis)");
            requireVector();
            out["type"] = "Softmax";
        } else if (c == "Rescaling") {
            if ((config().contains("scale") && !config()["scale"].is_number())
                || (config().contains("offset") && !config()["offset"].is_number()))
                fail("only a single scale and offset are supported, found " + config().dump());
            out["type"] = "Rescaling";
            out["scale"] = numberField("scale", 1.0);
            out["offset"] = numberField("offset", 0.0);
        } else {
            fail("is not supported");
        }
        if (c != "Conv2D" && c != "Dense" && c != "BatchNormalization")
            rejectUnexpectedWeights({});
        return out;
    }

private:
    void conv2d(json& out, std::vector<KerasLayerWeights>& weights)
    {
        requireImage();
        requireChannelsLast();
        if (intField("groups", 1) != 1)
            fail("grouped convolution (groups > 1) is not supported");
        const int filters = intField("filters", 0);
        if (filters <= 0)
            fail("field \"filters\" must be a positive integer");
        const auto kernel = pairField("kernel_size", {0, 0});
        if (kernel.first <= 0)
            fail("field \"kernel_size\" is missing");
        const auto strides = pairField("strides", {1, 1});
        const auto dilation = pairField("dilation_rate", {1, 1});
        if ((strides.first > 1 || strides.second > 1) && (dilation.first > 1 || dilation.second > 1))
            fail("strides and dilation_rate both above 1 are not allowed by Keras");
        const std::string pad = padding();
        const bool useBias = config().value("use_bias", true);
        const int h = m_flow.keras[0], w = m_flow.keras[1], in = m_flow.keras[2];

        out["type"] = "Conv2D";
        out["filters"] = filters;
        out["kernel_size"] = pairJson(kernel);
        out["strides"] = pairJson(strides);
        out["padding"] = pad;
        out["dilation"] = pairJson(dilation);
        out["use_bias"] = useBias;
        addActivation(out);

        const int kh = kernel.first, kw = kernel.second;
        const KerasWeight& k = requireWeight("kernel", {kh, kw, in, filters});
        KerasLayerWeights converted{m_layer.name, {}, {}};
        Tensor kernelOut(Shape{filters, in, kh, kw});
        for (int i = 0; i < kh; ++i)
            for (int j = 0; j < kw; ++j)
                for (int ci = 0; ci < in; ++ci)
                    for (int f = 0; f < filters; ++f)
                        kernelOut[((static_cast<std::size_t>(f) * in + ci) * kh + i) * kw + j]
                            = k.values[((static_cast<std::size_t>(i) * kw + j) * in + ci) * filters + f];
        converted.parameters.push_back(std::move(kernelOut));
        if (useBias) {
            const KerasWeight& b = requireWeight("bias", {filters});
            converted.parameters.emplace_back(Shape{filters}, b.values);
            rejectUnexpectedWeights({"kernel", "bias"});
        } else {
            rejectUnexpectedWeights({"kernel"});
        }
        weights.push_back(std::move(converted));

        const int oh = outputSize(h, kh, strides.first, dilation.first, pad);
        const int ow = outputSize(w, kw, strides.second, dilation.second, pad);
        if (oh <= 0 || ow <= 0)
            fail("the kernel does not fit the input " + shapeToString(m_flow.keras));
        m_flow.keras = {oh, ow, filters};
    }

    void dense(json& out, std::vector<KerasLayerWeights>& weights)
    {
        requireVector();
        const int units = intField("units", 0);
        if (units <= 0)
            fail("field \"units\" must be a positive integer");
        const bool useBias = config().value("use_bias", true);
        const int in = m_flow.keras[0];
        out["type"] = "Dense";
        out["units"] = units;
        out["use_bias"] = useBias;
        addActivation(out);

        const KerasWeight& k = requireWeight("kernel", {in, units});
        KerasLayerWeights converted{m_layer.name, {}, {}};
        Tensor kernelOut(Shape{units, in});
        for (int u = 0; u < units; ++u)
            for (int q = 0; q < in; ++q) {
                const std::size_t p = m_flow.hwcFlat ? hwcIndex(static_cast<std::size_t>(q), *m_flow.hwcFlat)
                                                     : static_cast<std::size_t>(q);
                kernelOut[static_cast<std::size_t>(u) * in + q] = k.values[p * units + u];
            }
        converted.parameters.push_back(std::move(kernelOut));
        if (useBias) {
            const KerasWeight& b = requireWeight("bias", {units});
            converted.parameters.emplace_back(Shape{units}, b.values);
            rejectUnexpectedWeights({"kernel", "bias"});
        } else {
            rejectUnexpectedWeights({"kernel"});
        }
        weights.push_back(std::move(converted));
        m_flow.keras = {units};
        m_flow.hwcFlat.reset();
    }

    void pooling(json& out)
    {
        requireImage();
        requireChannelsLast();
        const auto pool = pairField("pool_size", {2, 2});
        const auto strides = pairField("strides", pool);  // Keras: strides=None means pool_size
        const std::string pad = padding();
        out["type"] = m_layer.className == "MaxPooling2D" ? "MaxPool2D" : "AvgPool2D";
        out["pool_size"] = pairJson(pool);
        out["strides"] = pairJson(strides);
        out["padding"] = pad;
        const int oh = outputSize(m_flow.keras[0], pool.first, strides.first, 1, pad);
        const int ow = outputSize(m_flow.keras[1], pool.second, strides.second, 1, pad);
        if (oh <= 0 || ow <= 0)
            fail("the pool does not fit the input " + shapeToString(m_flow.keras));
        m_flow.keras = {oh, ow, m_flow.keras[2]};
    }

    void flatten()
    {
        if (m_flow.keras.size() == 3) {
            const Shape hwc = m_flow.keras;
            // Orders agree when there is one channel or one pixel; otherwise remember the reordering.
            if (hwc[2] > 1 && hwc[0] * hwc[1] > 1)
                m_flow.hwcFlat = hwc;
            m_flow.keras = {static_cast<int>(shapeSize(hwc))};
        } else if (m_flow.keras.size() != 1) {
            fail("cannot flatten " + shapeToString(m_flow.keras));
        }
    }

    void reshape(json& out)
    {
        if (!config().contains("target_shape") || !config()["target_shape"].is_array())
            fail("field \"target_shape\" is missing");
        Shape target;
        int unknown = -1;
        for (const auto& d : config()["target_shape"]) {
            if (!d.is_number_integer() || (d.get<int>() <= 0 && d.get<int>() != -1))
                fail("target_shape must hold positive integers (or one -1), found " + config()["target_shape"].dump());
            if (d.get<int>() == -1) {
                if (unknown >= 0)
                    fail("target_shape may hold only one -1");
                unknown = static_cast<int>(target.size());
            }
            target.push_back(d.get<int>());
        }
        const auto total = static_cast<long long>(shapeSize(m_flow.keras));
        if (unknown >= 0) {
            long long known = 1;
            for (int d : target)
                if (d > 0)
                    known *= d;
            if (known == 0 || total % known != 0)
                fail("target_shape " + config()["target_shape"].dump() + " does not fit " + shapeToString(m_flow.keras));
            target[static_cast<std::size_t>(unknown)] = static_cast<int>(total / known);
        }
        if (static_cast<long long>(shapeSize(target)) != total)
            fail("target_shape " + shapeToString(target) + " does not hold the " + std::to_string(total)
                 + " values of " + shapeToString(m_flow.keras));
        out["type"] = "Reshape";
        if (target.size() == 1) {
            flatten();
            out["target_shape"] = target;
            return;
        }
        if (target.size() == 3) {
            const Shape chw = {target[2], target[0], target[1]};
            const bool same = m_flow.keras == target;
            const bool undoesFlatten = m_flow.hwcFlat && *m_flow.hwcFlat == target;
            const bool plainFlat = m_flow.keras.size() == 1 && !m_flow.hwcFlat
                                   && (target[2] == 1 || target[0] * target[1] == 1);
            if (same || undoesFlatten || plainFlat) {
                out["target_shape"] = chw;
                m_flow.keras = target;
                m_flow.hwcFlat.reset();
                return;
            }
        }
        fail("reshaping " + shapeToString(m_flow.keras) + " to " + shapeToString(target)
             + " reorders values between Keras' channels-last and our channels-first layout; not supported");
    }

    void batchNorm(json& out, std::vector<KerasLayerWeights>& weights)
    {
        const auto rank = static_cast<int>(m_flow.keras.size());
        const json axisField = config().value("axis", json(-1));
        const json axis = axisField.is_array() && axisField.size() == 1 ? axisField[0] : axisField;
        if (!axis.is_number_integer() || !(axis.get<int>() == -1 || axis.get<int>() == rank))
            fail("normalizing over axis " + axisField.dump() + " is not supported (only the channel axis, -1)");
        if (config().value("renorm", false))
            fail("batch renormalization is not supported");
        const int count = m_flow.keras.back();  // channels, or features of a vector
        out["type"] = "BatchNorm";
        out["momentum"] = numberField("momentum", 0.99);
        out["epsilon"] = numberField("epsilon", 0.001);

        const bool scale = config().value("scale", true), center = config().value("center", true);
        KerasLayerWeights converted{m_layer.name, {}, {}};
        const Shape vectorShape{count};
        auto vector = [&](const char* role) { return perFeature(requireWeight(role, vectorShape).values); };
        converted.parameters.push_back(scale ? vector("gamma") : Tensor(vectorShape, 1.0f));
        converted.parameters.push_back(center ? vector("beta") : Tensor(vectorShape, 0.0f));
        converted.buffers.push_back(vector("moving_mean"));
        converted.buffers.push_back(vector("moving_variance"));
        std::vector<std::string> allowed = {"moving_mean", "moving_variance"};
        if (scale)
            allowed.emplace_back("gamma");
        if (center)
            allowed.emplace_back("beta");
        rejectUnexpectedWeights(allowed);
        weights.push_back(std::move(converted));
    }

    const KerasLayer& m_layer;
    Flow& m_flow;
};

std::string branchMessage(const std::string& detail)
{
    return "functional model with branches (" + detail + ") cannot be converted to a sequential model yet";
}

}  // namespace

std::vector<std::string> KerasConverter::supportedClasses() { return supportedList(); }

std::vector<const KerasLayer*> KerasConverter::chain(const KerasModel& model)
{
    std::vector<const KerasLayer*> order;
    if (!model.isFunctional()) {
        for (const auto& layer : model.layers)
            order.push_back(&layer);
        return order;
    }
    // Merge layers (Add, Concatenate, ...) show first: they are what makes a graph not a chain.
    for (const auto& layer : model.layers)
        if (layer.inbound.size() > 1)
            throw std::runtime_error(branchMessage(layer.className + " at layer '" + layer.name + "'"));
    std::map<std::string, std::vector<std::string>> consumers;
    for (const auto& layer : model.layers)
        for (const auto& source : layer.inbound)
            consumers[source].push_back(layer.name);
    for (const auto& layer : model.layers) {
        const auto& c = consumers[layer.name];
        if (c.size() > 1)
            throw std::runtime_error(branchMessage("the output of layer '" + layer.name + "' feeds '" + c[0] + "' and '"
                                                   + c[1] + "'"));
    }
    if (model.inputLayers.size() != 1 || model.outputLayers.size() != 1)
        throw std::runtime_error("functional model with " + std::to_string(model.inputLayers.size()) + " inputs and "
                                 + std::to_string(model.outputLayers.size())
                                 + " outputs cannot be converted to a sequential model (needs one of each)");
    const KerasLayer* current = model.findLayer(model.inputLayers.front());
    while (current) {
        order.push_back(current);
        if (current->name == model.outputLayers.front())
            break;
        const auto& next = consumers[current->name];
        current = next.empty() ? nullptr : model.findLayer(next.front());
        if (order.size() > model.layers.size())
            throw std::runtime_error("functional model: the layer graph has a cycle");
    }
    if (order.empty() || order.back()->name != model.outputLayers.front())
        throw std::runtime_error("functional model: the output layer '" + model.outputLayers.front()
                                 + "' is not reached from the input layer '" + model.inputLayers.front() + "'");
    for (const auto& layer : model.layers)
        if (std::find(order.begin(), order.end(), &layer) == order.end() && !layer.weights.empty())
            throw std::runtime_error("functional model: layer '" + layer.name
                                     + "' has weights but is not on the path from input to output");
    return order;
}

KerasConversion KerasConverter::convert(const KerasModel& model)
{
    try {
        return convertModel(model);
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(model.source.empty() ? std::string(e.what()) : model.source + ": " + e.what());
    }
}

KerasConversion KerasConverter::convertModel(const KerasModel& model)
{
    if (!model.hasConfig())
        throw std::runtime_error("missing model_config: the file holds only weights (" + model.format
                                 + "), no architecture to convert");
    const std::vector<const KerasLayer*> order = chain(model);

    // Every unsupported class at once, so the user sees the whole list.
    std::string unsupported;
    std::set<std::string> seen;
    for (const KerasLayer* layer : order) {
        const auto& s = supportedList();
        if (std::find(s.begin(), s.end(), layer->className) == s.end() && seen.insert(layer->className).second)
            unsupported += (unsupported.empty() ? "" : ", ") + layer->className + " (layer '" + layer->name + "')";
    }
    if (!unsupported.empty()) {
        std::string supported;
        for (const auto& s : supportedList())
            supported += (supported.empty() ? "" : ", ") + s;
        throw std::runtime_error("unsupported Keras layer classes: " + unsupported + ". Supported: " + supported);
    }

    if (model.inputShape.empty())
        throw std::runtime_error("the model config does not state the input shape (no InputLayer or batch_input_shape)");
    for (int d : model.inputShape)
        if (d <= 0)
            throw std::runtime_error("the input shape " + shapeToString(model.inputShape)
                                     + " has a size that is not fixed (None); cannot convert");
    Flow flow;
    Shape inputShape;
    switch (model.inputShape.size()) {
    case 1:
        flow.keras = model.inputShape;
        inputShape = model.inputShape;
        break;
    case 2:  // (H, W): a single-channel image without its channel axis
        flow.keras = {model.inputShape[0], model.inputShape[1], 1};
        inputShape = {1, model.inputShape[0], model.inputShape[1]};
        break;
    case 3:
        flow.keras = model.inputShape;
        inputShape = {model.inputShape[2], model.inputShape[0], model.inputShape[1]};
        break;
    default:
        throw std::runtime_error("input shape " + shapeToString(model.inputShape)
                                 + " is not supported (expected (F), (H, W) or (H, W, C))");
    }

    KerasConversion conversion;
    json layers = json::array();
    for (std::size_t i = 0; i < order.size(); ++i) {
        const KerasLayer& layer = *order[i];
        if (layer.className == "InputLayer") {
            if (i != 0)
                throw std::runtime_error("layer '" + layer.name + "' (InputLayer) is not the first layer");
            continue;
        }
        LayerConverter converter(layer, flow);
        layers.push_back(converter.convert(conversion.weights));
    }
    if (layers.empty())
        throw std::runtime_error("the model has no layers besides its input");
    conversion.description = {{"input_shape", inputShape}, {"layers", layers}};
    return conversion;
}

}  // namespace layerlens::core
