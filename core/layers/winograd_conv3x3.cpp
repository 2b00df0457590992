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
    // The weights rarely change between inference passes, and comparing them with the copy the
    // transform was made from reads 2 x 9 floats per kernel where the transform writes 16.
    if (m_kernel.size() == kTransformSize * kc && m_kernelSource.size() == 9 * kc
        && std::memcmp(m_kernelSource.data(), kernel, 9 * kc * sizeof(float)) == 0)
        return;
    m_kernelSource.assign(kernel, kernel + 9 * kc);
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
    const int paddedHeight = 2 * tilesY + 2, paddedWidth = 2 * tilesX + 2;
    const auto pw = static_cast<std::size_t>(paddedWidth);
    const std::size_t paddedPlane = static_cast<std::size_t>(paddedHeight) * pw;
    const auto channels = static_cast<std::size_t>(g.channels);
    const auto filters = static_cast<std::size_t>(g.filters);
    // Blocks are whole rows of tiles, so that the transforms run along rows (vectorized).
    const int wantedTiles = static_cast<int>(kBlockBytes / (kTransformSize * channels * sizeof(float)));
    const int blockRows = std::clamp(wantedTiles / tilesX, 1, tilesY);
    const auto block = static_cast<std::size_t>(blockRows) * static_cast<std::size_t>(tilesX);
    m_padded.assign(channels * paddedPlane, 0.0f);
    m_tiles.resize(kTransformSize * channels * block);
    m_products.resize(kTransformSize * filters * block);
    const std::size_t inPlane = static_cast<std::size_t>(g.height) * static_cast<std::size_t>(g.width);
    const std::size_t outPlane = static_cast<std::size_t>(g.outHeight) * static_cast<std::size_t>(g.outWidth);
    // Input rows and columns that land inside the padded image (the rest stays zero).
    const int firstRow = std::max(0, -g.padTop), endRow = std::min(g.height, paddedHeight - g.padTop);
    const int firstCol = std::max(0, -g.padLeft), endCol = std::min(g.width, paddedWidth - g.padLeft);
    const int wholeTilesX = g.outWidth / 2;  // tiles whose two output columns both exist

    for (int s = 0; s < n; ++s) {
        const float* image = input + static_cast<std::size_t>(s) * channels * inPlane;
        float* out = output + static_cast<std::size_t>(s) * filters * outPlane;
#pragma omp parallel
        {
            // Per thread: four transformed input rows, or eight partly transformed output rows.
            std::vector<float> rows(8 * std::max(pw, static_cast<std::size_t>(tilesX)));
#pragma omp for schedule(static)
            for (std::ptrdiff_t c = 0; c < static_cast<std::ptrdiff_t>(channels); ++c) {
                float* dst = m_padded.data() + static_cast<std::size_t>(c) * paddedPlane;
                const float* src = image + static_cast<std::size_t>(c) * inPlane;
                for (int y = firstRow; y < endRow; ++y)
                    std::memcpy(dst + static_cast<std::size_t>(y + g.padTop) * pw + (firstCol + g.padLeft),
                                src + static_cast<std::size_t>(y) * g.width + firstCol,
                                static_cast<std::size_t>(endCol - firstCol) * sizeof(float));
            }
            for (int ty0 = 0; ty0 < tilesY; ty0 += blockRows) {
                const int rowsHere = std::min(blockRows, tilesY - ty0);
                const auto stride = static_cast<std::size_t>(rowsHere) * static_cast<std::size_t>(tilesX);
                const std::size_t inXi = channels * stride;   // V: 16 x C x stride
                const std::size_t outXi = filters * stride;   // M: 16 x K x stride
                // V[xi][c][t] = (B^T d B)[xi], B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]: first
                // along the tile row's four input rows at once, then across each tile's columns.
#pragma omp for schedule(static)
                for (std::ptrdiff_t c = 0; c < static_cast<std::ptrdiff_t>(channels); ++c) {
                    float* r0 = rows.data();
                    float* r1 = r0 + pw;
                    float* r2 = r1 + pw;
                    float* r3 = r2 + pw;
                    for (int ty = ty0; ty < ty0 + rowsHere; ++ty) {
                        const float* d0 = m_padded.data() + static_cast<std::size_t>(c) * paddedPlane
                            + static_cast<std::size_t>(2 * ty) * pw;
                        const float* d1 = d0 + pw;
                        const float* d2 = d1 + pw;
                        const float* d3 = d2 + pw;
#pragma omp simd
                        for (std::size_t x = 0; x < pw; ++x) {
                            r0[x] = d0[x] - d2[x];
                            r1[x] = d1[x] + d2[x];
                            r2[x] = d2[x] - d1[x];
                            r3[x] = d1[x] - d3[x];
                        }
                        float* v = m_tiles.data() + static_cast<std::size_t>(c) * stride
                            + static_cast<std::size_t>(ty - ty0) * static_cast<std::size_t>(tilesX);
                        const float* r[4] = {r0, r1, r2, r3};
                        for (int i = 0; i < 4; ++i) {
                            const float* ri = r[i];
                            float* v0 = v + static_cast<std::size_t>(4 * i) * inXi;
                            float* v1 = v0 + inXi;
                            float* v2 = v1 + inXi;
                            float* v3 = v2 + inXi;
                            for (int tx = 0; tx < tilesX; ++tx) {
                                const float a = ri[2 * tx], b = ri[2 * tx + 1], e = ri[2 * tx + 2], f = ri[2 * tx + 3];
                                v0[tx] = a - e;
                                v1[tx] = b + e;
                                v2[tx] = e - b;
                                v3[tx] = b - f;
                            }
                        }
                    }
                }
                // M_xi = U_xi V_xi: 16 independent products, one thread each.
#pragma omp for schedule(static)
                for (int xi = 0; xi < kTransformSize; ++xi) {
                    const ConstMap u(m_kernel.data() + static_cast<std::size_t>(xi) * filters * channels,
                                     g.filters, g.channels);
                    const ConstMap v(m_tiles.data() + static_cast<std::size_t>(xi) * inXi, g.channels,
                                     static_cast<Eigen::Index>(stride));
                    Map m(m_products.data() + static_cast<std::size_t>(xi) * outXi, g.filters,
                          static_cast<Eigen::Index>(stride));
                    m.noalias() = u * v;
                }
                // Y = A^T M A, A^T = [1 1 1 0; 0 1 -1 -1], plus the bias; first down each tile's
                // columns for a whole tile row, then across; outputs past the edge are cut.
#pragma omp for schedule(static)
                for (std::ptrdiff_t k = 0; k < static_cast<std::ptrdiff_t>(filters); ++k) {
                    const float shift = bias ? bias[k] : 0.0f;
                    const auto tx = static_cast<std::size_t>(tilesX);
                    for (int ty = ty0; ty < ty0 + rowsHere; ++ty) {
                        const float* m = m_products.data() + static_cast<std::size_t>(k) * stride
                            + static_cast<std::size_t>(ty - ty0) * tx;
                        // top[j], bottom[j]: rows 0 and 1 of A^T M for column j of every tile.
                        float* top = rows.data();
                        float* bottom = top + 4 * tx;
                        for (int j = 0; j < 4; ++j) {
                            const float* m0 = m + static_cast<std::size_t>(j) * outXi;
                            const float* m1 = m + static_cast<std::size_t>(4 + j) * outXi;
                            const float* m2 = m + static_cast<std::size_t>(8 + j) * outXi;
                            const float* m3 = m + static_cast<std::size_t>(12 + j) * outXi;
                            float* t = top + static_cast<std::size_t>(j) * tx;
                            float* b = bottom + static_cast<std::size_t>(j) * tx;
                            for (std::size_t i = 0; i < tx; ++i) {
                                t[i] = m0[i] + m1[i] + m2[i];
                                b[i] = m1[i] - m2[i] - m3[i];
                            }
                        }
                        float* y = out + static_cast<std::size_t>(k) * outPlane;
                        for (int half = 0; half < 2 && 2 * ty + half < g.outHeight; ++half) {
                            const float* q = half == 0 ? top : bottom;
                            const float* q0 = q;
                            const float* q1 = q + tx;
                            const float* q2 = q1 + tx;
                            const float* q3 = q2 + tx;
                            float* row = y + static_cast<std::size_t>(2 * ty + half) * static_cast<std::size_t>(g.outWidth);
                            for (int i = 0; i < wholeTilesX; ++i) {
                                row[2 * i] = q0[i] + q1[i] + q2[i] + shift;
                                row[2 * i + 1] = q1[i] - q2[i] - q3[i] + shift;
                            }
                            if (wholeTilesX < tilesX)  // odd width: the last tile's left column only
                                row[2 * wholeTilesX] = q0[wholeTilesX] + q1[wholeTilesX] + q2[wholeTilesX] + shift;
                        }
                    }
                }
            }
        }
    }
}

}  // namespace layerlens::core
