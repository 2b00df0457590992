// NetworkGraphView: one item per neuron and per weight, and a click on a weight shows its chain
// rule with the engine's gradient.

#include <QtTest>

#include <QTextBrowser>

#include "core/data/dataset.h"
#include "core/lab/backprop_debugger.h"
#include "core/lab/chain_rule.h"
#include "ui/views/network_graph_view.h"

using namespace layerlens;

namespace {

std::shared_ptr<core::Model> smallMlp()
{
    nlohmann::json layers = nlohmann::json::array();
    layers.push_back({{"type", "Dense"}, {"units", 4}, {"activation", "sigmoid"}});
    layers.push_back({{"type", "Dense"}, {"units", 3}, {"activation", "tanh"}});
    layers.push_back({{"type", "Dense"}, {"units", 3}});
    return std::make_shared<core::Model>(core::Model::fromJson({{"input_shape", {2}}, {"layers", layers}}));
}

}  // namespace

class TestNetworkGraphView : public QObject {
    Q_OBJECT
private slots:
    void itemsAndChainRule()
    {
        auto data = core::loadDataset("spiral?n=60&classes=3&seed=2");
        auto model = smallMlp();
        core::BackpropDebuggerSettings settings;
        settings.batchSize = 4;
        core::BackpropDebugger debugger(model, data, settings);
        ui::NetworkGraphView view;
        view.resize(900, 600);
        view.setDebugger(&debugger);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(view.isSupported());
        QCOMPARE(view.neuronItemCount(), 2 + 4 + 3 + 3);
        QCOMPARE(view.weightItemCount(), 2 * 4 + 4 * 3 + 3 * 3);

        // Run to the backward pass of the first Dense layer: every gradient is there.
        while (!(debugger.phase() == core::TrainPhase::Backward && debugger.phaseLayer() == 0))
            debugger.stepLayer();
        view.refresh();

        QSignalSpy clicked(&view, &ui::NetworkGraphView::weightClicked);
        const QPoint at = view.weightPosition(2, 1, 3);  // second Dense layer: input 3 -> unit 1
        QVERIFY(at.x() >= 0);
        QTest::mouseClick(view.canvasViewport(), Qt::LeftButton, {}, at);
        QCOMPARE(clicked.size(), 1);
        QCOMPARE(clicked.first().at(0).toInt(), 2);
        QCOMPARE(clicked.first().at(1).toInt(), 1);
        QCOMPARE(clicked.first().at(2).toInt(), 3);
        const QString text = view.chainRuleText();
        const float engine = model->layer(2).parameters()[0]->grad[1 * 4 + 3];
        const QString expected = QString::fromStdString(core::formatLabNumber(engine));
        QVERIFY2(text.contains("(engine: " + expected + ")"), qPrintable(text + "\nexpected engine " + expected));
        // The sum the text shows is the chain rule's, and it equals the engine's value.
        const auto match = QRegularExpression("dL/dw = (\\S+) \\(engine: (\\S+)\\)$").match(text);
        QVERIFY2(match.hasMatch(), qPrintable(text));
        QVERIFY(std::abs(match.captured(1).toDouble() - engine) <= 1e-3 * std::abs(engine) + 1e-9);
        QVERIFY(view.grab().save("/tmp/layerlens_network_graph.png"));
    }

    void beforeTheBackwardPassExplainsWhy()
    {
        auto data = core::loadDataset("spiral?n=60&classes=3&seed=2");
        auto model = smallMlp();
        core::BackpropDebugger debugger(model, data, {});
        ui::NetworkGraphView view;
        view.setDebugger(&debugger);
        debugger.stepLayer();
        view.refresh();
        view.selectWeight(0, 0, 0);
        QVERIFY(view.chainRuleText().contains("backward pass"));
    }

    void refusesBigOrConvolutionalModels()
    {
        auto big = std::make_shared<core::Model>(core::Model::fromJson(
            {{"input_shape", {2}}, {"layers", {{{"type", "Dense"}, {"units", 200}}, {{"type", "Dense"}, {"units", 2}}}}}));
        big->build(1);
        ui::NetworkGraphView view;
        view.setModel(big.get());
        QVERIFY(!view.isSupported());
        QCOMPARE(view.neuronItemCount(), 0);
    }
};

QTEST_MAIN(TestNetworkGraphView)
#include "test_network_graph_view.moc"
