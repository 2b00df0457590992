#include "core/losses/sum_squared_error.h"

#include "core/losses/loss_batch.h"

namespace layerlens::core {

float SumSquaredError::value(const Tensor& prediction, const Tensor& target) const
{
    const auto batch = detail::matchingBatch("sse", prediction, target);
    if (batch.size() == 0)
        return 0.0f;
    double sum = 0.0;
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const double d = static_cast<double>(prediction[i]) - target[i];
        sum += d * d;
    }
    return static_cast<float>(sum / static_cast<double>(batch.rows));
}

void SumSquaredError::gradient(const Tensor& prediction, const Tensor& target, Tensor& gradient) const
{
    const auto batch = detail::matchingBatch("sse", prediction, target);
    gradient.resize(prediction.shape());
    if (batch.size() == 0)
        return;
    const float scale = 2.0f / static_cast<float>(batch.rows);
    gradient.vector() = scale * (prediction.vector() - target.vector());
}

}  // namespace layerlens::core
