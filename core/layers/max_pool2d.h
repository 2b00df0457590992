#pragma once
// MaxPool2D: maximum over each window; padded positions never win.
// input (N, C, H, W) -> output (N, C, OH, OW). Keeps the argmax of every output for backward.

#include <cstdint>

#include "core/layers/pool2d.h"

namespace layerlens::core {

class MaxPool2D : public Pool2D {
public:
    explicit MaxPool2D(std::array<int, 2> poolSize = {2, 2}, std::array<int, 2> strides = {0, 0},
                       Padding2D padding = Padding2D::valid())
        : Pool2D(poolSize, strides, padding) {}

    std::string type() const override { return "MaxPool2D"; }
    void forward(const Tensor& input, Tensor& output, bool training) override;
    void backward(const Tensor& input, const Tensor& output, const Tensor& gradOutput, Tensor& gradInput) override;

private:
    std::vector<std::int32_t> m_argmax;  // per output: index within its (H, W) input plane
};

}  // namespace layerlens::core
