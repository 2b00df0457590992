#include "core/losses/loss_batch.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace layerlens::core::detail {

namespace {
LossBatch layoutOf(const Tensor& prediction)
{
    LossBatch batch;
    if (prediction.empty())
        return batch;
    batch.rows = prediction.rank() >= 1 ? static_cast<std::size_t>(prediction.dim(0)) : 1;
    batch.cols = prediction.size() / batch.rows;
    return batch;
}
}  // namespace

LossBatch matchingBatch(const char* lossName, const Tensor& prediction, const Tensor& target)
{
    if (prediction.size() != target.size()
        || (prediction.rank() >= 1 && target.rank() >= 1 && prediction.dim(0) != target.dim(0)))
        throw std::invalid_argument(std::string(lossName) + ": target shape " + shapeToString(target.shape())
                                    + " does not match prediction shape " + shapeToString(prediction.shape()));
    return layoutOf(prediction);
}

LossBatch classIndexBatch(const char* lossName, const Tensor& prediction, const Tensor& target)
{
    const LossBatch batch = layoutOf(prediction);
    if (target.size() != batch.rows || target.rank() > 2 || (target.rank() >= 1 && target.dim(0) != static_cast<int>(batch.rows)))
        throw std::invalid_argument(std::string(lossName) + ": expected one class index per sample, target shape (N) or (N, 1) with N = "
                                    + std::to_string(batch.rows) + ", found target shape " + shapeToString(target.shape())
                                    + " for prediction shape " + shapeToString(prediction.shape()));
    return batch;
}

std::size_t classIndexAt(const char* lossName, const Tensor& target, std::size_t row, std::size_t classes)
{
    const float value = target[row];
    const float rounded = std::round(value);
    if (!(std::abs(value - rounded) <= 1e-3f) || rounded < 0.0f || rounded >= static_cast<float>(classes))
        throw std::invalid_argument(std::string(lossName) + ": target of sample " + std::to_string(row) + " is "
                                    + std::to_string(value) + ", expected a class index in [0, "
                                    + std::to_string(classes) + ")");
    return static_cast<std::size_t>(rounded);
}

double logSumExp(const float* z, std::size_t count)
{
    const double shift = *std::max_element(z, z + count);
    double sum = 0.0;
    for (std::size_t i = 0; i < count; ++i)
        sum += std::exp(static_cast<double>(z[i]) - shift);
    return shift + std::log(sum);
}

}  // namespace layerlens::core::detail
