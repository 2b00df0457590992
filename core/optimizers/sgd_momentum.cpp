#include "core/optimizers/sgd_momentum.h"

#include "core/optimizers/optimizer_state.h"

namespace layerlens::core {

std::vector<Tensor*> SgdMomentum::state()
{
    std::vector<Tensor*> out;
    for (auto& v : m_velocity)
        out.push_back(&v);
    return out;
}

void SgdMomentum::prepare(const std::vector<Parameter*>& params) { detail::matchStateShapes(m_velocity, params); }

void SgdMomentum::update(std::size_t index, Parameter& param)
{
    auto v = m_velocity[index].vector();
    v = m_settings.momentum * v + workingGradient(index).vector();
    param.value.vector() -= m_settings.learningRate * v;
}

}  // namespace layerlens::core
