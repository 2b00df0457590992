#pragma once
// Helpers shared by the ONNX operator families: axis handling, strides and numpy-style
// multidirectional broadcasting (ONNX "Broadcasting in ONNX": shapes are right-aligned and
// each dimension pair must be equal or contain a 1).

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/onnx/ops/onnx_op_registry.h"

namespace layerlens::core::detail {

// Maps a possibly negative axis into [0, rank); fails the op when out of range.
std::int64_t normalizeAxis(const OnnxOpContext& ctx, std::int64_t axis, std::int64_t rank);
std::vector<std::size_t> stridesOf(const OnnxShape& shape);
// Broadcast result of two shapes; fails the op naming both shapes when incompatible.
OnnxShape broadcastShape(const OnnxOpContext& ctx, const OnnxShape& a, const OnnxShape& b);
// Strides of `in` when read as `out` (rank of out; 0 where `in` broadcasts).
std::vector<std::size_t> broadcastStrides(const OnnxShape& in, const OnnxShape& out);
// Product of shape[begin, end).
std::size_t sizeOfRange(const OnnxShape& shape, std::size_t begin, std::size_t end);

// Calls f(outIndex, indexA, indexB) for every element of `out`, where indexA/indexB are the
// flat positions in the broadcast inputs.
template <class F>
void forEachBroadcast(const OnnxShape& out, const std::vector<std::size_t>& stridesA,
                      const std::vector<std::size_t>& stridesB, F&& f)
{
    const std::size_t n = onnxShapeSize(out);
    const std::size_t rank = out.size();
    std::vector<std::int64_t> index(rank, 0);
    std::size_t ia = 0;
    std::size_t ib = 0;
    for (std::size_t o = 0; o < n; ++o) {
        f(o, ia, ib);
        for (std::size_t d = rank; d-- > 0;) {
            ++index[d];
            ia += stridesA[d];
            ib += stridesB[d];
            if (index[d] < out[d])
                break;
            ia -= stridesA[d] * static_cast<std::size_t>(out[d]);
            ib -= stridesB[d] * static_cast<std::size_t>(out[d]);
            index[d] = 0;
        }
    }
}

// Rounds a float to the nearest IEEE half-precision value (ties to even), kept as float:
// FLOAT16 tensors are held as float, but a Cast to FLOAT16 must lose the precision.
float roundToHalf(float value);

// The values as float without a copy when the tensor holds floats (the hot operators read
// large weights and activations), else converted into `scratch`.
inline const float* floatData(const OnnxTensor& tensor, std::vector<float>& scratch)
{
    if (tensor.isFloat())
        return tensor.floats.data();
    scratch = tensor.toFloats();
    return scratch.data();
}

// Reads an optional int64 input (e.g. axes, pads) as a vector; empty when absent.
std::vector<std::int64_t> optionalInts(const OnnxOpContext& ctx, std::size_t input);
// Reads an optional scalar input as float; `fallback` when absent or empty.
float optionalScalar(const OnnxOpContext& ctx, std::size_t input, float fallback);

}  // namespace layerlens::core::detail

namespace layerlens::core::detail {

// Geometry of a sliding window over N spatial dimensions (Conv, ConvTranspose, pooling):
// attributes kernel_shape, strides, dilations, pads, auto_pad and ceil_mode resolved into
// explicit padding and output sizes, following the ONNX operator specification.
struct WindowGeometry {
    OnnxShape in;        // spatial input size
    OnnxShape kernel;
    OnnxShape strides;
    OnnxShape dilations;
    OnnxShape padBegin;
    OnnxShape padEnd;
    OnnxShape out;       // spatial output size

    std::size_t kernelSize() const;
    std::size_t inSize() const;
    std::size_t outSize() const;
};

// Reads strides/dilations/pads/auto_pad from the node. ceilMode is for pooling.
WindowGeometry windowGeometry(const OnnxOpContext& ctx, const OnnxShape& inSpatial, const OnnxShape& kernel, bool ceilMode);

// For every kernel offset kp and output position op, the flat spatial input offset read by
// the window: table[kp * outSize + op]. Negative when outside the input: -1 inside the
// padding, -2 beyond it (past the explicit padding, possible with ceil_mode).
inline constexpr std::int64_t kInPadding = -1;
inline constexpr std::int64_t kBeyondPadding = -2;
std::vector<std::int64_t> windowIndexTable(const WindowGeometry& geometry);

}  // namespace layerlens::core::detail
