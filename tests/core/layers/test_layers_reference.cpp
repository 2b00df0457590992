// Forward/backward of every layer against references computed by PyTorch
// (tests/data/layers/make_fixtures.py -> layer_references.json). Tolerance: |ours - torch| <=
// 1e-4 * max(1, |torch|) for outputs, input gradients, parameter gradients and running statistics.

#include <QtTest>

#include <cmath>
#include <fstream>

#include "core/layers/layer.h"
#include "core/model/layer_factory.h"

using namespace layerlens::core;

namespace {
constexpr double kTolerance = 1e-4;

Tensor tensorFrom(const nlohmann::json& values, const Shape& shape)
{
    return Tensor(shape, values.get<std::vector<float>>());
}

// Returns an empty string when equal within tolerance, else the first mismatch.
std::string compare(const Tensor& ours, const nlohmann::json& expected, const std::string& what)
{
    const auto values = expected.get<std::vector<float>>();
    if (values.size() != ours.size())
        return what + ": " + std::to_string(ours.size()) + " values, expected " + std::to_string(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double diff = std::fabs(static_cast<double>(ours[i]) - values[i]);
        if (!(diff <= kTolerance * std::max(1.0, std::fabs(static_cast<double>(values[i])))))
            return what + "[" + std::to_string(i) + "]: ours " + std::to_string(ours[i]) + ", torch "
                + std::to_string(values[i]);
    }
    return {};
}
}  // namespace

class TestLayersReference : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        std::ifstream in(LAYERLENS_TEST_DATA_DIR "/layers/layer_references.json");
        QVERIFY2(in.good(), "layer_references.json missing; run tests/data/layers/make_fixtures.py");
        m_cases = nlohmann::json::parse(in)["cases"];
        QVERIFY(m_cases.size() >= 20);
    }

    void matchesPyTorch_data()
    {
        QTest::addColumn<int>("index");
        for (std::size_t i = 0; i < m_cases.size(); ++i)
            QTest::newRow(m_cases[i]["name"].get<std::string>().c_str()) << static_cast<int>(i);
    }

    void matchesPyTorch()
    {
        QFETCH(int, index);
        const nlohmann::json& c = m_cases[static_cast<std::size_t>(index)];
        auto layers = createLayers(c["layer"]);
        QCOMPARE(layers.size(), std::size_t(1));
        Layer& layer = *layers[0];
        const Shape batchShape = c["input_shape"].get<Shape>();
        const Shape sampleShape(batchShape.begin() + 1, batchShape.end());
        Rng rng(7);
        layer.build(sampleShape, rng);

        for (Parameter* p : layer.parameters()) {
            QVERIFY2(c["params"].contains(p->name), p->name.c_str());
            p->value = tensorFrom(c["params"][p->name], p->value.shape());
        }
        QCOMPARE(layer.parameters().size(), c["params"].size());
        if (c.contains("buffers"))
            for (Parameter* b : layer.buffers())
                b->value = tensorFrom(c["buffers"][b->name], b->value.shape());

        const Tensor input = tensorFrom(c["input"], batchShape);
        Tensor output;
        layer.forward(input, output, c["training"].get<bool>());
        QCOMPARE(output.shape(), [&] {
            Shape s {batchShape[0]};
            for (int d : layer.outputShape(sampleShape))
                s.push_back(d);
            return s;
        }());
        std::string error = compare(output, c["output"], "output");
        QVERIFY2(error.empty(), error.c_str());

        const Tensor gradOutput = tensorFrom(c["grad_output"], output.shape());
        Tensor gradInput;
        layer.backward(input, output, gradOutput, gradInput);
        QCOMPARE(gradInput.shape(), batchShape);
        error = compare(gradInput, c["grad_input"], "grad_input");
        QVERIFY2(error.empty(), error.c_str());
        for (Parameter* p : layer.parameters()) {
            error = compare(p->grad, c["param_grads"][p->name], p->name + " grad");
            QVERIFY2(error.empty(), error.c_str());
        }
        if (c.contains("buffers_after"))
            for (Parameter* b : layer.buffers()) {
                error = compare(b->value, c["buffers_after"][b->name], b->name);
                QVERIFY2(error.empty(), error.c_str());
            }
    }

private:
    nlohmann::json m_cases;
};

QTEST_APPLESS_MAIN(TestLayersReference)
#include "test_layers_reference.moc"
