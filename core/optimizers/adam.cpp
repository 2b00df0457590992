#include "core/optimizers/adam.h"

#include <cmath>

#include "core/optimizers/optimizer_state.h"

namespace layerlens::core {

std::vector<Tensor*> Adam::state()
{
    std::vector<Tensor*> out;
    for (std::size_t i = 0; i < m_first.size(); ++i) {
        out.push_back(&m_first[i]);
        out.push_back(&m_second[i]);
    }
    return out;
}

void Adam::prepare(const std::vector<Parameter*>& params)
{
    detail::matchStateShapes(m_first, params);
    detail::matchStateShapes(m_second, params);
}

void Adam::update(std::size_t index, Parameter& param)
{
    auto m = m_first[index].vector().array();
    auto v = m_second[index].vector().array();
    const auto g = workingGradient(index).vector().array();
    const float b1 = m_settings.beta1, b2 = m_settings.beta2;
    m = b1 * m + (1.0f - b1) * g;
    v = b2 * v + (1.0f - b2) * g.square();
    // Bias corrections in double, as PyTorch computes them in Python floats; step count t >= 1.
    const double t = static_cast<double>(m_steps > 0 ? m_steps : 1);
    const double correction1 = 1.0 - std::pow(static_cast<double>(b1), t);
    const double correction2Sqrt = std::sqrt(1.0 - std::pow(static_cast<double>(b2), t));
    const auto stepSize = static_cast<float>(m_settings.learningRate / correction1);
    const auto invCorrection2Sqrt = static_cast<float>(1.0 / correction2Sqrt);
    param.value.vector().array() -= stepSize * m / (v.sqrt() * invCorrection2Sqrt + m_settings.epsilon);
}

}  // namespace layerlens::core
