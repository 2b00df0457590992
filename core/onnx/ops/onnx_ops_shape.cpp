// Shape and data-movement ONNX operators: Flatten, Reshape, Transpose, Concat, Split, Slice,
// Pad, Gather, Squeeze/Unsqueeze, Expand, Tile, Shape, Size, Constant, ConstantOfShape, Cast.
// Attribute-vs-input forms follow the opset the model imports.

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/onnx/ops/onnx_op_registry.h"
#include "core/onnx/ops/onnx_op_utils.h"

namespace layerlens::core {

namespace {

// Builds a tensor of `shape` whose element o is in[source(o)], or `fill` when source < 0.
template <class Source>
OnnxTensor pick(const OnnxTensor& in, OnnxShape shape, Source source, float fill = 0.0f)
{
    OnnxTensor out;
    out.shape = std::move(shape);
    out.dataType = in.dataType;
    const std::size_t n = onnxShapeSize(out.shape);
    if (in.isFloat()) {
        out.floats.resize(n);
        for (std::size_t o = 0; o < n; ++o) {
            const std::int64_t s = source(o);
            out.floats[o] = s >= 0 ? in.floats[static_cast<std::size_t>(s)] : fill;
        }
    } else {
        out.ints.resize(n);
        for (std::size_t o = 0; o < n; ++o) {
            const std::int64_t s = source(o);
            out.ints[o] = s >= 0 ? in.ints[static_cast<std::size_t>(s)] : static_cast<std::int64_t>(fill);
        }
    }
    return out;
}

OnnxTensor withShape(const OnnxTensor& in, OnnxShape shape)
{
    OnnxTensor out = in;
    out.shape = std::move(shape);
    return out;
}

// Decodes a flat index into per-dimension indices of `shape`.
void unravel(std::size_t flat, const OnnxShape& shape, std::vector<std::int64_t>& index)
{
    index.resize(shape.size());
    for (std::size_t d = shape.size(); d-- > 0;) {
        const std::size_t dim = static_cast<std::size_t>(shape[d]);
        index[d] = static_cast<std::int64_t>(flat % dim);
        flat /= dim;
    }
}

std::vector<OnnxTensor> runFlatten(const OnnxOpContext& ctx)
{
    const OnnxTensor& x = ctx.input(0);
    const std::int64_t rank = x.rank();
    std::int64_t axis = ctx.node.attrInt("axis", 1);
    if (axis < 0)
        axis += rank;
    if (axis < 0 || axis > rank)
        ctx.fail("axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
    const auto outer = static_cast<std::int64_t>(detail::sizeOfRange(x.shape, 0, static_cast<std::size_t>(axis)));
    const auto inner = static_cast<std::int64_t>(detail::sizeOfRange(x.shape, static_cast<std::size_t>(axis), x.shape.size()));
    return {withShape(x, {outer, inner})};
}

std::vector<OnnxTensor> runReshape(const OnnxOpContext& ctx)
{
    const OnnxTensor& x = ctx.input(0);
    const OnnxShape requested = ctx.opset < 5 ? ctx.node.attrInts("shape") : ctx.input(1).toInts();
    const bool allowZero = ctx.node.attrInt("allowzero", 0) != 0;
    OnnxShape shape(requested.size());
    std::int64_t inferred = -1;
    std::size_t known = 1;
    for (std::size_t i = 0; i < requested.size(); ++i) {
        std::int64_t dim = requested[i];
        if (dim == 0 && !allowZero) {  // 0 copies the input dimension
            if (i >= x.shape.size())
                ctx.fail("shape " + onnxShapeToString(requested) + " copies dimension " + std::to_string(i) + " of input "
                         + onnxShapeToString(x.shape));
            dim = x.shape[i];
        }
        if (dim == -1) {
            if (inferred >= 0)
                ctx.fail("shape " + onnxShapeToString(requested) + " has more than one -1");
            inferred = static_cast<std::int64_t>(i);
            dim = 1;
        } else if (dim < 0) {
            ctx.fail("shape " + onnxShapeToString(requested) + " has a negative dimension");
        }
        shape[i] = dim;
        known *= static_cast<std::size_t>(dim);
    }
    if (inferred >= 0) {
        if (known == 0 || x.size() % known != 0)
            ctx.fail("cannot infer -1 in " + onnxShapeToString(requested) + " for input " + onnxShapeToString(x.shape));
        shape[static_cast<std::size_t>(inferred)] = static_cast<std::int64_t>(x.size() / known);
    }
    if (onnxShapeSize(shape) != x.size())
        ctx.fail("shape " + onnxShapeToString(requested) + " does not hold the " + std::to_string(x.size())
                 + " elements of input " + onnxShapeToString(x.shape));
    return {withShape(x, shape)};
}

std::vector<OnnxTensor> runTranspose(const OnnxOpContext& ctx)
{
    const OnnxTensor& x = ctx.input(0);
    const std::size_t rank = x.shape.size();
    std::vector<std::int64_t> perm = ctx.node.attrInts("perm");
    if (perm.empty()) {
        perm.resize(rank);
        for (std::size_t i = 0; i < rank; ++i)
            perm[i] = static_cast<std::int64_t>(rank - 1 - i);
    }
    if (perm.size() != rank)
        ctx.fail("perm has " + std::to_string(perm.size()) + " entries for rank " + std::to_string(rank));
    OnnxShape shape(rank);
    for (std::size_t i = 0; i < rank; ++i)
        shape[i] = x.shape[static_cast<std::size_t>(detail::normalizeAxis(ctx, perm[i], static_cast<std::int64_t>(rank)))];
    const std::vector<std::size_t> inStrides = detail::stridesOf(x.shape);
    std::vector<std::int64_t> index;
    return {pick(x, shape, [&](std::size_t o) {
        unravel(o, shape, index);
        std::size_t s = 0;
        for (std::size_t i = 0; i < rank; ++i)
            s += static_cast<std::size_t>(index[i]) * inStrides[static_cast<std::size_t>(perm[i] < 0 ? perm[i] + static_cast<std::int64_t>(rank) : perm[i])];
        return static_cast<std::int64_t>(s);
    })};
}

std::vector<OnnxTensor> runConcat(const OnnxOpContext& ctx)
{
    const OnnxTensor& first = ctx.input(0);
    const std::int64_t axis = detail::normalizeAxis(ctx, ctx.node.attrInt("axis", 1), first.rank());
    const auto a = static_cast<std::size_t>(axis);
    OnnxShape shape = first.shape;
    shape[a] = 0;
    bool anyFloat = false;
    for (std::size_t i = 0; i < ctx.inputCount(); ++i) {
        const OnnxTensor& t = ctx.input(i);
        if (t.rank() != first.rank())
            ctx.fail("inputs have different ranks");
        for (std::size_t d = 0; d < shape.size(); ++d)
            if (d != a && t.shape[d] != first.shape[d])
                ctx.fail("input " + onnxShapeToString(t.shape) + " does not match " + onnxShapeToString(first.shape));
        shape[a] += t.shape[a];
        anyFloat = anyFloat || t.isFloat();
    }
    const std::size_t outer = detail::sizeOfRange(shape, 0, a);
    const std::size_t inner = detail::sizeOfRange(shape, a + 1, shape.size());
    OnnxTensor out;
    out.shape = shape;
    out.dataType = anyFloat ? onnx_type::Float : first.dataType;
    for (std::size_t o = 0; o < outer; ++o) {
        for (std::size_t i = 0; i < ctx.inputCount(); ++i) {
            const OnnxTensor& t = ctx.input(i);
            const std::size_t chunk = static_cast<std::size_t>(t.shape[a]) * inner;
            if (anyFloat) {
                const std::vector<float> values = t.toFloats();
                out.floats.insert(out.floats.end(), values.begin() + static_cast<std::ptrdiff_t>(o * chunk),
                                  values.begin() + static_cast<std::ptrdiff_t>((o + 1) * chunk));
            } else {
                out.ints.insert(out.ints.end(), t.ints.begin() + static_cast<std::ptrdiff_t>(o * chunk),
                                t.ints.begin() + static_cast<std::ptrdiff_t>((o + 1) * chunk));
            }
        }
    }
    return {out};
}

std::vector<OnnxTensor> runSplit(const OnnxOpContext& ctx)
{
    const OnnxTensor& x = ctx.input(0);
    const auto a = static_cast<std::size_t>(detail::normalizeAxis(ctx, ctx.node.attrInt("axis", 0), x.rank()));
    std::vector<std::int64_t> sizes = ctx.opset < 13 ? ctx.node.attrInts("split") : detail::optionalInts(ctx, 1);
    if (ctx.opset < 2 && sizes.empty())
        sizes = detail::optionalInts(ctx, 1);
    const std::size_t parts = ctx.outputCount();
    if (sizes.empty()) {
        if (parts == 0 || x.shape[a] % static_cast<std::int64_t>(parts) != 0)
            ctx.fail("dimension " + std::to_string(x.shape[a]) + " does not split into " + std::to_string(parts) + " equal parts");
        sizes.assign(parts, x.shape[a] / static_cast<std::int64_t>(parts));
    }
    if (std::accumulate(sizes.begin(), sizes.end(), std::int64_t{0}) != x.shape[a] || sizes.size() != parts)
        ctx.fail("split sizes do not add up to dimension " + std::to_string(x.shape[a]));
    const std::vector<std::size_t> strides = detail::stridesOf(x.shape);
    std::vector<OnnxTensor> outputs;
    std::int64_t start = 0;
    std::vector<std::int64_t> index;
    for (const std::int64_t size : sizes) {
        OnnxShape shape = x.shape;
        shape[a] = size;
        outputs.push_back(pick(x, shape, [&](std::size_t o) {
            unravel(o, shape, index);
            index[a] += start;
            std::size_t s = 0;
            for (std::size_t d = 0; d < shape.size(); ++d)
                s += static_cast<std::size_t>(index[d]) * strides[d];
            return static_cast<std::int64_t>(s);
        }));
        start += size;
    }
    return outputs;
}

std::vector<OnnxTensor> runSlice(const OnnxOpContext& ctx)
{
    const OnnxTensor& x = ctx.input(0);
    const std::int64_t rank = x.rank();
    std::vector<std::int64_t> starts, ends, axes, steps;
    if (ctx.opset < 10) {
        starts = ctx.node.attrInts("starts");
        ends = ctx.node.attrInts("ends");
        axes = ctx.node.attrInts("axes");
    } else {
        starts = ctx.input(1).toInts();
        ends = ctx.input(2).toInts();
        axes = detail::optionalInts(ctx, 3);
        steps = detail::optionalInts(ctx, 4);
    }
    if (axes.empty())
        for (std::size_t i = 0; i < starts.size(); ++i)
            axes.push_back(static_cast<std::int64_t>(i));
    if (steps.empty())
        steps.assign(starts.size(), 1);
    if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size())
        ctx.fail("starts/ends/axes/steps have different lengths");
    OnnxShape begin(static_cast<std::size_t>(rank), 0);
    OnnxShape step(static_cast<std::size_t>(rank), 1);
    OnnxShape shape = x.shape;
    for (std::size_t i = 0; i < starts.size(); ++i) {
        const auto a = static_cast<std::size_t>(detail::normalizeAxis(ctx, axes[i], rank));
        const std::int64_t dim = x.shape[a];
        if (steps[i] == 0)
            ctx.fail("step 0");
        std::int64_t s = starts[i] < 0 ? starts[i] + dim : starts[i];
        std::int64_t e = ends[i] < 0 ? ends[i] + dim : ends[i];
        if (steps[i] > 0) {
            s = std::clamp<std::int64_t>(s, 0, dim);
            e = std::clamp<std::int64_t>(e, 0, dim);
            shape[a] = e > s ? (e - s + steps[i] - 1) / steps[i] : 0;
        } else {
            s = std::clamp<std::int64_t>(s, 0, dim - 1);
            e = std::clamp<std::int64_t>(e, -1, dim - 1);
            shape[a] = s > e ? (s - e - steps[i] - 1) / -steps[i] : 0;
        }
        begin[a] = s;
        step[a] = steps[i];
    }
    const std::vector<std::size_t> strides = detail::stridesOf(x.shape);
    std::vector<std::int64_t> index;
    return {pick(x, shape, [&](std::size_t o) {
        unravel(o, shape, index);
        std::int64_t s = 0;
        for (std::size_t d = 0; d < shape.size(); ++d)
            s += (begin[d] + index[d] * step[d]) * static_cast<std::int64_t>(strides[d]);
        return s;
    })};
}

std::vector<OnnxTensor> runPad(const OnnxOpContext& ctx)
{
    const OnnxTensor& x = ctx.input(0);
    const std::size_t rank = x.shape.size();
    std::vector<std::int64_t> pads;
    float value = 0.0f;
    if (ctx.opset < 11) {
        pads = ctx.node.attrInts(ctx.opset < 2 ? "paddings" : "pads");
        value = ctx.node.attrFloat("value", 0.0f);
    } else {
        pads = ctx.input(1).toInts();
        value = detail::optionalScalar(ctx, 2, 0.0f);
    }
    std::vector<std::int64_t> axes = detail::optionalInts(ctx, 3);  // opset 18
    if (!axes.empty()) {
        std::vector<std::int64_t> full(2 * rank, 0);
        for (std::size_t i = 0; i < axes.size(); ++i) {
            const auto a = static_cast<std::size_t>(detail::normalizeAxis(ctx, axes[i], static_cast<std::int64_t>(rank)));
            full[a] = pads[i];
            full[a + rank] = pads[i + axes.size()];
        }
        pads = full;
    }
    if (pads.size() != 2 * rank)
        ctx.fail("pads has " + std::to_string(pads.size()) + " values for rank " + std::to_string(rank));
    const std::string mode = ctx.node.attrString("mode", "constant");
    if (mode != "constant" && mode != "reflect" && mode != "edge")
        ctx.fail("unknown mode '" + mode + "'");
    OnnxShape shape(rank);
    for (std::size_t d = 0; d < rank; ++d) {
        shape[d] = x.shape[d] + pads[d] + pads[d + rank];
        if (shape[d] < 0)
            ctx.fail("pads make a negative dimension");
        if (mode != "constant" && x.shape[d] == 0 && shape[d] > 0)
            ctx.fail("cannot " + mode + "-pad an empty dimension");
        if (mode == "reflect" && (pads[d] >= x.shape[d] || pads[d + rank] >= x.shape[d]) && x.shape[d] > 1 && (pads[d] > 0 || pads[d + rank] > 0))
            ctx.fail("reflect padding must be smaller than the dimension");
    }
    const std::vector<std::size_t> strides = detail::stridesOf(x.shape);
    std::vector<std::int64_t> index;
    return {pick(x, shape, [&](std::size_t o) {
        unravel(o, shape, index);
        std::int64_t s = 0;
        for (std::size_t d = 0; d < rank; ++d) {
            std::int64_t i = index[d] - pads[d];  // negative pads crop
            const std::int64_t dim = x.shape[d];
            if (i < 0 || i >= dim) {
                if (mode == "constant")
                    return std::int64_t{-1};
                if (mode == "edge") {
                    i = std::clamp<std::int64_t>(i, 0, dim - 1);
                } else if (dim == 1) {
                    i = 0;
                } else {
                    const std::int64_t period = 2 * (dim - 1);
                    i = ((i % period) + period) % period;
                    if (i >= dim)
                        i = period - i;
                }
            }
            s += i * static_cast<std::int64_t>(strides[d]);
        }
        return s;
    }, value)};
}

std::vector<OnnxTensor> runGather(const OnnxOpContext& ctx)
{
    const OnnxTensor& data = ctx.input(0);
    const OnnxTensor& indicesTensor = ctx.input(1);
    const auto a = static_cast<std::size_t>(detail::normalizeAxis(ctx, ctx.node.attrInt("axis", 0), data.rank()));
    if (data.rank() == 0)
        ctx.fail("data must have rank >= 1");
    std::vector<std::int64_t> indices = indicesTensor.toInts();
    const std::int64_t dim = data.shape[a];
    for (std::int64_t& i : indices) {
        if (i < -dim || i >= dim)
            ctx.fail("index " + std::to_string(i) + " is out of range for dimension " + std::to_string(dim));
        if (i < 0)
            i += dim;
    }
    OnnxShape shape(data.shape.begin(), data.shape.begin() + static_cast<std::ptrdiff_t>(a));
    shape.insert(shape.end(), indicesTensor.shape.begin(), indicesTensor.shape.end());
    shape.insert(shape.end(), data.shape.begin() + static_cast<std::ptrdiff_t>(a) + 1, data.shape.end());
    const std::size_t inner = detail::sizeOfRange(data.shape, a + 1, data.shape.size());
    const std::size_t count = indices.size();
    return {pick(data, shape, [&](std::size_t o) {
        const std::size_t i = o % inner;
        const std::size_t k = (o / inner) % std::max<std::size_t>(count, 1);
        const std::size_t outerIndex = o / inner / std::max<std::size_t>(count, 1);
        return static_cast<std::int64_t>((outerIndex * static_cast<std::size_t>(dim) + static_cast<std::size_t>(indices[k])) * inner + i);
    })};
}

std::vector<std::int64_t> axesOf(const OnnxOpContext& ctx)
{
    return ctx.opset < 13 ? ctx.node.attrInts("axes") : detail::optionalInts(ctx, 1);
}

std::vector<OnnxTensor> runSqueeze(const OnnxOpContext& ctx)
{
    const OnnxTensor& x = ctx.input(0);
    std::vector<std::int64_t> axes = axesOf(ctx);
    std::vector<bool> drop(x.shape.size(), false);
    if (axes.empty()) {
        for (std::size_t d = 0; d < x.shape.size(); ++d)
            drop[d] = x.shape[d] == 1;
    }
    for (const std::int64_t axis : axes) {
        const auto a = static_cast<std::size_t>(detail::normalizeAxis(ctx, axis, x.rank()));
        if (x.shape[a] != 1)
            ctx.fail("cannot squeeze axis " + std::to_string(axis) + " of size " + std::to_string(x.shape[a]));
        drop[a] = true;
    }
    OnnxShape shape;
    for (std::size_t d = 0; d < x.shape.size(); ++d)
        if (!drop[d])
            shape.push_back(x.shape[d]);
    return {withShape(x, shape)};
}

std::vector<OnnxTensor> runUnsqueeze(const OnnxOpContext& ctx)
{
    const OnnxTensor& x = ctx.input(0);
    std::vector<std::int64_t> axes = axesOf(ctx);
    const std::int64_t rank = x.rank() + static_cast<std::int64_t>(axes.size());
    std::vector<bool> inserted(static_cast<std::size_t>(rank), false);
    for (const std::int64_t axis : axes) {
        const auto a = static_cast<std::size_t>(detail::normalizeAxis(ctx, axis, rank));
        if (inserted[a])
            ctx.fail("axis " + std::to_string(axis) + " repeats");
        inserted[a] = true;
    }
    OnnxShape shape;
    std::size_t next = 0;
    for (std::size_t d = 0; d < inserted.size(); ++d)
        shape.push_back(inserted[d] ? 1 : x.shape[next++]);
    return {withShape(x, shape)};
}

std::vector<OnnxTensor> runExpand(const OnnxOpContext& ctx)
{
    const OnnxTensor& x = ctx.input(0);
    const OnnxShape shape = detail::broadcastShape(ctx, x.shape, ctx.input(1).toInts());
    const auto strides = detail::broadcastStrides(x.shape, shape);
    std::vector<std::int64_t> source(onnxShapeSize(shape));
    detail::forEachBroadcast(shape, strides, strides, [&](std::size_t o, std::size_t i, std::size_t) {
        source[o] = static_cast<std::int64_t>(i);
    });
    return {pick(x, shape, [&](std::size_t o) { return source[o]; })};
}

std::vector<OnnxTensor> runTile(const OnnxOpContext& ctx)
{
    const OnnxTensor& x = ctx.input(0);
    const std::vector<std::int64_t> repeats = ctx.input(1).toInts();
    if (repeats.size() != x.shape.size())
        ctx.fail("repeats has " + std::to_string(repeats.size()) + " values for rank " + std::to_string(x.rank()));
    OnnxShape shape(x.shape.size());
    for (std::size_t d = 0; d < shape.size(); ++d)
        shape[d] = x.shape[d] * repeats[d];
    const std::vector<std::size_t> strides = detail::stridesOf(x.shape);
    std::vector<std::int64_t> index;
    return {pick(x, shape, [&](std::size_t o) {
        unravel(o, shape, index);
        std::int64_t s = 0;
        for (std::size_t d = 0; d < shape.size(); ++d)
            s += (index[d] % x.shape[d]) * static_cast<std::int64_t>(strides[d]);
        return s;
    })};
}

std::vector<OnnxTensor> runShape(const OnnxOpContext& ctx)
{
    const OnnxShape& shape = ctx.input(0).shape;
    const auto rank = static_cast<std::int64_t>(shape.size());
    std::int64_t start = ctx.node.attrInt("start", 0);
    std::int64_t end = ctx.node.attrInt("end", rank);
    start = std::clamp<std::int64_t>(start < 0 ? start + rank : start, 0, rank);
    end = std::clamp<std::int64_t>(end < 0 ? end + rank : end, 0, rank);
    std::vector<std::int64_t> dims(shape.begin() + start, shape.begin() + std::max(start, end));
    const auto count = static_cast<std::int64_t>(dims.size());
    return {OnnxTensor::makeInt({count}, dims)};
}

std::vector<OnnxTensor> runSize(const OnnxOpContext& ctx)
{
    return {OnnxTensor::makeInt({}, {static_cast<std::int64_t>(ctx.input(0).size())})};
}

std::vector<OnnxTensor> runConstant(const OnnxOpContext& ctx)
{
    const OnnxNode& node = ctx.node;
    if (const OnnxAttribute* value = node.attr("value"); value != nullptr && value->tensor)
        return {*value->tensor};
    if (node.has("value_float"))
        return {OnnxTensor::makeFloat({}, {node.attrFloat("value_float", 0.0f)})};
    if (node.has("value_floats")) {
        std::vector<float> values = node.attrFloats("value_floats");
        const auto n = static_cast<std::int64_t>(values.size());
        return {OnnxTensor::makeFloat({n}, std::move(values))};
    }
    if (node.has("value_int"))
        return {OnnxTensor::makeInt({}, {node.attrInt("value_int", 0)})};
    if (node.has("value_ints")) {
        std::vector<std::int64_t> values = node.attrInts("value_ints");
        const auto n = static_cast<std::int64_t>(values.size());
        return {OnnxTensor::makeInt({n}, std::move(values))};
    }
    ctx.fail("no supported value attribute (value, value_float(s), value_int(s))");
}

std::string checkTensorAttribute(const OnnxNode& node, const char* name)
{
    const OnnxAttribute* value = node.attr(name);
    if (value != nullptr && value->kind != OnnxAttribute::Kind::Tensor)
        return std::string(name) + " is a " + (value->s.empty() ? std::string("non-tensor") : value->s);
    return {};
}

std::string checkConstantOfShape(const OnnxNode& node, int) { return checkTensorAttribute(node, "value"); }

std::string checkConstant(const OnnxNode& node, int)
{
    if (node.has("value"))
        return checkTensorAttribute(node, "value");
    for (const char* name : {"value", "value_float", "value_floats", "value_int", "value_ints"})
        if (node.has(name))
            return {};
    return "sparse or string value";
}

std::vector<OnnxTensor> runConstantOfShape(const OnnxOpContext& ctx)
{
    const OnnxShape shape = ctx.input(0).toInts();
    const OnnxAttribute* value = ctx.node.attr("value");
    if (value != nullptr && value->tensor && !value->tensor->isFloat()) {
        const std::int64_t v = value->tensor->size() > 0 ? value->tensor->ints[0] : 0;
        return {OnnxTensor::makeInt(shape, std::vector<std::int64_t>(onnxShapeSize(shape), v), value->tensor->dataType)};
    }
    const float v = value != nullptr && value->tensor && value->tensor->size() > 0 ? value->tensor->floats[0] : 0.0f;
    return {OnnxTensor::makeFloat(shape, std::vector<float>(onnxShapeSize(shape), v))};
}

OnnxTensor castTo(const OnnxOpContext& ctx, const OnnxTensor& in, int to)
{
    if (!onnxTypeIsSupported(to))
        ctx.fail("cannot cast to " + onnxTypeName(to));
    OnnxTensor out;
    out.shape = in.shape;
    out.dataType = to;
    if (onnxTypeIsFloating(to)) {
        out.floats = in.toFloats();
        if (to == onnx_type::Float16)
            for (float& v : out.floats)
                v = detail::roundToHalf(v);
        return out;
    }
    out.ints.resize(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (to == onnx_type::Bool) {
            out.ints[i] = in.isFloat() ? (in.floats[i] != 0.0f) : (in.ints[i] != 0);
            continue;
        }
        std::int64_t v = in.isFloat() ? static_cast<std::int64_t>(std::trunc(in.floats[i])) : in.ints[i];
        // Integer narrowing wraps around, as numpy's astype (which made the reference data) does.
        switch (to) {
        case onnx_type::Uint8: v = static_cast<std::uint8_t>(v); break;
        case onnx_type::Int8: v = static_cast<std::int8_t>(v); break;
        case onnx_type::Uint16: v = static_cast<std::uint16_t>(v); break;
        case onnx_type::Int16: v = static_cast<std::int16_t>(v); break;
        case onnx_type::Int32: v = static_cast<std::int32_t>(v); break;
        case onnx_type::Uint32: v = static_cast<std::uint32_t>(v); break;
        default: break;
        }
        out.ints[i] = v;
    }
    return out;
}

std::vector<OnnxTensor> runCast(const OnnxOpContext& ctx)
{
    return {castTo(ctx, ctx.input(0), static_cast<int>(ctx.node.attrInt("to", onnx_type::Float)))};
}

std::string checkCast(const OnnxNode& node, int)
{
    const int to = static_cast<int>(node.attrInt("to", 0));
    if (!onnxTypeIsSupported(to))
        return "to " + onnxTypeName(to);
    return {};
}

std::vector<OnnxTensor> runCastLike(const OnnxOpContext& ctx)
{
    return {castTo(ctx, ctx.input(0), ctx.input(1).dataType)};
}

}  // namespace

void registerOnnxShapeOps(OnnxOpRegistry& registry)
{
    registry.add("Flatten", runFlatten);
    registry.add("Reshape", runReshape);
    registry.add("Transpose", runTranspose);
    registry.add("Concat", runConcat);
    registry.add("Split", runSplit);
    registry.add("Slice", runSlice);
    registry.add("Pad", runPad);
    registry.add("Gather", runGather);
    registry.add("Squeeze", runSqueeze);
    registry.add("Unsqueeze", runUnsqueeze);
    registry.add("Expand", runExpand);
    registry.add("Tile", runTile);
    registry.add("Shape", runShape);
    registry.add("Size", runSize);
    registry.add("Constant", runConstant, checkConstant);
    registry.add("ConstantOfShape", runConstantOfShape, checkConstantOfShape);
    registry.add("Cast", runCast, checkCast);
    registry.add("CastLike", runCastLike);
}

}  // namespace layerlens::core
