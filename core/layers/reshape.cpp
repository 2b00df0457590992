#include "core/layers/reshape.h"

#include <algorithm>

namespace layerlens::core {

Reshape::Reshape(Shape targetShape)
    : m_targetShape(std::move(targetShape))
{
    if (m_targetShape.empty())
        throw std::invalid_argument("Reshape: \"target_shape\" must not be empty");
    int inferred = 0;
    for (int d : m_targetShape) {
        if (d == -1)
            ++inferred;
        else if (d <= 0)
            throw std::invalid_argument("Reshape: \"target_shape\" must hold positive sizes (or one -1), found "
                                        + shapeToString(m_targetShape));
    }
    if (inferred > 1)
        throw std::invalid_argument("Reshape: at most one -1 in \"target_shape\", found " + shapeToString(m_targetShape));
}

Shape Reshape::outputShape(const Shape& inputShape) const
{
    const std::size_t size = shapeSize(inputShape);
    Shape out = m_targetShape;
    std::size_t known = 1;
    int inferredAxis = -1;
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (out[i] == -1)
            inferredAxis = static_cast<int>(i);
        else
            known *= static_cast<std::size_t>(out[i]);
    }
    if (inferredAxis >= 0) {
        if (inputShape.empty() || size == 0 || size % known != 0)
            throw ShapeError("Reshape: cannot reshape " + shapeToString(inputShape) + " (" + std::to_string(size)
                             + " values) to " + shapeToString(m_targetShape) + ": " + std::to_string(size)
                             + " is not a multiple of " + std::to_string(known));
        out[static_cast<std::size_t>(inferredAxis)] = static_cast<int>(size / known);
    } else if (inputShape.empty() || known != size) {
        throw ShapeError("Reshape: cannot reshape " + shapeToString(inputShape) + " (" + std::to_string(size)
                         + " values) to " + shapeToString(m_targetShape) + " (" + std::to_string(known)
                         + " values); expected the same number of values");
    }
    return out;
}

void Reshape::build(const Shape& inputShape, Rng& rng)
{
    (void)rng;
    outputShape(inputShape);
}

void Reshape::forward(const Tensor& input, Tensor& output, bool training)
{
    (void)training;
    if (input.rank() < 1)
        throw ShapeError("Reshape '" + m_name + "': expected a batch input (N, ...), found a scalar");
    const int n = input.dim(0);
    if (m_batchShape.size() != m_targetShape.size() + 1 || m_batchShape[0] != n
        || shapeSize(m_batchShape) != input.size()) {
        Shape perSample(input.shape().begin() + 1, input.shape().end());
        Shape target = outputShape(perSample);
        m_batchShape.assign(1, n);
        m_batchShape.insert(m_batchShape.end(), target.begin(), target.end());
    }
    output.resize(m_batchShape);
    std::copy(input.data(), input.data() + input.size(), output.data());
}

void Reshape::backward(const Tensor& input, const Tensor& output, const Tensor& gradOutput, Tensor& gradInput)
{
    (void)output;
    gradInput.resize(input.shape());
    std::copy(gradOutput.data(), gradOutput.data() + gradOutput.size(), gradInput.data());
}

}  // namespace layerlens::core
