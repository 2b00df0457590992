#include "core/layers/batch_norm.h"

#include <cmath>
#include <cstdio>

#include "core/layers/json_float.h"

namespace layerlens::core {

BatchNorm::BatchNorm(float momentum, float epsilon)
    : m_momentum(momentum)
    , m_epsilon(epsilon)
{
    if (!(momentum >= 0.0f && momentum <= 1.0f))
        throw std::invalid_argument("BatchNorm: \"momentum\" must be in [0, 1], found " + std::to_string(momentum));
    if (!(epsilon > 0.0f))
        throw std::invalid_argument("BatchNorm: \"epsilon\" must be positive, found " + std::to_string(epsilon));
}

Shape BatchNorm::outputShape(const Shape& inputShape) const
{
    if (inputShape.empty() || shapeSize(inputShape) == 0)
        throw ShapeError("BatchNorm expects (features,) or (channels, height, width), found "
                         + shapeToString(inputShape));
    return inputShape;
}

std::size_t BatchNorm::parameterCountFor(const Shape& inputShape) const
{
    outputShape(inputShape);
    return 2 * static_cast<std::size_t>(inputShape[0]);
}

void BatchNorm::build(const Shape& inputShape, Rng& rng)
{
    (void)rng;
    outputShape(inputShape);
    m_channels = inputShape[0];
    const Shape shape {m_channels};
    for (Parameter* p : {&m_gamma, &m_beta, &m_movingMean, &m_movingVariance}) {
        p->value.resize(shape);
        p->grad.resize(shape);
        p->grad.setZero();
    }
    m_gamma.value.fill(1.0f);
    m_beta.value.fill(0.0f);
    m_movingMean.value.fill(0.0f);
    m_movingVariance.value.fill(1.0f);
    m_invStd.resize(shape);
}

void BatchNorm::forward(const Tensor& input, Tensor& output, bool training)
{
    if (m_channels == 0)
        throw std::logic_error("BatchNorm '" + m_name + "' used before build()");
    if (input.rank() < 2 || input.dim(1) != m_channels)
        throw ShapeError("BatchNorm '" + m_name + "': expected input (N, " + std::to_string(m_channels)
                         + ", ...), found " + shapeToString(input.shape()));
    const int n = input.dim(0);
    const std::size_t spatial = input.sampleSize() / static_cast<std::size_t>(m_channels);
    output.resize(input.shape());
    m_normalized.resize(input.shape());
    m_usedBatchStatistics = training && !m_frozen;
    const float* x = input.data();
    float* xhat = m_normalized.data();
    float* y = output.data();
    const double count = static_cast<double>(n) * static_cast<double>(spatial);

    for (int c = 0; c < m_channels; ++c) {
        float mean = 0.0f;
        float invStd = 0.0f;
        if (m_usedBatchStatistics) {
            // Two passes in double: exact enough for large batches of large images.
            double sum = 0.0;
            for (int s = 0; s < n; ++s) {
                const float* p = x + (static_cast<std::size_t>(s) * static_cast<std::size_t>(m_channels)
                                      + static_cast<std::size_t>(c)) * spatial;
                for (std::size_t i = 0; i < spatial; ++i)
                    sum += p[i];
            }
            const double mu = sum / count;
            double sq = 0.0;
            for (int s = 0; s < n; ++s) {
                const float* p = x + (static_cast<std::size_t>(s) * static_cast<std::size_t>(m_channels)
                                      + static_cast<std::size_t>(c)) * spatial;
                for (std::size_t i = 0; i < spatial; ++i) {
                    const double d = p[i] - mu;
                    sq += d * d;
                }
            }
            const double var = sq / count;
            mean = static_cast<float>(mu);
            invStd = static_cast<float>(1.0 / std::sqrt(var + static_cast<double>(m_epsilon)));
            float& mm = m_movingMean.value[static_cast<std::size_t>(c)];
            float& mv = m_movingVariance.value[static_cast<std::size_t>(c)];
            mm = m_momentum * mm + (1.0f - m_momentum) * mean;
            mv = m_momentum * mv + (1.0f - m_momentum) * static_cast<float>(var);
        } else {
            mean = m_movingMean.value[static_cast<std::size_t>(c)];
            invStd = 1.0f / std::sqrt(m_movingVariance.value[static_cast<std::size_t>(c)] + m_epsilon);
        }
        m_invStd[static_cast<std::size_t>(c)] = invStd;
        const float g = m_gamma.value[static_cast<std::size_t>(c)];
        const float b = m_beta.value[static_cast<std::size_t>(c)];
        for (int s = 0; s < n; ++s) {
            const std::size_t offset =
                (static_cast<std::size_t>(s) * static_cast<std::size_t>(m_channels) + static_cast<std::size_t>(c))
                * spatial;
            for (std::size_t i = 0; i < spatial; ++i) {
                const float h = (x[offset + i] - mean) * invStd;
                xhat[offset + i] = h;
                y[offset + i] = g * h + b;
            }
        }
    }
}

void BatchNorm::backward(const Tensor& input, const Tensor& output, const Tensor& gradOutput, Tensor& gradInput)
{
    (void)output;
    const int n = input.dim(0);
    const std::size_t spatial = input.sampleSize() / static_cast<std::size_t>(m_channels);
    gradInput.resize(input.shape());
    const float* dy = gradOutput.data();
    const float* xhat = m_normalized.data();
    float* dx = gradInput.data();
    const double count = static_cast<double>(n) * static_cast<double>(spatial);
    auto offsetOf = [&](int s, int c) {
        return (static_cast<std::size_t>(s) * static_cast<std::size_t>(m_channels) + static_cast<std::size_t>(c))
            * spatial;
    };
    for (int c = 0; c < m_channels; ++c) {
        double sumDy = 0.0, sumDyXhat = 0.0;
        for (int s = 0; s < n; ++s) {
            const std::size_t o = offsetOf(s, c);
            for (std::size_t i = 0; i < spatial; ++i) {
                sumDy += dy[o + i];
                sumDyXhat += static_cast<double>(dy[o + i]) * xhat[o + i];
            }
        }
        const auto ci = static_cast<std::size_t>(c);
        m_gamma.grad[ci] = static_cast<float>(sumDyXhat);
        m_beta.grad[ci] = static_cast<float>(sumDy);
        const float g = m_gamma.value[ci];
        const float invStd = m_invStd[ci];
        if (m_usedBatchStatistics) {
            // dx = gamma * invStd * (dy - mean(dy) - xhat * mean(dy * xhat))
            const float meanDy = static_cast<float>(sumDy / count);
            const float meanDyXhat = static_cast<float>(sumDyXhat / count);
            const float scale = g * invStd;
            for (int s = 0; s < n; ++s) {
                const std::size_t o = offsetOf(s, c);
                for (std::size_t i = 0; i < spatial; ++i)
                    dx[o + i] = scale * (dy[o + i] - meanDy - xhat[o + i] * meanDyXhat);
            }
        } else {
            const float scale = g * invStd;
            for (int s = 0; s < n; ++s) {
                const std::size_t o = offsetOf(s, c);
                for (std::size_t i = 0; i < spatial; ++i)
                    dx[o + i] = scale * dy[o + i];
            }
        }
    }
}

std::vector<Parameter*> BatchNorm::parameters()
{
    if (m_channels == 0)
        return {};
    return {&m_gamma, &m_beta};
}

std::vector<Parameter*> BatchNorm::buffers()
{
    if (m_channels == 0)
        return {};
    return {&m_movingMean, &m_movingVariance};
}

nlohmann::json BatchNorm::config() const
{
    return {{"type", "BatchNorm"}, {"momentum", detail::jsonFloat(m_momentum)}, {"epsilon", detail::jsonFloat(m_epsilon)}};
}

std::string BatchNorm::describe() const
{
    char text[64];
    std::snprintf(text, sizeof text, "momentum %g, epsilon %g", static_cast<double>(m_momentum),
                  static_cast<double>(m_epsilon));
    return text;
}

}  // namespace layerlens::core
