// RaceView: a tiny race runs to completion and fills the table, the curves and the decision maps.

#include <QtTest>

#include <QChart>
#include <QTabWidget>
#include <QTableWidget>

#include "ui/views/race_view.h"

using namespace layerlens;

class TestRaceView : public QObject {
    Q_OBJECT
private slots:
    void tinyRaceFillsTheTable()
    {
        ui::RaceView view;
        view.resize(1400, 860);
        view.setKind(core::RaceKind::Activation);
        view.setVariants({"sigmoid", "tanh", "relu"});
        view.setDatasetSpec("circles?n=240&seed=3");
        view.setHiddenLayers("12, 12");
        view.setEpochs(12);
        view.setBatchSize(16);
        view.setLearningRate(0.02);
        view.setTargetAccuracy(0.8);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY2(view.start(), qPrintable(view.statusText()));
        QTRY_VERIFY_WITH_TIMEOUT(view.isFinished(), 60000);
        QTableWidget* table = view.resultTable();
        QCOMPARE(table->rowCount(), 3);
        const auto results = view.race()->results();
        for (int row = 0; row < 3; ++row) {
            QCOMPARE(table->item(row, 0)->text(), QString::fromStdString(results[static_cast<std::size_t>(row)].label));
            QCOMPARE(table->item(row, 6)->text(), QString("done"));
            QCOMPARE(table->item(row, 4)->text(), QString::number(results[static_cast<std::size_t>(row)].steps));
            QVERIFY(table->item(row, 1)->text().endsWith("%"));
            QVERIFY(results[static_cast<std::size_t>(row)].steps == 12 * 14);  // 216 training samples / 16
        }
        QCOMPARE(view.boundaryCount(), 3);
        QVERIFY(view.statusText().startsWith("Finished"));
        QVERIFY(view.grab().save("/tmp/layerlens_race.png"));
        auto* tabs = view.findChild<QTabWidget*>();
        QVERIFY(tabs);
        tabs->setCurrentIndex(1);
        QVERIFY(view.grab().save("/tmp/layerlens_race_gradients.png"));
        tabs->setCurrentIndex(2);
        QVERIFY(view.grab().save("/tmp/layerlens_race_regions.png"));
    }

    void deepNetworkGradients()
    {
        // Eight hidden layers: the sigmoid variant's first layers get orders of magnitude less gradient.
        ui::RaceView view;
        view.resize(1400, 860);
        view.setVariants({"sigmoid", "tanh", "relu"});
        view.setDatasetSpec("moons?n=200&seed=3");
        view.setHiddenLayers("16, 16, 16, 16, 16, 16, 16, 16");
        view.setEpochs(3);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(view.start());
        QTRY_VERIFY_WITH_TIMEOUT(view.isFinished(), 60000);
        const auto sigmoid = view.race()->latest(0), relu = view.race()->latest(2);
        QVERIFY(sigmoid && relu);
        QVERIFY(sigmoid->layers[0].parameters[0].gradient.l2 * 100 < relu->layers[0].parameters[0].gradient.l2);
        view.findChild<QTabWidget*>()->setCurrentIndex(1);
        QVERIFY(view.grab().save("/tmp/layerlens_race_deep_gradients.png"));
    }

    void badSetupSaysWhy()
    {
        ui::RaceView view;
        view.setDatasetSpec("no-such-set");
        QVERIFY(!view.start());
        QVERIFY(!view.statusText().isEmpty());
        view.setDatasetSpec("xor?n=100");
        view.setCurrentModel(nlohmann::json{{"input_shape", {3}},
                                            {"layers", {{{"type", "Dense"}, {"units", 4}, {"activation", "relu"}},
                                                        {{"type", "Dense"}, {"units", 2}}}}});
        view.setModelChoice("Current model");
        QVERIFY(!view.start());  // three inputs for two-feature points
        QVERIFY2(view.statusText().contains("(3,)"), qPrintable(view.statusText()));
        view.setModelChoice("MLP");
        view.setHiddenLayers("8, x");
        QVERIFY(!view.start());
        QVERIFY(view.statusText().contains("x"));
    }
};

QTEST_MAIN(TestRaceView)
#include "test_race_view.moc"
