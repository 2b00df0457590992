#include "ui/widgets/training_status.h"

#include <QLabel>
#include <QProgressBar>
#include <QStatusBar>

#include <algorithm>

namespace layerlens::ui {

TrainingStatus::TrainingStatus(QStatusBar* bar) : QObject(bar)
{
    m_state = new QLabel(tr("Idle"), bar);
    m_state->setObjectName(QStringLiteral("stateLabel"));
    m_state->setMinimumWidth(90);
    m_step = new QLabel(bar);
    m_step->setObjectName(QStringLiteral("stepLabel"));
    m_speed = new QLabel(bar);
    m_eta = new QLabel(bar);
    m_progress = new QProgressBar(bar);
    m_progress->setObjectName(QStringLiteral("trainingProgress"));
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setMaximumWidth(220);
    m_progress->setFormat(QStringLiteral("0%"));
    bar->addWidget(m_state);
    bar->addWidget(m_step);
    bar->addPermanentWidget(m_speed);
    bar->addPermanentWidget(m_eta);
    bar->addPermanentWidget(m_progress);
}

QString TrainingStatus::formatDuration(double seconds)
{
    if (!(seconds >= 0) || seconds > 1e7)
        return QStringLiteral("—");
    const auto s = static_cast<long long>(seconds + 0.5);
    return s >= 3600 ? QStringLiteral("%1:%2:%3").arg(s / 3600).arg(s / 60 % 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'))
                     : QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

void TrainingStatus::showSnapshot(const core::Snapshot& s, double deliveredFps)
{
    const long long total = static_cast<long long>(s.epochs) * s.stepsPerEpoch;
    m_step->setText(tr("epoch %1/%2 · step %3 · loss %4 · accuracy %5%")
                        .arg(std::min(s.epoch + 1, std::max(1, s.epochs)))
                        .arg(s.epochs)
                        .arg(s.step)
                        .arg(s.loss, 0, 'g', 4)
                        .arg(100.0 * s.accuracy, 0, 'f', 1));
    m_speed->setText(tr("%1 images/s · %2 fps").arg(s.imagesPerSecond, 0, 'f', 0).arg(deliveredFps, 0, 'f', 0));
    if (total > 0) {
        const double done = static_cast<double>(s.step) / static_cast<double>(total);
        m_progress->setValue(static_cast<int>(1000.0 * done));
        m_progress->setFormat(QStringLiteral("%1%").arg(100.0 * done, 0, 'f', 0));
        const double perStep = s.step > 0 ? s.secondsElapsed / static_cast<double>(s.step) : -1;
        m_eta->setText(tr("ETA %1").arg(formatDuration(perStep * static_cast<double>(total - s.step))));
    }
}

void TrainingStatus::setState(core::TrainerState state)
{
    QString name = QString::fromLatin1(core::trainerStateName(state));
    if (!name.isEmpty())
        name[0] = name[0].toUpper();
    m_state->setText(name);
    if (state == core::TrainerState::Idle) {
        m_step->clear();
        m_eta->clear();
        m_speed->clear();
        m_progress->setValue(0);
        m_progress->setFormat(QStringLiteral("0%"));
    }
    if (state == core::TrainerState::Finished)
        m_eta->setText(tr("done"));
}

QString TrainingStatus::stateText() const { return m_state->text(); }

}  // namespace layerlens::ui
