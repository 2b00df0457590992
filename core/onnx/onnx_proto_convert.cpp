#include "core/onnx/onnx_proto_convert.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include <fstream>
#include <sstream>

namespace layerlens::core::detail {

namespace {

static_assert(std::endian::native == std::endian::little,
              "raw_data is little-endian; a big-endian host would need byte swapping here");

float halfToFloat(std::uint16_t bits)
{
    const int sign = (bits >> 15) & 1;
    const int exponent = (bits >> 10) & 0x1f;
    const int mantissa = bits & 0x3ff;
    float value = 0.0f;
    if (exponent == 0)
        value = std::ldexp(static_cast<float>(mantissa), -24);
    else if (exponent == 31)
        value = mantissa == 0 ? INFINITY : NAN;
    else
        value = std::ldexp(static_cast<float>(mantissa | 0x400), exponent - 25);
    return sign ? -value : value;
}

std::size_t elementBytes(int type)
{
    switch (type) {
    case onnx_type::Uint8: case onnx_type::Int8: case onnx_type::Bool: return 1;
    case onnx_type::Uint16: case onnx_type::Int16: case onnx_type::Float16: return 2;
    case onnx_type::Float: case onnx_type::Int32: case onnx_type::Uint32: return 4;
    default: return 8;
    }
}

template <class T>
T readRaw(const std::string& raw, std::size_t i)
{
    T value;
    std::memcpy(&value, raw.data() + i * sizeof(T), sizeof(T));
    return value;
}

}  // namespace

OnnxTensor tensorFromProto(const onnx::TensorProto& proto, const std::string& context)
{
    const int type = proto.data_type();
    if (!onnxTypeIsSupported(type))
        throw std::runtime_error(context + ": data type " + onnxTypeName(type) + " is not supported");
    if (proto.data_location() == onnx::TensorProto::EXTERNAL)
        throw std::runtime_error(context + ": tensor data stored in an external file is not supported");
    OnnxTensor tensor;
    tensor.dataType = type;
    tensor.shape.assign(proto.dims().begin(), proto.dims().end());
    std::size_t count = 0;
    try {
        count = onnxShapeSize(tensor.shape);
    } catch (const std::invalid_argument& error) {
        throw std::runtime_error(context + ": " + error.what());
    }
    const bool floating = onnxTypeIsFloating(type);
    auto sizeError = [&](const std::string& field, std::size_t found) {
        return std::runtime_error(context + ": " + field + " holds " + std::to_string(found) + " values but dims "
                                  + onnxShapeToString(tensor.shape) + " need " + std::to_string(count));
    };
    if (!proto.raw_data().empty() || (count == 0 && proto.has_raw_data())) {
        const std::string& raw = proto.raw_data();
        const std::size_t bytes = elementBytes(type);
        if (raw.size() != count * bytes)
            throw sizeError("raw_data (" + std::to_string(raw.size()) + " bytes, " + std::to_string(bytes) + " per value)",
                            raw.size() / bytes);
        if (floating) {
            tensor.floats.resize(count);
            for (std::size_t i = 0; i < count; ++i) {
                if (type == onnx_type::Float)
                    tensor.floats[i] = readRaw<float>(raw, i);
                else if (type == onnx_type::Double)
                    tensor.floats[i] = static_cast<float>(readRaw<double>(raw, i));
                else
                    tensor.floats[i] = halfToFloat(readRaw<std::uint16_t>(raw, i));
            }
        } else {
            tensor.ints.resize(count);
            for (std::size_t i = 0; i < count; ++i) {
                switch (type) {
                case onnx_type::Uint8: tensor.ints[i] = readRaw<std::uint8_t>(raw, i); break;
                case onnx_type::Int8: tensor.ints[i] = readRaw<std::int8_t>(raw, i); break;
                case onnx_type::Bool: tensor.ints[i] = readRaw<std::uint8_t>(raw, i) != 0; break;
                case onnx_type::Uint16: tensor.ints[i] = readRaw<std::uint16_t>(raw, i); break;
                case onnx_type::Int16: tensor.ints[i] = readRaw<std::int16_t>(raw, i); break;
                case onnx_type::Int32: tensor.ints[i] = readRaw<std::int32_t>(raw, i); break;
                case onnx_type::Uint32: tensor.ints[i] = readRaw<std::uint32_t>(raw, i); break;
                case onnx_type::Uint64: tensor.ints[i] = static_cast<std::int64_t>(readRaw<std::uint64_t>(raw, i)); break;
                default: tensor.ints[i] = readRaw<std::int64_t>(raw, i); break;
                }
            }
        }
        return tensor;
    }
    switch (type) {
    case onnx_type::Float:
        if (static_cast<std::size_t>(proto.float_data_size()) != count)
            throw sizeError("float_data", static_cast<std::size_t>(proto.float_data_size()));
        tensor.floats.assign(proto.float_data().begin(), proto.float_data().end());
        break;
    case onnx_type::Double:
        if (static_cast<std::size_t>(proto.double_data_size()) != count)
            throw sizeError("double_data", static_cast<std::size_t>(proto.double_data_size()));
        tensor.floats.assign(proto.double_data().begin(), proto.double_data().end());
        break;
    case onnx_type::Float16:
        if (static_cast<std::size_t>(proto.int32_data_size()) != count)
            throw sizeError("int32_data", static_cast<std::size_t>(proto.int32_data_size()));
        for (const std::int32_t bits : proto.int32_data())
            tensor.floats.push_back(halfToFloat(static_cast<std::uint16_t>(bits)));
        break;
    case onnx_type::Int64:
        if (static_cast<std::size_t>(proto.int64_data_size()) != count)
            throw sizeError("int64_data", static_cast<std::size_t>(proto.int64_data_size()));
        tensor.ints.assign(proto.int64_data().begin(), proto.int64_data().end());
        break;
    case onnx_type::Uint32: case onnx_type::Uint64:
        if (static_cast<std::size_t>(proto.uint64_data_size()) != count)
            throw sizeError("uint64_data", static_cast<std::size_t>(proto.uint64_data_size()));
        for (const std::uint64_t v : proto.uint64_data())
            tensor.ints.push_back(static_cast<std::int64_t>(v));
        break;
    default:  // INT32, INT16, INT8, UINT16, UINT8, BOOL live in int32_data
        if (static_cast<std::size_t>(proto.int32_data_size()) != count)
            throw sizeError("int32_data", static_cast<std::size_t>(proto.int32_data_size()));
        for (const std::int32_t v : proto.int32_data())
            tensor.ints.push_back(type == onnx_type::Bool ? (v != 0) : v);
        break;
    }
    return tensor;
}

std::string readBinaryFile(const std::string& path)
{
    std::ifstream file(path, std::ios::binary);
    if (!file)
        throw std::runtime_error(path + ": cannot open file");
    std::ostringstream bytes;
    bytes << file.rdbuf();
    if (file.bad())
        throw std::runtime_error(path + ": read error");
    return bytes.str();
}

OnnxNode nodeFromProto(const onnx::NodeProto& proto, const std::string& context)
{
    OnnxNode node;
    node.name = proto.name();
    node.opType = proto.op_type();
    node.domain = proto.domain();
    node.inputs.assign(proto.input().begin(), proto.input().end());
    node.outputs.assign(proto.output().begin(), proto.output().end());
    for (const onnx::AttributeProto& a : proto.attribute()) {
        OnnxAttribute attribute;
        switch (a.type()) {
        case onnx::AttributeProto::FLOAT: attribute.kind = OnnxAttribute::Kind::Float; attribute.f = a.f(); break;
        case onnx::AttributeProto::INT: attribute.kind = OnnxAttribute::Kind::Int; attribute.i = a.i(); break;
        case onnx::AttributeProto::STRING: attribute.kind = OnnxAttribute::Kind::String; attribute.s = a.s(); break;
        case onnx::AttributeProto::FLOATS:
            attribute.kind = OnnxAttribute::Kind::Floats;
            attribute.floats.assign(a.floats().begin(), a.floats().end());
            break;
        case onnx::AttributeProto::INTS:
            attribute.kind = OnnxAttribute::Kind::Ints;
            attribute.ints.assign(a.ints().begin(), a.ints().end());
            break;
        case onnx::AttributeProto::STRINGS:
            attribute.kind = OnnxAttribute::Kind::Strings;
            attribute.strings.assign(a.strings().begin(), a.strings().end());
            break;
        case onnx::AttributeProto::TENSOR:
            if (!onnxTypeIsSupported(a.t().data_type())) {
                // Left as Other: the operator's load-time check reports it as unsupported.
                attribute.s = "tensor of type " + onnxTypeName(a.t().data_type());
                break;
            }
            attribute.kind = OnnxAttribute::Kind::Tensor;
            attribute.tensor = std::make_shared<const OnnxTensor>(
                tensorFromProto(a.t(), context + ": attribute '" + a.name() + "'"));
            break;
        default:
            // Graphs, sparse tensors, type protos: left as Other; operators that need them
            // are not implemented, so the model is refused at load.
            // Attributes written by IR < 3 exporters have no type; infer it from the fields.
            if (a.type() == onnx::AttributeProto::UNDEFINED) {
                if (a.has_f()) { attribute.kind = OnnxAttribute::Kind::Float; attribute.f = a.f(); }
                else if (a.has_i()) { attribute.kind = OnnxAttribute::Kind::Int; attribute.i = a.i(); }
                else if (a.has_s()) { attribute.kind = OnnxAttribute::Kind::String; attribute.s = a.s(); }
                else if (a.ints_size() > 0) { attribute.kind = OnnxAttribute::Kind::Ints; attribute.ints.assign(a.ints().begin(), a.ints().end()); }
                else if (a.floats_size() > 0) { attribute.kind = OnnxAttribute::Kind::Floats; attribute.floats.assign(a.floats().begin(), a.floats().end()); }
            }
            break;
        }
        node.attributes[a.name()] = std::move(attribute);
    }
    return node;
}

}  // namespace layerlens::core::detail
