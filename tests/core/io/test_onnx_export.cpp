// ONNX export: the file runs in OpenCV's dnn module (an independent reader) with our outputs.

#include <QtTest>

#include <opencv2/dnn.hpp>

#include "core/io/onnx_exporter.h"
#include "core/model/model.h"
#include "core/model/presets.h"
#include "core/onnx/onnx_model.h"

using namespace layerlens::core;

namespace {

Tensor randomInput(const Shape& sampleShape, int batch, unsigned seed)
{
    Shape shape = sampleShape;
    shape.insert(shape.begin(), batch);
    Tensor t(shape);
    Rng rng(seed);
    for (std::size_t i = 0; i < t.size(); ++i)
        t[i] = rng.uniform(-1.0f, 1.0f);
    return t;
}

std::vector<float> runWithOpenCv(const std::string& path, const Tensor& input)
{
    cv::dnn::Net net = cv::dnn::readNetFromONNX(path);
    std::vector<int> dims(input.shape().begin(), input.shape().end());
    cv::Mat blob(static_cast<int>(dims.size()), dims.data(), CV_32F, const_cast<float*>(input.data()));
    net.setInput(blob);
    cv::Mat out = net.forward();
    return std::vector<float>(out.ptr<float>(), out.ptr<float>() + out.total());
}

}  // namespace

class TestOnnxExport : public QObject {
    Q_OBJECT
private slots:
    void runsInOpenCvWithTheSameOutputs_data()
    {
        QTest::addColumn<QString>("description");
        QTest::newRow("lenet5") << QString::fromStdString(presetDescription("lenet5").dump());
        QTest::newRow("cnn with batch norm, strides, same padding, avg pool")
            << QString::fromStdString(nlohmann::json{
                   {"input_shape", {3, 15, 15}},
                   {"layers",
                    {{{"type", "Conv2D"}, {"filters", 4}, {"kernel_size", 3}, {"strides", 2}, {"padding", "same"}},
                     {{"type", "BatchNorm"}},
                     {{"type", "Activation"}, {"activation", "leaky_relu"}, {"alpha", 0.1}},
                     {{"type", "AvgPool2D"}, {"pool_size", 2}},
                     {{"type", "Conv2D"}, {"filters", 5}, {"kernel_size", 3}, {"padding", "same"}, {"activation", "elu"}},
                     {{"type", "GlobalAveragePool"}},
                     {{"type", "Dense"}, {"units", 3}, {"activation", "softmax"}}}}}
                                          .dump());
        QTest::newRow("mlp with many activations")
            << QString::fromStdString(nlohmann::json{
                   {"input_shape", {6}},
                   {"layers",
                    {{{"type", "Dense"}, {"units", 8}, {"activation", "tanh"}},
                     {{"type", "Dense"}, {"units", 8}, {"activation", "sigmoid"}},
                     {{"type", "Dense"}, {"units", 8}, {"activation", "selu"}},
                     {{"type", "Dropout"}, {"rate", 0.3}},
                     {{"type", "Dense"}, {"units", 8}, {"activation", "softplus"}},
                     {{"type", "Dense"}, {"units", 4}}}}}
                                          .dump());
    }
    void runsInOpenCvWithTheSameOutputs()
    {
        QFETCH(QString, description);
        Model model = Model::fromJson(nlohmann::json::parse(description.toStdString()));
        model.build(7);
        // Give batch norm non-trivial statistics so that inference mode is really checked.
        for (int i = 0; i < model.layerCount(); ++i)
            for (Parameter* p : model.layer(i).buffers())
                for (std::size_t j = 0; j < p->value.size(); ++j)
                    p->value[j] = p->name == "moving_variance" ? 0.5f + 0.1f * static_cast<float>(j) : 0.05f * static_cast<float>(j);
        const Tensor input = randomInput(model.inputShape(), 2, 3);
        const Tensor expected = model.forward(input, false);
        QTemporaryDir dir;
        const std::string path = dir.filePath("model.onnx").toStdString();
        exportOnnx(model, path);
        const std::vector<float> actual = runWithOpenCv(path, input);
        QCOMPARE(actual.size(), expected.size());
        for (std::size_t i = 0; i < actual.size(); ++i)
            QVERIFY2(std::abs(actual[i] - expected[i]) <= 1e-4f * std::max(1.0f, std::abs(expected[i])),
                     qPrintable(QString("value %1: OpenCV %2, LayerLens %3").arg(i).arg(actual[i]).arg(expected[i])));

        // Importing the file again (LayerLens's own ONNX runtime) gives the same outputs.
        OnnxModel reimported = OnnxModel::load(path);
        QCOMPARE(reimported.inputs().size(), std::size_t(1));
        const auto outputs = reimported.run({{reimported.inputs()[0].name, OnnxTensor::fromTensor(input)}});
        const Tensor again = outputs.at(reimported.outputs()[0].name).toTensor();
        QCOMPARE(again.shape(), expected.shape());
        for (std::size_t i = 0; i < again.size(); ++i)
            QVERIFY2(std::abs(again[i] - expected[i]) <= 1e-5f * std::max(1.0f, std::abs(expected[i])),
                     qPrintable(QString("value %1: reimported %2, LayerLens %3").arg(i).arg(again[i]).arg(expected[i])));
    }

    void unwritablePathIsReported()
    {
        Model model = Model::fromJson(presetDescription("mlp", {4}, 2));
        model.build(1);
        try {
            exportOnnx(model, "/nonexistent-dir/model.onnx");
            QFAIL("expected an error");
        } catch (const std::runtime_error& e) {
            QVERIFY2(QString(e.what()).contains("/nonexistent-dir/model.onnx"), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestOnnxExport)
#include "test_onnx_export.moc"
