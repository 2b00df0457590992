#pragma once
// Race: trains one architecture in several variants at once — different hidden activation
// functions, losses or optimizers — on the same data, with the same seed and the same initial
// weights (one model is built and its weights copied into every variant whose shapes allow),
// so that the curves differ only by the thing being compared.
//
// Variants run on worker threads, at most `parallelism` at a time, each with its own Trainer
// (statistics captured, so StepRecord::gradientNorms and the dead/saturated fractions of the
// snapshots are filled). Everything here may be read from any thread while the race runs.
// Training is deterministic per variant, so a race with a fixed seed is reproducible whatever
// the thread timing.

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/data/dataset.h"
#include "core/model/model.h"
#include "core/train/snapshot.h"
#include "core/train/trainer.h"
#include "core/train/training_history.h"

namespace layerlens::core {

// Transfer: a pretrained model fine-tuned (its weights, frozen layers kept) against the same
// architecture trained from scratch (nothing frozen, weights from the seed).
enum class RaceKind { Activation, Loss, Optimizer, Transfer };

struct RaceSettings {
    nlohmann::json model;        // model description ({"input_shape": ..., "layers": ...})
    DatasetPtr train;
    DatasetPtr validation;       // may be null: each trainer holds out the same seeded split
    TrainerSettings trainer;     // epochs, batch size, base loss/optimizer, seed, capture
    RaceKind kind = RaceKind::Activation;
    // Activation races: names with an optional alpha ("relu", "leaky_relu:0.1", "elu:1.0"),
    // put into every hidden Activation layer. Loss races: loss specs (see Loss::create); losses
    // that do not take logits get a trailing Softmax. Optimizer races: "kind[:learning rate]"
    // ("sgd:0.1", "adam"), the rate defaulting to the base settings'. Transfer races:
    // "fine-tune" and "scratch".
    std::vector<std::string> variants;
    // Transfer races: the built model to fine-tune, with its weights, head and frozen flags
    // (see model_surgery.h). `model` may stay empty: the pretrained model's description is used.
    std::shared_ptr<Model> pretrained;
    float targetAccuracy = 0.9f; // for stepsToTarget
    int parallelism = 2;         // variants trained at the same time
};

struct RaceResult {
    std::string label;
    bool started = false, finished = false;
    std::string error;           // why the variant could not be trained, if it could not
    long long steps = 0;
    float finalLoss = 0;         // validation loss of the last epoch (training loss without validation)
    float finalAccuracy = 0;     // idem, accuracy
    // First step at which the mean training-batch accuracy over the last 10 steps reached the
    // target, -1 if it never did.
    long long stepsToTarget = -1;
    double wallSeconds = 0;
    bool sharedInitialWeights = true;  // false when the variant's shapes differ from the base model
};

class Race {
public:
    // Builds every variant's model and trainer; throws std::invalid_argument naming the bad
    // variant or setting.
    explicit Race(RaceSettings settings);
    ~Race();  // stops and joins
    Race(const Race&) = delete;
    Race& operator=(const Race&) = delete;

    void start();
    void stop();                // asks every trainer to stop; returns at once
    void wait();                // blocks until every worker has ended
    bool isRunning() const { return m_started && !isFinished(); }
    bool isFinished() const;    // every variant has ended (trained, failed or stopped)

    const RaceSettings& settings() const { return m_settings; }
    int variantCount() const { return static_cast<int>(m_variants.size()); }
    const std::string& label(int i) const;
    const TrainingHistory& history(int i) const;
    SnapshotPtr latest(int i) const;      // newest snapshot of variant i (null before its first)
    RaceResult result(int i) const;       // live while the race runs, final afterwards
    std::vector<RaceResult> results() const;
    std::shared_ptr<Model> model(int i) const;  // read only when the race is finished
    // The first step's per-layer dL/d(output) norms of variant i (empty before it).
    std::vector<float> firstGradientNorms(int i) const;

    // An MLP description: Dense(hidden[k], activation) ... Dense(classes) emitting logits.
    static nlohmann::json mlpDescription(int inputs, const std::vector<int>& hidden, int classes,
                                         const std::string& activation);
    static std::vector<std::string> defaultVariants(RaceKind kind);
    // A two-entrant Transfer race: `pretrained` fine-tuned vs the same network from scratch, with
    // the same data, seed and trainer settings.
    static RaceSettings transferSettings(std::shared_ptr<Model> pretrained, DatasetPtr train, DatasetPtr validation,
                                         const TrainerSettings& trainer);
    static const char* kindName(RaceKind kind);  // "activation", "loss", "optimizer", "transfer"

private:
    struct Variant;
    void workerLoop();
    void runVariant(Variant& variant);

    RaceSettings m_settings;
    std::vector<std::unique_ptr<Variant>> m_variants;
    std::vector<std::thread> m_workers;
    std::atomic<int> m_next{0};
    std::atomic<int> m_workersRunning{0};
    std::atomic<bool> m_stopping{false};
    bool m_started = false;
};

}  // namespace layerlens::core
