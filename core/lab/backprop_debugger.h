#pragma once
// BackpropDebugger: runs training one layer at a time on the calling thread, so that a person
// can watch backpropagation: Forward layer 0 .. L-1, Loss, Backward layer L-1 .. 0, Update, then
// the next batch. Unlike the trainer's layer-step mode it can step back: the start of every
// batch is checkpointed (parameters, optimizer state, random source) and restartBatch() re-runs
// the same batch from there, bit for bit.
//
// Layer-stepping performs exactly the operations of an ordinary step (Model::forwardLayer and
// backwardLayer are what Model::forward and backward do), so a batch stepped through layer by
// layer ends with the same parameters, bit for bit, as trainStep() (a test holds it to that).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/data/dataset.h"
#include "core/lab/parameter_checkpoint.h"
#include "core/losses/loss.h"
#include "core/model/model.h"
#include "core/optimizers/optimizer.h"
#include "core/train/snapshot.h"

namespace layerlens::core {

class Trainer;

struct BackpropDebuggerSettings {
    int batchSize = 8;
    std::uint64_t seed = 1;      // batch order (and dropout masks), as the trainer uses it
    std::string loss = "auto";   // see Trainer::resolveLoss
    OptimizerSettings optimizer;
};

class BackpropDebugger {
public:
    // The model is built with the seed if it is not built yet. Throws std::invalid_argument when
    // the data does not fit the model.
    BackpropDebugger(std::shared_ptr<Model> model, DatasetPtr data, BackpropDebuggerSettings settings);
    // Debugs a paused trainer's model in place: the same model and optimizer object (its state
    // carries on), the loss its settings name, batches of its batch size drawn from `data`.
    // The trainer must stay paused and outlive the debugger.
    BackpropDebugger(Trainer& trainer, DatasetPtr data);
    ~BackpropDebugger();
    BackpropDebugger(const BackpropDebugger&) = delete;
    BackpropDebugger& operator=(const BackpropDebugger&) = delete;

    // --- Commands ---------------------------------------------------------------------------
    void stepLayer();       // advance one phase (from Update or Idle: load the next batch, Forward 0)
    void finishStep();      // run to the Update phase of this batch (of the next one when at Update)
    void restartBatch();    // back to the start of the current batch, everything restored (phase Idle)
    void runToNextEpoch();  // finish this epoch with ordinary steps; stops at Idle of the next epoch
    // One ordinary step (whole forward, loss, whole backward, update) on the next batch; when in
    // the middle of a batch it finishes that batch instead.
    void trainStep();

    // --- Where we are -----------------------------------------------------------------------
    TrainPhase phase() const { return m_phase; }  // Idle, Forward, Loss, Backward or Update
    int phaseLayer() const { return m_layer; }    // the layer just computed (-1 for Idle/Update)
    std::string phaseText() const;                // "Backward · layer 2 'dense_2' (Dense)"
    int epoch() const { return m_epoch; }
    long long step() const { return m_step; }     // optimizer steps done
    long long batchIndex() const;                 // 0-based batch of the epoch (current or next)
    long long batchesPerEpoch() const;
    bool batchLoaded() const { return m_batchLoaded; }
    // Every batch of the epoch has been trained (the next batch starts a new epoch).
    bool epochDone() const { return m_cursor >= m_order.size() && (!m_batchLoaded || m_phase == TrainPhase::Update); }

    // Whether a tensor is this batch's at the current phase (else it is stale or empty).
    bool outputReady(int layer) const;         // Model::output(layer)
    bool outputGradientReady(int layer) const; // Model::gradientAtOutput(layer)
    bool inputGradientReady(int layer) const;  // Model::inputGradient(layer) and the parameter grads
    bool updateReady() const { return m_phase == TrainPhase::Update; }

    // --- What there is to see -----------------------------------------------------------------
    Model& model() { return *m_model; }
    const Model& model() const { return *m_model; }
    std::shared_ptr<Model> modelPtr() const { return m_model; }
    Optimizer& optimizer() { return *m_optimizer; }
    const Loss& loss() const { return *m_loss; }
    const Dataset& data() const { return *m_data; }
    const Tensor& inputs() const { return m_inputs; }    // (N, sampleShape...) the current batch
    const Tensor& targets() const;                       // what the loss compares with
    const Tensor& labels() const { return m_labels; }    // (N) class indices
    float lossValue() const { return m_lossValue; }      // from the Loss phase on
    float batchAccuracy() const { return m_accuracy; }   // idem (classification)
    // Applied change (new - old) per parameter of Model::parameters(), after Update.
    const std::vector<Tensor>& updates() const { return m_updates; }
    // Index in Model::parameters() of the first parameter of `layer` (its count: Layer::parameters()).
    int firstParameterIndex(int layer) const;
    const ParameterCheckpoint& batchStart() const { return m_checkpoint; }

private:
    void initialize();
    void loadNextBatch();
    void wrapEpoch();
    void computeLoss();
    void applyUpdate();

    std::shared_ptr<Model> m_model;
    DatasetPtr m_data;
    BackpropDebuggerSettings m_settings;
    std::unique_ptr<Loss> m_loss;
    std::unique_ptr<Optimizer> m_ownedOptimizer;
    Optimizer* m_optimizer = nullptr;
    Rng m_rng;
    bool m_ownsRng = true;  // false when debugging a trainer's model (its layers use the trainer's Rng)

    std::vector<std::uint32_t> m_order;
    std::size_t m_cursor = 0;       // next sample of m_order to load
    std::size_t m_batchBegin = 0;   // first sample of the current batch
    int m_epoch = 0;
    long long m_step = 0;
    long long m_stepAtBatchStart = 0;
    bool m_batchLoaded = false;
    TrainPhase m_phase = TrainPhase::Idle;
    int m_layer = -1;
    Tensor m_inputs, m_targets, m_labels, m_gradient;
    std::vector<Tensor> m_updates;
    float m_lossValue = 0, m_accuracy = 0;
    ParameterCheckpoint m_checkpoint;
};

}  // namespace layerlens::core
