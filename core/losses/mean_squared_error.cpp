#include "core/losses/mean_squared_error.h"

#include "core/losses/loss_batch.h"

namespace layerlens::core {

float MeanSquaredError::value(const Tensor& prediction, const Tensor& target) const
{
    const auto batch = detail::matchingBatch("mse", prediction, target);
    if (batch.size() == 0)
        return 0.0f;
    double sum = 0.0;
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const double d = static_cast<double>(prediction[i]) - target[i];
        sum += d * d;
    }
    return static_cast<float>(sum / static_cast<double>(batch.size()));
}

void MeanSquaredError::gradient(const Tensor& prediction, const Tensor& target, Tensor& gradient) const
{
    const auto batch = detail::matchingBatch("mse", prediction, target);
    gradient.resize(prediction.shape());
    if (batch.size() == 0)
        return;
    const float scale = 2.0f / static_cast<float>(batch.size());
    gradient.vector() = scale * (prediction.vector() - target.vector());
}

}  // namespace layerlens::core
