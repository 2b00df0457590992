#pragma once

#include "core/optimizers/adam.h"

namespace layerlens::core {

// AdamW in PyTorch's form: decoupled weight decay p *= (1 - lr * weightDecay) before the Adam update
// (the decay does not pass through the moments, unlike L2 added to the gradient).
// state(): as Adam.
class AdamW final : public Adam {
public:
    explicit AdamW(OptimizerSettings settings) : Adam(std::move(settings)) {}

protected:
    void update(std::size_t index, Parameter& param) override;
};

}  // namespace layerlens::core
