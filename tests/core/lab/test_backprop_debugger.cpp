// BackpropDebugger: the phase sequence, layer-stepping equals an ordinary step (and the
// trainer's step) bit for bit, stepping back restores everything, running to the next epoch.

#include <QtTest>

#include <cstring>
#include <memory>

#include "core/data/dataset.h"
#include "core/lab/backprop_debugger.h"
#include "core/model/model.h"
#include "core/train/trainer.h"

using namespace layerlens::core;

namespace {

std::shared_ptr<Model> mlp(const nlohmann::json& layers, int inputs = 2)
{
    auto model = std::make_shared<Model>(Model::fromJson({{"input_shape", {inputs}}, {"layers", layers}}));
    model->build(7);
    return model;
}

nlohmann::json smallLayers(bool dropout = false)
{
    nlohmann::json layers = nlohmann::json::array();
    layers.push_back({{"type", "Dense"}, {"units", 8}, {"activation", "tanh"}});
    if (dropout)
        layers.push_back({{"type", "Dropout"}, {"rate", 0.3}});
    layers.push_back({{"type", "Dense"}, {"units", 6}, {"activation", "relu"}});
    layers.push_back({{"type", "Dense"}, {"units", 3}});
    return layers;
}

bool sameBits(Model& a, Model& b)
{
    const auto pa = a.parameters(), pb = b.parameters();
    if (pa.size() != pb.size())
        return false;
    for (std::size_t i = 0; i < pa.size(); ++i)
        if (pa[i]->value.size() != pb[i]->value.size()
            || std::memcmp(pa[i]->value.data(), pb[i]->value.data(), pa[i]->value.size() * sizeof(float)) != 0)
            return false;
    return true;
}

BackpropDebuggerSettings settings(const std::string& optimizer, int batch)
{
    BackpropDebuggerSettings s;
    s.batchSize = batch;
    s.seed = 11;
    s.optimizer.kind = optimizer;
    s.optimizer.learningRate = 0.05f;
    return s;
}

}  // namespace

class TestBackpropDebugger : public QObject {
    Q_OBJECT
private slots:
    void phaseSequence()
    {
        auto data = loadDataset("spiral?n=60&classes=3&seed=2");
        auto model = mlp(smallLayers());
        BackpropDebugger debugger(model, data, settings("sgd", 10));
        const int layers = model->layerCount();  // Dense, Act, Dense, Act, Dense = 5
        QCOMPARE(layers, 5);
        QCOMPARE(debugger.phase(), TrainPhase::Idle);
        for (int i = 0; i < layers; ++i) {
            debugger.stepLayer();
            QCOMPARE(debugger.phase(), TrainPhase::Forward);
            QCOMPARE(debugger.phaseLayer(), i);
            QVERIFY(debugger.outputReady(i));
            QVERIFY(i + 1 == layers || !debugger.outputReady(i + 1));
            QVERIFY(!debugger.inputGradientReady(i));
        }
        debugger.stepLayer();
        QCOMPARE(debugger.phase(), TrainPhase::Loss);
        QVERIFY(debugger.lossValue() > 0);
        QVERIFY(debugger.outputGradientReady(layers - 1));
        QVERIFY(!debugger.outputGradientReady(layers - 2));
        for (int i = layers - 1; i >= 0; --i) {
            debugger.stepLayer();
            QCOMPARE(debugger.phase(), TrainPhase::Backward);
            QCOMPARE(debugger.phaseLayer(), i);
            QVERIFY(debugger.inputGradientReady(i));
            QVERIFY(i == 0 || !debugger.inputGradientReady(i - 1));
            QVERIFY(debugger.phaseText().starts_with("Backward · layer " + std::to_string(i)));
        }
        QCOMPARE(debugger.step(), 0LL);
        debugger.stepLayer();
        QCOMPARE(debugger.phase(), TrainPhase::Update);
        QCOMPARE(debugger.step(), 1LL);
        QCOMPARE(debugger.updates().size(), model->parameters().size());
        debugger.stepLayer();  // next batch
        QCOMPARE(debugger.phase(), TrainPhase::Forward);
        QCOMPARE(debugger.phaseLayer(), 0);
        QCOMPARE(debugger.batchIndex(), 1LL);
    }

    void layerSteppingEqualsOrdinaryStep_data()
    {
        QTest::addColumn<QString>("optimizer");
        QTest::newRow("sgd") << "sgd";
        QTest::newRow("momentum") << "momentum";
        QTest::newRow("adam") << "adam";
    }
    void layerSteppingEqualsOrdinaryStep()
    {
        QFETCH(QString, optimizer);
        auto data = loadDataset("spiral?n=60&classes=3&seed=2");
        auto a = mlp(smallLayers());
        auto b = mlp(smallLayers());
        BackpropDebugger stepped(a, data, settings(optimizer.toStdString(), 16));
        BackpropDebugger ordinary(b, data, settings(optimizer.toStdString(), 16));
        for (int batch = 0; batch < 6; ++batch) {  // crosses an epoch boundary (4 batches per epoch)
            int phases = 0;
            do {
                stepped.stepLayer();
                ++phases;
            } while (stepped.phase() != TrainPhase::Update);
            QCOMPARE(phases, 2 * a->layerCount() + 2);
            ordinary.trainStep();
            QVERIFY2(sameBits(*a, *b), qPrintable(QString("batch %1 differs").arg(batch)));
            QCOMPARE(stepped.lossValue(), ordinary.lossValue());
        }
        QCOMPARE(stepped.epoch(), 1);
    }

    void layerSteppingEqualsTrainerStep()
    {
        // One batch holds the whole set, so the trainer makes exactly one step.
        auto data = loadDataset("moons?n=32&seed=4");
        nlohmann::json layers = smallLayers();
        layers[2] = {{"type", "Dense"}, {"units", 2}};
        auto trained = mlp(layers);
        auto stepped = mlp(layers);
        TrainerSettings ts;
        ts.epochs = 1;
        ts.batchSize = 32;
        ts.seed = 11;
        ts.validationSplit = 0;
        ts.optimizer.kind = "adam";
        ts.optimizer.learningRate = 0.05f;
        ts.capture.statistics = false;
        ts.capture.probeCount = 0;
        Trainer trainer(trained, data, nullptr, ts);
        trainer.runBlocking();
        QCOMPARE(trainer.stepCount(), 1LL);

        BackpropDebugger debugger(stepped, data, settings("adam", 32));
        debugger.finishStep();
        QVERIFY(sameBits(*trained, *stepped));
    }

    void debugsATrainersModelInPlace()
    {
        auto data = loadDataset("moons?n=40&seed=4");
        nlohmann::json layers = smallLayers();
        layers[2] = {{"type", "Dense"}, {"units", 2}};
        auto model = mlp(layers);
        auto reference = mlp(layers);
        TrainerSettings ts;
        ts.batchSize = 10;
        ts.seed = 11;
        ts.optimizer.kind = "momentum";
        ts.optimizer.learningRate = 0.1f;
        Trainer trainer(model, data, nullptr, ts);
        {
            BackpropDebugger debugger(trainer, data);
            QCOMPARE(debugger.batchesPerEpoch(), 4LL);
            debugger.finishStep();
            debugger.finishStep();
        }
        // The trainer's own model and optimizer moved on: two steps, momentum state kept.
        QCOMPARE(trainer.optimizer().stepCount(), 2LL);
        QVERIFY(!sameBits(*model, *reference));
        BackpropDebugger replay(reference, data, settings("momentum", 10));
        replay.optimizer().setLearningRate(0.1f);
        replay.trainStep();
        replay.trainStep();
        QVERIFY(sameBits(*model, *reference));
    }

    void restartBatchRestoresEverything()
    {
        // Dropout draws from the debugger's random source: a re-run must draw the same masks.
        auto data = loadDataset("spiral?n=60&classes=3&seed=2");
        auto model = mlp(smallLayers(true));
        BackpropDebugger debugger(model, data, settings("adam", 12));
        debugger.finishStep();  // one full batch so that the optimizer has state
        debugger.stepLayer();   // batch 2, Forward 0
        for (int i = 0; i < 4; ++i)
            debugger.stepLayer();
        QVERIFY(debugger.batchStart().matches(*model));
        debugger.finishStep();
        QVERIFY(!debugger.batchStart().matches(*model));
        const float firstLoss = debugger.lossValue();
        std::vector<Tensor> firstRun;
        for (Parameter* p : model->parameters())
            firstRun.push_back(p->value);
        QCOMPARE(debugger.step(), 2LL);

        debugger.restartBatch();
        QCOMPARE(debugger.phase(), TrainPhase::Idle);
        QCOMPARE(debugger.step(), 1LL);
        QCOMPARE(debugger.optimizer().stepCount(), 1LL);
        QVERIFY(debugger.batchStart().matches(*model));
        QCOMPARE(debugger.batchIndex(), 1LL);

        debugger.finishStep();
        QCOMPARE(debugger.lossValue(), firstLoss);
        const auto params = model->parameters();
        for (std::size_t i = 0; i < params.size(); ++i)
            QVERIFY(std::memcmp(params[i]->value.data(), firstRun[i].data(), firstRun[i].size() * sizeof(float)) == 0);
    }

    void runToNextEpoch()
    {
        auto data = loadDataset("spiral?n=60&classes=3&seed=2");
        auto model = mlp(smallLayers());
        BackpropDebugger debugger(model, data, settings("sgd", 16));
        debugger.stepLayer();
        debugger.stepLayer();
        debugger.runToNextEpoch();
        QCOMPARE(debugger.epoch(), 1);
        QCOMPARE(debugger.step(), 4LL);
        QCOMPARE(debugger.batchIndex(), 0LL);
        QCOMPARE(debugger.phase(), TrainPhase::Idle);
        debugger.runToNextEpoch();
        QCOMPARE(debugger.epoch(), 2);
        QCOMPARE(debugger.step(), 8LL);
    }

    void rejectsDataThatDoesNotFit()
    {
        auto data = loadDataset("spiral?n=60&classes=3&seed=2");
        auto model = mlp(smallLayers(), 3);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, BackpropDebugger(model, data, settings("sgd", 8)));
    }
};

QTEST_GUILESS_MAIN(TestBackpropDebugger)
#include "test_backprop_debugger.moc"
