#pragma once
// TrainerBridge: turns the trainer's observer callbacks (worker thread) into Qt signals in the
// UI thread. The worker only drops its snapshot into a latest-value slot and never waits for the
// UI; a timer in the UI thread picks the newest one up at most 30 times a second, so snapshots
// the UI had no time to draw are simply replaced.

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

#include <deque>
#include <mutex>

#include "core/train/snapshot.h"
#include "core/train/trainer.h"

Q_DECLARE_METATYPE(layerlens::core::SnapshotPtr)
Q_DECLARE_METATYPE(layerlens::core::TrainerState)

namespace layerlens::ui {

class TrainerBridge : public QObject, public core::TrainerObserver {
    Q_OBJECT
public:
    explicit TrainerBridge(QObject* parent = nullptr);
    ~TrainerBridge() override;

    // TrainerObserver, called on the worker thread.
    void snapshotReady(core::SnapshotPtr snapshot) override;
    void stateChanged(core::TrainerState state, const std::string& message) override;

    core::SnapshotPtr latest() const;       // the newest snapshot delivered to the UI
    void setPollingInterval(int milliseconds) { m_timer.setInterval(milliseconds); }
    int pollingInterval() const { return m_timer.interval(); }
    double deliveredFps() const;            // snapshots delivered per second, over the last 2 s
    long long publishedCount() const;       // snapshots the worker handed over
    long long deliveredCount() const { return m_delivered; }
    long long droppedCount() const { return publishedCount() - m_delivered; }  // replaced before drawn

public slots:
    // Delivers the pending snapshot, if one arrived since the last delivery. Called by the timer;
    // public so that a caller can flush before reading (tests, screenshots).
    void poll();
    // Forgets the pending and latest snapshots (after a reset, the old run must not reappear).
    void discard();

signals:
    void snapshotArrived(const layerlens::core::SnapshotPtr& snapshot);
    void trainerStateChanged(layerlens::core::TrainerState state, const QString& message);

private:
    mutable std::mutex m_mutex;
    core::SnapshotPtr m_pending;  // written by the worker, taken by poll()
    long long m_published = 0;    // guarded by m_mutex

    core::SnapshotPtr m_latest;   // UI thread only
    long long m_delivered = 0;
    QTimer m_timer;
    QElapsedTimer m_clock;
    std::deque<qint64> m_deliveryTimes;  // ms since m_clock start, last 2 s
};

}  // namespace layerlens::ui
