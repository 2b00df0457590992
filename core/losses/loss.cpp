#include "core/losses/loss.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <functional>
#include <stdexcept>

#include "core/losses/binary_crossentropy.h"
#include "core/losses/categorical_crossentropy.h"
#include "core/losses/focal_loss.h"
#include "core/losses/huber_loss.h"
#include "core/losses/mean_absolute_error.h"
#include "core/losses/mean_squared_error.h"
#include "core/losses/root_mean_squared_error.h"
#include "core/losses/sigmoid_crossentropy.h"
#include "core/losses/softmax_crossentropy.h"
#include "core/losses/sparse_categorical_crossentropy.h"
#include "core/losses/sum_squared_error.h"

namespace layerlens::core {

namespace {

std::vector<std::string> splitSpec(const std::string& spec)
{
    std::vector<std::string> parts;
    std::string current;
    for (char c : spec) {
        if (c == ':') {
            parts.push_back(current);
            current.clear();
        } else if (!std::isspace(static_cast<unsigned char>(c))) {
            current += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    parts.push_back(current);
    return parts;
}

std::string knownNames()
{
    std::string text;
    for (const auto& name : Loss::names())
        text += (text.empty() ? "" : ", ") + name;
    return text + " (huber:delta, focal:gamma:alpha take parameters)";
}

float parseParameter(const std::string& spec, const std::string& text, const char* what)
{
    float value = 0.0f;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(value))
        throw std::invalid_argument("loss \"" + spec + "\": " + what + " \"" + text + "\" is not a number");
    return value;
}

// Canonical name for a Keras/PyTorch-style alias, or the name itself.
std::string canonicalName(const std::string& name)
{
    static const std::pair<const char*, const char*> aliases[] = {
        {"mean_squared_error", "mse"},
        {"mean_absolute_error", "mae"},
        {"root_mean_squared_error", "rmse"},
        {"sum_squared_error", "sse"},
        {"huber_loss", "huber"},
        {"bce", "binary_crossentropy"},
        {"softmax_crossentropy", "categorical_crossentropy_logits"},
        {"sparse_softmax_crossentropy", "sparse_categorical_crossentropy"},
        {"focal_loss", "focal"},
        {"binary_crossentropy_logits", "sigmoid_crossentropy"},
        {"binary_crossentropy_with_logits", "sigmoid_crossentropy"},
    };
    for (const auto& [alias, canonical] : aliases)
        if (name == alias)
            return canonical;
    return name;
}

}  // namespace

std::vector<std::string> Loss::names()
{
    return {"mse",
            "mae",
            "rmse",
            "sse",
            "huber",
            "binary_crossentropy",
            "categorical_crossentropy",
            "categorical_crossentropy_logits",
            "sparse_categorical_crossentropy",
            "focal",
            "sigmoid_crossentropy"};
}

std::unique_ptr<Loss> Loss::create(const std::string& spec)
{
    const auto parts = splitSpec(spec);
    const std::string name = canonicalName(parts[0]);
    const std::size_t arguments = parts.size() - 1;
    auto expectArguments = [&](std::size_t most) {
        if (arguments > most)
            throw std::invalid_argument("loss \"" + spec + "\": " + name + " takes at most " + std::to_string(most)
                                        + " parameter(s), found " + std::to_string(arguments));
    };

    if (name == "huber") {
        expectArguments(1);
        const float delta = arguments >= 1 ? parseParameter(spec, parts[1], "delta") : 1.0f;
        if (!(delta > 0.0f))
            throw std::invalid_argument("loss \"" + spec + "\": huber delta must be > 0");
        return std::make_unique<HuberLoss>(delta);
    }
    if (name == "focal") {
        expectArguments(2);
        const float gamma = arguments >= 1 ? parseParameter(spec, parts[1], "gamma") : 2.0f;
        const float alpha = arguments >= 2 ? parseParameter(spec, parts[2], "alpha") : 0.25f;
        if (gamma < 0.0f || !(alpha > 0.0f))
            throw std::invalid_argument("loss \"" + spec + "\": focal needs gamma >= 0 and alpha > 0");
        return std::make_unique<FocalLoss>(gamma, alpha);
    }

    static const std::pair<const char*, std::function<std::unique_ptr<Loss>()>> plain[] = {
        {"mse", [] { return std::make_unique<MeanSquaredError>(); }},
        {"mae", [] { return std::make_unique<MeanAbsoluteError>(); }},
        {"rmse", [] { return std::make_unique<RootMeanSquaredError>(); }},
        {"sse", [] { return std::make_unique<SumSquaredError>(); }},
        {"binary_crossentropy", [] { return std::make_unique<BinaryCrossentropy>(); }},
        {"categorical_crossentropy", [] { return std::make_unique<CategoricalCrossentropy>(); }},
        {"categorical_crossentropy_logits", [] { return std::make_unique<SoftmaxCrossentropy>(); }},
        {"sparse_categorical_crossentropy", [] { return std::make_unique<SparseCategoricalCrossentropy>(); }},
        {"sigmoid_crossentropy", [] { return std::make_unique<SigmoidCrossentropy>(); }},
    };
    for (const auto& [known, make] : plain) {
        if (name == known) {
            expectArguments(0);
            return make();
        }
    }
    throw std::invalid_argument("unknown loss \"" + spec + "\"; known losses: " + knownNames());
}

}  // namespace layerlens::core
