// OnnxModel: loading (opsets, initializers, inputs, symbolic dims, node order, unsupported
// operators), running against references computed by PyTorch/numpy, the opset-dependent
// semantics of the ONNX specification, and clear errors for corrupt files.

#include <QtTest>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "core/model/model.h"
#include "core/onnx/onnx_model.h"
#include "core/onnx/onnx_tensor_file.h"
#include "shared_models.h"

using namespace layerlens::core;
namespace fs = std::filesystem;
using layerlens::test::sharedModel;

namespace {

const fs::path kDataDir = fs::path(LAYERLENS_TEST_DATA_DIR) / "onnx";

std::string readFile(const fs::path& path)
{
    std::ifstream file(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << file.rdbuf();
    return bytes.str();
}

// Largest |a - e| / (atol + rtol |e|); <= 1 means within tolerance.
double worstError(const OnnxTensor& actual, const OnnxTensor& expected, double rtol, double atol)
{
    double worst = 0.0;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const double e = expected.floatAt(i);
        worst = std::max(worst, std::fabs(actual.floatAt(i) - e) / (atol + rtol * std::fabs(e)));
    }
    return worst;
}

// Protobuf wire format by hand, so tests can build malformed TensorProtos without protobuf.
void appendVarint(std::string& out, std::uint64_t value)
{
    while (value >= 0x80) {
        out.push_back(static_cast<char>((value & 0x7f) | 0x80));
        value >>= 7;
    }
    out.push_back(static_cast<char>(value));
}

std::string tensorProtoBytes(const std::vector<std::int64_t>& dims, int dataType, const std::string& raw)
{
    std::string bytes;
    for (const std::int64_t dim : dims) {
        appendVarint(bytes, (1 << 3) | 0);  // field 1 dims, varint
        appendVarint(bytes, static_cast<std::uint64_t>(dim));
    }
    appendVarint(bytes, (2 << 3) | 0);  // field 2 data_type
    appendVarint(bytes, static_cast<std::uint64_t>(dataType));
    appendVarint(bytes, (9 << 3) | 2);  // field 9 raw_data, length-delimited
    appendVarint(bytes, raw.size());
    bytes += raw;
    return bytes;
}

}  // namespace

class TestOnnxModel : public QObject {
    Q_OBJECT

private slots:
    // ---- torch-exported LeNet-like CNN (opset 13, dynamic batch)
    void lenetMatchesTorch()
    {
        const OnnxModel model = OnnxModel::load((kDataDir / "lenet" / "model.onnx").string());
        QCOMPARE(model.opsetVersion(), 13);
        QCOMPARE(model.inputs().size(), std::size_t{1});
        const OnnxValueInfo& input = model.inputs()[0];
        QCOMPARE(input.name, std::string("input"));
        QCOMPARE(input.shape, (OnnxShape{-1, 1, 28, 28}));
        QCOMPARE(input.dimNames[0], std::string("batch"));
        QCOMPARE(input.resolvedShape(4), (OnnxShape{4, 1, 28, 28}));
        QVERIFY(model.unsupportedOperators().empty());
        // torch counts 19,694 parameters; the file adds BatchNormalization's running mean
        // and variance (2 x 6) and Pad's int64 pads (8).
        QCOMPARE(model.weightCount(), std::size_t{19694 + 12});

        const OnnxTensor x = loadOnnxTensorFile((kDataDir / "lenet" / "input_0.pb").string());
        const OnnxTensor expected = loadOnnxTensorFile((kDataDir / "lenet" / "output_0.pb").string());
        QCOMPARE(x.shape, (OnnxShape{2, 1, 28, 28}));
        std::size_t callbacks = 0;
        const OnnxTensorMap outputs = model.run({{"input", x}}, [&](std::size_t index, const OnnxNode& node,
                                                                    const std::vector<const OnnxTensor*>& values) {
            QCOMPARE(index, callbacks);
            QCOMPARE(node.name, model.nodes()[index].name);
            QVERIFY(!values.empty() && values[0] != nullptr);
            ++callbacks;
        });
        QCOMPARE(callbacks, model.nodes().size());
        const OnnxTensor& y = outputs.at("log_probs");
        QCOMPARE(y.shape, (OnnxShape{2, 10}));
        const double worst = worstError(y, expected, 1e-4, 1e-4);
        QVERIFY2(worst <= 1.0, qPrintable(QStringLiteral("worst error %1 x tolerance").arg(worst)));
    }

    void runAllKeepsEveryIntermediate()
    {
        const OnnxModel model = OnnxModel::load((kDataDir / "lenet" / "model.onnx").string());
        OnnxTensor x = loadOnnxTensorFile((kDataDir / "lenet" / "input_0.pb").string());
        const OnnxTensorMap all = model.runAll({{"input", x}});
        for (const OnnxNode& node : model.nodes())
            for (const std::string& output : node.outputs)
                QVERIFY2(all.count(output) == 1, output.c_str());
        // First node is the 5x5 'same' Conv with 6 filters: (2, 6, 28, 28).
        QCOMPARE(all.at(model.nodes()[0].outputs[0]).shape, (OnnxShape{2, 6, 28, 28}));
    }

    void summaryListsNodesShapesAndParameters()
    {
        const OnnxModel model = OnnxModel::load((kDataDir / "lenet" / "model.onnx").string());
        const std::vector<OnnxNodeInfo> infos = model.nodeInfos();
        QCOMPARE(infos.size(), model.nodes().size());
        std::size_t parameters = 0;
        for (const OnnxNodeInfo& info : infos) {
            QVERIFY2(info.shapesKnown, info.name.c_str());
            parameters += info.parameterCount;
        }
        QCOMPARE(parameters, model.parameterCount());
        QCOMPARE(infos.back().outputShapes[0], (OnnxShape{1, 10}));  // dry run uses batch 1
        const std::string text = model.summary();
        QVERIFY(text.find("LogSoftmax") != std::string::npos);
        QVERIFY(text.find("(1, 10)") != std::string::npos);
        QVERIFY(text.find("total parameters: " + formatThousands(model.parameterCount())) != std::string::npos);
    }

    // ---- third-party models (read from /work/shared/models, never copied)
    void cntkMnistOpset7()
    {
        const fs::path path = sharedModel("onnx_op7_cntk_mnist.onnx");
        if (path.empty())
            QSKIP("shared model onnx_op7_cntk_mnist.onnx not found beside the source tree");
        const OnnxModel model = OnnxModel::load(path.string());
        QCOMPARE(model.opsetVersion(), 7);
        QCOMPARE(model.irVersion(), std::int64_t{3});
        // IR 3 lists the initializers as graph inputs too; only the image is a real input.
        QCOMPARE(model.inputs().size(), std::size_t{1});
        QCOMPARE(model.inputs()[0].name, std::string("Input3"));
        QCOMPARE(model.inputs()[0].shape, (OnnxShape{1, 1, 28, 28}));
        // 5,998 initializer elements, of which 4 are the two int64 Reshape target shapes:
        // 5,994 learned weights.
        QCOMPARE(model.parameterCount(), std::size_t{5998});
        QCOMPARE(model.weightCount(), std::size_t{5994});

        const OnnxTensor x = loadOnnxTensorFile((kDataDir / "shared" / "cntk_mnist_input.pb").string());
        const OnnxTensor expected = loadOnnxTensorFile((kDataDir / "shared" / "cntk_mnist_output.pb").string());
        const OnnxTensor y = model.run({{"Input3", x}}).at(model.outputs()[0].name);
        QCOMPARE(y.shape, (OnnxShape{1, 10}));
        const double worst = worstError(y, expected, 1e-4, 1e-3);
        QVERIFY2(worst <= 1.0, qPrintable(QStringLiteral("worst error %1 x tolerance").arg(worst)));
        // SAME_UPPER keeps 28x28 in the first convolution.
        QVERIFY(model.summary().find("(1, 8, 28, 28)") != std::string::npos);
    }

    void pytorchCifar10Opset10DynamicBatch()
    {
        const fs::path path = sharedModel("onnx_op10_pytorch_cifar10_cnn.onnx");
        if (path.empty())
            QSKIP("shared model onnx_op10_pytorch_cifar10_cnn.onnx not found beside the source tree");
        const OnnxModel model = OnnxModel::load(path.string());
        QCOMPARE(model.opsetVersion(), 10);
        QCOMPARE(model.parameterCount(), std::size_t{50182});
        QCOMPARE(model.weightCount(), std::size_t{50182});
        QCOMPARE(model.inputs()[0].shape, (OnnxShape{-1, 3, 32, 32}));
        QCOMPARE(model.inputs()[0].dimNames[0], std::string("batch_size"));

        const OnnxTensor x = loadOnnxTensorFile((kDataDir / "shared" / "cifar10_cnn_input.pb").string());
        const OnnxTensor expected = loadOnnxTensorFile((kDataDir / "shared" / "cifar10_cnn_output.pb").string());
        QCOMPARE(x.shape, (OnnxShape{2, 3, 32, 32}));
        const OnnxTensor y = model.run({{"modelInput", x}}).at("modelOutput");
        QCOMPARE(y.shape, (OnnxShape{2, 10}));
        const double worst = worstError(y, expected, 1e-4, 1e-4);
        QVERIFY2(worst <= 1.0, qPrintable(QStringLiteral("worst error %1 x tolerance").arg(worst)));
    }

    // ---- opset-dependent semantics, one tiny graph per rule (numpy/torch references)
    void specSemantics_data()
    {
        QTest::addColumn<QString>("name");
        for (const auto& entry : fs::directory_iterator(kDataDir / "spec"))
            QTest::newRow(entry.path().filename().string().c_str()) << QString::fromStdString(entry.path().filename().string());
    }

    void specSemantics()
    {
        QFETCH(QString, name);
        const fs::path dir = kDataDir / "spec" / name.toStdString();
        const OnnxModel model = OnnxModel::load((dir / "model.onnx").string());
        OnnxTensorMap inputs;
        for (std::size_t i = 0; i < model.inputs().size(); ++i)
            inputs[model.inputs()[i].name] = loadOnnxTensorFile((dir / ("input_" + std::to_string(i) + ".pb")).string());
        const OnnxTensorMap outputs = model.run(inputs);
        const OnnxTensor expected = loadOnnxTensorFile((dir / "output_0.pb").string());
        const OnnxTensor& y = outputs.at(model.outputs()[0].name);
        QCOMPARE(y.shape, expected.shape);
        const double worst = worstError(y, expected, 1e-5, 1e-5);
        QVERIFY2(worst <= 1.0, qPrintable(QStringLiteral("worst error %1 x tolerance").arg(worst)));
    }

    // ---- load-time graph handling
    void nodesAreSortedByDataDependencies()
    {
        const OnnxModel model = OnnxModel::load((kDataDir / "graphs" / "unsorted.onnx").string());
        QCOMPARE(model.nodes().size(), std::size_t{3});
        QCOMPARE(model.nodes()[0].name, std::string("first"));
        QCOMPARE(model.nodes()[1].name, std::string("middle"));
        QCOMPARE(model.nodes()[2].name, std::string("last"));
        const OnnxTensor x = OnnxTensor::makeFloat({2, 4}, {-1, 0, 1, 2, 3, -4, 0.5f, -0.5f});
        const OnnxTensor y = model.run({{"x", x}}).at("y");
        const std::vector<float> expected{-1, -1, 1, 3, 5, -1, 0, -1};  // relu(x) * 2 - 1
        QCOMPARE(y.floats, expected);
    }

    void identityCopiesOfInitializersAreParameters()
    {
        // torch.onnx stores equal biases once and feeds the other layers Identity copies; a tied
        // weight used by two nodes is one parameter tensor.
        const OnnxModel model = OnnxModel::load((kDataDir / "graphs" / "shared_initializers.onnx").string());
        QCOMPARE(model.parameterCount(), std::size_t{24});
        QCOMPARE(model.weightCount(), std::size_t{24});
        std::map<std::string, std::size_t> perNode;
        for (const OnnxNodeInfo& info : model.nodeInfos())
            perNode[info.name] = info.parameterCount;
        QCOMPARE(perNode["copy"], std::size_t{0});
        QCOMPARE(perNode["fc1"], std::size_t{20});
        QCOMPARE(perNode["fc2"], std::size_t{4});
        QVERIFY(model.summary().find("total parameters: 24 ") != std::string::npos);
    }

    void unsupportedOperatorsAreListed()
    {
        const std::string path = (kDataDir / "graphs" / "unsupported.onnx").string();
        try {
            OnnxModel::load(path);
            QFAIL("a model with unsupported operators loaded");
        } catch (const OnnxUnsupportedError& error) {
            const std::string message = error.what();
            QVERIFY2(message.find("LSTM") != std::string::npos, message.c_str());
            QVERIFY2(message.find("BatchNormalization (training_mode=1)") != std::string::npos, message.c_str());
            QVERIFY2(message.find("com.example:FancyOp") != std::string::npos, message.c_str());
            QCOMPARE(error.operators().size(), std::size_t{3});
        }
        // With allowUnsupported the graph still opens for display, but does not run.
        const OnnxModel model = OnnxModel::load(path, OnnxLoadOptions{true});
        QCOMPARE(model.unsupportedOperators().size(), std::size_t{3});
        QVERIFY(model.summary().find("unsupported") != std::string::npos);
        QVERIFY_THROWS_EXCEPTION(OnnxUnsupportedError, model.run({}));
    }

    void wrongInputShapeIsRefused()
    {
        const OnnxModel model = OnnxModel::load((kDataDir / "lenet" / "model.onnx").string());
        try {
            model.run({{"input", OnnxTensor::makeFloat({1, 3, 28, 28}, std::vector<float>(3 * 28 * 28))}});
            QFAIL("wrong input shape accepted");
        } catch (const std::invalid_argument& error) {
            QVERIFY2(std::string(error.what()).find("input") != std::string::npos, error.what());
        }
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, model.run({}));
    }

    // ---- corrupt files: clear errors, never a crash
    void missingFile()
    {
        try {
            OnnxModel::load((kDataDir / "no_such_model.onnx").string());
            QFAIL("missing file loaded");
        } catch (const std::runtime_error& error) {
            QVERIFY2(std::string(error.what()).find("cannot open") != std::string::npos, error.what());
        }
    }

    void truncatedModel_data()
    {
        QTest::addColumn<double>("fraction");
        QTest::newRow("1%") << 0.01;
        QTest::newRow("half") << 0.5;
        QTest::newRow("all but 3 bytes") << -3.0;
    }

    void truncatedModel()
    {
        QFETCH(double, fraction);
        const std::string bytes = readFile(kDataDir / "lenet" / "model.onnx");
        const std::size_t keep = fraction < 0 ? bytes.size() - 3 : static_cast<std::size_t>(bytes.size() * fraction);
        try {
            OnnxModel::loadFromBytes(bytes.substr(0, keep), "truncated.onnx");
            QFAIL("truncated model loaded");
        } catch (const OnnxUnsupportedError&) {
            QFAIL("truncation reported as unsupported operators");
        } catch (const std::runtime_error& error) {
            QVERIFY2(std::string(error.what()).rfind("truncated.onnx: ", 0) == 0, error.what());
        }
    }

    void randomBytesAreNotAModel()
    {
        std::mt19937 rng(1234);
        for (int trial = 0; trial < 50; ++trial) {
            std::string bytes(64 + static_cast<std::size_t>(trial) * 37, '\0');
            for (char& c : bytes)
                c = static_cast<char>(rng() & 0xff);
            try {
                OnnxModel::loadFromBytes(bytes, "random.bin");
                QFAIL("random bytes loaded as a model");
            } catch (const std::runtime_error& error) {
                QVERIFY2(std::string(error.what()).find("random.bin") != std::string::npos, error.what());
            }
        }
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, OnnxModel::loadFromBytes({}, "empty.onnx"));
    }

    void mutatedModelsNeverCrash()
    {
        // Random byte changes in a valid model must end in a loaded model that runs or in
        // an exception; never in a crash or a hang.
        const std::string original = readFile(kDataDir / "lenet" / "model.onnx");
        const OnnxTensor x = loadOnnxTensorFile((kDataDir / "lenet" / "input_0.pb").string());
        std::mt19937 rng(99);
        int ran = 0;
        int refused = 0;
        for (int trial = 0; trial < 300; ++trial) {
            std::string bytes = original;
            const int changes = 1 + static_cast<int>(rng() % 8);
            for (int c = 0; c < changes; ++c)
                bytes[rng() % bytes.size()] = static_cast<char>(rng() & 0xff);
            try {
                const OnnxModel model = OnnxModel::loadFromBytes(bytes, "mutated.onnx");
                OnnxTensorMap inputs;
                for (const OnnxValueInfo& input : model.inputs())
                    inputs[input.name] = x;
                model.run(inputs);
                (void)model.summary();
                ++ran;
            } catch (const std::exception&) {
                ++refused;
            }
        }
        QCOMPARE(ran + refused, 300);
        QVERIFY(refused > 0);
        QVERIFY(ran > 0);  // most single-byte changes hit weights and still run
    }

    void tensorProtoFromTestData()
    {
        const std::string raw("\x00\x00\x80\x3f\x00\x00\x00\x40\x00\x00\x40\x40", 12);  // 1, 2, 3 little-endian
        const OnnxTensor t = parseOnnxTensor(tensorProtoBytes({3}, 1, raw), "t.pb");
        QCOMPARE(t.shape, (OnnxShape{3}));
        QCOMPARE(t.floats, (std::vector<float>{1.0f, 2.0f, 3.0f}));
        const OnnxTensor b = parseOnnxTensor(tensorProtoBytes({2, 2}, 9, std::string("\x01\x00\x00\x07", 4)), "b.pb");
        QCOMPARE(b.dataType, 9);  // BOOL
        QCOMPARE(b.ints, (std::vector<std::int64_t>{1, 0, 0, 1}));
        const OnnxTensor i8 = parseOnnxTensor(tensorProtoBytes({2}, 3, std::string("\xff\x05", 2)), "i8.pb");
        QCOMPARE(i8.ints, (std::vector<std::int64_t>{-1, 5}));
    }

    void absurdTensorDims_data()
    {
        QTest::addColumn<QString>("what");
        QTest::addColumn<bool>("huge");
        QTest::newRow("2^40 x 2^40") << "too large" << true;
        QTest::newRow("size mismatch") << "need 3" << false;
    }

    void absurdTensorDims()
    {
        QFETCH(QString, what);
        QFETCH(bool, huge);
        const std::string bytes = huge ? tensorProtoBytes({std::int64_t{1} << 40, std::int64_t{1} << 40}, 1, std::string(4, '\0'))
                                       : tensorProtoBytes({3}, 1, std::string(8, '\0'));
        try {
            parseOnnxTensor(bytes, "bad.pb");
            QFAIL("bad tensor accepted");
        } catch (const std::runtime_error& error) {
            QVERIFY2(std::string(error.what()).find(what.toStdString()) != std::string::npos, error.what());
        }
        // A negative dimension (varint of -1) too.
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, parseOnnxTensor(tensorProtoBytes({-1}, 1, {}), "neg.pb"));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, parseOnnxTensor(std::string("\xff\xff\xff", 3), "junk.pb"));
    }
};

QTEST_GUILESS_MAIN(TestOnnxModel)
#include "test_onnx_model.moc"
