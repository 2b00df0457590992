// Transfer race: a pretrained network fine-tuned (new head, features frozen) against the same
// network from scratch, with the same data, seed and settings. On a task the pretrained features
// already solve (the spiral, new samples, new head), fine-tuning must win after a few steps —
// that is what transfer learning is for — and the run is reproducible.

#include <QtTest>

#include <cstring>

#include "core/data/dataset.h"
#include "core/lab/race.h"
#include "core/model/model_surgery.h"
#include "core/train/trainer.h"

using namespace layerlens::core;

namespace {

// An MLP trained on one spiral sample: the "model trained elsewhere".
std::shared_ptr<Model> pretrainedSpiralNet()
{
    auto model = std::make_shared<Model>(Model::fromJson(
        {{"input_shape", {2}},
         {"layers", {{{"type", "Dense"}, {"units", 32}, {"activation", "relu"}},
                     {{"type", "Dense"}, {"units", 32}, {"activation", "relu"}},
                     {{"type", "Dense"}, {"units", 3}}}}}));
    model->build(7);
    TrainerSettings settings;
    settings.epochs = 200;
    settings.batchSize = 32;
    settings.optimizer.kind = "adam";
    settings.optimizer.learningRate = 0.01f;
    settings.validationSplit = 0.0f;
    settings.seed = 7;
    settings.capture.statistics = false;
    settings.capture.probeCount = 0;
    Trainer trainer(model, loadDataset("spiral?n=600&noise=0.1&classes=3&seed=1"), nullptr, settings);
    trainer.runBlocking();
    return model;
}

RaceSettings fineTuneSettings(std::shared_ptr<Model> pretrained)
{
    TrainerSettings trainer;
    trainer.epochs = 3;
    trainer.batchSize = 16;
    trainer.optimizer.kind = "adam";
    trainer.optimizer.learningRate = 0.05f;
    trainer.seed = 3;
    trainer.capture.maxPublishHz = 0;
    return Race::transferSettings(std::move(pretrained), loadDataset("spiral?n=300&noise=0.1&classes=3&seed=9"),
                                  loadDataset("spiral?n=300&noise=0.1&classes=3&seed=10"), trainer);
}

}  // namespace

class TestTransferRace : public QObject {
    Q_OBJECT
private slots:
    void fineTuningBeatsScratch()
    {
        auto pretrained = pretrainedSpiralNet();
        replaceClassifierHead(*pretrained, 3, 5);
        freezeLayers(*pretrained, "all-but-head");
        const std::size_t trainable = pretrained->trainableParameterCount();
        QCOMPARE(trainable, std::size_t(32 * 3 + 3));

        Race race(fineTuneSettings(pretrained));
        QCOMPARE(race.variantCount(), 2);
        QCOMPARE(race.label(0), std::string("fine-tune"));
        QCOMPARE(race.label(1), std::string("scratch"));
        // The fine-tune entrant starts from the pretrained weights with the frozen flags, the
        // scratch one from the seed with everything trainable.
        QCOMPARE(race.model(0)->trainableParameterCount(), trainable);
        QCOMPARE(race.model(1)->trainableParameterCount(), race.model(1)->parameterCount());
        QVERIFY(std::memcmp(race.model(0)->layer(0).parameters()[0]->value.data(),
                            pretrained->layer(0).parameters()[0]->value.data(),
                            pretrained->layer(0).parameters()[0]->value.size() * sizeof(float)) == 0);
        race.start();
        race.wait();
        const RaceResult fine = race.result(0), scratch = race.result(1);
        QVERIFY2(fine.error.empty() && scratch.error.empty(), (fine.error + scratch.error).c_str());
        QCOMPARE(fine.steps, scratch.steps);  // same data, same batches
        qInfo("after %lld steps: fine-tuned %.3f, scratch %.3f validation accuracy", fine.steps, double(fine.finalAccuracy),
              double(scratch.finalAccuracy));
        QVERIFY(fine.finalAccuracy > 0.75f);
        QVERIFY(fine.finalAccuracy > scratch.finalAccuracy + 0.15f);
        // Both histories are there for one chart.
        QCOMPARE(race.history(0).epochsSince(0).size(), std::size_t(3));
        QCOMPARE(race.history(1).epochsSince(0).size(), std::size_t(3));
        // Frozen layers did not move.
        QVERIFY(std::memcmp(race.model(0)->layer(0).parameters()[0]->value.data(),
                            pretrained->layer(0).parameters()[0]->value.data(),
                            pretrained->layer(0).parameters()[0]->value.size() * sizeof(float)) == 0);

        // Reproducible: the same race again gives the same numbers.
        Race again(fineTuneSettings(pretrained));
        again.start();
        again.wait();
        QCOMPARE(again.result(0).finalAccuracy, fine.finalAccuracy);
        QCOMPARE(again.result(1).finalAccuracy, scratch.finalAccuracy);
    }

    void refusesBadTransferSettings()
    {
        RaceSettings s = fineTuneSettings(nullptr);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Race{s});
        auto model = pretrainedSpiralNet();
        RaceSettings odd = fineTuneSettings(model);
        odd.variants = {"fine-tune", "sideways"};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Race{odd});
    }
};

QTEST_APPLESS_MAIN(TestTransferRace)
#include "test_transfer_race.moc"
