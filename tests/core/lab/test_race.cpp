// Race: vanishing gradients in a deep sigmoid MLP (the property the race exists to show),
// shared initial weights, reproducibility, the final table.

#include <QtTest>

#include <cstring>

#include "core/data/dataset.h"
#include "core/lab/race.h"

using namespace layerlens::core;

namespace {

RaceSettings settingsFor(const std::string& data, RaceKind kind, std::vector<std::string> variants, int epochs, int batch,
                         const std::vector<int>& hidden, const std::string& activation = "relu")
{
    RaceSettings s;
    s.train = loadDataset(data);
    s.model = Race::mlpDescription(2, hidden, s.train->classCount(), activation);
    s.kind = kind;
    s.variants = std::move(variants);
    s.trainer.epochs = epochs;
    s.trainer.batchSize = batch;
    s.trainer.seed = 5;
    s.trainer.validationSplit = 0.2f;
    s.trainer.optimizer.kind = "adam";
    s.trainer.optimizer.learningRate = 0.01f;
    s.trainer.capture.maxPublishHz = 0;
    s.targetAccuracy = 0.9f;
    return s;
}

bool sameWeights(Model& a, Model& b)
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

}  // namespace

class TestRace : public QObject {
    Q_OBJECT
private slots:
    void deepSigmoidGradientsVanish()
    {
        // Ten hidden layers; one batch of the whole set, so exactly one step per variant.
        auto s = settingsFor("moons?n=64&seed=3", RaceKind::Activation, {"sigmoid", "relu"}, 1, 64,
                             std::vector<int>(10, 16));
        s.trainer.validationSplit = 0;
        Race race(s);
        QVERIFY(sameWeights(*race.model(0), *race.model(1)));  // same start, only f differs
        race.start();
        race.wait();
        QVERIFY(race.isFinished());
        const auto sigmoid = race.firstGradientNorms(0), relu = race.firstGradientNorms(1);
        QCOMPARE(sigmoid.size(), static_cast<std::size_t>(race.model(0)->layerCount()));
        QVERIFY(sigmoid[0] > 0);
        qInfo("first layer dL/dz norm at step 1: sigmoid %g, relu %g (ratio %.0f)", double(sigmoid[0]), double(relu[0]),
              double(relu[0] / sigmoid[0]));
        QVERIFY2(sigmoid[0] * 100 <= relu[0],
                 qPrintable(QString("first layer dL/dz norm: sigmoid %1, relu %2").arg(sigmoid[0]).arg(relu[0])));
        // The same in the first Dense layer's weight gradient (still the first step's).
        const auto sigmoidSnap = race.latest(0), reluSnap = race.latest(1);
        QVERIFY(sigmoidSnap && reluSnap);
        const float ws = sigmoidSnap->layers[0].parameters[0].gradient.l2;
        const float wr = reluSnap->layers[0].parameters[0].gradient.l2;
        QVERIFY2(ws * 100 <= wr, qPrintable(QString("first kernel gradient norm: sigmoid %1, relu %2").arg(ws).arg(wr)));
        // And the last layer is not where the difference comes from.
        QVERIFY(sigmoid.back() > 0.01f * relu.back());
    }

    void reproducible()
    {
        auto s = settingsFor("xor?n=200&seed=2", RaceKind::Optimizer, {"sgd:0.1", "adam:0.01", "rmsprop:0.01"}, 3, 16, {8});
        std::vector<std::vector<float>> losses[2];
        std::vector<RaceResult> results[2];
        for (int run = 0; run < 2; ++run) {
            Race race(s);
            race.start();
            race.wait();
            for (int i = 0; i < race.variantCount(); ++i) {
                std::vector<float> l;
                for (const auto& r : race.history(i).stepsSince(0))
                    l.push_back(r.loss);
                losses[run].push_back(l);
            }
            results[run] = race.results();
        }
        QCOMPARE(losses[0].size(), std::size_t(3));
        QCOMPARE(losses[0][0].size(), std::size_t(30));  // 160 training samples / 16, 3 epochs
        QCOMPARE(losses[0], losses[1]);
        for (int i = 0; i < 3; ++i) {
            QVERIFY(results[0][static_cast<std::size_t>(i)].finished);
            QVERIFY(results[0][static_cast<std::size_t>(i)].error.empty());
            QCOMPARE(results[0][static_cast<std::size_t>(i)].finalAccuracy, results[1][static_cast<std::size_t>(i)].finalAccuracy);
            QCOMPARE(results[0][static_cast<std::size_t>(i)].stepsToTarget, results[1][static_cast<std::size_t>(i)].stepsToTarget);
            QCOMPARE(results[0][static_cast<std::size_t>(i)].steps, 30LL);
        }
        QVERIFY(losses[0][0] != losses[0][1]);  // the optimizers do differ
    }

    void finalTableAndDecisionGrid()
    {
        auto s = settingsFor("circles?n=300&seed=4", RaceKind::Activation, {"tanh", "relu"}, 20, 16, {16, 16});
        s.targetAccuracy = 0.8f;
        s.trainer.capture.maxPublishHz = 20;  // the statistics of every step are not needed here
        Race race(s);
        race.start();
        race.wait();
        for (int i = 0; i < 2; ++i) {
            const RaceResult r = race.result(i);
            QCOMPARE(r.label, s.variants[static_cast<std::size_t>(i)]);
            QVERIFY2(r.finalAccuracy > 0.85f, qPrintable(QString("%1: %2").arg(r.label.c_str()).arg(r.finalAccuracy)));
            QVERIFY(r.stepsToTarget > 0 && r.stepsToTarget <= r.steps);
            QVERIFY(r.wallSeconds > 0);
            const auto snapshot = race.latest(i);
            QVERIFY(snapshot);
            QCOMPARE(snapshot->gridSize, 48);
            QCOMPARE(snapshot->gridOutput.size(), std::size_t(48 * 48 * 2));
        }
    }

    void lossRaceAdaptsTheOutput()
    {
        auto s = settingsFor("xor?n=100&seed=2", RaceKind::Loss, {"categorical_crossentropy_logits", "mse"}, 1, 20, {4});
        Race race(s);
        const int logitLayers = race.model(0)->layerCount();
        QCOMPARE(race.model(1)->layerCount(), logitLayers + 1);
        QCOMPARE(race.model(1)->layer(logitLayers).type(), std::string("Softmax"));
        QVERIFY(sameWeights(*race.model(0), *race.model(1)));
        QVERIFY(race.result(1).sharedInitialWeights);
    }

    void stopEndsEarly()
    {
        auto s = settingsFor("spiral?n=600&seed=1", RaceKind::Activation, {"tanh", "relu", "elu"}, 500, 8, {32, 32});
        Race race(s);
        race.start();
        QTRY_VERIFY_WITH_TIMEOUT(race.history(0).stepCount() > 5, 10000);
        race.stop();
        race.wait();
        QVERIFY(race.isFinished());
        QVERIFY(race.result(0).steps < 500 * 60);
    }

    void rejectsBadVariants()
    {
        auto s = settingsFor("xor?n=100", RaceKind::Activation, {"relu", "no_such_function"}, 1, 10, {4});
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Race{s});
        auto o = settingsFor("xor?n=100", RaceKind::Optimizer, {"sgd:fast"}, 1, 10, {4});
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Race{o});
        auto e = settingsFor("xor?n=100", RaceKind::Activation, {}, 1, 10, {4});
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Race{e});
    }
};

QTEST_GUILESS_MAIN(TestRace)
#include "test_race.moc"
