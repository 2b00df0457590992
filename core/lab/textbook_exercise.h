#pragma once
// TextbookExercise: the classic hand-worked backpropagation example (a tiny MLP, one example,
// MSE, one SGD step), with every number taken from the engine: a real Model run layer by layer.
// The table lists each quantity, its formula and its value, in the order a textbook derives
// them, and exports as CSV. The default is the well-known 2-2-2 sigmoid network with inputs
// (0.05, 0.10), targets (0.01, 0.99) and learning rate 0.5.
//
// Names use 1-based textbook indices: layer l's pre-activation z[l]_j, activation a[l]_j, the
// weight w[l]_ji from input i to unit j, bias b[l]_j; inputs x_i, targets t_j; updated values
// carry a prime: w[l]_ji'.

#include <cstdint>
#include <string>
#include <vector>

#include "core/model/model.h"

namespace layerlens::core {

struct TextbookRow {
    std::string quantity;  // "z[1]_1", "dL/dw[2]_11", "w[2]_11'"
    std::string formula;   // "w[1]_11·x_1 + w[1]_12·x_2 + b[1]_1"
    double value = 0;
};

struct TextbookSettings {
    std::vector<int> sizes{2, 2, 2};       // inputs, hidden..., outputs
    std::string activation = "sigmoid";    // after every Dense layer (element-wise kinds)
    std::vector<float> input{0.05f, 0.10f};
    std::vector<float> target{0.01f, 0.99f};
    float learningRate = 0.5f;
    // kernels[l]: (sizes[l+1] x sizes[l]) row-major, biases[l]: sizes[l+1] values. Empty: for
    // 2-2-2 the textbook values (w = .15 .20 .25 .30 / .40 .45 .50 .55, b = .35 / .60), otherwise
    // the model's own initialization from seed.
    std::vector<std::vector<float>> kernels, biases;
    std::uint64_t seed = 1;
};

class TextbookExercise {
public:
    // Runs the whole computation. Throws std::invalid_argument naming the setting that does not fit.
    explicit TextbookExercise(TextbookSettings settings = {});

    const std::vector<TextbookRow>& rows() const { return m_rows; }
    // The value of a quantity by name; throws std::out_of_range when there is none.
    double value(const std::string& quantity) const;
    bool has(const std::string& quantity) const;
    float loss() const { return m_loss; }
    // "quantity,formula,value" then one line per row (values with 9 significant digits).
    std::string toCsv() const;
    const TextbookSettings& settings() const { return m_settings; }
    Model& model() { return m_model; }  // after the SGD step

private:
    void add(std::string quantity, std::string formula, double value);

    TextbookSettings m_settings;
    Model m_model;
    std::vector<TextbookRow> m_rows;
    float m_loss = 0;
};

}  // namespace layerlens::core
