#include "core/onnx/ops/onnx_op_utils.h"

#include <algorithm>
#include <cmath>

namespace layerlens::core::detail {

std::int64_t normalizeAxis(const OnnxOpContext& ctx, std::int64_t axis, std::int64_t rank)
{
    const std::int64_t normalized = axis < 0 ? axis + rank : axis;
    if (normalized < 0 || normalized >= std::max<std::int64_t>(rank, 1))
        ctx.fail("axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
    return normalized;
}

std::vector<std::size_t> stridesOf(const OnnxShape& shape)
{
    std::vector<std::size_t> strides(shape.size(), 1);
    for (std::size_t d = shape.size(); d-- > 1;)
        strides[d - 1] = strides[d] * static_cast<std::size_t>(shape[d]);
    return strides;
}

OnnxShape broadcastShape(const OnnxOpContext& ctx, const OnnxShape& a, const OnnxShape& b)
{
    const std::size_t rank = std::max(a.size(), b.size());
    OnnxShape out(rank, 1);
    for (std::size_t i = 0; i < rank; ++i) {
        const std::int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
        const std::int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
        if (da != db && da != 1 && db != 1)
            ctx.fail("shapes " + onnxShapeToString(a) + " and " + onnxShapeToString(b) + " cannot be broadcast");
        out[i] = da == 1 ? db : da;
    }
    return out;
}

std::vector<std::size_t> broadcastStrides(const OnnxShape& in, const OnnxShape& out)
{
    const std::vector<std::size_t> own = stridesOf(in);
    std::vector<std::size_t> strides(out.size(), 0);
    const std::size_t offset = out.size() - in.size();
    for (std::size_t i = 0; i < in.size(); ++i)
        strides[offset + i] = in[i] == 1 ? 0 : own[i];
    return strides;
}

std::size_t sizeOfRange(const OnnxShape& shape, std::size_t begin, std::size_t end)
{
    std::size_t size = 1;
    for (std::size_t i = begin; i < end && i < shape.size(); ++i)
        size *= static_cast<std::size_t>(shape[i]);
    return size;
}

std::vector<std::int64_t> optionalInts(const OnnxOpContext& ctx, std::size_t input)
{
    if (!ctx.hasInput(input))
        return {};
    return ctx.inputs[input]->toInts();
}

float roundToHalf(float value)
{
    if (!std::isfinite(value))
        return value;
    const float magnitude = std::fabs(value);
    if (magnitude >= 65520.0f)  // rounds past the largest half (65504)
        return std::copysign(INFINITY, value);
    if (magnitude < 6.103515625e-05f) {
        // Subnormal halves are multiples of 2^-24.
        return std::copysign(std::nearbyint(magnitude * 16777216.0f) / 16777216.0f, value);
    }
    int exponent = 0;
    const float mantissa = std::frexp(magnitude, &exponent);  // magnitude = mantissa * 2^exponent, mantissa in [0.5, 1)
    // 11 significant bits: scale so the kept bits are the integer part, round to even.
    const float rounded = std::nearbyint(std::ldexp(mantissa, 11));
    return std::copysign(std::ldexp(rounded, exponent - 11), value);
}

float optionalScalar(const OnnxOpContext& ctx, std::size_t input, float fallback)
{
    if (!ctx.hasInput(input) || ctx.inputs[input]->size() == 0)
        return fallback;
    return ctx.inputs[input]->floatAt(0);
}

}  // namespace layerlens::core::detail

namespace layerlens::core::detail {

std::size_t WindowGeometry::kernelSize() const { return onnxShapeSize(kernel); }
std::size_t WindowGeometry::inSize() const { return onnxShapeSize(in); }
std::size_t WindowGeometry::outSize() const { return onnxShapeSize(out); }

WindowGeometry windowGeometry(const OnnxOpContext& ctx, const OnnxShape& inSpatial, const OnnxShape& kernel, bool ceilMode)
{
    const std::size_t nd = inSpatial.size();
    WindowGeometry g;
    g.in = inSpatial;
    g.kernel = kernel;
    g.strides = ctx.node.attrInts("strides", OnnxShape(nd, 1));
    g.dilations = ctx.node.attrInts("dilations", OnnxShape(nd, 1));
    if (g.strides.empty())
        g.strides.assign(nd, 1);
    if (g.dilations.empty())
        g.dilations.assign(nd, 1);
    OnnxShape pads = ctx.node.attrInts("pads", OnnxShape(2 * nd, 0));
    if (pads.empty())
        pads.assign(2 * nd, 0);
    if (kernel.size() != nd || g.strides.size() != nd || g.dilations.size() != nd || pads.size() != 2 * nd)
        ctx.fail("kernel_shape/strides/dilations/pads do not match " + std::to_string(nd) + " spatial dimensions");
    std::string autoPad = ctx.node.attrString("auto_pad", "NOTSET");
    g.padBegin.assign(pads.begin(), pads.begin() + static_cast<std::ptrdiff_t>(nd));
    g.padEnd.assign(pads.begin() + static_cast<std::ptrdiff_t>(nd), pads.end());
    g.out.resize(nd);
    for (std::size_t d = 0; d < nd; ++d) {
        if (g.strides[d] <= 0 || g.dilations[d] <= 0 || kernel[d] <= 0)
            ctx.fail("kernel, strides and dilations must be positive");
        const std::int64_t extent = (kernel[d] - 1) * g.dilations[d] + 1;
        if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
            g.out[d] = (inSpatial[d] + g.strides[d] - 1) / g.strides[d];
            const std::int64_t total = std::max<std::int64_t>(0, (g.out[d] - 1) * g.strides[d] + extent - inSpatial[d]);
            g.padBegin[d] = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
            g.padEnd[d] = total - g.padBegin[d];
        } else if (autoPad == "VALID") {
            g.padBegin[d] = g.padEnd[d] = 0;
            g.out[d] = (inSpatial[d] - extent) / g.strides[d] + 1;
        } else if (autoPad == "NOTSET") {
            const std::int64_t span = inSpatial[d] + g.padBegin[d] + g.padEnd[d] - extent;
            if (span < 0)
                ctx.fail("window " + std::to_string(extent) + " is larger than the padded input " + onnxShapeToString(inSpatial));
            g.out[d] = span / g.strides[d] + 1;
            if (ceilMode && span % g.strides[d] != 0) {
                ++g.out[d];
                // As in PyTorch and the ONNX reference: the last window must start inside
                // the input or its leading padding.
                if ((g.out[d] - 1) * g.strides[d] >= inSpatial[d] + g.padBegin[d])
                    --g.out[d];
            }
        } else {
            ctx.fail("unknown auto_pad '" + autoPad + "'");
        }
        if (g.out[d] <= 0)
            ctx.fail("output size would be " + std::to_string(g.out[d]) + " for input " + onnxShapeToString(inSpatial));
    }
    return g;
}

std::vector<std::int64_t> windowIndexTable(const WindowGeometry& g)
{
    const std::size_t nd = g.in.size();
    const std::size_t kernelSize = g.kernelSize();
    const std::size_t outSize = g.outSize();
    const std::vector<std::size_t> inStrides = stridesOf(g.in);
    std::vector<std::int64_t> table(kernelSize * outSize);
    std::vector<std::int64_t> kIndex(nd);
    std::vector<std::int64_t> oIndex(nd);
    for (std::size_t kp = 0; kp < kernelSize; ++kp) {
        std::size_t rest = kp;
        for (std::size_t d = nd; d-- > 0;) {
            kIndex[d] = static_cast<std::int64_t>(rest % static_cast<std::size_t>(g.kernel[d]));
            rest /= static_cast<std::size_t>(g.kernel[d]);
        }
        std::fill(oIndex.begin(), oIndex.end(), 0);
        for (std::size_t op = 0; op < outSize; ++op) {
            std::int64_t offset = 0;
            for (std::size_t d = 0; d < nd && offset >= 0; ++d) {
                const std::int64_t x = oIndex[d] * g.strides[d] - g.padBegin[d] + kIndex[d] * g.dilations[d];
                if (x < 0 || x >= g.in[d])
                    offset = (x < -g.padBegin[d] || x >= g.in[d] + g.padEnd[d]) ? kBeyondPadding : kInPadding;
                else
                    offset += x * static_cast<std::int64_t>(inStrides[d]);
            }
            if (offset < 0) {
                // A later dimension may be beyond the padding while an earlier was only in it.
                for (std::size_t d = 0; d < nd; ++d) {
                    const std::int64_t x = oIndex[d] * g.strides[d] - g.padBegin[d] + kIndex[d] * g.dilations[d];
                    if (x < -g.padBegin[d] || x >= g.in[d] + g.padEnd[d])
                        offset = kBeyondPadding;
                }
            }
            table[kp * outSize + op] = offset;
            for (std::size_t d = nd; d-- > 0;) {
                if (++oIndex[d] < g.out[d])
                    break;
                oIndex[d] = 0;
            }
        }
    }
    return table;
}

}  // namespace layerlens::core::detail
