#include "core/optimizers/adagrad.h"

#include "core/optimizers/optimizer_state.h"

namespace layerlens::core {

std::vector<Tensor*> Adagrad::state()
{
    std::vector<Tensor*> out;
    for (auto& s : m_sum)
        out.push_back(&s);
    return out;
}

void Adagrad::prepare(const std::vector<Parameter*>& params) { detail::matchStateShapes(m_sum, params); }

void Adagrad::update(std::size_t index, Parameter& param)
{
    auto s = m_sum[index].vector().array();
    const auto g = workingGradient(index).vector().array();
    s += g.square();
    param.value.vector().array() -= m_settings.learningRate * g / (s.sqrt() + m_settings.epsilon);
}

}  // namespace layerlens::core
