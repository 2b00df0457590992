// Trainer::setProbeInputs: probe inputs replaced by hand before the start, while training runs,
// while paused and after the end, and back to the dataset's; bad shapes rejected.

#include <QtTest>

#include <atomic>
#include <memory>
#include <mutex>

#include "core/data/dataset.h"
#include "core/model/model.h"
#include "core/train/trainer.h"

using namespace layerlens::core;

namespace {

std::shared_ptr<Model> smallMlp()
{
    auto model = std::make_shared<Model>(Model::fromJson(
        {{"input_shape", {2}},
         {"layers", {{{"type", "Dense"}, {"units", 8}, {"activation", "tanh"}}, {{"type", "Dense"}, {"units", 3}}}}}));
    model->build(5);
    return model;
}

TrainerSettings settings(int epochs)
{
    TrainerSettings s;
    s.epochs = epochs;
    s.batchSize = 16;
    s.optimizer.kind = "sgd";
    s.optimizer.learningRate = 0.05f;
    s.capture.probeCount = 4;
    s.capture.maxPublishHz = 0;  // a snapshot after every step
    s.validationSplit = 0;
    return s;
}

struct Collector : TrainerObserver {
    std::mutex mutex;
    std::vector<SnapshotPtr> snapshots;
    std::atomic<int> count{0};
    void snapshotReady(SnapshotPtr s) override
    {
        std::lock_guard lock(mutex);
        snapshots.push_back(std::move(s));
        ++count;
    }
    SnapshotPtr last()
    {
        std::lock_guard lock(mutex);
        return snapshots.empty() ? nullptr : snapshots.back();
    }
};

Tensor twoProbes(float a, float b)
{
    return Tensor({2, 2}, {a, b, -b, a});
}

bool equal(const Tensor& x, const Tensor& y)
{
    return x.shape() == y.shape() && std::equal(x.data(), x.data() + x.size(), y.data());
}

// The snapshot's outputs are the model's outputs for exactly these inputs.
void verifyOutputsFor(const Snapshot& snapshot, const Tensor& probes, Model& model)
{
    QVERIFY(equal(snapshot.probeInputs, probes));
    const Tensor& out = model.forward(probes, false);
    QVERIFY(equal(snapshot.layers.back().probeOutput, out));
}

}  // namespace

class TestTrainerProbes : public QObject {
    Q_OBJECT
private slots:
    void setBeforeTheStart()
    {
        auto model = smallMlp();
        Collector collector;
        Trainer trainer(model, loadDataset("spiral?n=200&classes=3&seed=2"), nullptr, settings(50));
        trainer.setObserver(&collector);
        const Tensor probes = twoProbes(0.5f, -0.25f);
        trainer.setProbeInputs(probes, {"a.png", "b.png"});
        QCOMPARE(collector.count.load(), 0);  // nothing to show before the start
        trainer.stepOnce();
        QTRY_COMPARE_WITH_TIMEOUT(trainer.stepCount(), 1LL, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(trainer.state(), TrainerState::Paused, 5000);
        const SnapshotPtr s = collector.last();
        QVERIFY(s);
        QCOMPARE(s->probeNames, (std::vector<std::string>{"a.png", "b.png"}));
        QCOMPARE(s->probeLabels, (std::vector<int>{-1, -1}));
        QCOMPARE(s->layers[0].probeOutput.dim(0), 2);
        verifyOutputsFor(*s, probes, *model);
        trainer.stop();
    }

    void setWhileRunningPausedAndBack()
    {
        auto model = smallMlp();
        Collector collector;
        Trainer trainer(model, loadDataset("spiral?n=200&classes=3&seed=2"), nullptr, settings(100000));
        trainer.setObserver(&collector);
        trainer.start();
        QTRY_VERIFY_WITH_TIMEOUT(collector.count.load() >= 3, 5000);
        const Tensor datasetProbes = collector.last()->probeInputs;
        QCOMPARE(datasetProbes.dim(0), 4);
        QVERIFY(collector.last()->probeNames.empty());

        // While running: a later snapshot shows them.
        const Tensor probes = twoProbes(1.0f, 2.0f);
        trainer.setProbeInputs(probes, {"one", "two"});
        QTRY_VERIFY_WITH_TIMEOUT(collector.last()->probeNames.size() == 2, 5000);
        QVERIFY(equal(collector.last()->probeInputs, probes));

        // While paused: a snapshot at once, without a training step.
        trainer.pause();
        QTRY_COMPARE_WITH_TIMEOUT(trainer.state(), TrainerState::Paused, 5000);
        QTest::qWait(50);
        const long long steps = trainer.stepCount();
        const int before = collector.count.load();
        const Tensor single({1, 2}, {-0.75f, 0.125f});
        trainer.setProbeInputs(single, {"drawn.png"});
        QTRY_COMPARE_WITH_TIMEOUT(collector.count.load(), before + 1, 5000);
        QCOMPARE(trainer.stepCount(), steps);
        QCOMPARE(trainer.state(), TrainerState::Paused);
        SnapshotPtr s = collector.last();
        QCOMPARE(s->step, steps);
        QCOMPARE(s->probeNames, std::vector<std::string>{"drawn.png"});
        verifyOutputsFor(*s, single, *model);

        // Back to the dataset's probes.
        trainer.useDatasetProbes();
        QTRY_COMPARE_WITH_TIMEOUT(collector.count.load(), before + 2, 5000);
        s = collector.last();
        QVERIFY(s->probeNames.empty());
        QVERIFY(equal(s->probeInputs, datasetProbes));
        QCOMPARE(s->probeLabels.size(), std::size_t(4));
        QVERIFY(s->probeLabels[0] >= 0);

        // Training goes on with them.
        trainer.start();
        QTRY_VERIFY_WITH_TIMEOUT(trainer.stepCount() > steps + 2, 5000);
        trainer.stop();
    }

    void setAfterTheEnd()
    {
        auto model = smallMlp();
        Collector collector;
        Trainer trainer(model, loadDataset("spiral?n=64&classes=3&seed=2"), nullptr, settings(1));
        trainer.setObserver(&collector);
        trainer.start();
        QTRY_COMPARE_WITH_TIMEOUT(trainer.state(), TrainerState::Finished, 5000);
        QTest::qWait(50);  // the worker lets go of the model
        const int before = collector.count.load();
        const Tensor probes = twoProbes(-1.0f, 0.5f);
        trainer.setProbeInputs(probes, {"x", "y"});
        QTRY_COMPARE_WITH_TIMEOUT(collector.count.load(), before + 1, 5000);
        verifyOutputsFor(*collector.last(), probes, *model);
    }

    void rejectsProbesThatDoNotFit()
    {
        Trainer trainer(smallMlp(), loadDataset("spiral?n=64&classes=3&seed=2"), nullptr, settings(1));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, trainer.setProbeInputs(Tensor({1, 3}), {"wide"}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, trainer.setProbeInputs(Tensor({1, 1, 28, 28}), {"image"}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, trainer.setProbeInputs(twoProbes(0, 0), {"only one name"}));
        trainer.setProbeInputs(twoProbes(0, 0), {});  // no names: numbered ones
    }

    void snapshotRequestsNeverRaceTheWorker()
    {
        // Start, pause and ask for a snapshot in quick succession, as the GUI does: the worker
        // may read "paused" a moment before it rests, so the snapshot must be made by it (a
        // probe forward pass on this thread would clobber the step's outputs mid-step).
        auto model = smallMlp();
        Collector collector;
        Trainer trainer(model, loadDataset("spiral?n=200&classes=3&seed=2"), nullptr, settings(100000));
        trainer.setObserver(&collector);
        trainer.requestSnapshot();  // no worker yet: made here, at once
        QCOMPARE(collector.count.load(), 1);
        QCOMPARE(collector.last()->step, 0LL);
        for (int round = 0; round < 40; ++round) {
            trainer.start();
            trainer.pause();
            trainer.requestSnapshot();
            QTRY_VERIFY_WITH_TIMEOUT(!trainer.snapshotRequestPending(), 5000);
            QCOMPARE(collector.last()->step, trainer.stepCount());
        }
        trainer.start();
        QTRY_VERIFY_WITH_TIMEOUT(trainer.stepCount() > 50, 10000);
        trainer.stop();
    }
};

QTEST_GUILESS_MAIN(TestTrainerProbes)
#include "test_trainer_probes.moc"
