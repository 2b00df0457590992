#pragma once
// evaluate(): a model's loss, accuracy, top-5, confusion matrix, per-class accuracy and the first
// misclassified examples over a whole dataset, in inference mode. Used by the trainer at the end
// of each epoch (validation), by `layerlens-cli eval` and by tests.

#include <cstddef>
#include <vector>

#include "core/data/dataset.h"
#include "core/losses/loss.h"
#include "core/model/model.h"
#include "core/train/snapshot.h"

namespace layerlens::core {

struct Evaluation {
    float loss = 0, accuracy = 0, top5 = 0;
    std::vector<int> confusion;  // classes x classes, row = true class
    std::vector<float> perClassAccuracy;
    std::size_t samples = 0;
    std::vector<Snapshot::Misclassified> misclassified;  // the first few
};

Evaluation evaluate(Model& model, const Dataset& data, const Loss& loss, int batchSize = 256, int keepMisclassified = 32);

}  // namespace layerlens::core
