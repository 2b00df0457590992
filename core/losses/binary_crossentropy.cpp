#include "core/losses/binary_crossentropy.h"

#include <algorithm>
#include <cmath>

#include "core/losses/loss_batch.h"

namespace layerlens::core {

namespace {
constexpr double kEpsilon = 1e-7;  // Keras' backend epsilon
double clampProbability(float p) { return std::clamp(static_cast<double>(p), kEpsilon, 1.0 - kEpsilon); }
}  // namespace

float BinaryCrossentropy::value(const Tensor& prediction, const Tensor& target) const
{
    const auto batch = detail::matchingBatch("binary_crossentropy", prediction, target);
    if (batch.size() == 0)
        return 0.0f;
    double sum = 0.0;
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const double p = clampProbability(prediction[i]);
        const double t = target[i];
        sum -= t * std::log(p) + (1.0 - t) * std::log1p(-p);
    }
    return static_cast<float>(sum / static_cast<double>(batch.size()));
}

void BinaryCrossentropy::gradient(const Tensor& prediction, const Tensor& target, Tensor& gradient) const
{
    const auto batch = detail::matchingBatch("binary_crossentropy", prediction, target);
    gradient.resize(prediction.shape());
    if (batch.size() == 0)
        return;
    const double scale = 1.0 / static_cast<double>(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const double p = clampProbability(prediction[i]);
        gradient[i] = static_cast<float>(scale * (p - target[i]) / (p * (1.0 - p)));
    }
}

}  // namespace layerlens::core
