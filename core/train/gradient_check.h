#pragma once
// Analytic gradients against central finite differences, for every layer, activation and loss.
// Used by `layerlens-cli gradcheck` and by the tests.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/tensor.h"

namespace layerlens::core {

struct GradientCheckResult {
    std::string subject;     // "Conv2D 3x3 stride 2 same", "activation elu", "loss huber"
    double maxError = 0;     // max |analytic - numeric| / max(1, |analytic|, |numeric|)
    double tolerance = 0;
    int checkedValues = 0;
    bool passed() const { return maxError <= tolerance; }
};

// Checks dL/d(input) and dL/d(every parameter) of one layer (from its JSON description) for
// L = sum(output * R) with a fixed random R. Samples up to maxChecks values per tensor.
GradientCheckResult checkLayerGradient(const nlohmann::json& layer, const Shape& inputShape, int batch,
                                       unsigned seed, int maxChecks = 60);
GradientCheckResult checkActivationGradient(const std::string& activation, unsigned seed);
GradientCheckResult checkLossGradient(const std::string& loss, unsigned seed);

// The standard battery: every layer type in several configurations, every activation, every loss.
std::vector<GradientCheckResult> runAllGradientChecks(unsigned seed = 1);

}  // namespace layerlens::core
