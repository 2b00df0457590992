#include "ui/session_file.h"

#include <QFileInfo>

#include <stdexcept>
#include <utility>

namespace layerlens::ui {

namespace {

constexpr const char* kFormat = "layerlens-session";

// Stands in for the model in the file of a session that has not trained anything yet: the model
// file format needs a built model, and the builder's description may not build (mid-edit).
core::Model standInModel()
{
    core::Model model = core::Model::fromJson({{"input_shape", {1}}, {"layers", {{{"type", "Dense"}, {"units", 1}}}}});
    model.build(0);
    return model;
}

}  // namespace

nlohmann::json SessionFile::settingsToJson(const core::TrainerSettings& s)
{
    const core::OptimizerSettings& o = s.optimizer;
    const core::LearningRateSchedule& r = s.schedule;
    return {{"epochs", s.epochs},
            {"batch_size", s.batchSize},
            {"loss", s.loss},
            {"seed", s.seed},
            {"validation_split", s.validationSplit},
            {"stop_on_non_finite", s.stopOnNonFinite},
            {"optimizer",
             {{"kind", o.kind}, {"learning_rate", o.learningRate}, {"momentum", o.momentum}, {"beta1", o.beta1}, {"beta2", o.beta2},
              {"epsilon", o.epsilon}, {"rho", o.rho}, {"weight_decay", o.weightDecay}, {"l1", o.l1}, {"l2", o.l2},
              {"clip_norm", o.clipNorm}, {"clip_value", o.clipValue}}},
            {"schedule",
             {{"kind", r.kind}, {"step_size", r.stepSize}, {"gamma", r.gamma}, {"total_steps", r.totalSteps}, {"min_rate", r.minRate},
              {"warmup_steps", r.warmupSteps}}}};
}

core::TrainerSettings SessionFile::settingsFromJson(const nlohmann::json& j, core::TrainerSettings s)
{
    if (!j.is_object())
        throw std::invalid_argument("\"settings\" should be an object");
    s.epochs = j.value("epochs", s.epochs);
    s.batchSize = j.value("batch_size", s.batchSize);
    s.loss = j.value("loss", s.loss);
    s.seed = j.value("seed", s.seed);
    s.validationSplit = j.value("validation_split", s.validationSplit);
    s.stopOnNonFinite = j.value("stop_on_non_finite", s.stopOnNonFinite);
    if (j.contains("optimizer")) {
        const nlohmann::json& o = j.at("optimizer");
        core::OptimizerSettings& t = s.optimizer;
        t.kind = o.value("kind", t.kind);
        t.learningRate = o.value("learning_rate", t.learningRate);
        t.momentum = o.value("momentum", t.momentum);
        t.beta1 = o.value("beta1", t.beta1);
        t.beta2 = o.value("beta2", t.beta2);
        t.epsilon = o.value("epsilon", t.epsilon);
        t.rho = o.value("rho", t.rho);
        t.weightDecay = o.value("weight_decay", t.weightDecay);
        t.l1 = o.value("l1", t.l1);
        t.l2 = o.value("l2", t.l2);
        t.clipNorm = o.value("clip_norm", t.clipNorm);
        t.clipValue = o.value("clip_value", t.clipValue);
    }
    if (j.contains("schedule")) {
        const nlohmann::json& r = j.at("schedule");
        core::LearningRateSchedule& t = s.schedule;
        t.kind = r.value("kind", t.kind);
        t.stepSize = r.value("step_size", t.stepSize);
        t.gamma = r.value("gamma", t.gamma);
        t.totalSteps = r.value("total_steps", t.totalSteps);
        t.minRate = r.value("min_rate", t.minRate);
        t.warmupSteps = r.value("warmup_steps", t.warmupSteps);
    }
    // The trainer rejects these too, but a session that opens should also be able to train.
    if (s.epochs <= 0 || s.batchSize <= 0)
        throw std::invalid_argument("\"epochs\" and \"batch_size\" must be positive, found " + std::to_string(s.epochs) + " and "
                                    + std::to_string(s.batchSize));
    return s;
}

void SessionFile::save(const QString& path) const
{
    const nlohmann::json session = {{"format", kFormat},
                                     {"version", kVersion},
                                     {"dataset", datasetSpec.toStdString()},
                                     {"model", modelDescription},
                                     {"settings", settingsToJson(settings)},
                                     {"view", currentView.toStdString()},
                                     {"trained", model != nullptr}};
    core::SavedTraining saved = model ? training : core::SavedTraining{};
    saved.datasetSpec = datasetSpec.toStdString();
    if (!saved.extra.is_object())
        saved.extra = nlohmann::json::object();
    saved.extra["session"] = session;
    if (model)
        core::ModelFile::save(path.toStdString(), *model, &saved);
    else
        core::ModelFile::save(path.toStdString(), standInModel(), &saved);
}

SessionFile SessionFile::load(const QString& path)
{
    const std::string name = path.toStdString();
    if (!QFileInfo::exists(path))
        throw std::runtime_error(name + ": the file does not exist");
    core::SavedTraining saved;
    core::Model loadedModel = core::ModelFile::load(name, &saved);  // throws naming the file and the problem
    if (!saved.extra.is_object() || !saved.extra.contains("session"))
        throw std::runtime_error(name + ": this is a LayerLens model file, not a session (it has no \"session\" part); "
                                        "open it with File > Open model instead");
    SessionFile file;
    try {
        const nlohmann::json& session = saved.extra.at("session");
        if (session.value("format", std::string()) != kFormat)
            throw std::runtime_error(std::string("field \"format\" should be \"") + kFormat + "\"");
        const int version = session.value("version", 0);
        if (version > kVersion)
            throw std::runtime_error("written by a newer LayerLens (session version " + std::to_string(version) + ", this one reads up to "
                                     + std::to_string(kVersion) + ")");
        file.datasetSpec = QString::fromStdString(session.value("dataset", std::string()));
        file.modelDescription = session.value("model", nlohmann::json());
        file.settings = settingsFromJson(session.value("settings", nlohmann::json::object()));
        file.currentView = QString::fromStdString(session.value("view", std::string()));
        if (session.value("trained", false)) {
            file.model = std::make_shared<core::Model>(std::move(loadedModel));
            file.training = std::move(saved);
        }
    } catch (const std::exception& e) {
        throw std::runtime_error(name + ": session part: " + e.what());
    }
    return file;
}

}  // namespace layerlens::ui
