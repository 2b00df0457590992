#pragma once
// Snapshot: an immutable picture of the model's internals at one moment. The trainer
// publishes it; the UI reads it on its own thread and never modifies it.

#include <memory>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "core/train/tensor_stats.h"

namespace layerlens::core {

struct ParameterSnapshot {
    std::string name;  // "kernel", "bias", ...
    Shape shape;
    TensorStats value, gradient, update;
    float updateToWeightRatio = 0;  // ||update|| / ||value||
    Tensor fullValue;               // only for watched layers (CaptureSettings::fullTensorLayers)
    Tensor fullGradient;            // idem
};

struct LayerSnapshot {
    std::string name, type, description;
    Shape outputShape;              // per sample
    TensorStats activation;         // of the batch output
    TensorStats gradient;           // of dL/d(output) for the batch
    std::vector<ParameterSnapshot> parameters;
    Tensor probeOutput;             // (probes, outputShape...) this layer's output for the probe inputs
    Tensor fullOutputGradient;      // layer-step mode: dL/d(output) for the batch (current moment)
};

enum class TrainPhase { Idle, Step, Forward, Loss, Backward, Update, EpochEnd, Finished };

struct Snapshot {
    long long step = 0;       // optimizer steps done
    int epoch = 0;            // 0-based epoch in progress
    int epochs = 0;
    long long stepsPerEpoch = 0;
    float loss = 0;           // latest batch loss
    float accuracy = 0;       // latest batch accuracy (classification)
    float learningRate = 0;
    double imagesPerSecond = 0;
    double secondsElapsed = 0;

    TrainPhase phase = TrainPhase::Step;
    int phaseLayer = -1;      // layer-step mode: the layer just computed

    std::vector<LayerSnapshot> layers;
    Tensor probeInputs;       // (probes, inputShape...)
    std::vector<int> probeLabels;     // -1 for probes that are not dataset samples
    std::vector<std::string> probeNames;  // per probe set by hand (e.g. the image file's name); empty for dataset samples
    std::vector<std::string> classNames;

    // Filled at the end of each epoch (validation): confusion[t * K + p] counts true t predicted p.
    bool hasValidation = false;
    float validationLoss = 0, validationAccuracy = 0, validationTop5 = 0;
    std::vector<int> confusion;
    std::vector<float> perClassAccuracy;

    // Filled at the end of each epoch: up to 32 misclassified validation samples.
    struct Misclassified {
        Tensor input;                   // (inputShape...)
        int trueClass = 0, predictedClass = 0;
        std::vector<float> probabilities;
    };
    std::vector<Misclassified> misclassified;

    // 2-D datasets only (CaptureSettings::decisionGrid): the model evaluated on a grid over the
    // data's bounding box. gridOutput is (gridSize * gridSize, classes) probabilities, row-major
    // with y varying slowest; gridNeurons[l] is (gridSize * gridSize, units) for each layer l
    // whose per-sample output is a vector (empty tensor for other layers).
    int gridSize = 0;
    float gridMinX = 0, gridMaxX = 0, gridMinY = 0, gridMaxY = 0;
    Tensor gridOutput;
    std::vector<Tensor> gridNeurons;
    Tensor dataPoints;                  // (points, 2) a sample of the training data
    std::vector<int> dataLabels;

    std::string message;      // e.g. the NaN diagnosis
};

using SnapshotPtr = std::shared_ptr<const Snapshot>;

}  // namespace layerlens::core
