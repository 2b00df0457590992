#pragma once

#include <string>

#include "core/tensor.h"

namespace layerlens::core {

// A trainable tensor and the gradient of the loss with respect to it (same shape).
struct Parameter {
    std::string name;  // "kernel", "bias", "gamma", "beta"
    Tensor value;
    Tensor grad;
    bool trainable = true;  // false when the owning layer is frozen
};

}  // namespace layerlens::core
