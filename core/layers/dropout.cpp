#include "core/layers/dropout.h"

#include <algorithm>
#include <cstdio>

namespace layerlens::core {

Dropout::Dropout(float rate)
    : m_rate(rate)
{
    if (!(rate >= 0.0f && rate < 1.0f))
        throw std::invalid_argument("Dropout: \"rate\" must be in [0, 1), found " + std::to_string(rate));
}

void Dropout::forward(const Tensor& input, Tensor& output, bool training)
{
    output.resize(input.shape());
    m_masked = training && m_rate > 0.0f;
    if (!m_masked) {
        std::copy(input.data(), input.data() + input.size(), output.data());
        return;
    }
    Rng& rng = m_rng ? *m_rng : m_ownRng;
    m_mask.resize(input.shape());
    const float keep = 1.0f / (1.0f - m_rate);
    float* mask = m_mask.data();
    const float* x = input.data();
    float* y = output.data();
    for (std::size_t i = 0; i < input.size(); ++i) {
        mask[i] = rng.uniform() < m_rate ? 0.0f : keep;
        y[i] = x[i] * mask[i];
    }
}

void Dropout::backward(const Tensor& input, const Tensor& output, const Tensor& gradOutput, Tensor& gradInput)
{
    (void)output;
    gradInput.resize(input.shape());
    if (!m_masked) {
        std::copy(gradOutput.data(), gradOutput.data() + gradOutput.size(), gradInput.data());
        return;
    }
    gradInput.vector() = gradOutput.vector().cwiseProduct(m_mask.vector());
}

std::string Dropout::describe() const
{
    char text[32];
    std::snprintf(text, sizeof text, "rate %g", static_cast<double>(m_rate));
    return text;
}

}  // namespace layerlens::core
