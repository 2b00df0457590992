// InspectedModel: the format-independent view of a model file that the inspector shows.

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/io/inspected_model.h"
#include "core/keras/keras_reader.h"
#include "core/onnx/onnx_model.h"
#include "shared_models.h"

using namespace layerlens::core;
namespace fs = std::filesystem;

namespace {

const fs::path kData(LAYERLENS_TEST_DATA_DIR);

std::string lenetPath() { return (kData / "onnx" / "lenet" / "model.onnx").string(); }

Tensor rampImage(int c, int h, int w)
{
    Tensor t({1, c, h, w});
    for (std::size_t i = 0; i < t.size(); ++i)
        t[i] = static_cast<float>(i % 17) / 16.0f;
    return t;
}

void checkDepths(const InspectedModel& model)
{
    for (const InspectedLayer& layer : model.layers()) {
        if (layer.inputs.empty() && !layer.constant)
            QCOMPARE(layer.depth, 0);
        for (int input : layer.inputs)
            QVERIFY2(layer.depth > model.layers()[static_cast<std::size_t>(input)].depth, layer.name.c_str());
    }
}

}  // namespace

class TestInspectedModel : public QObject {
    Q_OBJECT
private slots:
    void identityCopiesOfWeightsAreTrainable()
    {
        // torch.onnx's deduplicated biases: Identity copies are the layers' own weights.
        const InspectedModel model = InspectedModel::open((kData / "onnx" / "graphs" / "shared_initializers.onnx").string());
        QCOMPARE(model.totalParameters(), std::size_t{24});
        QCOMPARE(model.trainableParameters(), std::size_t{24});
        checkDepths(model);
    }

    void onnxLayersAndTotals()
    {
        const InspectedModel model = InspectedModel::open(lenetPath());
        const OnnxModel onnx = OnnxModel::load(lenetPath());
        QCOMPARE(model.layers().size(), onnx.nodes().size() + onnx.inputs().size());
        QCOMPARE(model.layers().front().type, std::string("Input"));
        QCOMPARE(model.layers()[1].type, onnx.nodes()[0].opType);
        QCOMPARE(model.totalParameters(), onnx.parameterCount());
        QVERIFY(model.trainableParameters() > 0);
        QVERIFY(model.trainableParameters() < model.totalParameters());  // BN statistics, pad constants
        QVERIFY(model.canRun());
        QVERIFY(model.format().find("ONNX") != std::string::npos);
        QCOMPARE(model.inputShape(), (std::vector<long long>{1, 1, 28, 28}));
        const ImagePreprocessing p = model.defaultPreprocessing();
        QCOMPARE(p.channels, 1);
        QCOMPARE(p.height, 28);
        QCOMPARE(p.width, 28);
        QCOMPARE(model.layers()[1].outputShape.size(), std::size_t{4});
        QCOMPARE(model.layers()[1].inputs, std::vector<int>{0});
        checkDepths(model);
        // The Pad's constant pads sit in the row just above the Pad, not beside the input.
        const auto& layers = model.layers();
        const auto constant = std::find_if(layers.begin(), layers.end(), [](const InspectedLayer& l) { return l.type == "Constant"; });
        const auto pad = std::find_if(layers.begin(), layers.end(), [](const InspectedLayer& l) { return l.type == "Pad"; });
        QVERIFY(constant != layers.end() && pad != layers.end());
        QVERIFY(constant->constant);
        QVERIFY(!pad->constant);
        QCOMPARE(constant->depth, pad->depth - 1);
        // The first Conv has kernel and bias with statistics.
        const auto weights = model.weights(1);
        QCOMPARE(weights.size(), std::size_t{2});
        QCOMPARE(weights[0].shape.size(), std::size_t{4});
        QCOMPARE(weights[0].stats.count, shapeSize(weights[0].shape));
        QCOMPARE(weights[0].stats.histogram.size(), std::size_t{TensorStats::kBins});
        QVERIFY(model.weights(0).empty());
    }

    void onnxRunMatchesOnnxModel()
    {
        InspectedModel model = InspectedModel::open(lenetPath());
        const OnnxModel onnx = OnnxModel::load(lenetPath());
        const Tensor image = rampImage(1, 28, 28);
        const InspectionResult result = model.run(image);
        const OnnxTensorMap reference = onnx.run({{onnx.inputs()[0].name, OnnxTensor::fromTensor(image)}});
        const std::vector<float> logits = reference.at(onnx.outputs()[0].name).toFloats();
        QCOMPARE(result.logits, logits);
        QCOMPARE(result.outputs.size(), model.layers().size());
        for (std::size_t i = 0; i < result.outputs.size(); ++i) {
            const bool constant = model.layers()[i].type == "Constant";
            QCOMPARE(model.layers()[i].constant, constant);
            QCOMPARE(result.outputs[i].empty(), constant);
        }
        // LogSoftmax output: softmax turns it back into the probabilities.
        QVERIFY(result.softmaxApplied);
        float sum = 0;
        for (std::size_t k = 0; k < logits.size(); ++k) {
            QVERIFY(std::abs(result.probabilities[k] - std::exp(logits[k])) < 1e-5f);
            sum += result.probabilities[k];
        }
        QVERIFY(std::abs(sum - 1.0f) < 1e-5f);
        const int top = static_cast<int>(std::max_element(logits.begin(), logits.end()) - logits.begin());
        QCOMPARE(result.ranking.front(), top);
        // A wrong size is an error with the shapes, not a crash.
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, model.run(rampImage(3, 32, 32)));
    }

    void onnxUnsupportedStillDescribed()
    {
        InspectedModel model = InspectedModel::open((kData / "onnx" / "graphs" / "unsupported.onnx").string());
        QVERIFY(!model.canRun());
        QVERIFY(model.unsupportedOperators().size() >= 2);
        QVERIFY(model.whyNotRunnable().find("LSTM") != std::string::npos);
        QCOMPARE(model.layers().size(), std::size_t{2 + 3});
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, model.run(rampImage(1, 4, 4)));
        checkDepths(model);
    }

    void kerasChainModel_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("keras2 cnn") << "keras2_cnn.h5";
        QTest::newRow("keras2 mlp") << "keras2_mlp.h5";
        QTest::newRow("keras3 cnn") << "keras3_cnn.keras";
        QTest::newRow("keras3 mlp") << "keras3_mlp.keras";
    }
    void kerasChainModel()
    {
        QFETCH(QString, file);
        const std::string path = (kData / "keras" / file.toStdString()).string();
        InspectedModel model = InspectedModel::open(path);
        const KerasModel keras = KerasReader::readFile(path);
        QVERIFY2(model.canRun(), model.whyNotRunnable().c_str());
        QCOMPARE(model.totalParameters(), keras.storedValueCount());
        QCOMPARE(model.trainableParameters(), keras.trainableValueCount());
        QVERIFY(model.format().find("Keras") != std::string::npos);
        checkDepths(model);
        // Runs on an input of the expected size; per-layer outputs all present.
        const auto& shape = model.inputShape();
        Shape perSample(shape.begin() + 1, shape.end());
        Tensor input(Shape{1, static_cast<int>(shapeSize(perSample))}, 0.5f);
        if (perSample.size() == 3)
            input = Tensor(Shape{1, perSample[0], perSample[1], perSample[2]}, 0.5f);
        const InspectionResult result = model.run(input);
        for (const Tensor& out : result.outputs)
            QVERIFY(!out.empty());
        QCOMPARE(result.probabilities.size(), result.logits.size());
    }

    void kerasFunctionalWithBranches()
    {
        const fs::path resnet = layerlens::test::sharedModel("tfkeras2.4.0_resnet8_cifar10.h5");
        if (resnet.empty())
            QSKIP("the shared ResNet-8 file is not present");
        InspectedModel model = InspectedModel::open(resnet.string());
        QVERIFY(!model.canRun());
        QVERIFY(!model.whyNotRunnable().empty());
        QCOMPARE(model.totalParameters(), std::size_t{78666});
        bool hasAdd = false;
        for (const auto& layer : model.layers())
            if (layer.type == "Add") {
                hasAdd = true;
                QCOMPARE(layer.inputs.size(), std::size_t{2});
            }
        QVERIFY(hasAdd);
        // Keras's shape rules: (32, 32, 3) -> ... -> AveragePooling 8x8 over (8, 8, 64) -> Dense 10.
        const auto& last = model.layers().back();
        QCOMPARE(last.outputShape, (std::vector<long long>{1, 10}));
        for (const auto& layer : model.layers())
            QVERIFY2(!layer.outputShape.empty(), layer.name.c_str());
        checkDepths(model);
        QCOMPARE(model.defaultPreprocessing().channels, 3);
        QCOMPARE(model.defaultPreprocessing().width, 32);
    }

    void badFiles_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("keras not hdf5") << "keras/broken/not_hdf5.h5";
        QTest::newRow("keras truncated") << "keras/broken/truncated.keras";
        QTest::newRow("missing") << "onnx/does_not_exist.onnx";
    }
    void badFiles()
    {
        QFETCH(QString, file);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, InspectedModel::open((kData / file.toStdString()).string()));
    }

    void truncatedOnnx()
    {
        QTemporaryDir dir;
        std::ifstream in(lenetPath(), std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const std::string cut = (fs::path(dir.path().toStdString()) / "cut.onnx").string();
        std::ofstream(cut, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size() / 2));
        try {
            InspectedModel::open(cut);
            QFAIL("a truncated file loaded");
        } catch (const std::runtime_error& e) {
            QVERIFY(std::string(e.what()).find("cut.onnx") != std::string::npos);
        }
    }

    void probabilities()
    {
        bool applied = true;
        QCOMPARE(InspectedModel::toProbabilities({0.25f, 0.75f}, &applied), (std::vector<float>{0.25f, 0.75f}));
        QVERIFY(!applied);
        const auto p = InspectedModel::toProbabilities({0.0f, std::log(3.0f)}, &applied);
        QVERIFY(applied);
        QVERIFY(std::abs(p[1] - 0.75f) < 1e-6f);
    }

    void labels()
    {
        QTemporaryDir dir;
        const std::string path = (fs::path(dir.path().toStdString()) / "labels.txt").string();
        std::ofstream(path) << "cat\r\ndog  \n\nbird\n";
        QCOMPARE(InspectedModel::readLabels(path), (std::vector<std::string>{"cat", "dog", "bird"}));
        std::ofstream(path, std::ios::trunc) << "\n\n";
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, InspectedModel::readLabels(path));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, InspectedModel::readLabels(path + ".missing"));
    }

    void channelsLastAndFlatDefaults()
    {
        // keras3_mlp takes 5 features: no square picture; the defaults still are a valid setting.
        const InspectedModel model = InspectedModel::open((kData / "keras" / "keras3_mlp.keras").string());
        QCOMPARE(model.inputShape(), (std::vector<long long>{1, 5}));
        const ImagePreprocessing p = model.defaultPreprocessing();
        QVERIFY(p.channels == 1 || p.channels == 3);
    }
};

QTEST_GUILESS_MAIN(TestInspectedModel)
#include "test_inspected_model.moc"
