// Reductions (ReduceMean/Sum/Max/Min/Prod/L1/L2/SumSquare/LogSum/LogSumExp) over a set of
// axes with keepdims, and ArgMax/ArgMin. ReduceSum takes axes as an input from opset 13.

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/onnx/ops/onnx_op_registry.h"
#include "core/onnx/ops/onnx_op_utils.h"

namespace layerlens::core {

namespace {

enum class Reduce { Mean, Sum, Max, Min, Prod, L1, L2, SumSquare, LogSum, LogSumExp };

std::vector<OnnxTensor> reduce(const OnnxOpContext& ctx, Reduce kind, bool axesAsInput)
{
    const OnnxTensor& x = ctx.input(0);
    const std::vector<std::int64_t> axes = axesAsInput ? detail::optionalInts(ctx, 1) : ctx.node.attrInts("axes");
    const bool keepDims = ctx.node.attrInt("keepdims", 1) != 0;
    if (axes.empty() && ctx.node.attrInt("noop_with_empty_axes", 0) != 0)
        return {x};
    std::vector<bool> reduced(x.shape.size(), axes.empty());
    for (const std::int64_t axis : axes)
        reduced[static_cast<std::size_t>(detail::normalizeAxis(ctx, axis, x.rank()))] = true;
    OnnxShape kept = x.shape;  // reduced axes set to 1
    OnnxShape outShape;
    for (std::size_t d = 0; d < x.shape.size(); ++d) {
        if (reduced[d])
            kept[d] = 1;
        if (!reduced[d] || keepDims)
            outShape.push_back(kept[d]);
    }
    const std::size_t outSize = onnxShapeSize(kept);
    const bool extreme = kind == Reduce::Max || kind == Reduce::Min;
    double init = 0.0;
    if (kind == Reduce::Prod)
        init = 1.0;
    else if (kind == Reduce::Max)
        init = -std::numeric_limits<double>::infinity();
    else if (kind == Reduce::Min)
        init = std::numeric_limits<double>::infinity();
    std::vector<double> acc(outSize, init);
    const std::vector<float> fx = x.toFloats();
    std::vector<double> maxima;
    if (kind == Reduce::LogSumExp) {  // stabilise with the per-output maximum
        maxima.assign(outSize, -std::numeric_limits<double>::infinity());
        const auto strides = detail::broadcastStrides(kept, x.shape);
        detail::forEachBroadcast(x.shape, strides, strides, [&](std::size_t i, std::size_t o, std::size_t) {
            maxima[o] = std::max(maxima[o], static_cast<double>(fx[i]));
        });
    }
    const auto strides = detail::broadcastStrides(kept, x.shape);
    detail::forEachBroadcast(x.shape, strides, strides, [&](std::size_t i, std::size_t o, std::size_t) {
        const double v = fx[i];
        switch (kind) {
        case Reduce::Mean: case Reduce::Sum: case Reduce::LogSum: acc[o] += v; break;
        case Reduce::Max: acc[o] = std::max(acc[o], v); break;
        case Reduce::Min: acc[o] = std::min(acc[o], v); break;
        case Reduce::Prod: acc[o] *= v; break;
        case Reduce::L1: acc[o] += std::fabs(v); break;
        case Reduce::L2: case Reduce::SumSquare: acc[o] += v * v; break;
        case Reduce::LogSumExp: acc[o] += std::exp(v - maxima[o]); break;
        }
    });
    const double count = x.size() == 0 ? 1.0 : static_cast<double>(x.size()) / static_cast<double>(std::max<std::size_t>(outSize, 1));
    OnnxTensor out;
    out.shape = outShape;
    out.floats.resize(outSize);
    for (std::size_t o = 0; o < outSize; ++o) {
        double v = acc[o];
        if (kind == Reduce::Mean)
            v /= count;
        else if (kind == Reduce::L2)
            v = std::sqrt(v);
        else if (kind == Reduce::LogSum)
            v = std::log(v);
        else if (kind == Reduce::LogSumExp)
            v = std::log(v) + maxima[o];
        out.floats[o] = static_cast<float>(v);
    }
    if (!x.isFloat() && (extreme || kind == Reduce::Sum || kind == Reduce::Prod || kind == Reduce::SumSquare || kind == Reduce::L1)) {
        out.ints = out.toInts();
        out.floats.clear();
        out.dataType = x.dataType;
    }
    return {out};
}

#define LAYERLENS_ONNX_REDUCE(NAME, KIND)                                                      \
    std::vector<OnnxTensor> run##NAME(const OnnxOpContext& ctx)                                \
    {                                                                                          \
        return reduce(ctx, Reduce::KIND, ctx.opset >= 18 || (Reduce::KIND == Reduce::Sum && ctx.opset >= 13)); \
    }
LAYERLENS_ONNX_REDUCE(ReduceMean, Mean)
LAYERLENS_ONNX_REDUCE(ReduceSum, Sum)
LAYERLENS_ONNX_REDUCE(ReduceMax, Max)
LAYERLENS_ONNX_REDUCE(ReduceMin, Min)
LAYERLENS_ONNX_REDUCE(ReduceProd, Prod)
LAYERLENS_ONNX_REDUCE(ReduceL1, L1)
LAYERLENS_ONNX_REDUCE(ReduceL2, L2)
LAYERLENS_ONNX_REDUCE(ReduceSumSquare, SumSquare)
LAYERLENS_ONNX_REDUCE(ReduceLogSum, LogSum)
LAYERLENS_ONNX_REDUCE(ReduceLogSumExp, LogSumExp)
#undef LAYERLENS_ONNX_REDUCE

std::vector<OnnxTensor> argExtreme(const OnnxOpContext& ctx, bool maximum)
{
    const OnnxTensor& x = ctx.input(0);
    const auto a = static_cast<std::size_t>(detail::normalizeAxis(ctx, ctx.node.attrInt("axis", 0), x.rank()));
    const bool keepDims = ctx.node.attrInt("keepdims", 1) != 0;
    const bool last = ctx.node.attrInt("select_last_index", 0) != 0;
    const std::size_t outer = detail::sizeOfRange(x.shape, 0, a);
    const std::size_t length = static_cast<std::size_t>(x.shape[a]);
    const std::size_t inner = detail::sizeOfRange(x.shape, a + 1, x.shape.size());
    OnnxShape shape = x.shape;
    if (keepDims)
        shape[a] = 1;
    else
        shape.erase(shape.begin() + static_cast<std::ptrdiff_t>(a));
    const std::vector<float> fx = x.toFloats();
    std::vector<std::int64_t> result(outer * inner, 0);
    for (std::size_t o = 0; o < outer; ++o)
        for (std::size_t i = 0; i < inner; ++i) {
            std::size_t best = 0;
            for (std::size_t k = 1; k < length; ++k) {
                const float v = fx[(o * length + k) * inner + i];
                const float b = fx[(o * length + best) * inner + i];
                const bool better = maximum ? (last ? v >= b : v > b) : (last ? v <= b : v < b);
                if (better)
                    best = k;
            }
            result[o * inner + i] = static_cast<std::int64_t>(best);
        }
    return {OnnxTensor::makeInt(shape, std::move(result))};
}

std::vector<OnnxTensor> runArgMax(const OnnxOpContext& ctx) { return argExtreme(ctx, true); }
std::vector<OnnxTensor> runArgMin(const OnnxOpContext& ctx) { return argExtreme(ctx, false); }

}  // namespace

void registerOnnxReduceOps(OnnxOpRegistry& registry)
{
    registry.add("ReduceMean", runReduceMean);
    registry.add("ReduceSum", runReduceSum);
    registry.add("ReduceMax", runReduceMax);
    registry.add("ReduceMin", runReduceMin);
    registry.add("ReduceProd", runReduceProd);
    registry.add("ReduceL1", runReduceL1);
    registry.add("ReduceL2", runReduceL2);
    registry.add("ReduceSumSquare", runReduceSumSquare);
    registry.add("ReduceLogSum", runReduceLogSum);
    registry.add("ReduceLogSumExp", runReduceLogSumExp);
    registry.add("ArgMax", runArgMax);
    registry.add("ArgMin", runArgMin);
}

}  // namespace layerlens::core
