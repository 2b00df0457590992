#include "core/losses/softmax_crossentropy.h"

#include <cmath>

#include "core/losses/loss_batch.h"

namespace layerlens::core {

float SoftmaxCrossentropy::value(const Tensor& prediction, const Tensor& target) const
{
    const auto batch = detail::matchingBatch("categorical_crossentropy_logits", prediction, target);
    if (batch.size() == 0)
        return 0.0f;
    double sum = 0.0;
    for (std::size_t r = 0; r < batch.rows; ++r) {
        const float* z = prediction.data() + r * batch.cols;
        const float* t = target.data() + r * batch.cols;
        const double lse = detail::logSumExp(z, batch.cols);
        for (std::size_t k = 0; k < batch.cols; ++k)
            sum -= t[k] * (z[k] - lse);
    }
    return static_cast<float>(sum / static_cast<double>(batch.rows));
}

void SoftmaxCrossentropy::gradient(const Tensor& prediction, const Tensor& target, Tensor& gradient) const
{
    const auto batch = detail::matchingBatch("categorical_crossentropy_logits", prediction, target);
    gradient.resize(prediction.shape());
    if (batch.size() == 0)
        return;
    const double scale = 1.0 / static_cast<double>(batch.rows);
    for (std::size_t r = 0; r < batch.rows; ++r) {
        const float* z = prediction.data() + r * batch.cols;
        const float* t = target.data() + r * batch.cols;
        float* g = gradient.data() + r * batch.cols;
        const double lse = detail::logSumExp(z, batch.cols);
        double targetSum = 0.0;
        for (std::size_t k = 0; k < batch.cols; ++k)
            targetSum += t[k];
        // d/dz_j = softmax_j * sum(t) - t_j (sum(t) = 1 for one-hot rows).
        for (std::size_t k = 0; k < batch.cols; ++k)
            g[k] = static_cast<float>(scale * (std::exp(z[k] - lse) * targetSum - t[k]));
    }
}

}  // namespace layerlens::core
