// FineTuneDialog, driven with real input events: a model file typed in, a freeze checkbox
// toggled with the keyboard, OK clicked; the workbench's session then holds the model with the
// replaced head and the chosen frozen layers, and with the comparison a fine-tune vs scratch race
// runs to the end on one chart.

#include <QtTest>

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>

#include "core/data/dataset.h"
#include "core/io/model_file.h"
#include "core/model/model_surgery.h"
#include "core/train/trainer.h"
#include "ui/main_window.h"
#include "ui/training_session.h"
#include "ui/views/model_builder_view.h"
#include "ui/views/race_view.h"
#include "ui/views/training_controls.h"
#include "ui/widgets/fine_tune_dialog.h"

using namespace layerlens;

namespace {

// "A model trained elsewhere": an MLP trained on one spiral sample, saved as .llmodel.
QString savePretrainedSpiral(const QString& dir)
{
    auto model = std::make_shared<core::Model>(core::Model::fromJson(
        {{"input_shape", {2}},
         {"layers", {{{"type", "Dense"}, {"units", 32}, {"activation", "relu"}, {"name", "features_1"}},
                     {{"type", "Dense"}, {"units", 32}, {"activation", "relu"}, {"name", "features_2"}},
                     {{"type", "Dense"}, {"units", 5}, {"name", "old_head"}}}}}));
    model->build(7);
    core::TrainerSettings settings;
    settings.epochs = 100;
    settings.batchSize = 32;
    settings.optimizer.learningRate = 0.01f;
    settings.validationSplit = 0.0f;
    settings.capture.statistics = false;
    settings.capture.probeCount = 0;
    core::Trainer trainer(model, core::loadDataset("spiral?n=600&noise=0.1&classes=5&seed=1"), nullptr, settings);
    trainer.runBlocking();
    const QString path = dir + "/spiral_pretrained.llmodel";
    core::ModelFile::save(path.toStdString(), *model);
    return path;
}

void typePath(ui::FineTuneDialog& dialog, const QString& path)
{
    dialog.pathEdit()->clear();
    QTest::mouseClick(dialog.pathEdit(), Qt::LeftButton);
    QTest::keyClicks(dialog.pathEdit(), path);
    QTest::keyClick(dialog.pathEdit(), Qt::Key_Return);
}

void toggleRow(QListWidget* list, int row)
{
    const QRect rect = list->visualItemRect(list->item(row));
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, rect.center());
    QCOMPARE(list->currentRow(), row);
    QTest::keyClick(list->viewport(), Qt::Key_Space);
}

}  // namespace

class TestFineTuneDialog : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void initTestCase()
    {
        qputenv("XDG_CONFIG_HOME", m_dir.path().toUtf8());
        QStandardPaths::setTestModeEnabled(true);
    }

    void onnxModelGetsNewHeadAndFrozenLayers()
    {
        ui::MainWindow window;
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.loadDataset(QStringLiteral("shapes?n=60&size=12&seed=2")));
        const core::DatasetPtr data = window.session()->dataset();
        QCOMPARE(data->sampleShape(), (core::Shape{3, 12, 12}));
        const int classes = data->classCount();

        ui::FineTuneDialog dialog(data, &window);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(!dialog.buttons()->button(QDialogButtonBox::Ok)->isEnabled());
        typePath(dialog, QStringLiteral(LAYERLENS_TEST_DATA_DIR "/onnx/transfer/branching.onnx"));
        QVERIFY2(dialog.message().contains("branch"), qPrintable(dialog.message()));
        QVERIFY(!dialog.hasModel());

        typePath(dialog, QStringLiteral(LAYERLENS_TEST_DATA_DIR "/onnx/transfer/chain_ops.onnx"));
        QVERIFY2(dialog.hasModel(), qPrintable(dialog.message()));
        QListWidget* list = dialog.layerList();
        QVERIFY(list->count() > 10);
        // Default: everything before the head frozen.
        int head = -1;
        for (int i = 0; i < list->count(); ++i)
            if (list->item(i)->text().contains("new head"))
                head = i;
        QVERIFY(head > 0);
        for (int i = 0; i < list->count(); ++i)
            QCOMPARE(list->item(i)->checkState(), i < head ? Qt::Checked : Qt::Unchecked);
        QVERIFY(dialog.replaceHeadBox()->isChecked());
        QVERIFY(!dialog.compareBox()->isChecked());
        // Unfreeze the first convolution with the keyboard.
        toggleRow(list, 0);
        QCOMPARE(list->item(0)->checkState(), Qt::Unchecked);
        QVERIFY(dialog.grab().save(QDir::tempPath() + "/layerlens_finetune_dialog.png"));

        QTest::mouseClick(dialog.buttons()->button(QDialogButtonBox::Ok), Qt::LeftButton);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QString error;
        QVERIFY2(dialog.apply(&window, &error), qPrintable(error));

        QVERIFY(window.session()->trainer());
        std::shared_ptr<core::Model> model = window.session()->trainer()->model();
        QCOMPARE(model->outputShape(), (core::Shape{classes}));
        QCOMPARE(model->layer(head).name(), std::string("head"));
        QCOMPARE(model->layer(head).type(), std::string("Dense"));
        QVERIFY(!model->layer(0).isFrozen());
        for (int i = 1; i < head; ++i)
            QVERIFY(model->layer(i).isFrozen());
        QVERIFY(!model->layer(head).isFrozen());
        // The builder shows the frozen layers ("trainable": false in its description).
        const auto layers = window.builder()->description()["layers"];
        QVERIFY(layers[0].value("trainable", true));
        QCOMPARE(layers[1].value("trainable", true), false);
        QVERIFY(window.trainSteps(3, 60000));
    }

    void llmodelFineTuneVersusScratchRace()
    {
        const QString path = savePretrainedSpiral(m_dir.path());
        ui::MainWindow window;
        window.resize(1500, 950);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.loadDataset(QStringLiteral("spiral?n=400&noise=0.1&classes=3&seed=4")));
        core::TrainerSettings settings = window.session()->settings();
        settings.epochs = 8;
        settings.batchSize = 16;
        settings.optimizer.kind = "adam";
        settings.optimizer.learningRate = 0.01f;
        window.controls()->setSettings(settings);
        window.session()->setSettings(settings);

        ui::FineTuneDialog dialog(window.session()->dataset(), &window);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        typePath(dialog, path);
        QVERIFY2(dialog.hasModel(), qPrintable(dialog.message()));
        QTest::mouseClick(dialog.compareBox(), Qt::LeftButton);
        QVERIFY(dialog.compareBox()->isChecked());
        QTest::mouseClick(dialog.buttons()->button(QDialogButtonBox::Ok), Qt::LeftButton);
        QString error;
        QVERIFY2(dialog.apply(&window, &error), qPrintable(error));

        auto* race = window.findChild<ui::RaceView*>();
        QVERIFY(race && race->race());
        QCOMPARE(window.workbenchTabs()->currentWidget(), static_cast<QWidget*>(race));
        QCOMPARE(race->race()->variantCount(), 2);
        QCOMPARE(race->race()->label(0), std::string("fine-tune"));
        QCOMPARE(race->race()->label(1), std::string("scratch"));
        QTRY_VERIFY_WITH_TIMEOUT(race->isFinished(), 60000);
        const auto fine = race->race()->result(0), scratch = race->race()->result(1);
        QVERIFY2(fine.error.empty() && scratch.error.empty(), (fine.error + scratch.error).c_str());
        qInfo("fine-tuned %.3f vs scratch %.3f", double(fine.finalAccuracy), double(scratch.finalAccuracy));
        QVERIFY(fine.finalAccuracy > scratch.finalAccuracy);
        // The workbench holds the fine-tune model, frozen but for the new head.
        auto model = window.session()->trainer()->model();
        QCOMPARE(model->outputShape(), (core::Shape{3}));
        QCOMPARE(model->trainableParameterCount(), std::size_t(32 * 3 + 3));
        const QString shot = qEnvironmentVariable("LAYERLENS_FINETUNE_SCREENSHOT", QDir::tempPath() + "/layerlens_finetune.png");
        QVERIFY(window.grab().save(shot));
    }
};

QTEST_MAIN(TestFineTuneDialog)
#include "test_fine_tune_dialog.moc"
