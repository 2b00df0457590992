// Model assembly from descriptions: the layer factory (types, aliases, activation expansion,
// field errors), the presets (parameter counts) and forward/backward through a built model.

#include <QtTest>

#include <cmath>

#include "core/model/layer_factory.h"
#include "core/model/model.h"
#include "core/model/presets.h"

using namespace layerlens::core;
using nlohmann::json;

namespace {
std::string errorOf(const json& description)
{
    try {
        createLayers(description);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "(no error)";
}

// Parameter count from shapes alone, without allocating the weights.
std::size_t countWithoutBuilding(const Model& model)
{
    std::size_t total = 0;
    Shape shape = model.inputShape();
    for (int i = 0; i < model.layerCount(); ++i) {
        total += model.layer(i).parameterCountFor(shape);
        shape = model.layer(i).outputShape(shape);
    }
    return total;
}
}  // namespace

class TestModel : public QObject {
    Q_OBJECT

private slots:
    void typeAliases_data()
    {
        QTest::addColumn<QString>("given");
        QTest::addColumn<QString>("type");
        QTest::newRow("MaxPooling2D") << "MaxPooling2D" << "MaxPool2D";
        QTest::newRow("max_pool2d") << "max_pool2d" << "MaxPool2D";
        QTest::newRow("AveragePooling2D") << "AveragePooling2D" << "AvgPool2D";
        QTest::newRow("GlobalAveragePooling2D") << "GlobalAveragePooling2D" << "GlobalAveragePool";
        QTest::newRow("BatchNormalization") << "BatchNormalization" << "BatchNorm";
        QTest::newRow("Conv2d") << "Conv2d" << "Conv2D";
        QTest::newRow("DENSE") << "DENSE" << "Dense";
        QTest::newRow("flatten") << "flatten" << "Flatten";
        QTest::newRow("softmax") << "softmax" << "Softmax";
    }

    void typeAliases()
    {
        QFETCH(QString, given);
        QFETCH(QString, type);
        json d = {{"type", given.toStdString()}};
        if (type == "Dense")
            d["units"] = 4;
        if (type == "Conv2D") {
            d["filters"] = 2;
            d["kernel_size"] = 3;
        }
        auto layers = createLayers(d);
        QCOMPARE(layers.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(layers[0]->type()), type);
        for (const auto& name : layerTypeNames())
            if (name == type.toStdString())
                return;
        QFAIL("type missing from layerTypeNames()");
    }

    void activationExpands()
    {
        auto layers = createLayers(json::parse(R"({"type": "Dense", "units": 8, "activation": "relu", "name": "hidden", "trainable": false})"));
        QCOMPARE(layers.size(), std::size_t(2));
        QCOMPARE(QString::fromStdString(layers[0]->type()), QString("Dense"));
        QCOMPARE(QString::fromStdString(layers[0]->name()), QString("hidden"));
        QVERIFY(layers[0]->isFrozen());
        QCOMPARE(QString::fromStdString(layers[1]->type()), QString("Activation"));
        QCOMPARE(QString::fromStdString(layers[1]->config()["activation"].get<std::string>()), QString("relu"));

        layers = createLayers(json::parse(R"({"type": "Dense", "units": 3, "activation": "softmax"})"));
        QCOMPARE(layers.size(), std::size_t(2));
        QCOMPARE(QString::fromStdString(layers[1]->type()), QString("Softmax"));

        layers = createLayers(json::parse(R"({"type": "Conv2D", "filters": 2, "kernel_size": 3, "activation": "linear"})"));
        QCOMPARE(layers.size(), std::size_t(1));
        QVERIFY(!layers[0]->isFrozen());
    }

    void fieldErrors_data()
    {
        QTest::addColumn<QString>("description");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown type") << R"({"type": "Conv3D"})" << "unknown layer type \"Conv3D\"; expected one of Dense, Conv2D";
        QTest::newRow("no type") << R"({"units": 3})" << "field \"type\" must be a string";
        QTest::newRow("not an object") << R"([1, 2])" << "expected a JSON object";
        QTest::newRow("units missing") << R"({"type": "Dense"})" << "Dense: field \"units\" must be given";
        QTest::newRow("units text") << R"({"type": "Dense", "units": "ten"})" << "field \"units\" must be an integer >= 1, found \"ten\"";
        QTest::newRow("units zero") << R"({"type": "Dense", "units": 0})" << "\"units\" must be an integer >= 1, found 0";
        QTest::newRow("kernel size triple") << R"({"type": "Conv2D", "filters": 2, "kernel_size": [3, 3, 3]})"
                                            << "\"kernel_size\" must be an integer >= 1 or a pair [height, width]";
        QTest::newRow("bad padding") << R"({"type": "Conv2D", "filters": 2, "kernel_size": 3, "padding": "full"})"
                                     << "\"padding\" must be \"valid\", \"same\", an integer or [height, width]";
        QTest::newRow("pool explicit padding") << R"({"type": "MaxPool2D", "padding": 1})"
                                               << "\"padding\" must be \"valid\" or \"same\"";
        QTest::newRow("unknown field") << R"({"type": "Conv2D", "filter": 2, "kernel_size": 3})"
                                       << "unknown field \"filter\"";
        QTest::newRow("bad activation") << R"({"type": "Dense", "units": 2, "activation": "reluu"})"
                                        << "field \"activation\" must be one of";
        QTest::newRow("dropout rate") << R"({"type": "Dropout", "rate": 1.5})" << "\"rate\" must be a number in [0, 1)";
        QTest::newRow("use_bias") << R"({"type": "Dense", "units": 2, "use_bias": "yes"})" << "\"use_bias\" must be true or false";
        QTest::newRow("reshape") << R"({"type": "Reshape", "target_shape": [0, 3]})" << "\"target_shape\" must be an array";
        QTest::newRow("initializer") << R"({"type": "Dense", "units": 2, "kernel_initializer": "magic"})"
                                     << "\"kernel_initializer\": initializer: unknown \"magic\"";
        QTest::newRow("trainable") << R"({"type": "Flatten", "trainable": 1})" << "\"trainable\" must be true or false";
    }

    void fieldErrors()
    {
        QFETCH(QString, description);
        QFETCH(QString, message);
        const std::string error = errorOf(json::parse(description.toStdString()));
        QVERIFY2(QString::fromStdString(error).contains(message), error.c_str());
    }

    void presetCounts_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("classes");
        QTest::addColumn<qulonglong>("parameters");
        QTest::addColumn<QList<int>>("output");
        QTest::newRow("mlp") << "mlp" << 10 << 235146ull << QList<int> {10};
        QTest::newRow("lenet5") << "lenet5" << 10 << 61706ull << QList<int> {10};
        QTest::newRow("LeNet5 3 classes") << "LeNet5" << 3 << 61111ull << QList<int> {3};
        QTest::newRow("tinyvgg") << "tinyvgg" << 10 << 19920ull << QList<int> {10};
        QTest::newRow("vgg16") << "vgg16" << 1000 << 138357544ull << QList<int> {1000};
    }

    void presetCounts()
    {
        QFETCH(QString, name);
        QFETCH(int, classes);
        QFETCH(qulonglong, parameters);
        QFETCH(QList<int>, output);
        const Model model = Model::fromJson(presetDescription(name.toStdString(), {}, classes));
        QCOMPARE(countWithoutBuilding(model), static_cast<std::size_t>(parameters));
        QCOMPARE(model.outputShape(), Shape(output.begin(), output.end()));
    }

    void lenet5BuildsAndRuns()
    {
        Model model = Model::fromJson(presetDescription("lenet5"));
        QCOMPARE(model.inputShape(), (Shape {1, 28, 28}));
        model.build(42);
        QCOMPARE(model.parameterCount(), std::size_t(61706));
        QVERIFY(QString::fromStdString(model.summary()).contains("Total params: 61,706"));
        QCOMPARE(model.layerCount(), 12);  // 4 Activation layers from the "relu" fields
        QCOMPARE(model.layerOutputShape(0), (Shape {6, 28, 28}));
        QCOMPARE(model.layerOutputShape(3), (Shape {16, 10, 10}));

        // A few plain gradient steps on L = 0.5 * |output|^2 must reduce L: backward reaches every parameter.
        Rng rng(1);
        Tensor input({4, 1, 28, 28});
        for (std::size_t i = 0; i < input.size(); ++i)
            input[i] = rng.uniform();
        auto loss = [&](Tensor& grad) {
            const Tensor& out = model.forward(input, true);
            grad.copyFrom(out);
            return 0.5 * static_cast<double>(out.vector().squaredNorm());
        };
        Tensor grad;
        const double first = loss(grad);
        QCOMPARE(model.output().shape(), (Shape {4, 10}));
        double last = first;
        for (int step = 0; step < 5; ++step) {
            model.backward(grad);
            for (Parameter* p : model.trainableParameters())
                p->value.vector() -= 0.01f * p->grad.vector();
            last = loss(grad);
        }
        QVERIFY2(last < 0.8 * first, qPrintable(QString("loss %1 -> %2").arg(first).arg(last)));
        // Nothing consumes the first layer's input gradient, so the convolution skips it;
        // the next layer's input gradient is there.
        QVERIFY(model.inputGradient(0).empty());
        QCOMPARE(model.inputGradient(1).shape(), (Shape {4, 6, 28, 28}));
    }

    void presetInputOverride()
    {
        const json d = presetDescription("mlp", {3, 32, 32}, 5);
        QCOMPARE(d["input_shape"].get<Shape>(), (Shape {3, 32, 32}));
        const Model model = Model::fromJson(d);
        QCOMPARE(countWithoutBuilding(model), std::size_t(3072 * 256 + 256 + 256 * 128 + 128 + 128 * 5 + 5));
    }

    void unknownPreset()
    {
        try {
            presetDescription("resnet50");
            QFAIL("expected std::invalid_argument");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(QString(e.what()).contains("mlp, lenet5, tinyvgg, vgg16"), e.what());
        }
        QCOMPARE(presetNames().size(), std::size_t(4));
    }

    void descriptionRoundTrip()
    {
        Model model = Model::fromJson(presetDescription("tinyvgg"));
        model.build(1);
        const json again = model.toJson();
        Model copy = Model::fromJson(again);
        copy.build(2);
        QCOMPARE(copy.parameterCount(), model.parameterCount());
        QCOMPARE(QString::fromStdString(copy.toJson().dump()), QString::fromStdString(again.dump()));
    }
};

QTEST_APPLESS_MAIN(TestModel)
#include "test_model.moc"
