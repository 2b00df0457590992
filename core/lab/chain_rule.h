#pragma once
// The chain rule for one Dense weight, with the actual numbers of the latest forward and
// backward pass:
//   dL/dw_ji = sum over the batch of dL/da_j · da_j/dz_j · dz_j/dw_ji,   dz_j/dw_ji = a_i
// where z = x W^T + b is the Dense output, a_i the Dense layer's input i, and a_j = f(z_j) the
// output of the Activation layer that follows (f' = 1 when none does). The loss is the batch
// mean, so each dL/da already carries the 1/N of the loss gradient.

#include <optional>
#include <string>
#include <vector>

#include "core/activations/activation.h"
#include "core/layers/activation_layer.h"
#include "core/model/model.h"

namespace layerlens::core {

struct ChainRuleTerm {
    int sample = 0;
    float dLda = 0;     // dL/da_j for this sample
    float dadz = 0;     // da_j/dz_j = f'(z_j)
    float dLdz = 0;     // dL/dz_j = dLda · dadz
    float input = 0;    // dz_j/dw_ji = a_i (1 for the bias)
    double product = 0; // dLda · dadz · input
};

struct ChainRule {
    int layer = -1;            // index of the Dense layer in the model
    int unit = -1;             // j: the unit (row of the kernel)
    int input = -1;            // i: the input (column of the kernel); -1 explains the bias b_j
    int activationLayer = -1;  // the Activation/Softmax layer after it, -1 if none
    std::string activationName = "linear";
    bool elementWise = true;   // false after a softmax: then dL/dz is the engine's and da/dz = dL/dz / dL/da
    float weight = 0;          // current value of w_ji (or b_j)
    std::vector<ChainRuleTerm> terms;  // one per sample of the batch
    double total = 0;          // sum of the products
    float engine = 0;          // the engine's gradient (Parameter::grad) for the same weight

    double relativeError() const;  // |total - engine| / max(|engine|, 1e-12)
    // "dL/dw = dL/da · da/dz · dz/dw = 0.1234 · 0.25 · 0.731 = 0.0225 (engine: 0.0225)"; for a
    // batch, one such line per sample (at most maxLines) and the sum.
    std::string text(int maxLines = 8) const;
};

// Explains kernel[unit][input] (input = -1: bias[unit]) of Dense layer `layer` after a forward
// and backward pass (full or layer by layer). Throws std::invalid_argument for a layer that is
// not Dense or indices out of range, std::logic_error when the backward pass has not reached it.
ChainRule explainDenseWeight(const Model& model, int layer, int unit, int input);

// "0.1234", "-2.5e-05": 4 significant digits, the way the lab prints numbers.
std::string formatLabNumber(double value);

}  // namespace layerlens::core
