#include "core/layers/pool2d.h"

namespace layerlens::core {

namespace {
std::string pairText(std::array<int, 2> v)
{
    return std::to_string(v[0]) + "x" + std::to_string(v[1]);
}
}  // namespace

Pool2D::Pool2D(std::array<int, 2> poolSize, std::array<int, 2> strides, Padding2D padding)
    : m_poolSize(poolSize)
    , m_strides(strides[0] == 0 && strides[1] == 0 ? poolSize : strides)
    , m_padding(padding)
{
    for (int i = 0; i < 2; ++i) {
        if (m_poolSize[i] <= 0)
            throw std::invalid_argument("pooling: \"pool_size\" must be positive, found " + pairText(m_poolSize));
        if (m_strides[i] <= 0)
            throw std::invalid_argument("pooling: \"strides\" must be positive, found " + pairText(m_strides));
    }
    if (padding.mode == Padding2D::Mode::Explicit)
        throw std::invalid_argument("pooling: \"padding\" must be \"valid\" or \"same\"");
}

Pool2D::Geometry Pool2D::geometry(const Shape& inputShape) const
{
    if (inputShape.size() != 3)
        throw ShapeError(type() + " expects an image input (channels, height, width), found "
                         + shapeToString(inputShape));
    Geometry g;
    g.channels = inputShape[0];
    g.height = inputShape[1];
    g.width = inputShape[2];
    g.rows = computeWindowAxis(g.height, m_poolSize[0], m_strides[0], 1, m_padding.mode, 0);
    g.cols = computeWindowAxis(g.width, m_poolSize[1], m_strides[1], 1, m_padding.mode, 0);
    if (g.channels <= 0 || g.rows.out < 1 || g.cols.out < 1)
        throw ShapeError(type() + ": a " + pairText(m_poolSize) + " window does not fit an input of "
                         + shapeToString(inputShape) + " with " + m_padding.text()
                         + " padding; expected height >= " + std::to_string(m_poolSize[0]) + " and width >= "
                         + std::to_string(m_poolSize[1]) + " (or padding \"same\")");
    return g;
}

const Pool2D::Geometry& Pool2D::geometryFor(const Tensor& input)
{
    if (input.rank() != 4)
        throw ShapeError(type() + " '" + m_name + "': expected input (N, C, H, W), found "
                         + shapeToString(input.shape()));
    const Shape& s = input.shape();
    if (m_cachedShape.size() != 3 || m_cachedShape[0] != s[1] || m_cachedShape[1] != s[2]
        || m_cachedShape[2] != s[3]) {
        Shape perSample(s.begin() + 1, s.end());
        m_cachedGeometry = geometry(perSample);
        m_cachedShape = perSample;
    }
    return m_cachedGeometry;
}

Shape Pool2D::outputShape(const Shape& inputShape) const
{
    const Geometry g = geometry(inputShape);
    return {g.channels, g.rows.out, g.cols.out};
}

nlohmann::json Pool2D::config() const
{
    auto pair = [](std::array<int, 2> v) -> nlohmann::json {
        if (v[0] == v[1])
            return v[0];
        return nlohmann::json::array({v[0], v[1]});
    };
    return {{"type", type()},
            {"pool_size", pair(m_poolSize)},
            {"strides", pair(m_strides)},
            {"padding", m_padding.toJson()}};
}

std::string Pool2D::describe() const
{
    std::string text = pairText(m_poolSize);
    if (m_strides != m_poolSize)
        text += ", stride " + (m_strides[0] == m_strides[1] ? std::to_string(m_strides[0]) : pairText(m_strides));
    if (m_padding.mode == Padding2D::Mode::Same)
        text += ", same";
    return text;
}

}  // namespace layerlens::core
