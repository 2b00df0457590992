#pragma once
// PhaseStrip: the phases of one training step as a row of chips — Forward 0 .. L-1, Loss,
// Backward L-1 .. 0, Update — with those done shaded and the current one highlighted.

#include <QWidget>

#include "core/train/snapshot.h"

namespace layerlens::ui {

class PhaseStrip : public QWidget {
    Q_OBJECT
public:
    explicit PhaseStrip(QWidget* parent = nullptr);

    void setLayerCount(int layers);
    void setPhase(core::TrainPhase phase, int layer);
    // Index of the current chip (0 .. 2L+1), -1 before the first phase of a batch.
    int currentChip() const;

    QSize sizeHint() const override { return {600, 34}; }
    QSize minimumSizeHint() const override { return {120, 30}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    int m_layers = 0;
    core::TrainPhase m_phase = core::TrainPhase::Idle;
    int m_layer = -1;
};

}  // namespace layerlens::ui
