#include "core/losses/root_mean_squared_error.h"

#include <cmath>

#include "core/losses/loss_batch.h"

namespace layerlens::core {

namespace {
double meanSquare(const Tensor& prediction, const Tensor& target, std::size_t size)
{
    double sum = 0.0;
    for (std::size_t i = 0; i < size; ++i) {
        const double d = static_cast<double>(prediction[i]) - target[i];
        sum += d * d;
    }
    return size == 0 ? 0.0 : sum / static_cast<double>(size);
}
}  // namespace

float RootMeanSquaredError::value(const Tensor& prediction, const Tensor& target) const
{
    const auto batch = detail::matchingBatch("rmse", prediction, target);
    return static_cast<float>(std::sqrt(meanSquare(prediction, target, batch.size())));
}

void RootMeanSquaredError::gradient(const Tensor& prediction, const Tensor& target, Tensor& gradient) const
{
    const auto batch = detail::matchingBatch("rmse", prediction, target);
    gradient.resize(prediction.shape());
    const double rmse = std::sqrt(meanSquare(prediction, target, batch.size()));
    if (rmse == 0.0) {  // sqrt has no derivative at 0; 0 is the subgradient that leaves a perfect fit alone
        gradient.setZero();
        return;
    }
    // d sqrt(mean(d^2)) / dp_i = d_i / (M * rmse)
    const auto scale = static_cast<float>(1.0 / (static_cast<double>(batch.size()) * rmse));
    gradient.vector() = scale * (prediction.vector() - target.vector());
}

}  // namespace layerlens::core
