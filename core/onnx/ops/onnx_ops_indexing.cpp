// Index-based ONNX operators: GatherElements, ScatterElements/Scatter, TopK, OneHot, Trilu,
// Range, CumSum, EyeLike, NonZero, DepthToSpace, SpaceToDepth.

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/onnx/ops/onnx_op_registry.h"
#include "core/onnx/ops/onnx_op_utils.h"

namespace layerlens::core {

namespace {

// Flat offset of the element at `index` (per-dimension) with `strides`.
std::size_t offsetOf(const std::vector<std::int64_t>& index, const std::vector<std::size_t>& strides)
{
    std::size_t offset = 0;
    for (std::size_t d = 0; d < index.size(); ++d)
        offset += static_cast<std::size_t>(index[d]) * strides[d];
    return offset;
}

void unravelIndex(std::size_t flat, const OnnxShape& shape, std::vector<std::int64_t>& index)
{
    index.resize(shape.size());
    for (std::size_t d = shape.size(); d-- > 0;) {
        index[d] = static_cast<std::int64_t>(flat % static_cast<std::size_t>(shape[d]));
        flat /= static_cast<std::size_t>(shape[d]);
    }
}

std::int64_t checkedIndex(const OnnxOpContext& ctx, std::int64_t i, std::int64_t dim)
{
    if (i < -dim || i >= dim)
        ctx.fail("index " + std::to_string(i) + " is out of range for dimension " + std::to_string(dim));
    return i < 0 ? i + dim : i;
}

// Copies element `from` of `src` into element `to` of `dst` (same kind).
void copyElement(OnnxTensor& dst, std::size_t to, const OnnxTensor& src, std::size_t from)
{
    if (dst.isFloat())
        dst.floats[to] = src.floatAt(from);
    else
        dst.ints[to] = src.intAt(from);
}

OnnxTensor emptyLike(const OnnxTensor& like, OnnxShape shape)
{
    OnnxTensor out;
    out.shape = std::move(shape);
    out.dataType = like.dataType;
    if (out.isFloat())
        out.floats.assign(onnxShapeSize(out.shape), 0.0f);
    else
        out.ints.assign(onnxShapeSize(out.shape), 0);
    return out;
}

std::vector<OnnxTensor> runGatherElements(const OnnxOpContext& ctx)
{
    const OnnxTensor& data = ctx.input(0);
    const OnnxTensor& indices = ctx.input(1);
    const auto a = static_cast<std::size_t>(detail::normalizeAxis(ctx, ctx.node.attrInt("axis", 0), data.rank()));
    if (indices.rank() != data.rank())
        ctx.fail("indices and data must have the same rank");
    OnnxTensor out = emptyLike(data, indices.shape);
    const std::vector<std::size_t> strides = detail::stridesOf(data.shape);
    const std::vector<std::int64_t> idx = indices.toInts();
    std::vector<std::int64_t> index;
    for (std::size_t o = 0; o < idx.size(); ++o) {
        unravelIndex(o, indices.shape, index);
        index[a] = checkedIndex(ctx, idx[o], data.shape[a]);
        copyElement(out, o, data, offsetOf(index, strides));
    }
    return {out};
}

std::vector<OnnxTensor> runScatterElements(const OnnxOpContext& ctx)
{
    const OnnxTensor& data = ctx.input(0);
    const OnnxTensor& indices = ctx.input(1);
    const OnnxTensor& updates = ctx.input(2);
    const auto a = static_cast<std::size_t>(detail::normalizeAxis(ctx, ctx.node.attrInt("axis", 0), data.rank()));
    const std::string reduction = ctx.node.attrString("reduction", "none");
    if (indices.shape != updates.shape || indices.rank() != data.rank())
        ctx.fail("indices and updates must have the same shape and data's rank");
    OnnxTensor out = data;
    const std::vector<std::size_t> strides = detail::stridesOf(data.shape);
    const std::vector<std::int64_t> idx = indices.toInts();
    std::vector<std::int64_t> index;
    for (std::size_t u = 0; u < idx.size(); ++u) {
        unravelIndex(u, indices.shape, index);
        index[a] = checkedIndex(ctx, idx[u], data.shape[a]);
        const std::size_t at = offsetOf(index, strides);
        if (out.isFloat()) {
            const float v = updates.floatAt(u);
            float& target = out.floats[at];
            target = reduction == "add" ? target + v : reduction == "mul" ? target * v
                   : reduction == "max" ? std::max(target, v) : reduction == "min" ? std::min(target, v) : v;
        } else {
            const std::int64_t v = updates.intAt(u);
            std::int64_t& target = out.ints[at];
            target = reduction == "add" ? target + v : reduction == "mul" ? target * v
                   : reduction == "max" ? std::max(target, v) : reduction == "min" ? std::min(target, v) : v;
        }
    }
    return {out};
}

std::vector<OnnxTensor> runTopK(const OnnxOpContext& ctx)
{
    const OnnxTensor& x = ctx.input(0);
    const std::int64_t k = ctx.opset < 10 ? ctx.node.attrInt("k", 1) : ctx.input(1).intAt(0);
    const auto a = static_cast<std::size_t>(detail::normalizeAxis(ctx, ctx.node.attrInt("axis", -1), x.rank()));
    const bool largest = ctx.node.attrInt("largest", 1) != 0;
    const std::size_t length = static_cast<std::size_t>(x.shape[a]);
    if (k < 0 || static_cast<std::size_t>(k) > length)
        ctx.fail("k = " + std::to_string(k) + " for an axis of " + std::to_string(length));
    const std::size_t outer = detail::sizeOfRange(x.shape, 0, a);
    const std::size_t inner = detail::sizeOfRange(x.shape, a + 1, x.shape.size());
    OnnxShape shape = x.shape;
    shape[a] = k;
    OnnxTensor values = emptyLike(x, shape);
    OnnxTensor positions = OnnxTensor::makeInt(shape, std::vector<std::int64_t>(onnxShapeSize(shape), 0));
    std::vector<std::size_t> order(length);
    const std::vector<float> fx = x.toFloats();
    for (std::size_t o = 0; o < outer; ++o)
        for (std::size_t i = 0; i < inner; ++i) {
            std::iota(order.begin(), order.end(), 0);
            auto value = [&](std::size_t j) { return fx[(o * length + j) * inner + i]; };
            // Ties keep the lower index first, as the specification requires.
            std::stable_sort(order.begin(), order.end(), [&](std::size_t p, std::size_t q) {
                return largest ? value(p) > value(q) : value(p) < value(q);
            });
            for (std::size_t j = 0; j < static_cast<std::size_t>(k); ++j) {
                const std::size_t at = (o * static_cast<std::size_t>(k) + j) * inner + i;
                copyElement(values, at, x, (o * length + order[j]) * inner + i);
                positions.ints[at] = static_cast<std::int64_t>(order[j]);
            }
        }
    return {values, positions};
}

std::vector<OnnxTensor> runOneHot(const OnnxOpContext& ctx)
{
    const OnnxTensor& indices = ctx.input(0);
    const auto depth = static_cast<std::int64_t>(ctx.input(1).floatAt(0));
    const OnnxTensor& values = ctx.input(2);  // [off, on]
    if (values.size() != 2 || depth <= 0)
        ctx.fail("values must hold [off, on] and depth must be positive");
    const std::int64_t rank = indices.rank() + 1;
    const auto a = static_cast<std::size_t>(detail::normalizeAxis(ctx, ctx.node.attrInt("axis", -1), rank));
    OnnxShape shape = indices.shape;
    shape.insert(shape.begin() + static_cast<std::ptrdiff_t>(a), depth);
    OnnxTensor out = emptyLike(values, shape);
    const std::size_t outer = detail::sizeOfRange(shape, 0, a);
    const std::size_t inner = detail::sizeOfRange(shape, a + 1, shape.size());
    const std::vector<float> idx = indices.toFloats();
    for (std::size_t o = 0; o < outer; ++o)
        for (std::int64_t d = 0; d < depth; ++d)
            for (std::size_t i = 0; i < inner; ++i) {
                auto target = static_cast<std::int64_t>(idx[o * inner + i]);
                if (target < 0)
                    target += depth;
                copyElement(out, (o * static_cast<std::size_t>(depth) + static_cast<std::size_t>(d)) * inner + i, values,
                            target == d ? 1 : 0);
            }
    return {out};
}

std::vector<OnnxTensor> runTrilu(const OnnxOpContext& ctx)
{
    const OnnxTensor& x = ctx.input(0);
    if (x.rank() < 2)
        ctx.fail("input must have rank >= 2");
    const std::int64_t k = ctx.hasInput(1) ? ctx.input(1).intAt(0) : 0;
    const bool upper = ctx.node.attrInt("upper", 1) != 0;
    const std::int64_t rows = x.shape[x.shape.size() - 2];
    const std::int64_t cols = x.shape.back();
    OnnxTensor out = x;
    const std::size_t planeSize = static_cast<std::size_t>(rows * cols);
    for (std::size_t o = 0; o < x.size(); ++o) {
        const auto r = static_cast<std::int64_t>((o % planeSize) / static_cast<std::size_t>(cols));
        const auto c = static_cast<std::int64_t>(o % static_cast<std::size_t>(cols));
        const bool keep = upper ? c - r >= k : c - r <= k;
        if (!keep) {
            if (out.isFloat())
                out.floats[o] = 0.0f;
            else
                out.ints[o] = 0;
        }
    }
    return {out};
}

std::vector<OnnxTensor> runRange(const OnnxOpContext& ctx)
{
    const OnnxTensor& start = ctx.input(0);
    const double s = start.floatAt(0);
    const double limit = ctx.input(1).floatAt(0);
    const double delta = ctx.input(2).floatAt(0);
    if (delta == 0.0)
        ctx.fail("delta is 0");
    const auto n = static_cast<std::int64_t>(std::max(0.0, std::ceil((limit - s) / delta)));
    OnnxTensor out = emptyLike(start, {n});
    for (std::int64_t i = 0; i < n; ++i) {
        if (out.isFloat())
            out.floats[static_cast<std::size_t>(i)] = static_cast<float>(s + static_cast<double>(i) * delta);
        else
            out.ints[static_cast<std::size_t>(i)] = start.ints[0] + i * ctx.input(2).ints[0];
    }
    return {out};
}

std::vector<OnnxTensor> runCumSum(const OnnxOpContext& ctx)
{
    const OnnxTensor& x = ctx.input(0);
    const auto a = static_cast<std::size_t>(detail::normalizeAxis(ctx, ctx.input(1).intAt(0), x.rank()));
    const bool exclusive = ctx.node.attrInt("exclusive", 0) != 0;
    const bool reverse = ctx.node.attrInt("reverse", 0) != 0;
    const std::size_t outer = detail::sizeOfRange(x.shape, 0, a);
    const std::size_t length = static_cast<std::size_t>(x.shape[a]);
    const std::size_t inner = detail::sizeOfRange(x.shape, a + 1, x.shape.size());
    OnnxTensor out = x;
    for (std::size_t o = 0; o < outer; ++o)
        for (std::size_t i = 0; i < inner; ++i) {
            double sum = 0.0;
            for (std::size_t step = 0; step < length; ++step) {
                const std::size_t j = reverse ? length - 1 - step : step;
                const std::size_t at = (o * length + j) * inner + i;
                const double v = x.floatAt(at);
                if (!exclusive)
                    sum += v;
                if (out.isFloat())
                    out.floats[at] = static_cast<float>(sum);
                else
                    out.ints[at] = static_cast<std::int64_t>(sum);
                if (exclusive)
                    sum += v;
            }
        }
    return {out};
}

std::vector<OnnxTensor> runEyeLike(const OnnxOpContext& ctx)
{
    const OnnxTensor& x = ctx.input(0);
    if (x.rank() != 2)
        ctx.fail("input must be 2-D");
    const int type = static_cast<int>(ctx.node.attrInt("dtype", x.dataType));
    const std::int64_t k = ctx.node.attrInt("k", 0);
    OnnxTensor like;
    like.dataType = type;
    OnnxTensor out = emptyLike(like, x.shape);
    for (std::int64_t r = 0; r < x.shape[0]; ++r) {
        const std::int64_t c = r + k;
        if (c < 0 || c >= x.shape[1])
            continue;
        const auto at = static_cast<std::size_t>(r * x.shape[1] + c);
        if (out.isFloat())
            out.floats[at] = 1.0f;
        else
            out.ints[at] = 1;
    }
    return {out};
}

std::vector<OnnxTensor> runNonZero(const OnnxOpContext& ctx)
{
    const OnnxTensor& x = ctx.input(0);
    std::vector<std::size_t> hits;
    for (std::size_t i = 0; i < x.size(); ++i)
        if (x.floatAt(i) != 0.0f)
            hits.push_back(i);
    const auto rank = static_cast<std::size_t>(x.rank());
    std::vector<std::int64_t> coordinates(rank * hits.size());
    std::vector<std::int64_t> index;
    for (std::size_t h = 0; h < hits.size(); ++h) {
        unravelIndex(hits[h], x.shape, index);
        for (std::size_t d = 0; d < rank; ++d)
            coordinates[d * hits.size() + h] = index[d];
    }
    return {OnnxTensor::makeInt({static_cast<std::int64_t>(rank), static_cast<std::int64_t>(hits.size())}, std::move(coordinates))};
}

// DepthToSpace / SpaceToDepth as the reshape-transpose-reshape the specification defines.
std::vector<OnnxTensor> depthSpace(const OnnxOpContext& ctx, bool toSpace)
{
    const OnnxTensor& x = ctx.input(0);
    if (x.rank() != 4)
        ctx.fail("input must be (N, C, H, W)");
    const std::int64_t b = ctx.node.attrInt("blocksize", 0);
    if (b <= 0)
        ctx.fail("blocksize must be positive");
    const std::int64_t n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
    const bool crd = ctx.node.attrString("mode", "DCR") == "CRD";
    OnnxShape shape;
    if (toSpace) {
        if (c % (b * b) != 0)
            ctx.fail("channels must be divisible by blocksize^2");
        shape = {n, c / (b * b), h * b, w * b};
    } else {
        if (h % b != 0 || w % b != 0)
            ctx.fail("height and width must be divisible by blocksize");
        shape = {n, c * b * b, h / b, w / b};
    }
    OnnxTensor out = emptyLike(x, shape);
    const std::int64_t oc = shape[1], oh = shape[2], ow = shape[3];
    for (std::int64_t in = 0; in < n; ++in)
        for (std::int64_t ci = 0; ci < oc; ++ci)
            for (std::int64_t y = 0; y < oh; ++y)
                for (std::int64_t xx = 0; xx < ow; ++xx) {
                    std::int64_t sc = 0, sy = 0, sx = 0;
                    if (toSpace) {
                        const std::int64_t by = y % b, bx = xx % b;
                        sc = crd ? ci * b * b + by * b + bx : (by * b + bx) * oc + ci;
                        sy = y / b;
                        sx = xx / b;
                    } else {
                        // SpaceToDepth (DCR order): channel = (by * b + bx) * C + c.
                        const std::int64_t block = ci / c, cc = ci % c;
                        sc = cc;
                        sy = y * b + block / b;
                        sx = xx * b + block % b;
                    }
                    const auto from = static_cast<std::size_t>(((in * c + sc) * h + sy) * w + sx);
                    const auto to = static_cast<std::size_t>(((in * oc + ci) * oh + y) * ow + xx);
                    copyElement(out, to, x, from);
                }
    return {out};
}

std::vector<OnnxTensor> runDepthToSpace(const OnnxOpContext& ctx) { return depthSpace(ctx, true); }
std::vector<OnnxTensor> runSpaceToDepth(const OnnxOpContext& ctx) { return depthSpace(ctx, false); }

}  // namespace

void registerOnnxIndexingOps(OnnxOpRegistry& registry)
{
    registry.add("GatherElements", runGatherElements);
    registry.add("ScatterElements", runScatterElements);
    registry.add("Scatter", runScatterElements);
    registry.add("TopK", runTopK);
    registry.add("OneHot", runOneHot);
    registry.add("Trilu", runTrilu);
    registry.add("Range", runRange);
    registry.add("CumSum", runCumSum);
    registry.add("EyeLike", runEyeLike);
    registry.add("NonZero", runNonZero);
    registry.add("DepthToSpace", runDepthToSpace);
    registry.add("SpaceToDepth", runSpaceToDepth);
}

}  // namespace layerlens::core
