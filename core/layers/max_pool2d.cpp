#include "core/layers/max_pool2d.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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
                float* dstRow = dst + oy * ow;
                std::int32_t* idxRow = idx + oy * ow;
                const int rowBase = 2 * oy * g.width;
                const int below = g.width;
                // A scan in row-major order with strict '>' keeps the first maximum on ties, as
                // in PyTorch. Selects, not branches: ReLU outputs make the winner random.
                int ox = 0;
#if defined(__SSE2__)
                // Four windows at a time (the compiler does not vectorize the strided scan).
                const __m128i lanes = _mm_setr_epi32(0, 2, 4, 6);
                auto fourWindows = [&](int first) {
                    const int x = 2 * first;
                    const __m128 top0 = _mm_loadu_ps(r0 + x), top1 = _mm_loadu_ps(r0 + x + 4);
                    const __m128 bottom0 = _mm_loadu_ps(r1 + x), bottom1 = _mm_loadu_ps(r1 + x + 4);
                    __m128 best = _mm_shuffle_ps(top0, top1, _MM_SHUFFLE(2, 0, 2, 0));
                    __m128i offset = _mm_setzero_si128();
                    auto consider = [&](__m128 v, int at) {
                        const __m128 greater = _mm_cmpgt_ps(v, best);
                        best = _mm_or_ps(_mm_and_ps(greater, v), _mm_andnot_ps(greater, best));
                        const __m128i mask = _mm_castps_si128(greater);
                        offset = _mm_or_si128(_mm_and_si128(mask, _mm_set1_epi32(at)), _mm_andnot_si128(mask, offset));
                    };
                    consider(_mm_shuffle_ps(top0, top1, _MM_SHUFFLE(3, 1, 3, 1)), 1);
                    consider(_mm_shuffle_ps(bottom0, bottom1, _MM_SHUFFLE(2, 0, 2, 0)), below);
                    consider(_mm_shuffle_ps(bottom0, bottom1, _MM_SHUFFLE(3, 1, 3, 1)), below + 1);
                    _mm_storeu_ps(dstRow + first, best);
                    const __m128i index = _mm_add_epi32(_mm_add_epi32(_mm_set1_epi32(rowBase + x), lanes), offset);
                    _mm_storeu_si128(reinterpret_cast<__m128i*>(idxRow + first), index);
                };
                for (; ox + 4 <= ow; ox += 4)
                    fourWindows(ox);
                // A short rest is the last four windows again, overlapping ones already written
                // (same values): the scalar loop's branches cost more on rows of 5 or 14 windows.
                if (ox < ow && ow >= 4) {
                    fourWindows(ow - 4);
                    ox = ow;
                }
#endif
                for (; ox < ow; ++ox) {
                    const int x = 2 * ox;
                    const float a = r0[x], b = r0[x + 1], c = r1[x], d = r1[x + 1];
                    float best = a;
                    int offset = 0;
                    const bool takeB = b > best;
                    best = takeB ? b : best;
                    offset = takeB ? 1 : offset;
                    const bool takeC = c > best;
                    best = takeC ? c : best;
                    offset = takeC ? below : offset;
                    const bool takeD = d > best;
                    best = takeD ? d : best;
                    offset = takeD ? below + 1 : offset;
                    dstRow[ox] = best;
                    idxRow[ox] = rowBase + x + offset;
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
