#pragma once
// Element-wise activation functions and their derivatives.
// Softmax is the one that is not element-wise: it acts on each row of `featureCount` values.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace layerlens::core {

enum class ActivationKind {
    Linear, Sigmoid, Tanh, Relu, LeakyRelu, HardTanh, HardSigmoid, Elu, Selu,
    Gelu, Silu, Softplus, Softsign, Softmax
};

struct Activation {
    ActivationKind kind = ActivationKind::Linear;
    float alpha = 0.0f;  // leaky ReLU slope (default 0.01), ELU alpha (default 1.0)

    // Parses "relu", "leaky_relu", "leakyrelu", "swish", "hard_sigmoid", ... (Keras names and
    // common aliases, case-insensitive). Returns nullopt for unknown names.
    static std::optional<Activation> fromName(const std::string& name);
    static std::vector<std::string> names();  // canonical names of all kinds
    std::string name() const;                 // canonical: "relu", "leaky_relu", ...

    float apply(float x) const;       // element-wise kinds only
    float derivative(float x) const;  // d f(x) / dx, element-wise kinds only

    // y = f(x) over `count` values laid out as rows of `featureCount` (softmax needs rows).
    void forward(const float* x, float* y, std::size_t count, std::size_t featureCount) const;
    // dx = dy * f'(x); x is the input and y the output of forward().
    void backward(const float* x, const float* y, const float* dy, float* dx, std::size_t count,
                  std::size_t featureCount) const;

    // Whether a unit with this pre-activation value counts as dead (ReLU family: output 0 and
    // no gradient) or saturated (sigmoid/tanh family: derivative below 1% of its maximum).
    bool isDead(float x) const;
    bool isSaturated(float x) const;
};

}  // namespace layerlens::core
