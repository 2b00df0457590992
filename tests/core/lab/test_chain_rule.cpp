// Chain rule for one Dense weight: the explained numbers add up to the engine's gradient.

#include <QtTest>

#include <cmath>

#include "core/data/dataset.h"
#include "core/lab/backprop_debugger.h"
#include "core/lab/chain_rule.h"
#include "core/losses/loss.h"
#include "core/model/model.h"

using namespace layerlens::core;

namespace {

// |total - engine| within 1e-5 of the size of what was summed (float accumulation in the engine).
void verifyMatches(const ChainRule& rule)
{
    double magnitude = std::abs(static_cast<double>(rule.engine));
    double sumAbs = 0;
    for (const auto& t : rule.terms)
        sumAbs += std::abs(t.product);
    magnitude = std::max(magnitude, sumAbs);
    QVERIFY2(std::abs(rule.total - rule.engine) <= 1e-5 * magnitude + 1e-12,
             qPrintable(QString::fromStdString(rule.text())));
}

Model forwardBackward(const std::string& hidden, const std::string& output, int batch, Tensor& x)
{
    nlohmann::json layers = nlohmann::json::array();
    layers.push_back({{"type", "Dense"}, {"units", 4}, {"activation", hidden}});
    layers.push_back({{"type", "Dense"}, {"units", 3}, {"activation", hidden}});
    layers.push_back({{"type", "Dense"}, {"units", 2}, {"activation", output}});
    Model model = Model::fromJson({{"input_shape", {3}}, {"layers", layers}});
    model.build(5);
    Rng rng(9);
    x = Tensor({batch, 3});
    for (std::size_t i = 0; i < x.size(); ++i)
        x[i] = rng.uniform(-1.5f, 1.5f);
    Tensor target({batch, 2});
    for (int n = 0; n < batch; ++n)
        target[static_cast<std::size_t>(2 * n + n % 2)] = 1.0f;
    const Tensor& out = model.forward(x, true);
    auto loss = Loss::create(output == "softmax" ? "categorical_crossentropy" : "mse");
    Tensor gradient;
    loss->gradient(out, target, gradient);
    model.backward(gradient);
    return model;
}

}  // namespace

class TestChainRule : public QObject {
    Q_OBJECT
private slots:
    void matchesEngine_data()
    {
        QTest::addColumn<QString>("hidden");
        QTest::addColumn<QString>("output");
        QTest::addColumn<int>("batch");
        QTest::newRow("sigmoid, one sample") << "sigmoid" << "sigmoid" << 1;
        QTest::newRow("sigmoid, batch 6") << "sigmoid" << "linear" << 6;
        QTest::newRow("tanh, softmax output") << "tanh" << "softmax" << 5;
        QTest::newRow("relu") << "relu" << "linear" << 7;
        QTest::newRow("elu") << "elu" << "sigmoid" << 4;
    }
    void matchesEngine()
    {
        QFETCH(QString, hidden);
        QFETCH(QString, output);
        QFETCH(int, batch);
        Tensor x;
        Model model = forwardBackward(hidden.toStdString(), output.toStdString(), batch, x);
        int explained = 0;
        for (int layer = 0; layer < model.layerCount(); ++layer) {
            if (model.layer(layer).type() != "Dense")
                continue;
            const Tensor& kernel = model.layer(layer).parameters()[0]->value;
            for (int j = 0; j < kernel.dim(0); ++j)
                for (int i = -1; i < kernel.dim(1); ++i) {
                    const ChainRule rule = explainDenseWeight(model, layer, j, i);
                    QCOMPARE(static_cast<int>(rule.terms.size()), batch);
                    verifyMatches(rule);
                    ++explained;
                }
        }
        QCOMPARE(explained, 4 * 4 + 3 * 5 + 2 * 4);
    }

    void termsAreTheChainRuleFactors()
    {
        Tensor x;
        Model model = forwardBackward("sigmoid", "sigmoid", 3, x);
        const ChainRule rule = explainDenseWeight(model, 0, 2, 1);
        QCOMPARE(rule.activationName, std::string("sigmoid"));
        QCOMPARE(rule.activationLayer, 1);
        for (const auto& t : rule.terms) {
            const auto n = static_cast<std::size_t>(t.sample);
            QCOMPARE(t.input, x[n * 3 + 1]);                              // dz/dw = a_i
            const float a = model.output(1)[n * 4 + 2];
            QVERIFY(std::abs(t.dadz - a * (1 - a)) < 1e-6f);               // sigmoid'
            QCOMPARE(t.dLda, model.gradientAtOutput(1)[n * 4 + 2]);        // from above
        }
    }

    void textOfOneSample()
    {
        Tensor x;
        Model model = forwardBackward("sigmoid", "sigmoid", 1, x);
        const ChainRule rule = explainDenseWeight(model, 2, 1, 0);
        const QString text = QString::fromStdString(rule.text());
        const QRegularExpression pattern(
            "dL/dw = dL/da · da/dz · dz/dw = (\\S+) · (\\S+) · (\\S+) = (\\S+) \\(engine: (\\S+)\\)");
        const auto match = pattern.match(text);
        QVERIFY2(match.hasMatch(), qPrintable(text));
        const double product = match.captured(1).toDouble() * match.captured(2).toDouble() * match.captured(3).toDouble();
        QVERIFY(std::abs(product - match.captured(4).toDouble()) <= 2e-3 * std::abs(match.captured(4).toDouble()) + 1e-9);
        QVERIFY(std::abs(match.captured(5).toDouble() - rule.engine) <= 1e-3 * std::abs(rule.engine) + 1e-9);
    }

    void worksMidBackwardInTheDebugger()
    {
        auto data = loadDataset("spiral?n=40&classes=3&seed=2");
        nlohmann::json layers = nlohmann::json::array();
        layers.push_back({{"type", "Dense"}, {"units", 5}, {"activation", "sigmoid"}});
        layers.push_back({{"type", "Dense"}, {"units", 3}});
        auto model = std::make_shared<Model>(Model::fromJson({{"input_shape", {2}}, {"layers", layers}}));
        BackpropDebuggerSettings s;
        s.batchSize = 8;
        BackpropDebugger debugger(model, data, s);
        for (int i = 0; i < 3 + 1 + 1; ++i)  // forward x3, loss, backward of the last Dense
            debugger.stepLayer();
        QCOMPARE(debugger.phase(), TrainPhase::Backward);
        QCOMPARE(debugger.phaseLayer(), 2);
        verifyMatches(explainDenseWeight(*model, 2, 1, 3));
        QVERIFY_THROWS_EXCEPTION(std::logic_error, explainDenseWeight(*model, 0, 0, 0));  // not reached yet
        debugger.stepLayer();
        debugger.stepLayer();
        verifyMatches(explainDenseWeight(*model, 0, 4, 1));
    }

    void rejectsBadRequests()
    {
        Tensor x;
        Model model = forwardBackward("relu", "linear", 2, x);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, explainDenseWeight(model, 1, 0, 0));  // Activation layer
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, explainDenseWeight(model, 0, 4, 0));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, explainDenseWeight(model, 0, 0, 3));
    }
};

QTEST_GUILESS_MAIN(TestChainRule)
#include "test_chain_rule.moc"
