#include "core/activations/activation.h"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <cmath>
#include <stdexcept>
#include <utility>

#include <Eigen/Core>
#include <unsupported/Eigen/SpecialFunctions>

namespace layerlens::core {

namespace {

// SELU constants from Klambauer et al. 2017, as PyTorch and Keras use them.
constexpr float kSeluAlpha = 1.6732632423543772848170429916717f;
constexpr float kSeluScale = 1.0507009873554804934193349852946f;
constexpr float kInvSqrt2 = 0.70710678118654752440f;
constexpr float kInvSqrt2Pi = 0.39894228040143267794f;  // 1 / sqrt(2 pi)

constexpr float kDefaultLeakyAlpha = 0.01f;
constexpr float kDefaultEluAlpha = 1.0f;

// Keras 2 hard_sigmoid: clip(0.2 x + 0.5, 0, 1). (Keras 3 and PyTorch use x/6 + 0.5; we keep the
// Keras 2 slope because LayerLens imports Keras 2 models, whose weights were trained with it.)
constexpr float kHardSigmoidSlope = 0.2f;
constexpr float kHardSigmoidEdge = 2.5f;  // |x| beyond which hard_sigmoid is flat

using ArrayMap = Eigen::Map<Eigen::ArrayXf>;
using ConstArrayMap = Eigen::Map<const Eigen::ArrayXf>;

float sigmoidOf(float x) { return 1.0f / (1.0f + std::exp(-x)); }

// log(1 + e^x) without overflow for large x and without losing precision for very negative x.
float softplusOf(float x) { return std::max(x, 0.0f) + std::log1p(std::exp(-std::abs(x))); }

// s(x) (1 - s(x)) and 1 - tanh(x)^2 written with e = exp(-|x|), so that the tails keep their
// relative precision (1 - y loses all digits once y rounds to 1 in float).
float sigmoidDerivative(float x)
{
    const float e = std::exp(-std::abs(x));
    const float d = 1.0f + e;
    return e / (d * d);
}
float tanhDerivative(float x)
{
    const float e = std::exp(-2.0f * std::abs(x));
    const float d = 1.0f + e;
    return 4.0f * e / (d * d);
}

// Exact (erf) GELU as PyTorch's default. Phi(x) is taken as erfc(-x / sqrt 2) / 2, not
// (1 + erf(x / sqrt 2)) / 2: the latter cancels to nothing for x below about -4 in float.
float normalCdf(float x) { return 0.5f * std::erfc(-x * kInvSqrt2); }
float geluOf(float x) { return x * normalCdf(x); }
float geluDerivative(float x) { return normalCdf(x) + x * kInvSqrt2Pi * std::exp(-0.5f * x * x); }

std::string lowered(const std::string& text)
{
    std::string out = text;
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    // Tolerate surrounding blanks from hand-written JSON or UI fields.
    const auto first = out.find_first_not_of(" \t");
    if (first == std::string::npos)
        return {};
    const auto last = out.find_last_not_of(" \t");
    return out.substr(first, last - first + 1);
}

// alpha == 0 means "not set" for the two kinds that have a parameter, so a default-constructed
// Activation{LeakyRelu} behaves like Keras' LeakyReLU() rather than like ReLU.
float leakyAlpha(float alpha) { return alpha == 0.0f ? kDefaultLeakyAlpha : alpha; }
float eluAlpha(float alpha) { return alpha == 0.0f ? kDefaultEluAlpha : alpha; }

struct NamedKind {
    const char* name;
    ActivationKind kind;
};

// Canonical names first (in enum order); aliases after. names() returns the canonical ones.
constexpr NamedKind kCanonical[] = {
    {"linear", ActivationKind::Linear},       {"sigmoid", ActivationKind::Sigmoid},
    {"tanh", ActivationKind::Tanh},           {"relu", ActivationKind::Relu},
    {"leaky_relu", ActivationKind::LeakyRelu}, {"hard_tanh", ActivationKind::HardTanh},
    {"hard_sigmoid", ActivationKind::HardSigmoid}, {"elu", ActivationKind::Elu},
    {"selu", ActivationKind::Selu},           {"gelu", ActivationKind::Gelu},
    {"silu", ActivationKind::Silu},           {"softplus", ActivationKind::Softplus},
    {"softsign", ActivationKind::Softsign},   {"softmax", ActivationKind::Softmax},
};

constexpr NamedKind kAliases[] = {
    {"identity", ActivationKind::Linear},    {"none", ActivationKind::Linear},
    {"logistic", ActivationKind::Sigmoid},   {"leakyrelu", ActivationKind::LeakyRelu},
    {"hardtanh", ActivationKind::HardTanh},  {"hardsigmoid", ActivationKind::HardSigmoid},
    {"swish", ActivationKind::Silu},
};

}  // namespace

std::optional<Activation> Activation::fromName(const std::string& name)
{
    const std::string key = lowered(name);
    auto make = [](ActivationKind kind) {
        Activation activation;
        activation.kind = kind;
        if (kind == ActivationKind::LeakyRelu)
            activation.alpha = kDefaultLeakyAlpha;
        else if (kind == ActivationKind::Elu)
            activation.alpha = kDefaultEluAlpha;
        return activation;
    };
    for (const auto& entry : kCanonical)
        if (key == entry.name)
            return make(entry.kind);
    for (const auto& entry : kAliases)
        if (key == entry.name)
            return make(entry.kind);
    return std::nullopt;
}

std::vector<std::string> Activation::names()
{
    std::vector<std::string> out;
    for (const auto& entry : kCanonical)
        out.emplace_back(entry.name);
    return out;
}

std::string Activation::name() const
{
    for (const auto& entry : kCanonical)
        if (entry.kind == kind)
            return entry.name;
    return "linear";
}


float Activation::apply(float x) const
{
    switch (kind) {
    case ActivationKind::Linear: return x;
    case ActivationKind::Sigmoid: return sigmoidOf(x);
    case ActivationKind::Tanh: return std::tanh(x);
    case ActivationKind::Relu: return x > 0.0f ? x : 0.0f;
    case ActivationKind::LeakyRelu: return x > 0.0f ? x : leakyAlpha(alpha) * x;
    case ActivationKind::HardTanh: return std::clamp(x, -1.0f, 1.0f);
    case ActivationKind::HardSigmoid: return std::clamp(kHardSigmoidSlope * x + 0.5f, 0.0f, 1.0f);
    case ActivationKind::Elu: return x > 0.0f ? x : eluAlpha(alpha) * std::expm1(x);
    case ActivationKind::Selu: return kSeluScale * (x > 0.0f ? x : kSeluAlpha * std::expm1(x));
    case ActivationKind::Gelu: return geluOf(x);
    case ActivationKind::Silu: return x * sigmoidOf(x);
    case ActivationKind::Softplus: return softplusOf(x);
    case ActivationKind::Softsign: return x / (1.0f + std::abs(x));
    case ActivationKind::Softmax: break;
    }
    throw std::logic_error("Activation::apply: softmax is not element-wise; use forward() over rows");
}

float Activation::derivative(float x) const
{
    switch (kind) {
    case ActivationKind::Linear: return 1.0f;
    case ActivationKind::Sigmoid: return sigmoidDerivative(x);
    case ActivationKind::Tanh: return tanhDerivative(x);
    // At the kinks we take the same one-sided values as PyTorch: relu'(0) = 0, hardtanh'(+-1) = 0.
    case ActivationKind::Relu: return x > 0.0f ? 1.0f : 0.0f;
    case ActivationKind::LeakyRelu: return x > 0.0f ? 1.0f : leakyAlpha(alpha);
    case ActivationKind::HardTanh: return (x > -1.0f && x < 1.0f) ? 1.0f : 0.0f;
    case ActivationKind::HardSigmoid:
        return (x > -kHardSigmoidEdge && x < kHardSigmoidEdge) ? kHardSigmoidSlope : 0.0f;
    case ActivationKind::Elu: return x > 0.0f ? 1.0f : eluAlpha(alpha) * std::exp(x);
    case ActivationKind::Selu: return kSeluScale * (x > 0.0f ? 1.0f : kSeluAlpha * std::exp(x));
    case ActivationKind::Gelu: return geluDerivative(x);
    case ActivationKind::Silu: {
        const float s = sigmoidOf(x);
        return s * (1.0f + x * (1.0f - s));
    }
    case ActivationKind::Softplus: return sigmoidOf(x);
    case ActivationKind::Softsign: {
        const float d = 1.0f + std::abs(x);
        return 1.0f / (d * d);
    }
    case ActivationKind::Softmax: break;
    }
    throw std::logic_error("Activation::derivative: softmax is not element-wise; use backward() over rows");
}

// Speed notes. Eigen 3.4 vectorizes exp, expm1, log1p, tanh and (fast-math) erf, but not
// select(); GCC vectorizes plain ternary loops but not calls to std::exp. So piecewise functions
// are plain loops, and piecewise functions that need an exp compute it with Eigen into a small
// stack chunk first and blend in a plain loop. Chunking also keeps forward/backward correct when
// called in place (y == x, dx == dy): every value is read before its slot is written.
namespace {
constexpr std::size_t kChunk = 256;

template <typename Function>
void forEachChunk(std::size_t count, Function&& function)
{
    for (std::size_t begin = 0; begin < count; begin += kChunk)
        function(begin, std::min(kChunk, count - begin));
}

// Below this, Phi(x) = (1 + erf(x / sqrt 2)) / 2 has lost too many digits to cancellation, and the
// (rare) values take the scalar erfc path instead.
constexpr float kGeluErfLimit = -2.0f;

// Phi(x) for a chunk: vectorized erf, then erfc for the far-negative values.
void normalCdfChunk(const float* x, float* phi, std::size_t n)
{
    ConstArrayMap in(x, static_cast<Eigen::Index>(n));
    ArrayMap out(phi, static_cast<Eigen::Index>(n));
    out = 0.5f * (1.0f + (in * kInvSqrt2).erf());
    for (std::size_t i = 0; i < n; ++i)
        if (x[i] < kGeluErfLimit)
            phi[i] = normalCdf(x[i]);
}
}  // namespace

void Activation::forward(const float* x, float* y, std::size_t count, std::size_t featureCount) const
{
    const auto n = static_cast<Eigen::Index>(count);
    ConstArrayMap in(x, n);
    ArrayMap out(y, n);
    switch (kind) {
    case ActivationKind::Linear:
        if (x != y)
            out = in;
        return;
    case ActivationKind::Sigmoid: out = (1.0f + (-in).exp()).inverse(); return;
    case ActivationKind::Tanh: out = in.tanh(); return;
    case ActivationKind::Relu: out = in.max(0.0f); return;
    case ActivationKind::LeakyRelu: {
        const float a = leakyAlpha(alpha);
        for (std::size_t i = 0; i < count; ++i)
            y[i] = x[i] > 0.0f ? x[i] : a * x[i];
        return;
    }
    case ActivationKind::HardTanh: out = in.max(-1.0f).min(1.0f); return;
    case ActivationKind::HardSigmoid: out = (kHardSigmoidSlope * in + 0.5f).max(0.0f).min(1.0f); return;
    case ActivationKind::Elu:
    case ActivationKind::Selu: {
        const float a = kind == ActivationKind::Elu ? eluAlpha(alpha) : kSeluAlpha;
        const float scale = kind == ActivationKind::Elu ? 1.0f : kSeluScale;
        // max(x, 0) + a expm1(min(x, 0)) is x or a (e^x - 1) with no branch; expm1 keeps the
        // precision near 0 that e^x - 1 would lose.
        out = scale * (in.max(0.0f) + a * in.min(0.0f).expm1());
        return;
    }
    case ActivationKind::Gelu:
        forEachChunk(count, [&](std::size_t begin, std::size_t size) {
            float phi[kChunk];
            normalCdfChunk(x + begin, phi, size);
            for (std::size_t i = 0; i < size; ++i)
                y[begin + i] = x[begin + i] * phi[i];
        });
        return;
    case ActivationKind::Silu: out = in * (1.0f + (-in).exp()).inverse(); return;
    case ActivationKind::Softplus: out = in.max(0.0f) + ((-in.abs()).exp()).log1p(); return;
    case ActivationKind::Softsign: out = in / (1.0f + in.abs()); return;
    case ActivationKind::Softmax: {
        assert(featureCount > 0 && count % featureCount == 0);
        if (featureCount == 0)
            return;
        const auto k = static_cast<Eigen::Index>(featureCount);
        for (std::size_t row = 0; row < count; row += featureCount) {
            ConstArrayMap r(x + row, k);
            ArrayMap o(y + row, k);
            const float shift = r.maxCoeff();  // exp of (x - max) never overflows
            o = (r - shift).exp();
            o *= 1.0f / o.sum();
        }
        return;
    }
    }
}

void Activation::backward(const float* x, const float* y, const float* dy, float* dx, std::size_t count,
                          std::size_t featureCount) const
{
    const auto n = static_cast<Eigen::Index>(count);
    ConstArrayMap in(x, n), g(dy, n);
    ArrayMap d(dx, n);
    switch (kind) {
    case ActivationKind::Linear:
        if (dy != dx)
            d = g;
        return;
    // Sigmoid and tanh from x, not as y (1 - y) and 1 - y^2: see sigmoidDerivative().
    case ActivationKind::Sigmoid: {
        const auto e = (-in.abs()).exp();
        d = g * e / (1.0f + e).square();
        return;
    }
    case ActivationKind::Tanh: {
        const auto e = (-2.0f * in.abs()).exp();
        d = g * 4.0f * e / (1.0f + e).square();
        return;
    }
    case ActivationKind::Relu:
        for (std::size_t i = 0; i < count; ++i)
            dx[i] = x[i] > 0.0f ? dy[i] : 0.0f;
        return;
    case ActivationKind::LeakyRelu: {
        const float a = leakyAlpha(alpha);
        for (std::size_t i = 0; i < count; ++i)
            dx[i] = x[i] > 0.0f ? dy[i] : a * dy[i];
        return;
    }
    case ActivationKind::HardTanh:
        for (std::size_t i = 0; i < count; ++i)
            dx[i] = (x[i] > -1.0f && x[i] < 1.0f) ? dy[i] : 0.0f;
        return;
    case ActivationKind::HardSigmoid:
        for (std::size_t i = 0; i < count; ++i)
            dx[i] = (x[i] > -kHardSigmoidEdge && x[i] < kHardSigmoidEdge) ? kHardSigmoidSlope * dy[i] : 0.0f;
        return;
    case ActivationKind::Elu:
    case ActivationKind::Selu: {
        const float a = kind == ActivationKind::Elu ? eluAlpha(alpha) : kSeluAlpha;
        const float scale = kind == ActivationKind::Elu ? 1.0f : kSeluScale;
        // a e^x from x, not as y + a: that cancels to 0 once y rounds to -a in the far tail.
        forEachChunk(count, [&](std::size_t begin, std::size_t size) {
            float slope[kChunk];
            ArrayMap(slope, static_cast<Eigen::Index>(size)) =
                (scale * a) * ConstArrayMap(x + begin, static_cast<Eigen::Index>(size)).min(0.0f).exp();
            for (std::size_t i = 0; i < size; ++i)
                dx[begin + i] = x[begin + i] > 0.0f ? scale * dy[begin + i] : slope[i] * dy[begin + i];
        });
        return;
    }
    case ActivationKind::Gelu:
        forEachChunk(count, [&](std::size_t begin, std::size_t size) {
            float phi[kChunk], density[kChunk];
            const auto m = static_cast<Eigen::Index>(size);
            normalCdfChunk(x + begin, phi, size);
            ConstArrayMap xs(x + begin, m);
            ArrayMap(density, m) = kInvSqrt2Pi * (-0.5f * xs.square()).exp();
            for (std::size_t i = 0; i < size; ++i)
                dx[begin + i] = dy[begin + i] * (phi[i] + x[begin + i] * density[i]);
        });
        return;
    case ActivationKind::Silu: {
        // s (1 + x (1 - s)) with s = sigmoid(x); the expression evaluates s twice, which as two
        // vectorized exps is still cheaper than one scalar std::exp per value.
        const auto s = (1.0f + (-in).exp()).inverse();
        d = g * s * (1.0f + in * (1.0f - s));
        return;
    }
    case ActivationKind::Softplus: d = g * (1.0f + (-in).exp()).inverse(); return;
    case ActivationKind::Softsign: d = g * (1.0f + in.abs()).square().inverse(); return;
    case ActivationKind::Softmax: {
        (void)y;
        assert(featureCount > 0 && count % featureCount == 0);
        if (featureCount == 0)
            return;
        const auto k = static_cast<Eigen::Index>(featureCount);
        for (std::size_t row = 0; row < count; row += featureCount) {
            ConstArrayMap yr(y + row, k), gr(dy + row, k);
            ArrayMap dr(dx + row, k);
            const float dot = (gr * yr).sum();  // read before writing: dx may alias dy
            dr = yr * (gr - dot);
        }
        return;
    }
    }
}

bool Activation::isDead(float x) const
{
    // Dead = no gradient flows back at all (derivative exactly zero), so the unit cannot recover.
    switch (kind) {
    case ActivationKind::Relu:
    case ActivationKind::HardTanh:
    case ActivationKind::HardSigmoid: return derivative(x) == 0.0f;
    default: return false;
    }
}

bool Activation::isSaturated(float x) const
{
    // Saturated = derivative below 1% of the function's largest derivative (flat tails).
    switch (kind) {
    case ActivationKind::Sigmoid: return derivative(x) < 0.01f * 0.25f;
    case ActivationKind::Tanh:
    case ActivationKind::HardTanh:
    case ActivationKind::Softsign: return derivative(x) < 0.01f;
    case ActivationKind::HardSigmoid: return derivative(x) < 0.01f * kHardSigmoidSlope;
    default: return false;
    }
}

}  // namespace layerlens::core
