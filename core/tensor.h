#pragma once
// Tensor: float32, row-major (NCHW for images), contiguous.
// Storage keeps its capacity when reshaped to a smaller or equal size, so a training step
// that reshapes its workspaces allocates nothing after the first batch.

#include <cstddef>
#include <initializer_list>
#include <string>
#include <vector>

#include <Eigen/Core>

namespace layerlens::core {

using Shape = std::vector<int>;

std::string shapeToString(const Shape& shape);  // "(32, 6, 28, 28)"
std::size_t shapeSize(const Shape& shape);

class Tensor {
public:
    Tensor() = default;
    explicit Tensor(Shape shape, float fill = 0.0f);
    Tensor(Shape shape, std::vector<float> values);

    const Shape& shape() const { return m_shape; }
    int rank() const { return static_cast<int>(m_shape.size()); }
    int dim(int axis) const { return m_shape[static_cast<std::size_t>(axis)]; }
    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }

    float* data() { return m_data.data(); }
    const float* data() const { return m_data.data(); }
    float& operator[](std::size_t i) { return m_data[i]; }
    float operator[](std::size_t i) const { return m_data[i]; }

    // Changes the shape; contents are unspecified afterwards unless the size is unchanged.
    // Never frees memory, and allocates only when the new size exceeds the capacity.
    void resize(const Shape& shape);
    void reshape(const Shape& shape);  // same number of elements, keeps values
    void fill(float value);
    void setZero() { fill(0.0f); }
    void copyFrom(const Tensor& other);  // resize + copy, no allocation when capacity suffices

    // Size of one sample (all axes but the first).
    std::size_t sampleSize() const { return m_shape.empty() || m_shape[0] == 0 ? 0 : m_size / static_cast<std::size_t>(m_shape[0]); }

    // Eigen views: the tensor as a (rows x cols) row-major matrix, or a flat vector.
    using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    Eigen::Map<RowMatrix> matrix(int rows, int cols) { return {data(), rows, cols}; }
    Eigen::Map<const RowMatrix> matrix(int rows, int cols) const { return {data(), rows, cols}; }
    Eigen::Map<Eigen::VectorXf> vector() { return {data(), static_cast<Eigen::Index>(m_size)}; }
    Eigen::Map<const Eigen::VectorXf> vector() const { return {data(), static_cast<Eigen::Index>(m_size)}; }

    bool allFinite() const;

private:
    Shape m_shape;
    std::size_t m_size = 0;
    std::vector<float, Eigen::aligned_allocator<float>> m_data;
};

}  // namespace layerlens::core
