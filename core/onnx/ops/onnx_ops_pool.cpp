// MaxPool, AveragePool (count_include_pad, ceil_mode), GlobalAveragePool, GlobalMaxPool,
// over any number of spatial dimensions.

#include <algorithm>
#include <limits>
#include <numeric>

#include "core/onnx/ops/onnx_op_registry.h"
#include "core/onnx/ops/onnx_op_utils.h"

namespace layerlens::core {

namespace {

enum class PoolKind { Max, Average };

std::vector<OnnxTensor> pool(const OnnxOpContext& ctx, PoolKind kind)
{
    const OnnxTensor& x = ctx.input(0);
    if (x.rank() < 3)
        ctx.fail("input " + onnxShapeToString(x.shape) + " must be (N, C, spatial...)");
    const OnnxShape kernel = ctx.node.attrInts("kernel_shape");
    const OnnxShape spatial(x.shape.begin() + 2, x.shape.end());
    if (kernel.size() != spatial.size())
        ctx.fail("kernel_shape " + onnxShapeToString(kernel) + " does not match input " + onnxShapeToString(x.shape));
    const bool ceilMode = ctx.node.attrInt("ceil_mode", 0) != 0;
    const detail::WindowGeometry g = detail::windowGeometry(ctx, spatial, kernel, ceilMode);
    const std::vector<std::int64_t> table = detail::windowIndexTable(g);
    const bool countPadding = ctx.node.attrInt("count_include_pad", 0) != 0;
    const std::size_t kernelSize = g.kernelSize();
    const std::size_t inSize = g.inSize();
    const std::size_t outSize = g.outSize();
    const std::size_t planes = static_cast<std::size_t>(x.shape[0] * x.shape[1]);

    OnnxTensor y;
    y.shape = {x.shape[0], x.shape[1]};
    y.shape.insert(y.shape.end(), g.out.begin(), g.out.end());
    y.dataType = x.isFloat() ? x.dataType : onnx_type::Float;
    y.floats.resize(planes * outSize);
    // MaxPool's optional Indices: flat positions in the input, (N, C, spatial) row-major,
    // or with the spatial part column-major when storage_order = 1.
    const bool wantIndices = kind == PoolKind::Max && ctx.outputCount() > 1 && !ctx.node.outputs[1].empty();
    const bool columnMajor = ctx.node.attrInt("storage_order", 0) != 0;
    OnnxTensor indices;
    if (wantIndices) {
        indices.shape = y.shape;
        indices.dataType = onnx_type::Int64;
        indices.ints.resize(planes * outSize);
    }
    const std::vector<std::size_t> rowStrides = detail::stridesOf(g.in);
    std::vector<std::size_t> columnStrides(g.in.size(), 1);
    for (std::size_t d = 1; d < g.in.size(); ++d)
        columnStrides[d] = columnStrides[d - 1] * static_cast<std::size_t>(g.in[d - 1]);
    auto storageIndex = [&](std::int64_t offset) {
        if (!columnMajor)
            return offset;
        std::size_t rest = static_cast<std::size_t>(offset);
        std::size_t result = 0;
        for (std::size_t d = 0; d < g.in.size(); ++d) {
            result += rest / rowStrides[d] * columnStrides[d];
            rest %= rowStrides[d];
        }
        return static_cast<std::int64_t>(result);
    };
    std::vector<float> fxScratch;
    const float* fx = detail::floatData(x, fxScratch);
    for (std::size_t p = 0; p < planes; ++p) {
        const float* in = fx + p * inSize;
        float* out = y.floats.data() + p * outSize;
        for (std::size_t op = 0; op < outSize; ++op) {
            float best = -std::numeric_limits<float>::infinity();
            std::int64_t bestIndex = -1;
            float sum = 0.0f;
            std::size_t valid = 0;
            std::size_t inPadded = 0;
            for (std::size_t kp = 0; kp < kernelSize; ++kp) {
                const std::int64_t index = table[kp * outSize + op];
                if (index >= 0) {
                    if (in[index] > best || bestIndex < 0) {
                        best = in[index];
                        bestIndex = index;
                    }
                    sum += in[index];
                    ++valid;
                    ++inPadded;
                } else if (index == detail::kInPadding) {
                    ++inPadded;
                }
            }
            if (wantIndices)
                indices.ints[p * outSize + op] = static_cast<std::int64_t>(p * inSize) + storageIndex(std::max<std::int64_t>(bestIndex, 0));
            if (kind == PoolKind::Max)
                out[op] = best;
            else
                out[op] = sum / static_cast<float>(std::max<std::size_t>(1, countPadding ? inPadded : valid));
        }
    }
    if (!x.isFloat()) {  // integer pooling keeps the integer type (averages truncate)
        y.ints = y.toInts();
        y.floats.clear();
        y.dataType = x.dataType;
    }
    if (wantIndices)
        return {y, indices};
    return {y};
}

std::vector<OnnxTensor> runMaxPool(const OnnxOpContext& ctx) { return pool(ctx, PoolKind::Max); }
std::vector<OnnxTensor> runAveragePool(const OnnxOpContext& ctx) { return pool(ctx, PoolKind::Average); }

std::vector<OnnxTensor> globalPool(const OnnxOpContext& ctx, PoolKind kind)
{
    const OnnxTensor& x = ctx.input(0);
    if (x.rank() < 2)
        ctx.fail("input " + onnxShapeToString(x.shape) + " must be (N, C, spatial...)");
    const std::size_t planes = static_cast<std::size_t>(x.shape[0] * x.shape[1]);
    const std::size_t inSize = detail::sizeOfRange(x.shape, 2, x.shape.size());
    OnnxTensor y;
    y.shape = x.shape;
    std::fill(y.shape.begin() + 2, y.shape.end(), 1);
    y.floats.resize(planes);
    std::vector<float> fxScratch;
    const float* fx = detail::floatData(x, fxScratch);
    for (std::size_t p = 0; p < planes; ++p) {
        const float* in = fx + p * inSize;
        if (kind == PoolKind::Max)
            y.floats[p] = *std::max_element(in, in + inSize);
        else
            y.floats[p] = std::accumulate(in, in + inSize, 0.0f) / static_cast<float>(inSize);
    }
    return {y};
}

std::vector<OnnxTensor> runGlobalAveragePool(const OnnxOpContext& ctx) { return globalPool(ctx, PoolKind::Average); }
std::vector<OnnxTensor> runGlobalMaxPool(const OnnxOpContext& ctx) { return globalPool(ctx, PoolKind::Max); }

}  // namespace

void registerOnnxPoolOps(OnnxOpRegistry& registry)
{
    registry.add("MaxPool", runMaxPool);
    registry.add("AveragePool", runAveragePool);
    registry.add("GlobalAveragePool", runGlobalAveragePool);
    registry.add("GlobalMaxPool", runGlobalMaxPool);
}

}  // namespace layerlens::core
