#include "core/layers/max_pool2d.h"

#include "core/layers/shape_scratch.h"

#include <limits>

namespace layerlens::core {

void MaxPool2D::forward(const Tensor& input, Tensor& output, bool training)
{
    (void)training;
    const Geometry& g = geometryFor(input);
    const int n = input.dim(0);
    const int oh = g.rows.out, ow = g.cols.out;
    detail::resizeTo(output, m_scratchShape, {n, g.channels, oh, ow});
    if (m_argmax.size() < output.size())
        m_argmax.resize(output.size());
    const int planes = n * g.channels;
    const std::size_t inPlane = static_cast<std::size_t>(g.height) * static_cast<std::size_t>(g.width);
    const std::size_t outPlane = static_cast<std::size_t>(oh) * static_cast<std::size_t>(ow);
    const float* in = input.data();
    float* out = output.data();
    std::int32_t* argmax = m_argmax.data();
    const bool fast2x2 = g.rows.kernel == 2 && g.cols.kernel == 2 && g.rows.stride == 2 && g.cols.stride == 2
        && g.rows.padBefore == 0 && g.cols.padBefore == 0 && 2 * oh <= g.height && 2 * ow <= g.width;

#pragma omp parallel for schedule(static) if (planes > 1 && outPlane * static_cast<std::size_t>(planes) > (std::size_t(1) << 18))
    for (int p = 0; p < planes; ++p) {
        const float* src = in + static_cast<std::size_t>(p) * inPlane;
        float* dst = out + static_cast<std::size_t>(p) * outPlane;
        std::int32_t* idx = argmax + static_cast<std::size_t>(p) * outPlane;
        if (fast2x2) {
            // The common 2x2 / stride 2 window without padding: no clamping, fixed compares.
            for (int oy = 0; oy < oh; ++oy) {
                const float* r0 = src + 2 * oy * g.width;
                const float* r1 = r0 + g.width;
                for (int ox = 0; ox < ow; ++ox) {
                    // Branch-free: with ReLU outputs the winner is random and branches mispredict.
                    // Ties go to the first element in row-major order.
                    const int x = 2 * ox;
                    const bool rightTop = r0[x + 1] > r0[x];
                    const float top = rightTop ? r0[x + 1] : r0[x];
                    const bool rightBottom = r1[x + 1] > r1[x];
                    const float bottom = rightBottom ? r1[x + 1] : r1[x];
                    const bool lower = bottom > top;
                    const float best = lower ? bottom : top;
                    const int column = x + (lower ? static_cast<int>(rightBottom) : static_cast<int>(rightTop));
                    const int bestIndex = (2 * oy + static_cast<int>(lower)) * g.width + column;
                    dst[oy * ow + ox] = best;
                    idx[oy * ow + ox] = bestIndex;
                }
            }
            continue;
        }
        for (int oy = 0; oy < oh; ++oy) {
            const int y0 = oy * g.rows.stride - g.rows.padBefore;
            const int yBegin = std::max(y0, 0), yEnd = std::min(y0 + g.rows.kernel, g.height);
            for (int ox = 0; ox < ow; ++ox) {
                const int x0 = ox * g.cols.stride - g.cols.padBefore;
                const int xBegin = std::max(x0, 0), xEnd = std::min(x0 + g.cols.kernel, g.width);
                float best = -std::numeric_limits<float>::infinity();
                int bestIndex = yBegin * g.width + xBegin;
                for (int y = yBegin; y < yEnd; ++y)
                    for (int x = xBegin; x < xEnd; ++x) {
                        const float v = src[y * g.width + x];
                        if (v > best) {  // first maximum wins on ties, as in PyTorch
                            best = v;
                            bestIndex = y * g.width + x;
                        }
                    }
                dst[oy * ow + ox] = best;
                idx[oy * ow + ox] = bestIndex;
            }
        }
    }
}

void MaxPool2D::backward(const Tensor& input, const Tensor& output, const Tensor& gradOutput, Tensor& gradInput)
{
    (void)output;
    const Geometry& g = geometryFor(input);
    const int planes = input.dim(0) * g.channels;
    const std::size_t inPlane = static_cast<std::size_t>(g.height) * static_cast<std::size_t>(g.width);
    const std::size_t outPlane = static_cast<std::size_t>(g.rows.out) * static_cast<std::size_t>(g.cols.out);
    gradInput.resize(input.shape());
    gradInput.setZero();
    const float* dy = gradOutput.data();
    float* dx = gradInput.data();
    const std::int32_t* argmax = m_argmax.data();
    for (int p = 0; p < planes; ++p) {
        float* dst = dx + static_cast<std::size_t>(p) * inPlane;
        const float* src = dy + static_cast<std::size_t>(p) * outPlane;
        const std::int32_t* idx = argmax + static_cast<std::size_t>(p) * outPlane;
        for (std::size_t o = 0; o < outPlane; ++o)
            dst[idx[o]] += src[o];
    }
}

}  // namespace layerlens::core
