#pragma once
// Resizing a tensor to a shape built on the spot (`t.resize({n, f})`) would allocate a
// std::vector every call; layers keep a scratch Shape instead so the hot path allocates
// nothing once sizes are stable.

#include <initializer_list>

#include "core/tensor.h"

namespace layerlens::core::detail {

inline void resizeTo(Tensor& tensor, Shape& scratch, std::initializer_list<int> dims)
{
    scratch.assign(dims);  // reuses the scratch capacity
    tensor.resize(scratch);
}

}  // namespace layerlens::core::detail
