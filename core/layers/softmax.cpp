#include "core/layers/softmax.h"

#include <cmath>

namespace layerlens::core {

Shape Softmax::outputShape(const Shape& inputShape) const
{
    if (inputShape.empty() || shapeSize(inputShape) == 0)
        throw ShapeError("Softmax expects a non-empty input shape, found " + shapeToString(inputShape));
    return inputShape;
}

void Softmax::forward(const Tensor& input, Tensor& output, bool training)
{
    (void)training;
    output.resize(input.shape());
    const int n = input.rank() > 0 ? input.dim(0) : 0;
    const int k = static_cast<int>(input.sampleSize());
    auto x = input.matrix(n, k);
    auto y = output.matrix(n, k);
    for (int r = 0; r < n; ++r) {
        const float maxValue = x.row(r).maxCoeff();
        y.row(r) = (x.row(r).array() - maxValue).exp().matrix();
        y.row(r) /= y.row(r).sum();
    }
}

void Softmax::backward(const Tensor& input, const Tensor& output, const Tensor& gradOutput, Tensor& gradInput)
{
    gradInput.resize(input.shape());
    const int n = input.dim(0);
    const int k = static_cast<int>(input.sampleSize());
    auto y = output.matrix(n, k);
    auto dy = gradOutput.matrix(n, k);
    auto dx = gradInput.matrix(n, k);
    for (int r = 0; r < n; ++r) {
        const float dot = y.row(r).dot(dy.row(r));
        dx.row(r) = (y.row(r).array() * (dy.row(r).array() - dot)).matrix();
    }
}

}  // namespace layerlens::core
