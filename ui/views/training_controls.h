#pragma once
// TrainingControls: the run buttons (start, pause, step, layer step, stop, reset) and the
// training settings (optimizer, learning rate, batch size, epochs, loss, seed). The learning rate
// applies live; the others take effect at the next reset.

#include <QWidget>

#include "core/train/trainer.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace layerlens::ui {

class TrainingControls : public QWidget {
    Q_OBJECT
public:
    explicit TrainingControls(QWidget* parent = nullptr);

    core::TrainerSettings settings() const;
    void setSettings(const core::TrainerSettings& settings);
    void setState(core::TrainerState state);  // enables the buttons that make sense
    void setLossSuggestion(const QString& loss);  // e.g. after the data changed

    QPushButton* startButton() const { return m_start; }
    QPushButton* pauseButton() const { return m_pause; }
    QPushButton* stepButton() const { return m_step; }
    QPushButton* layerStepButton() const { return m_layerStep; }
    QPushButton* stopButton() const { return m_stop; }
    QPushButton* resetButton() const { return m_reset; }
    QDoubleSpinBox* learningRateBox() const { return m_learningRate; }

signals:
    void startRequested();
    void pauseRequested();
    void stepRequested();
    void layerStepRequested();
    void stopRequested();
    void resetRequested();
    void learningRateChanged(double rate);
    void settingsChanged();  // anything but the learning rate: takes effect at the next reset

private:
    QPushButton *m_start, *m_pause, *m_step, *m_layerStep, *m_stop, *m_reset;
    QComboBox* m_optimizer;
    QDoubleSpinBox* m_learningRate;
    QSpinBox* m_batchSize;
    QSpinBox* m_epochs;
    QComboBox* m_loss;
    QSpinBox* m_seed;
    QLabel* m_note;
    core::TrainerSettings m_base;  // settings not edited here are kept as given
};

}  // namespace layerlens::ui
