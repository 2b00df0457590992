// SessionFile: a session's settings, data choice, model and trained state survive a save and a
// load exactly; broken or foreign files give errors that name the file.

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "core/data/dataset.h"
#include "core/io/model_file.h"
#include "core/train/trainer.h"
#include "ui/session_file.h"

using namespace layerlens;

namespace {

nlohmann::json smallMlp()
{
    return {{"input_shape", {2}},
            {"layers", {{{"type", "Dense"}, {"units", 12}, {"activation", "tanh"}}, {{"type", "Dense"}, {"units", 2}}}}};
}

core::TrainerSettings unusualSettings()
{
    core::TrainerSettings s;
    s.epochs = 37;
    s.batchSize = 16;
    s.loss = "categorical_crossentropy_logits";
    s.seed = 4242;
    s.validationSplit = 0.2f;
    s.stopOnNonFinite = false;
    s.optimizer.kind = "momentum";
    s.optimizer.learningRate = 0.03f;
    s.optimizer.momentum = 0.8f;
    s.optimizer.clipNorm = 2.5f;
    s.schedule.kind = "cosine";
    s.schedule.totalSteps = 1234;
    s.schedule.warmupSteps = 7;
    return s;
}

void compareSettings(const core::TrainerSettings& a, const core::TrainerSettings& b)
{
    QCOMPARE(a.epochs, b.epochs);
    QCOMPARE(a.batchSize, b.batchSize);
    QCOMPARE(QString::fromStdString(a.loss), QString::fromStdString(b.loss));
    QCOMPARE(a.seed, b.seed);
    QCOMPARE(a.validationSplit, b.validationSplit);
    QCOMPARE(a.stopOnNonFinite, b.stopOnNonFinite);
    QCOMPARE(QString::fromStdString(a.optimizer.kind), QString::fromStdString(b.optimizer.kind));
    QCOMPARE(a.optimizer.learningRate, b.optimizer.learningRate);
    QCOMPARE(a.optimizer.momentum, b.optimizer.momentum);
    QCOMPARE(a.optimizer.clipNorm, b.optimizer.clipNorm);
    QCOMPARE(QString::fromStdString(a.schedule.kind), QString::fromStdString(b.schedule.kind));
    QCOMPARE(a.schedule.totalSteps, b.schedule.totalSteps);
    QCOMPARE(a.schedule.warmupSteps, b.schedule.warmupSteps);
}

}  // namespace

class TestSessionFile : public QObject {
    Q_OBJECT

private slots:
    void settingsSurviveJson()
    {
        const core::TrainerSettings s = unusualSettings();
        compareSettings(ui::SessionFile::settingsFromJson(ui::SessionFile::settingsToJson(s)), s);
        // Missing fields keep the base; nonsense is refused.
        const core::TrainerSettings partial = ui::SessionFile::settingsFromJson({{"epochs", 3}}, s);
        QCOMPARE(partial.epochs, 3);
        QCOMPARE(partial.batchSize, 16);
        const nlohmann::json zeroBatch = {{"batch_size", 0}};
        const nlohmann::json wordyEpochs = {{"epochs", "many"}};
        QVERIFY_THROWS_EXCEPTION(std::exception, ui::SessionFile::settingsFromJson(zeroBatch));
        QVERIFY_THROWS_EXCEPTION(std::exception, ui::SessionFile::settingsFromJson(wordyEpochs));
    }

    void untrainedSessionRoundTrips()
    {
        QTemporaryDir dir;
        ui::SessionFile file;
        file.datasetSpec = QStringLiteral("spiral?n=200&classes=2");
        // Mid-edit: this description does not build, and a session must still save it.
        file.modelDescription = {{"input_shape", {2}}, {"layers", {{{"type", "Conv2D"}, {"filters", 3}}}}};
        file.settings = unusualSettings();
        file.currentView = QStringLiteral("Weights");
        const QString path = dir.filePath(QStringLiteral("a.llsession"));
        file.save(path);
        const ui::SessionFile loaded = ui::SessionFile::load(path);
        QCOMPARE(loaded.datasetSpec, file.datasetSpec);
        QVERIFY(loaded.modelDescription == file.modelDescription);
        compareSettings(loaded.settings, file.settings);
        QCOMPARE(loaded.currentView, file.currentView);
        QVERIFY(!loaded.model);  // the stand-in model is not handed out
    }

    void trainedSessionKeepsWeightsAndHistory()
    {
        QTemporaryDir dir;
        auto data = core::loadDataset("spiral?n=200&classes=2&seed=3");
        core::TrainerSettings s;
        s.epochs = 2;
        s.batchSize = 20;
        s.optimizer.kind = "adam";
        s.optimizer.learningRate = 0.02f;
        s.capture.statistics = false;
        s.capture.probeCount = 0;
        auto model = std::make_shared<core::Model>(core::Model::fromJson(smallMlp()));
        model->build(9);
        core::Trainer trainer(model, data, nullptr, s);
        trainer.runBlocking();
        QVERIFY(trainer.stepCount() > 10);

        ui::SessionFile file;
        file.datasetSpec = QStringLiteral("spiral?n=200&classes=2&seed=3");
        file.modelDescription = smallMlp();
        file.settings = s;
        file.model = model;
        file.training = trainer.trainingState();
        const QString path = dir.filePath(QStringLiteral("t.llsession"));
        file.save(path);
        QVERIFY(!QFile::exists(path + QStringLiteral(".tmp")));

        const ui::SessionFile loaded = ui::SessionFile::load(path);
        QVERIFY(loaded.model);
        QCOMPARE(loaded.training.step, trainer.stepCount());
        QCOMPARE(loaded.training.steps.size(), trainer.history().stepCount());
        QCOMPARE(loaded.training.epochs.size(), trainer.history().epochCount());
        QCOMPARE(loaded.training.optimizerState.size(), file.training.optimizerState.size());
        QCOMPARE(QString::fromStdString(loaded.training.datasetSpec), QStringLiteral("spiral?n=200&classes=2&seed=3"));
        core::Tensor input({5, 2});
        for (std::size_t i = 0; i < input.size(); ++i)
            input[i] = 0.3f * static_cast<float>(i) - 1.0f;
        const core::Tensor expected = model->forward(input, false);
        const core::Tensor& actual = loaded.model->forward(input, false);
        QCOMPARE(actual.shape(), expected.shape());
        for (std::size_t i = 0; i < expected.size(); ++i)
            QCOMPARE(actual[i], expected[i]);  // bit-identical
    }

    void brokenFilesAreReported_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        QTest::newRow("garbage") << QByteArray("this is not a session at all") << QStringLiteral("not a LayerLens model file");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("not a LayerLens model file");
        QTest::newRow("truncated header") << QByteArray("LLMODEL1\xff\xff\x00\x00\x00\x00\x00\x00{", 17)
                                          << QStringLiteral("does not fit");
    }

    void brokenFilesAreReported()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("bad.llsession"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
        f.close();
        try {
            (void)ui::SessionFile::load(path);
            QFAIL("no error");
        } catch (const std::runtime_error& e) {
            const QString message = QString::fromStdString(e.what());
            QVERIFY2(message.contains(path), qPrintable(message));
            QVERIFY2(message.contains(expected), qPrintable(message));
        }
    }

    void modelFilesAndMissingFilesAreNotSessions()
    {
        QTemporaryDir dir;
        core::Model model = core::Model::fromJson(smallMlp());
        model.build(1);
        const QString modelPath = dir.filePath(QStringLiteral("m.llmodel"));
        core::ModelFile::save(modelPath.toStdString(), model);
        try {
            (void)ui::SessionFile::load(modelPath);
            QFAIL("no error");
        } catch (const std::runtime_error& e) {
            QVERIFY2(QString::fromStdString(e.what()).contains(QStringLiteral("not a session")), e.what());
        }
        try {
            (void)ui::SessionFile::load(dir.filePath(QStringLiteral("gone.llsession")));
            QFAIL("no error");
        } catch (const std::runtime_error& e) {
            QVERIFY2(QString::fromStdString(e.what()).contains(QStringLiteral("does not exist")), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestSessionFile)
#include "test_session_file.moc"
