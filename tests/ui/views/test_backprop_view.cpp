// BackpropView: F10 advances the phase, step-back returns to the start of the batch with the
// parameters it began with, panels show tables or heatmaps, running to the next epoch.

#include <QtTest>

#include <QTabWidget>
#include <QTableWidget>
#include <cstring>

#include "core/data/dataset.h"
#include "core/lab/backprop_debugger.h"
#include "ui/views/backprop_view.h"
#include "ui/views/network_graph_view.h"
#include "ui/widgets/phase_strip.h"
#include "ui/widgets/tensor_panel.h"

using namespace layerlens;

namespace {

std::shared_ptr<core::Model> mlp(const std::vector<int>& hidden)
{
    nlohmann::json layers = nlohmann::json::array();
    for (int units : hidden)
        layers.push_back({{"type", "Dense"}, {"units", units}, {"activation", "relu"}});
    layers.push_back({{"type", "Dense"}, {"units", 3}});
    return std::make_shared<core::Model>(core::Model::fromJson({{"input_shape", {2}}, {"layers", layers}}));
}

std::vector<core::Tensor> copyParameters(core::Model& model)
{
    std::vector<core::Tensor> copy;
    for (core::Parameter* p : model.parameters())
        copy.push_back(p->value);
    return copy;
}

bool sameBits(core::Model& model, const std::vector<core::Tensor>& values)
{
    const auto params = model.parameters();
    for (std::size_t i = 0; i < params.size(); ++i)
        if (std::memcmp(params[i]->value.data(), values[i].data(), values[i].size() * sizeof(float)) != 0)
            return false;
    return true;
}

}  // namespace

class TestBackpropView : public QObject {
    Q_OBJECT
private slots:
    void f10StepsAndStepBackRestores()
    {
        auto data = core::loadDataset("spiral?n=90&classes=3&seed=2");
        auto model = mlp({6});
        core::BackpropDebuggerSettings settings;
        settings.batchSize = 5;
        settings.optimizer.kind = "adam";
        settings.optimizer.learningRate = 0.05f;
        core::BackpropDebugger debugger(model, data, settings);
        ui::BackpropView view;
        view.resize(1200, 800);
        view.setDebugger(&debugger);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const auto before = copyParameters(*model);
        const int layers = model->layerCount();  // Dense, Activation, Dense

        QTest::keyClick(&view, Qt::Key_F10);
        QCOMPARE(debugger.phase(), core::TrainPhase::Forward);
        QCOMPARE(view.phaseStrip()->currentChip(), 0);
        QVERIFY(view.phaseText().startsWith("Forward · layer 0"));
        QCOMPARE(view.selectedLayer(), 0);
        // Forward of layer 0: input and output are there, gradients not yet.
        QCOMPARE(view.panels()[0]->mode(), ui::TensorPanel::Mode::Table);
        QCOMPARE(view.panels()[1]->mode(), ui::TensorPanel::Mode::Table);
        QCOMPARE(view.panels()[2]->mode(), ui::TensorPanel::Mode::Placeholder);
        QCOMPARE(view.panels()[4]->mode(), ui::TensorPanel::Mode::Placeholder);
        // The table shows the engine's numbers: sample 1, unit 2 of the first layer's output.
        const auto* cell = view.panels()[1]->table()->item(0, 2);
        QVERIFY(cell);
        QCOMPARE(cell->data(Qt::UserRole).toFloat(), model->output(0)[2]);

        for (int k = 1; k < layers; ++k)
            QTest::keyClick(&view, Qt::Key_F10);
        QTest::keyClick(&view, Qt::Key_F10);
        QCOMPARE(debugger.phase(), core::TrainPhase::Loss);
        QCOMPARE(view.phaseStrip()->currentChip(), layers);
        for (int k = 0; k < layers; ++k)
            QTest::keyClick(&view, Qt::Key_F10);
        QCOMPARE(debugger.phase(), core::TrainPhase::Backward);
        QCOMPARE(debugger.phaseLayer(), 0);
        QCOMPARE(view.panels()[4]->mode(), ui::TensorPanel::Mode::Table);  // dL/dW of the first Dense (6 x 2)
        QTest::keyClick(&view, Qt::Key_F10);
        QCOMPARE(debugger.phase(), core::TrainPhase::Update);
        QCOMPARE(view.panels()[6]->mode(), ui::TensorPanel::Mode::Table);  // ΔW
        QVERIFY(!sameBits(*model, before));
        QVERIFY(view.grab().save("/tmp/layerlens_backprop_update.png"));
        auto* tabs = view.findChild<QTabWidget*>();
        QVERIFY(tabs);
        tabs->setCurrentIndex(1);
        QVERIFY(view.grab().save("/tmp/layerlens_backprop_network.png"));
        tabs->setCurrentIndex(0);

        QTest::keyClick(&view, Qt::Key_F5, Qt::ShiftModifier);
        QCOMPARE(debugger.phase(), core::TrainPhase::Idle);
        QCOMPARE(debugger.step(), 0LL);
        QVERIFY(sameBits(*model, before));
        QCOMPARE(view.phaseStrip()->currentChip(), -1);

        // The same batch again, run to the end of the step with F5.
        QTest::keyClick(&view, Qt::Key_F5);
        QCOMPARE(debugger.phase(), core::TrainPhase::Update);
        QCOMPARE(debugger.step(), 1LL);
        QCOMPARE(debugger.batchIndex(), 0LL);
    }

    void runsToTheNextEpoch()
    {
        auto data = core::loadDataset("spiral?n=90&classes=3&seed=2");
        auto model = mlp({8, 8});
        core::BackpropDebuggerSettings settings;
        settings.batchSize = 10;
        core::BackpropDebugger debugger(model, data, settings);
        ui::BackpropView view;
        view.setDebugger(&debugger);
        view.stepLayer();
        view.runToNextEpoch();
        QTRY_COMPARE_WITH_TIMEOUT(debugger.epoch(), 1, 10000);
        QTRY_VERIFY(!view.isRunning());
        QCOMPARE(debugger.step(), 9LL);
    }

    void bigTensorsAsHeatmaps()
    {
        auto data = core::loadDataset("spiral?n=90&classes=3&seed=2");
        auto model = mlp({40, 40});
        core::BackpropDebuggerSettings settings;
        settings.batchSize = 16;
        core::BackpropDebugger debugger(model, data, settings);
        ui::BackpropView view;
        view.resize(1200, 800);
        view.setDebugger(&debugger);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        for (int k = 0; k < 5 + 1 + 3; ++k)  // forward of 5 layers, loss, backward of layers 4, 3, 2
            view.stepLayer();
        view.selectLayer(2);  // Dense 40 -> 40
        QCOMPARE(view.panels()[1]->mode(), ui::TensorPanel::Mode::Heatmap);
        QCOMPARE(view.panels()[4]->mode(), ui::TensorPanel::Mode::Heatmap);
        QVERIFY(view.grab().save("/tmp/layerlens_backprop_heatmaps.png"));
        auto* tabs = view.findChild<QTabWidget*>();
        QVERIFY(tabs);
        tabs->setCurrentIndex(1);  // 2 + 40 + 40 + 3 neurons: too many for the graph, which says so
        QVERIFY(view.grab().save("/tmp/layerlens_backprop_graph_note.png"));
    }

    void convolutionalNetwork()
    {
        auto data = core::loadDataset("shapes?n=40&size=16");
        nlohmann::json layers = nlohmann::json::array();
        layers.push_back({{"type", "Conv2D"}, {"filters", 4}, {"kernel_size", 3}, {"padding", "same"}, {"activation", "relu"}});
        layers.push_back({{"type", "MaxPool2D"}, {"pool_size", 2}});
        layers.push_back({{"type", "Flatten"}});
        layers.push_back({{"type", "Dense"}, {"units", data->classCount()}});
        auto model = std::make_shared<core::Model>(core::Model::fromJson({{"input_shape", data->sampleShape()}, {"layers", layers}}));
        ui::BackpropView view;
        view.resize(1200, 800);
        core::BackpropDebuggerSettings settings;
        settings.batchSize = 4;
        QVERIFY(view.debug(model, data, settings));
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const int phases = 2 * model->layerCount() + 1;  // up to the backward pass of layer 0
        for (int k = 0; k < phases; ++k)
            view.stepLayer();
        QCOMPARE(view.debugger()->phase(), core::TrainPhase::Backward);
        QCOMPARE(view.selectedLayer(), 0);
        QCOMPARE(view.panels()[0]->mode(), ui::TensorPanel::Mode::Heatmap);  // (4, C, 16, 16) images
        QCOMPARE(view.panels()[1]->mode(), ui::TensorPanel::Mode::Heatmap);  // 4 feature maps
        QCOMPARE(view.panels()[4]->mode(), ui::TensorPanel::Mode::Heatmap);  // (4, C, 3, 3) kernel gradient
        QVERIFY(view.grab().save("/tmp/layerlens_backprop_conv.png"));
        view.findChild<QTabWidget*>()->setCurrentIndex(1);
        QVERIFY(!view.networkGraph()->isSupported());
    }

    void ownsADebuggerWhenAskedTo()
    {
        ui::BackpropView view;
        core::BackpropDebuggerSettings settings;
        settings.batchSize = 4;
        QVERIFY(view.debug(mlp({5}), core::loadDataset("spiral?n=30&classes=3"), settings));
        view.stepLayer();
        QVERIFY(view.phaseText().startsWith("Forward · layer 0"));
        QVERIFY(!view.debug(mlp({5}), core::loadDataset("shapes?n=10&size=8"), settings));  // images into a 2-input MLP
        QVERIFY(view.debugger() == nullptr);
    }

    void withoutDebugger()
    {
        ui::BackpropView view;
        QTest::keyClick(&view, Qt::Key_F10);  // nothing to do, nothing breaks
        QVERIFY(view.phaseText().isEmpty());
    }
};

QTEST_MAIN(TestBackpropView)
#include "test_backprop_view.moc"
