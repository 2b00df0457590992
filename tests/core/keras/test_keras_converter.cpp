// KerasConverter: the description it writes, the layout changes of the weights, and its errors.
//
// The numeric check runs the converted description and weights through a small, plain NCHW
// reference forward pass written here (independent of the engine's layers) and compares with
// the output numpy computed channels-last from the Keras-layout weights (expected.json). So a
// wrong kernel transpose or a missing HWC->CHW reordering after Flatten fails this test.

#include <QtTest>

#include <cmath>
#include <fstream>

#include "core/keras/keras_config_parser.h"
#include "core/keras/keras_converter.h"
#include "core/keras/keras_reader.h"

using namespace layerlens::core;
using nlohmann::json;

namespace {

std::string dataPath(const std::string& name) { return std::string(LAYERLENS_TEST_DATA_DIR) + "/keras/" + name; }

template <typename Fn>
QString errorOf(Fn fn)
{
    try {
        fn();
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    return QStringLiteral("<no exception>");
}

// ------------------------------------------------------------------ reference NCHW forward

struct Batch {
    Shape shape;  // with batch axis
    std::vector<double> v;
};

std::pair<int, int> pairOf(const json& j) { return j.is_array() ? std::pair{j[0].get<int>(), j[1].get<int>()} : std::pair{j.get<int>(), j.get<int>()}; }

// TensorFlow "same": total padding max((out-1)*s + span - in, 0), the extra pixel after.
void axisGeometry(int in, int k, int s, int d, const std::string& padding, int& out, int& before)
{
    const int span = d * (k - 1) + 1;
    if (padding == "same") {
        out = (in + s - 1) / s;
        before = std::max((out - 1) * s + span - in, 0) / 2;
    } else {
        out = (in - span) / s + 1;
        before = 0;
    }
}

Batch window(const Batch& x, const json& layer, const KerasLayerWeights* w)
{
    const int n = x.shape[0], c = x.shape[1], h = x.shape[2], wd = x.shape[3];
    const std::string type = layer["type"];
    const bool conv = type == "Conv2D";
    const auto k = pairOf(conv ? layer["kernel_size"] : layer["pool_size"]);
    const auto s = pairOf(layer["strides"]);
    const auto d = conv ? pairOf(layer["dilation"]) : std::pair{1, 1};
    const std::string padding = layer["padding"];
    int oh, ow, ph, pw;
    axisGeometry(h, k.first, s.first, d.first, padding, oh, ph);
    axisGeometry(wd, k.second, s.second, d.second, padding, ow, pw);
    const int oc = conv ? layer["filters"].get<int>() : c;
    Batch y{{n, oc, oh, ow}, std::vector<double>(static_cast<std::size_t>(n) * oc * oh * ow)};
    auto at = [&](int b, int ch, int i, int j) { return x.v[((static_cast<std::size_t>(b) * c + ch) * h + i) * wd + j]; };
    for (int b = 0; b < n; ++b)
        for (int o = 0; o < oc; ++o)
            for (int i = 0; i < oh; ++i)
                for (int j = 0; j < ow; ++j) {
                    double acc = conv ? (w->parameters.size() > 1 ? w->parameters[1][static_cast<std::size_t>(o)] : 0.0)
                                      : (type == "MaxPool2D" ? -1e300 : 0.0);
                    int count = 0;
                    for (int di = 0; di < k.first; ++di)
                        for (int dj = 0; dj < k.second; ++dj) {
                            const int ii = i * s.first + di * d.first - ph, jj = j * s.second + dj * d.second - pw;
                            if (ii < 0 || ii >= h || jj < 0 || jj >= wd)
                                continue;
                            ++count;
                            if (!conv) {
                                acc = type == "MaxPool2D" ? std::max(acc, at(b, o, ii, jj)) : acc + at(b, o, ii, jj);
                                continue;
                            }
                            for (int ci = 0; ci < c; ++ci)
                                acc += at(b, ci, ii, jj)
                                       * w->parameters[0][((static_cast<std::size_t>(o) * c + ci) * k.first + di) * k.second + dj];
                        }
                    if (type == "AvgPool2D")
                        acc /= count;
                    y.v[((static_cast<std::size_t>(b) * oc + o) * oh + i) * ow + j] = acc;
                }
    return y;
}

void activate(Batch& x, const std::string& name, double alpha)
{
    const std::size_t row = x.v.size() / static_cast<std::size_t>(x.shape[0]);
    if (name == "softmax") {
        for (std::size_t b = 0; b < static_cast<std::size_t>(x.shape[0]); ++b) {
            double m = -1e300, sum = 0;
            for (std::size_t i = 0; i < row; ++i)
                m = std::max(m, x.v[b * row + i]);
            for (std::size_t i = 0; i < row; ++i)
                sum += (x.v[b * row + i] = std::exp(x.v[b * row + i] - m));
            for (std::size_t i = 0; i < row; ++i)
                x.v[b * row + i] /= sum;
        }
        return;
    }
    for (double& v : x.v) {
        if (name == "relu")
            v = std::max(v, 0.0);
        else if (name == "tanh")
            v = std::tanh(v);
        else if (name == "sigmoid")
            v = 1.0 / (1.0 + std::exp(-v));
        else if (name == "leaky_relu")
            v = v > 0 ? v : alpha * v;
        else if (name != "linear")
            QTest::qFail(("reference has no activation " + name).c_str(), __FILE__, __LINE__);
    }
}

Batch referenceForward(const KerasConversion& conversion, Batch x)
{
    auto weightsOf = [&](const std::string& name) -> const KerasLayerWeights* {
        for (const auto& w : conversion.weights)
            if (w.layerName == name)
                return &w;
        return nullptr;
    };
    for (const json& layer : conversion.description["layers"]) {
        const std::string type = layer["type"];
        const KerasLayerWeights* w = weightsOf(layer["name"]);
        const int n = x.shape[0];
        const std::size_t row = x.v.size() / static_cast<std::size_t>(n);
        if (type == "Conv2D" || type == "MaxPool2D" || type == "AvgPool2D") {
            x = window(x, layer, w);
        } else if (type == "Dense") {
            const int units = layer["units"];
            Batch y{{n, units}, std::vector<double>(static_cast<std::size_t>(n) * units)};
            for (int b = 0; b < n; ++b)
                for (int u = 0; u < units; ++u) {
                    double acc = w->parameters.size() > 1 ? w->parameters[1][static_cast<std::size_t>(u)] : 0.0;
                    for (std::size_t q = 0; q < row; ++q)
                        acc += x.v[b * row + q] * w->parameters[0][u * row + q];
                    y.v[static_cast<std::size_t>(b) * units + u] = acc;
                }
            x = y;
        } else if (type == "BatchNorm") {
            const std::size_t channels = static_cast<std::size_t>(x.shape[1]);
            const std::size_t inner = row / channels;
            const double eps = layer["epsilon"];
            for (std::size_t i = 0; i < x.v.size(); ++i) {
                const std::size_t ch = (i % row) / inner;
                x.v[i] = (x.v[i] - w->buffers[0][ch]) / std::sqrt(w->buffers[1][ch] + eps) * w->parameters[0][ch]
                         + w->parameters[1][ch];
            }
        } else if (type == "Flatten") {
            x.shape = {n, static_cast<int>(row)};
        } else if (type == "Reshape") {
            x.shape = {n};
            for (const auto& d : layer["target_shape"])
                x.shape.push_back(d.get<int>());
        } else if (type == "Rescaling") {
            for (double& v : x.v)
                v = v * layer["scale"].get<double>() + layer["offset"].get<double>();
        } else if (type == "Softmax") {
            activate(x, "softmax", 0);
        } else if (type == "GlobalAveragePool") {
            const int channels = x.shape[1];
            const std::size_t inner = row / static_cast<std::size_t>(channels);
            Batch y{{n, channels}, std::vector<double>(static_cast<std::size_t>(n) * channels, 0.0)};
            for (std::size_t i = 0; i < x.v.size(); ++i)
                y.v[i / inner] += x.v[i] / static_cast<double>(inner);
            x = y;
        } else if (type != "Dropout" && type != "Activation") {
            QTest::qFail(("reference has no layer " + type).c_str(), __FILE__, __LINE__);
        }
        if (layer.contains("activation"))
            activate(x, layer["activation"], layer.value("alpha", 0.0));
    }
    return x;
}

// (N, H, W, C) -> (N, C, H, W); a rank-2 batch (N, F) stays as it is.
Batch toNchw(const std::vector<double>& values, const Shape& nhwc)
{
    if (nhwc.size() == 2)
        return {nhwc, values};
    const int n = nhwc[0], h = nhwc[1], w = nhwc[2], c = nhwc[3];
    Batch out{{n, c, h, w}, std::vector<double>(values.size())};
    for (int b = 0; b < n; ++b)
        for (int i = 0; i < h; ++i)
            for (int j = 0; j < w; ++j)
                for (int ch = 0; ch < c; ++ch)
                    out.v[((static_cast<std::size_t>(b) * c + ch) * h + i) * w + j]
                        = values[((static_cast<std::size_t>(b) * h + i) * w + j) * c + ch];
    return out;
}

json expectedOutputs()
{
    std::ifstream in(dataPath("expected.json"));
    return json::parse(in);
}

KerasModel modelFromConfig(const json& config)
{
    KerasModel model;
    model.format = "test";
    KerasConfigParser::parse(config, model, "test config");
    return model;
}

json sequentialConfig(const json& inputShape, const json& layers)
{
    json all = json::array({{{"class_name", "InputLayer"},
                             {"config", {{"name", "input"}, {"batch_input_shape", inputShape}}}}});
    for (const auto& l : layers)
        all.push_back(l);
    return {{"class_name", "Sequential"}, {"config", {{"name", "test"}, {"layers", all}}}};
}

json layerJson(const std::string& cls, json config) { return {{"class_name", cls}, {"config", std::move(config)}}; }

}  // namespace

class TestKerasConverter : public QObject {
    Q_OBJECT

private slots:
    void keras2CnnDescription()
    {
        const KerasConversion c = KerasConverter::convert(KerasReader::readFile(dataPath("keras2_cnn.h5")));
        const json& d = c.description;
        QCOMPARE(d["input_shape"], json({3, 6, 6}));
        const json& layers = d["layers"];
        QCOMPARE(layers.size(), std::size_t(5));
        QCOMPARE(layers[0], json({{"name", "conv2d"}, {"type", "Conv2D"}, {"filters", 4}, {"kernel_size", 3},
                                  {"strides", 1}, {"padding", "same"}, {"dilation", 1}, {"use_bias", true},
                                  {"activation", "relu"}}));
        QCOMPARE(layers[1], json({{"name", "max_pooling2d"}, {"type", "MaxPool2D"}, {"pool_size", 2}, {"strides", 2},
                                  {"padding", "valid"}}));
        QCOMPARE(layers[2]["type"], json("BatchNorm"));
        QCOMPARE(layers[2]["momentum"].get<double>(), 0.99);
        QCOMPARE(layers[2]["epsilon"].get<double>(), 0.001);
        QCOMPARE(layers[3], json({{"name", "flatten"}, {"type", "Flatten"}}));
        QCOMPARE(layers[4], json({{"name", "dense"}, {"type", "Dense"}, {"units", 5}, {"use_bias", true},
                                  {"activation", "softmax"}}));
        QCOMPARE(c.weights.size(), std::size_t(3));
        QCOMPARE(c.weights[0].layerName, std::string("conv2d"));
        QCOMPARE(c.weights[0].parameters[0].shape(), (Shape{4, 3, 3, 3}));
        QCOMPARE(c.weights[1].parameters.size(), std::size_t(2));
        QCOMPARE(c.weights[1].buffers.size(), std::size_t(2));
        QCOMPARE(c.weights[2].parameters[0].shape(), (Shape{5, 36}));
    }

    void conv2dKernelIsTransposedToOihw()
    {
        const KerasModel m = KerasReader::readFile(dataPath("keras2_cnn.h5"));
        const KerasConversion c = KerasConverter::convert(m);
        const KerasWeight& k = *m.findLayer("conv2d")->weight("kernel");  // (3, 3, 3, 4)
        const Tensor& t = c.weights[0].parameters[0];                    // (4, 3, 3, 3)
        for (int f : {0, 3})
            for (int ci : {0, 2})
                for (int i : {0, 1, 2})
                    for (int j : {0, 2})
                        QCOMPARE(t[((static_cast<std::size_t>(f) * 3 + ci) * 3 + i) * 3 + j],
                                 k.values[((static_cast<std::size_t>(i) * 3 + j) * 3 + ci) * 4 + f]);
    }

    void denseAfterFlattenIsReorderedToChw()
    {
        // (3, 3, 4) flattened: our feature q = c*9 + h*3 + w is Keras feature (h*3 + w)*4 + c.
        const KerasModel m = KerasReader::readFile(dataPath("keras2_cnn.h5"));
        const KerasConversion c = KerasConverter::convert(m);
        const KerasWeight& k = *m.findLayer("dense")->weight("kernel");  // (36, 5)
        const Tensor& t = c.weights[2].parameters[0];                    // (5, 36)
        for (int u = 0; u < 5; ++u)
            for (int ch = 0; ch < 4; ++ch)
                for (int hw = 0; hw < 9; ++hw)
                    QCOMPARE(t[static_cast<std::size_t>(u) * 36 + ch * 9 + hw],
                             k.values[static_cast<std::size_t>(hw * 4 + ch) * 5 + u]);
    }

    void matchesNumpyReference_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("keras2 cnn") << "keras2_cnn.h5";
        QTest::newRow("keras2 functional mlp") << "keras2_mlp.h5";
        QTest::newRow("keras3 cnn") << "keras3_cnn.keras";
        QTest::newRow("keras3 functional mlp") << "keras3_mlp.keras";
        QTest::newRow("keras2 variants") << "keras2_variants.h5";
    }

    void matchesNumpyReference()
    {
        QFETCH(QString, file);
        const json expected = expectedOutputs()[file.toStdString()];
        const KerasConversion c = KerasConverter::convert(KerasReader::readFile(dataPath(file.toStdString())));
        const Batch input = toNchw(expected["input"].get<std::vector<double>>(), expected["input_shape"].get<Shape>());
        Shape perSample(input.shape.begin() + 1, input.shape.end());
        QCOMPARE(c.description["input_shape"].get<Shape>(), perSample);
        const Batch y = referenceForward(c, input);
        const auto want = expected["output"].get<std::vector<double>>();
        QCOMPARE(y.shape, expected["output_shape"].get<Shape>());
        QCOMPARE(y.v.size(), want.size());
        for (std::size_t i = 0; i < want.size(); ++i)
            QVERIFY2(std::abs(y.v[i] - want[i]) < 1e-4,
                     qPrintable(QString("output %1: %2 vs numpy %3").arg(i).arg(y.v[i]).arg(want[i])));
    }

    void variantsDescription()
    {
        const KerasConversion c = KerasConverter::convert(KerasReader::readFile(dataPath("keras2_variants.h5")));
        const json& layers = c.description["layers"];
        QCOMPARE(layers[0], json({{"name", "conv_a"}, {"type", "Conv2D"}, {"filters", 3}, {"kernel_size", 3},
                                  {"strides", 2}, {"padding", "same"}, {"dilation", 1}, {"use_bias", false}}));
        QCOMPARE(layers[1], json({{"name", "tanh_a"}, {"type", "Activation"}, {"activation", "tanh"}}));
        QCOMPARE(layers[2]["dilation"], json(2));
        QCOMPARE(layers[3], json({{"name", "avg"}, {"type", "AvgPool2D"}, {"pool_size", 3}, {"strides", 1},
                                  {"padding", "same"}}));
        QCOMPARE(layers[5]["kernel_size"], json({2, 3}));
        QCOMPARE(layers[6], json({{"name", "leaky"}, {"type", "Activation"}, {"activation", "leaky_relu"},
                                  {"alpha", 0.05}}));
        QCOMPARE(layers[9], json({{"name", "to_image"}, {"type", "Reshape"}, {"target_shape", {6, 1, 1}}}));
        QCOMPARE(c.weights[0].parameters.size(), std::size_t(1));  // no bias
        QCOMPARE(c.weights[0].parameters[0].shape(), (Shape{3, 2, 3, 3}));
        // scale=False: gamma is ones.
        QCOMPARE(c.weights[2].parameters[0][0], 1.0f);
    }

    void keras3Description()
    {
        const KerasConversion c = KerasConverter::convert(KerasReader::readFile(dataPath("keras3_cnn.keras")));
        const json& layers = c.description["layers"];
        QCOMPARE(c.description["input_shape"], json({2, 4, 6}));
        QCOMPARE(layers[0], json({{"name", "rescaling"}, {"type", "Rescaling"}, {"scale", 0.5}, {"offset", -0.25}}));
        QCOMPARE(layers[5], json({{"name", "dropout"}, {"type", "Dropout"}, {"rate", 0.5}}));
        // center=False: beta is zeros.
        const Tensor& beta = c.weights[1].parameters[1];
        QCOMPARE(beta.shape(), (Shape{3}));
        for (std::size_t i = 0; i < beta.size(); ++i)
            QCOMPARE(beta[i], 0.0f);
        const KerasConversion mlp = KerasConverter::convert(KerasReader::readFile(dataPath("keras3_mlp.keras")));
        QCOMPARE(mlp.description["layers"][1], json({{"name", "re_lu"}, {"type", "Activation"}, {"activation", "relu"}}));
        QCOMPARE(mlp.description["layers"][3]["alpha"].get<double>(), 0.1);
        QCOMPARE(mlp.description["layers"][5], json({{"name", "softmax"}, {"type", "Softmax"}}));
    }

    void unknownLayerClassesAreAllListed()
    {
        const json config = sequentialConfig({nullptr, 8}, json::array({
            layerJson("Dense", {{"name", "dense"}, {"units", 4}}),
            layerJson("LSTM", {{"name", "lstm"}}),
            layerJson("GRU", {{"name", "gru"}}),
            layerJson("LSTM", {{"name", "lstm_1"}}),
        }));
        const QString error = errorOf([&] { KerasConverter::convert(modelFromConfig(config)); });
        QVERIFY2(error.contains("unsupported Keras layer classes: LSTM (layer 'lstm'), GRU (layer 'gru')"), qPrintable(error));
        QVERIFY2(error.contains("Supported: InputLayer, Dense, Conv2D"), qPrintable(error));
    }

    void missingWeightIsNamed()
    {
        const json config = sequentialConfig({nullptr, 8}, json::array({layerJson("Dense", {{"name", "dense"}, {"units", 4}})}));
        KerasModel m = modelFromConfig(config);
        m.layers[1].weights.push_back({"kernel", "/k", {8, 4}, std::vector<float>(32, 0.1f)});
        const QString error = errorOf([&] { KerasConverter::convert(m); });
        QVERIFY2(error.contains("layer 'dense' (Dense): missing weight \"bias\" (expected shape (4,))"), qPrintable(error));
    }

    void branchesAreRefused_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("message");
        QTest::newRow("add") << "add" << "functional model with branches (Add at layer 'add') cannot be converted";
        QTest::newRow("fork") << "fork" << "branches (the output of layer 'a' feeds 'b' and 'c')";
    }

    void branchesAreRefused()
    {
        QFETCH(QString, kind);
        QFETCH(QString, message);
        auto layer = [](const std::string& cls, const std::string& name, const std::vector<std::string>& from) {
            json nodes = json::array();
            json node = json::array();
            for (const auto& f : from)
                node.push_back({f, 0, 0, json::object()});
            if (!from.empty())
                nodes.push_back(node);
            json config = {{"name", name}};
            if (cls == "Dense")
                config["units"] = 2;
            if (cls == "InputLayer")
                config["batch_input_shape"] = {nullptr, 2};
            return json{{"class_name", cls}, {"name", name}, {"config", config}, {"inbound_nodes", nodes}};
        };
        json layers = {layer("InputLayer", "in", {}), layer("Dense", "a", {"in"}), layer("Dense", "b", {"a"}),
                       layer("Dense", "c", {"a"})};
        if (kind == "add")
            layers.push_back(layer("Add", "add", {"b", "c"}));
        const json config = {{"class_name", "Functional"},
                             {"config", {{"name", "f"}, {"layers", layers}, {"input_layers", {{"in", 0, 0}}},
                                         {"output_layers", {{kind == "add" ? "add" : "b", 0, 0}}}}}};
        const KerasModel m = modelFromConfig(config);
        QCOMPARE(m.findLayer("c")->inbound, (std::vector<std::string>{"a"}));
        const QString error = errorOf([&] { KerasConverter::convert(m); });
        QVERIFY2(error.contains(message), qPrintable(error));
    }

    void layoutChangesThatCannotBeExactAreRefused_data()
    {
        QTest::addColumn<QString>("configText");
        QTest::addColumn<QString>("message");
        QTest::newRow("reshape flat to multi-channel")
            << R"([{"class_name": "Reshape", "config": {"name": "r", "target_shape": [2, 2, 3]}}])"
            << "reorders values between Keras' channels-last and our channels-first layout";
        QTest::newRow("dense on an image")
            << R"([{"class_name": "Reshape", "config": {"name": "r", "target_shape": [3, 4, 1]}},
                  {"class_name": "Dense", "config": {"name": "d", "units": 2}}])"
            << "layer 'd' (Dense): is supported only on a feature vector (F) but receives (3, 4, 1)";
        QTest::newRow("unknown activation")
            << R"([{"class_name": "Dense", "config": {"name": "d", "units": 2, "activation": "mish"}}])"
            << "activation \"mish\" is not supported";
        QTest::newRow("capped relu")
            << R"([{"class_name": "ReLU", "config": {"name": "r", "max_value": 6.0}}])"
            << "max_value (capped ReLU) is not supported";
    }

    void layoutChangesThatCannotBeExactAreRefused()
    {
        QFETCH(QString, configText);
        QFETCH(QString, message);
        const json config = sequentialConfig({nullptr, 12}, json::parse(configText.toStdString()));
        const QString error = errorOf([&] { KerasConverter::convert(modelFromConfig(config)); });
        QVERIFY2(error.contains(message), qPrintable(error));
    }

    void reshapeBackAfterFlattenIsExact()
    {
        // Flatten then Reshape to the same (H, W, C) restores the image in both layouts.
        const json config = sequentialConfig({nullptr, 2, 3, 4}, json::array({
            layerJson("Flatten", {{"name", "f"}}),
            layerJson("Reshape", {{"name", "r"}, {"target_shape", {2, 3, 4}}}),
            layerJson("GlobalAveragePooling2D", {{"name", "g"}}),
        }));
        const KerasConversion c = KerasConverter::convert(modelFromConfig(config));
        QCOMPARE(c.description["input_shape"], json({4, 2, 3}));
        QCOMPARE(c.description["layers"][1]["target_shape"], json({4, 2, 3}));
        QCOMPARE(c.description["layers"][2]["type"], json("GlobalAveragePool"));
    }

    void missingInputShapeIsReported()
    {
        const json config = {{"class_name", "Sequential"},
                             {"config", {{"name", "s"}, {"layers", json::array({layerJson("Dense", {{"name", "d"}, {"units", 2}})})}}}};
        const QString error = errorOf([&] { KerasConverter::convert(modelFromConfig(config)); });
        QVERIFY2(error.contains("does not state the input shape"), qPrintable(error));
    }

    void badConfigText()
    {
        KerasModel m;
        QVERIFY(errorOf([&] { KerasConfigParser::parse(std::string("{not json"), m, "x.h5"); }).contains("x.h5: the model config is not valid JSON"));
        QVERIFY(errorOf([&] { KerasConfigParser::parse(std::string(R"({"class_name": "MyModel", "config": {}})"), m, "x.h5"); })
                    .contains("model class \"MyModel\" is not supported"));
    }
};

QTEST_GUILESS_MAIN(TestKerasConverter)
#include "test_keras_converter.moc"
