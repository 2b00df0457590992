#include "core/train/gradient_check.h"

#include <algorithm>
#include <cmath>

#include "core/activations/activation.h"
#include "core/losses/loss.h"
#include "core/model/layer_factory.h"
#include "core/rng.h"

namespace layerlens::core {

namespace {

// Step and tolerance for float32 central differences: the truncation error is O(h^2) and the
// rounding error O(eps_float / h); h = 1e-2 on values of order one balances the two.
constexpr float kStep = 1e-2f;
constexpr double kTolerance = 2e-2;

double weightedSum(const Tensor& out, const Tensor& weights)
{
    double sum = 0;
    for (std::size_t i = 0; i < out.size(); ++i)
        sum += static_cast<double>(out[i]) * weights[i];
    return sum;
}

double relativeError(double analytic, double numeric)
{
    return std::abs(analytic - numeric) / std::max({1.0, std::abs(analytic), std::abs(numeric)});
}

std::vector<std::size_t> sampleIndices(std::size_t size, int maxChecks, Rng& rng)
{
    std::vector<std::size_t> indices;
    if (size <= static_cast<std::size_t>(maxChecks)) {
        for (std::size_t i = 0; i < size; ++i)
            indices.push_back(i);
    } else {
        for (int i = 0; i < maxChecks; ++i)
            indices.push_back(static_cast<std::size_t>(rng.uniformInt(static_cast<int>(size))));
    }
    return indices;
}

}  // namespace

GradientCheckResult checkLayerGradient(const nlohmann::json& description, const Shape& inputShape, int batch,
                                       unsigned seed, int maxChecks)
{
    GradientCheckResult result;
    result.subject = description.dump();
    result.tolerance = kTolerance;
    auto layers = createLayers(description);
    Layer& layer = *layers.front();
    Rng rng(seed);
    layer.build(inputShape, rng);
    Rng dropoutRng(seed + 7);
    layer.setRng(&dropoutRng);
    Shape batchShape = inputShape;
    batchShape.insert(batchShape.begin(), batch);
    Tensor input(batchShape);
    // Distinct, well separated values keep max-pooling and ReLU away from ties and kinks.
    for (std::size_t i = 0; i < input.size(); ++i)
        input[i] = rng.uniform(-1.0f, 1.0f);
    // Batch norm in training mode is the interesting case; dropout must use a fixed mask, so it
    // is checked in inference mode (identity) plus its own mask test.
    const bool training = layer.type() != "Dropout";
    Tensor output, gradInput;
    layer.forward(input, output, training);
    Tensor weights(output.shape());
    for (std::size_t i = 0; i < weights.size(); ++i)
        weights[i] = rng.uniform(-1.0f, 1.0f);
    layer.backward(input, output, weights, gradInput);
    std::vector<Tensor> paramGrads;
    for (Parameter* p : layer.parameters())
        paramGrads.push_back(p->grad);

    auto lossAt = [&]() {
        Tensor out;
        layer.forward(input, out, training);
        return weightedSum(out, weights);
    };
    auto probe = [&](Tensor& values, const Tensor& analytic) {
        for (std::size_t i : sampleIndices(values.size(), maxChecks, rng)) {
            const float saved = values[i];
            values[i] = saved + kStep;
            const double plus = lossAt();
            values[i] = saved - kStep;
            const double minus = lossAt();
            values[i] = saved;
            const double numeric = (plus - minus) / (2.0 * kStep);
            result.maxError = std::max(result.maxError, relativeError(analytic[i], numeric));
            ++result.checkedValues;
        }
    };
    probe(input, gradInput);
    auto params = layer.parameters();
    for (std::size_t p = 0; p < params.size(); ++p)
        probe(params[p]->value, paramGrads[p]);
    return result;
}

GradientCheckResult checkActivationGradient(const std::string& name, unsigned seed)
{
    GradientCheckResult result;
    result.subject = "activation " + name;
    result.tolerance = kTolerance;
    auto activation = Activation::fromName(name);
    if (!activation)
        throw std::invalid_argument("unknown activation " + name);
    Rng rng(seed);
    const std::size_t rows = 4, features = 5, count = rows * features;
    std::vector<float> x(count), y(count), dy(count), dx(count);
    for (auto& v : x) {
        do {
            v = rng.uniform(-3.0f, 3.0f);
        } while (std::abs(v) < 0.05f || std::abs(std::abs(v) - 1.0f) < 0.05f || std::abs(std::abs(v) - 2.5f) < 0.05f);
    }
    for (auto& v : dy)
        v = rng.uniform(-1.0f, 1.0f);
    activation->forward(x.data(), y.data(), count, features);
    activation->backward(x.data(), y.data(), dy.data(), dx.data(), count, features);
    auto lossAt = [&] {
        std::vector<float> out(count);
        activation->forward(x.data(), out.data(), count, features);
        double s = 0;
        for (std::size_t i = 0; i < count; ++i)
            s += static_cast<double>(out[i]) * dy[i];
        return s;
    };
    const float step = 1e-2f;
    for (std::size_t i = 0; i < count; ++i) {
        const float saved = x[i];
        x[i] = saved + step;
        const double plus = lossAt();
        x[i] = saved - step;
        const double minus = lossAt();
        x[i] = saved;
        result.maxError = std::max(result.maxError, relativeError(dx[i], (plus - minus) / (2.0 * step)));
        ++result.checkedValues;
    }
    return result;
}

GradientCheckResult checkLossGradient(const std::string& name, unsigned seed)
{
    GradientCheckResult result;
    result.subject = "loss " + name;
    result.tolerance = kTolerance;
    auto loss = Loss::create(name);
    Rng rng(seed);
    const int n = 4, k = 3;
    Tensor prediction({n, k}), target;
    if (loss->wantsClassIndices()) {
        target = Tensor({n});
        for (int i = 0; i < n; ++i)
            target[static_cast<std::size_t>(i)] = static_cast<float>(rng.uniformInt(k));
    } else {
        target = Tensor({n, k});
    }
    const bool probabilities = !loss->expectsLogits() && (name.find("crossentropy") != std::string::npos);
    const bool oneHot = name.find("categorical") != std::string::npos || name.rfind("focal", 0) == 0;
    for (int i = 0; i < n; ++i) {
        float rowSum = 0;
        const int hot = rng.uniformInt(k);
        for (int j = 0; j < k; ++j) {
            const auto idx = static_cast<std::size_t>(i * k + j);
            prediction[idx] = probabilities ? rng.uniform(0.1f, 0.9f) : rng.uniform(-2.0f, 2.0f);
            rowSum += prediction[idx];
            if (!loss->wantsClassIndices())
                target[idx] = oneHot ? (j == hot ? 1.0f : 0.0f)
                    : (name.find("binary") != std::string::npos || name.find("sigmoid") != std::string::npos)
                        ? static_cast<float>(rng.uniformInt(2))
                        : rng.uniform(-2.0f, 2.0f);
        }
        if (probabilities && name.find("categorical") != std::string::npos)
            for (int j = 0; j < k; ++j)
                prediction[static_cast<std::size_t>(i * k + j)] /= rowSum;
    }
    Tensor gradient;
    loss->gradient(prediction, target, gradient);
    const float step = 1e-3f;
    for (std::size_t i = 0; i < prediction.size(); ++i) {
        const float saved = prediction[i];
        prediction[i] = saved + step;
        const double plus = loss->value(prediction, target);
        prediction[i] = saved - step;
        const double minus = loss->value(prediction, target);
        prediction[i] = saved;
        result.maxError = std::max(result.maxError, relativeError(gradient[i], (plus - minus) / (2.0 * step)));
        ++result.checkedValues;
    }
    return result;
}

std::vector<GradientCheckResult> runAllGradientChecks(unsigned seed)
{
    using nlohmann::json;
    std::vector<GradientCheckResult> results;
    const std::vector<std::pair<json, Shape>> layers = {
        {{{"type", "Dense"}, {"units", 4}}, {5}},
        {{{"type", "Dense"}, {"units", 3}, {"use_bias", false}}, {6}},
        {{{"type", "Conv2D"}, {"filters", 3}, {"kernel_size", 3}, {"padding", "same"}}, {2, 6, 6}},
        {{{"type", "Conv2D"}, {"filters", 2}, {"kernel_size", 3}, {"strides", 2}, {"padding", "valid"}}, {2, 7, 7}},
        {{{"type", "Conv2D"}, {"filters", 2}, {"kernel_size", 3}, {"dilation", 2}, {"padding", "same"}, {"use_bias", false}}, {1, 7, 7}},
        {{{"type", "MaxPool2D"}, {"pool_size", 2}}, {2, 6, 6}},
        {{{"type", "AvgPool2D"}, {"pool_size", 3}, {"strides", 2}, {"padding", "same"}}, {2, 7, 7}},
        {{{"type", "GlobalAveragePool"}}, {3, 4, 4}},
        {{{"type", "Flatten"}}, {2, 3, 3}},
        {{{"type", "Reshape"}, {"target_shape", {9, 2}}}, {2, 3, 3}},
        {{{"type", "Dropout"}, {"rate", 0.5}}, {8}},
        {{{"type", "BatchNorm"}}, {6}},
        {{{"type", "BatchNorm"}}, {2, 3, 3}},
        {{{"type", "Softmax"}}, {5}},
    };
    for (const auto& [description, shape] : layers)
        results.push_back(checkLayerGradient(description, shape, 3, seed));
    for (const auto& name : Activation::names())
        results.push_back(checkActivationGradient(name, seed));
    for (const auto& name : Loss::names())
        results.push_back(checkLossGradient(name, seed));
    return results;
}

}  // namespace layerlens::core
