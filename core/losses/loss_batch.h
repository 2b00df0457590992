#pragma once
// Shape checks and row layout shared by the loss implementations (internal to core/losses).

#include <cstddef>

#include "core/tensor.h"

namespace layerlens::core::detail {

// A batch seen as `rows` samples of `cols` values each (all axes after the first flattened).
struct LossBatch {
    std::size_t rows = 0;
    std::size_t cols = 0;
    std::size_t size() const { return rows * cols; }
};

// Prediction and target must hold the same number of values ((N, K) vs (N, K); (N) vs (N, 1) is
// accepted). Throws std::invalid_argument naming the loss and both shapes otherwise.
LossBatch matchingBatch(const char* lossName, const Tensor& prediction, const Tensor& target);

// Target holds one class index per prediction row: shape (N) or (N, 1). Throws otherwise.
LossBatch classIndexBatch(const char* lossName, const Tensor& prediction, const Tensor& target);

// The class index stored as a float in target row `row`; throws when it is not an integer in
// [0, classes).
std::size_t classIndexAt(const char* lossName, const Tensor& target, std::size_t row, std::size_t classes);

// log(sum(exp(z))) of one row, shifted by its maximum so that it never overflows.
double logSumExp(const float* z, std::size_t count);

}  // namespace layerlens::core::detail
