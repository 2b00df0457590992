#include "core/onnx/onnx_tensor_file.h"

#include <stdexcept>

#include "core/onnx/onnx_proto_convert.h"

namespace layerlens::core {

OnnxTensor parseOnnxTensor(const std::string& bytes, const std::string& origin)
{
    if (bytes.empty())
        throw std::runtime_error(origin + ": empty file, expected an ONNX TensorProto");
    onnx::TensorProto proto;
    if (!proto.ParseFromString(bytes))
        throw std::runtime_error(origin + ": not an ONNX tensor (protobuf parse failed)");
    return detail::tensorFromProto(proto, origin);
}

OnnxTensor loadOnnxTensorFile(const std::string& path)
{
    return parseOnnxTensor(detail::readBinaryFile(path), path);
}

}  // namespace layerlens::core
