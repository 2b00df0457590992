// TrainerBridge: the worker hands over snapshots without waiting; the UI gets only the newest,
// at most once per timer tick, and state changes arrive as queued signals in the UI thread.

#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <atomic>
#include <thread>

#include "ui/trainer_bridge.h"

using namespace layerlens;

namespace {

core::SnapshotPtr snapshotAt(long long step)
{
    auto s = std::make_shared<core::Snapshot>();
    s->step = step;
    return s;
}

}  // namespace

class TestTrainerBridge : public QObject {
    Q_OBJECT

private slots:
    void deliversNewestAndDropsStale()
    {
        ui::TrainerBridge bridge;
        bridge.setPollingInterval(1000000);  // driven by hand below
        QSignalSpy spy(&bridge, &ui::TrainerBridge::snapshotArrived);
        for (long long step = 1; step <= 5; ++step)
            bridge.snapshotReady(snapshotAt(step));
        bridge.poll();
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).value<core::SnapshotPtr>()->step, 5LL);
        QCOMPARE(bridge.latest()->step, 5LL);
        QCOMPARE(bridge.publishedCount(), 5LL);
        QCOMPARE(bridge.deliveredCount(), 1LL);
        QCOMPARE(bridge.droppedCount(), 4LL);
        // Nothing new: nothing delivered.
        bridge.poll();
        QCOMPARE(spy.count(), 1);
        bridge.snapshotReady(snapshotAt(6));
        bridge.poll();
        QCOMPARE(spy.count(), 2);
        QCOMPARE(spy.at(1).at(0).value<core::SnapshotPtr>()->step, 6LL);
    }

    void discardForgetsThePendingSnapshot()
    {
        ui::TrainerBridge bridge;
        bridge.setPollingInterval(1000000);
        QSignalSpy spy(&bridge, &ui::TrainerBridge::snapshotArrived);
        bridge.snapshotReady(snapshotAt(1));
        bridge.discard();
        bridge.poll();
        QCOMPARE(spy.count(), 0);
        QVERIFY(!bridge.latest());
    }

    void workerNeverBlocksAndTimerDelivers()
    {
        ui::TrainerBridge bridge;  // default ~30 Hz timer
        QSignalSpy spy(&bridge, &ui::TrainerBridge::snapshotArrived);
        std::atomic<bool> done{false};
        std::atomic<long long> published{0};
        // A fast worker: thousands of snapshots per second, far more than the UI can draw.
        std::thread worker([&] {
            const auto start = std::chrono::steady_clock::now();
            long long step = 0;
            while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(600)) {
                bridge.snapshotReady(snapshotAt(++step));
                published = step;
            }
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done.load(), 5000);
        worker.join();
        QTRY_COMPARE_WITH_TIMEOUT(bridge.latest() ? bridge.latest()->step : -1, published.load(), 2000);
        // Far fewer deliveries than publications; steps only ever increase.
        QVERIFY2(spy.count() < 60, qPrintable(QString::number(spy.count())));
        QVERIFY(spy.count() >= 5);
        QVERIFY(published.load() > spy.count() * 10);
        long long last = 0;
        for (const auto& args : spy) {
            const long long step = args.at(0).value<core::SnapshotPtr>()->step;
            QVERIFY(step > last);
            last = step;
        }
        QVERIFY(bridge.deliveredFps() > 5);
    }

    void stateChangesAreQueuedToTheUiThread()
    {
        ui::TrainerBridge bridge;
        bridge.setPollingInterval(1000000);
        QSignalSpy states(&bridge, &ui::TrainerBridge::trainerStateChanged);
        QSignalSpy snapshots(&bridge, &ui::TrainerBridge::snapshotArrived);
        Qt::HANDLE signalThread = nullptr;
        connect(&bridge, &ui::TrainerBridge::trainerStateChanged, this, [&] { signalThread = QThread::currentThreadId(); });
        std::thread worker([&] {
            bridge.snapshotReady(snapshotAt(42));
            bridge.stateChanged(core::TrainerState::Paused, "step 42: the loss is NaN");
        });
        worker.join();
        QCOMPARE(states.count(), 0);  // not yet: queued
        QTRY_COMPARE(states.count(), 1);
        QCOMPARE(signalThread, QThread::currentThreadId());
        QCOMPARE(states.at(0).at(0).value<core::TrainerState>(), core::TrainerState::Paused);
        QCOMPARE(states.at(0).at(1).toString(), QStringLiteral("step 42: the loss is NaN"));
        // The final snapshot came first, so views show the state the message talks about.
        QCOMPARE(snapshots.count(), 1);
        QCOMPARE(bridge.latest()->step, 42LL);
    }
};

QTEST_MAIN(TestTrainerBridge)
#include "test_trainer_bridge.moc"
