#include "core/optimizers/sgd_nesterov.h"

#include "core/optimizers/optimizer_state.h"

namespace layerlens::core {

std::vector<Tensor*> SgdNesterov::state()
{
    std::vector<Tensor*> out;
    for (auto& v : m_velocity)
        out.push_back(&v);
    return out;
}

void SgdNesterov::prepare(const std::vector<Parameter*>& params) { detail::matchStateShapes(m_velocity, params); }

void SgdNesterov::update(std::size_t index, Parameter& param)
{
    auto v = m_velocity[index].vector();
    const auto g = workingGradient(index).vector();
    const float momentum = m_settings.momentum;
    v = momentum * v + g;
    param.value.vector() -= m_settings.learningRate * (g + momentum * v);
}

}  // namespace layerlens::core
