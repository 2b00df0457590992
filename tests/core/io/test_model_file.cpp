// Native model file: round trip, resume, atomic writes, corrupt input.

#include <QtTest>

#include <fstream>

#include "core/data/dataset.h"
#include "core/io/model_file.h"
#include "core/io/npy.h"
#include "core/model/model.h"
#include "core/train/trainer.h"

using namespace layerlens::core;

namespace {
nlohmann::json smallCnn()
{
    return {{"input_shape", {1, 8, 8}},
            {"layers",
             {{{"type", "Conv2D"}, {"filters", 3}, {"kernel_size", 3}, {"padding", "same"}, {"activation", "relu"}},
              {{"type", "BatchNorm"}},
              {{"type", "MaxPool2D"}, {"pool_size", 2}},
              {{"type", "Flatten"}},
              {{"type", "Dense"}, {"units", 4}, {"trainable", false}}}}};
}
}  // namespace

class TestModelFile : public QObject {
    Q_OBJECT
private slots:
    void roundTripGivesIdenticalPredictions()
    {
        QTemporaryDir dir;
        Model model = Model::fromJson(smallCnn());
        model.build(5);
        Tensor input({2, 1, 8, 8});
        Rng rng(3);
        for (std::size_t i = 0; i < input.size(); ++i)
            input[i] = rng.uniform();
        const Tensor expected = model.forward(input, false);
        const std::string path = dir.filePath("m.llmodel").toStdString();
        ModelFile::save(path, model);
        QVERIFY(!QFile::exists(QString::fromStdString(path + ".tmp")));
        Model loaded = ModelFile::load(path);
        const Tensor& actual = loaded.forward(input, false);
        QCOMPARE(actual.shape(), expected.shape());
        for (std::size_t i = 0; i < expected.size(); ++i)
            QCOMPARE(actual[i], expected[i]);
        QVERIFY(loaded.layer(loaded.layerCount() - 1).isFrozen());
        QCOMPARE(loaded.trainableParameterCount(), model.trainableParameterCount());
    }

    void trainingResumesWhereItStopped()
    {
        // Two epochs in one go equal one epoch, save, load, one more epoch: the same weights.
        QTemporaryDir dir;
        auto data = loadDataset("gauss?n=60&classes=2&seed=8");
        auto description = nlohmann::json{{"input_shape", {2}}, {"layers", {{{"type", "Dense"}, {"units", 2}}}}};
        TrainerSettings s;
        s.epochs = 2;
        s.batchSize = 60;  // one batch per epoch: no dependence on the shuffle order
        s.optimizer.kind = "adam";
        s.optimizer.learningRate = 0.05f;
        s.validationSplit = 0;
        s.capture.statistics = false;
        s.capture.probeCount = 0;
        auto straight = std::make_shared<Model>(Model::fromJson(description));
        straight->build(1);
        Trainer a(straight, data, nullptr, s);
        a.runBlocking();

        s.epochs = 1;
        auto first = std::make_shared<Model>(Model::fromJson(description));
        first->build(1);
        Trainer b(first, data, nullptr, s);
        b.runBlocking();
        const std::string path = dir.filePath("half.llmodel").toStdString();
        const SavedTraining state = b.trainingState();
        ModelFile::save(path, *first, &state);
        SavedTraining saved;
        auto resumed = std::make_shared<Model>(ModelFile::load(path, &saved));
        QCOMPARE(saved.step, 1LL);
        QCOMPARE(saved.steps.size(), std::size_t(1));
        s.epochs = 2;
        Trainer c(resumed, data, nullptr, s);
        c.restore(saved);
        c.runBlocking();
        auto pa = straight->parameters();
        auto pc = resumed->parameters();
        for (std::size_t i = 0; i < pa.size(); ++i)
            for (std::size_t j = 0; j < pa[i]->value.size(); ++j)
                QCOMPARE(pc[i]->value[j], pa[i]->value[j]);
        QCOMPARE(c.history().stepCount(), std::size_t(2));
    }

    void extraJsonRoundTrips()
    {
        // A front end's own data rides along with the training state and comes back unchanged;
        // without it, "extra" stays null.
        QTemporaryDir dir;
        Model model = Model::fromJson({{"input_shape", {2}}, {"layers", {{{"type", "Dense"}, {"units", 2}}}}});
        model.build(1);
        SavedTraining training;
        training.extra = {{"view", "weights"}, {"settings", {{"epochs", 7}, {"loss", "mse"}}}};
        const std::string path = dir.filePath("x.llmodel").toStdString();
        ModelFile::save(path, model, &training);
        SavedTraining loaded;
        (void)ModelFile::load(path, &loaded);
        QCOMPARE(QString::fromStdString(loaded.extra.dump()), QString::fromStdString(training.extra.dump()));
        training.extra = nullptr;
        ModelFile::save(path, model, &training);
        loaded.extra = {{"stale", true}};
        (void)ModelFile::load(path, &loaded);
        QVERIFY(loaded.extra.is_null());
    }

    void corruptFilesGiveClearErrors_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        QTest::newRow("wrong magic") << QByteArray("NOTAMODELFILE...") << "not a LayerLens model file";
        QTest::newRow("absurd header") << QByteArray("LLMODEL1\xff\xff\xff\xff\xff\xff\xff\x7f", 16) << "header length";
        QTest::newRow("bad json") << (QByteArray("LLMODEL1") + QByteArray("\x03\0\0\0\0\0\0\0", 8) + "{x}") << "not valid JSON";
    }
    void corruptFilesGiveClearErrors()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString path = dir.filePath("bad.llmodel");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
        f.close();
        try {
            ModelFile::load(path.toStdString());
            QFAIL("expected an error");
        } catch (const std::runtime_error& e) {
            QVERIFY2(QString(e.what()).contains(expected), e.what());
            QVERIFY2(QString(e.what()).contains(path), e.what());
        }
    }

    void truncatedWeightsAreReported()
    {
        QTemporaryDir dir;
        Model model = Model::fromJson(smallCnn());
        model.build(5);
        const QString path = dir.filePath("t.llmodel");
        ModelFile::save(path.toStdString(), model);
        QFile f(path);
        QVERIFY(f.resize(f.size() - 40));
        try {
            ModelFile::load(path.toStdString());
            QFAIL("expected an error");
        } catch (const std::runtime_error& e) {
            QVERIFY2(QString(e.what()).contains("truncated"), e.what());
        }
    }

    void npyRoundTrip()
    {
        QTemporaryDir dir;
        Tensor t({2, 3}, {1, 2, 3, 4, 5, 6});
        const std::string path = dir.filePath("a.npy").toStdString();
        writeNpy(path, t);
        const Tensor back = readNpy(path);
        QCOMPARE(back.shape(), t.shape());
        for (std::size_t i = 0; i < t.size(); ++i)
            QCOMPARE(back[i], t[i]);
    }
};

QTEST_GUILESS_MAIN(TestModelFile)
#include "test_model_file.moc"
