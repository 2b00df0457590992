#pragma once
// Opens whatever the user names as a model: a preset ("lenet5"), a JSON description, a native
// .llmodel file, or (where supported) a file saved by another tool.

#include <string>
#include <vector>

#include "core/io/model_file.h"
#include "core/model/model.h"

namespace layerlens::core {

struct LoadedModel {
    Model model;
    std::string source;       // what was loaded, for messages: "preset lenet5", "file m.llmodel"
    bool hasTraining = false; // native files with optimizer state and history
    SavedTraining training;
    std::vector<std::string> notes;  // what an import adapted (ONNX: dropped LogSoftmax, ...)
};

// dataShape/classes adapt presets to a dataset (empty/0: the preset's defaults).
// Throws std::runtime_error naming the file or preset and what was expected.
LoadedModel loadModel(const std::string& spec, const Shape& dataShape = {}, int classes = 0);

}  // namespace layerlens::core
