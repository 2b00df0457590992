#include "core/losses/focal_loss.h"

#include <cmath>

#include "core/losses/loss_batch.h"

namespace layerlens::core {

namespace {
constexpr const char* kName = "focal";

// (1 - p)^gamma with 1 - p computed from log p so that it keeps its precision when p is near 1.
double focalWeight(double logP, double gamma) { return std::pow(-std::expm1(logP), gamma); }
}  // namespace

float FocalLoss::value(const Tensor& prediction, const Tensor& target) const
{
    const auto batch = detail::matchingBatch(kName, prediction, target);
    if (batch.size() == 0)
        return 0.0f;
    double sum = 0.0;
    for (std::size_t r = 0; r < batch.rows; ++r) {
        const float* z = prediction.data() + r * batch.cols;
        const float* t = target.data() + r * batch.cols;
        const double lse = detail::logSumExp(z, batch.cols);
        for (std::size_t k = 0; k < batch.cols; ++k) {
            if (t[k] == 0.0f)
                continue;
            const double logP = z[k] - lse;
            sum -= m_alpha * t[k] * focalWeight(logP, m_gamma) * logP;
        }
    }
    return static_cast<float>(sum / static_cast<double>(batch.rows));
}

void FocalLoss::gradient(const Tensor& prediction, const Tensor& target, Tensor& gradient) const
{
    const auto batch = detail::matchingBatch(kName, prediction, target);
    gradient.resize(prediction.shape());
    if (batch.size() == 0)
        return;
    const double gamma = m_gamma;
    const double scale = 1.0 / static_cast<double>(batch.rows);
    for (std::size_t r = 0; r < batch.rows; ++r) {
        const float* z = prediction.data() + r * batch.cols;
        const float* t = target.data() + r * batch.cols;
        float* g = gradient.data() + r * batch.cols;
        const double lse = detail::logSumExp(z, batch.cols);
        // With f_k the per-class term and h_k = p_k df_k/dp_k, the softmax chain rule gives
        // dL/dz_j = h_j - p_j sum_k h_k. h_k is written into g first, then turned into dL/dz.
        double hSum = 0.0;
        for (std::size_t k = 0; k < batch.cols; ++k) {
            double h = 0.0;
            if (t[k] != 0.0f) {
                const double logP = z[k] - lse;
                const double p = std::exp(logP);
                const double oneMinusP = -std::expm1(logP);
                // p * (1-p)^(gamma-1) written as p * (1-p)^gamma / (1-p) would divide by 0 at p = 1.
                const double powTerm = oneMinusP > 0.0 ? gamma * std::pow(oneMinusP, gamma - 1.0) * p * logP : 0.0;
                h = -m_alpha * t[k] * (std::pow(oneMinusP, gamma) - powTerm);
            }
            g[k] = static_cast<float>(h);
            hSum += h;
        }
        for (std::size_t k = 0; k < batch.cols; ++k) {
            const double p = std::exp(z[k] - lse);
            g[k] = static_cast<float>(scale * (g[k] - p * hSum));
        }
    }
}

}  // namespace layerlens::core
