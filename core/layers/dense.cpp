#include "core/layers/dense.h"

#include "core/layers/shape_scratch.h"

namespace layerlens::core {

Dense::Dense(int units, bool useBias, Initializer kernelInitializer)
    : m_units(units)
    , m_useBias(useBias)
    , m_kernelInitializer(kernelInitializer)
{
    if (units <= 0)
        throw std::invalid_argument("Dense: \"units\" must be a positive integer, found " + std::to_string(units));
}

Shape Dense::outputShape(const Shape& inputShape) const
{
    if (inputShape.size() != 1)
        throw ShapeError("Dense expects a flat input (features,), found " + shapeToString(inputShape)
                         + "; add a Flatten layer before it");
    if (inputShape[0] <= 0)
        throw ShapeError("Dense expects at least one input feature, found " + shapeToString(inputShape));
    return {m_units};
}

void Dense::build(const Shape& inputShape, Rng& rng)
{
    outputShape(inputShape);
    m_inputs = inputShape[0];
    m_kernel.value.resize({m_units, m_inputs});
    m_kernel.grad.resize({m_units, m_inputs});
    m_kernel.grad.setZero();
    m_kernelInitializer.fill(m_kernel.value, m_inputs, m_units, rng);
    if (m_useBias) {
        m_bias.value.resize({m_units});
        m_bias.value.setZero();
        m_bias.grad.resize({m_units});
        m_bias.grad.setZero();
    }
}

void Dense::forward(const Tensor& input, Tensor& output, bool training)
{
    (void)training;
    const int n = input.rank() > 0 ? input.dim(0) : 0;
    if (input.rank() < 2 || static_cast<int>(input.sampleSize()) != m_inputs)
        throw ShapeError("Dense '" + m_name + "': expected input (N, " + std::to_string(m_inputs) + "), found "
                         + shapeToString(input.shape()));
    detail::resizeTo(output, m_scratchShape, {n, m_units});
    auto x = input.matrix(n, m_inputs);
    auto y = output.matrix(n, m_units);
    auto w = std::as_const(m_kernel.value).matrix(m_units, m_inputs);
    y.noalias() = x * w.transpose();
    if (m_useBias)
        y.rowwise() += std::as_const(m_bias.value).vector().transpose();
}

void Dense::backward(const Tensor& input, const Tensor& output, const Tensor& gradOutput, Tensor& gradInput)
{
    (void)output;
    const int n = input.dim(0);
    auto x = input.matrix(n, m_inputs);
    auto dy = gradOutput.matrix(n, m_units);
    m_kernel.grad.matrix(m_units, m_inputs).noalias() = dy.transpose() * x;
    if (m_useBias)
        m_bias.grad.vector().noalias() = dy.colwise().sum().transpose();
    gradInput.resize(input.shape());
    gradInput.matrix(n, m_inputs).noalias() = dy * std::as_const(m_kernel.value).matrix(m_units, m_inputs);
}

std::vector<Parameter*> Dense::parameters()
{
    if (m_kernel.value.empty())
        return {};
    if (m_useBias)
        return {&m_kernel, &m_bias};
    return {&m_kernel};
}

std::size_t Dense::parameterCountFor(const Shape& inputShape) const
{
    outputShape(inputShape);
    return static_cast<std::size_t>(m_units) * static_cast<std::size_t>(inputShape[0] + (m_useBias ? 1 : 0));
}

nlohmann::json Dense::config() const
{
    nlohmann::json c = {{"type", "Dense"}, {"units", m_units}, {"use_bias", m_useBias}};
    if (!(m_kernelInitializer == Initializer::glorotUniform()))
        c["kernel_initializer"] = m_kernelInitializer.toJson();
    return c;
}

std::string Dense::describe() const
{
    return std::to_string(m_units) + " units" + (m_useBias ? "" : ", no bias");
}

}  // namespace layerlens::core
