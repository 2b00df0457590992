// MatMul (numpy matmul semantics: 1-D promotion, broadcast batch dimensions) and Gemm,
// both through Eigen's GEMM on row-major maps of the tensor data.

#include <Eigen/Core>

#include "core/onnx/ops/onnx_op_registry.h"
#include "core/onnx/ops/onnx_op_utils.h"

namespace layerlens::core {

namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstMap = Eigen::Map<const RowMatrix>;
using Map = Eigen::Map<RowMatrix>;

std::vector<OnnxTensor> runMatMul(const OnnxOpContext& ctx)
{
    const OnnxTensor& a = ctx.input(0);
    const OnnxTensor& b = ctx.input(1);
    if (a.rank() == 0 || b.rank() == 0)
        ctx.fail("MatMul inputs must have rank >= 1");
    OnnxShape sa = a.shape;
    OnnxShape sb = b.shape;
    const bool promoteA = sa.size() == 1;
    const bool promoteB = sb.size() == 1;
    if (promoteA)
        sa.insert(sa.begin(), 1);
    if (promoteB)
        sb.push_back(1);
    const std::int64_t m = sa[sa.size() - 2];
    const std::int64_t k = sa.back();
    const std::int64_t n = sb.back();
    if (sb[sb.size() - 2] != k)
        ctx.fail("inner dimensions differ: " + onnxShapeToString(a.shape) + " x " + onnxShapeToString(b.shape));
    const OnnxShape batchA(sa.begin(), sa.end() - 2);
    const OnnxShape batchB(sb.begin(), sb.end() - 2);
    const OnnxShape batch = detail::broadcastShape(ctx, batchA, batchB);

    OnnxShape outShape = batch;
    if (!promoteA)
        outShape.push_back(m);
    if (!promoteB)
        outShape.push_back(n);
    OnnxTensor out;
    out.shape = outShape;
    out.floats.assign(onnxShapeSize(outShape), 0.0f);
    std::vector<float> faScratch;
    const float* fa = detail::floatData(a, faScratch);
    std::vector<float> fbScratch;
    const float* fb = detail::floatData(b, fbScratch);
    const std::size_t matA = static_cast<std::size_t>(m * k);
    const std::size_t matB = static_cast<std::size_t>(k * n);
    const std::size_t matC = static_cast<std::size_t>(m * n);
    detail::forEachBroadcast(batch, detail::broadcastStrides(batchA, batch), detail::broadcastStrides(batchB, batch),
                             [&](std::size_t o, std::size_t ia, std::size_t ib) {
                                 Map(out.floats.data() + o * matC, m, n).noalias() =
                                     ConstMap(fa + ia * matA, m, k) * ConstMap(fb + ib * matB, k, n);
                             });
    if (!a.isFloat() && !b.isFloat()) {  // integer MatMul stays integer
        out.ints = out.toInts();
        out.floats.clear();
        out.dataType = a.dataType;
    }
    return {out};
}

std::vector<OnnxTensor> runGemm(const OnnxOpContext& ctx)
{
    const OnnxTensor& a = ctx.input(0);
    const OnnxTensor& b = ctx.input(1);
    if (a.rank() != 2 || b.rank() != 2)
        ctx.fail("A and B must be 2-D, got " + onnxShapeToString(a.shape) + " and " + onnxShapeToString(b.shape));
    const bool transA = ctx.node.attrInt("transA", 0) != 0;
    const bool transB = ctx.node.attrInt("transB", 0) != 0;
    const float alpha = ctx.node.attrFloat("alpha", 1.0f);
    const float beta = ctx.node.attrFloat("beta", 1.0f);
    std::vector<float> faScratch;
    const float* fa = detail::floatData(a, faScratch);
    std::vector<float> fbScratch;
    const float* fb = detail::floatData(b, fbScratch);
    const ConstMap ma(fa, a.shape[0], a.shape[1]);
    const ConstMap mb(fb, b.shape[0], b.shape[1]);
    const std::int64_t m = transA ? a.shape[1] : a.shape[0];
    const std::int64_t k = transA ? a.shape[0] : a.shape[1];
    const std::int64_t kb = transB ? b.shape[1] : b.shape[0];
    const std::int64_t n = transB ? b.shape[0] : b.shape[1];
    if (k != kb)
        ctx.fail("inner dimensions differ: A " + onnxShapeToString(a.shape) + (transA ? "^T" : "") + " x B "
                 + onnxShapeToString(b.shape) + (transB ? "^T" : ""));
    OnnxTensor out;
    out.shape = {m, n};
    out.floats.assign(static_cast<std::size_t>(m * n), 0.0f);
    Map y(out.floats.data(), m, n);
    if (transA && transB)
        y.noalias() = alpha * (ma.transpose() * mb.transpose());
    else if (transA)
        y.noalias() = alpha * (ma.transpose() * mb);
    else if (transB)
        y.noalias() = alpha * (ma * mb.transpose());
    else
        y.noalias() = alpha * (ma * mb);
    if (const OnnxTensor* c = ctx.optionalInput(2); c != nullptr && beta != 0.0f) {
        // C broadcasts unidirectionally to (M, N).
        if (detail::broadcastShape(ctx, c->shape, out.shape) != out.shape)
            ctx.fail("C " + onnxShapeToString(c->shape) + " does not broadcast to " + onnxShapeToString(out.shape));
        const std::vector<float> fc = c->toFloats();
        const auto sc = detail::broadcastStrides(c->shape, out.shape);
        detail::forEachBroadcast(out.shape, sc, sc, [&](std::size_t o, std::size_t ic, std::size_t) {
            out.floats[o] += beta * fc[ic];
        });
    }
    return {out};
}

}  // namespace

void registerOnnxLinearOps(OnnxOpRegistry& registry)
{
    registry.add("MatMul", runMatMul);
    registry.add("Gemm", runGemm);
}

}  // namespace layerlens::core
