#pragma once
// Samples of an element-wise activation and its derivative over an interval, for plots.

#include <string>
#include <vector>

#include "core/activations/activation.h"

namespace layerlens::core {

struct ActivationSamples {
    std::vector<float> x;   // n points from xmin to xmax inclusive, evenly spaced
    std::vector<float> f;   // Activation::apply(x)
    std::vector<float> df;  // Activation::derivative(x)
};

// Throws std::invalid_argument for softmax (not element-wise), n < 2 or xmax <= xmin.
ActivationSamples sampleActivation(ActivationKind kind, float alpha, float xmin, float xmax, int n);
// By name ("relu", "leaky_relu", ...); alpha < 0 takes the function's default.
ActivationSamples sampleActivation(const std::string& name, float alpha, float xmin, float xmax, int n);

// The default alpha of a kind (leaky ReLU 0.01, ELU 1.0) and whether it has one.
bool activationHasAlpha(ActivationKind kind);
float defaultActivationAlpha(ActivationKind kind);

}  // namespace layerlens::core
