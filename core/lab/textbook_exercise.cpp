#include "core/lab/textbook_exercise.h"

#include <cstdio>
#include <stdexcept>

#include "core/activations/activation.h"
#include "core/losses/loss.h"
#include "core/optimizers/optimizer.h"

namespace layerlens::core {

namespace {

std::string idx(int i) { return std::to_string(i + 1); }

// Layer l (0-based) in textbook names: its inputs are x for the first layer, a[l] otherwise.
std::string inputName(int l, int i) { return l == 0 ? "x_" + idx(i) : "a[" + std::to_string(l) + "]_" + idx(i); }
std::string unitName(const char* what, int l, int j) { return std::string(what) + "[" + std::to_string(l + 1) + "]_" + idx(j); }
std::string weightName(int l, int j, int i) { return "w[" + std::to_string(l + 1) + "]_" + idx(j) + idx(i); }

std::string csvField(const std::string& text)
{
    if (text.find_first_of(",\"\n") == std::string::npos)
        return text;
    std::string quoted = "\"";
    for (char c : text) {
        if (c == '"')
            quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

}  // namespace

TextbookExercise::TextbookExercise(TextbookSettings settings)
    : m_settings(std::move(settings))
{
    const auto& sizes = m_settings.sizes;
    const int layers = static_cast<int>(sizes.size()) - 1;
    if (layers < 1)
        throw std::invalid_argument("TextbookExercise: sizes needs at least an input and an output size");
    for (int s : sizes)
        if (s <= 0 || s > 16)
            throw std::invalid_argument("TextbookExercise: layer sizes must be between 1 and 16, found " + std::to_string(s));
    if (static_cast<int>(m_settings.input.size()) != sizes.front())
        throw std::invalid_argument("TextbookExercise: input has " + std::to_string(m_settings.input.size())
                                    + " values, sizes[0] is " + std::to_string(sizes.front()));
    if (static_cast<int>(m_settings.target.size()) != sizes.back())
        throw std::invalid_argument("TextbookExercise: target has " + std::to_string(m_settings.target.size())
                                    + " values, the output size is " + std::to_string(sizes.back()));
    const auto activation = Activation::fromName(m_settings.activation);
    if (!activation || activation->kind == ActivationKind::Softmax)
        throw std::invalid_argument("TextbookExercise: \"" + m_settings.activation + "\" is not an element-wise activation");

    nlohmann::json layerList = nlohmann::json::array();
    for (int l = 0; l < layers; ++l) {
        layerList.push_back({{"type", "Dense"}, {"units", sizes[static_cast<std::size_t>(l + 1)]}});
        layerList.push_back({{"type", "Activation"}, {"activation", activation->name()}});
    }
    m_model = Model::fromJson({{"input_shape", {sizes.front()}}, {"layers", layerList}});
    m_model.build(m_settings.seed);

    if (m_settings.kernels.empty() && sizes == std::vector<int>{2, 2, 2}) {
        m_settings.kernels = {{0.15f, 0.20f, 0.25f, 0.30f}, {0.40f, 0.45f, 0.50f, 0.55f}};
        m_settings.biases = {{0.35f, 0.35f}, {0.60f, 0.60f}};
    }
    if (!m_settings.kernels.empty()) {
        if (static_cast<int>(m_settings.kernels.size()) != layers || static_cast<int>(m_settings.biases.size()) != layers)
            throw std::invalid_argument("TextbookExercise: give kernels and biases for all " + std::to_string(layers) + " layers");
        for (int l = 0; l < layers; ++l) {
            auto params = m_model.layer(2 * l).parameters();
            const auto& k = m_settings.kernels[static_cast<std::size_t>(l)];
            const auto& b = m_settings.biases[static_cast<std::size_t>(l)];
            if (k.size() != params[0]->value.size() || params.size() < 2 || b.size() != params[1]->value.size())
                throw std::invalid_argument("TextbookExercise: layer " + std::to_string(l + 1) + " needs a kernel of "
                                            + std::to_string(params[0]->value.size()) + " values and a bias of "
                                            + std::to_string(sizes[static_cast<std::size_t>(l + 1)]));
            std::copy(k.begin(), k.end(), params[0]->value.data());
            std::copy(b.begin(), b.end(), params[1]->value.data());
        }
    }

    // --- Givens.
    for (int i = 0; i < sizes.front(); ++i)
        add(inputName(0, i), "given", m_settings.input[static_cast<std::size_t>(i)]);
    for (int j = 0; j < sizes.back(); ++j)
        add("t_" + idx(j), "given (target)", m_settings.target[static_cast<std::size_t>(j)]);
    for (int l = 0; l < layers; ++l) {
        const auto params = m_model.layer(2 * l).parameters();
        const int in = sizes[static_cast<std::size_t>(l)], out = sizes[static_cast<std::size_t>(l + 1)];
        for (int j = 0; j < out; ++j)
            for (int i = 0; i < in; ++i)
                add(weightName(l, j, i), "initial weight", params[0]->value[static_cast<std::size_t>(j * in + i)]);
        for (int j = 0; j < out; ++j)
            add(unitName("b", l, j), "initial bias", params[1]->value[static_cast<std::size_t>(j)]);
    }

    // --- Forward, one layer at a time, exactly as the backprop debugger runs it.
    const std::string f = activation->name();
    m_model.setInput(Tensor({1, sizes.front()}, m_settings.input));
    for (int l = 0; l < layers; ++l) {
        const int in = sizes[static_cast<std::size_t>(l)], out = sizes[static_cast<std::size_t>(l + 1)];
        m_model.forwardLayer(2 * l, true);
        m_model.forwardLayer(2 * l + 1, true);
        for (int j = 0; j < out; ++j) {
            std::string formula;
            for (int i = 0; i < in; ++i)
                formula += weightName(l, j, i) + "·" + inputName(l, i) + " + ";
            formula += unitName("b", l, j);
            add(unitName("z", l, j), formula, m_model.output(2 * l)[static_cast<std::size_t>(j)]);
        }
        for (int j = 0; j < out; ++j)
            add(unitName("a", l, j), f + "(" + unitName("z", l, j) + ")", m_model.output(2 * l + 1)[static_cast<std::size_t>(j)]);
    }

    // --- Loss (Keras MSE: the mean over the outputs; for two outputs that is ½·Σ(a − t)²).
    const auto mse = Loss::create("mse");
    const Tensor target({1, sizes.back()}, m_settings.target);
    const int k = sizes.back();
    const std::string aOut = "a[" + std::to_string(layers) + "]_";
    m_loss = mse->value(m_model.output(), target);
    add("L", "(1/" + std::to_string(k) + ")·Σ_j (" + aOut + "j − t_j)²", m_loss);
    Tensor gradient;
    mse->gradient(m_model.output(), target, gradient);
    m_model.setOutputGradient(gradient);

    // --- Backward.
    for (int l = layers - 1; l >= 0; --l) {
        const int in = sizes[static_cast<std::size_t>(l)], out = sizes[static_cast<std::size_t>(l + 1)];
        const int act = 2 * l + 1, dense = 2 * l;
        m_model.backwardLayer(act);
        m_model.backwardLayer(dense);
        for (int j = 0; j < out; ++j) {
            const auto jj = static_cast<std::size_t>(j);
            const std::string a = unitName("a", l, j), z = unitName("z", l, j);
            if (l == layers - 1)
                add("dL/d" + a, "(2/" + std::to_string(k) + ")·(" + a + " − t_" + idx(j) + ")", m_model.gradientAtOutput(act)[jj]);
            add("d" + a + "/d" + z, activation->kind == ActivationKind::Sigmoid ? a + "·(1 − " + a + ")" : f + "'(" + z + ")",
                activation->derivative(m_model.output(dense)[jj]));
            add("dL/d" + z, "dL/d" + a + " · d" + a + "/d" + z, m_model.inputGradient(act)[jj]);
        }
        const auto params = m_model.layer(dense).parameters();
        for (int j = 0; j < out; ++j)
            for (int i = 0; i < in; ++i)
                add("dL/d" + weightName(l, j, i), "dL/d" + unitName("z", l, j) + " · " + inputName(l, i),
                    params[0]->grad[static_cast<std::size_t>(j * in + i)]);
        for (int j = 0; j < out; ++j)
            add("dL/d" + unitName("b", l, j), "dL/d" + unitName("z", l, j) + " · 1", params[1]->grad[static_cast<std::size_t>(j)]);
        if (l > 0) {
            for (int i = 0; i < in; ++i) {
                std::string formula;
                for (int j = 0; j < out; ++j)
                    formula += (j ? " + " : "") + weightName(l, j, i) + "·dL/d" + unitName("z", l, j);
                add("dL/d" + inputName(l, i), formula, m_model.inputGradient(dense)[static_cast<std::size_t>(i)]);
            }
        }
    }

    // --- One SGD step.
    OptimizerSettings sgd;
    sgd.kind = "sgd";
    sgd.learningRate = m_settings.learningRate;
    auto optimizer = Optimizer::create(sgd);
    optimizer->step(m_model.parameters());
    char eta[32];
    std::snprintf(eta, sizeof eta, "%g", static_cast<double>(m_settings.learningRate));
    for (int l = 0; l < layers; ++l) {
        const auto params = m_model.layer(2 * l).parameters();
        const int in = sizes[static_cast<std::size_t>(l)], out = sizes[static_cast<std::size_t>(l + 1)];
        for (int j = 0; j < out; ++j)
            for (int i = 0; i < in; ++i)
                add(weightName(l, j, i) + "'", weightName(l, j, i) + " − " + eta + "·dL/d" + weightName(l, j, i),
                    params[0]->value[static_cast<std::size_t>(j * in + i)]);
        for (int j = 0; j < out; ++j)
            add(unitName("b", l, j) + "'", unitName("b", l, j) + " − " + eta + "·dL/d" + unitName("b", l, j),
                params[1]->value[static_cast<std::size_t>(j)]);
    }
}

void TextbookExercise::add(std::string quantity, std::string formula, double value)
{
    m_rows.push_back({std::move(quantity), std::move(formula), value});
}

bool TextbookExercise::has(const std::string& quantity) const
{
    for (const auto& row : m_rows)
        if (row.quantity == quantity)
            return true;
    return false;
}

double TextbookExercise::value(const std::string& quantity) const
{
    for (const auto& row : m_rows)
        if (row.quantity == quantity)
            return row.value;
    throw std::out_of_range("TextbookExercise: no quantity named \"" + quantity + "\"");
}

std::string TextbookExercise::toCsv() const
{
    std::string csv = "quantity,formula,value\n";
    char number[32];
    for (const auto& row : m_rows) {
        std::snprintf(number, sizeof number, "%.9g", row.value);
        csv += csvField(row.quantity) + "," + csvField(row.formula) + "," + number + "\n";
    }
    return csv;
}

}  // namespace layerlens::core
