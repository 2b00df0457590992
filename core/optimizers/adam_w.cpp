#include "core/optimizers/adam_w.h"

namespace layerlens::core {

void AdamW::update(std::size_t index, Parameter& param)
{
    param.value.vector() *= 1.0f - m_settings.learningRate * m_settings.weightDecay;
    Adam::update(index, param);
}

}  // namespace layerlens::core
