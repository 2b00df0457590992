#pragma once
// WinogradConv3x3: 3x3, stride-1 convolution by Winograd's minimal filtering F(2x2, 3x3)
// (Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks", 2015).
//
// Each 2x2 block of outputs comes from a 4x4 input tile: the tile and the kernel are transformed
// (V = B^T d B, U = G g G^T), multiplied element by element and summed over channels, which for
// all tiles at once is 16 matrix products U_xi (K x C) * V_xi (C x tiles), and transformed back
// (Y = A^T M A). That is 16 multiplications per 4 outputs instead of 36: 2.25 times fewer than
// im2col's GEMM, which is what deep 3x3 networks (VGG16) spend nearly all their time on. The
// results differ from direct summation only by rounding (about 1e-6 relative).
//
// Used for inference only: training keeps im2col, whose columns the backward pass reuses.

#include <cstddef>
#include <vector>

namespace layerlens::core {

class WinogradConv3x3 {
public:
    struct Geometry {
        int channels = 0, height = 0, width = 0;
        int filters = 0;
        int padTop = 0, padLeft = 0;      // zeros before the first row / column
        int outHeight = 0, outWidth = 0;  // any size the padding gives (same, valid, explicit)
    };

    // Whether the transform pays for itself: small channel counts leave too little work per
    // product to beat im2col's single GEMM.
    static bool worthwhile(int channels, int filters) { return channels >= 16 && filters >= 16; }

    // input (n, C, H, W) -> output (n, K, OH, OW); kernel (K, C, 3, 3); bias (K) or null.
    void run(const Geometry& g, const float* kernel, const float* bias, const float* input, int n, float* output);

private:
    void transformKernel(const Geometry& g, const float* kernel);

    std::vector<float> m_kernel;       // U: 16 x K x C
    std::vector<float> m_kernelSource; // the kernel U was made from (K x C x 3 x 3)
    std::vector<float> m_padded;   // one image, zero-padded to whole tiles: C x (2*tilesY+2) x (2*tilesX+2)
    std::vector<float> m_tiles;    // V for a block of tiles: 16 x C x blockTiles
    std::vector<float> m_products; // M for a block of tiles: 16 x K x blockTiles
};

}  // namespace layerlens::core
