// Layer behaviour: gradient checks (analytic vs central finite differences) for every layer,
// output shapes and ShapeError messages, parameter counts, settings round trips, Dropout and
// BatchNorm state, Conv2D determinism.
//
// Gradient check: L = sum(output * R) for a fixed random R. Each input value and parameter is
// moved by +-eps (eps = 1e-2), L is accumulated in double, and the central difference is
// compared with backward(). Bound: |analytic - numeric| <= 1e-2 * max(1, |analytic|, |numeric|).

#include <QtTest>

#include <cmath>
#include <functional>
#include <numeric>

#include <omp.h>

#include "core/layers/batch_norm.h"
#include "core/layers/conv2d.h"
#include "core/layers/dense.h"
#include "core/layers/dropout.h"
#include "core/layers/max_pool2d.h"
#include "core/layers/reshape.h"
#include "core/model/layer_factory.h"

using namespace layerlens::core;

namespace {
constexpr double kEps = 1e-2;
constexpr double kTolerance = 1e-2;

LayerPtr makeLayer(const std::string& json)
{
    auto layers = createLayers(nlohmann::json::parse(json));
    if (layers.size() != 1)
        throw std::runtime_error("expected one layer from " + json);
    return std::move(layers[0]);
}

Tensor randomTensor(const Shape& shape, Rng& rng, float scale = 1.0f)
{
    Tensor t(shape);
    for (std::size_t i = 0; i < t.size(); ++i)
        t[i] = rng.normal(0.0f, scale);
    return t;
}

// Distinct values at least 0.05 apart in random order, so max pooling has no ties and a
// perturbation of eps never changes which value wins; also keeps ReLU-like kinks away.
Tensor distinctTensor(const Shape& shape, Rng& rng)
{
    Tensor t(shape);
    std::vector<int> order(t.size());
    std::iota(order.begin(), order.end(), 0);
    for (std::size_t i = order.size(); i > 1; --i)
        std::swap(order[i - 1], order[static_cast<std::size_t>(rng.uniformInt(static_cast<int>(i)))]);
    const float offset = static_cast<float>(t.size()) * 0.025f;
    for (std::size_t i = 0; i < t.size(); ++i) {
        float v = static_cast<float>(order[i]) * 0.05f - offset + 0.025f;
        t[i] = v;
    }
    return t;
}

struct GradCheck {
    double worst = 0.0;
    std::string where;
    int checked = 0;
};

GradCheck gradientCheck(Layer& layer, Tensor input, bool training, Rng& rng, const std::function<void()>& beforeForward)
{
    Tensor output;
    beforeForward();
    layer.forward(input, output, training);
    const Tensor weights = randomTensor(output.shape(), rng);
    Tensor gradInput;
    layer.backward(input, output, weights, gradInput);

    auto loss = [&]() {
        Tensor out;
        beforeForward();
        layer.forward(input, out, training);
        double sum = 0.0;
        for (std::size_t i = 0; i < out.size(); ++i)
            sum += static_cast<double>(out[i]) * weights[i];
        return sum;
    };
    GradCheck result;
    auto check = [&](float& value, double analytic, const std::string& where) {
        const float saved = value;
        value = static_cast<float>(saved + kEps);
        const double plus = loss();
        value = static_cast<float>(saved - kEps);
        const double minus = loss();
        value = saved;
        const double numeric = (plus - minus) / (2.0 * kEps);
        const double error = std::fabs(analytic - numeric)
            / std::max({1.0, std::fabs(analytic), std::fabs(numeric)});
        ++result.checked;
        if (error > result.worst) {
            result.worst = error;
            result.where = where + ": analytic " + std::to_string(analytic) + ", numeric " + std::to_string(numeric);
        }
    };
    for (std::size_t i = 0; i < input.size(); ++i)
        check(input[i], gradInput[i], "input[" + std::to_string(i) + "]");
    for (Parameter* p : layer.parameters()) {
        const Tensor analytic = p->grad;  // copy: later backward calls do not happen, but be safe
        for (std::size_t i = 0; i < p->value.size(); ++i)
            check(p->value[i], analytic[i], p->name + "[" + std::to_string(i) + "]");
    }
    return result;
}
}  // namespace

class TestLayers : public QObject {
    Q_OBJECT

private slots:
    void gradientCheck_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QList<int>>("shape");  // batch shape
        QTest::addColumn<bool>("training");
        QTest::addColumn<bool>("distinct");

        auto row = [](const char* name, const char* json, QList<int> shape, bool training = true, bool distinct = false) {
            QTest::newRow(name) << QString(json) << shape << training << distinct;
        };
        row("dense", R"({"type": "Dense", "units": 3})", {3, 5});
        row("dense_nobias", R"({"type": "Dense", "units": 4, "use_bias": false})", {2, 7});
        row("conv_valid", R"({"type": "Conv2D", "filters": 4, "kernel_size": 3})", {2, 3, 6, 6});
        row("conv_same", R"({"type": "Conv2D", "filters": 3, "kernel_size": 3, "padding": "same"})", {2, 2, 5, 6});
        row("conv_same_stride2", R"({"type": "Conv2D", "filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"})",
            {3, 2, 7, 8});
        row("conv_same_stride2_k4", R"({"type": "Conv2D", "filters": 2, "kernel_size": 4, "strides": 2, "padding": "same"})",
            {2, 2, 8, 8});
        row("conv_dilation2", R"({"type": "Conv2D", "filters": 2, "kernel_size": 3, "dilation": 2})", {2, 2, 8, 7});
        row("conv_dilation2_same", R"({"type": "Conv2D", "filters": 2, "kernel_size": 3, "dilation": 2, "padding": "same"})",
            {1, 2, 6, 6});
        row("conv_explicit_rect", R"({"type": "Conv2D", "filters": 3, "kernel_size": [3, 2], "strides": [2, 1], "padding": [1, 2]})",
            {2, 2, 6, 5});
        row("conv_nobias_5x5", R"({"type": "Conv2D", "filters": 2, "kernel_size": 5, "use_bias": false})", {3, 1, 7, 7});
        row("conv_1x1_stride2", R"({"type": "Conv2D", "filters": 3, "kernel_size": 1, "strides": 2})", {2, 4, 5, 5});
        row("conv_batch5", R"({"type": "Conv2D", "filters": 2, "kernel_size": 3, "padding": "same"})", {5, 1, 4, 4});
        row("maxpool_2", R"({"type": "MaxPool2D", "pool_size": 2})", {2, 2, 6, 6}, true, true);
        row("maxpool_3s2_same", R"({"type": "MaxPool2D", "pool_size": 3, "strides": 2, "padding": "same"})", {2, 2, 7, 8},
            true, true);
        row("maxpool_odd_valid", R"({"type": "MaxPool2D", "pool_size": 2})", {1, 2, 5, 7}, true, true);
        row("avgpool_2", R"({"type": "AvgPool2D", "pool_size": 2})", {2, 2, 6, 6});
        row("avgpool_3s2_same", R"({"type": "AvgPool2D", "pool_size": 3, "strides": 2, "padding": "same"})", {2, 2, 7, 8});
        row("global_average_pool", R"({"type": "GlobalAveragePool"})", {2, 3, 4, 5});
        row("flatten", R"({"type": "Flatten"})", {2, 3, 2, 2});
        row("reshape", R"({"type": "Reshape", "target_shape": [2, -1]})", {2, 12});
        row("dropout", R"({"type": "Dropout", "rate": 0.3})", {3, 10});
        row("dropout_inference", R"({"type": "Dropout", "rate": 0.3})", {3, 10}, false);
        row("batchnorm_dense_train", R"({"type": "BatchNorm"})", {6, 4});
        row("batchnorm_conv_train", R"({"type": "BatchNorm", "momentum": 0.9})", {3, 2, 3, 4});
        row("batchnorm_conv_eval", R"({"type": "BatchNorm"})", {3, 2, 3, 4}, false);
        row("activation_relu", R"({"type": "Activation", "activation": "relu"})", {2, 3, 4}, true, true);
        row("activation_tanh", R"({"type": "Activation", "activation": "tanh"})", {2, 5});
        row("activation_sigmoid", R"({"type": "Activation", "activation": "sigmoid"})", {2, 5});
        row("activation_leaky_relu", R"({"type": "Activation", "activation": "leaky_relu", "alpha": 0.2})", {2, 6}, true,
            true);
        row("activation_elu", R"({"type": "Activation", "activation": "elu"})", {2, 6}, true, true);
        row("softmax", R"({"type": "Softmax"})", {3, 6});
    }

    void gradientCheck()
    {
        QFETCH(QString, json);
        QFETCH(QList<int>, shape);
        QFETCH(bool, training);
        QFETCH(bool, distinct);
        const Shape batchShape(shape.begin(), shape.end());
        const Shape sampleShape(batchShape.begin() + 1, batchShape.end());
        for (std::uint64_t seed : {1u, 2u, 3u}) {
            LayerPtr layer = makeLayer(json.toStdString());
            Rng rng(seed);
            layer->build(sampleShape, rng);
            // Non-trivial gamma/beta and running statistics so every term of batch norm matters.
            for (Parameter* p : layer->parameters())
                if (p->name == "gamma" || p->name == "beta")
                    for (std::size_t i = 0; i < p->value.size(); ++i)
                        p->value[i] = (p->name == "gamma" ? 1.0f : 0.0f) + rng.normal(0.0f, 0.3f);
            for (Parameter* b : layer->buffers())
                for (std::size_t i = 0; i < b->value.size(); ++i)
                    b->value[i] = b->name == "moving_variance" ? rng.uniform(0.5f, 1.5f) : rng.normal(0.0f, 0.3f);
            Rng dropoutRng(seed * 77);
            layer->setRng(&dropoutRng);
            // Dropout draws a new mask per forward; replaying the same stream keeps the mask fixed.
            auto beforeForward = [&]() { dropoutRng.reseed(seed * 77); };
            const Tensor input = distinct ? distinctTensor(batchShape, rng) : randomTensor(batchShape, rng);
            const GradCheck result = ::gradientCheck(*layer, input, training, rng, beforeForward);
            QVERIFY(result.checked >= static_cast<int>(input.size()));
            QVERIFY2(result.worst < kTolerance,
                     qPrintable(QString("seed %1, worst relative error %2 at %3")
                                    .arg(seed)
                                    .arg(result.worst)
                                    .arg(QString::fromStdString(result.where))));
        }
    }

    void outputShapes_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QList<int>>("input");
        QTest::addColumn<QList<int>>("expected");
        QTest::newRow("conv same stride1") << R"({"type":"Conv2D","filters":6,"kernel_size":5,"padding":"same"})"
                                           << QList<int> {1, 28, 28} << QList<int> {6, 28, 28};
        QTest::newRow("conv valid") << R"({"type":"Conv2D","filters":16,"kernel_size":5})" << QList<int> {6, 14, 14}
                                    << QList<int> {16, 10, 10};
        QTest::newRow("conv same stride2 odd") << R"({"type":"Conv2D","filters":2,"kernel_size":3,"strides":2,"padding":"same"})"
                                               << QList<int> {1, 7, 8} << QList<int> {2, 4, 4};
        QTest::newRow("conv dilation") << R"({"type":"Conv2D","filters":2,"kernel_size":3,"dilation":2})"
                                       << QList<int> {1, 9, 9} << QList<int> {2, 5, 5};
        QTest::newRow("conv explicit pad") << R"({"type":"Conv2D","filters":2,"kernel_size":3,"padding":1})"
                                           << QList<int> {3, 5, 5} << QList<int> {2, 5, 5};
        QTest::newRow("maxpool default stride") << R"({"type":"MaxPooling2D","pool_size":2})" << QList<int> {6, 28, 28}
                                                << QList<int> {6, 14, 14};
        QTest::newRow("maxpool valid floor") << R"({"type":"MaxPool2D","pool_size":2})" << QList<int> {3, 5, 7}
                                             << QList<int> {3, 2, 3};
        QTest::newRow("avgpool same ceil") << R"({"type":"AveragePooling2D","pool_size":2,"padding":"same"})"
                                           << QList<int> {3, 5, 7} << QList<int> {3, 3, 4};
        QTest::newRow("gap") << R"({"type":"GlobalAveragePooling2D"})" << QList<int> {8, 3, 3} << QList<int> {8};
        QTest::newRow("flatten") << R"({"type":"Flatten"})" << QList<int> {16, 5, 5} << QList<int> {400};
        QTest::newRow("reshape") << R"({"type":"Reshape","target_shape":[1,28,28]})" << QList<int> {784}
                                 << QList<int> {1, 28, 28};
        QTest::newRow("reshape infer") << R"({"type":"Reshape","target_shape":[-1,4]})" << QList<int> {2, 8}
                                       << QList<int> {4, 4};
        QTest::newRow("dense") << R"({"type":"Dense","units":10})" << QList<int> {84} << QList<int> {10};
        QTest::newRow("batchnorm") << R"({"type":"BatchNormalization"})" << QList<int> {4, 3, 3} << QList<int> {4, 3, 3};
    }

    void outputShapes()
    {
        QFETCH(QString, json);
        QFETCH(QList<int>, input);
        QFETCH(QList<int>, expected);
        LayerPtr layer = makeLayer(json.toStdString());
        QCOMPARE(layer->outputShape(Shape(input.begin(), input.end())), Shape(expected.begin(), expected.end()));
    }

    void shapeErrors_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QList<int>>("input");
        QTest::addColumn<QString>("message");  // a part the message must contain
        QTest::newRow("dense needs flatten") << R"({"type":"Dense","units":10})" << QList<int> {16, 5, 5}
                                             << "add a Flatten layer";
        QTest::newRow("dense found shape") << R"({"type":"Dense","units":10})" << QList<int> {16, 5, 5}
                                           << "found (16, 5, 5)";
        QTest::newRow("conv needs image") << R"({"type":"Conv2D","filters":2,"kernel_size":3})" << QList<int> {784}
                                          << "expects an image input (channels, height, width), found (784,)";
        QTest::newRow("conv too small") << R"({"type":"Conv2D","filters":2,"kernel_size":5})" << QList<int> {1, 4, 4}
                                        << "expected height >= 5";
        QTest::newRow("conv dilated too small") << R"({"type":"Conv2D","filters":2,"kernel_size":3,"dilation":3})"
                                                << QList<int> {1, 6, 6} << "dilated span 7x7";
        QTest::newRow("pool too small") << R"({"type":"MaxPool2D","pool_size":3})" << QList<int> {1, 2, 2}
                                        << "a 3x3 window does not fit";
        QTest::newRow("pool needs image") << R"({"type":"AvgPool2D"})" << QList<int> {10} << "found (10,)";
        QTest::newRow("gap needs image") << R"({"type":"GlobalAveragePool"})" << QList<int> {10} << "found (10,)";
        QTest::newRow("reshape mismatch") << R"({"type":"Reshape","target_shape":[1,28,28]})" << QList<int> {700}
                                          << "(700 values) to (1, 28, 28) (784 values)";
        QTest::newRow("reshape infer mismatch") << R"({"type":"Reshape","target_shape":[-1,3]})" << QList<int> {10}
                                                << "not a multiple of 3";
    }

    void shapeErrors()
    {
        QFETCH(QString, json);
        QFETCH(QList<int>, input);
        QFETCH(QString, message);
        LayerPtr layer = makeLayer(json.toStdString());
        try {
            layer->outputShape(Shape(input.begin(), input.end()));
            QFAIL("expected ShapeError");
        } catch (const ShapeError& e) {
            QVERIFY2(QString(e.what()).contains(message), e.what());
        }
    }

    void forwardRejectsWrongBatchShape()
    {
        Conv2D conv(2, {3, 3});
        Rng rng(1);
        conv.build({1, 6, 6}, rng);
        Tensor out;
        QVERIFY_THROWS_EXCEPTION(ShapeError, conv.forward(Tensor({2, 1, 5, 6}), out, false));
        Dense dense(3);
        dense.build({4}, rng);
        QVERIFY_THROWS_EXCEPTION(ShapeError, dense.forward(Tensor({2, 5}), out, false));
    }

    void parameterCounts_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QList<int>>("input");
        QTest::addColumn<int>("count");
        QTest::newRow("dense") << R"({"type":"Dense","units":3})" << QList<int> {5} << 18;
        QTest::newRow("dense nobias") << R"({"type":"Dense","units":3,"use_bias":false})" << QList<int> {5} << 15;
        QTest::newRow("conv") << R"({"type":"Conv2D","filters":6,"kernel_size":5})" << QList<int> {1, 28, 28} << 156;
        QTest::newRow("conv rect nobias") << R"({"type":"Conv2D","filters":4,"kernel_size":[3,2],"use_bias":false})"
                                          << QList<int> {3, 8, 8} << 72;
        QTest::newRow("batchnorm") << R"({"type":"BatchNorm"})" << QList<int> {8, 4, 4} << 16;
        QTest::newRow("pool") << R"({"type":"MaxPool2D"})" << QList<int> {8, 4, 4} << 0;
        QTest::newRow("flatten") << R"({"type":"Flatten"})" << QList<int> {8, 4, 4} << 0;
    }

    void parameterCounts()
    {
        QFETCH(QString, json);
        QFETCH(QList<int>, input);
        QFETCH(int, count);
        LayerPtr layer = makeLayer(json.toStdString());
        const Shape shape(input.begin(), input.end());
        QCOMPARE(layer->parameterCountFor(shape), std::size_t(count));
        Rng rng(1);
        layer->build(shape, rng);
        QCOMPARE(layer->parameterCount(), std::size_t(count));
        for (Parameter* p : layer->parameters())
            QCOMPARE(p->grad.shape(), p->value.shape());
    }

    void configRoundTrip_data()
    {
        QTest::addColumn<QString>("json");
        QTest::newRow("dense") << R"({"type":"Dense","units":7,"use_bias":false,"kernel_initializer":"he_normal"})";
        QTest::newRow("conv") << R"({"type":"Conv2D","filters":6,"kernel_size":[5,3],"strides":2,"padding":"same","dilation":1,"use_bias":true})";
        QTest::newRow("conv explicit") << R"({"type":"Conv2D","filters":6,"kernel_size":3,"padding":[1,2]})";
        QTest::newRow("maxpool") << R"({"type":"MaxPool2D","pool_size":3,"strides":2,"padding":"same"})";
        QTest::newRow("avgpool") << R"({"type":"AvgPool2D","pool_size":2})";
        QTest::newRow("gap") << R"({"type":"GlobalAveragePool"})";
        QTest::newRow("flatten") << R"({"type":"Flatten"})";
        QTest::newRow("reshape") << R"({"type":"Reshape","target_shape":[1,28,28]})";
        QTest::newRow("dropout") << R"({"type":"Dropout","rate":0.25})";
        QTest::newRow("batchnorm") << R"({"type":"BatchNorm","momentum":0.9,"epsilon":0.00001})";
        QTest::newRow("activation") << R"({"type":"Activation","activation":"leaky_relu","alpha":0.2})";
        QTest::newRow("softmax") << R"({"type":"Softmax"})";
    }

    void configRoundTrip()
    {
        QFETCH(QString, json);
        LayerPtr layer = makeLayer(json.toStdString());
        const nlohmann::json config = layer->config();
        LayerPtr again = makeLayer(config.dump());
        QCOMPARE(QString::fromStdString(again->config().dump()), QString::fromStdString(config.dump()));
        QCOMPARE(again->type(), layer->type());
        // Values read back as written (no 0.2500000037 float noise).
        const nlohmann::json original = nlohmann::json::parse(json.toStdString());
        for (const auto& item : original.items())
            if (item.key() != "type" && config.contains(item.key()) && item.value().is_number())
                QCOMPARE(config[item.key()].get<double>(), item.value().get<double>());
    }

    void describeTexts()
    {
        QCOMPARE(QString::fromStdString(makeLayer(R"({"type":"Conv2D","filters":6,"kernel_size":5,"padding":"same"})")->describe()),
                 QString("6 filters 5x5, same"));
        QCOMPARE(QString::fromStdString(makeLayer(R"({"type":"Conv2D","filters":3,"kernel_size":3,"strides":2,"dilation":2,"use_bias":false})")->describe()),
                 QString("3 filters 3x3, valid, stride 2, dilation 2, no bias"));
        QCOMPARE(QString::fromStdString(makeLayer(R"({"type":"Dense","units":120})")->describe()), QString("120 units"));
        QCOMPARE(QString::fromStdString(makeLayer(R"({"type":"MaxPool2D","pool_size":2})")->describe()), QString("2x2"));
        QCOMPARE(QString::fromStdString(makeLayer(R"({"type":"Dropout","rate":0.5})")->describe()), QString("rate 0.5"));
    }

    void dropoutIsDeterministicAndInverted()
    {
        const float rate = 0.4f;
        Tensor input({50, 40}, 1.0f);
        auto run = [&](std::uint64_t seed) {
            Dropout dropout(rate);
            Rng rng(seed);
            dropout.setRng(&rng);
            Tensor out;
            dropout.forward(input, out, true);
            return out;
        };
        const Tensor a = run(42), b = run(42), c = run(43);
        int zeros = 0;
        bool differs = false;
        for (std::size_t i = 0; i < a.size(); ++i) {
            QCOMPARE(a[i], b[i]);
            QVERIFY(a[i] == 0.0f || std::fabs(a[i] - 1.0f / (1.0f - rate)) < 1e-6f);
            zeros += a[i] == 0.0f;
            differs |= a[i] != c[i];
        }
        QVERIFY(differs);
        const double fraction = zeros / 2000.0;
        QVERIFY2(std::fabs(fraction - rate) < 0.04, qPrintable(QString::number(fraction)));

        // Inference: identity; and without setRng() the layer still works deterministically.
        Dropout dropout(rate);
        Tensor out, out2;
        dropout.forward(input, out, false);
        for (std::size_t i = 0; i < out.size(); ++i)
            QCOMPARE(out[i], 1.0f);
        Dropout d1(rate), d2(rate);
        d1.forward(input, out, true);
        d2.forward(input, out2, true);
        for (std::size_t i = 0; i < out.size(); ++i)
            QCOMPARE(out[i], out2[i]);
    }

    void batchNormRunningStatistics()
    {
        BatchNorm bn(0.9f, 1e-3f);
        Rng rng(5);
        bn.build({2}, rng);
        QCOMPARE(bn.parameters().size(), std::size_t(2));
        QCOMPARE(bn.buffers().size(), std::size_t(2));
        QCOMPARE(bn.bufferCount(), std::size_t(4));
        QVERIFY(!bn.movingMean().trainable);
        // Feature 0: values 1, 3 (mean 2, biased variance 1); feature 1: 10, 10 (mean 10, var 0).
        const Tensor input({2, 2}, {1.0f, 10.0f, 3.0f, 10.0f});
        Tensor out;
        bn.forward(input, out, true);
        QCOMPARE(bn.movingMean().value[0], 0.9f * 0.0f + 0.1f * 2.0f);
        QCOMPARE(bn.movingMean().value[1], 0.1f * 10.0f);
        QVERIFY(std::fabs(bn.movingVariance().value[0] - (0.9f + 0.1f * 1.0f)) < 1e-6f);
        QVERIFY(std::fabs(bn.movingVariance().value[1] - 0.9f) < 1e-6f);
        QVERIFY(std::fabs(out[0] + 1.0f / std::sqrt(1.001f)) < 1e-5f);  // (1 - 2) / sqrt(1 + eps)
        // Inference uses the running statistics and leaves them alone.
        bn.forward(input, out, false);
        QVERIFY(std::fabs(out[0] - (1.0f - 0.2f) / std::sqrt(1.0f + 0.001f)) < 1e-5f);
        QCOMPARE(bn.movingMean().value[0], 0.2f);
        // A frozen batch norm runs in inference mode even while training (Keras behaviour).
        bn.setFrozen(true);
        QVERIFY(!bn.gamma().trainable);
        bn.forward(input, out, true);
        QCOMPARE(bn.movingMean().value[0], 0.2f);
    }

    void conv2dBackwardIsBitIdentical()
    {
        // Large enough (batch 9 x 2.6M multiply-adds) to take the multi-threaded path.
        Conv2D conv(16, {3, 3}, {1, 1}, Padding2D::same());
        Rng rng(3);
        conv.build({8, 16, 16}, rng);
        const Tensor input = randomTensor({9, 8, 16, 16}, rng);
        Tensor out, grad, gradInput;
        conv.forward(input, out, true);
        grad = randomTensor(out.shape(), rng);
        conv.backward(input, out, grad, gradInput);
        const Tensor first = conv.kernel().grad;
        const Tensor firstInput = gradInput;
        const Tensor firstOutput = out;
        for (int run = 0; run < 3; ++run) {
            conv.forward(input, out, true);
            conv.backward(input, out, grad, gradInput);
            QVERIFY(std::equal(first.data(), first.data() + first.size(), conv.kernel().grad.data()));
            QVERIFY(std::equal(firstInput.data(), firstInput.data() + firstInput.size(), gradInput.data()));
        }
        // One thread: same values up to summation order.
        const int threads = omp_get_max_threads();
        omp_set_num_threads(1);
        conv.forward(input, out, true);
        conv.backward(input, out, grad, gradInput);
        omp_set_num_threads(threads);
        for (std::size_t i = 0; i < first.size(); ++i)
            QVERIFY(std::fabs(first[i] - conv.kernel().grad[i]) <= 1e-4f * std::max(1.0f, std::fabs(first[i])));
        for (std::size_t i = 0; i < out.size(); ++i)
            QCOMPARE(out[i], firstOutput[i]);
        // A batch of one (serial path) gives the same per-sample result as the batch.
        const Tensor one({1, 8, 16, 16}, std::vector<float>(input.data(), input.data() + input.sampleSize()));
        Tensor outOne;
        conv.forward(one, outOne, false);
        for (std::size_t i = 0; i < outOne.size(); ++i)
            QVERIFY(std::fabs(outOne[i] - firstOutput[i]) < 1e-5f);
    }

    void conv2dBlocksMatchNaiveConvolution_data()
    {
        QTest::addColumn<int>("filters");
        QTest::addColumn<int>("kernel");
        QTest::addColumn<int>("stride");
        QTest::addColumn<int>("pad");
        QTest::addColumn<int>("dilation");
        QTest::addColumn<QList<int>>("inputShape");
        // Batches of 37 are cut into uneven blocks, spread over threads (all rows are large
        // enough for the threaded path); batch 1 takes the single-sample path.
        QTest::newRow("5x5 pad 2 (LeNet conv1)") << 6 << 5 << 1 << 2 << 1 << QList<int> {37, 1, 28, 28};
        QTest::newRow("3x3 dilation 2 pad 2") << 8 << 3 << 1 << 2 << 2 << QList<int> {37, 6, 20, 18};
        QTest::newRow("3x3 stride 2 pad 1") << 8 << 3 << 2 << 1 << 1 << QList<int> {37, 6, 21, 20};
        QTest::newRow("1x1") << 16 << 1 << 1 << 0 << 1 << QList<int> {37, 16, 20, 20};
        QTest::newRow("1x1 batch 1") << 16 << 1 << 1 << 0 << 1 << QList<int> {1, 16, 20, 20};
        QTest::newRow("5x5 valid batch 1") << 4 << 5 << 1 << 0 << 1 << QList<int> {1, 3, 12, 11};
    }

    void conv2dBlocksMatchNaiveConvolution()
    {
        QFETCH(int, filters);
        QFETCH(int, kernel);
        QFETCH(int, stride);
        QFETCH(int, pad);
        QFETCH(int, dilation);
        QFETCH(QList<int>, inputShape);
        const int n = inputShape[0], c = inputShape[1], h = inputShape[2], w = inputShape[3];
        Conv2D conv(filters, {kernel, kernel}, {stride, stride}, Padding2D::explicitPadding(pad, pad), {dilation, dilation});
        conv.setInputGradientNeeded(true);
        Rng rng(5);
        conv.build({c, h, w}, rng);
        for (std::size_t i = 0; i < conv.bias().value.size(); ++i)
            conv.bias().value[i] = rng.normal();
        const Tensor input = randomTensor({n, c, h, w}, rng);
        Tensor out, gradInput;
        conv.forward(input, out, true);
        const Tensor dy = randomTensor(out.shape(), rng);
        conv.backward(input, out, dy, gradInput);
        const int oh = out.dim(2), ow = out.dim(3);
        auto at = [](const Tensor& t, int a, int b, int y, int x) {
            return static_cast<std::size_t>(((a * t.dim(1) + b) * t.dim(2) + y) * t.dim(3) + x);
        };
        // Double-precision reference: y = b + sum W x, dW = sum dy x, dx = sum W dy.
        std::vector<double> dw(conv.kernel().value.size(), 0.0), dx(input.size(), 0.0), db(static_cast<std::size_t>(filters), 0.0);
        double worst = 0.0;
        for (int s = 0; s < n; ++s)
            for (int f = 0; f < filters; ++f)
                for (int oy = 0; oy < oh; ++oy)
                    for (int ox = 0; ox < ow; ++ox) {
                        double y = conv.bias().value[static_cast<std::size_t>(f)];
                        const double g = dy[at(dy, s, f, oy, ox)];
                        db[static_cast<std::size_t>(f)] += g;
                        for (int ch = 0; ch < c; ++ch)
                            for (int ki = 0; ki < kernel; ++ki)
                                for (int kj = 0; kj < kernel; ++kj) {
                                    const int iy = oy * stride - pad + ki * dilation;
                                    const int ix = ox * stride - pad + kj * dilation;
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= w)
                                        continue;
                                    const std::size_t wi = at(conv.kernel().value, f, ch, ki, kj);
                                    const std::size_t xi = at(input, s, ch, iy, ix);
                                    y += static_cast<double>(conv.kernel().value[wi]) * input[xi];
                                    dw[wi] += g * input[xi];
                                    dx[xi] += g * conv.kernel().value[wi];
                                }
                        worst = std::max(worst, std::fabs(y - out[at(out, s, f, oy, ox)]));
                    }
        QVERIFY2(worst < 1e-4, qPrintable(QString("forward differs by %1").arg(worst)));
        for (std::size_t i = 0; i < dw.size(); ++i)
            QVERIFY2(std::fabs(dw[i] - conv.kernel().grad[i]) < 1e-3 * std::max(1.0, std::fabs(dw[i])),
                     qPrintable(QString("kernel grad %1: %2 vs %3").arg(i).arg(conv.kernel().grad[i]).arg(dw[i])));
        for (std::size_t i = 0; i < db.size(); ++i)
            QVERIFY(std::fabs(db[i] - conv.bias().grad[i]) < 1e-3 * std::max(1.0, std::fabs(db[i])));
        for (std::size_t i = 0; i < dx.size(); ++i)
            QVERIFY2(std::fabs(dx[i] - gradInput[i]) < 1e-4 * std::max(1.0, std::fabs(dx[i])),
                     qPrintable(QString("input grad %1: %2 vs %3").arg(i).arg(gradInput[i]).arg(dx[i])));
        // Inference (no column cache) gives the same output as training.
        Tensor inferred;
        conv.forward(input, inferred, false);
        QVERIFY(std::equal(out.data(), out.data() + out.size(), inferred.data()));
        // Backward without the cache (after an inference forward) recomputes the same columns.
        Tensor gradAgain;
        const Tensor kernelGrad = conv.kernel().grad;
        conv.backward(input, out, dy, gradAgain);
        QVERIFY(std::equal(gradInput.data(), gradInput.data() + gradInput.size(), gradAgain.data()));
        QVERIFY(std::equal(kernelGrad.data(), kernelGrad.data() + kernelGrad.size(), conv.kernel().grad.data()));
    }

    void maxPoolBackwardOverwritesReusedGradient()
    {
        // The 2x2 / stride 2 backward writes every input value without zeroing first; a reused
        // gradient tensor full of stale values must come out clean, odd leftovers included.
        MaxPool2D pool;
        Rng rng(9);
        const Tensor input = distinctTensor({2, 3, 5, 7}, rng);
        Tensor out;
        pool.forward(input, out, true);
        const Tensor dy = randomTensor(out.shape(), rng);
        Tensor gradInput(input.shape(), 123.0f);
        pool.backward(input, out, dy, gradInput);
        for (int p = 0; p < 6; ++p)
            for (int y = 0; y < 5; ++y)
                for (int x = 0; x < 7; ++x) {
                    const std::size_t i = static_cast<std::size_t>((p * 5 + y) * 7 + x);
                    float expected = 0.0f;
                    if (y < 4 && x < 6) {
                        const int oy = y / 2, ox = x / 2;
                        float best = -1e30f;
                        int by = 0, bx = 0;
                        for (int wy = 2 * oy; wy < 2 * oy + 2; ++wy)
                            for (int wx = 2 * ox; wx < 2 * ox + 2; ++wx)
                                if (input[static_cast<std::size_t>((p * 5 + wy) * 7 + wx)] > best) {
                                    best = input[static_cast<std::size_t>((p * 5 + wy) * 7 + wx)];
                                    by = wy;
                                    bx = wx;
                                }
                        if (by == y && bx == x)
                            expected = dy[static_cast<std::size_t>((p * 2 + oy) * 3 + ox)];
                    }
                    QCOMPARE(gradInput[i], expected);
                }
    }

    void maxPoolTwoByTwoKeepsFirstMaximumOnTies()
    {
        // Values from {-1, 0, 1}: most windows hold ties, and the first maximum in row-major order
        // (PyTorch's choice) must win in the vectorized 2x2 path (four windows at a time, width 20
        // gives 10 windows: two vector steps and two left over) as in the plain one.
        MaxPool2D pool;
        Rng rng(21);
        const int planes = 6, h = 9, w = 20, oh = 4, ow = 10;
        Tensor input({2, 3, h, w});
        for (std::size_t i = 0; i < input.size(); ++i)
            input[i] = std::floor(rng.uniform(0.0f, 3.0f)) - 1.0f;
        Tensor out;
        pool.forward(input, out, true);
        QCOMPARE(out.shape(), (Shape{2, 3, oh, ow}));
        Tensor dy(out.shape());
        for (std::size_t i = 0; i < dy.size(); ++i)
            dy[i] = static_cast<float>(i + 1);
        Tensor gradInput;
        pool.backward(input, out, dy, gradInput);
        Tensor expectedGrad(input.shape(), 0.0f);
        for (int p = 0; p < planes; ++p)
            for (int oy = 0; oy < oh; ++oy)
                for (int ox = 0; ox < ow; ++ox) {
                    std::size_t best = static_cast<std::size_t>((p * h + 2 * oy) * w + 2 * ox);
                    for (int wy = 2 * oy; wy < 2 * oy + 2; ++wy)
                        for (int wx = 2 * ox; wx < 2 * ox + 2; ++wx) {
                            const auto at = static_cast<std::size_t>((p * h + wy) * w + wx);
                            if (input[at] > input[best])
                                best = at;
                        }
                    const auto o = static_cast<std::size_t>((p * oh + oy) * ow + ox);
                    QCOMPARE(out[o], input[best]);
                    expectedGrad[best] += dy[o];
                }
        for (std::size_t i = 0; i < input.size(); ++i)
            QCOMPARE(gradInput[i], expectedGrad[i]);
    }

    void denseThreadedPathMatchesPlainProduct()
    {
        // 64 x 300 x 200 multiply-adds: large enough for the split over threads.
        Dense dense(200);
        Rng rng(11);
        dense.build({300}, rng);
        for (std::size_t i = 0; i < dense.bias().value.size(); ++i)
            dense.bias().value[i] = rng.normal();
        const Tensor input = randomTensor({64, 300}, rng);
        Tensor out, gradInput;
        dense.forward(input, out, true);
        const Tensor gradOutput = randomTensor(out.shape(), rng);
        dense.backward(input, out, gradOutput, gradInput);
        const Eigen::MatrixXd x = input.matrix(64, 300).cast<double>();
        const Eigen::MatrixXd w = dense.kernel().value.matrix(200, 300).cast<double>();
        const Eigen::MatrixXd dy = gradOutput.matrix(64, 200).cast<double>();
        Eigen::MatrixXd y = x * w.transpose();
        y.rowwise() += dense.bias().value.vector().cast<double>().transpose();
        const Eigen::MatrixXd dw = dy.transpose() * x;
        const Eigen::MatrixXd dx = dy * w;
        QVERIFY((out.matrix(64, 200).cast<double>() - y).cwiseAbs().maxCoeff() < 1e-4);
        QVERIFY((dense.kernel().grad.matrix(200, 300).cast<double>() - dw).cwiseAbs().maxCoeff() < 1e-3);
        QVERIFY((gradInput.matrix(64, 300).cast<double>() - dx).cwiseAbs().maxCoeff() < 1e-4);
        QVERIFY((dense.bias().grad.vector().cast<double>() - dy.colwise().sum().transpose()).cwiseAbs().maxCoeff() < 1e-4);
    }

    void initializers()
    {
        Rng rng(9);
        Dense dense(200, true, Initializer::fromJson("he_uniform"));
        dense.build({300}, rng);
        const float limit = std::sqrt(6.0f / 300.0f);
        float maxAbs = 0.0f;
        double sumSq = 0.0;
        for (std::size_t i = 0; i < dense.kernel().value.size(); ++i) {
            maxAbs = std::max(maxAbs, std::fabs(dense.kernel().value[i]));
            sumSq += dense.kernel().value[i] * dense.kernel().value[i];
        }
        QVERIFY(maxAbs <= limit);
        QVERIFY(maxAbs > 0.95f * limit);
        const double variance = sumSq / 60000.0;
        QVERIFY(std::fabs(variance - limit * limit / 3.0) < 0.05 * limit * limit / 3.0);
        for (std::size_t i = 0; i < dense.bias().value.size(); ++i)
            QCOMPARE(dense.bias().value[i], 0.0f);

        Dense constant(3, true, Initializer::fromJson(nlohmann::json {{"type", "constant"}, {"value", 0.5}}));
        constant.build({2}, rng);
        QCOMPARE(constant.kernel().value[5], 0.5f);
        Dense normal(100, true, Initializer::fromJson("glorot_normal"));
        normal.build({100}, rng);
        double sq = 0.0;
        for (std::size_t i = 0; i < normal.kernel().value.size(); ++i)
            sq += normal.kernel().value[i] * normal.kernel().value[i];
        QVERIFY(std::fabs(sq / 10000.0 - 0.01) < 0.001);  // variance 2 / (fan_in + fan_out)
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Initializer::fromJson("uniformish"));
    }
};

QTEST_APPLESS_MAIN(TestLayers)
#include "test_layers.moc"
