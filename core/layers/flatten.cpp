#include "core/layers/flatten.h"

#include <algorithm>

#include "core/layers/shape_scratch.h"

namespace layerlens::core {

Shape Flatten::outputShape(const Shape& inputShape) const
{
    if (inputShape.empty() || shapeSize(inputShape) == 0)
        throw ShapeError("Flatten expects a non-empty input shape, found " + shapeToString(inputShape));
    return {static_cast<int>(shapeSize(inputShape))};
}

void Flatten::forward(const Tensor& input, Tensor& output, bool training)
{
    (void)training;
    if (input.rank() < 1)
        throw ShapeError("Flatten '" + m_name + "': expected a batch input (N, ...), found a scalar");
    const int n = input.dim(0);
    detail::resizeTo(output, m_scratchShape, {n, static_cast<int>(input.sampleSize())});
    std::copy(input.data(), input.data() + input.size(), output.data());
}

void Flatten::backward(const Tensor& input, const Tensor& output, const Tensor& gradOutput, Tensor& gradInput)
{
    (void)output;
    gradInput.resize(input.shape());
    std::copy(gradOutput.data(), gradOutput.data() + gradOutput.size(), gradInput.data());
}

}  // namespace layerlens::core
