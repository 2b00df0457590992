#pragma once
// Model: an ordered chain of layers (Sequential) that knows its shapes, parameters and
// freezing, and keeps every layer's latest output and input gradient for observation.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/layers/layer.h"

namespace layerlens::core {

// Thrown by build() when layers do not fit together; names the layer and the shapes.
class ModelError : public std::runtime_error {
public:
    ModelError(const std::string& message, int layerIndex)
        : std::runtime_error(message), m_layerIndex(layerIndex) {}
    int layerIndex() const { return m_layerIndex; }

private:
    int m_layerIndex;
};

// Result of shape inference for one layer, for editors that flag problems before training.
struct LayerShapeCheck {
    Shape outputShape;        // empty when the layer does not fit
    std::size_t parameters = 0;
    std::string error;        // empty when fine
};

class Model {
public:
    Model() = default;
    Model(Model&&) = default;
    Model& operator=(Model&&) = default;

    void setInputShape(Shape shape) { m_inputShape = std::move(shape); m_built = false; }
    const Shape& inputShape() const { return m_inputShape; }
    void add(LayerPtr layer);
    void insert(int index, LayerPtr layer);
    LayerPtr remove(int index);
    int layerCount() const { return static_cast<int>(m_layers.size()); }
    Layer& layer(int i) { return *m_layers[static_cast<std::size_t>(i)]; }
    const Layer& layer(int i) const { return *m_layers[static_cast<std::size_t>(i)]; }

    // Shape inference without building (for editors); never throws.
    std::vector<LayerShapeCheck> checkShapes() const;
    // Infers shapes, names unnamed layers ("conv2d_1"), creates and initializes parameters from
    // the seed. Throws ModelError naming the layer, its index and the shapes that do not fit.
    void build(std::uint64_t seed);
    bool isBuilt() const { return m_built; }
    Shape outputShape() const;
    Shape layerOutputShape(int i) const { return m_outputShapes[static_cast<std::size_t>(i)]; }

    // Forward through all layers; returns the last output. Each layer's output stays readable.
    const Tensor& forward(const Tensor& input, bool training);
    // Backward from dL/d(output) through all layers; fills parameter grads and input grads.
    void backward(const Tensor& gradOutput);

    // Layer-at-a-time execution (the backprop debugger): forwardLayer(i) needs layer i-1's output
    // (or setInput for i = 0); backwardLayer(i) needs the gradient arriving at layer i's output.
    void setInput(const Tensor& input);
    void forwardLayer(int i, bool training);
    void setOutputGradient(const Tensor& gradOutput);
    void backwardLayer(int i);

    const Tensor& input() const { return m_input; }
    const Tensor& output(int i) const { return m_outputs[static_cast<std::size_t>(i)]; }
    const Tensor& output() const { return m_outputs.back(); }
    // dL/d(input of layer i); gradientAtOutput(i) is dL/d(output of layer i).
    const Tensor& inputGradient(int i) const { return m_inputGradients[static_cast<std::size_t>(i)]; }
    const Tensor& gradientAtOutput(int i) const;
    const Tensor& layerInput(int i) const { return i == 0 ? m_input : m_outputs[static_cast<std::size_t>(i - 1)]; }

    std::vector<Parameter*> parameters();           // all, in layer order
    std::vector<Parameter*> trainableParameters();  // only those not frozen
    std::size_t parameterCount() const;
    std::size_t trainableParameterCount() const;
    std::size_t nonTrainableParameterCount() const;  // frozen parameters + buffers (BN statistics)
    void setRng(Rng* rng);

    // Keras-style summary table with "Total params: 61,706" etc.
    std::string summary() const;

    // {"input_shape": [1, 28, 28], "layers": [ {...}, ... ]}; weights are not included.
    nlohmann::json toJson() const;
    // Throws std::invalid_argument with the layer index and field on a bad description.
    static Model fromJson(const nlohmann::json& description);
    // Copies parameter and buffer values from a model of identical architecture.
    void copyWeightsFrom(Model& other);

private:
    Shape m_inputShape;
    std::vector<LayerPtr> m_layers;
    std::vector<Shape> m_outputShapes;
    Tensor m_input;
    std::vector<Tensor> m_outputs;
    std::vector<Tensor> m_inputGradients;
    Tensor m_outputGradient;
    bool m_built = false;
};

std::string formatThousands(std::size_t n);  // 61706 -> "61,706"

}  // namespace layerlens::core
