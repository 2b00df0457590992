// Resize (opset 10: scales, asymmetric; opset 11+: roi/scales/sizes with the coordinate
// transformation, nearest and cubic options) and its predecessor Upsample, in any rank.
// Each output element is a weighted sum of input elements; per dimension we precompute the
// taps (input index, weight), and the N-D result is their tensor product.

#include <algorithm>
#include <cmath>

#include "core/onnx/ops/onnx_op_registry.h"
#include "core/onnx/ops/onnx_op_utils.h"

namespace layerlens::core {

namespace {

struct Tap {
    std::int64_t index;
    float weight;
};

struct ResizeSettings {
    std::string mode = "nearest";            // nearest, linear, cubic
    std::string transform = "half_pixel";    // coordinate_transformation_mode
    std::string nearestMode = "round_prefer_floor";
    float cubicA = -0.75f;
    bool excludeOutside = false;
    float extrapolation = 0.0f;
};

// outLength is in * scale when scales are given (not rounded), as in the ONNX reference.
double sourceCoordinate(const ResizeSettings& s, double x, double scale, std::int64_t inLength, double outLength,
                        double roiStart, double roiEnd)
{
    const std::string& t = s.transform;
    if (t == "asymmetric")
        return x / scale;
    if (t == "pytorch_half_pixel")
        return outLength > 1.0 ? (x + 0.5) / scale - 0.5 : 0.0;
    if (t == "align_corners")
        return outLength == 1.0 ? 0.0 : x * static_cast<double>(inLength - 1) / (outLength - 1.0);
    if (t == "tf_half_pixel_for_nn")
        return (x + 0.5) / scale;
    if (t == "tf_crop_and_resize") {
        const double span = static_cast<double>(inLength - 1);
        return outLength > 1.0 ? roiStart * span + x * (roiEnd - roiStart) * span / (outLength - 1.0)
                             : 0.5 * (roiStart + roiEnd) * span;
    }
    return (x + 0.5) / scale - 0.5;  // half_pixel
}

std::int64_t nearestIndex(const ResizeSettings& s, double x)
{
    const double floorX = std::floor(x);
    const double fraction = x - floorX;
    if (s.nearestMode == "floor")
        return static_cast<std::int64_t>(floorX);
    if (s.nearestMode == "ceil")
        return static_cast<std::int64_t>(std::ceil(x));
    if (fraction == 0.5)
        return static_cast<std::int64_t>(s.nearestMode == "round_prefer_ceil" ? floorX + 1.0 : floorX);
    return static_cast<std::int64_t>(std::round(x));
}

// Taps for one output position along one dimension; empty = extrapolated (tf_crop_and_resize).
std::vector<Tap> tapsFor(const ResizeSettings& s, double x, std::int64_t inLength)
{
    auto clampIndex = [&](std::int64_t i) { return std::clamp<std::int64_t>(i, 0, inLength - 1); };
    if (s.transform == "tf_crop_and_resize" && (x < 0.0 || x > static_cast<double>(inLength - 1)))
        return {};
    if (s.mode == "nearest")
        return {{clampIndex(nearestIndex(s, x)), 1.0f}};
    const double x0 = std::floor(x);
    const double t = x - x0;
    const auto base = static_cast<std::int64_t>(x0);
    if (s.mode == "linear") {
        return {{clampIndex(base), static_cast<float>(1.0 - t)}, {clampIndex(base + 1), static_cast<float>(t)}};
    }
    // Cubic convolution (Keys) with coefficient A, taps at base-1 .. base+2.
    const double a = s.cubicA;
    auto far = [a](double d) { return ((a * d - 5.0 * a) * d + 8.0 * a) * d - 4.0 * a; };  // 1 < d < 2
    auto near = [a](double d) { return ((a + 2.0) * d - (a + 3.0)) * d * d + 1.0; };        // d <= 1
    const double weights[4] = {far(t + 1.0), near(t), near(1.0 - t), far(2.0 - t)};
    std::vector<Tap> taps;
    double sum = 0.0;
    for (int k = 0; k < 4; ++k) {
        const std::int64_t i = base - 1 + k;
        if (s.excludeOutside && (i < 0 || i >= inLength))
            continue;
        taps.push_back({clampIndex(i), static_cast<float>(weights[k])});
        sum += weights[k];
    }
    if (s.excludeOutside && sum != 0.0)
        for (Tap& tap : taps)
            tap.weight = static_cast<float>(tap.weight / sum);
    return taps;
}

OnnxTensor resize(const OnnxOpContext& ctx, const OnnxTensor& x, std::vector<double> scales, OnnxShape sizes,
                  const ResizeSettings& s, const std::vector<float>& roi)
{
    const std::size_t rank = x.shape.size();
    std::vector<double> outLengths(rank);
    if (sizes.empty()) {
        if (scales.size() != rank)
            ctx.fail("scales has " + std::to_string(scales.size()) + " values for rank " + std::to_string(rank));
        sizes.resize(rank);
        for (std::size_t d = 0; d < rank; ++d) {
            if (scales[d] <= 0.0)
                ctx.fail("scales must be positive");
            outLengths[d] = static_cast<double>(x.shape[d]) * scales[d];
            sizes[d] = static_cast<std::int64_t>(std::floor(outLengths[d]));
        }
    } else {
        if (sizes.size() != rank)
            ctx.fail("sizes has " + std::to_string(sizes.size()) + " values for rank " + std::to_string(rank));
        scales.resize(rank);
        for (std::size_t d = 0; d < rank; ++d) {
            scales[d] = static_cast<double>(sizes[d]) / static_cast<double>(x.shape[d]);
            outLengths[d] = static_cast<double>(sizes[d]);
        }
    }
    std::vector<std::vector<std::vector<Tap>>> taps(rank);
    for (std::size_t d = 0; d < rank; ++d) {
        taps[d].resize(static_cast<std::size_t>(sizes[d]));
        const double roiStart = roi.size() == 2 * rank ? roi[d] : 0.0;
        const double roiEnd = roi.size() == 2 * rank ? roi[d + rank] : 1.0;
        for (std::int64_t i = 0; i < sizes[d]; ++i) {
            const double source = sourceCoordinate(s, static_cast<double>(i), scales[d], x.shape[d], outLengths[d], roiStart, roiEnd);
            taps[d][static_cast<std::size_t>(i)] = tapsFor(s, source, x.shape[d]);
        }
    }
    const std::vector<std::size_t> strides = detail::stridesOf(x.shape);
    const std::vector<float> fx = x.toFloats();
    OnnxTensor out;
    out.shape = sizes;
    out.dataType = x.isFloat() ? x.dataType : onnx_type::Float;
    out.floats.resize(onnxShapeSize(sizes));
    std::vector<std::int64_t> index(rank, 0);
    std::vector<std::size_t> tapIndex(rank, 0);
    for (std::size_t o = 0; o < out.floats.size(); ++o) {
        std::size_t rest = o;
        bool extrapolate = false;
        for (std::size_t d = rank; d-- > 0;) {
            index[d] = static_cast<std::int64_t>(rest % static_cast<std::size_t>(sizes[d]));
            rest /= static_cast<std::size_t>(sizes[d]);
            extrapolate = extrapolate || taps[d][static_cast<std::size_t>(index[d])].empty();
        }
        if (extrapolate) {
            out.floats[o] = s.extrapolation;
            continue;
        }
        // Sum over the tensor product of the per-dimension taps.
        double sum = 0.0;
        std::fill(tapIndex.begin(), tapIndex.end(), 0);
        while (true) {
            double weight = 1.0;
            std::size_t offset = 0;
            for (std::size_t d = 0; d < rank; ++d) {
                const Tap& tap = taps[d][static_cast<std::size_t>(index[d])][tapIndex[d]];
                weight *= tap.weight;
                offset += static_cast<std::size_t>(tap.index) * strides[d];
            }
            sum += weight * fx[offset];
            std::size_t d = rank;
            while (d-- > 0) {
                if (++tapIndex[d] < taps[d][static_cast<std::size_t>(index[d])].size())
                    break;
                tapIndex[d] = 0;
            }
            if (d == static_cast<std::size_t>(-1))
                break;
        }
        out.floats[o] = static_cast<float>(sum);
    }
    if (!x.isFloat()) {
        out.ints = out.toInts();
        out.floats.clear();
        out.dataType = x.dataType;
    }
    return out;
}

std::vector<OnnxTensor> runResize(const OnnxOpContext& ctx)
{
    const OnnxTensor& x = ctx.input(0);
    ResizeSettings s;
    s.mode = ctx.node.attrString("mode", "nearest");
    if (ctx.opset < 11) {
        // Opset 10: Resize(X, scales), the Upsample semantics (asymmetric, nearest = floor).
        s.transform = "asymmetric";
        s.nearestMode = "floor";
        const std::vector<float> scales = ctx.input(1).toFloats();
        return {resize(ctx, x, std::vector<double>(scales.begin(), scales.end()), {}, s, {})};
    }
    s.transform = ctx.node.attrString("coordinate_transformation_mode", "half_pixel");
    s.nearestMode = ctx.node.attrString("nearest_mode", "round_prefer_floor");
    s.cubicA = ctx.node.attrFloat("cubic_coeff_a", -0.75f);
    s.excludeOutside = ctx.node.attrInt("exclude_outside", 0) != 0;
    s.extrapolation = ctx.node.attrFloat("extrapolation_value", 0.0f);
    const std::vector<float> roi = ctx.hasInput(1) ? ctx.input(1).toFloats() : std::vector<float>{};
    const std::vector<float> scales = ctx.hasInput(2) ? ctx.input(2).toFloats() : std::vector<float>{};
    const OnnxShape sizes = detail::optionalInts(ctx, 3);
    if (scales.empty() && sizes.empty())
        ctx.fail("one of scales and sizes is required");
    return {resize(ctx, x, std::vector<double>(scales.begin(), scales.end()), sizes, s, roi)};
}

std::string checkResize(const OnnxNode& node, int)
{
    if (node.attrInt("antialias", 0) != 0)
        return "antialias";
    if (node.has("axes"))
        return "axes";
    if (node.attrString("keep_aspect_ratio_policy", "stretch") != "stretch")
        return "keep_aspect_ratio_policy";
    const std::string mode = node.attrString("mode", "nearest");
    if (mode != "nearest" && mode != "linear" && mode != "cubic")
        return "mode " + mode;
    return {};
}

std::vector<OnnxTensor> runUpsample(const OnnxOpContext& ctx)
{
    ResizeSettings s;
    s.mode = ctx.node.attrString("mode", "nearest");
    if (s.mode == "bilinear")  // opset 7 spelling
        s.mode = "linear";
    s.transform = "asymmetric";
    s.nearestMode = "floor";
    const std::vector<float> scales = ctx.opset < 9 ? ctx.node.attrFloats("scales") : ctx.input(1).toFloats();
    return {resize(ctx, ctx.input(0), std::vector<double>(scales.begin(), scales.end()), {}, s, {})};
}

}  // namespace

void registerOnnxResizeOps(OnnxOpRegistry& registry)
{
    registry.add("Resize", runResize, checkResize);
    registry.add("Upsample", runUpsample);
}

}  // namespace layerlens::core
