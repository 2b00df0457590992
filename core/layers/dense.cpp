#include "core/layers/dense.h"

#include <algorithm>

#include <omp.h>

#include "core/layers/eigen_serial_scope.h"
#include "core/layers/shape_scratch.h"

namespace layerlens::core {

namespace {
using ConstMap = Eigen::Map<const Tensor::RowMatrix>;
using Map = Eigen::Map<Tensor::RowMatrix>;

// Rows of work are split over our own OpenMP team rather than left to Eigen's threaded GEMM,
// whose busy-wait synchronisation stalls badly when the machine is oversubscribed. Small
// products stay serial (EigenSerialScope keeps Eigen from threading them on its own).
int threadCount(double macs, int rows)
{
    if (macs < 2.0e6 || rows < 2)
        return 1;
    return std::max(1, std::min(omp_get_max_threads(), rows));
}

// [begin, end) of `rows` for part `part` of `parts`.
void splitRows(int rows, int part, int parts, int& begin, int& end)
{
    begin = static_cast<int>(static_cast<long long>(rows) * part / parts);
    end = static_cast<int>(static_cast<long long>(rows) * (part + 1) / parts);
}
}  // namespace

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
    const float* x = input.data();
    float* y = output.data();
    const ConstMap w(m_kernel.value.data(), m_units, m_inputs);
    const float* bias = m_bias.value.data();
    const bool useBias = m_useBias;
    const double macs = static_cast<double>(n) * m_inputs * m_units;
    // Samples are split over the team; a batch smaller than the team (one image through VGG16's
    // 25088x4096 layer) splits the units instead, so both cores stream half of the weights.
    const bool splitUnits = n < omp_get_max_threads();
    const int threads = threadCount(macs, splitUnits ? m_units : n);
    const EigenSerialScope serialEigen;
#pragma omp parallel num_threads(threads) if (threads > 1)
    {
        int begin = 0, end = 0;
        if (splitUnits) {
            splitRows(m_units, omp_get_thread_num(), omp_get_num_threads(), begin, end);
            if (end > begin) {
                Map all(y, n, m_units);  // named: a block of a temporary Map would dangle
                auto ys = all.middleCols(begin, end - begin);
                ys.noalias() = ConstMap(x, n, m_inputs) * w.middleRows(begin, end - begin).transpose();
                if (useBias)
                    ys.rowwise() += Eigen::Map<const Eigen::RowVectorXf>(bias + begin, end - begin);
            }
        } else {
            splitRows(n, omp_get_thread_num(), omp_get_num_threads(), begin, end);
            if (end > begin) {
                Map ys(y + static_cast<std::size_t>(begin) * static_cast<std::size_t>(m_units), end - begin, m_units);
                const ConstMap xs(x + static_cast<std::size_t>(begin) * static_cast<std::size_t>(m_inputs), end - begin,
                                  m_inputs);
                ys.noalias() = xs * w.transpose();
                if (useBias)
                    ys.rowwise() += Eigen::Map<const Eigen::RowVectorXf>(bias, m_units);
            }
        }
    }
}

void Dense::backward(const Tensor& input, const Tensor& output, const Tensor& gradOutput, Tensor& gradInput)
{
    (void)output;
    const int n = input.dim(0);
    const ConstMap x(input.data(), n, m_inputs);
    const ConstMap dy(gradOutput.data(), n, m_units);
    const ConstMap w(m_kernel.value.data(), m_units, m_inputs);
    gradInput.resize(input.shape());
    float* kernelGrad = m_kernel.grad.data();
    float* dx = gradInput.data();
    const int threads = threadCount(static_cast<double>(n) * m_inputs * m_units, std::min(n, m_units));
    const EigenSerialScope serialEigen;
    // Thread t owns rows of dW (units) and rows of dX (samples): no reduction, same result
    // for any thread count.
#pragma omp parallel num_threads(threads) if (threads > 1)
    {
        const int part = omp_get_thread_num(), parts = omp_get_num_threads();
        int begin = 0, end = 0;
        splitRows(m_units, part, parts, begin, end);
        if (end > begin) {
            Map dw(kernelGrad + static_cast<std::size_t>(begin) * static_cast<std::size_t>(m_inputs), end - begin,
                   m_inputs);
            dw.noalias() = dy.middleCols(begin, end - begin).transpose() * x;
        }
        splitRows(n, part, parts, begin, end);
        if (end > begin) {
            Map dxs(dx + static_cast<std::size_t>(begin) * static_cast<std::size_t>(m_inputs), end - begin, m_inputs);
            dxs.noalias() = dy.middleRows(begin, end - begin) * w;
        }
    }
    if (m_useBias)
        m_bias.grad.vector().noalias() = dy.colwise().sum().transpose();
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
