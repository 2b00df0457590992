// BatchNormalization (inference), InstanceNormalization, LRN, and the Softmax family with
// its opset-dependent axis semantics.

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/onnx/ops/onnx_op_registry.h"
#include "core/onnx/ops/onnx_op_utils.h"

namespace layerlens::core {

namespace {

std::vector<OnnxTensor> runBatchNormalization(const OnnxOpContext& ctx)
{
    const OnnxTensor& x = ctx.input(0);  // (N, C, spatial...) or (N, C)
    const std::vector<float> scale = ctx.input(1).toFloats();
    const std::vector<float> bias = ctx.input(2).toFloats();
    const std::vector<float> mean = ctx.input(3).toFloats();
    const std::vector<float> variance = ctx.input(4).toFloats();
    const float epsilon = ctx.node.attrFloat("epsilon", 1e-5f);
    if (x.rank() < 2)
        ctx.fail("input " + onnxShapeToString(x.shape) + " must be (N, C, ...)");
    const std::size_t channels = static_cast<std::size_t>(x.shape[1]);
    if (scale.size() != channels || bias.size() != channels || mean.size() != channels || variance.size() != channels)
        ctx.fail("scale/B/mean/var must each have " + std::to_string(channels) + " values");
    const std::size_t inner = detail::sizeOfRange(x.shape, 2, x.shape.size());
    OnnxTensor y = x;
    y.floats = x.toFloats();
    y.dataType = x.isFloat() ? x.dataType : onnx_type::Float;
    y.ints.clear();
    const std::size_t batch = static_cast<std::size_t>(x.shape[0]);
    for (std::size_t n = 0; n < batch; ++n) {
        for (std::size_t c = 0; c < channels; ++c) {
            const float a = scale[c] / std::sqrt(variance[c] + epsilon);
            const float b = bias[c] - a * mean[c];
            float* plane = y.floats.data() + (n * channels + c) * inner;
            for (std::size_t i = 0; i < inner; ++i)
                plane[i] = a * plane[i] + b;
        }
    }
    return {y};
}

std::string checkBatchNormalization(const OnnxNode& node, int opset)
{
    if (opset >= 14 && node.attrInt("training_mode", 0) != 0)
        return "training_mode=1";
    if (opset < 9 && node.attrInt("spatial", 1) == 0)
        return "spatial=0";
    // Before opset 14 the extra outputs exist only in training.
    for (std::size_t i = 1; i < node.outputs.size(); ++i)
        if (!node.outputs[i].empty())
            return "training outputs";
    return {};
}

std::vector<OnnxTensor> runInstanceNormalization(const OnnxOpContext& ctx)
{
    const OnnxTensor& x = ctx.input(0);
    const std::vector<float> scale = ctx.input(1).toFloats();
    const std::vector<float> bias = ctx.input(2).toFloats();
    const float epsilon = ctx.node.attrFloat("epsilon", 1e-5f);
    if (x.rank() < 3 || scale.size() != static_cast<std::size_t>(x.shape[1]) || bias.size() != scale.size())
        ctx.fail("input " + onnxShapeToString(x.shape) + " does not match scale/B");
    const std::size_t channels = scale.size();
    const std::size_t inner = detail::sizeOfRange(x.shape, 2, x.shape.size());
    OnnxTensor y = OnnxTensor::makeFloat(x.shape, x.toFloats());
    for (std::size_t p = 0; p < static_cast<std::size_t>(x.shape[0]) * channels; ++p) {
        float* plane = y.floats.data() + p * inner;
        double sum = 0.0;
        for (std::size_t i = 0; i < inner; ++i)
            sum += plane[i];
        const double mean = sum / static_cast<double>(inner);
        double squares = 0.0;
        for (std::size_t i = 0; i < inner; ++i)
            squares += (plane[i] - mean) * (plane[i] - mean);
        const double invStd = 1.0 / std::sqrt(squares / static_cast<double>(inner) + epsilon);
        const std::size_t c = p % channels;
        for (std::size_t i = 0; i < inner; ++i)
            plane[i] = static_cast<float>((plane[i] - mean) * invStd * scale[c] + bias[c]);
    }
    return {y};
}

std::vector<OnnxTensor> runLRN(const OnnxOpContext& ctx)
{
    const OnnxTensor& x = ctx.input(0);
    const float alpha = ctx.node.attrFloat("alpha", 1e-4f);
    const float beta = ctx.node.attrFloat("beta", 0.75f);
    const float bias = ctx.node.attrFloat("bias", 1.0f);
    const std::int64_t size = ctx.node.attrInt("size", 1);
    if (x.rank() < 3)
        ctx.fail("input " + onnxShapeToString(x.shape) + " must be (N, C, spatial...)");
    const std::int64_t channels = x.shape[1];
    const std::size_t inner = detail::sizeOfRange(x.shape, 2, x.shape.size());
    const std::vector<float> fx = x.toFloats();
    OnnxTensor y = OnnxTensor::makeFloat(x.shape, fx);
    const std::int64_t before = (size - 1) / 2;
    const std::int64_t after = size - 1 - before;  // ceil((size-1)/2)
    for (std::int64_t n = 0; n < x.shape[0]; ++n)
        for (std::int64_t c = 0; c < channels; ++c)
            for (std::size_t i = 0; i < inner; ++i) {
                float squares = 0.0f;
                for (std::int64_t k = std::max<std::int64_t>(0, c - before); k <= std::min(channels - 1, c + after); ++k) {
                    const float v = fx[static_cast<std::size_t>(n * channels + k) * inner + i];
                    squares += v * v;
                }
                const std::size_t at = static_cast<std::size_t>(n * channels + c) * inner + i;
                y.floats[at] = fx[at] / std::pow(bias + alpha / static_cast<float>(size) * squares, beta);
            }
    return {y};
}

std::vector<OnnxTensor> runLayerNormalization(const OnnxOpContext& ctx)
{
    const OnnxTensor& x = ctx.input(0);
    const auto axis = static_cast<std::size_t>(detail::normalizeAxis(ctx, ctx.node.attrInt("axis", -1), x.rank()));
    const float epsilon = ctx.node.attrFloat("epsilon", 1e-5f);
    const std::size_t outer = detail::sizeOfRange(x.shape, 0, axis);
    const std::size_t inner = detail::sizeOfRange(x.shape, axis, x.shape.size());
    // Scale and B broadcast to the normalized shape x.shape[axis:].
    const OnnxShape normalized(x.shape.begin() + static_cast<std::ptrdiff_t>(axis), x.shape.end());
    auto expand = [&](const OnnxTensor* t, float fallback) {
        std::vector<float> values(inner, fallback);
        if (t == nullptr)
            return values;
        if (detail::broadcastShape(ctx, t->shape, normalized) != normalized)
            ctx.fail("scale/B " + onnxShapeToString(t->shape) + " does not broadcast to " + onnxShapeToString(normalized));
        const std::vector<float> source = t->toFloats();
        const auto strides = detail::broadcastStrides(t->shape, normalized);
        detail::forEachBroadcast(normalized, strides, strides, [&](std::size_t o, std::size_t i, std::size_t) { values[o] = source[i]; });
        return values;
    };
    const std::vector<float> scale = expand(&ctx.input(1), 1.0f);
    const std::vector<float> bias = expand(ctx.optionalInput(2), 0.0f);
    OnnxTensor y = OnnxTensor::makeFloat(x.shape, x.toFloats());
    OnnxShape statsShape = x.shape;
    std::fill(statsShape.begin() + static_cast<std::ptrdiff_t>(axis), statsShape.end(), 1);
    OnnxTensor means = OnnxTensor::makeFloat(statsShape, std::vector<float>(outer));
    OnnxTensor invStd = OnnxTensor::makeFloat(statsShape, std::vector<float>(outer));
    for (std::size_t o = 0; o < outer; ++o) {
        float* row = y.floats.data() + o * inner;
        double sum = 0.0;
        for (std::size_t i = 0; i < inner; ++i)
            sum += row[i];
        const double mean = sum / static_cast<double>(inner);
        double squares = 0.0;
        for (std::size_t i = 0; i < inner; ++i)
            squares += (row[i] - mean) * (row[i] - mean);
        const double inv = 1.0 / std::sqrt(squares / static_cast<double>(inner) + epsilon);
        for (std::size_t i = 0; i < inner; ++i)
            row[i] = static_cast<float>((row[i] - mean) * inv) * scale[i] + bias[i];
        means.floats[o] = static_cast<float>(mean);
        invStd.floats[o] = static_cast<float>(inv);
    }
    return {y, means, invStd};
}

enum class SoftmaxKind { Softmax, LogSoftmax, Hardmax };

std::vector<OnnxTensor> softmax(const OnnxOpContext& ctx, SoftmaxKind kind)
{
    const OnnxTensor& x = ctx.input(0);
    const std::int64_t rank = x.rank();
    // Opset < 13: the input is flattened to 2-D at `axis` (default 1) and the function runs
    // over each row; opset >= 13: over the single `axis` (default -1).
    const bool legacy = ctx.opset < 13;
    const std::int64_t axis = detail::normalizeAxis(ctx, ctx.node.attrInt("axis", legacy ? 1 : -1), rank);
    const std::size_t outer = detail::sizeOfRange(x.shape, 0, static_cast<std::size_t>(axis));
    const std::size_t length = legacy ? detail::sizeOfRange(x.shape, static_cast<std::size_t>(axis), x.shape.size())
                                      : (rank == 0 ? 1 : static_cast<std::size_t>(x.shape[static_cast<std::size_t>(axis)]));
    const std::size_t inner = legacy ? 1 : detail::sizeOfRange(x.shape, static_cast<std::size_t>(axis) + 1, x.shape.size());
    OnnxTensor y = OnnxTensor::makeFloat(x.shape, x.toFloats());
    for (std::size_t o = 0; o < outer; ++o) {
        for (std::size_t i = 0; i < inner; ++i) {
            float* base = y.floats.data() + o * length * inner + i;
            float maximum = -std::numeric_limits<float>::infinity();
            std::size_t argmax = 0;
            for (std::size_t k = 0; k < length; ++k)
                if (base[k * inner] > maximum) {
                    maximum = base[k * inner];
                    argmax = k;
                }
            if (kind == SoftmaxKind::Hardmax) {
                for (std::size_t k = 0; k < length; ++k)
                    base[k * inner] = k == argmax ? 1.0f : 0.0f;
                continue;
            }
            double sum = 0.0;
            for (std::size_t k = 0; k < length; ++k)
                sum += std::exp(static_cast<double>(base[k * inner] - maximum));
            const float logSum = static_cast<float>(std::log(sum));
            for (std::size_t k = 0; k < length; ++k) {
                const float shifted = base[k * inner] - maximum;
                base[k * inner] = kind == SoftmaxKind::LogSoftmax ? shifted - logSum : std::exp(shifted - logSum);
            }
        }
    }
    return {y};
}

std::vector<OnnxTensor> runSoftmax(const OnnxOpContext& ctx) { return softmax(ctx, SoftmaxKind::Softmax); }
std::vector<OnnxTensor> runLogSoftmax(const OnnxOpContext& ctx) { return softmax(ctx, SoftmaxKind::LogSoftmax); }
std::vector<OnnxTensor> runHardmax(const OnnxOpContext& ctx) { return softmax(ctx, SoftmaxKind::Hardmax); }

}  // namespace

void registerOnnxNormalizationOps(OnnxOpRegistry& registry)
{
    registry.add("BatchNormalization", runBatchNormalization, checkBatchNormalization);
    registry.add("InstanceNormalization", runInstanceNormalization);
    registry.add("LRN", runLRN);
    registry.add("LayerNormalization", runLayerNormalization);
    registry.add("Softmax", runSoftmax);
    registry.add("LogSoftmax", runLogSoftmax);
    registry.add("Hardmax", runHardmax);
}

}  // namespace layerlens::core
