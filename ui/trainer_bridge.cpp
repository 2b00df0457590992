#include "ui/trainer_bridge.h"

#include <QMetaObject>

namespace layerlens::ui {

namespace {
constexpr qint64 kFpsWindowMs = 2000;
}

TrainerBridge::TrainerBridge(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<core::SnapshotPtr>("layerlens::core::SnapshotPtr");
    qRegisterMetaType<core::TrainerState>("layerlens::core::TrainerState");
    m_clock.start();
    m_timer.setInterval(33);  // ~30 Hz: smooth enough for a person, cheap for the UI thread
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &TrainerBridge::poll);
    m_timer.start();
}

TrainerBridge::~TrainerBridge() = default;

void TrainerBridge::snapshotReady(core::SnapshotPtr snapshot)
{
    std::lock_guard lock(m_mutex);
    m_pending = std::move(snapshot);
    ++m_published;
}

void TrainerBridge::stateChanged(core::TrainerState state, const std::string& message)
{
    // Queued into the UI thread. The newest snapshot is delivered first so that a view that
    // reacts to "finished" or "paused" sees the final state of the model.
    const QString text = QString::fromStdString(message);
    QMetaObject::invokeMethod(
        this,
        [this, state, text] {
            poll();
            emit trainerStateChanged(state, text);
        },
        Qt::QueuedConnection);
}

core::SnapshotPtr TrainerBridge::latest() const { return m_latest; }

long long TrainerBridge::publishedCount() const
{
    std::lock_guard lock(m_mutex);
    return m_published;
}

double TrainerBridge::deliveredFps() const
{
    if (m_deliveryTimes.size() < 2)
        return 0;
    const qint64 now = m_clock.elapsed();
    qint64 count = 0;
    for (qint64 t : m_deliveryTimes)
        if (now - t <= kFpsWindowMs)
            ++count;
    const qint64 span = std::max<qint64>(1, now - m_deliveryTimes.front());
    return 1000.0 * static_cast<double>(count) / static_cast<double>(std::min(span, kFpsWindowMs));
}

void TrainerBridge::discard()
{
    {
        std::lock_guard lock(m_mutex);
        m_pending.reset();
    }
    m_latest.reset();
}

void TrainerBridge::poll()
{
    core::SnapshotPtr snapshot;
    {
        std::lock_guard lock(m_mutex);
        snapshot = std::move(m_pending);
        m_pending.reset();
    }
    if (!snapshot)
        return;
    m_latest = snapshot;
    ++m_delivered;
    const qint64 now = m_clock.elapsed();
    m_deliveryTimes.push_back(now);
    while (!m_deliveryTimes.empty() && now - m_deliveryTimes.front() > kFpsWindowMs)
        m_deliveryTimes.pop_front();
    emit snapshotArrived(snapshot);
}

}  // namespace layerlens::ui
