#include "core/losses/huber_loss.h"

#include <algorithm>
#include <cmath>

#include "core/losses/loss_batch.h"

namespace layerlens::core {

float HuberLoss::value(const Tensor& prediction, const Tensor& target) const
{
    const auto batch = detail::matchingBatch("huber", prediction, target);
    if (batch.size() == 0)
        return 0.0f;
    const double delta = m_delta;
    double sum = 0.0;
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const double a = std::abs(static_cast<double>(prediction[i]) - target[i]);
        sum += a <= delta ? 0.5 * a * a : delta * (a - 0.5 * delta);
    }
    return static_cast<float>(sum / static_cast<double>(batch.size()));
}

void HuberLoss::gradient(const Tensor& prediction, const Tensor& target, Tensor& gradient) const
{
    const auto batch = detail::matchingBatch("huber", prediction, target);
    gradient.resize(prediction.shape());
    if (batch.size() == 0)
        return;
    const float scale = 1.0f / static_cast<float>(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const float d = prediction[i] - target[i];
        gradient[i] = scale * std::clamp(d, -m_delta, m_delta);
    }
}

}  // namespace layerlens::core
