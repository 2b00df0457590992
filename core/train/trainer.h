#pragma once
// Trainer: runs epochs over a Dataset on its own worker thread, publishes Snapshots through an
// observer, and obeys commands from any thread at any time.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "core/data/dataset.h"
#include "core/io/model_file.h"
#include "core/losses/loss.h"
#include "core/model/model.h"
#include "core/optimizers/optimizer.h"
#include "core/train/evaluation.h"
#include "core/train/snapshot.h"
#include "core/train/training_history.h"

namespace layerlens::core {

struct CaptureSettings {
    bool statistics = true;         // per-layer activation/gradient/weight/update statistics
    int probeCount = 8;             // probe inputs whose every layer output is captured (0 = none)
    std::set<int> fullTensorLayers; // layers whose full weights and gradients are copied
    double maxPublishHz = 30;       // snapshots per second at most (0 = after every step)
    int decisionGrid = 0;           // > 0 and 2-D data: evaluate the model on a grid this wide
};

struct TrainerSettings {
    int epochs = 5;
    int batchSize = 64;
    std::string loss = "auto";
    OptimizerSettings optimizer;
    LearningRateSchedule schedule;
    float validationSplit = 0.1f;   // used when no validation set is given
    std::uint64_t seed = 1;
    CaptureSettings capture;
    bool stopOnNonFinite = true;
};

enum class TrainerState { Idle, Running, Paused, Finished, Failed };

class TrainerObserver {
public:
    virtual ~TrainerObserver() = default;
    virtual void snapshotReady(SnapshotPtr snapshot) = 0;       // worker thread
    virtual void stateChanged(TrainerState state, const std::string& message) { (void)state; (void)message; }
};

class Trainer {
public:
    // validation may be null: then validationSplit of train is held out.
    Trainer(std::shared_ptr<Model> model, DatasetPtr train, DatasetPtr validation, TrainerSettings settings);
    ~Trainer();  // stops and joins the worker

    void setObserver(TrainerObserver* observer) { m_observer = observer; }

    // Commands, callable from any thread.
    void start();             // starts (or resumes) continuous training on the worker thread
    void pause();
    void stepOnce();          // one optimizer step, then pause
    void stepLayer();         // advance one layer of forward/backward (layer-step mode), then pause
    void stop();              // ends training; the worker exits
    void setLearningRate(float lr);
    // Replaces the probe inputs, the fixed inputs whose every layer output snapshots carry.
    // images: (n, model input shape...), names: n names (e.g. the image files'), labels become -1.
    // The worker takes them between steps; a paused, finished or stopped trainer takes them at
    // once and publishes a snapshot that shows them; before the first start they replace the
    // dataset's probes. An empty tensor goes back to the dataset's probes. Throws
    // std::invalid_argument when the shape does not fit the model or the names do not match.
    void setProbeInputs(Tensor images, std::vector<std::string> names);
    // Thread-safe: publishes a snapshot of the current state to the observer, made by the only
    // thread that may touch the model: the worker at its next pause (or after its current
    // step), or the calling thread when no worker runs. snapshotRequestPending() says whether
    // the worker still owes it.
    void requestSnapshot();
    bool snapshotRequestPending() const { return m_snapshotRequested.load(); }
    void useDatasetProbes() { setProbeInputs(Tensor(), {}); }

    TrainerState state() const { return m_state.load(); }
    // Whether continuous training is commanded (start() without a later pause/stop). state()
    // lags a command by up to one step; this does not.
    bool runRequested() const
    {
        std::lock_guard lock(m_mutex);
        return m_running;
    }
    const TrainingHistory& history() const { return m_history; }
    TrainingHistory& history() { return m_history; }
    const TrainerSettings& settings() const { return m_settings; }
    std::shared_ptr<Model> model() const { return m_model; }  // touch only when not running
    Optimizer& optimizer() { return *m_optimizer; }
    long long stepCount() const { return m_step; }

    // Optimizer state, counters and history, for saving; restore() continues from them
    // (call before start; training resumes at the saved step, from the next epoch boundary).
    SavedTraining trainingState() const;
    void restore(const SavedTraining& saved);

    // Runs training synchronously on the calling thread (CLI); returns when done or stopped.
    // The observer is called for each published snapshot and `progress` after every step.
    void runBlocking(const std::function<void(const Snapshot&)>& progress = {});

    // The loss a spec names; "auto" picks cross-entropy on probabilities when the model ends in
    // Softmax, cross-entropy from logits for other classifiers, and MSE for regression.
    static std::unique_ptr<Loss> resolveLoss(const std::string& spec, const Model& model, const Dataset& data);
    // Captures the grid of model outputs over the plane for a 2-D dataset (playground).
    void captureDecisionGrid(Snapshot& snapshot);

    // Builds a snapshot of the model's current state (used by the trainer and the debugger).
    SnapshotPtr captureSnapshot(TrainPhase phase, int phaseLayer);

private:
    enum class Command { None, Run, Pause, Step, LayerStep, Stop };
    void workerLoop();
    void launchWorker();         // starts the worker thread if there is none
    bool applyPendingProbes();   // worker side: takes new probe inputs; true when they changed
    void releaseModel();         // the end of a run: no thread uses the model any more
    bool trainOneStep(bool layerByLayer);  // false when training has ended
    bool nextBatch();
    void endEpoch();
    void publish(TrainPhase phase, int phaseLayer, bool force);
    void setState(TrainerState state, const std::string& message = {});
    void prepare();
    void captureLayerStatistics(Snapshot& snapshot, bool withUpdates);
    bool waitForPermission(bool layerStep);  // layer-step mode gate; false if stopped
    std::string firstNonFiniteLayer(bool inGradients) const;

    std::shared_ptr<Model> m_model;
    DatasetPtr m_train, m_validation;
    TrainerSettings m_settings;
    std::unique_ptr<Loss> m_loss;
    std::unique_ptr<Optimizer> m_optimizer;
    TrainingHistory m_history;
    Rng m_rng;
    TrainerObserver* m_observer = nullptr;

    // Worker synchronisation.
    std::thread m_worker;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    Command m_command = Command::None;
    bool m_running = false;      // continuous mode
    int m_stepBudget = 0;        // steps to run before pausing
    int m_layerBudget = 0;       // layer-steps to run before pausing
    bool m_stopRequested = false;
    std::atomic<TrainerState> m_state{TrainerState::Idle};
    std::atomic<float> m_pendingLearningRate{-1.0f};
    bool m_workerActive = false;               // a thread runs the model (worker or runBlocking)
    std::atomic<bool> m_probesPending{false};  // setProbeInputs waits for the worker
    std::atomic<bool> m_snapshotRequested{false};
    // Held by a caller that uses the model on its own thread (no worker active) and by
    // launchWorker, so a worker never starts while such a caller still runs the model.
    std::mutex m_outsideUse;
    Tensor m_pendingProbeInputs;               // guarded by m_mutex
    std::vector<std::string> m_pendingProbeNames;

    // Epoch iteration.
    std::vector<std::uint32_t> m_order;
    std::size_t m_cursor = 0;
    int m_epoch = 0;
    long long m_step = 0;
    long long m_stepsPerEpoch = 0;
    Tensor m_inputs, m_targets, m_labels, m_gradient;
    Tensor m_probeInputs;
    std::vector<int> m_probeLabels;
    std::vector<std::string> m_probeNames;
    Tensor m_datasetProbeInputs;  // kept to go back to after probes set by hand
    std::vector<int> m_datasetProbeLabels;
    std::vector<Tensor> m_updates;
    float m_lastLoss = 0, m_lastAccuracy = 0;
    double m_epochLossSum = 0, m_epochCorrect = 0, m_epochSeen = 0;
    double m_lastPublishSeconds = -1;
    double m_trainSeconds = 0;
    double m_samplesTrained = 0;
    bool m_prepared = false;
    bool m_publishThisStep = false;
    bool m_finished = false;
    std::chrono::steady_clock::time_point m_startTime;
    SnapshotPtr m_lastEpochSnapshot;  // validation results carried into later snapshots
    std::vector<float> m_layerGradientNorms;
};

const char* trainerStateName(TrainerState state);

}  // namespace layerlens::core
