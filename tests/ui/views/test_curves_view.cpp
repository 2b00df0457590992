// CurvesView: reads the history incrementally, thins long runs, keeps runs, exports.

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "core/train/training_history.h"
#include "ui/views/curves_view.h"

using namespace layerlens;

namespace {

void addSteps(core::TrainingHistory& history, long long from, long long to)
{
    for (long long s = from; s < to; ++s)
        history.addStep({s + 1, static_cast<double>(s + 1) / 100.0, 2.0f / static_cast<float>(s + 2), 0.5f, 0.001f, {}});
}

}  // namespace

class TestCurvesView : public QObject {
    Q_OBJECT

private slots:
    void gainsPointsAsHistoryGrows()
    {
        core::TrainingHistory history;
        ui::CurvesView view;
        view.resize(900, 300);
        view.show();
        view.setHistory(&history);
        QCOMPARE(view.stepPointCount(), 0);
        addSteps(history, 0, 50);
        view.refresh();
        QCOMPARE(view.stepPointCount(), 50);
        QCOMPARE(view.displayedLossPoints(), 50);
        addSteps(history, 50, 120);
        history.addEpoch({0, 100, 0.4f, 0.8f, 0.5f, 0.75f, 1.0});
        view.refresh();
        QCOMPARE(view.stepPointCount(), 120);
        QCOMPARE(view.epochPointCount(), 1);
        // A snapshot only says there is news; the throttle lets at least the first one through.
        addSteps(history, 120, 130);
        view.showSnapshot(std::make_shared<core::Snapshot>());
        QTRY_COMPARE(view.stepPointCount(), 130);
    }

    void longRunsAreThinnedButKeepEveryRecord()
    {
        core::TrainingHistory history;
        ui::CurvesView view;
        view.setHistory(&history);
        addSteps(history, 0, 20000);
        view.refresh();
        QCOMPARE(view.stepPointCount(), 20000);
        QVERIFY(view.displayedLossPoints() <= 1500);
        QVERIFY(view.displayedLossPoints() > 500);
    }

    void axesAndLogScale()
    {
        core::TrainingHistory history;
        ui::CurvesView view;
        view.setHistory(&history);
        addSteps(history, 0, 200);
        view.refresh();
        view.setXAxis(ui::CurvesView::XAxis::Epoch);
        QCOMPARE(view.xAxis(), ui::CurvesView::XAxis::Epoch);
        view.setLogScale(true);
        QVERIFY(view.logScale());
        QCOMPARE(view.displayedLossPoints(), 200);
        view.setLogScale(false);
        view.setXAxis(ui::CurvesView::XAxis::Step);
        QCOMPARE(view.displayedLossPoints(), 200);
    }

    void keepRunsAndClear()
    {
        core::TrainingHistory first;
        ui::CurvesView view;
        view.setHistory(&first);
        addSteps(first, 0, 30);
        view.refresh();
        view.keepRun();
        QCOMPARE(view.keptRunCount(), 1);
        view.clear();
        QCOMPARE(view.stepPointCount(), 0);
        core::TrainingHistory second;
        view.setHistory(&second);
        addSteps(second, 0, 10);
        view.refresh();
        QCOMPARE(view.stepPointCount(), 10);
        QCOMPARE(view.keptRunCount(), 1);
        view.clearKeptRuns();
        QCOMPARE(view.keptRunCount(), 0);
    }

    void exports()
    {
        core::TrainingHistory history;
        ui::CurvesView view;
        view.resize(800, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setHistory(&history);
        addSteps(history, 0, 100);
        history.addEpoch({0, 100, 0.4f, 0.8f, 0.5f, 0.75f, 1.0});
        view.refresh();
        QTemporaryDir dir;
        QString error;
        QVERIFY2(view.exportPng(dir.filePath(QStringLiteral("c.png")), &error), qPrintable(error));
        QImage image(dir.filePath(QStringLiteral("c.png")));
        QVERIFY(!image.isNull());
        QVERIFY(image.width() > 400);
        QVERIFY2(view.exportSvg(dir.filePath(QStringLiteral("c.svg")), &error), qPrintable(error));
        QFile svg(dir.filePath(QStringLiteral("c.svg")));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        QVERIFY(svg.readAll().contains("<svg"));
        QVERIFY2(view.exportCsv(dir.filePath(QStringLiteral("c.csv")), &error), qPrintable(error));
        QFile csv(dir.filePath(QStringLiteral("c.csv")));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(csv.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 101);
        QCOMPARE(lines.first(), QStringLiteral("step,epoch,loss,accuracy,learning_rate,val_loss,val_accuracy"));
        QVERIFY(lines.at(100).startsWith(QStringLiteral("100,1,")));
        QVERIFY(lines.at(100).endsWith(QStringLiteral(",0.5,0.75")));
        QVERIFY(!view.exportCsv(QStringLiteral("/nonexistent/dir/c.csv"), &error));
        QVERIFY(!error.isEmpty());
    }
};

QTEST_MAIN(TestCurvesView)
#include "test_curves_view.moc"
