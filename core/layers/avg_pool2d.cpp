#include "core/layers/avg_pool2d.h"

#include "core/layers/shape_scratch.h"

namespace layerlens::core {

void AvgPool2D::forward(const Tensor& input, Tensor& output, bool training)
{
    (void)training;
    const Geometry& g = geometryFor(input);
    const int n = input.dim(0);
    const int oh = g.rows.out, ow = g.cols.out;
    detail::resizeTo(output, m_scratchShape, {n, g.channels, oh, ow});
    const int planes = n * g.channels;
    const std::size_t inPlane = static_cast<std::size_t>(g.height) * static_cast<std::size_t>(g.width);
    const std::size_t outPlane = static_cast<std::size_t>(oh) * static_cast<std::size_t>(ow);
    const float* in = input.data();
    float* out = output.data();

#pragma omp parallel for schedule(static) if (planes > 1 && outPlane * static_cast<std::size_t>(planes) > (std::size_t(1) << 18))
    for (int p = 0; p < planes; ++p) {
        const float* src = in + static_cast<std::size_t>(p) * inPlane;
        float* dst = out + static_cast<std::size_t>(p) * outPlane;
        for (int oy = 0; oy < oh; ++oy) {
            const int y0 = oy * g.rows.stride - g.rows.padBefore;
            const int yBegin = std::max(y0, 0), yEnd = std::min(y0 + g.rows.kernel, g.height);
            for (int ox = 0; ox < ow; ++ox) {
                const int x0 = ox * g.cols.stride - g.cols.padBefore;
                const int xBegin = std::max(x0, 0), xEnd = std::min(x0 + g.cols.kernel, g.width);
                float sum = 0.0f;
                for (int y = yBegin; y < yEnd; ++y)
                    for (int x = xBegin; x < xEnd; ++x)
                        sum += src[y * g.width + x];
                dst[oy * ow + ox] = sum / static_cast<float>((yEnd - yBegin) * (xEnd - xBegin));
            }
        }
    }
}

void AvgPool2D::backward(const Tensor& input, const Tensor& output, const Tensor& gradOutput, Tensor& gradInput)
{
    (void)output;
    const Geometry& g = geometryFor(input);
    const int oh = g.rows.out, ow = g.cols.out;
    const int planes = input.dim(0) * g.channels;
    const std::size_t inPlane = static_cast<std::size_t>(g.height) * static_cast<std::size_t>(g.width);
    const std::size_t outPlane = static_cast<std::size_t>(oh) * static_cast<std::size_t>(ow);
    gradInput.resize(input.shape());
    gradInput.setZero();
    const float* dy = gradOutput.data();
    float* dx = gradInput.data();
    for (int p = 0; p < planes; ++p) {
        const float* src = dy + static_cast<std::size_t>(p) * outPlane;
        float* dst = dx + static_cast<std::size_t>(p) * inPlane;
        for (int oy = 0; oy < oh; ++oy) {
            const int y0 = oy * g.rows.stride - g.rows.padBefore;
            const int yBegin = std::max(y0, 0), yEnd = std::min(y0 + g.rows.kernel, g.height);
            for (int ox = 0; ox < ow; ++ox) {
                const int x0 = ox * g.cols.stride - g.cols.padBefore;
                const int xBegin = std::max(x0, 0), xEnd = std::min(x0 + g.cols.kernel, g.width);
                const float share = src[oy * ow + ox] / static_cast<float>((yEnd - yBegin) * (xEnd - xBegin));
                for (int y = yBegin; y < yEnd; ++y)
                    for (int x = xBegin; x < xEnd; ++x)
                        dst[y * g.width + x] += share;
            }
        }
    }
}

}  // namespace layerlens::core
