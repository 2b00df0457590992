#pragma once
// OnnxTensor: a value flowing through an ONNX graph. ONNX graphs mix float activations with
// integer shape arithmetic (Shape -> Gather -> Concat -> Reshape), so a tensor holds either
// float32 data or int64 data, with arbitrary rank (rank 0 = scalar, one element).
// Integer-like ONNX types (INT8..UINT64, BOOL) are stored as int64; DOUBLE/FLOAT16 as float.
// `dataType` remembers the ONNX TensorProto data type code the values stand for, so a BOOL
// result stays recognisable and Cast/CastLike can round-trip it.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace layerlens::core {

using OnnxShape = std::vector<std::int64_t>;

// ONNX TensorProto.DataType codes we name in code (values from onnx.proto).
namespace onnx_type {
inline constexpr int Undefined = 0;
inline constexpr int Float = 1;
inline constexpr int Uint8 = 2;
inline constexpr int Int8 = 3;
inline constexpr int Uint16 = 4;
inline constexpr int Int16 = 5;
inline constexpr int Int32 = 6;
inline constexpr int Int64 = 7;
inline constexpr int String = 8;
inline constexpr int Bool = 9;
inline constexpr int Float16 = 10;
inline constexpr int Double = 11;
inline constexpr int Uint32 = 12;
inline constexpr int Uint64 = 13;
}  // namespace onnx_type

// Name of an ONNX data type code ("FLOAT", "INT64", ...), for messages.
std::string onnxTypeName(int dataType);
// True for the types held as float (FLOAT, DOUBLE, FLOAT16), false for the integer/bool ones.
bool onnxTypeIsFloating(int dataType);
// True for the types this engine can hold at all.
bool onnxTypeIsSupported(int dataType);

std::string onnxShapeToString(const OnnxShape& shape);  // "(1, 3, 32, 32)"
// Number of elements; throws std::invalid_argument on a negative dimension or an element
// count that would not fit in memory (a guard against corrupt files).
std::size_t onnxShapeSize(const OnnxShape& shape);

struct OnnxTensor {
    OnnxShape shape;
    int dataType = onnx_type::Float;
    std::vector<float> floats;       // used when isFloat()
    std::vector<std::int64_t> ints;  // used otherwise

    static OnnxTensor makeFloat(OnnxShape shape, std::vector<float> values);
    static OnnxTensor makeInt(OnnxShape shape, std::vector<std::int64_t> values, int dataType = onnx_type::Int64);
    static OnnxTensor fromTensor(const Tensor& tensor);

    bool isFloat() const { return onnxTypeIsFloating(dataType); }
    int rank() const { return static_cast<int>(shape.size()); }
    std::size_t size() const { return isFloat() ? floats.size() : ints.size(); }
    float floatAt(std::size_t i) const { return isFloat() ? floats[i] : static_cast<float>(ints[i]); }
    std::int64_t intAt(std::size_t i) const { return isFloat() ? static_cast<std::int64_t>(floats[i]) : ints[i]; }
    // All values as float / int64 (converting when the stored kind differs).
    std::vector<float> toFloats() const;
    std::vector<std::int64_t> toInts() const;
    // Float copy in our training tensor type (dimensions must fit in int).
    Tensor toTensor() const;
};

}  // namespace layerlens::core
