#include "core/optimizers/sgd.h"

namespace layerlens::core {

std::vector<Tensor*> Sgd::state() { return {}; }

void Sgd::prepare(const std::vector<Parameter*>& params) { (void)params; }

void Sgd::update(std::size_t index, Parameter& param)
{
    param.value.vector() -= m_settings.learningRate * workingGradient(index).vector();
}

}  // namespace layerlens::core
