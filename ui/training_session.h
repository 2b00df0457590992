#pragma once
// TrainingSession: owns what one training run needs (model description, dataset, settings,
// the core::Trainer and its TrainerBridge) so that the main window only wires widgets to it.
// A trainer is created lazily on the first command after a reset, from the current model
// description, dataset and settings.

#include <QObject>
#include <QString>

#include <memory>
#include <set>

#include <nlohmann/json.hpp>

#include "core/data/dataset.h"
#include "core/train/trainer.h"
#include "ui/trainer_bridge.h"

namespace layerlens::ui {

class TrainingSession : public QObject {
    Q_OBJECT
public:
    explicit TrainingSession(QObject* parent = nullptr);
    ~TrainingSession() override;

    TrainerBridge* bridge() const { return m_bridge; }
    core::Trainer* trainer() const { return m_trainer.get(); }
    const core::TrainingHistory* history() const { return m_trainer ? &m_trainer->history() : nullptr; }
    core::TrainerState state() const { return m_trainer ? m_trainer->state() : core::TrainerState::Idle; }

    // Loads the dataset (throws std::exception with a message a person can act on).
    // Resets the session: the next start trains from scratch on the new data.
    void loadDataset(const QString& spec);
    void setDataset(core::DatasetPtr dataset, const QString& spec);
    core::DatasetPtr dataset() const { return m_dataset; }
    QString datasetSpec() const { return m_datasetSpec; }

    // A new architecture or settings take effect at the next reset; changing the model while a
    // trainer exists resets the session (the old weights do not fit the new model).
    void setModelDescription(const nlohmann::json& description);
    const nlohmann::json& modelDescription() const { return m_modelDescription; }
    void setSettings(const core::TrainerSettings& settings);
    const core::TrainerSettings& settings() const { return m_settings; }

    // Creates the trainer if there is none. Returns false and sets *error when the model or data
    // do not allow training (the message names the layer or field).
    bool prepare(QString* error);

public slots:
    void start();
    void pause();
    void stepOnce();
    void stepLayer();
    void stop();
    void reset();                        // drops the trainer: the next start begins from scratch
    void setLearningRate(double rate);  // live while training
    // A view wants full weights/gradients of this layer; the trainer copies them from the next
    // reset on (small models get every layer anyway).
    void requestFullTensors(int layer);

signals:
    void trainerCreated(core::Trainer* trainer);
    void trainerAboutToBeDestroyed();
    void sessionReset();  // the trainer is gone; views should clear
    void failed(const QString& message);  // could not prepare or command failed
    void datasetChanged(const core::DatasetPtr& dataset);

private:
    bool ensureTrainer();

    TrainerBridge* m_bridge;
    nlohmann::json m_modelDescription;
    core::DatasetPtr m_dataset;
    QString m_datasetSpec;
    core::TrainerSettings m_settings;
    std::unique_ptr<core::Trainer> m_trainer;
    std::set<int> m_fullTensorLayers;
};

}  // namespace layerlens::ui
