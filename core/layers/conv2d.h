#pragma once
// Conv2D: 2-D convolution (cross-correlation, as in Keras and PyTorch).
// input (N, C, H, W) -> output (N, filters, OH, OW); kernel (filters, C, kh, kw) [OIHW], bias (filters).
// Implemented as im2col + GEMM over blocks of samples: a block's columns sit side by side in one
// (C*kh*kw, samples*OH*OW) matrix, so one large GEMM replaces many tiny per-sample ones. The block
// split depends only on the batch size and the layer (never on the thread count), so outputs are
// the same for any number of threads. Blocks are spread over OpenMP threads; each thread owns its
// workspaces and its partial kernel gradient, summed in thread order afterwards so runs with the
// same thread count are bit-identical.

#include <array>

#include "core/layers/initializers.h"
#include "core/layers/layer.h"
#include "core/layers/window_geometry.h"
#include "core/layers/winograd_conv3x3.h"

namespace layerlens::core {

class Conv2D : public Layer {
public:
    Conv2D(int filters, std::array<int, 2> kernelSize, std::array<int, 2> strides = {1, 1},
           Padding2D padding = Padding2D::valid(), std::array<int, 2> dilation = {1, 1}, bool useBias = true,
           Initializer kernelInitializer = Initializer::glorotUniform());

    std::string type() const override { return "Conv2D"; }
    Shape outputShape(const Shape& inputShape) const override;
    void build(const Shape& inputShape, Rng& rng) override;
    void forward(const Tensor& input, Tensor& output, bool training) override;
    void backward(const Tensor& input, const Tensor& output, const Tensor& gradOutput, Tensor& gradInput) override;
    std::vector<Parameter*> parameters() override;
    std::size_t parameterCountFor(const Shape& inputShape) const override;
    nlohmann::json config() const override;
    std::string describe() const override;

    int filters() const { return m_filters; }
    std::array<int, 2> kernelSize() const { return m_kernelSize; }
    std::array<int, 2> strides() const { return m_strides; }
    std::array<int, 2> dilation() const { return m_dilation; }
    Padding2D padding() const { return m_padding; }
    bool useBias() const { return m_useBias; }
    Parameter& kernel() { return m_kernel; }
    Parameter& bias() { return m_bias; }

private:
    struct Geometry {
        int channels = 0, height = 0, width = 0;
        WindowAxis rows, cols;
    };
    Geometry geometry(const Shape& inputShape) const;  // throws ShapeError
    void checkInput(const Tensor& input);
    // How a batch of n samples is cut into blocks and spread over threads.
    struct Plan {
        int blocks = 0;   // block b holds samples [n*b/blocks, n*(b+1)/blocks)
        int maxBlock = 0; // samples in the largest block
        int threads = 1;
        // A single large image is left to Eigen's own threaded GEMM (VGG16 at batch 1); all
        // other products run on the thread that executes them (see EigenSerialScope).
        bool eigenThreads = false;
    };
    Plan plan(int n) const;
    void prepareWorkspaces(const Plan& plan);
    // (C, H, W) -> rows of (OH*OW) values, row r starting at col + r * rowStride.
    void im2col(const float* image, float* col, std::size_t rowStride) const;
    // Accumulates such rows into a zeroed (C, H, W).
    void col2im(const float* col, std::size_t rowStride, float* image) const;

    int m_filters;
    std::array<int, 2> m_kernelSize;
    std::array<int, 2> m_strides;
    Padding2D m_padding;
    std::array<int, 2> m_dilation;
    bool m_useBias;
    Initializer m_kernelInitializer;

    Geometry m_geometry;  // of the built input shape
    Parameter m_kernel {"kernel", {}, {}, true};  // (filters, C, kh, kw)
    Parameter m_bias {"bias", {}, {}, true};      // (filters)
    std::vector<Tensor> m_columns;       // per thread: (C*kh*kw, maxBlock*OH*OW)
    std::vector<Tensor> m_products;      // per thread: (filters, maxBlock*OH*OW), output or its gradient
    std::vector<Tensor> m_biasGrads;     // per thread: partial (filters)
    WinogradConv3x3 m_winograd;          // inference of 3x3 stride-1 layers with many channels
    // Training forward keeps every sample's columns for backward when they fit kColumnCacheLimit,
    // so backward need not redo im2col.
    Tensor m_columnCache;                // (N, C*kh*kw, OH*OW)
    bool m_columnCacheValid = false;
    std::vector<Tensor> m_kernelGrads;   // per thread: partial (filters, C*kh*kw), column-major
    Shape m_scratchShape;
};

}  // namespace layerlens::core
