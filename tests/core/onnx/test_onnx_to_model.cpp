// onnxToModel: ONNX chains become trainable Models whose outputs equal the ONNX executor's
// (1e-4), with the file's weights; branching graphs and unmappable operators are refused with
// the node and operator named. Also the .onnx path of loadModel.

#include <QtTest>

#include <cmath>
#include <filesystem>

#include "core/io/model_loader.h"
#include "core/io/onnx_exporter.h"
#include "core/model/presets.h"
#include "core/onnx/onnx_model.h"
#include "core/onnx/onnx_tensor_file.h"
#include "core/onnx/onnx_to_model.h"
#include "core/rng.h"
#include "shared_models.h"

using namespace layerlens::core;
namespace fs = std::filesystem;
using layerlens::test::sharedModel;

namespace {

const fs::path kDataDir = fs::path(LAYERLENS_TEST_DATA_DIR) / "onnx";

Tensor randomInput(Shape shape, std::uint64_t seed, float scale = 1.0f)
{
    Rng rng(seed);
    Tensor t(std::move(shape));
    for (std::size_t i = 0; i < t.size(); ++i)
        t[i] = scale * rng.normal();
    return t;
}

// The converted model's output vs the ONNX executor's for the same input; logSoftmax applies
// log-softmax to ours (the conversion drops a final LogSoftmax).
double maxDifference(Model& model, const OnnxModel& onnx, const Tensor& input, bool logSoftmax = false)
{
    const OnnxTensorMap out = onnx.run({{onnx.inputs()[0].name, OnnxTensor::fromTensor(input)}});
    const OnnxTensor& expected = out.at(onnx.outputs()[0].name);
    Tensor ours = model.forward(input, false);
    if (logSoftmax) {
        const int rows = ours.dim(0), cols = static_cast<int>(ours.size()) / rows;
        for (int r = 0; r < rows; ++r) {
            float* row = ours.data() + static_cast<std::size_t>(r) * static_cast<std::size_t>(cols);
            float top = row[0];
            for (int c = 1; c < cols; ++c)
                top = std::max(top, row[c]);
            double sum = 0;
            for (int c = 0; c < cols; ++c)
                sum += std::exp(row[c] - top);
            for (int c = 0; c < cols; ++c)
                row[c] = row[c] - top - static_cast<float>(std::log(sum));
        }
    }
    if (ours.size() != expected.size())
        return 1e9;
    double worst = 0;
    for (std::size_t i = 0; i < ours.size(); ++i)
        worst = std::max(worst, static_cast<double>(std::fabs(ours[i] - expected.floatAt(i))));
    return worst;
}

std::string errorOf(const std::string& path)
{
    try {
        onnxToModel(OnnxModel::load(path));
    } catch (const std::exception& e) {
        return e.what();
    }
    return {};
}

}  // namespace

class TestOnnxToModel : public QObject {
    Q_OBJECT
private slots:
    void lenetMatchesExecutorAndTorch()
    {
        const OnnxModel onnx = OnnxModel::load((kDataDir / "lenet" / "model.onnx").string());
        OnnxConversion converted = onnxToModel(onnx);
        Model& model = converted.model;
        QVERIFY(model.isBuilt());
        QCOMPARE(model.inputShape(), (Shape{1, 28, 28}));
        QCOMPARE(model.outputShape(), (Shape{10}));
        // The final LogSoftmax is dropped (and said so); grouped convolutions are expanded.
        bool saidLogSoftmax = false, saidGroups = false;
        for (const auto& note : converted.notes) {
            saidLogSoftmax = saidLogSoftmax || note.find("LogSoftmax") != std::string::npos;
            saidGroups = saidGroups || note.find("group 3") != std::string::npos;
        }
        QVERIFY(saidLogSoftmax);
        QVERIFY(saidGroups);
        // Torch's own output for the stored input.
        const Tensor input = loadOnnxTensorFile((kDataDir / "lenet" / "input_0.pb").string()).toTensor();
        const Tensor torchOut = loadOnnxTensorFile((kDataDir / "lenet" / "output_0.pb").string()).toTensor();
        QVERIFY(maxDifference(model, onnx, input, true) < 1e-4);
        Tensor ours = model.forward(input, false);
        // argmax agrees with torch's log-probabilities
        for (int r = 0; r < ours.dim(0); ++r) {
            int a = 0, b = 0;
            for (int c = 1; c < 10; ++c) {
                if (ours[static_cast<std::size_t>(r * 10 + c)] > ours[static_cast<std::size_t>(r * 10 + a)])
                    a = c;
                if (torchOut[static_cast<std::size_t>(r * 10 + c)] > torchOut[static_cast<std::size_t>(r * 10 + b)])
                    b = c;
            }
            QCOMPARE(a, b);
        }
        // More inputs, batch 3.
        QVERIFY(maxDifference(model, onnx, randomInput({3, 1, 28, 28}, 4), true) < 1e-4);
    }

    void pytorchTrainedFashionLenet()
    {
        // A real trained network (PyTorch, Fashion-MNIST): the model to fine-tune elsewhere.
        const fs::path path = kDataDir / "fashion_lenet" / "model.onnx";
        if (!fs::exists(path))
            QSKIP("fashion_lenet fixture not present");
        const OnnxModel onnx = OnnxModel::load(path.string());
        Model model = onnxToModel(onnx).model;
        QCOMPARE(model.inputShape(), (Shape{1, 28, 28}));
        QCOMPARE(model.outputShape(), (Shape{10}));
        QCOMPARE(model.parameterCount(), onnx.weightCount());
        QVERIFY(maxDifference(model, onnx, randomInput({4, 1, 28, 28}, 12, 0.5f)) < 1e-4);
    }

    void everyMappedOperatorMatches()
    {
        const OnnxModel onnx = OnnxModel::load((kDataDir / "transfer" / "chain_ops.onnx").string());
        OnnxConversion converted = onnxToModel(onnx);
        Model& model = converted.model;
        QCOMPARE(model.inputShape(), (Shape{3, 12, 12}));
        QCOMPARE(model.outputShape(), (Shape{4}));
        QStringList types;
        for (int i = 0; i < model.layerCount(); ++i)
            types << QString::fromStdString(model.layer(i).type());
        QVERIFY2(types.contains("BatchNorm") && types.contains("MaxPool2D") && types.contains("AvgPool2D")
                     && types.contains("GlobalAveragePool") && types.contains("Dropout") && types.contains("Softmax"),
                 qPrintable(types.join(", ")));
        QCOMPARE(types.count("Dense"), 3);   // MatMul+Add, two Gemms
        QCOMPARE(types.count("Conv2D"), 2);
        QCOMPARE(model.layer(0).name(), std::string("conv1"));
        for (std::uint64_t seed : {1, 2, 3})
            QVERIFY(maxDifference(model, onnx, randomInput({2, 3, 12, 12}, seed), false) < 1e-4);
        // The BatchNorm got the file's running statistics (not the defaults 0 / 1).
        for (int i = 0; i < model.layerCount(); ++i)
            if (model.layer(i).type() == "BatchNorm")
                QVERIFY(model.layer(i).buffers()[1]->value[0] != 1.0f);
    }

    void trainableAfterConversion()
    {
        // A converted model trains: a gradient reaches the first layer's kernel.
        const OnnxModel onnx = OnnxModel::load((kDataDir / "transfer" / "chain_ops.onnx").string());
        Model model = onnxToModel(onnx).model;
        const Tensor input = randomInput({2, 3, 12, 12}, 9);
        const Tensor& out = model.forward(input, true);
        Tensor grad(out.shape(), 0.0f);
        grad[0] = 1.0f;
        model.backward(grad);
        double norm = 0;
        for (std::size_t i = 0; i < model.layer(0).parameters()[0]->grad.size(); ++i)
            norm += std::fabs(model.layer(0).parameters()[0]->grad[i]);
        QVERIFY(norm > 0);
    }

    void sharedPytorchCifar()
    {
        const fs::path path = sharedModel("onnx_op10_pytorch_cifar10_cnn.onnx");
        if (path.empty())
            QSKIP("../shared/models/onnx_op10_pytorch_cifar10_cnn.onnx not present");
        const OnnxModel onnx = OnnxModel::load(path.string());
        Model model = onnxToModel(onnx).model;
        QCOMPARE(model.inputShape(), (Shape{3, 32, 32}));
        QCOMPARE(model.parameterCount(), std::size_t(50182));
        const Tensor input = loadOnnxTensorFile((kDataDir / "shared" / "cifar10_cnn_input.pb").string()).toTensor();
        QVERIFY(maxDifference(model, onnx, input) < 1e-4);
        QVERIFY(maxDifference(model, onnx, randomInput({2, 3, 32, 32}, 3)) < 1e-4);
    }

    void sharedCntkMnist()
    {
        const fs::path path = sharedModel("onnx_op7_cntk_mnist.onnx");
        if (path.empty())
            QSKIP("../shared/models/onnx_op7_cntk_mnist.onnx not present");
        const OnnxModel onnx = OnnxModel::load(path.string());
        Model model = onnxToModel(onnx).model;
        // Conv without bias + Add folded into the bias, SAME_UPPER, a MatMul on a reshaped weight.
        // The file's 5,998 stored values less the two Reshape shape constants (2 values each).
        QCOMPARE(model.parameterCount(), std::size_t(5994));
        const Tensor input = loadOnnxTensorFile((kDataDir / "shared" / "cntk_mnist_input.pb").string()).toTensor();
        const Tensor expected = loadOnnxTensorFile((kDataDir / "shared" / "cntk_mnist_output.pb").string()).toTensor();
        const Tensor& ours = model.forward(input, false);
        for (std::size_t i = 0; i < ours.size(); ++i)
            QVERIFY(std::fabs(ours[i] - expected[i]) <= 1e-4f * std::max(1.0f, std::fabs(expected[i])));
    }

    void exportedModelsComeBack_data()
    {
        QTest::addColumn<QString>("description");
        QTest::newRow("lenet5") << QString::fromStdString(presetDescription("lenet5", {1, 28, 28}, 10).dump());
        QTest::newRow("mixed") << QString::fromStdString(nlohmann::json(
            {{"input_shape", {3, 16, 16}},
             {"layers", {{{"type", "Conv2D"}, {"filters", 4}, {"kernel_size", 3}, {"padding", "same"}, {"activation", "elu"}},
                         {{"type", "BatchNorm"}},
                         {{"type", "AvgPool2D"}, {"pool_size", 2}},
                         {{"type", "Conv2D"}, {"filters", 6}, {"kernel_size", 3}, {"strides", 2}, {"padding", 1},
                          {"activation", "leaky_relu"}, {"alpha", 0.2}},
                         {{"type", "GlobalAveragePool"}},
                         {{"type", "Dropout"}, {"rate", 0.3}},
                         {{"type", "Dense"}, {"units", 5}, {"activation", "tanh"}},
                         {{"type", "Dense"}, {"units", 3}, {"activation", "softmax"}}}}}).dump());
    }
    void exportedModelsComeBack()
    {
        // LayerLens -> ONNX (exporter) -> LayerLens (converter) gives the same outputs.
        QFETCH(QString, description);
        Model original = Model::fromJson(nlohmann::json::parse(description.toStdString()));
        original.build(5);
        const std::string path = (fs::temp_directory_path() / "layerlens_roundtrip_test.onnx").string();
        exportOnnx(original, path);
        Model back = onnxToModel(OnnxModel::load(path)).model;
        fs::remove(path);
        Shape shape = original.inputShape();
        shape.insert(shape.begin(), 2);
        const Tensor input = randomInput(shape, 8);
        const Tensor expected = original.forward(input, false);
        const Tensor& got = back.forward(input, false);
        QCOMPARE(got.shape(), expected.shape());
        for (std::size_t i = 0; i < got.size(); ++i)
            QVERIFY(std::fabs(got[i] - expected[i]) < 1e-4f);
        QCOMPARE(back.parameterCount(), original.parameterCount());
    }

    void refusesBranches()
    {
        const std::string error = errorOf((kDataDir / "transfer" / "branching.onnx").string());
        QVERIFY2(error.find("branch") != std::string::npos, error.c_str());
        QVERIFY2(error.find("'join'") != std::string::npos || error.find("'left'") != std::string::npos, error.c_str());
    }

    void refusesUnmappableOperators()
    {
        const std::string error = errorOf((kDataDir / "transfer" / "unmappable.onnx").string());
        QVERIFY2(error.find("Exp") != std::string::npos && error.find("the_exp") != std::string::npos, error.c_str());
        QVERIFY2(error.find("unmappable.onnx") != std::string::npos, error.c_str());
    }

    void loaderOpensOnnx()
    {
        LoadedModel loaded = loadModel((kDataDir / "lenet" / "model.onnx").string());
        QVERIFY(loaded.model.isBuilt());
        QVERIFY(loaded.source.find("ONNX") != std::string::npos);
        QVERIFY(!loaded.notes.empty());
        try {
            loadModel((kDataDir / "transfer" / "branching.onnx").string());
            QFAIL("a branching graph must be refused");
        } catch (const std::runtime_error& e) {
            QVERIFY(std::string(e.what()).find("branching.onnx") != std::string::npos);
        }
    }
};

QTEST_APPLESS_MAIN(TestOnnxToModel)
#include "test_onnx_to_model.moc"
