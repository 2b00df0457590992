#include "core/losses/sparse_categorical_crossentropy.h"

#include <cmath>

#include "core/losses/loss_batch.h"

namespace layerlens::core {

namespace {
constexpr const char* kName = "sparse_categorical_crossentropy";
}

float SparseCategoricalCrossentropy::value(const Tensor& prediction, const Tensor& target) const
{
    const auto batch = detail::classIndexBatch(kName, prediction, target);
    if (batch.size() == 0)
        return 0.0f;
    double sum = 0.0;
    for (std::size_t r = 0; r < batch.rows; ++r) {
        const float* z = prediction.data() + r * batch.cols;
        const std::size_t c = detail::classIndexAt(kName, target, r, batch.cols);
        sum -= z[c] - detail::logSumExp(z, batch.cols);
    }
    return static_cast<float>(sum / static_cast<double>(batch.rows));
}

void SparseCategoricalCrossentropy::gradient(const Tensor& prediction, const Tensor& target, Tensor& gradient) const
{
    const auto batch = detail::classIndexBatch(kName, prediction, target);
    gradient.resize(prediction.shape());
    if (batch.size() == 0)
        return;
    const double scale = 1.0 / static_cast<double>(batch.rows);
    for (std::size_t r = 0; r < batch.rows; ++r) {
        const float* z = prediction.data() + r * batch.cols;
        float* g = gradient.data() + r * batch.cols;
        const std::size_t c = detail::classIndexAt(kName, target, r, batch.cols);
        const double lse = detail::logSumExp(z, batch.cols);
        for (std::size_t k = 0; k < batch.cols; ++k)
            g[k] = static_cast<float>(scale * std::exp(z[k] - lse));
        g[c] -= static_cast<float>(scale);
    }
}

}  // namespace layerlens::core
