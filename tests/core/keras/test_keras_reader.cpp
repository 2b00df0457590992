// KerasReader on files written in the exact Keras layouts (tests/data/keras/make_fixtures.py),
// on a real tf.keras 2.4 ResNet-8 from /work/shared/models, and on damaged files.

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <iterator>

#include "core/keras/keras_converter.h"
#include "core/keras/keras_reader.h"
#include "shared_models.h"

using namespace layerlens::core;

namespace {

std::string dataPath(const char* name) { return std::string(LAYERLENS_TEST_DATA_DIR) + "/keras/" + name; }

std::string resnetPath() { return layerlens::test::sharedModel("tfkeras2.4.0_resnet8_cifar10.h5").string(); }

std::vector<std::string> layerNames(const KerasModel& model)
{
    std::vector<std::string> names;
    for (const auto& layer : model.layers)
        names.push_back(layer.name);
    return names;
}

std::vector<std::string> weightRoles(const KerasLayer& layer)
{
    std::vector<std::string> roles;
    for (const auto& w : layer.weights)
        roles.push_back(w.name);
    return roles;
}

std::vector<char> readBytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Runs fn and returns the exception message, or fails the test when nothing was thrown.
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

}  // namespace

class TestKerasReader : public QObject {
    Q_OBJECT

private slots:
    void keras2Sequential()
    {
        const KerasModel m = KerasReader::readFile(dataPath("keras2_cnn.h5"));
        QCOMPARE(m.format, std::string("keras2-h5"));
        QCOMPARE(m.kerasVersion, std::string("2.4.0"));
        QCOMPARE(m.backend, std::string("tensorflow"));
        QCOMPARE(m.modelClassName, std::string("Sequential"));
        QCOMPARE(m.modelName, std::string("sequential"));
        QCOMPARE(m.inputShape, (Shape{6, 6, 3}));
        QCOMPARE(layerNames(m), (std::vector<std::string>{"conv2d_input", "conv2d", "max_pooling2d",
                                                          "batch_normalization", "flatten", "dense"}));
        const KerasLayer* conv = m.findLayer("conv2d");
        QVERIFY(conv);
        QCOMPARE(conv->className, std::string("Conv2D"));
        QCOMPARE(conv->config["padding"].get<std::string>(), std::string("same"));
        QCOMPARE(weightRoles(*conv), (std::vector<std::string>{"kernel", "bias"}));
        QCOMPARE(conv->weights[0].shape, (Shape{3, 3, 3, 4}));
        QCOMPARE(conv->weights[0].path, std::string("/model_weights/conv2d/conv2d/kernel:0"));
        QCOMPARE(conv->inbound, (std::vector<std::string>{"conv2d_input"}));
        QCOMPARE(weightRoles(*m.findLayer("batch_normalization")),
                 (std::vector<std::string>{"gamma", "beta", "moving_mean", "moving_variance"}));
        QCOMPARE(m.findLayer("dense")->weights[0].shape, (Shape{36, 5}));
        // 3*3*3*4 + 4 (conv) + 4*4 (BN) + 36*5 + 5 (dense)
        QCOMPARE(m.storedValueCount(), std::size_t(108 + 4 + 16 + 180 + 5));
        QVERIFY(m.summary().find("Stored values: 313") != std::string::npos);
    }

    void keras2FunctionalWithFixedLengthStrings()
    {
        const KerasModel m = KerasReader::readFile(dataPath("keras2_mlp.h5"));
        QCOMPARE(m.modelClassName, std::string("Functional"));
        QVERIFY(m.isFunctional());
        QCOMPARE(m.kerasVersion, std::string("2.4.0"));
        QCOMPARE(m.inputShape, (Shape{10}));
        QCOMPARE(m.inputLayers, (std::vector<std::string>{"input_1"}));
        QCOMPARE(m.outputLayers, (std::vector<std::string>{"dense_2"}));
        QCOMPARE(m.findLayer("dense_1")->inbound, (std::vector<std::string>{"dropout"}));
        QCOMPARE(m.findLayer("input_1")->inbound.size(), std::size_t(0));
        QCOMPARE(m.findLayer("leaky_re_lu")->config["alpha"].get<double>(), 0.2);
        QCOMPARE(m.storedValueCount(), std::size_t(10 * 16 + 16 + 16 * 8 + 8 + 8 * 3 + 3));
    }

    void keras2WeightsOnly()
    {
        const KerasModel m = KerasReader::readFile(dataPath("keras2_mlp_weights.h5"));
        QCOMPARE(m.format, std::string("keras2-h5-weights"));
        QVERIFY(!m.hasConfig());
        QCOMPARE(layerNames(m), (std::vector<std::string>{"input_1", "dense", "dropout", "dense_1", "leaky_re_lu",
                                                          "dense_2"}));
        QCOMPARE(m.findLayer("dense")->weights[0].path, std::string("/dense/dense/kernel:0"));
        QCOMPARE(m.findLayer("dense_2")->weights[1].shape, (Shape{3}));
        // Same values as the full model file.
        const KerasModel full = KerasReader::readFile(dataPath("keras2_mlp.h5"));
        QCOMPARE(m.findLayer("dense_1")->weights[0].values, full.findLayer("dense_1")->weights[0].values);
        QVERIFY(errorOf([&] { KerasConverter::convert(m); }).contains("missing model_config"));
    }

    void chunkedLayerNames()
    {
        const KerasModel m = KerasReader::readFile(dataPath("keras2_chunked_names.h5"));
        QCOMPARE(layerNames(m), (std::vector<std::string>{"dense", "dense_1", "dense_2"}));
        QCOMPARE(m.findLayer("dense")->weights[0].shape, (Shape{5, 7}));
        QCOMPARE(m.findLayer("dense_2")->weights.size(), std::size_t(0));
    }

    void keras3Sequential()
    {
        const KerasModel m = KerasReader::readFile(dataPath("keras3_cnn.keras"));
        QCOMPARE(m.format, std::string("keras3"));
        QCOMPARE(m.kerasVersion, std::string("3.3.3"));
        QCOMPARE(m.modelClassName, std::string("Sequential"));
        QCOMPARE(m.inputShape, (Shape{4, 6, 2}));
        QCOMPARE(layerNames(m), (std::vector<std::string>{"input_layer", "rescaling", "conv2d", "max_pooling2d",
                                                          "batch_normalization", "flatten", "dropout", "dense"}));
        const KerasLayer* conv = m.findLayer("conv2d");
        QCOMPARE(weightRoles(*conv), (std::vector<std::string>{"kernel", "bias"}));
        QCOMPARE(conv->weights[0].shape, (Shape{3, 3, 2, 3}));
        QCOMPARE(conv->weights[1].path, std::string("/layers/conv2d/vars/1"));
        // center=False: no beta, so the positional variables are gamma, moving_mean, moving_variance.
        QCOMPARE(weightRoles(*m.findLayer("batch_normalization")),
                 (std::vector<std::string>{"gamma", "moving_mean", "moving_variance"}));
        QCOMPARE(m.findLayer("rescaling")->config["scale"].get<double>(), 0.5);
        QCOMPARE(m.storedValueCount(), std::size_t(54 + 3 + 9 + 18 * 4 + 4));
    }

    void keras3FunctionalNamesWeightGroupsByClass()
    {
        const KerasModel m = KerasReader::readFile(dataPath("keras3_mlp.keras"));
        QCOMPARE(m.modelClassName, std::string("Functional"));
        QCOMPARE(m.inputShape, (Shape{5}));
        QCOMPARE(m.findLayer("re_lu")->inbound, (std::vector<std::string>{"hidden"}));
        QCOMPARE(m.outputLayers, (std::vector<std::string>{"softmax"}));
        // Layer "logits" is the third Dense, so Keras 3 stored it under layers/dense_2.
        const KerasLayer* logits = m.findLayer("logits");
        QCOMPARE(logits->weights.size(), std::size_t(2));
        QCOMPARE(logits->weights[0].path, std::string("/layers/dense_2/vars/0"));
        QCOMPARE(logits->weights[0].shape, (Shape{6, 3}));
        QCOMPARE(m.findLayer("hidden_2")->weights[0].shape, (Shape{7, 6}));
    }

    void realResNet8()
    {
        const std::string path = resnetPath();
        if (!QFile::exists(QString::fromStdString(path)))
            QSKIP("the shared ResNet-8 model is not available");
        const KerasModel m = KerasReader::readFile(path);
        QCOMPARE(m.format, std::string("keras2-h5"));
        QCOMPARE(m.kerasVersion, std::string("2.4.0"));
        QCOMPARE(m.modelClassName, std::string("Functional"));
        QCOMPARE(m.inputShape, (Shape{32, 32, 3}));
        QCOMPARE(m.layers.size(), std::size_t(30));
        QCOMPARE(m.storedValueCount(), std::size_t(78666));
        QCOMPARE(m.layers.front().name, std::string("input_1"));
        QCOMPARE(m.layers.back().name, std::string("dense"));
        QCOMPARE(m.findLayer("conv2d")->weights[0].shape, (Shape{3, 3, 3, 16}));
        QCOMPARE(m.findLayer("conv2d_5")->weights[0].shape, (Shape{1, 1, 16, 32}));
        QCOMPARE(m.findLayer("conv2d_8")->weights[0].shape, (Shape{1, 1, 32, 64}));
        QCOMPARE(m.findLayer("dense")->weights[0].shape, (Shape{64, 10}));
        QCOMPARE(weightRoles(*m.findLayer("batch_normalization_6")),
                 (std::vector<std::string>{"gamma", "beta", "moving_mean", "moving_variance"}));
        QCOMPARE(m.findLayer("add")->inbound, (std::vector<std::string>{"activation", "batch_normalization_2"}));
        QCOMPARE(m.findLayer("add")->className, std::string("Add"));
        QCOMPARE(m.findLayer("average_pooling2d")->className, std::string("AveragePooling2D"));
        // Moving variances are positive in a trained model; a misread dataset would show otherwise.
        for (float v : m.findLayer("batch_normalization")->weight("moving_variance")->values)
            QVERIFY(v > 0.0f);
        const QString error = errorOf([&] { KerasConverter::convert(m); });
        QVERIFY2(error.contains("functional model with branches (Add at layer 'add') cannot be converted to a "
                                "sequential model yet"),
                 qPrintable(error));
        // What Keras' model.summary() says: 78,186 trainable, 480 BN statistics.
        QCOMPARE(m.trainableValueCount(), std::size_t(78186));
        const std::string summary = m.summary();
        QVERIFY(summary.find("Stored values: 78,666") != std::string::npos);
        QVERIFY(summary.find("Non-trainable: 480") != std::string::npos);
        QVERIFY(summary.find("add (Add)") != std::string::npos);
    }

    void badFiles_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("message");
        QTest::newRow("not hdf5") << "broken/not_hdf5.h5" << "not an HDF5 file";
        QTest::newRow("no model_config") << "broken/no_config.h5" << "missing model_config";
        QTest::newRow("missing weight") << "broken/missing_weight.h5" << "missing weight \"dense/bias:0\"";
        QTest::newRow("truncated zip") << "broken/truncated.keras" << "truncated";
        QTest::newRow("no such file") << "broken/does_not_exist.h5" << "cannot open the file";
        // keras2_cnn.h5 with a few bytes changed by tests/core/io/test_parser_fuzz.cpp: libhdf5
        // 1.10.8 itself dies of SIGSEGV in H5HG_read reading its model_config attribute.
        QTest::newRow("crashes libhdf5") << "broken/fuzz_heap_crash.h5" << "the HDF5 library crashed";
    }

    void badFiles()
    {
        QFETCH(QString, file);
        QFETCH(QString, message);
        const std::string path = dataPath(file.toStdString().c_str());
        const QString error = errorOf([&] { KerasReader::readFile(path); });
        QVERIFY2(error.contains(message), qPrintable(error));
        QVERIFY2(error.contains(QString::fromStdString(path)), qPrintable("the message names the file: " + error));
    }

    void shapeMismatchIsReportedOnConversion()
    {
        const KerasModel m = KerasReader::readFile(dataPath("broken/shape_mismatch.h5"));
        const QString error = errorOf([&] { KerasConverter::convert(m); });
        QVERIFY2(error.startsWith(QString::fromStdString(dataPath("broken/shape_mismatch.h5") + ": ")), qPrintable(error));
        QVERIFY2(error.contains("layer 'dense' (Dense)") && error.contains("\"kernel\" has shape (37, 5)")
                     && error.contains("need (36, 5)"),
                 qPrintable(error));
    }

    // Every prefix of a valid file is either read or rejected with an exception, never a crash.
    void truncatedFilesNeverCrash_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("keras2 h5") << "keras2_cnn.h5";
        QTest::newRow("keras3 zip") << "keras3_cnn.keras";
    }

    void truncatedFilesNeverCrash()
    {
        QFETCH(QString, file);
        const std::vector<char> bytes = readBytes(dataPath(file.toStdString().c_str()));
        QVERIFY(bytes.size() > 1000);
        QTemporaryDir dir;
        const std::string path = dir.filePath("cut" + QFileInfo(file).suffix().prepend('.')).toStdString();
        int rejected = 0;
        for (std::size_t length : {std::size_t(0), std::size_t(4), std::size_t(8), std::size_t(100), std::size_t(512),
                                   bytes.size() / 3, bytes.size() / 2, bytes.size() - 200, bytes.size() - 1}) {
            {
                std::ofstream out(path, std::ios::binary | std::ios::trunc);
                out.write(bytes.data(), static_cast<std::streamsize>(length));
            }
            try {
                KerasReader::readFile(path);
            } catch (const std::exception& e) {
                QVERIFY(std::string(e.what()).size() > 10);
                ++rejected;
            }
        }
        QVERIFY(rejected >= 5);
    }

    void garbageAfterZipSignature()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("garbage.keras").toStdString();
        {
            std::ofstream out(path, std::ios::binary);
            out << "PK\x03\x04 this is not really a zip archive";
        }
        const QString error = errorOf([&] { KerasReader::readFile(path); });
        QVERIFY2(error.contains("not a readable .keras archive"), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestKerasReader)
#include "test_keras_reader.moc"
