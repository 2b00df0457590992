#pragma once
// Sizing of per-parameter optimizer state (internal to core/optimizers).

#include <vector>

#include "core/layers/parameter.h"

namespace layerlens::core::detail {

// Makes `state` hold one zeroed tensor per parameter, shaped like its value. Does nothing (and
// allocates nothing) when it already matches, so it can run before every step.
inline void matchStateShapes(std::vector<Tensor>& state, const std::vector<Parameter*>& params)
{
    bool matches = state.size() == params.size();
    for (std::size_t i = 0; matches && i < params.size(); ++i)
        matches = state[i].shape() == params[i]->value.shape();
    if (matches)
        return;
    state.resize(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
        state[i].resize(params[i]->value.shape());
        state[i].setZero();
    }
}

}  // namespace layerlens::core::detail
