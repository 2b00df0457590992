#include "core/losses/mean_absolute_error.h"

#include <cmath>

#include "core/losses/loss_batch.h"

namespace layerlens::core {

float MeanAbsoluteError::value(const Tensor& prediction, const Tensor& target) const
{
    const auto batch = detail::matchingBatch("mae", prediction, target);
    if (batch.size() == 0)
        return 0.0f;
    double sum = 0.0;
    for (std::size_t i = 0; i < batch.size(); ++i)
        sum += std::abs(static_cast<double>(prediction[i]) - target[i]);
    return static_cast<float>(sum / static_cast<double>(batch.size()));
}

void MeanAbsoluteError::gradient(const Tensor& prediction, const Tensor& target, Tensor& gradient) const
{
    const auto batch = detail::matchingBatch("mae", prediction, target);
    gradient.resize(prediction.shape());
    const float scale = batch.size() == 0 ? 0.0f : 1.0f / static_cast<float>(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const float d = prediction[i] - target[i];
        gradient[i] = d > 0.0f ? scale : (d < 0.0f ? -scale : 0.0f);
    }
}

}  // namespace layerlens::core
