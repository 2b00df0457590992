#include "core/layers/conv2d.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>

#include <omp.h>

#include "core/layers/eigen_serial_scope.h"
#include "core/layers/shape_scratch.h"

namespace layerlens::core {

namespace {
using ConstMap = Eigen::Map<const Tensor::RowMatrix>;
using Map = Eigen::Map<Tensor::RowMatrix>;
using ColumnMap = Eigen::Map<Eigen::MatrixXf>;
using ConstColumnMap = Eigen::Map<const Eigen::MatrixXf>;

std::string pairText(std::array<int, 2> v)
{
    return std::to_string(v[0]) + "x" + std::to_string(v[1]);
}

// Output positions ox in [lo, hi) whose input column ix0 + ox * stride lies inside [0, width).
void validRange(int ix0, int stride, int width, int outWidth, int& lo, int& hi)
{
    lo = ix0 >= 0 ? 0 : (-ix0 + stride - 1) / stride;
    hi = ix0 > width - 1 ? 0 : std::min(outWidth, (width - 1 - ix0) / stride + 1);
    lo = std::min(lo, outWidth);
    hi = std::max(hi, lo);
}
// Bytes of im2col columns a layer may keep from forward to backward (64 MB).
constexpr double kColumnCacheLimit = 64.0 * 1024 * 1024;
// Column bytes per block: large enough that the GEMM amortizes its packing and call overhead,
// small enough that the columns a block writes are still in cache when the GEMM reads them.
constexpr double kColumnBlockBytes = 256.0 * 1024;
// A batch is cut into a multiple of this many blocks (when it has that many samples), so the
// blocks spread evenly over 2 or 4 threads whatever the thread count; the cut itself must not
// depend on the thread count, or outputs would change with it.
constexpr int kBlockMultiple = 4;

// Multiply-adds above which one image's product is worth Eigen's threaded GEMM (about 0.1 ms of
// work; waking a passive thread costs tens of microseconds).
constexpr double kEigenThreadingMacs = 4.0e6;

// Threads to spread n samples over. Small problems stay serial: waking a team costs more than
// the work, and far more when the machine is busy and a thread has to wait for a core.
bool isThreadable(int n, int filters, int depth, int pixels)
{
    const double macs = static_cast<double>(n) * filters * static_cast<double>(depth) * pixels;
    return n >= 2 && macs >= 1.0e6;
}

int threadCount(int n, int filters, int depth, int pixels)
{
    if (!isThreadable(n, filters, depth, pixels))
        return 1;
    return std::max(1, std::min(omp_get_max_threads(), n));
}

// Short rows (a 28-pixel image row, a 10-pixel output row) are copied with plain loops that the
// compiler vectorizes: a libc memcpy/memset call per row, which GCC would otherwise make of such
// loops, costs more than the row.
#if defined(__GNUC__) && !defined(__clang__)
#define LAYERLENS_NO_LIBC_LOOPS [[gnu::optimize("no-tree-loop-distribute-patterns")]]
#else
#define LAYERLENS_NO_LIBC_LOOPS
#endif
using FloatArray = Eigen::Map<Eigen::ArrayXf>;
using ConstFloatArray = Eigen::Map<const Eigen::ArrayXf>;

// Filters up to which the kernel gradient is summed as dot products rather than by a GEMM: with
// very few filters the GEMM spends more time packing the columns than multiplying (LeNet-5's
// first layer, 6 filters: 260 us as dot products, 350 us by GEMM; its second, 16 filters, is
// faster by GEMM: 450 us against 530 us).
constexpr int kDotKernelGradientFilters = 8;

// partial (filters x depth, column-major) += dy (filters x width) * columns (depth x width)^T,
// both row-major, as dot products over chunks of the width that stay in L1 while every filter
// uses them.
void accumulateKernelGradient(const float* dy, const float* columns, int filters, int depth, std::size_t width,
                              float* partial)
{
    constexpr std::size_t kChunk = 512;
    for (std::size_t c0 = 0; c0 < width; c0 += kChunk) {
        const std::size_t len = std::min(kChunk, width - c0);
        for (int d = 0; d < depth; ++d) {
            const float* col = columns + static_cast<std::size_t>(d) * width + c0;
            float* out = partial + static_cast<std::size_t>(d) * static_cast<std::size_t>(filters);
            int f = 0;
            for (; f + 4 <= filters; f += 4) {
                const float* y0 = dy + static_cast<std::size_t>(f) * width + c0;
                const float* y1 = y0 + width;
                const float* y2 = y1 + width;
                const float* y3 = y2 + width;
                float a0 = 0, a1 = 0, a2 = 0, a3 = 0;
#pragma omp simd reduction(+ : a0, a1, a2, a3)
                for (std::size_t i = 0; i < len; ++i) {
                    const float c = col[i];
                    a0 += y0[i] * c;
                    a1 += y1[i] * c;
                    a2 += y2[i] * c;
                    a3 += y3[i] * c;
                }
                out[f] += a0;
                out[f + 1] += a1;
                out[f + 2] += a2;
                out[f + 3] += a3;
            }
            for (; f < filters; ++f) {
                const float* y0 = dy + static_cast<std::size_t>(f) * width + c0;
                float a0 = 0;
#pragma omp simd reduction(+ : a0)
                for (std::size_t i = 0; i < len; ++i)
                    a0 += y0[i] * col[i];
                out[f] += a0;
            }
        }
    }
}

// [begin, end) of part `part` when `total` items are cut into `parts` near-equal parts.
void splitRange(int total, int part, int parts, int& begin, int& end)
{
    begin = static_cast<int>(static_cast<long long>(total) * part / parts);
    end = static_cast<int>(static_cast<long long>(total) * (part + 1) / parts);
}
}  // namespace

Conv2D::Conv2D(int filters, std::array<int, 2> kernelSize, std::array<int, 2> strides, Padding2D padding,
               std::array<int, 2> dilation, bool useBias, Initializer kernelInitializer)
    : m_filters(filters)
    , m_kernelSize(kernelSize)
    , m_strides(strides)
    , m_padding(padding)
    , m_dilation(dilation)
    , m_useBias(useBias)
    , m_kernelInitializer(kernelInitializer)
{
    if (filters <= 0)
        throw std::invalid_argument("Conv2D: \"filters\" must be a positive integer, found " + std::to_string(filters));
    for (int i = 0; i < 2; ++i) {
        if (kernelSize[i] <= 0)
            throw std::invalid_argument("Conv2D: \"kernel_size\" must be positive, found " + pairText(kernelSize));
        if (strides[i] <= 0)
            throw std::invalid_argument("Conv2D: \"strides\" must be positive, found " + pairText(strides));
        if (dilation[i] <= 0)
            throw std::invalid_argument("Conv2D: \"dilation\" must be positive, found " + pairText(dilation));
    }
    if (padding.mode == Padding2D::Mode::Explicit && (padding.height < 0 || padding.width < 0))
        throw std::invalid_argument("Conv2D: \"padding\" must not be negative");
}

Conv2D::Geometry Conv2D::geometry(const Shape& inputShape) const
{
    if (inputShape.size() != 3)
        throw ShapeError("Conv2D expects an image input (channels, height, width), found " + shapeToString(inputShape)
                         + (inputShape.size() == 2 ? "; add a Reshape to (1, H, W) for single-channel images" : ""));
    Geometry g;
    g.channels = inputShape[0];
    g.height = inputShape[1];
    g.width = inputShape[2];
    if (g.channels <= 0 || g.height <= 0 || g.width <= 0)
        throw ShapeError("Conv2D expects positive input sizes, found " + shapeToString(inputShape));
    g.rows = computeWindowAxis(g.height, m_kernelSize[0], m_strides[0], m_dilation[0], m_padding.mode, m_padding.height);
    g.cols = computeWindowAxis(g.width, m_kernelSize[1], m_strides[1], m_dilation[1], m_padding.mode, m_padding.width);
    if (g.rows.out < 1 || g.cols.out < 1) {
        const int spanH = (m_kernelSize[0] - 1) * m_dilation[0] + 1;
        const int spanW = (m_kernelSize[1] - 1) * m_dilation[1] + 1;
        throw ShapeError("Conv2D: a " + pairText(m_kernelSize) + " kernel"
                         + (m_dilation[0] > 1 || m_dilation[1] > 1 ? " (dilated span " + std::to_string(spanH) + "x"
                                                                          + std::to_string(spanW) + ")"
                                                                    : std::string())
                         + " does not fit an input of " + std::to_string(g.height) + "x" + std::to_string(g.width)
                         + " with " + m_padding.text() + " padding; expected height >= " + std::to_string(spanH)
                         + " and width >= " + std::to_string(spanW) + " (after padding)");
    }
    return g;
}

Shape Conv2D::outputShape(const Shape& inputShape) const
{
    const Geometry g = geometry(inputShape);
    return {m_filters, g.rows.out, g.cols.out};
}

std::size_t Conv2D::parameterCountFor(const Shape& inputShape) const
{
    const Geometry g = geometry(inputShape);
    return static_cast<std::size_t>(m_filters)
        * (static_cast<std::size_t>(g.channels) * static_cast<std::size_t>(m_kernelSize[0] * m_kernelSize[1])
           + (m_useBias ? 1 : 0));
}

void Conv2D::build(const Shape& inputShape, Rng& rng)
{
    m_geometry = geometry(inputShape);
    const int kh = m_kernelSize[0];
    const int kw = m_kernelSize[1];
    m_kernel.value.resize({m_filters, m_geometry.channels, kh, kw});
    m_kernel.grad.resize(m_kernel.value.shape());
    m_kernel.grad.setZero();
    m_kernelInitializer.fill(m_kernel.value, m_geometry.channels * kh * kw, m_filters * kh * kw, rng);
    if (m_useBias) {
        m_bias.value.resize({m_filters});
        m_bias.value.setZero();
        m_bias.grad.resize({m_filters});
        m_bias.grad.setZero();
    }
}

void Conv2D::checkInput(const Tensor& input)
{
    if (m_kernel.value.empty())
        throw std::logic_error("Conv2D '" + m_name + "' used before build()");
    const Geometry& g = m_geometry;
    if (input.rank() != 4 || input.dim(1) != g.channels || input.dim(2) != g.height || input.dim(3) != g.width)
        throw ShapeError("Conv2D '" + m_name + "': expected input (N, " + std::to_string(g.channels) + ", "
                         + std::to_string(g.height) + ", " + std::to_string(g.width) + "), found "
                         + shapeToString(input.shape()));
}

Conv2D::Plan Conv2D::plan(int n) const
{
    Plan p;
    if (n <= 0)
        return p;
    const int depth = m_geometry.channels * m_kernelSize[0] * m_kernelSize[1];
    const int pixels = m_geometry.rows.out * m_geometry.cols.out;
    const double sampleBytes = static_cast<double>(depth) * pixels * sizeof(float);
    const double wanted = std::ceil(sampleBytes * n / kColumnBlockBytes);
    int blocks = static_cast<int>(std::min<double>(n, std::max(1.0, wanted)));
    const int threads = threadCount(n, m_filters, depth, pixels);
    // Work worth threading is cut into a multiple of kBlockMultiple blocks; the test uses the
    // work size only (threadCount is 1 for small work whatever the number of threads).
    if (isThreadable(n, m_filters, depth, pixels))
        blocks = std::min(n, (blocks + kBlockMultiple - 1) / kBlockMultiple * kBlockMultiple);
    p.blocks = blocks;
    p.maxBlock = (n + blocks - 1) / blocks;
    p.threads = std::max(1, std::min(threads, blocks));
    p.eigenThreads = n == 1 && static_cast<double>(m_filters) * depth * pixels >= kEigenThreadingMacs;
    return p;
}

void Conv2D::prepareWorkspaces(const Plan& p)
{
    const auto t = static_cast<std::size_t>(p.threads);
    if (m_columns.size() < t) {
        m_columns.resize(t);
        m_products.resize(t);
        m_kernelGrads.resize(t);
        m_biasGrads.resize(t);
    }
    const int depth = m_geometry.channels * m_kernelSize[0] * m_kernelSize[1];
    const int pixels = m_geometry.rows.out * m_geometry.cols.out;
    for (std::size_t i = 0; i < t; ++i) {
        detail::resizeTo(m_columns[i], m_scratchShape, {depth, p.maxBlock * pixels});
        // A block of one sample writes straight into the output: no product workspace.
        if (p.maxBlock > 1)
            detail::resizeTo(m_products[i], m_scratchShape, {m_filters, p.maxBlock * pixels});
    }
}

LAYERLENS_NO_LIBC_LOOPS void Conv2D::im2col(const float* image, float* col, std::size_t rowStride) const
{
    const Geometry& g = m_geometry;
    const int kh = m_kernelSize[0], kw = m_kernelSize[1];
    const int oh = g.rows.out, ow = g.cols.out;
    const int sh = m_strides[0], sw = m_strides[1];
    const int dh = m_dilation[0], dw = m_dilation[1];
    const int pt = g.rows.padBefore, pl = g.cols.padBefore;
    const std::size_t plane = static_cast<std::size_t>(g.height) * static_cast<std::size_t>(g.width);
    float* dst = col;
    for (int c = 0; c < g.channels; ++c) {
        const float* channel = image + static_cast<std::size_t>(c) * plane;
        for (int ki = 0; ki < kh; ++ki) {
            for (int kj = 0; kj < kw; ++kj, dst += rowStride) {
                const int ix0 = kj * dw - pl;
                int lo = 0, hi = 0;
                validRange(ix0, sw, g.width, ow, lo, hi);
                // 1x1 windows without stride or padding: the row is the channel plane itself.
                if (sh == 1 && sw == 1 && ow == g.width && lo == 0 && hi == ow && ix0 == 0 && ki * dh - pt == 0
                    && oh == g.height) {
                    std::memcpy(dst, channel, plane * sizeof(float));
                    continue;
                }
                for (int oy = 0; oy < oh; ++oy) {
                    float* row = dst + static_cast<std::size_t>(oy) * static_cast<std::size_t>(ow);
                    const int iy = oy * sh - pt + ki * dh;
                    if (iy < 0 || iy >= g.height) {
                        std::fill(row, row + ow, 0.0f);
                        continue;
                    }
                    const float* src = channel + static_cast<std::size_t>(iy) * static_cast<std::size_t>(g.width) + ix0;
                    for (int ox = 0; ox < lo; ++ox)
                        row[ox] = 0.0f;
                    if (sw == 1) {
                        for (int ox = lo; ox < hi; ++ox)
                            row[ox] = src[ox];
                    } else {
                        for (int ox = lo; ox < hi; ++ox)
                            row[ox] = src[ox * sw];
                    }
                    for (int ox = hi; ox < ow; ++ox)
                        row[ox] = 0.0f;
                }
            }
        }
    }
}

LAYERLENS_NO_LIBC_LOOPS void Conv2D::col2im(const float* col, std::size_t rowStride, float* image) const
{
    const Geometry& g = m_geometry;
    const int kh = m_kernelSize[0], kw = m_kernelSize[1];
    const int oh = g.rows.out, ow = g.cols.out;
    const int sh = m_strides[0], sw = m_strides[1];
    const int dh = m_dilation[0], dw = m_dilation[1];
    const int pt = g.rows.padBefore, pl = g.cols.padBefore;
    const float* srcPlane = col;
    for (int c = 0; c < g.channels; ++c) {
        float* channel = image + static_cast<std::size_t>(c) * static_cast<std::size_t>(g.height * g.width);
        for (int ki = 0; ki < kh; ++ki) {
            for (int kj = 0; kj < kw; ++kj, srcPlane += rowStride) {
                const int ix0 = kj * dw - pl;
                int lo = 0, hi = 0;
                validRange(ix0, sw, g.width, ow, lo, hi);
                for (int oy = 0; oy < oh; ++oy) {
                    const int iy = oy * sh - pt + ki * dh;
                    if (iy < 0 || iy >= g.height)
                        continue;
                    const float* row = srcPlane + static_cast<std::size_t>(oy) * static_cast<std::size_t>(ow);
                    float* dst = channel + static_cast<std::size_t>(iy) * static_cast<std::size_t>(g.width);
                    if (sw == 1) {
                        float* d = dst + ix0;
#pragma GCC ivdep
                        for (int ox = lo; ox < hi; ++ox)
                            d[ox] += row[ox];
                    } else {
                        for (int ox = lo; ox < hi; ++ox)
                            dst[ix0 + ox * sw] += row[ox];
                    }
                }
            }
        }
    }
}

void Conv2D::forward(const Tensor& input, Tensor& output, bool training)
{
    checkInput(input);
    const Geometry& g = m_geometry;
    const int n = input.dim(0);
    const int depth = g.channels * m_kernelSize[0] * m_kernelSize[1];
    const int pixels = g.rows.out * g.cols.out;
    detail::resizeTo(output, m_scratchShape, {n, m_filters, g.rows.out, g.cols.out});
    if (!training && m_kernelSize[0] == 3 && m_kernelSize[1] == 3 && m_strides[0] == 1 && m_strides[1] == 1
        && m_dilation[0] == 1 && m_dilation[1] == 1 && WinogradConv3x3::worthwhile(g.channels, m_filters)) {
        m_columnCacheValid = false;
        const WinogradConv3x3::Geometry wg{g.channels,       g.height,         g.width,      m_filters,
                                           g.rows.padBefore, g.cols.padBefore, g.rows.out,   g.cols.out};
        m_winograd.run(wg, m_kernel.value.data(), m_useBias ? m_bias.value.data() : nullptr, input.data(), n,
                       output.data());
        return;
    }
    const Plan p = plan(n);
    prepareWorkspaces(p);
    const std::size_t inSize = input.sampleSize();
    const auto upixels = static_cast<std::size_t>(pixels);
    const std::size_t outSize = static_cast<std::size_t>(m_filters) * upixels;
    const float* in = input.data();
    float* out = output.data();
    const ConstMap kernel(m_kernel.value.data(), m_filters, depth);
    const float* bias = m_bias.value.data();
    const bool useBias = m_useBias;

    const std::size_t colSize = static_cast<std::size_t>(depth) * upixels;
    m_columnCacheValid = training && static_cast<double>(colSize) * n * sizeof(float) <= kColumnCacheLimit;
    if (m_columnCacheValid)
        detail::resizeTo(m_columnCache, m_scratchShape, {n, depth, pixels});
    float* cache = m_columnCacheValid ? m_columnCache.data() : nullptr;
    std::optional<EigenSerialScope> serialEigen;
    if (!p.eigenThreads)
        serialEigen.emplace();

#pragma omp parallel num_threads(p.threads) if (p.threads > 1)
    {
        // Blocks are dealt out by the planned thread count; a smaller team (nested or limited
        // OpenMP) takes the parts of missing threads in turn, giving the same result.
        const int team = omp_get_num_threads();
        const auto t = static_cast<std::size_t>(omp_get_thread_num());
        for (int part = omp_get_thread_num(); part < p.threads; part += team) {
            int firstBlock = 0, endBlock = 0;
            splitRange(p.blocks, part, p.threads, firstBlock, endBlock);
            for (int blk = firstBlock; blk < endBlock; ++blk) {
                int s0 = 0, s1 = 0;
                splitRange(n, blk, p.blocks, s0, s1);
                const int b = s1 - s0;
                const std::size_t width = static_cast<std::size_t>(b) * upixels;  // GEMM columns
                float* col = cache ? cache + static_cast<std::size_t>(s0) * colSize : m_columns[t].data();
                for (int s = 0; s < b; ++s)
                    im2col(in + static_cast<std::size_t>(s0 + s) * inSize, col + static_cast<std::size_t>(s) * upixels,
                           width);
                const ConstMap columns(col, depth, static_cast<Eigen::Index>(width));
                if (b == 1) {
                    // One sample: (filters, OH*OW) is already its NCHW output.
                    Map y(out + static_cast<std::size_t>(s0) * outSize, m_filters, pixels);
                    y.noalias() = kernel * columns;
                    if (useBias)
                        y.colwise() += Eigen::Map<const Eigen::VectorXf>(bias, m_filters);
                    continue;
                }
                Map y(m_products[t].data(), m_filters, static_cast<Eigen::Index>(width));
                y.noalias() = kernel * columns;
                // (filters, b*OH*OW) -> b x (filters, OH*OW), adding the bias on the way.
                for (int f = 0; f < m_filters; ++f) {
                    const float shift = useBias ? bias[f] : 0.0f;
                    const float* src = y.data() + static_cast<std::size_t>(f) * width;
                    for (int s = 0; s < b; ++s) {
                        float* dst = out + static_cast<std::size_t>(s0 + s) * outSize + static_cast<std::size_t>(f) * upixels;
                        FloatArray(dst, pixels) = ConstFloatArray(src + static_cast<std::size_t>(s) * upixels, pixels) + shift;
                    }
                }
            }
        }
    }
}

namespace {
// A named constant, so that marking the gradient empty allocates nothing in the training step.
const Shape kNoGradientShape{0};
}  // namespace

void Conv2D::backward(const Tensor& input, const Tensor& output, const Tensor& gradOutput, Tensor& gradInput)
{
    (void)output;
    checkInput(input);
    const Geometry& g = m_geometry;
    const int n = input.dim(0);
    const int depth = g.channels * m_kernelSize[0] * m_kernelSize[1];
    const int pixels = g.rows.out * g.cols.out;
    const Plan p = plan(n);
    prepareWorkspaces(p);
    for (int t = 0; t < p.threads; ++t) {
        Tensor& partial = m_kernelGrads[static_cast<std::size_t>(t)];
        detail::resizeTo(partial, m_scratchShape, {m_filters, depth});
        partial.setZero();
        Tensor& biasPartial = m_biasGrads[static_cast<std::size_t>(t)];
        detail::resizeTo(biasPartial, m_scratchShape, {m_filters});
        biasPartial.setZero();
    }
    const bool wantInputGradient = inputGradientNeeded();
    if (wantInputGradient)
        gradInput.resize(input.shape());
    else
        gradInput.resize(kNoGradientShape);
    const std::size_t inSize = input.sampleSize();
    const auto upixels = static_cast<std::size_t>(pixels);
    const std::size_t outSize = static_cast<std::size_t>(m_filters) * upixels;
    const float* in = input.data();
    const float* dy = gradOutput.data();
    float* dx = gradInput.data();
    const ConstMap kernel(m_kernel.value.data(), m_filters, depth);
    const std::size_t colSize = static_cast<std::size_t>(depth) * upixels;
    const bool cached = m_columnCacheValid && m_columnCache.size() == colSize * static_cast<std::size_t>(n);
    const float* cache = cached ? m_columnCache.data() : nullptr;
    const bool useBias = m_useBias;
    std::optional<EigenSerialScope> serialEigen;
    if (!p.eigenThreads)
        serialEigen.emplace();

#pragma omp parallel num_threads(p.threads) if (p.threads > 1)
    {
        const int team = omp_get_num_threads();
        const auto t = static_cast<std::size_t>(omp_get_thread_num());
        for (int part = omp_get_thread_num(); part < p.threads; part += team) {
            ColumnMap partial(m_kernelGrads[static_cast<std::size_t>(part)].data(), m_filters, depth);
            auto biasPartial = m_biasGrads[static_cast<std::size_t>(part)].vector();
            int firstBlock = 0, endBlock = 0;
            splitRange(p.blocks, part, p.threads, firstBlock, endBlock);
            for (int blk = firstBlock; blk < endBlock; ++blk) {
                int s0 = 0, s1 = 0;
                splitRange(n, blk, p.blocks, s0, s1);
                const int b = s1 - s0;
                const std::size_t width = static_cast<std::size_t>(b) * upixels;
                const auto w = static_cast<Eigen::Index>(width);
                float* col = m_columns[t].data();
                const float* blockColumns = col;
                if (cache) {
                    blockColumns = cache + static_cast<std::size_t>(s0) * colSize;
                } else {
                    for (int s = 0; s < b; ++s)
                        im2col(in + static_cast<std::size_t>(s0 + s) * inSize, col + static_cast<std::size_t>(s) * upixels,
                               width);
                }
                // The block's output gradient as one (filters, b*OH*OW) matrix.
                const float* dyBlock = dy + static_cast<std::size_t>(s0) * outSize;
                if (b > 1) {
                    float* gathered = m_products[t].data();
                    for (int f = 0; f < m_filters; ++f)
                            for (int s = 0; s < b; ++s)
                            std::memcpy(gathered + static_cast<std::size_t>(f) * width + static_cast<std::size_t>(s) * upixels,
                                        dyBlock + static_cast<std::size_t>(s) * outSize + static_cast<std::size_t>(f) * upixels,
                                        upixels * sizeof(float));
                    dyBlock = gathered;
                }
                const ConstMap dys(dyBlock, m_filters, w);
                if (m_filters <= kDotKernelGradientFilters)
                    accumulateKernelGradient(dyBlock, blockColumns, m_filters, depth, width, partial.data());
                else
                    partial.noalias() += dys * ConstMap(blockColumns, depth, w).transpose();
                if (useBias)
                    biasPartial += dys.rowwise().sum();
                if (!wantInputGradient)
                    continue;
                // The columns are no longer needed: their workspace takes d(columns).
                Map colGrad(col, depth, w);
                colGrad.noalias() = kernel.transpose() * dys;
                for (int s = 0; s < b; ++s) {
                    float* dxs = dx + static_cast<std::size_t>(s0 + s) * inSize;
                    std::fill(dxs, dxs + inSize, 0.0f);
                    col2im(col + static_cast<std::size_t>(s) * upixels, width, dxs);
                }
            }
        }
    }

    // Fixed summation order (part 0, 1, ...) keeps the result independent of timing.
    Map kernelGrad(m_kernel.grad.data(), m_filters, depth);
    kernelGrad = ConstColumnMap(m_kernelGrads[0].data(), m_filters, depth);
    for (int t = 1; t < p.threads; ++t)
        kernelGrad += ConstColumnMap(m_kernelGrads[static_cast<std::size_t>(t)].data(), m_filters, depth);
    if (m_useBias) {
        auto biasGrad = m_bias.grad.vector();
        biasGrad = m_biasGrads[0].vector();
        for (int t = 1; t < p.threads; ++t)
            biasGrad += m_biasGrads[static_cast<std::size_t>(t)].vector();
    }
}

std::vector<Parameter*> Conv2D::parameters()
{
    if (m_kernel.value.empty())
        return {};
    if (m_useBias)
        return {&m_kernel, &m_bias};
    return {&m_kernel};
}

nlohmann::json Conv2D::config() const
{
    auto pair = [](std::array<int, 2> v) -> nlohmann::json {
        if (v[0] == v[1])
            return v[0];
        return nlohmann::json::array({v[0], v[1]});
    };
    nlohmann::json c = {{"type", "Conv2D"},          {"filters", m_filters},
                        {"kernel_size", pair(m_kernelSize)}, {"strides", pair(m_strides)},
                        {"padding", m_padding.toJson()},     {"dilation", pair(m_dilation)},
                        {"use_bias", m_useBias}};
    if (!(m_kernelInitializer == Initializer::glorotUniform()))
        c["kernel_initializer"] = m_kernelInitializer.toJson();
    return c;
}

std::string Conv2D::describe() const
{
    std::string text = std::to_string(m_filters) + " filters " + pairText(m_kernelSize) + ", " + m_padding.text();
    if (m_strides[0] != 1 || m_strides[1] != 1)
        text += ", stride " + (m_strides[0] == m_strides[1] ? std::to_string(m_strides[0]) : pairText(m_strides));
    if (m_dilation[0] != 1 || m_dilation[1] != 1)
        text += ", dilation "
            + (m_dilation[0] == m_dilation[1] ? std::to_string(m_dilation[0]) : pairText(m_dilation));
    if (!m_useBias)
        text += ", no bias";
    return text;
}

}  // namespace layerlens::core
