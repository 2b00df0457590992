#include "core/io/model_loader.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/keras/keras_reader.h"
#include "core/keras/keras_to_model.h"
#include "core/model/presets.h"
#include "core/onnx/onnx_model.h"
#include "core/onnx/onnx_to_model.h"

namespace layerlens::core {

LoadedModel loadModel(const std::string& spec, const Shape& dataShape, int classes)
{
    LoadedModel loaded;
    for (const auto& preset : presetNames()) {
        if (spec == preset) {
            loaded.model = Model::fromJson(presetDescription(spec, dataShape, classes));
            loaded.source = "preset " + spec;
            return loaded;
        }
    }
    if (!std::filesystem::exists(spec)) {
        std::string names;
        for (const auto& preset : presetNames())
            names += (names.empty() ? "" : ", ") + preset;
        throw std::runtime_error(spec + ": no such file, and not a preset (presets: " + names + ")");
    }
    if (ModelFile::looksLikeModelFile(spec)) {
        loaded.model = ModelFile::load(spec, &loaded.training);
        loaded.hasTraining = true;
        loaded.source = "file " + spec;
        return loaded;
    }
    const std::string ext = std::filesystem::path(spec).extension().string();
    if (ext == ".h5" || ext == ".hdf5" || ext == ".keras") {
        KerasModel keras = KerasReader::readFile(spec);
        loaded.model = toModel(keras);
        loaded.training.classNames = keras.classNames;
        loaded.source = "Keras file " + spec;
        return loaded;
    }
    if (ext == ".onnx") {
        // Loading names unsupported operators itself; the conversion names the node that has no
        // layer here or where the graph branches.
        OnnxConversion converted = onnxToModel(OnnxModel::load(spec));
        loaded.model = std::move(converted.model);
        loaded.notes = std::move(converted.notes);
        loaded.source = "ONNX file " + spec;
        return loaded;
    }
    if (ext == ".json") {
        std::ifstream in(spec);
        std::stringstream text;
        text << in.rdbuf();
        nlohmann::json description;
        try {
            description = nlohmann::json::parse(text.str());
        } catch (const nlohmann::json::parse_error& e) {
            throw std::runtime_error(spec + ": not valid JSON: " + e.what());
        }
        try {
            loaded.model = Model::fromJson(description);
        } catch (const std::exception& e) {
            throw std::runtime_error(spec + ": " + e.what());
        }
        loaded.source = "file " + spec;
        return loaded;
    }
    throw std::runtime_error(spec + ": unrecognised model file (expected a preset name, a .json description or a "
                             ".llmodel file saved by LayerLens, a Keras .h5/.keras file or an .onnx file)");
}

}  // namespace layerlens::core
