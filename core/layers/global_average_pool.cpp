#include "core/layers/global_average_pool.h"

#include "core/layers/shape_scratch.h"

namespace layerlens::core {

Shape GlobalAveragePool::outputShape(const Shape& inputShape) const
{
    if (inputShape.size() != 3 || shapeSize(inputShape) == 0)
        throw ShapeError("GlobalAveragePool expects an image input (channels, height, width), found "
                         + shapeToString(inputShape));
    return {inputShape[0]};
}

void GlobalAveragePool::forward(const Tensor& input, Tensor& output, bool training)
{
    (void)training;
    if (input.rank() != 4)
        throw ShapeError("GlobalAveragePool '" + m_name + "': expected input (N, C, H, W), found "
                         + shapeToString(input.shape()));
    const int n = input.dim(0), c = input.dim(1);
    const int pixels = input.dim(2) * input.dim(3);
    detail::resizeTo(output, m_scratchShape, {n, c});
    output.vector() = input.matrix(n * c, pixels).rowwise().mean();
}

void GlobalAveragePool::backward(const Tensor& input, const Tensor& output, const Tensor& gradOutput,
                                 Tensor& gradInput)
{
    (void)output;
    const int n = input.dim(0), c = input.dim(1);
    const int pixels = input.dim(2) * input.dim(3);
    gradInput.resize(input.shape());
    const float scale = 1.0f / static_cast<float>(pixels);
    gradInput.matrix(n * c, pixels).colwise() = gradOutput.vector() * scale;
}

}  // namespace layerlens::core
