#pragma once
// TrainingStatus: the status-bar part of the window: trainer state, epoch/step/loss, speed,
// estimated time left and overall progress.

#include <QObject>

#include "core/train/snapshot.h"
#include "core/train/trainer.h"

class QLabel;
class QProgressBar;
class QStatusBar;

namespace layerlens::ui {

class TrainingStatus : public QObject {
    Q_OBJECT
public:
    explicit TrainingStatus(QStatusBar* bar);

    void showSnapshot(const core::Snapshot& snapshot, double deliveredFps);
    void setState(core::TrainerState state);
    QString stateText() const;
    static QString formatDuration(double seconds);  // 75 -> "1:15", 3725 -> "1:02:05"

private:
    QLabel* m_state;
    QLabel* m_step;
    QLabel* m_speed;
    QLabel* m_eta;
    QProgressBar* m_progress;
};

}  // namespace layerlens::ui
