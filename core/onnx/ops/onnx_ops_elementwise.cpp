// Element-wise ONNX operators: activations, unary math, broadcasting binary arithmetic,
// comparisons and the variadic Sum/Max/Min/Mean.

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/onnx/ops/onnx_op_registry.h"
#include "core/onnx/ops/onnx_op_utils.h"

namespace layerlens::core {

namespace {

template <class F>
OnnxTensor mapFloat(const OnnxTensor& in, F f)
{
    OnnxTensor out;
    out.shape = in.shape;
    out.dataType = in.isFloat() ? in.dataType : onnx_type::Float;
    out.floats = in.toFloats();
    for (float& v : out.floats)
        v = f(v);
    return out;
}

// ---- activations and unary math (float in, float out) ----

#define LAYERLENS_ONNX_UNARY(NAME, EXPR)                                        \
    std::vector<OnnxTensor> run##NAME(const OnnxOpContext& ctx)                 \
    {                                                                           \
        [[maybe_unused]] const OnnxNode& node = ctx.node;                       \
        return {mapFloat(ctx.input(0), [&](float x) { return (EXPR); })};      \
    }

LAYERLENS_ONNX_UNARY(Relu, x > 0.0f ? x : 0.0f)
LAYERLENS_ONNX_UNARY(Sigmoid, 1.0f / (1.0f + std::exp(-x)))
LAYERLENS_ONNX_UNARY(Tanh, std::tanh(x))
LAYERLENS_ONNX_UNARY(Softplus, x > 20.0f ? x : std::log1p(std::exp(x)))
LAYERLENS_ONNX_UNARY(Softsign, x / (1.0f + std::fabs(x)))
LAYERLENS_ONNX_UNARY(Sqrt, std::sqrt(x))
LAYERLENS_ONNX_UNARY(Exp, std::exp(x))
LAYERLENS_ONNX_UNARY(Log, std::log(x))
LAYERLENS_ONNX_UNARY(Reciprocal, 1.0f / x)
LAYERLENS_ONNX_UNARY(Floor, std::floor(x))
LAYERLENS_ONNX_UNARY(Ceil, std::ceil(x))
LAYERLENS_ONNX_UNARY(Round, std::nearbyint(x))  // round half to even, as the spec says
LAYERLENS_ONNX_UNARY(Sin, std::sin(x))
LAYERLENS_ONNX_UNARY(Cos, std::cos(x))
LAYERLENS_ONNX_UNARY(Tan, std::tan(x))
LAYERLENS_ONNX_UNARY(Asin, std::asin(x))
LAYERLENS_ONNX_UNARY(Acos, std::acos(x))
LAYERLENS_ONNX_UNARY(Atan, std::atan(x))
LAYERLENS_ONNX_UNARY(Sinh, std::sinh(x))
LAYERLENS_ONNX_UNARY(Cosh, std::cosh(x))
LAYERLENS_ONNX_UNARY(Asinh, std::asinh(x))
LAYERLENS_ONNX_UNARY(Acosh, std::acosh(x))
LAYERLENS_ONNX_UNARY(Atanh, std::atanh(x))
LAYERLENS_ONNX_UNARY(Erf, std::erf(x))
LAYERLENS_ONNX_UNARY(LeakyRelu, x >= 0.0f ? x : x * node.attrFloat("alpha", 0.01f))
LAYERLENS_ONNX_UNARY(Elu, x >= 0.0f ? x : node.attrFloat("alpha", 1.0f) * (std::exp(x) - 1.0f))
LAYERLENS_ONNX_UNARY(Celu, std::max(0.0f, x) + std::min(0.0f, node.attrFloat("alpha", 1.0f) * (std::exp(x / node.attrFloat("alpha", 1.0f)) - 1.0f)))
LAYERLENS_ONNX_UNARY(Selu, node.attrFloat("gamma", 1.05070102214813232421875f)
                               * (x > 0.0f ? x : node.attrFloat("alpha", 1.67326319217681884765625f) * (std::exp(x) - 1.0f)))
LAYERLENS_ONNX_UNARY(HardSigmoid, std::clamp(node.attrFloat("alpha", 0.2f) * x + node.attrFloat("beta", 0.5f), 0.0f, 1.0f))
LAYERLENS_ONNX_UNARY(HardSwish, x * std::clamp(x / 6.0f + 0.5f, 0.0f, 1.0f))
LAYERLENS_ONNX_UNARY(ThresholdedRelu, x > node.attrFloat("alpha", 1.0f) ? x : 0.0f)
LAYERLENS_ONNX_UNARY(Shrink, x < -node.attrFloat("lambd", 0.5f)  ? x + node.attrFloat("bias", 0.0f)
                             : x > node.attrFloat("lambd", 0.5f) ? x - node.attrFloat("bias", 0.0f)
                                                                 : 0.0f)

#undef LAYERLENS_ONNX_UNARY

// Neg, Abs and Sign keep integer tensors integer.
template <class F>
std::vector<OnnxTensor> mapSigned(const OnnxOpContext& ctx, F f)
{
    const OnnxTensor& in = ctx.input(0);
    OnnxTensor out = in;
    for (float& v : out.floats)
        v = f(v);
    for (std::int64_t& v : out.ints)
        v = f(v);
    return {out};
}

std::vector<OnnxTensor> runNeg(const OnnxOpContext& ctx) { return mapSigned(ctx, [](auto x) { return -x; }); }
std::vector<OnnxTensor> runAbs(const OnnxOpContext& ctx) { return mapSigned(ctx, [](auto x) { return x < 0 ? -x : x; }); }
std::vector<OnnxTensor> runSign(const OnnxOpContext& ctx)
{
    return mapSigned(ctx, [](auto x) { return static_cast<decltype(x)>((x > 0) - (x < 0)); });
}

std::vector<OnnxTensor> runIdentity(const OnnxOpContext& ctx) { return {ctx.input(0)}; }

std::vector<OnnxTensor> runClip(const OnnxOpContext& ctx)
{
    float low = -std::numeric_limits<float>::infinity();
    float high = std::numeric_limits<float>::infinity();
    if (ctx.opset < 11) {
        low = ctx.node.attrFloat("min", -std::numeric_limits<float>::max());
        high = ctx.node.attrFloat("max", std::numeric_limits<float>::max());
    } else {
        low = detail::optionalScalar(ctx, 1, low);
        high = detail::optionalScalar(ctx, 2, high);
    }
    OnnxTensor out = ctx.input(0);
    // Spec: min(max(x, low), high), so low > high gives high everywhere.
    for (float& v : out.floats)
        v = std::min(std::max(v, low), high);
    for (std::int64_t& v : out.ints)
        v = std::min<std::int64_t>(std::max<std::int64_t>(v, static_cast<std::int64_t>(std::max(low, -9.2e18f))),
                                   static_cast<std::int64_t>(std::min(high, 9.2e18f)));
    return {out};
}

std::vector<OnnxTensor> runDropout(const OnnxOpContext& ctx)
{
    // Inference: output = input; the optional mask is all true.
    const OnnxTensor& in = ctx.input(0);
    std::vector<OnnxTensor> outputs{in};
    if (ctx.outputCount() > 1)
        outputs.push_back(OnnxTensor::makeInt(in.shape, std::vector<std::int64_t>(in.size(), 1), onnx_type::Bool));
    return outputs;
}

std::string checkDropout(const OnnxNode& node, int opset)
{
    if (opset < 7 && node.attrInt("is_test", 0) == 0)
        return "training mode (is_test=0)";
    if (node.inputs.size() > 2 && !node.inputs[2].empty())
        return "training_mode input";
    return {};
}

// ---- broadcasting binary arithmetic ----

template <class FloatOp, class IntOp>
OnnxTensor binary(const OnnxOpContext& ctx, const OnnxTensor& a, const OnnxTensor& b, FloatOp fop, IntOp iop)
{
    OnnxTensor out;
    out.shape = detail::broadcastShape(ctx, a.shape, b.shape);
    const auto sa = detail::broadcastStrides(a.shape, out.shape);
    const auto sb = detail::broadcastStrides(b.shape, out.shape);
    const std::size_t n = onnxShapeSize(out.shape);
    if (a.isFloat() || b.isFloat()) {
        out.dataType = a.isFloat() ? a.dataType : b.dataType;
        const std::vector<float> fa = a.toFloats();
        const std::vector<float> fb = b.toFloats();
        out.floats.resize(n);
        if (a.shape == b.shape) {
            for (std::size_t i = 0; i < n; ++i)
                out.floats[i] = fop(fa[i], fb[i]);
        } else {
            detail::forEachBroadcast(out.shape, sa, sb, [&](std::size_t o, std::size_t ia, std::size_t ib) {
                out.floats[o] = fop(fa[ia], fb[ib]);
            });
        }
    } else {
        out.dataType = a.dataType;
        out.ints.resize(n);
        detail::forEachBroadcast(out.shape, sa, sb, [&](std::size_t o, std::size_t ia, std::size_t ib) {
            out.ints[o] = iop(a.ints[ia], b.ints[ib]);
        });
    }
    return out;
}

// Opset < 7 Add/Sub/Mul/Div broadcast only with broadcast=1, aligning B at `axis` of A
// (the old "limited broadcasting"); rewrite B's shape so the numpy rules give that result.
OnnxTensor legacyAligned(const OnnxOpContext& ctx, const OnnxTensor& a, const OnnxTensor& b)
{
    if (ctx.opset >= 7 || ctx.node.attrInt("broadcast", 0) == 0 || !ctx.node.has("axis"))
        return b;
    const std::int64_t axis = detail::normalizeAxis(ctx, ctx.node.attrInt("axis", 0), a.rank());
    OnnxTensor aligned = b;
    while (static_cast<std::int64_t>(aligned.shape.size()) + axis < a.rank())
        aligned.shape.push_back(1);
    return aligned;
}

std::vector<OnnxTensor> runAdd(const OnnxOpContext& ctx)
{
    return {binary(ctx, ctx.input(0), legacyAligned(ctx, ctx.input(0), ctx.input(1)), [](float x, float y) { return x + y; },
                   [](std::int64_t x, std::int64_t y) { return x + y; })};
}
std::vector<OnnxTensor> runSub(const OnnxOpContext& ctx)
{
    return {binary(ctx, ctx.input(0), legacyAligned(ctx, ctx.input(0), ctx.input(1)), [](float x, float y) { return x - y; },
                   [](std::int64_t x, std::int64_t y) { return x - y; })};
}
std::vector<OnnxTensor> runMul(const OnnxOpContext& ctx)
{
    return {binary(ctx, ctx.input(0), legacyAligned(ctx, ctx.input(0), ctx.input(1)), [](float x, float y) { return x * y; },
                   [](std::int64_t x, std::int64_t y) { return x * y; })};
}
std::vector<OnnxTensor> runDiv(const OnnxOpContext& ctx)
{
    return {binary(ctx, ctx.input(0), legacyAligned(ctx, ctx.input(0), ctx.input(1)), [](float x, float y) { return x / y; },
                   [&](std::int64_t x, std::int64_t y) {
                       if (y == 0)
                           ctx.fail("integer division by zero");
                       return x / y;
                   })};
}
std::vector<OnnxTensor> runPow(const OnnxOpContext& ctx)
{
    // The result has the type of the base; an integer exponent on a float base stays float.
    const OnnxTensor& base = ctx.input(0);
    OnnxTensor out = binary(ctx, base, ctx.input(1), [](float x, float y) { return std::pow(x, y); },
                            [](std::int64_t x, std::int64_t y) {
                                return static_cast<std::int64_t>(std::pow(static_cast<double>(x), static_cast<double>(y)));
                            });
    if (!base.isFloat() && out.isFloat()) {
        out.ints = out.toInts();
        out.floats.clear();
        out.dataType = base.dataType;
    }
    return {out};
}
std::vector<OnnxTensor> runPRelu(const OnnxOpContext& ctx)
{
    const OnnxTensor& x = ctx.input(0);
    OnnxTensor slope = ctx.input(1);
    // Opset < 7: a 1-D slope of C values is per channel (axis 1), not numpy-aligned.
    if (ctx.opset < 7 && slope.rank() == 1 && x.rank() > 2 && slope.shape[0] == x.shape[1])
        slope.shape.resize(static_cast<std::size_t>(x.rank() - 1), 1);
    return {binary(ctx, x, slope, [](float v, float s) { return v < 0.0f ? v * s : v; },
                   [](std::int64_t v, std::int64_t s) { return v < 0 ? v * s : v; })};
}
std::vector<OnnxTensor> runMod(const OnnxOpContext& ctx)
{
    const bool fmod = ctx.node.attrInt("fmod", 0) != 0;
    return {binary(ctx, ctx.input(0), ctx.input(1),
                   [fmod](float x, float y) {
                       if (fmod)
                           return std::fmod(x, y);
                       const float r = std::fmod(x, y);
                       return (r != 0.0f && ((r < 0.0f) != (y < 0.0f))) ? r + y : r;
                   },
                   [&](std::int64_t x, std::int64_t y) {
                       if (y == 0)
                           ctx.fail("integer modulo by zero");
                       const std::int64_t r = x % y;
                       return (!fmod && r != 0 && ((r < 0) != (y < 0))) ? r + y : r;
                   })};
}

// Comparisons give BOOL tensors (held as int64 0/1).
template <class Compare>
std::vector<OnnxTensor> compare(const OnnxOpContext& ctx, Compare cmp)
{
    const OnnxTensor& a = ctx.input(0);
    const OnnxTensor& b = ctx.input(1);
    OnnxTensor out;
    if (a.isFloat() || b.isFloat()) {
        out = binary(ctx, a, b, [&](float x, float y) { return cmp(x, y) ? 1.0f : 0.0f; },
                     [](std::int64_t, std::int64_t) { return std::int64_t{0}; });
        out.ints = out.toInts();
        out.floats.clear();
    } else {
        out = binary(ctx, a, b, [](float, float) { return 0.0f; },
                     [&](std::int64_t x, std::int64_t y) { return std::int64_t{cmp(x, y) ? 1 : 0}; });
    }
    out.dataType = onnx_type::Bool;
    return {out};
}

std::vector<OnnxTensor> runEqual(const OnnxOpContext& ctx) { return compare(ctx, [](auto x, auto y) { return x == y; }); }
std::vector<OnnxTensor> runGreater(const OnnxOpContext& ctx) { return compare(ctx, [](auto x, auto y) { return x > y; }); }
std::vector<OnnxTensor> runLess(const OnnxOpContext& ctx) { return compare(ctx, [](auto x, auto y) { return x < y; }); }
std::vector<OnnxTensor> runGreaterOrEqual(const OnnxOpContext& ctx) { return compare(ctx, [](auto x, auto y) { return x >= y; }); }
std::vector<OnnxTensor> runLessOrEqual(const OnnxOpContext& ctx) { return compare(ctx, [](auto x, auto y) { return x <= y; }); }
std::vector<OnnxTensor> runAnd(const OnnxOpContext& ctx) { return compare(ctx, [](auto x, auto y) { return x != 0 && y != 0; }); }
std::vector<OnnxTensor> runOr(const OnnxOpContext& ctx) { return compare(ctx, [](auto x, auto y) { return x != 0 || y != 0; }); }
std::vector<OnnxTensor> runXor(const OnnxOpContext& ctx) { return compare(ctx, [](auto x, auto y) { return (x != 0) != (y != 0); }); }

std::vector<OnnxTensor> runNot(const OnnxOpContext& ctx)
{
    OnnxTensor out = OnnxTensor::makeInt(ctx.input(0).shape, ctx.input(0).toInts(), onnx_type::Bool);
    for (std::int64_t& v : out.ints)
        v = v == 0 ? 1 : 0;
    return {out};
}

template <class Predicate>
std::vector<OnnxTensor> classify(const OnnxOpContext& ctx, Predicate predicate)
{
    const OnnxTensor& x = ctx.input(0);
    std::vector<std::int64_t> result(x.size());
    for (std::size_t i = 0; i < x.size(); ++i)
        result[i] = predicate(x.floatAt(i)) ? 1 : 0;
    return {OnnxTensor::makeInt(x.shape, std::move(result), onnx_type::Bool)};
}

std::vector<OnnxTensor> runIsNaN(const OnnxOpContext& ctx)
{
    return classify(ctx, [](float v) { return std::isnan(v); });
}

std::vector<OnnxTensor> runIsInf(const OnnxOpContext& ctx)
{
    const bool negative = ctx.node.attrInt("detect_negative", 1) != 0;
    const bool positive = ctx.node.attrInt("detect_positive", 1) != 0;
    return classify(ctx, [&](float v) { return std::isinf(v) && ((v > 0 && positive) || (v < 0 && negative)); });
}

std::vector<OnnxTensor> runWhere(const OnnxOpContext& ctx)
{
    const OnnxTensor& condition = ctx.input(0);
    const OnnxTensor& x = ctx.input(1);
    const OnnxTensor& y = ctx.input(2);
    const OnnxShape xy = detail::broadcastShape(ctx, x.shape, y.shape);
    OnnxTensor out;
    out.shape = detail::broadcastShape(ctx, condition.shape, xy);
    out.dataType = x.dataType;
    const auto sc = detail::broadcastStrides(condition.shape, out.shape);
    const auto sx = detail::broadcastStrides(x.shape, out.shape);
    const auto sy = detail::broadcastStrides(y.shape, out.shape);
    const std::vector<std::int64_t> cond = condition.toInts();
    const std::size_t n = onnxShapeSize(out.shape);
    // Two passes over (condition, x) and (condition, y) keep the two-input iterator.
    std::vector<std::size_t> pickX(n);
    std::vector<std::size_t> pickY(n);
    std::vector<char> useX(n);
    detail::forEachBroadcast(out.shape, sc, sx, [&](std::size_t o, std::size_t ic, std::size_t ix) {
        useX[o] = cond[ic] != 0;
        pickX[o] = ix;
    });
    detail::forEachBroadcast(out.shape, sc, sy, [&](std::size_t o, std::size_t, std::size_t iy) { pickY[o] = iy; });
    if (x.isFloat()) {
        out.floats.resize(n);
        const std::vector<float> fy = y.toFloats();
        for (std::size_t o = 0; o < n; ++o)
            out.floats[o] = useX[o] ? x.floats[pickX[o]] : fy[pickY[o]];
    } else {
        out.ints.resize(n);
        const std::vector<std::int64_t> iy = y.toInts();
        for (std::size_t o = 0; o < n; ++o)
            out.ints[o] = useX[o] ? x.ints[pickX[o]] : iy[pickY[o]];
    }
    return {out};
}

// ---- variadic ----

template <class FloatOp, class IntOp>
std::vector<OnnxTensor> variadic(const OnnxOpContext& ctx, FloatOp fop, IntOp iop)
{
    OnnxTensor acc = ctx.input(0);
    for (std::size_t i = 1; i < ctx.inputCount(); ++i)
        acc = binary(ctx, acc, ctx.input(i), fop, iop);
    return {acc};
}

std::vector<OnnxTensor> runSum(const OnnxOpContext& ctx)
{
    return variadic(ctx, [](float x, float y) { return x + y; }, [](std::int64_t x, std::int64_t y) { return x + y; });
}
std::vector<OnnxTensor> runMax(const OnnxOpContext& ctx)
{
    return variadic(ctx, [](float x, float y) { return std::isnan(x) || x > y ? x : y; },
                    [](std::int64_t x, std::int64_t y) { return std::max(x, y); });
}
std::vector<OnnxTensor> runMin(const OnnxOpContext& ctx)
{
    return variadic(ctx, [](float x, float y) { return std::isnan(x) || x < y ? x : y; },
                    [](std::int64_t x, std::int64_t y) { return std::min(x, y); });
}
std::vector<OnnxTensor> runMean(const OnnxOpContext& ctx)
{
    std::vector<OnnxTensor> sum = runSum(ctx);
    const float count = static_cast<float>(ctx.inputCount());
    for (float& v : sum[0].floats)
        v /= count;
    return sum;
}

}  // namespace

void registerOnnxElementwiseOps(OnnxOpRegistry& registry)
{
    registry.add("Relu", runRelu);
    registry.add("Sigmoid", runSigmoid);
    registry.add("Tanh", runTanh);
    registry.add("Softplus", runSoftplus);
    registry.add("Softsign", runSoftsign);
    registry.add("Sqrt", runSqrt);
    registry.add("Exp", runExp);
    registry.add("Log", runLog);
    registry.add("Reciprocal", runReciprocal);
    registry.add("Floor", runFloor);
    registry.add("Ceil", runCeil);
    registry.add("Round", runRound);
    registry.add("Sin", runSin);
    registry.add("Cos", runCos);
    registry.add("Tan", runTan);
    registry.add("Asin", runAsin);
    registry.add("Acos", runAcos);
    registry.add("Atan", runAtan);
    registry.add("Sinh", runSinh);
    registry.add("Cosh", runCosh);
    registry.add("Asinh", runAsinh);
    registry.add("Acosh", runAcosh);
    registry.add("Atanh", runAtanh);
    registry.add("Erf", runErf);
    registry.add("LeakyRelu", runLeakyRelu);
    registry.add("Elu", runElu);
    registry.add("Celu", runCelu);
    registry.add("Selu", runSelu);
    registry.add("HardSigmoid", runHardSigmoid);
    registry.add("HardSwish", runHardSwish);
    registry.add("ThresholdedRelu", runThresholdedRelu);
    registry.add("Shrink", runShrink);
    registry.add("Neg", runNeg);
    registry.add("Abs", runAbs);
    registry.add("Sign", runSign);
    registry.add("Identity", runIdentity);
    registry.add("Clip", runClip);
    registry.add("Dropout", runDropout, checkDropout);
    registry.add("Add", runAdd);
    registry.add("Sub", runSub);
    registry.add("Mul", runMul);
    registry.add("Div", runDiv);
    registry.add("Pow", runPow);
    registry.add("PRelu", runPRelu);
    registry.add("Mod", runMod);
    registry.add("Equal", runEqual);
    registry.add("Greater", runGreater);
    registry.add("Less", runLess);
    registry.add("GreaterOrEqual", runGreaterOrEqual);
    registry.add("LessOrEqual", runLessOrEqual);
    registry.add("And", runAnd);
    registry.add("Or", runOr);
    registry.add("Xor", runXor);
    registry.add("Not", runNot);
    registry.add("Where", runWhere);
    registry.add("IsNaN", runIsNaN);
    registry.add("IsInf", runIsInf);
    registry.add("Sum", runSum);
    registry.add("Max", runMax);
    registry.add("Min", runMin);
    registry.add("Mean", runMean);
}

}  // namespace layerlens::core
