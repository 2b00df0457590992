#include "core/losses/categorical_crossentropy.h"

#include <algorithm>
#include <cmath>

#include "core/losses/loss_batch.h"

namespace layerlens::core {

namespace {
constexpr double kEpsilon = 1e-7;  // Keras' backend epsilon
double clampProbability(float p) { return std::clamp(static_cast<double>(p), kEpsilon, 1.0 - kEpsilon); }
}  // namespace

float CategoricalCrossentropy::value(const Tensor& prediction, const Tensor& target) const
{
    const auto batch = detail::matchingBatch("categorical_crossentropy", prediction, target);
    if (batch.size() == 0)
        return 0.0f;
    double sum = 0.0;
    for (std::size_t i = 0; i < batch.size(); ++i)
        if (target[i] != 0.0f)  // skips log of the (clamped) zeros of a one-hot row
            sum -= target[i] * std::log(clampProbability(prediction[i]));
    return static_cast<float>(sum / static_cast<double>(batch.rows));
}

void CategoricalCrossentropy::gradient(const Tensor& prediction, const Tensor& target, Tensor& gradient) const
{
    const auto batch = detail::matchingBatch("categorical_crossentropy", prediction, target);
    gradient.resize(prediction.shape());
    if (batch.size() == 0)
        return;
    const double scale = 1.0 / static_cast<double>(batch.rows);
    for (std::size_t i = 0; i < batch.size(); ++i)
        gradient[i] = static_cast<float>(-scale * target[i] / clampProbability(prediction[i]));
}

}  // namespace layerlens::core
