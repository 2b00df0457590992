#include "core/layers/winograd_conv3x3.h"

#include <algorithm>
#include <cstring>

#include <Eigen/Core>
#include <omp.h>

namespace layerlens::core {

namespace {
using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstMap = Eigen::Map<const RowMatrix>;
using Map = Eigen::Map<RowMatrix>;

constexpr int kTransformSize = 16;  // 4x4 transformed values per tile
// Bytes of transformed tiles per block (16 x C x tiles floats): the product of a block then
// works from L2 and the last level cache, and the transforms of the next block reuse it.
constexpr std::size_t kBlockBytes = 2u << 20;
}  // namespace

void WinogradConv3x3::transformKernel(const Geometry& g, const float* kernel)
{
    const std::size_t kc = static_cast<std::size_t>(g.filters) * static_cast<std::size_t>(g.channels);
    m_kernel.resize(kTransformSize * kc);
#pragma omp parallel for schedule(static) if (kc >= 4096)
    for (std::ptrdiff_t i = 0; i < static_cast<std::ptrdiff_t>(kc); ++i) {
        const float* k = kernel + 9 * i;
        // G g: 4x3, G = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1].
        float gg[4][3];
        for (int j = 0; j < 3; ++j) {
            const float g0 = k[j], g1 = k[3 + j], g2 = k[6 + j];
            gg[0][j] = g0;
            gg[1][j] = 0.5f * (g0 + g1 + g2);
            gg[2][j] = 0.5f * (g0 - g1 + g2);
            gg[3][j] = g2;
        }
        // (G g) G^T: 4x4, stored at U[xi][k][c] with xi = row * 4 + column.
        for (int r = 0; r < 4; ++r) {
            const float g0 = gg[r][0], g1 = gg[r][1], g2 = gg[r][2];
            const float u[4] = {g0, 0.5f * (g0 + g1 + g2), 0.5f * (g0 - g1 + g2), g2};
            for (int c = 0; c < 4; ++c)
                m_kernel[static_cast<std::size_t>(r * 4 + c) * kc + static_cast<std::size_t>(i)] = u[c];
        }
    }
}

void WinogradConv3x3::run(const Geometry& g, const float* kernel, const float* bias, const float* input, int n,
                          float* output)
{
    transformKernel(g, kernel);
    const int tilesY = (g.outHeight + 1) / 2, tilesX = (g.outWidth + 1) / 2;
    const int tiles = tilesY * tilesX;
    const int paddedHeight = 2 * tilesY + 2, paddedWidth = 2 * tilesX + 2;
    const std::size_t paddedPlane = static_cast<std::size_t>(paddedHeight) * static_cast<std::size_t>(paddedWidth);
    const auto channels = static_cast<std::size_t>(g.channels);
    const auto filters = static_cast<std::size_t>(g.filters);
    const int blockTiles = std::clamp(static_cast<int>(kBlockBytes / (kTransformSize * channels * sizeof(float))), 32, tiles);
    const auto block = static_cast<std::size_t>(blockTiles);
    m_padded.assign(channels * paddedPlane, 0.0f);
    m_tiles.resize(kTransformSize * channels * block);
    m_products.resize(kTransformSize * filters * block);
    const std::size_t inPlane = static_cast<std::size_t>(g.height) * static_cast<std::size_t>(g.width);
    const std::size_t outPlane = static_cast<std::size_t>(g.outHeight) * static_cast<std::size_t>(g.outWidth);
    // Input rows and columns that land inside the padded image (the rest stays zero).
    const int firstRow = std::max(0, -g.padTop), endRow = std::min(g.height, paddedHeight - g.padTop);
    const int firstCol = std::max(0, -g.padLeft), endCol = std::min(g.width, paddedWidth - g.padLeft);

    for (int s = 0; s < n; ++s) {
        const float* image = input + static_cast<std::size_t>(s) * channels * inPlane;
        float* out = output + static_cast<std::size_t>(s) * filters * outPlane;
#pragma omp parallel
        {
#pragma omp for schedule(static)
            for (std::ptrdiff_t c = 0; c < static_cast<std::ptrdiff_t>(channels); ++c) {
                float* dst = m_padded.data() + static_cast<std::size_t>(c) * paddedPlane;
                const float* src = image + static_cast<std::size_t>(c) * inPlane;
                for (int y = firstRow; y < endRow; ++y)
                    std::memcpy(dst + static_cast<std::size_t>(y + g.padTop) * paddedWidth + (firstCol + g.padLeft),
                                src + static_cast<std::size_t>(y) * g.width + firstCol,
                                static_cast<std::size_t>(endCol - firstCol) * sizeof(float));
            }
            for (int t0 = 0; t0 < tiles; t0 += blockTiles) {
                const int count = std::min(blockTiles, tiles - t0);
                const auto stride = static_cast<std::size_t>(count);  // tiles per row of V and M
                // V[xi][c][t] = (B^T d B)[xi] for the tile's 4x4 input d.
#pragma omp for schedule(static)
                for (std::ptrdiff_t c = 0; c < static_cast<std::ptrdiff_t>(channels); ++c) {
                    const float* plane = m_padded.data() + static_cast<std::size_t>(c) * paddedPlane;
                    float* v = m_tiles.data() + static_cast<std::size_t>(c) * stride;
                    const std::size_t xiStride = channels * stride;
                    for (int t = 0; t < count; ++t) {
                        const int ty = (t0 + t) / tilesX, tx = (t0 + t) % tilesX;
                        const float* d = plane + static_cast<std::size_t>(2 * ty) * paddedWidth + 2 * tx;
                        float rows[4][4];
                        for (int j = 0; j < 4; ++j) {
                            const float d0 = d[j], d1 = d[paddedWidth + j], d2 = d[2 * paddedWidth + j],
                                        d3 = d[3 * paddedWidth + j];
                            rows[0][j] = d0 - d2;
                            rows[1][j] = d1 + d2;
                            rows[2][j] = d2 - d1;
                            rows[3][j] = d1 - d3;
                        }
                        for (int i = 0; i < 4; ++i) {
                            float* vi = v + static_cast<std::size_t>(4 * i) * xiStride + static_cast<std::size_t>(t);
                            vi[0] = rows[i][0] - rows[i][2];
                            vi[xiStride] = rows[i][1] + rows[i][2];
                            vi[2 * xiStride] = rows[i][2] - rows[i][1];
                            vi[3 * xiStride] = rows[i][1] - rows[i][3];
                        }
                    }
                }
                // M_xi = U_xi V_xi: 16 independent products, one thread each.
#pragma omp for schedule(static)
                for (int xi = 0; xi < kTransformSize; ++xi) {
                    const ConstMap u(m_kernel.data() + static_cast<std::size_t>(xi) * filters * channels,
                                     g.filters, g.channels);
                    const ConstMap v(m_tiles.data() + static_cast<std::size_t>(xi) * channels * stride, g.channels,
                                     count);
                    Map m(m_products.data() + static_cast<std::size_t>(xi) * filters * stride, g.filters, count);
                    m.noalias() = u * v;
                }
                // Y = A^T M A, A^T = [1 1 1 0; 0 1 -1 -1], plus the bias; tiles past the edge are cut.
#pragma omp for schedule(static)
                for (std::ptrdiff_t k = 0; k < static_cast<std::ptrdiff_t>(filters); ++k) {
                    const float shift = bias ? bias[k] : 0.0f;
                    const std::size_t xiStride = filters * stride;
                    const float* m = m_products.data() + static_cast<std::size_t>(k) * stride;
                    float* y = out + static_cast<std::size_t>(k) * outPlane;
                    for (int t = 0; t < count; ++t) {
                        float sums[2][4];
                        for (int j = 0; j < 4; ++j) {
                            const float m0 = m[static_cast<std::size_t>(j) * xiStride + t];
                            const float m1 = m[static_cast<std::size_t>(4 + j) * xiStride + t];
                            const float m2 = m[static_cast<std::size_t>(8 + j) * xiStride + t];
                            const float m3 = m[static_cast<std::size_t>(12 + j) * xiStride + t];
                            sums[0][j] = m0 + m1 + m2;
                            sums[1][j] = m1 - m2 - m3;
                        }
                        const int ty = (t0 + t) / tilesX, tx = (t0 + t) % tilesX;
                        const int oy = 2 * ty, ox = 2 * tx;
                        for (int i = 0; i < 2 && oy + i < g.outHeight; ++i) {
                            float* row = y + static_cast<std::size_t>(oy + i) * g.outWidth + ox;
                            row[0] = sums[i][0] + sums[i][1] + sums[i][2] + shift;
                            if (ox + 1 < g.outWidth)
                                row[1] = sums[i][1] - sums[i][2] - sums[i][3] + shift;
                        }
                    }
                }
            }
        }
    }
}

}  // namespace layerlens::core
