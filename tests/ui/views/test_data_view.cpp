// DataView and TrainingControls: what a person sees after choosing data, and the settings the
// controls hand to the trainer.

#include <QDoubleSpinBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

#include "core/data/dataset.h"
#include "ui/views/data_view.h"
#include "ui/views/training_controls.h"
#include "ui/widgets/sample_grid_widget.h"

using namespace layerlens;

class TestDataView : public QObject {
    Q_OBJECT

private slots:
    void pointSetsShowScatterAndClassCounts()
    {
        ui::DataView view;
        view.resize(400, 500);
        view.show();
        const auto data = core::loadDataset("spiral?n=300&classes=3");
        view.setDataset(data, QStringLiteral("spiral?n=300&classes=3"));
        QCOMPARE(view.scatterSeriesCount(), 3);
        QCOMPARE(view.classBarCount(), 3);
        QCOMPARE(view.sampleGrid()->sampleCount(), 0);  // feature vectors are not drawn as images
        QCOMPARE(view.spec(), QStringLiteral("spiral?n=300&classes=3"));
    }

    void imagesShowSamples()
    {
        ui::DataView view;
        const auto data = core::loadDataset("shapes?n=200&size=16");
        view.setDataset(data, QStringLiteral("shapes?n=200&size=16"));
        QVERIFY(view.sampleGrid()->sampleCount() > 0);
        QCOMPARE(view.scatterSeriesCount(), 0);
        QCOMPARE(view.classBarCount(), data->classCount());
    }

    void sampleImageScalesValues()
    {
        const float values[4] = {0.0f, 0.5f, 1.0f, 0.25f};
        const QImage image = ui::SampleGridWidget::sampleImage(values, {1, 2, 2});
        QCOMPARE(image.size(), QSize(2, 2));
        QCOMPARE(qGray(image.pixel(0, 0)), 0);
        QCOMPARE(qGray(image.pixel(0, 1)), 255);
        QVERIFY(ui::SampleGridWidget::sampleImage(values, {4}).isNull());
    }

    void loadButtonRequestsTheTypedSpec()
    {
        ui::DataView view;
        view.show();
        QSignalSpy requested(&view, &ui::DataView::datasetRequested);
        view.setSpecText(QStringLiteral("xor?n=100"));
        QTest::mouseClick(view.findChild<QPushButton*>(QStringLiteral("loadDataButton")), Qt::LeftButton);
        QCOMPARE(requested.count(), 1);
        QCOMPARE(requested.at(0).at(0).toString(), QStringLiteral("xor?n=100"));
    }

    void trainingControlsFollowTheState()
    {
        ui::TrainingControls controls;
        controls.show();
        core::TrainerSettings settings;
        settings.epochs = 7;
        settings.batchSize = 16;
        settings.optimizer.kind = "sgd";
        settings.optimizer.learningRate = 0.05f;
        settings.seed = 42;
        controls.setSettings(settings);
        const core::TrainerSettings back = controls.settings();
        QCOMPARE(back.epochs, 7);
        QCOMPARE(back.batchSize, 16);
        QCOMPARE(QString::fromStdString(back.optimizer.kind), QStringLiteral("sgd"));
        QCOMPARE(back.optimizer.learningRate, 0.05f);
        QCOMPARE(back.seed, std::uint64_t(42));

        QSignalSpy start(&controls, &ui::TrainingControls::startRequested);
        QSignalSpy pause(&controls, &ui::TrainingControls::pauseRequested);
        QSignalSpy rate(&controls, &ui::TrainingControls::learningRateChanged);
        controls.setState(core::TrainerState::Idle);
        QVERIFY(!controls.pauseButton()->isEnabled());
        QTest::mouseClick(controls.startButton(), Qt::LeftButton);
        QCOMPARE(start.count(), 1);
        controls.setState(core::TrainerState::Running);
        QVERIFY(!controls.startButton()->isEnabled());
        QVERIFY(!controls.resetButton()->isEnabled());
        QTest::mouseClick(controls.pauseButton(), Qt::LeftButton);
        QCOMPARE(pause.count(), 1);
        // The learning rate stays editable while training and steps 1-2-5.
        QVERIFY(controls.learningRateBox()->isEnabled());
        controls.learningRateBox()->stepBy(1);
        QCOMPARE(rate.count(), 1);
        QVERIFY(qAbs(rate.at(0).at(0).toDouble() - 0.1) < 1e-9);
        controls.setState(core::TrainerState::Paused);
        QCOMPARE(controls.startButton()->text(), QStringLiteral("Resume"));
    }
};

QTEST_MAIN(TestDataView)
#include "test_data_view.moc"
