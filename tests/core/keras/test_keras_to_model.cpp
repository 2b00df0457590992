// toModel: Keras files become engine Models whose outputs match what numpy computed from the
// Keras-layout weights (tests/data/keras/expected.json) within 1e-4, for an input transposed
// from NHWC to NCHW.

#include <QFile>
#include <QtTest>

#include <fstream>

#include "core/keras/keras_reader.h"
#include "core/keras/keras_to_model.h"

using namespace layerlens::core;
using nlohmann::json;

namespace {

std::string dataPath(const std::string& name) { return std::string(LAYERLENS_TEST_DATA_DIR) + "/keras/" + name; }

// (N, H, W, C) -> (N, C, H, W); (N, F) unchanged.
Tensor toNchw(const std::vector<float>& values, const Shape& nhwc)
{
    if (nhwc.size() == 2)
        return Tensor(nhwc, values);
    const int n = nhwc[0], h = nhwc[1], w = nhwc[2], c = nhwc[3];
    Tensor out({n, c, h, w});
    for (int b = 0; b < n; ++b)
        for (int i = 0; i < h; ++i)
            for (int j = 0; j < w; ++j)
                for (int ch = 0; ch < c; ++ch)
                    out[((static_cast<std::size_t>(b) * c + ch) * h + i) * w + j]
                        = values[((static_cast<std::size_t>(b) * h + i) * w + j) * c + ch];
    return out;
}

}  // namespace

class TestKerasToModel : public QObject {
    Q_OBJECT

private slots:
    void outputMatchesKeras_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("layerCount");
        // Dense/Conv2D with an activation expand into two engine layers.
        QTest::newRow("keras2 cnn") << "keras2_cnn.h5" << 7;
        QTest::newRow("keras2 functional mlp") << "keras2_mlp.h5" << 7;
        QTest::newRow("keras3 cnn with rescaling") << "keras3_cnn.keras" << 9;
        QTest::newRow("keras3 functional mlp") << "keras3_mlp.keras" << 6;
        QTest::newRow("keras2 variants") << "keras2_variants.h5" << 15;
    }

    void outputMatchesKeras()
    {
        QFETCH(QString, file);
        QFETCH(int, layerCount);
        std::ifstream in(dataPath("expected.json"));
        const json expected = json::parse(in)[file.toStdString()];
        const KerasModel keras = KerasReader::readFile(dataPath(file.toStdString()));
        Model model = toModel(keras);
        QCOMPARE(model.layerCount(), layerCount);
        QVERIFY(model.isBuilt());
        // Every stored value lands in the model: parameters plus BN statistics, minus nothing.
        std::size_t betaFill = 0;  // keras3_cnn has center=False: beta is created as zeros
        if (file == "keras3_cnn.keras")
            betaFill = 3;
        if (file == "keras2_variants.h5")
            betaFill = 4;  // scale=False: gamma is created as ones
        QCOMPARE(model.parameterCount(), keras.storedValueCount() + betaFill);

        const Tensor input = toNchw(expected["input"].get<std::vector<float>>(), expected["input_shape"].get<Shape>());
        const Tensor& output = model.forward(input, false);
        const auto want = expected["output"].get<std::vector<float>>();
        QCOMPARE(output.shape(), expected["output_shape"].get<Shape>());
        for (std::size_t i = 0; i < want.size(); ++i)
            QVERIFY2(std::abs(output[i] - want[i]) < 1e-4f,
                     qPrintable(QString("output %1: %2 vs Keras %3").arg(i).arg(output[i]).arg(want[i])));
    }

    void layersKeepTheirKerasNames()
    {
        Model model = toModel(KerasReader::readFile(dataPath("keras2_cnn.h5")));
        QCOMPARE(model.layer(0).name(), std::string("conv2d"));
        QCOMPARE(model.layer(0).type(), std::string("Conv2D"));
        QCOMPARE(model.layer(1).type(), std::string("Activation"));
        QCOMPARE(model.layer(3).name(), std::string("batch_normalization"));
        QCOMPARE(model.inputShape(), (Shape{3, 6, 6}));
        QVERIFY(model.summary().find("Total params: 313") != std::string::npos);
    }

    void resnetIsRefusedWithReason()
    {
        const std::string path = "/work/shared/models/tfkeras2.4.0_resnet8_cifar10.h5";
        const std::string relative = std::string(LAYERLENS_SOURCE_DIR) + "/../../shared/models/tfkeras2.4.0_resnet8_cifar10.h5";
        const std::string use = QFile::exists(QString::fromStdString(relative)) ? relative : path;
        if (!QFile::exists(QString::fromStdString(use)))
            QSKIP("the shared ResNet-8 model is not available");
        try {
            toModel(KerasReader::readFile(use));
            QFAIL("a model with residual branches was converted");
        } catch (const std::runtime_error& e) {
            QVERIFY2(std::string(e.what()).find("functional model with branches (Add at layer 'add')") != std::string::npos,
                     e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestKerasToModel)
#include "test_keras_to_model.moc"
