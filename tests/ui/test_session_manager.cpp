// SessionManager in the assembled window: a trained session saved and reopened in a fresh window
// has the same weights, history, settings and view; broken files are reported in the window; the
// close question guards unsaved work; the autosave appears while there is some and goes away on a
// clean close, and a left-over autosave is offered back.

#include <QAbstractButton>
#include <QApplication>
#include <QFile>
#include <QMessageBox>
#include <QPushButton>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

#include "core/io/model_file.h"
#include "ui/main_window.h"
#include "ui/session_file.h"
#include "ui/session_manager.h"
#include "ui/training_session.h"
#include "ui/views/curves_view.h"
#include "ui/views/model_builder_view.h"
#include "ui/views/training_controls.h"
#include "ui/widgets/message_banner.h"

using namespace layerlens;

namespace {

const QString kData = QStringLiteral("spiral?n=200&classes=2&noise=0.1");

// A window with data and the MLP preset, settings nobody would leave at their defaults.
void setUp(ui::MainWindow& window, const QString& autosavePath)
{
    window.sessionManager()->setAutosavePath(autosavePath);
    QVERIFY(window.loadDataset(kData));
    QVERIFY(window.loadPreset(QStringLiteral("mlp")));
    core::TrainerSettings settings = window.controls()->settings();
    settings.optimizer.kind = "momentum";
    settings.optimizer.learningRate = 0.02f;
    settings.batchSize = 16;
    settings.epochs = 300;
    settings.seed = 77;
    settings.loss = "categorical_crossentropy_logits";
    window.controls()->setSettings(settings);
}

core::Tensor predictions(core::Model& model)
{
    core::Tensor input({9, 2});
    for (std::size_t i = 0; i < input.size(); ++i)
        input[i] = 0.25f * static_cast<float>(i % 9) - 1.0f + 0.1f * static_cast<float>(i / 9);
    return model.forward(input, false);
}

// Answers the next modal message box with `button` (polling, so it works whatever the timing);
// records its text. The answerer lives at most as long as `owner`.
void answerNextMessageBox(QObject* owner, QMessageBox::StandardButton button, QString* text)
{
    auto* timer = new QTimer(owner);
    auto tries = std::make_shared<int>(0);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, button, text, tries] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        if (!box && ++*tries < 200)
            return;
        if (box) {
            if (text)
                *text = box->text();
            box->button(button)->click();
        }
        timer->stop();
        timer->deleteLater();
    });
    timer->start(25);
}

}  // namespace

class TestSessionManager : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString file(const QString& name) const { return m_dir.filePath(name); }

private slots:
    void initTestCase()
    {
        qputenv("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("config")).toUtf8());
        QStandardPaths::setTestModeEnabled(true);
    }

    void savedSessionReopensIdentically()
    {
        const QString path = file(QStringLiteral("run.llsession"));
        ui::MainWindow a;
        setUp(a, file(QStringLiteral("autosave-a.llsession")));
        QVERIFY(a.trainSteps(30, 60000));
        QVERIFY(a.raiseView(QStringLiteral("weights")));
        QVERIFY(a.sessionManager()->isDirty());
        QString error;
        QVERIFY2(a.sessionManager()->save(path, &error), qPrintable(error));
        QVERIFY(!a.sessionManager()->isDirty());
        QCOMPARE(a.sessionManager()->path(), path);
        QVERIFY(a.windowTitle().contains(QStringLiteral("run")));
        core::Trainer* trained = a.session()->trainer();
        QVERIFY(trained);
        const core::TrainerSettings saved = a.controls()->settings();

        ui::MainWindow b;
        b.sessionManager()->setAutosavePath(file(QStringLiteral("autosave-b.llsession")));
        b.resize(1400, 900);
        b.show();
        QVERIFY(QTest::qWaitForWindowExposed(&b));
        QVERIFY2(b.sessionManager()->open(path, &error), qPrintable(error));
        QVERIFY(!b.sessionManager()->isDirty());
        QCOMPARE(b.session()->datasetSpec(), kData);
        QVERIFY(b.session()->modelDescription() == a.session()->modelDescription());
        QVERIFY(b.builder()->description() == a.builder()->description());
        core::Trainer* reopened = b.session()->trainer();
        QVERIFY(reopened);
        QCOMPARE(reopened->stepCount(), trained->stepCount());
        QCOMPARE(reopened->history().stepCount(), trained->history().stepCount());
        QCOMPARE(reopened->history().epochCount(), trained->history().epochCount());
        b.curves()->refresh();
        QCOMPARE(b.curves()->stepPointCount(), static_cast<int>(trained->history().stepCount()));

        // The trained weights, not fresh ones: bit-identical predictions.
        const core::Tensor expected = predictions(*trained->model());
        const core::Tensor actual = predictions(*reopened->model());
        QCOMPARE(actual.shape(), expected.shape());
        for (std::size_t i = 0; i < expected.size(); ++i)
            QCOMPARE(actual[i], expected[i]);

        const core::TrainerSettings shown = b.controls()->settings();
        QCOMPARE(QString::fromStdString(shown.optimizer.kind), QString::fromStdString(saved.optimizer.kind));
        QCOMPARE(shown.optimizer.learningRate, saved.optimizer.learningRate);
        QCOMPARE(shown.batchSize, saved.batchSize);
        QCOMPARE(shown.epochs, saved.epochs);
        QCOMPARE(QString::fromStdString(shown.loss), QString::fromStdString(saved.loss));
        QCOMPARE(shown.seed, saved.seed);
        QCOMPARE(b.workbenchTabs()->currentIndex(), a.workbenchTabs()->currentIndex());

        for (int i = 0; i < 10; ++i)
            QApplication::processEvents();
        QVERIFY(b.grab().toImage().save(QStringLiteral("/tmp/layerlens_session_reopened.png")));
        // For a look by hand: layerlens --open /tmp/layerlens_session_run.llsession
        QFile::remove(QStringLiteral("/tmp/layerlens_session_run.llsession"));
        QFile::copy(path, QStringLiteral("/tmp/layerlens_session_run.llsession"));

        // It goes on from where it stopped, and that is new, unsaved work.
        const long long before = reopened->stepCount();
        QVERIFY(b.trainSteps(before + 5, 60000));
        QVERIFY(b.session()->trainer() == reopened);
        QVERIFY(reopened->stepCount() >= before + 5);
        QVERIFY(b.sessionManager()->isDirty());
    }

    void savingWhileTrainingKeepsTraining()
    {
        ui::MainWindow a;
        setUp(a, file(QStringLiteral("autosave-c.llsession")));
        QVERIFY(a.trainSteps(3, 60000));
        a.session()->start();
        QTRY_COMPARE_WITH_TIMEOUT(a.session()->state(), core::TrainerState::Running, 5000);
        QString error;
        QVERIFY2(a.sessionManager()->save(file(QStringLiteral("running.llsession")), &error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(a.session()->state(), core::TrainerState::Running, 5000);
        a.session()->pause();
        const ui::SessionFile loaded = ui::SessionFile::load(file(QStringLiteral("running.llsession")));
        QVERIFY(loaded.model);
        QVERIFY(loaded.training.step >= 3);
    }

    void brokenSessionsAreReportedInTheWindow()
    {
        ui::MainWindow window;
        window.sessionManager()->setAutosavePath(file(QStringLiteral("autosave-d.llsession")));
        window.show();
        const QString garbage = file(QStringLiteral("garbage.llsession"));
        QFile f(garbage);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("LLMODEL1 and then nonsense");
        f.close();
        QString error;
        QVERIFY(!window.sessionManager()->open(garbage, &error));
        QVERIFY2(error.contains(garbage), qPrintable(error));
        QCOMPARE(window.banner()->text(), error);
        QVERIFY(window.sessionManager()->path().isEmpty());

        // A session whose data is gone.
        ui::SessionFile lost;
        lost.datasetSpec = QStringLiteral("no-such-dataset-anywhere");
        lost.modelDescription = {{"input_shape", {2}}, {"layers", {{{"type", "Dense"}, {"units", 2}}}}};
        const QString lostPath = file(QStringLiteral("lost.llsession"));
        lost.save(lostPath);
        QVERIFY(!window.sessionManager()->open(lostPath, &error));
        QVERIFY2(error.contains(QStringLiteral("no-such-dataset-anywhere")), qPrintable(error));
        QVERIFY(!window.banner()->text().isEmpty());

        // A model file is not a session.
        core::Model model = core::Model::fromJson(lost.modelDescription);
        model.build(1);
        const QString modelPath = file(QStringLiteral("plain.llmodel"));
        core::ModelFile::save(modelPath.toStdString(), model);
        QVERIFY(!window.sessionManager()->open(modelPath, &error));
        QVERIFY2(error.contains(QStringLiteral("not a session")), qPrintable(error));

        // The window still works.
        QVERIFY(window.loadDataset(kData));
        QVERIFY(window.loadPreset(QStringLiteral("mlp")));
        QVERIFY(window.trainSteps(3, 60000));
    }

    void closeAsksAboutUnsavedWork()
    {
        const QString autosave = file(QStringLiteral("autosave-e.llsession"));
        ui::MainWindow window;
        setUp(window, autosave);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.trainSteps(3, 60000));
        QVERIFY(window.sessionManager()->isDirty());

        QString asked;
        answerNextMessageBox(&window, QMessageBox::Cancel, &asked);
        QVERIFY(!window.close());
        QCOMPARE(asked, QStringLiteral("Save the session before closing?"));
        QVERIFY(window.isVisible());
        QVERIFY(window.session()->trainer());  // the work is still there

        asked.clear();
        answerNextMessageBox(&window, QMessageBox::Discard, &asked);
        QVERIFY(window.close());
        QVERIFY(!asked.isEmpty());
        QVERIFY(!window.isVisible());
    }

    void closeWithoutUnsavedWorkDoesNotAsk()
    {
        ui::MainWindow window;
        setUp(window, file(QStringLiteral("autosave-f.llsession")));
        window.show();
        QVERIFY(window.trainSteps(3, 60000));
        QVERIFY(window.sessionManager()->save(file(QStringLiteral("clean.llsession"))));
        QString asked;
        answerNextMessageBox(&window, QMessageBox::Cancel, &asked);  // would keep it open if it asked
        QVERIFY(window.close());
        QVERIFY(asked.isEmpty());
    }

    void autosaveAppearsAndGoesAwayOnCleanClose()
    {
        const QString autosave = file(QStringLiteral("autosave-g.llsession"));
        ui::MainWindow window;
        setUp(window, autosave);
        window.show();
        window.sessionManager()->markClean();
        window.sessionManager()->setAutosaveInterval(200);
        QCOMPARE(window.sessionManager()->autosaveInterval(), 200);
        QTest::qWait(500);
        QVERIFY(!QFile::exists(autosave));  // nothing unsaved: nothing to autosave
        QVERIFY(window.trainSteps(5, 60000));
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(autosave), 5000);
        // It may have been written mid-run; the next tick catches up with the paused state.
        auto autosavedStep = [&autosave]() -> long long {
            try {
                const ui::SessionFile saved = ui::SessionFile::load(autosave);
                return saved.model ? saved.training.step : -1;
            } catch (const std::exception&) {
                return -1;
            }
        };
        const long long trained = window.session()->trainer()->stepCount();
        QTRY_COMPARE_WITH_TIMEOUT(autosavedStep(), trained, 5000);
        QVERIFY(window.sessionManager()->path().isEmpty());  // an autosave is not the person's save
        QVERIFY(window.sessionManager()->isDirty());

        QVERIFY(window.sessionManager()->save(file(QStringLiteral("then-saved.llsession"))));
        QVERIFY(window.close());  // clean: no question
        QVERIFY(!QFile::exists(autosave));
    }

    void leftOverAutosaveIsOffered()
    {
        const QString autosave = file(QStringLiteral("autosave-h.llsession"));
        long long steps = 0;
        {
            // A window that "crashes": it is never closed, so its autosave stays.
            ui::MainWindow crashed;
            setUp(crashed, autosave);
            QVERIFY(crashed.trainSteps(4, 60000));
            steps = crashed.session()->trainer()->stepCount();
            QVERIFY(crashed.sessionManager()->autosaveNow());
        }
        QVERIFY(QFile::exists(autosave));

        ui::MainWindow window;
        window.sessionManager()->setAutosavePath(autosave);
        window.show();
        QVERIFY(window.sessionManager()->offerRecovery());
        QVERIFY(window.banner()->text().contains(QStringLiteral("autosaved")));
        QPushButton* restore = window.banner()->actionButton();
        QVERIFY(restore->isVisible());
        QCOMPARE(restore->text(), QStringLiteral("Restore"));
        restore->click();
        QVERIFY(window.session()->trainer());
        QCOMPARE(window.session()->trainer()->stepCount(), steps);
        QCOMPARE(window.session()->datasetSpec(), kData);
        QVERIFY(window.sessionManager()->isDirty());  // restored, but not saved by the person
        QVERIFY(window.sessionManager()->path().isEmpty());
        QVERIFY(!restore->isVisible());

        // No autosave, no offer.
        window.sessionManager()->setAutosavePath(file(QStringLiteral("never-written.llsession")));
        QVERIFY(!window.sessionManager()->offerRecovery());
    }
};

QTEST_MAIN(TestSessionManager)
#include "test_session_manager.moc"
