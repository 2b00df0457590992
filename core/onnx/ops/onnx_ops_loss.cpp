// Loss operators that appear in exported training graphs: NegativeLogLikelihoodLoss and
// SoftmaxCrossEntropyLoss (reductions none/sum/mean, class weights, ignore_index).

#include <cmath>
#include <algorithm>
#include <limits>

#include "core/onnx/ops/onnx_op_registry.h"
#include "core/onnx/ops/onnx_op_utils.h"

namespace layerlens::core {

namespace {

// logProbabilities: (N, C, d1..dk) flattened; targets: (N, d1..dk).
OnnxTensor negativeLogLikelihood(const OnnxOpContext& ctx, const OnnxShape& inputShape, const std::vector<float>& logProbabilities,
                                 const OnnxTensor& targetTensor, const OnnxTensor* weightTensor)
{
    if (inputShape.size() < 2)
        ctx.fail("input must be (N, C, ...)");
    const std::int64_t classes = inputShape[1];
    const std::size_t batch = static_cast<std::size_t>(inputShape[0]);
    const std::size_t inner = detail::sizeOfRange(inputShape, 2, inputShape.size());
    const std::vector<std::int64_t> targets = targetTensor.toInts();
    if (targets.size() != batch * inner)
        ctx.fail("target " + onnxShapeToString(targetTensor.shape) + " does not match input " + onnxShapeToString(inputShape));
    const std::vector<float> weights = weightTensor != nullptr ? weightTensor->toFloats() : std::vector<float>{};
    const bool hasIgnore = ctx.node.has("ignore_index");
    const std::int64_t ignore = ctx.node.attrInt("ignore_index", 0);
    const std::string reduction = ctx.node.attrString("reduction", "mean");
    std::vector<float> losses(targets.size(), 0.0f);
    double weightSum = 0.0;
    for (std::size_t n = 0; n < batch; ++n)
        for (std::size_t i = 0; i < inner; ++i) {
            const std::int64_t t = targets[n * inner + i];
            if (hasIgnore && t == ignore)
                continue;
            if (t < 0 || t >= classes)
                ctx.fail("target " + std::to_string(t) + " is not a class index below " + std::to_string(classes));
            const float w = weights.empty() ? 1.0f : weights[static_cast<std::size_t>(t)];
            losses[n * inner + i] = -logProbabilities[(n * static_cast<std::size_t>(classes) + static_cast<std::size_t>(t)) * inner + i] * w;
            weightSum += w;
        }
    if (reduction == "none")
        return OnnxTensor::makeFloat(targetTensor.shape, std::move(losses));
    double sum = 0.0;
    for (const float l : losses)
        sum += l;
    if (reduction == "mean")
        sum = weightSum != 0.0 ? sum / weightSum : 0.0;
    else if (reduction != "sum")
        ctx.fail("unknown reduction '" + reduction + "'");
    return OnnxTensor::makeFloat({}, {static_cast<float>(sum)});
}

std::vector<OnnxTensor> runNegativeLogLikelihoodLoss(const OnnxOpContext& ctx)
{
    const OnnxTensor& input = ctx.input(0);
    return {negativeLogLikelihood(ctx, input.shape, input.toFloats(), ctx.input(1), ctx.optionalInput(2))};
}

std::vector<OnnxTensor> runSoftmaxCrossEntropyLoss(const OnnxOpContext& ctx)
{
    const OnnxTensor& scores = ctx.input(0);
    if (scores.rank() < 2)
        ctx.fail("scores must be (N, C, ...)");
    const std::size_t batch = static_cast<std::size_t>(scores.shape[0]);
    const std::size_t classes = static_cast<std::size_t>(scores.shape[1]);
    const std::size_t inner = detail::sizeOfRange(scores.shape, 2, scores.shape.size());
    std::vector<float> logProbabilities = scores.toFloats();
    for (std::size_t n = 0; n < batch; ++n)
        for (std::size_t i = 0; i < inner; ++i) {
            float maximum = -std::numeric_limits<float>::infinity();
            for (std::size_t c = 0; c < classes; ++c)
                maximum = std::max(maximum, logProbabilities[(n * classes + c) * inner + i]);
            double sum = 0.0;
            for (std::size_t c = 0; c < classes; ++c)
                sum += std::exp(static_cast<double>(logProbabilities[(n * classes + c) * inner + i] - maximum));
            const float logSum = static_cast<float>(std::log(sum)) + maximum;
            for (std::size_t c = 0; c < classes; ++c)
                logProbabilities[(n * classes + c) * inner + i] -= logSum;
        }
    OnnxTensor loss = negativeLogLikelihood(ctx, scores.shape, logProbabilities, ctx.input(1), ctx.optionalInput(2));
    return {loss, OnnxTensor::makeFloat(scores.shape, std::move(logProbabilities))};
}

}  // namespace

void registerOnnxLossOps(OnnxOpRegistry& registry)
{
    registry.add("NegativeLogLikelihoodLoss", runNegativeLogLikelihoodLoss);
    registry.add("SoftmaxCrossEntropyLoss", runSoftmaxCrossEntropyLoss);
}

}  // namespace layerlens::core
