#include "core/lab/activation_samples.h"

#include <stdexcept>

namespace layerlens::core {

bool activationHasAlpha(ActivationKind kind)
{
    return kind == ActivationKind::LeakyRelu || kind == ActivationKind::Elu;
}

float defaultActivationAlpha(ActivationKind kind)
{
    switch (kind) {
    case ActivationKind::LeakyRelu: return 0.01f;
    case ActivationKind::Elu: return 1.0f;
    default: return 0.0f;
    }
}

ActivationSamples sampleActivation(ActivationKind kind, float alpha, float xmin, float xmax, int n)
{
    if (kind == ActivationKind::Softmax)
        throw std::invalid_argument("sampleActivation: softmax acts on whole rows and has no plot of one variable");
    if (n < 2)
        throw std::invalid_argument("sampleActivation: need at least 2 points, got " + std::to_string(n));
    if (!(xmax > xmin))
        throw std::invalid_argument("sampleActivation: the range must have xmax > xmin");
    const Activation activation{kind, alpha};
    ActivationSamples s;
    s.x.resize(static_cast<std::size_t>(n));
    s.f.resize(s.x.size());
    s.df.resize(s.x.size());
    const double step = (static_cast<double>(xmax) - xmin) / (n - 1);
    for (int k = 0; k < n; ++k) {
        const auto i = static_cast<std::size_t>(k);
        s.x[i] = k + 1 == n ? xmax : static_cast<float>(xmin + step * k);
        s.f[i] = activation.apply(s.x[i]);
        s.df[i] = activation.derivative(s.x[i]);
    }
    return s;
}

ActivationSamples sampleActivation(const std::string& name, float alpha, float xmin, float xmax, int n)
{
    const auto activation = Activation::fromName(name);
    if (!activation)
        throw std::invalid_argument("sampleActivation: unknown activation \"" + name + "\"");
    return sampleActivation(activation->kind, alpha < 0 ? defaultActivationAlpha(activation->kind) : alpha, xmin, xmax, n);
}

}  // namespace layerlens::core
