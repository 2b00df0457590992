#pragma once
// SessionFile: one workbench session (.llsession) in one file: the data choice, the model as the
// builder shows it, the training settings, the view in front and, when something was trained, the
// trained model with its optimizer state, counters and history.
//
// The file is core's native model file (core::ModelFile: atomic tmp+rename writes, checked
// reads); the workbench's own fields ride in SavedTraining::extra under "session". An untrained
// session still needs a model in that file, so it stores a stand-in that the loader ignores.

#include <QString>

#include <memory>

#include <nlohmann/json.hpp>

#include "core/io/model_file.h"
#include "core/model/model.h"
#include "core/train/trainer.h"

namespace layerlens::ui {

class SessionFile {
public:
    static constexpr int kVersion = 1;
    static QString suffix() { return QStringLiteral("llsession"); }

    QString datasetSpec;                  // as typed in the data view ("spiral?n=200")
    nlohmann::json modelDescription;      // the builder's description; may be mid-edit (unbuildable)
    core::TrainerSettings settings;       // what the training controls show
    QString currentView;                  // the workbench tab in front (its title)
    std::shared_ptr<core::Model> model;   // the trained model, or null when nothing was trained
    core::SavedTraining training;         // optimizer state, counters, history; used with model

    // Throws std::runtime_error naming the file when it cannot be written.
    void save(const QString& path) const;
    // Throws std::runtime_error naming the file and what is wrong (not a session, corrupt, ...).
    static SessionFile load(const QString& path);

    static nlohmann::json settingsToJson(const core::TrainerSettings& settings);
    // Fields missing from the JSON keep their values from `base`.
    static core::TrainerSettings settingsFromJson(const nlohmann::json& json, core::TrainerSettings base = {});
};

}  // namespace layerlens::ui
