#include "core/io/inspected_model.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <optional>
#include <stdexcept>

#include "core/io/model_loader.h"
#include "core/keras/keras_reader.h"
#include "core/keras/keras_to_model.h"
#include "core/model/model.h"
#include "core/onnx/onnx_model.h"

namespace layerlens::core {

struct InspectedModel::Impl {
    std::string source;
    std::string format;
    std::vector<InspectedLayer> layers;
    std::vector<std::string> unsupported;
    std::string notRunnable;
    std::vector<long long> inputShape;
    std::vector<std::string> classNames;

    // Exactly one of these holds the model.
    std::unique_ptr<OnnxModel> onnx;
    std::optional<Model> model;
    std::optional<KerasModel> keras;  // described only (functional with branches, unknown layers)
};

namespace {

std::string lowerExtension(const std::string& path)
{
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext;
}

std::vector<long long> withBatch(const Shape& perSample)
{
    std::vector<long long> shape{1};
    shape.insert(shape.end(), perSample.begin(), perSample.end());
    return shape;
}

// Longest path from an input; layers may be listed in any order (Keras configs usually are
// sorted, but nothing promises it), so relax until nothing changes.
void computeDepths(std::vector<InspectedLayer>& layers)
{
    for (auto& layer : layers)
        layer.depth = 0;
    for (std::size_t pass = 0; pass < layers.size(); ++pass) {
        bool changed = false;
        for (auto& layer : layers)
            for (int input : layer.inputs) {
                const int depth = layers[static_cast<std::size_t>(input)].depth + 1;
                if (depth > layer.depth) {
                    layer.depth = depth;
                    changed = true;
                }
            }
        if (!changed)
            break;
    }
    // Constants (no inputs, but not a graph input) belong beside their consumer, not in the
    // input row: exporters emit dozens of them (weights passed through Identity), and a row of
    // them would make the graph too wide to read. Also mark what only constants feed.
    const auto isInput = [](const InspectedLayer& l) { return l.type == "Input" || l.type == "InputLayer"; };
    for (auto& layer : layers)
        layer.constant = layer.inputs.empty() && !isInput(layer);
    for (std::size_t pass = 0; pass < layers.size(); ++pass) {
        bool changed = false;
        for (auto& layer : layers)
            if (!layer.constant && !layer.inputs.empty() &&
                std::all_of(layer.inputs.begin(), layer.inputs.end(), [&layers](int i) { return layers[static_cast<std::size_t>(i)].constant; })) {
                layer.constant = true;
                changed = true;
            }
        if (!changed)
            break;
    }
    for (std::size_t pass = 0; pass < layers.size(); ++pass) {
        bool changed = false;
        for (std::size_t i = 0; i < layers.size(); ++i) {
            if (!layers[i].constant)
                continue;
            int consumer = -1;
            for (const auto& other : layers)
                if (std::find(other.inputs.begin(), other.inputs.end(), static_cast<int>(i)) != other.inputs.end())
                    consumer = consumer < 0 ? other.depth : std::min(consumer, other.depth);
            const int depth = consumer > 0 ? consumer - 1 : 0;
            if (depth != layers[i].depth) {
                layers[i].depth = depth;
                changed = true;
            }
        }
        if (!changed)
            break;
    }
}

InspectedWeight describeWeight(const std::string& name, const Shape& shape, const float* values, std::size_t count)
{
    InspectedWeight weight;
    weight.name = name;
    weight.shape = shape;
    weight.stats = TensorStats::of(values, count, true);
    return weight;
}

void fillFromOnnx(InspectedModel::Impl& impl, std::unique_ptr<OnnxModel> onnx)
{
    const OnnxGraph& graph = onnx->graph();
    impl.format = "ONNX opset " + std::to_string(onnx->opsetVersion());
    if (!onnx->producer().empty())
        impl.format += ", " + onnx->producer();
    impl.unsupported = onnx->unsupportedOperators();
    if (!impl.unsupported.empty()) {
        impl.notRunnable = "unsupported operators: ";
        for (std::size_t i = 0; i < impl.unsupported.size(); ++i)
            impl.notRunnable += (i ? ", " : "") + impl.unsupported[i];
    }
    if (onnx->inputs().empty())
        throw std::runtime_error(impl.source + ": the graph has no input");
    std::map<std::string, int> producer;  // value name -> layer index
    for (const OnnxValueInfo& input : onnx->inputs()) {
        InspectedLayer layer;
        layer.name = input.name;
        layer.type = "Input";
        const OnnxShape shape = input.hasShape ? input.resolvedShape(1) : OnnxShape{};
        layer.outputShape.assign(shape.begin(), shape.end());
        producer[input.name] = static_cast<int>(impl.layers.size());
        impl.layers.push_back(std::move(layer));
    }
    const OnnxValueInfo& first = onnx->inputs().front();
    if (first.hasShape) {
        impl.inputShape.assign(first.shape.begin(), first.shape.end());
        if (!impl.inputShape.empty() && impl.inputShape[0] < 0)
            impl.inputShape[0] = 1;  // the batch
    }
    const std::vector<OnnxNodeInfo> infos = onnx->nodeInfos();
    const std::vector<OnnxNode>& nodes = onnx->nodes();
    // torch.onnx stores equal initializers once and feeds other layers Identity copies: such a
    // copy is that layer's own learned weight (as OnnxModel counts it).
    std::map<std::string, const OnnxTensor*> constants;
    for (const auto& [name, tensor] : graph.initializers)
        constants[name] = &tensor;
    for (const OnnxNode& node : nodes)
        if (node.opType == "Identity" && node.inputs.size() == 1 && node.outputs.size() == 1 && constants.count(node.inputs[0]))
            constants[node.outputs[0]] = constants[node.inputs[0]];
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const OnnxNode& node = nodes[i];
        InspectedLayer layer;
        layer.name = node.name;
        layer.type = node.opType;
        if (i < infos.size()) {
            layer.parameters = infos[i].parameterCount;
            if (infos[i].shapesKnown && !infos[i].outputShapes.empty())
                layer.outputShape.assign(infos[i].outputShapes[0].begin(), infos[i].outputShapes[0].end());
        }
        const bool copiesConstant = node.opType == "Identity" && node.outputs.size() == 1 && constants.count(node.outputs[0]);
        for (std::size_t k = 0; k < node.inputs.size(); ++k) {
            const std::string& input = node.inputs[k];
            // ONNX knows nothing of training; float initializers are the learned weights,
            // except the running statistics of BatchNormalization (inputs 3 and 4).
            const auto constant = constants.find(input);
            const bool statistics = node.opType == "BatchNormalization" && k >= 3;
            if (!copiesConstant && constant != constants.end() && constant->second->isFloat() && !statistics)
                layer.trainable += constant->second->size();
            const auto it = producer.find(input);
            if (it != producer.end() && std::find(layer.inputs.begin(), layer.inputs.end(), it->second) == layer.inputs.end())
                layer.inputs.push_back(it->second);
        }
        layer.trainable = std::min(layer.trainable, layer.parameters);  // shared initializers count once
        const int index = static_cast<int>(impl.layers.size());
        for (const std::string& output : node.outputs)
            if (!output.empty())
                producer[output] = index;
        impl.layers.push_back(std::move(layer));
    }
    impl.onnx = std::move(onnx);
}

void fillFromModel(InspectedModel::Impl& impl, Model model)
{
    if (!model.isBuilt())
        model.build(1);
    InspectedLayer input;
    input.name = "input";
    input.type = "Input";
    input.outputShape = withBatch(model.inputShape());
    impl.inputShape = input.outputShape;
    impl.layers.push_back(std::move(input));
    for (int i = 0; i < model.layerCount(); ++i) {
        const Layer& source = model.layer(i);
        InspectedLayer layer;
        layer.name = source.name();
        layer.type = source.type();
        layer.outputShape = withBatch(model.layerOutputShape(i));
        layer.parameters = source.parameterCount() + source.bufferCount();
        for (const Parameter* p : source.parameters())
            if (p->trainable)
                layer.trainable += p->value.size();
        layer.inputs = {i};  // the previous row (row 0 is the input)
        impl.layers.push_back(std::move(layer));
    }
    impl.model = std::move(model);
}

// Values Keras would train: not BN moving statistics, nothing in a frozen layer.
std::size_t kerasTrainable(const KerasLayer& source)
{
    if (source.config.is_object() && source.config.value("trainable", true) == false)
        return 0;
    std::size_t n = 0;
    for (const KerasWeight& w : source.weights)
        if (w.name.find("moving_") != 0)
            n += w.values.size();
    return n;
}

// Keras's own shape rules (channels-last, batch of one first) for the layers of a described
// model; empty when a layer or its inputs are unknown. Shapes are shown, never executed.
std::vector<long long> kerasOutputShape(const KerasLayer& layer, const std::vector<std::vector<long long>>& inputs)
{
    if (inputs.empty() || inputs[0].empty())
        return {};
    const std::vector<long long>& in = inputs[0];
    const nlohmann::json& c = layer.config;
    auto pair = [&c](const char* key, long long fallback) -> std::array<long long, 2> {
        if (!c.contains(key) || c[key].is_null())
            return {fallback, fallback};
        if (c[key].is_number())
            return {c[key].get<long long>(), c[key].get<long long>()};
        return {c[key][0].get<long long>(), c[key][1].get<long long>()};
    };
    auto spatial = [&](long long size, long long window, long long stride, long long dilation) {
        const bool same = c.value("padding", std::string("valid")) == "same";
        const long long span = (window - 1) * dilation + 1;
        return same ? (size + stride - 1) / stride : (size - span) / stride + 1;
    };
    const std::string& cls = layer.className;
    try {
        if (cls == "Conv2D" || cls == "MaxPooling2D" || cls == "AveragePooling2D") {
            if (in.size() != 4)
                return {};
            const bool conv = cls == "Conv2D";
            const auto window = pair(conv ? "kernel_size" : "pool_size", 2);
            const auto stride = pair("strides", 0);
            const auto dilation = pair("dilation_rate", 1);
            const long long sy = stride[0] > 0 ? stride[0] : (conv ? 1 : window[0]);
            const long long sx = stride[1] > 0 ? stride[1] : (conv ? 1 : window[1]);
            return {1, spatial(in[1], window[0], sy, dilation[0]), spatial(in[2], window[1], sx, dilation[1]),
                    conv ? c.at("filters").get<long long>() : in[3]};
        }
        if (cls == "Dense") {
            std::vector<long long> out = in;
            out.back() = c.at("units").get<long long>();
            return out;
        }
        if (cls == "Flatten") {
            long long n = 1;
            for (std::size_t i = 1; i < in.size(); ++i)
                n *= in[i];
            return {1, n};
        }
        if (cls == "GlobalAveragePooling2D" || cls == "GlobalMaxPooling2D")
            return in.size() == 4 ? std::vector<long long>{1, in[3]} : std::vector<long long>{};
        if (cls == "Reshape") {
            std::vector<long long> out{1};
            for (const auto& d : c.at("target_shape"))
                out.push_back(d.get<long long>());
            return out;
        }
        if (cls == "Concatenate") {
            std::vector<long long> out = in;
            for (std::size_t k = 1; k < inputs.size(); ++k)
                out.back() += inputs[k].empty() ? 0 : inputs[k].back();
            return out;
        }
    } catch (const std::exception&) {
        return {};  // an unexpected config: no shape rather than a wrong one
    }
    static const char* const kShapeKeeping[] = {"BatchNormalization", "Activation", "ReLU", "LeakyReLU", "Softmax", "Dropout",
                                                "Add", "Subtract", "Multiply", "Average", "Maximum", "Rescaling"};
    for (const char* keep : kShapeKeeping)
        if (cls == keep)
            return in;
    return {};
}

// A Keras model the engine cannot run (branches, unknown layers): described as stored.
void fillFromKerasDescription(InspectedModel::Impl& impl, KerasModel keras, const std::string& reason)
{
    impl.notRunnable = reason;
    std::map<std::string, int> index;
    for (const KerasLayer& source : keras.layers)
        index[source.name] = static_cast<int>(index.size());
    for (const KerasLayer& source : keras.layers) {
        InspectedLayer layer;
        layer.name = source.name;
        layer.type = source.className.empty() ? "(weights)" : source.className;
        layer.parameters = source.valueCount();
        layer.trainable = kerasTrainable(source);
        for (const std::string& in : source.inbound) {
            const auto it = index.find(in);
            if (it != index.end())
                layer.inputs.push_back(it->second);
        }
        if (layer.type == "InputLayer") {
            layer.outputShape.push_back(1);
            for (int d : keras.inputShape)
                layer.outputShape.push_back(d);
        }
        impl.layers.push_back(std::move(layer));
    }
    impl.inputShape = {1};
    for (int d : keras.inputShape)
        impl.inputShape.push_back(d);
    computeDepths(impl.layers);
    std::vector<std::size_t> order(impl.layers.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&impl](std::size_t a, std::size_t b) { return impl.layers[a].depth < impl.layers[b].depth; });
    for (std::size_t i : order) {
        InspectedLayer& layer = impl.layers[i];
        if (layer.type == "InputLayer")
            continue;
        std::vector<std::vector<long long>> inputs;
        for (int input : layer.inputs)
            inputs.push_back(impl.layers[static_cast<std::size_t>(input)].outputShape);
        layer.outputShape = kerasOutputShape(keras.layers[i], inputs);
    }
    impl.keras = std::move(keras);
}

void fillFromKeras(InspectedModel::Impl& impl, KerasModel keras)
{
    impl.format = "Keras";
    if (!keras.kerasVersion.empty())
        impl.format += " " + keras.kerasVersion;
    if (!keras.modelClassName.empty())
        impl.format += " (" + keras.modelClassName + ")";
    impl.classNames = keras.classNames;
    std::optional<Model> model;
    std::string reason;
    try {
        model = toModel(keras);
    } catch (const std::exception& e) {
        reason = std::string("LayerLens cannot run this model: ") + e.what();
    }
    if (model) {
        fillFromModel(impl, std::move(*model));
        // Count what the file stores: the engine fills in parameters Keras leaves out
        // (BatchNormalization with scale or center off), which the person did not train.
        for (InspectedLayer& layer : impl.layers)
            if (const KerasLayer* source = keras.findLayer(layer.name)) {
                layer.parameters = source->valueCount();
                layer.trainable = kerasTrainable(*source);
            }
    } else
        fillFromKerasDescription(impl, std::move(keras), reason);
}

// Lays out a (1, C, H, W) image as the model input `shape` (batch of one first).
Tensor layoutInput(const Tensor& image, const std::vector<long long>& shape)
{
    if (shape.size() == 4 && image.rank() == 4) {
        const bool channelsFirst = (shape[1] < 0 || shape[1] == image.dim(1)) && (shape[2] < 0 || shape[2] == image.dim(2)) &&
                                   (shape[3] < 0 || shape[3] == image.dim(3));
        if (channelsFirst)
            return image;
        const bool channelsLast = (shape[3] == image.dim(1)) && (shape[1] < 0 || shape[1] == image.dim(2)) &&
                                  (shape[2] < 0 || shape[2] == image.dim(3));
        if (channelsLast) {
            const int c = image.dim(1), h = image.dim(2), w = image.dim(3);
            Tensor out({1, h, w, c});
            for (int k = 0; k < c; ++k)
                for (int y = 0; y < h; ++y)
                    for (int x = 0; x < w; ++x)
                        out[(static_cast<std::size_t>(y) * w + x) * c + k] = image[(static_cast<std::size_t>(k) * h + y) * w + x];
            return out;
        }
    }
    std::size_t wanted = 1;
    bool open = false;
    for (std::size_t i = 1; i < shape.size(); ++i) {
        if (shape[i] < 0)
            open = true;
        else
            wanted *= static_cast<std::size_t>(shape[i]);
    }
    if (!open && wanted == image.sampleSize() && shape.size() >= 2) {
        Shape target;
        for (long long d : shape)
            target.push_back(static_cast<int>(d));
        target[0] = 1;
        Tensor out = image;
        out.reshape(target);
        return out;
    }
    std::string expected = "(";
    for (std::size_t i = 0; i < shape.size(); ++i)
        expected += (i ? ", " : "") + (shape[i] < 0 ? std::string("?") : std::to_string(shape[i]));
    throw std::runtime_error("the model expects an input of shape " + expected + ", the image gives " +
                             shapeToString(image.shape()) + "; change the size or channels");
}

}  // namespace

InspectedModel::InspectedModel(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
InspectedModel::InspectedModel(InspectedModel&&) noexcept = default;
InspectedModel& InspectedModel::operator=(InspectedModel&&) noexcept = default;
InspectedModel::~InspectedModel() = default;

InspectedModel InspectedModel::open(const std::string& path)
{
    auto impl = std::make_unique<Impl>();
    impl->source = path;
    const std::string ext = lowerExtension(path);
    try {
        if (ext == ".onnx") {
            OnnxLoadOptions options;
            options.allowUnsupported = true;
            fillFromOnnx(*impl, std::make_unique<OnnxModel>(OnnxModel::load(path, options)));
        } else if (ext == ".h5" || ext == ".hdf5" || ext == ".keras") {
            fillFromKeras(*impl, KerasReader::readFile(path));
        } else {
            LoadedModel loaded = loadModel(path);
            impl->format = ext == ".llmodel" || loaded.hasTraining ? "LayerLens model" : "LayerLens description";
            impl->classNames = loaded.training.classNames;
            fillFromModel(*impl, std::move(loaded.model));
        }
    } catch (const std::bad_alloc&) {
        throw std::runtime_error(path + ": not enough memory to load this model");
    }
    computeDepths(impl->layers);
    return InspectedModel(std::move(impl));
}

const std::string& InspectedModel::source() const { return m_impl->source; }
const std::string& InspectedModel::format() const { return m_impl->format; }
const std::vector<InspectedLayer>& InspectedModel::layers() const { return m_impl->layers; }

std::size_t InspectedModel::totalParameters() const
{
    if (m_impl->onnx)
        return m_impl->onnx->parameterCount();
    std::size_t n = 0;
    for (const auto& layer : m_impl->layers)
        n += layer.parameters;
    return n;
}

std::size_t InspectedModel::trainableParameters() const
{
    std::size_t n = 0;
    for (const auto& layer : m_impl->layers)
        n += layer.trainable;
    return n;
}

bool InspectedModel::canRun() const { return m_impl->notRunnable.empty(); }
const std::string& InspectedModel::whyNotRunnable() const { return m_impl->notRunnable; }
const std::vector<std::string>& InspectedModel::unsupportedOperators() const { return m_impl->unsupported; }
const std::vector<long long>& InspectedModel::inputShape() const { return m_impl->inputShape; }
const std::vector<std::string>& InspectedModel::classNames() const { return m_impl->classNames; }
void InspectedModel::setClassNames(std::vector<std::string> names) { m_impl->classNames = std::move(names); }

ImagePreprocessing InspectedModel::defaultPreprocessing() const
{
    ImagePreprocessing p;
    const auto& s = m_impl->inputShape;
    auto fixed = [](long long d, int fallback) { return d > 0 ? static_cast<int>(d) : fallback; };
    if (s.size() == 4) {
        const bool channelsLast = (s[3] == 1 || s[3] == 3) && !(s[1] == 1 || s[1] == 3);
        p.channels = fixed(channelsLast ? s[3] : s[1], 3);
        p.height = fixed(channelsLast ? s[1] : s[2], 224);
        p.width = fixed(channelsLast ? s[2] : s[3], 224);
    } else if (s.size() == 3) {  // (1, H, W): one grey plane
        p.channels = 1;
        p.height = fixed(s[1], 28);
        p.width = fixed(s[2], 28);
    } else if (s.size() == 2 && s[1] > 0) {  // a flat vector: the largest square picture that fills it
        const long long n = s[1];
        for (int c : {1, 3}) {
            const auto side = static_cast<long long>(std::lround(std::sqrt(static_cast<double>(n / c))));
            if (side * side * c == n) {
                p.channels = c;
                p.height = p.width = static_cast<int>(side);
                break;
            }
        }
    }
    if (p.channels != 1 && p.channels != 3)
        p.channels = 3;
    if (p.channels == 3 && p.height >= 224) {  // ImageNet-sized RGB models are normalized so
        const float mean[3] = {0.485f, 0.456f, 0.406f}, stddev[3] = {0.229f, 0.224f, 0.225f};
        std::copy(mean, mean + 3, p.mean);
        std::copy(stddev, stddev + 3, p.stddev);
    }
    return p;
}

std::vector<InspectedWeight> InspectedModel::weights(int layer) const
{
    std::vector<InspectedWeight> out;
    if (layer < 0 || layer >= static_cast<int>(m_impl->layers.size()))
        return out;
    if (m_impl->onnx) {
        const int firstNode = static_cast<int>(m_impl->onnx->inputs().size());
        if (layer < firstNode)
            return out;
        const OnnxNode& node = m_impl->onnx->nodes()[static_cast<std::size_t>(layer - firstNode)];
        const auto& initializers = m_impl->onnx->graph().initializers;
        for (const std::string& input : node.inputs) {
            const auto it = initializers.find(input);
            if (it == initializers.end() || !it->second.isFloat())
                continue;
            Shape shape(it->second.shape.begin(), it->second.shape.end());
            out.push_back(describeWeight(input, shape, it->second.floats.data(), it->second.floats.size()));
        }
    } else if (m_impl->model) {
        if (layer == 0)
            return out;
        Layer& source = m_impl->model->layer(layer - 1);
        for (const auto& list : {source.parameters(), source.buffers()})
            for (const Parameter* p : list)
                out.push_back(describeWeight(p->name, p->value.shape(), p->value.data(), p->value.size()));
    } else if (m_impl->keras) {
        const KerasLayer& source = m_impl->keras->layers[static_cast<std::size_t>(layer)];
        for (const KerasWeight& w : source.weights)
            out.push_back(describeWeight(w.name, w.shape, w.values.data(), w.values.size()));
    }
    return out;
}

InspectionResult InspectedModel::run(const Tensor& image)
{
    if (!canRun())
        throw std::runtime_error(m_impl->source + ": cannot run: " + m_impl->notRunnable);
    InspectionResult result;
    result.outputs.resize(m_impl->layers.size());
    Tensor input = layoutInput(image, m_impl->inputShape);
    if (m_impl->onnx) {
        const OnnxModel& onnx = *m_impl->onnx;
        OnnxTensorMap inputs;
        inputs[onnx.inputs().front().name] = OnnxTensor::fromTensor(input);
        const OnnxTensorMap values = onnx.runAll(inputs);
        auto floatValue = [&values](const std::string& name) -> Tensor {
            const auto it = values.find(name);
            if (it == values.end() || !it->second.isFloat())
                return {};
            return it->second.toTensor();
        };
        const std::size_t inputCount = onnx.inputs().size();
        for (std::size_t i = 0; i < inputCount; ++i)
            result.outputs[i] = floatValue(onnx.inputs()[i].name);
        const auto& nodes = onnx.nodes();
        for (std::size_t i = 0; i < nodes.size(); ++i)
            if (!nodes[i].outputs.empty() && !m_impl->layers[inputCount + i].constant)
                result.outputs[inputCount + i] = floatValue(nodes[i].outputs[0]);
        const auto out = values.find(onnx.outputs().front().name);
        if (out != values.end())
            result.logits = out->second.toFloats();
    } else {
        Model& model = *m_impl->model;
        model.forward(input, false);
        result.outputs[0] = input;
        for (int i = 0; i < model.layerCount(); ++i)
            result.outputs[static_cast<std::size_t>(i) + 1] = model.output(i);
        result.logits.assign(model.output().data(), model.output().data() + model.output().size());
    }
    result.probabilities = toProbabilities(result.logits, &result.softmaxApplied);
    result.ranking.resize(result.probabilities.size());
    std::iota(result.ranking.begin(), result.ranking.end(), 0);
    std::stable_sort(result.ranking.begin(), result.ranking.end(),
                     [&p = result.probabilities](int a, int b) { return p[static_cast<std::size_t>(a)] > p[static_cast<std::size_t>(b)]; });
    return result;
}

std::vector<float> InspectedModel::toProbabilities(const std::vector<float>& logits, bool* softmaxApplied)
{
    double sum = 0;
    bool unit = !logits.empty();
    for (float v : logits) {
        unit = unit && v >= 0.0f && v <= 1.0f;
        sum += v;
    }
    if (unit && std::abs(sum - 1.0) < 1e-3) {
        if (softmaxApplied)
            *softmaxApplied = false;
        return logits;
    }
    if (softmaxApplied)
        *softmaxApplied = true;
    std::vector<float> p(logits.size());
    if (logits.empty())
        return p;
    const float top = *std::max_element(logits.begin(), logits.end());
    double total = 0;
    for (std::size_t i = 0; i < logits.size(); ++i) {
        p[i] = std::exp(logits[i] - top);
        total += p[i];
    }
    for (float& v : p)
        v = static_cast<float>(v / total);
    return p;
}

std::vector<std::string> InspectedModel::readLabels(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error(path + ": cannot read the labels file");
    std::vector<std::string> names;
    std::string line;
    while (std::getline(in, line)) {
        while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back())))
            line.pop_back();
        if (!line.empty())
            names.push_back(line);
    }
    if (names.empty())
        throw std::runtime_error(path + ": the labels file holds no names (expected one class name per line)");
    return names;
}

}  // namespace layerlens::core
