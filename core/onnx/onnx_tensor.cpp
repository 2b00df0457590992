#include "core/onnx/onnx_tensor.h"

#include <limits>
#include <stdexcept>

namespace layerlens::core {

std::string onnxTypeName(int dataType)
{
    static const char* const names[] = {"UNDEFINED", "FLOAT",  "UINT8",  "INT8",   "UINT16",    "INT16",      "INT32",
                                        "INT64",     "STRING", "BOOL",   "FLOAT16", "DOUBLE",   "UINT32",     "UINT64",
                                        "COMPLEX64", "COMPLEX128", "BFLOAT16"};
    if (dataType >= 0 && dataType < static_cast<int>(std::size(names)))
        return names[dataType];
    return "type " + std::to_string(dataType);
}

bool onnxTypeIsFloating(int dataType)
{
    return dataType == onnx_type::Float || dataType == onnx_type::Double || dataType == onnx_type::Float16;
}

bool onnxTypeIsSupported(int dataType)
{
    switch (dataType) {
    case onnx_type::Float: case onnx_type::Double: case onnx_type::Float16: case onnx_type::Uint8:
    case onnx_type::Int8: case onnx_type::Uint16: case onnx_type::Int16: case onnx_type::Int32:
    case onnx_type::Int64: case onnx_type::Bool: case onnx_type::Uint32: case onnx_type::Uint64:
        return true;
    default:
        return false;
    }
}

std::string onnxShapeToString(const OnnxShape& shape)
{
    std::string text = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i > 0)
            text += ", ";
        text += std::to_string(shape[i]);
    }
    if (shape.size() == 1)
        text += ",";
    return text + ")";
}

std::size_t onnxShapeSize(const OnnxShape& shape)
{
    // 2^31 elements (8 GiB of floats) is far beyond any model LayerLens shows; a larger
    // count means a corrupt or hostile file, and must not reach an allocation.
    constexpr std::size_t limit = std::size_t{1} << 31;
    std::size_t size = 1;
    for (const std::int64_t dim : shape) {
        if (dim < 0)
            throw std::invalid_argument("tensor shape " + onnxShapeToString(shape) + " has a negative dimension");
        if (dim == 0)
            return 0;
        if (static_cast<std::size_t>(dim) > limit || size > limit / static_cast<std::size_t>(dim))
            throw std::invalid_argument("tensor shape " + onnxShapeToString(shape) + " is too large (more than 2^31 elements)");
        size *= static_cast<std::size_t>(dim);
    }
    return size;
}

OnnxTensor OnnxTensor::makeFloat(OnnxShape shape, std::vector<float> values)
{
    OnnxTensor tensor;
    tensor.shape = std::move(shape);
    tensor.dataType = onnx_type::Float;
    tensor.floats = std::move(values);
    if (tensor.floats.size() != onnxShapeSize(tensor.shape))
        throw std::invalid_argument("OnnxTensor: " + std::to_string(tensor.floats.size()) + " values do not fill shape "
                                    + onnxShapeToString(tensor.shape));
    return tensor;
}

OnnxTensor OnnxTensor::makeInt(OnnxShape shape, std::vector<std::int64_t> values, int dataType)
{
    OnnxTensor tensor;
    tensor.shape = std::move(shape);
    tensor.dataType = onnxTypeIsFloating(dataType) ? onnx_type::Int64 : dataType;
    tensor.ints = std::move(values);
    if (tensor.ints.size() != onnxShapeSize(tensor.shape))
        throw std::invalid_argument("OnnxTensor: " + std::to_string(tensor.ints.size()) + " values do not fill shape "
                                    + onnxShapeToString(tensor.shape));
    return tensor;
}

OnnxTensor OnnxTensor::fromTensor(const Tensor& tensor)
{
    OnnxShape shape(tensor.shape().begin(), tensor.shape().end());
    return makeFloat(std::move(shape), std::vector<float>(tensor.data(), tensor.data() + tensor.size()));
}

std::vector<float> OnnxTensor::toFloats() const
{
    if (isFloat())
        return floats;
    return {ints.begin(), ints.end()};
}

std::vector<std::int64_t> OnnxTensor::toInts() const
{
    if (!isFloat())
        return ints;
    std::vector<std::int64_t> values(floats.size());
    for (std::size_t i = 0; i < floats.size(); ++i)
        values[i] = static_cast<std::int64_t>(floats[i]);
    return values;
}

Tensor OnnxTensor::toTensor() const
{
    Shape dims;
    for (const std::int64_t dim : shape) {
        if (dim > std::numeric_limits<int>::max())
            throw std::invalid_argument("OnnxTensor::toTensor: dimension " + std::to_string(dim) + " does not fit in int");
        dims.push_back(static_cast<int>(dim));
    }
    return Tensor(std::move(dims), toFloats());
}

}  // namespace layerlens::core
