#include "core/losses/sigmoid_crossentropy.h"

#include <algorithm>
#include <cmath>

#include "core/losses/loss_batch.h"

namespace layerlens::core {

float SigmoidCrossentropy::value(const Tensor& prediction, const Tensor& target) const
{
    const auto batch = detail::matchingBatch("sigmoid_crossentropy", prediction, target);
    if (batch.size() == 0)
        return 0.0f;
    double sum = 0.0;
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const double z = prediction[i];
        // -(t log s(z) + (1 - t) log(1 - s(z))) rewritten so that no exp overflows.
        sum += std::max(z, 0.0) - z * target[i] + std::log1p(std::exp(-std::abs(z)));
    }
    return static_cast<float>(sum / static_cast<double>(batch.size()));
}

void SigmoidCrossentropy::gradient(const Tensor& prediction, const Tensor& target, Tensor& gradient) const
{
    const auto batch = detail::matchingBatch("sigmoid_crossentropy", prediction, target);
    gradient.resize(prediction.shape());
    if (batch.size() == 0)
        return;
    const double scale = 1.0 / static_cast<double>(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const double s = 1.0 / (1.0 + std::exp(-static_cast<double>(prediction[i])));
        gradient[i] = static_cast<float>(scale * (s - target[i]));
    }
}

}  // namespace layerlens::core
