// A LeNet-5 trained by PyTorch on Fashion-MNIST and exported to ONNX (fixture made by
// tests/data/onnx/fashion_lenet/make_fixture.py): LayerLens must give PyTorch's logits and
// PyTorch's test-set accuracy on the real 10,000 test images.

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <string>

#include <nlohmann/json.hpp>

#include "core/data/dataset.h"
#include "core/io/npy.h"
#include "core/onnx/onnx_model.h"

using namespace layerlens::core;
namespace fs = std::filesystem;

namespace {

const fs::path kFixtureDir = fs::path(LAYERLENS_TEST_DATA_DIR) / "onnx" / "fashion_lenet";

// Runs images [begin, begin + count) of the dataset through the model; returns (count, 10) logits.
OnnxTensor runImages(const OnnxModel& model, const Dataset& data, std::size_t begin, std::size_t count)
{
    const std::size_t sampleSize = data.sampleSize();
    std::vector<float> pixels(count * sampleSize);
    for (std::size_t i = 0; i < count; ++i)
        data.copySample(begin + i, pixels.data() + i * sampleSize);
    OnnxTensor input = OnnxTensor::makeFloat({static_cast<std::int64_t>(count), 1, 28, 28}, std::move(pixels));
    const OnnxTensorMap outputs = model.run({{model.inputs()[0].name, input}});
    return outputs.at(model.outputs()[0].name);
}

}  // namespace

class TestOnnxFashionLenet : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(fs::exists(kFixtureDir / "model.onnx"), "fixture missing: run make_fixture.py");
        try {
            m_test = loadDataset("fashion-mnist:test");
        } catch (const std::exception& error) {
            QSKIP(qPrintable(QStringLiteral("Fashion-MNIST is not installed (Debian package dataset-fashion-mnist): %1").arg(error.what())));
        }
    }

    void logitsMatchPyTorch()
    {
        const OnnxModel model = OnnxModel::load((kFixtureDir / "model.onnx").string());
        const Tensor expected = readNpy((kFixtureDir / "logits.npy").string());
        QCOMPARE(expected.shape(), (Shape{64, 10}));
        const OnnxTensor logits = runImages(model, *m_test, 0, 64);
        QCOMPARE(logits.shape, (OnnxShape{64, 10}));
        double worst = 0.0;
        for (std::size_t i = 0; i < expected.size(); ++i) {
            const double e = expected.data()[i];
            worst = std::max(worst, std::fabs(logits.floats[i] - e) / (1e-4 + 1e-4 * std::fabs(e)));
        }
        QVERIFY2(worst <= 1.0, qPrintable(QStringLiteral("logits differ from PyTorch's by %1 x the 1e-4 tolerance").arg(worst)));
    }

    void testAccuracyMatchesPyTorch()
    {
        std::ifstream file(kFixtureDir / "reference.json");
        const nlohmann::json reference = nlohmann::json::parse(file);
        const OnnxModel model = OnnxModel::load((kFixtureDir / "model.onnx").string());
        QCOMPARE(m_test->size(), reference.at("test_images").get<std::size_t>());

        int correct = 0;
        constexpr std::size_t kBatch = 500;
        for (std::size_t begin = 0; begin < m_test->size(); begin += kBatch) {
            const std::size_t count = std::min(kBatch, m_test->size() - begin);
            const OnnxTensor logits = runImages(model, *m_test, begin, count);
            for (std::size_t i = 0; i < count; ++i) {
                const float* row = logits.floats.data() + i * 10;
                const int predicted = static_cast<int>(std::max_element(row, row + 10) - row);
                correct += predicted == m_test->label(begin + i) ? 1 : 0;
            }
        }
        qInfo("LayerLens: %d / %zu correct; PyTorch: %d", correct, m_test->size(), reference.at("correct").get<int>());
        QCOMPARE(correct, reference.at("correct").get<int>());
    }

private:
    DatasetPtr m_test;
};

QTEST_GUILESS_MAIN(TestOnnxFashionLenet)
#include "test_onnx_fashion_lenet.moc"
