#pragma once
// LayerLens's native model file (.llmodel): architecture, weights, frozen flags, optimizer
// settings and state, training history and step counters, in one file.
//
// Layout: 8-byte magic "LLMODEL1", uint64 little-endian JSON length, the JSON header, then the
// raw float32 little-endian tensor data. The header's "tensors" array lists each tensor's
// name, shape and byte offset into the data block, so the file can be read without guessing.
// Writes go to FILE.tmp first and are renamed over FILE, so a crash never leaves half a model.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model/model.h"
#include "core/optimizers/optimizer.h"
#include "core/train/training_history.h"

namespace layerlens::core {

struct SavedTraining {
    OptimizerSettings optimizer;
    long long optimizerSteps = 0;
    std::vector<Tensor> optimizerState;  // in Optimizer::state() order
    long long step = 0;
    int epoch = 0;
    std::vector<StepRecord> steps;
    std::vector<EpochRecord> epochs;
    // Where in the data the run stopped, so that it resumes exactly: the random generator's
    // state, the epoch's sample order and the position in it.
    std::vector<std::uint64_t> rngState;
    std::vector<std::uint32_t> order;
    std::size_t cursor = 0;
    std::string datasetSpec;
    std::vector<std::string> classNames;
    // Anything a front end keeps with the run (the workbench's session: settings, views); saved
    // as header["training"]["extra"] when not null, read back as is.
    nlohmann::json extra;
};

class ModelFile {
public:
    // Throws std::runtime_error naming the file on any I/O problem.
    static void save(const std::string& path, const Model& model, const SavedTraining* training = nullptr);
    // Returns a built model with the saved weights; fills training if given and present.
    // Throws std::runtime_error naming the file and what is wrong (magic, header field, sizes).
    static Model load(const std::string& path, SavedTraining* training = nullptr);
    static bool looksLikeModelFile(const std::string& path);  // checks the magic only
};

}  // namespace layerlens::core
