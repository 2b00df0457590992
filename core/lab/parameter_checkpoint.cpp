#include "core/lab/parameter_checkpoint.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

namespace layerlens::core {

namespace {

void copyInto(std::vector<Tensor>& to, const std::vector<Parameter*>& from)
{
    to.resize(from.size());
    for (std::size_t i = 0; i < from.size(); ++i)
        to[i].copyFrom(from[i]->value);
}

void restoreFrom(const std::vector<Tensor>& from, const std::vector<Parameter*>& to, const char* what)
{
    if (from.size() != to.size())
        throw std::invalid_argument(std::string("ParameterCheckpoint: the model now has ") + std::to_string(to.size()) + " "
                                    + what + ", the checkpoint holds " + std::to_string(from.size()));
    for (std::size_t i = 0; i < from.size(); ++i) {
        if (from[i].shape() != to[i]->value.shape())
            throw std::invalid_argument(std::string("ParameterCheckpoint: ") + what + " '" + to[i]->name + "' has shape "
                                        + shapeToString(to[i]->value.shape()) + ", the checkpoint holds "
                                        + shapeToString(from[i].shape()));
        to[i]->value.copyFrom(from[i]);
    }
}

bool sameBits(const Tensor& a, const Tensor& b)
{
    return a.shape() == b.shape() && std::equal(a.data(), a.data() + a.size(), b.data(), [](float x, float y) {
               return std::memcmp(&x, &y, sizeof x) == 0;
           });
}

}  // namespace

std::vector<Parameter*> ParameterCheckpoint::buffersOf(Model& model)
{
    std::vector<Parameter*> buffers;
    for (int i = 0; i < model.layerCount(); ++i)
        for (Parameter* p : model.layer(i).buffers())
            buffers.push_back(p);
    return buffers;
}

void ParameterCheckpoint::capture(Model& model, Optimizer* optimizer, const Rng* rng)
{
    copyInto(m_values, model.parameters());
    copyInto(m_buffers, buffersOf(model));
    m_hasOptimizer = optimizer != nullptr;
    m_optimizerState.clear();
    if (optimizer) {
        // Size the lazily created state now, so that the checkpoint and the later steps agree.
        optimizer->initialize(model.parameters());
        for (Tensor* t : optimizer->state())
            m_optimizerState.push_back(*t);
        m_optimizerSteps = optimizer->stepCount();
    }
    m_hasRng = rng != nullptr;
    if (rng)
        m_rngState = rng->state();
    m_captured = true;
}

void ParameterCheckpoint::restore(Model& model, Optimizer* optimizer, Rng* rng) const
{
    if (!m_captured)
        throw std::logic_error("ParameterCheckpoint::restore: nothing was captured");
    restoreFrom(m_values, model.parameters(), "parameters");
    restoreFrom(m_buffers, buffersOf(model), "buffers");
    if (optimizer && m_hasOptimizer) {
        // State tensors are created lazily on the first step: a checkpoint taken before it holds
        // none, and restoring then means clearing the moments the step created.
        auto state = optimizer->state();
        if (m_optimizerState.empty()) {
            for (Tensor* t : state)
                t->setZero();
        } else {
            if (state.size() != m_optimizerState.size())
                throw std::invalid_argument("ParameterCheckpoint: the optimizer has " + std::to_string(state.size())
                                            + " state tensors, the checkpoint holds " + std::to_string(m_optimizerState.size()));
            for (std::size_t i = 0; i < state.size(); ++i)
                state[i]->copyFrom(m_optimizerState[i]);
        }
        optimizer->setStepCount(m_optimizerSteps);
    }
    if (rng && m_hasRng)
        rng->setState(m_rngState);
}

bool ParameterCheckpoint::matches(Model& model) const
{
    const auto params = model.parameters();
    if (!m_captured || params.size() != m_values.size())
        return false;
    for (std::size_t i = 0; i < params.size(); ++i)
        if (!sameBits(params[i]->value, m_values[i]))
            return false;
    const auto buffers = buffersOf(model);
    if (buffers.size() != m_buffers.size())
        return false;
    for (std::size_t i = 0; i < buffers.size(); ++i)
        if (!sameBits(buffers[i]->value, m_buffers[i]))
            return false;
    return true;
}

}  // namespace layerlens::core
