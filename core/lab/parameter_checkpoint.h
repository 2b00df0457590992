#pragma once
// ParameterCheckpoint: a copy of everything a training step changes (parameter values, buffers
// such as batch-norm statistics, optimizer state and step count, the dropout random source), so
// that the backprop debugger can step back to the start of a batch and re-run it bit for bit.

#include <array>
#include <cstdint>
#include <vector>

#include "core/model/model.h"
#include "core/optimizers/optimizer.h"
#include "core/rng.h"

namespace layerlens::core {

class ParameterCheckpoint {
public:
    // optimizer and rng may be null (then they are neither saved nor restored).
    void capture(Model& model, Optimizer* optimizer = nullptr, const Rng* rng = nullptr);
    // Throws std::invalid_argument when the model's parameters no longer have the captured shapes.
    void restore(Model& model, Optimizer* optimizer = nullptr, Rng* rng = nullptr) const;
    bool isEmpty() const { return !m_captured; }
    // Whether every parameter and buffer value of model equals the captured one bit for bit.
    bool matches(Model& model) const;

private:
    static std::vector<Parameter*> buffersOf(Model& model);

    bool m_captured = false;
    std::vector<Tensor> m_values;
    std::vector<Tensor> m_buffers;
    bool m_hasOptimizer = false;
    std::vector<Tensor> m_optimizerState;
    long long m_optimizerSteps = 0;
    bool m_hasRng = false;
    std::array<std::uint64_t, 5> m_rngState{};
};

}  // namespace layerlens::core
