#include "core/layers/layer.h"

namespace layerlens::core {

std::vector<const Parameter*> Layer::parameters() const
{
    auto params = const_cast<Layer*>(this)->parameters();
    return {params.begin(), params.end()};
}

std::size_t Layer::parameterCount() const
{
    std::size_t count = 0;
    for (const Parameter* p : parameters())
        count += p->value.size();
    return count;
}

std::size_t Layer::bufferCount() const
{
    std::size_t count = 0;
    for (const Parameter* p : const_cast<Layer*>(this)->buffers())
        count += p->value.size();
    return count;
}

void Layer::setFrozen(bool frozen)
{
    m_frozen = frozen;
    for (Parameter* p : parameters())
        p->trainable = !frozen;
}

}  // namespace layerlens::core
