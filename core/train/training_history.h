#pragma once
// Every step's loss and every epoch's validation result, kept for curves and CSV export.
// Written by the trainer thread, read by anyone: a reader asks for records after an index,
// so no point is lost when the UI skips snapshots.

#include <mutex>
#include <string>
#include <vector>

namespace layerlens::core {

struct StepRecord {
    long long step;
    double epoch;  // fractional epoch at this step
    float loss, accuracy, learningRate;
    std::vector<float> gradientNorms;  // per layer (dL/d output L2 norm), when statistics are captured
};

struct EpochRecord {
    int epoch;
    long long step;
    float trainLoss, trainAccuracy;
    float validationLoss, validationAccuracy;
    double seconds;
};

class TrainingHistory {
public:
    void addStep(StepRecord record);
    void addEpoch(EpochRecord record);
    std::vector<StepRecord> stepsSince(std::size_t index) const;
    std::vector<EpochRecord> epochsSince(std::size_t index) const;
    std::size_t stepCount() const;
    std::size_t epochCount() const;
    void clear();
    std::string toCsv() const;  // step,epoch,loss,accuracy,learning_rate,val_loss,val_accuracy

private:
    mutable std::mutex m_mutex;
    std::vector<StepRecord> m_steps;
    std::vector<EpochRecord> m_epochs;
};

}  // namespace layerlens::core
