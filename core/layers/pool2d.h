#pragma once
// Pool2D: what MaxPool2D and AvgPool2D share (window geometry, shape checks, settings).
// input (N, C, H, W) -> output (N, C, OH, OW). Padding is "valid" or "same" (Keras).

#include <array>

#include "core/layers/layer.h"
#include "core/layers/window_geometry.h"

namespace layerlens::core {

class Pool2D : public Layer {
public:
    // strides {0, 0} means "same as pool_size" (the Keras default).
    Pool2D(std::array<int, 2> poolSize, std::array<int, 2> strides, Padding2D padding);

    Shape outputShape(const Shape& inputShape) const override;
    nlohmann::json config() const override;
    std::string describe() const override;

    std::array<int, 2> poolSize() const { return m_poolSize; }
    std::array<int, 2> strides() const { return m_strides; }
    Padding2D padding() const { return m_padding; }

protected:
    struct Geometry {
        int channels = 0, height = 0, width = 0;
        WindowAxis rows, cols;
    };
    Geometry geometry(const Shape& inputShape) const;  // throws ShapeError
    // Geometry of a batch (N, C, H, W); recomputed only when the input shape changes.
    const Geometry& geometryFor(const Tensor& input);

    std::array<int, 2> m_poolSize;
    std::array<int, 2> m_strides;
    Padding2D m_padding;
    Shape m_scratchShape;

private:
    Shape m_cachedShape;
    Geometry m_cachedGeometry;
};

}  // namespace layerlens::core
