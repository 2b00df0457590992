#include "core/lab/chain_rule.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace layerlens::core {

std::string formatLabNumber(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.4g", value);
    return text;
}

double ChainRule::relativeError() const
{
    return std::abs(total - static_cast<double>(engine)) / std::max(std::abs(static_cast<double>(engine)), 1e-12);
}

std::string ChainRule::text(int maxLines) const
{
    const std::string weightName = input < 0 ? "b" : "w";
    const std::string lhs = "dL/d" + weightName;
    const std::string chain = lhs + " = dL/da · da/dz · dz/d" + weightName;
    auto line = [](const ChainRuleTerm& t) {
        return formatLabNumber(t.dLda) + " · " + formatLabNumber(t.dadz) + " · " + formatLabNumber(t.input) + " = "
            + formatLabNumber(t.product);
    };
    std::string out;
    out += (input < 0 ? "bias b[" + std::to_string(unit) + "]"
                      : "weight w[" + std::to_string(unit) + "][" + std::to_string(input) + "] (input " + std::to_string(input)
                            + " → unit " + std::to_string(unit) + ")")
        + " of layer " + std::to_string(layer) + " = " + formatLabNumber(weight) + "; activation after it: "
        + activationName + (elementWise ? "" : " (da/dz from its Jacobian)") + "\n";
    if (terms.size() == 1) {
        out += chain + " = " + line(terms.front()) + " (engine: " + formatLabNumber(engine) + ")";
        return out;
    }
    out += chain + ", summed over the " + std::to_string(terms.size())
        + " samples of the batch (dL/da carries the 1/N of the mean loss):\n";
    const int shown = std::min<int>(maxLines, static_cast<int>(terms.size()));
    for (int n = 0; n < shown; ++n)
        out += "  sample " + std::to_string(terms[static_cast<std::size_t>(n)].sample + 1) + ": "
            + line(terms[static_cast<std::size_t>(n)]) + "\n";
    if (shown < static_cast<int>(terms.size())) {
        double rest = 0;
        for (std::size_t n = static_cast<std::size_t>(shown); n < terms.size(); ++n)
            rest += terms[n].product;
        out += "  … " + std::to_string(terms.size() - static_cast<std::size_t>(shown)) + " more samples: "
            + formatLabNumber(rest) + "\n";
    }
    out += lhs + " = " + formatLabNumber(total) + " (engine: " + formatLabNumber(engine) + ")";
    return out;
}

ChainRule explainDenseWeight(const Model& model, int layer, int unit, int input)
{
    if (layer < 0 || layer >= model.layerCount() || model.layer(layer).type() != "Dense")
        throw std::invalid_argument("explainDenseWeight: layer " + std::to_string(layer) + " is not a Dense layer");
    const Layer& dense = model.layer(layer);
    const auto params = dense.parameters();
    if (params.empty())
        throw std::logic_error("explainDenseWeight: the model is not built");
    const Parameter& kernel = *params[0];  // (units, inputs)
    const int units = kernel.value.dim(0), inputs = kernel.value.dim(1);
    if (unit < 0 || unit >= units || input < -1 || input >= inputs)
        throw std::invalid_argument("explainDenseWeight: unit " + std::to_string(unit) + ", input " + std::to_string(input)
                                    + " out of range for a kernel of shape " + shapeToString(kernel.value.shape()));
    if (input < 0 && params.size() < 2)
        throw std::invalid_argument("explainDenseWeight: layer " + std::to_string(layer) + " has no bias");

    const Tensor& x = model.layerInput(layer);  // (N, inputs)
    const Tensor& z = model.output(layer);      // (N, units)
    const int batch = z.empty() ? 0 : z.dim(0);
    const Tensor& dz = model.gradientAtOutput(layer);
    if (batch == 0 || x.size() != static_cast<std::size_t>(batch * inputs) || dz.size() != z.size())
        throw std::logic_error("explainDenseWeight: run a forward and a backward pass through layer "
                               + std::to_string(layer) + " first");

    ChainRule rule;
    rule.layer = layer;
    rule.unit = unit;
    rule.input = input;
    const Parameter& target = input < 0 ? *params[1] : kernel;
    const std::size_t index = input < 0 ? static_cast<std::size_t>(unit)
                                        : static_cast<std::size_t>(unit) * static_cast<std::size_t>(inputs) + static_cast<std::size_t>(input);
    rule.weight = target.value[index];
    rule.engine = target.grad[index];

    std::optional<Activation> activation;
    const Tensor* da = nullptr;  // dL/da, when a layer after the Dense one produces a
    if (layer + 1 < model.layerCount()) {
        const Layer& next = model.layer(layer + 1);
        activation = activationOfLayer(next);
        const bool softmax = next.type() == "Softmax" || (activation && activation->kind == ActivationKind::Softmax);
        if (activation || softmax) {
            rule.activationLayer = layer + 1;
            rule.activationName = softmax ? "softmax" : activation->name();
            rule.elementWise = !softmax;
            if (softmax)
                activation.reset();
            const Tensor& g = model.gradientAtOutput(layer + 1);
            if (g.size() == z.size())
                da = &g;
        }
    }
    if (rule.activationLayer >= 0 && !da)
        throw std::logic_error("explainDenseWeight: the backward pass has not reached layer " + std::to_string(layer + 1));

    for (int n = 0; n < batch; ++n) {
        const std::size_t zi = static_cast<std::size_t>(n) * static_cast<std::size_t>(units) + static_cast<std::size_t>(unit);
        ChainRuleTerm t;
        t.sample = n;
        if (activation) {
            t.dLda = (*da)[zi];
            t.dadz = activation->derivative(z[zi]);
            t.dLdz = t.dLda * t.dadz;
        } else if (da) {
            // Softmax mixes the units: report the engine's dL/dz and the effective factor.
            t.dLda = (*da)[zi];
            t.dLdz = dz[zi];
            t.dadz = t.dLda != 0.0f ? t.dLdz / t.dLda : 0.0f;
        } else {
            t.dLda = dz[zi];
            t.dadz = 1.0f;
            t.dLdz = dz[zi];
        }
        t.input = input < 0 ? 1.0f
                            : x[static_cast<std::size_t>(n) * static_cast<std::size_t>(inputs) + static_cast<std::size_t>(input)];
        t.product = activation ? static_cast<double>(t.dLda) * t.dadz * t.input : static_cast<double>(t.dLdz) * t.input;
        rule.total += t.product;
        rule.terms.push_back(t);
    }
    return rule;
}

}  // namespace layerlens::core
