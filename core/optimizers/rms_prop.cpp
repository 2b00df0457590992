#include "core/optimizers/rms_prop.h"

#include "core/optimizers/optimizer_state.h"

namespace layerlens::core {

std::vector<Tensor*> RmsProp::state()
{
    std::vector<Tensor*> out;
    for (auto& s : m_square)
        out.push_back(&s);
    return out;
}

void RmsProp::prepare(const std::vector<Parameter*>& params) { detail::matchStateShapes(m_square, params); }

void RmsProp::update(std::size_t index, Parameter& param)
{
    auto s = m_square[index].vector().array();
    const auto g = workingGradient(index).vector().array();
    const float rho = m_settings.rho;
    s = rho * s + (1.0f - rho) * g.square();
    param.value.vector().array() -= m_settings.learningRate * g / (s.sqrt() + m_settings.epsilon);
}

}  // namespace layerlens::core
