#pragma once
// AvgPool2D: mean over each window. With "same" padding the divisor is the number of
// non-padded elements in the window (Keras; PyTorch's count_include_pad=False).
// input (N, C, H, W) -> output (N, C, OH, OW).

#include "core/layers/pool2d.h"

namespace layerlens::core {

class AvgPool2D : public Pool2D {
public:
    explicit AvgPool2D(std::array<int, 2> poolSize = {2, 2}, std::array<int, 2> strides = {0, 0},
                       Padding2D padding = Padding2D::valid())
        : Pool2D(poolSize, strides, padding) {}

    std::string type() const override { return "AvgPool2D"; }
    void forward(const Tensor& input, Tensor& output, bool training) override;
    void backward(const Tensor& input, const Tensor& output, const Tensor& gradOutput, Tensor& gradInput) override;
};

}  // namespace layerlens::core
