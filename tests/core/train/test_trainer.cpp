// Trainer: learning for real on generated data, determinism, layer stepping, NaN diagnosis,
// commands from another thread.

#include <QtTest>

#include <atomic>
#include <memory>

#include "core/data/dataset.h"
#include "core/model/model.h"
#include "core/train/trainer.h"

using namespace layerlens::core;

namespace {

std::shared_ptr<Model> mlp(int inputs, std::vector<int> hidden, int classes, const std::string& activation)
{
    nlohmann::json layers = nlohmann::json::array();
    for (int units : hidden)
        layers.push_back({{"type", "Dense"}, {"units", units}, {"activation", activation}});
    layers.push_back({{"type", "Dense"}, {"units", classes}});
    auto model = std::make_shared<Model>(Model::fromJson({{"input_shape", {inputs}}, {"layers", layers}}));
    model->build(3);
    return model;
}

TrainerSettings quietSettings(int epochs, int batch, const std::string& optimizer, float lr)
{
    TrainerSettings s;
    s.epochs = epochs;
    s.batchSize = batch;
    s.optimizer.kind = optimizer;
    s.optimizer.learningRate = lr;
    s.capture.statistics = false;
    s.capture.probeCount = 0;
    s.validationSplit = 0;
    return s;
}

float trainAccuracy(Model& model, const Dataset& data)
{
    auto loss = Trainer::resolveLoss("auto", model, data);
    return evaluate(model, data, *loss).accuracy;
}

struct Collector : TrainerObserver {
    std::mutex mutex;
    std::vector<SnapshotPtr> snapshots;
    std::atomic<int> count{0};
    std::string lastMessage;
    std::atomic<TrainerState> lastState{TrainerState::Idle};
    void snapshotReady(SnapshotPtr s) override
    {
        std::lock_guard lock(mutex);
        snapshots.push_back(std::move(s));
        ++count;
    }
    void stateChanged(TrainerState state, const std::string& message) override
    {
        std::lock_guard lock(mutex);
        lastState = state;
        if (!message.empty())
            lastMessage = message;
    }
};

}  // namespace

class TestTrainer : public QObject {
    Q_OBJECT
private slots:
    void xorReachesFullAccuracy()
    {
        auto data = loadDataset("xor?n=400&noise=0.05&seed=2");
        auto model = mlp(2, {8, 8}, 2, "tanh");
        Trainer trainer(model, data, nullptr, quietSettings(60, 16, "adam", 0.01f));
        trainer.runBlocking();
        QCOMPARE(trainer.state(), TrainerState::Finished);
        QCOMPARE(trainAccuracy(*model, *data), 1.0f);
    }

    void spiralReaches97Percent()
    {
        auto data = loadDataset("spiral?n=600&noise=0.05&classes=3&seed=1");
        auto model = mlp(2, {64, 64}, 3, "relu");
        Trainer trainer(model, data, nullptr, quietSettings(300, 32, "adam", 0.01f));
        trainer.runBlocking();
        const float accuracy = trainAccuracy(*model, *data);
        qInfo("spiral training accuracy %.4f", accuracy);
        QVERIFY2(accuracy >= 0.97f, qPrintable(QString::number(accuracy)));
    }

    void shapesCnnReaches95Percent()
    {
        auto train = loadDataset("shapes?n=4000&size=32&seed=1");
        auto test = loadDataset("shapes:test?n=400&size=32");
        auto model = std::make_shared<Model>(Model::fromJson(
            {{"input_shape", {3, 32, 32}},
             {"layers",
              {{{"type", "Conv2D"}, {"filters", 16}, {"kernel_size", 3}, {"padding", "same"}, {"activation", "relu"}},
               {{"type", "MaxPool2D"}, {"pool_size", 2}},
               {{"type", "Conv2D"}, {"filters", 32}, {"kernel_size", 3}, {"padding", "same"}, {"activation", "relu"}},
               {{"type", "MaxPool2D"}, {"pool_size", 2}},
               {{"type", "Conv2D"}, {"filters", 32}, {"kernel_size", 3}, {"padding", "same"}, {"activation", "relu"}},
               {{"type", "MaxPool2D"}, {"pool_size", 2}},
               {{"type", "Flatten"}},
               {{"type", "Dense"}, {"units", 64}, {"activation", "relu"}},
               {{"type", "Dense"}, {"units", 3}}}}}));
        model->build(2);
        Trainer trainer(model, train, nullptr, quietSettings(8, 32, "adam", 0.002f));
        trainer.runBlocking();
        // Accuracy on unseen drawings (the test split is generated with another seed).
        const float accuracy = trainAccuracy(*model, *test);
        qInfo("shapes CNN test accuracy %.4f", accuracy);
        QVERIFY2(accuracy >= 0.95f, qPrintable(QString::number(accuracy)));
    }

    void sameSeedGivesBitIdenticalRuns()
    {
        auto data = loadDataset("moons?n=200&seed=4");
        std::vector<float> finals[2];
        for (auto& weights : finals) {
            auto model = mlp(2, {16}, 2, "relu");
            TrainerSettings s = quietSettings(3, 10, "adam", 0.01f);
            s.seed = 11;
            Trainer trainer(model, data, nullptr, s);
            trainer.runBlocking();
            for (Parameter* p : model->parameters())
                weights.insert(weights.end(), p->value.data(), p->value.data() + p->value.size());
        }
        QCOMPARE(finals[0], finals[1]);
    }

    void layerSteppingMatchesAnOrdinaryStep()
    {
        auto data = loadDataset("gauss?n=64&classes=3&seed=3");
        auto reference = mlp(2, {5, 4}, 3, "sigmoid");
        auto stepped = mlp(2, {5, 4}, 3, "sigmoid");
        TrainerSettings s = quietSettings(1, 16, "momentum", 0.1f);
        Trainer a(reference, data, nullptr, s);
        Trainer b(stepped, data, nullptr, s);
        Collector collector;
        b.setObserver(&collector);
        a.stepOnce();
        QTRY_COMPARE_WITH_TIMEOUT(a.stepCount(), 1LL, 5000);
        // forward: one stop per layer, the loss, backward: one per layer; the last one finishes the step.
        const int layers = stepped->layerCount();
        const int stops = layers + 1 + layers;
        for (int i = 0; i < stops; ++i) {
            b.stepLayer();
            QTRY_COMPARE_WITH_TIMEOUT(collector.count.load(), i + 1, 5000);
        }
        b.stepLayer();  // releases the last backward stop: the update runs
        QTRY_COMPARE_WITH_TIMEOUT(b.stepCount(), 1LL, 5000);
        {
            std::lock_guard lock(collector.mutex);
            QCOMPARE(collector.snapshots[0]->phase, TrainPhase::Forward);
            QCOMPARE(collector.snapshots[0]->phaseLayer, 0);
            QCOMPARE(collector.snapshots[static_cast<std::size_t>(layers)]->phase, TrainPhase::Loss);
            QCOMPARE(collector.snapshots[static_cast<std::size_t>(layers) + 1]->phase, TrainPhase::Backward);
            QCOMPARE(collector.snapshots[static_cast<std::size_t>(layers) + 1]->phaseLayer, layers - 1);
        }
        a.stop();
        b.stop();
        auto pa = reference->parameters();
        auto pb = stepped->parameters();
        QCOMPARE(pa.size(), pb.size());
        for (std::size_t i = 0; i < pa.size(); ++i)
            for (std::size_t j = 0; j < pa[i]->value.size(); ++j)
                QCOMPARE(pa[i]->value[j], pb[i]->value[j]);  // bit-identical
    }

    void nanLossPausesWithTheLayerNamed()
    {
        auto data = loadDataset("gauss?n=64&classes=2&seed=3");
        auto model = mlp(2, {4}, 2, "relu");
        // Poison the first layer's weights: the first non-finite output appears there.
        model->layer(0).parameters()[0]->value[0] = std::numeric_limits<float>::quiet_NaN();
        Collector collector;
        Trainer trainer(model, data, nullptr, quietSettings(1, 16, "sgd", 0.1f));
        trainer.setObserver(&collector);
        trainer.start();
        QTRY_COMPARE_WITH_TIMEOUT(collector.lastState.load(), TrainerState::Paused, 5000);
        std::lock_guard lock(collector.mutex);
        QVERIFY2(QString::fromStdString(collector.lastMessage).contains("step 1"), collector.lastMessage.c_str());
        QVERIFY2(QString::fromStdString(collector.lastMessage).contains("layer 0"), collector.lastMessage.c_str());
        QCOMPARE(trainer.stepCount(), 0LL);
    }

    void commandsFromAnotherThread()
    {
        auto data = loadDataset("spiral?n=300&seed=1");
        auto model = mlp(2, {16}, 3, "relu");
        TrainerSettings s = quietSettings(1000, 8, "sgd", 0.01f);
        s.capture.statistics = true;
        s.capture.probeCount = 4;
        s.capture.decisionGrid = 20;
        Collector collector;
        Trainer trainer(model, data, nullptr, s);
        trainer.setObserver(&collector);
        trainer.start();
        QTRY_VERIFY_WITH_TIMEOUT(collector.count.load() >= 3, 5000);
        trainer.pause();
        QTRY_COMPARE_WITH_TIMEOUT(trainer.state(), TrainerState::Paused, 5000);
        const long long steps = trainer.stepCount();
        QTest::qWait(100);
        QCOMPARE(trainer.stepCount(), steps);
        trainer.setLearningRate(0.5f);
        trainer.stepOnce();
        QTRY_COMPARE_WITH_TIMEOUT(trainer.stepCount(), steps + 1, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(trainer.state(), TrainerState::Paused, 5000);
        std::lock_guard lock(collector.mutex);
        const auto& last = collector.snapshots.back();
        QCOMPARE(last->learningRate, 0.5f);
        QCOMPARE(last->layers.size(), static_cast<std::size_t>(model->layerCount()));
        QCOMPARE(last->layers[0].probeOutput.dim(0), 4);
        QCOMPARE(last->gridSize, 20);
        QCOMPARE(last->gridOutput.dim(0), 400);
        QVERIFY(last->layers[0].parameters[0].value.l2 > 0);
        QVERIFY(last->layers[0].parameters[0].updateToWeightRatio > 0);
        trainer.stop();
    }

    void validationSplitAndEpochEvaluation()
    {
        auto data = loadDataset("gauss?n=200&classes=3&seed=5");
        auto model = mlp(2, {8}, 3, "relu");
        TrainerSettings s = quietSettings(2, 20, "adam", 0.01f);
        s.validationSplit = 0.25f;
        Trainer trainer(model, data, nullptr, s);
        trainer.runBlocking();
        const auto epochs = trainer.history().epochsSince(0);
        QCOMPARE(epochs.size(), std::size_t(2));
        QVERIFY(epochs[1].validationAccuracy > 0.5f);
        // 150 training samples in batches of 20: 8 steps per epoch.
        QCOMPARE(trainer.stepCount(), 16LL);
    }

    void rejectsAModelThatDoesNotFitTheData()
    {
        auto data = loadDataset("xor?n=40");
        auto model = mlp(3, {4}, 2, "relu");
        try {
            Trainer trainer(model, data, nullptr, quietSettings(1, 8, "sgd", 0.1f));
            QFAIL("expected an error");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(QString(e.what()).contains("(3,)") && QString(e.what()).contains("(2,)"), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestTrainer)
#include "test_trainer.moc"
