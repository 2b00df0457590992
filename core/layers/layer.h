#pragma once
// Layer: one operation with optional parameters.
//
// Shapes passed to outputShape()/build() are per sample (no batch axis), Keras style:
// (C, H, W) for images, (F) for feature vectors. Tensors passed to forward()/backward()
// carry the batch axis first: (N, C, H, W) or (N, F).

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/layers/parameter.h"
#include "core/rng.h"
#include "core/tensor.h"

namespace layerlens::core {

// Thrown when a layer cannot accept its input shape; the message says what was expected.
class ShapeError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Layer {
public:
    virtual ~Layer() = default;

    virtual std::string type() const = 0;  // "Conv2D", "Dense", ... (Keras class names)
    const std::string& name() const { return m_name; }
    void setName(std::string name) { m_name = std::move(name); }

    // Output shape for a per-sample input shape; throws ShapeError if the input does not fit.
    virtual Shape outputShape(const Shape& inputShape) const = 0;

    // Creates the parameters for this input shape and initializes them from rng.
    // Called once by the model before training; layers without parameters need not override.
    virtual void build(const Shape& inputShape, Rng& rng) { (void)inputShape; (void)rng; }

    // output = f(input). In training mode dropout drops and batch norm uses batch statistics.
    // Implementations resize output and must not allocate once sizes are stable.
    virtual void forward(const Tensor& input, Tensor& output, bool training) = 0;

    // Given dL/d(output), computes dL/d(input) into gradInput and sets (overwrites) every
    // parameter's grad. input and output are the tensors of the latest forward() call.
    virtual void backward(const Tensor& input, const Tensor& output, const Tensor& gradOutput,
                          Tensor& gradInput) = 0;

    virtual std::vector<Parameter*> parameters() { return {}; }
    std::vector<const Parameter*> parameters() const;
    // Buffers that are state but not trained (batch norm running statistics).
    virtual std::vector<Parameter*> buffers() { return {}; }
    std::size_t parameterCount() const;       // trainable + frozen parameters
    std::size_t bufferCount() const;          // non-trainable state values
    // Trainable + frozen parameters this layer would have after build(inputShape), computed from
    // shapes alone (no allocation), for editors and summaries of unbuilt or huge models.
    // Layers with parameters override it; throws ShapeError like outputShape().
    virtual std::size_t parameterCountFor(const Shape& inputShape) const { (void)inputShape; return 0; }

    // Layer settings as JSON in the model-description schema ({"type": ..., ...}).
    virtual nlohmann::json config() const = 0;

    // Random source for layers that need randomness during training (dropout).
    virtual void setRng(Rng* rng) { (void)rng; }

    // The model's first layer need not compute dL/d(input): nothing consumes it. Layers for
    // which that gradient is costly (Conv2D) skip it and leave gradInput empty.
    void setInputGradientNeeded(bool needed) { m_inputGradientNeeded = needed; }
    bool inputGradientNeeded() const { return m_inputGradientNeeded; }

    bool isFrozen() const { return m_frozen; }
    void setFrozen(bool frozen);

    // Short settings text for tables, e.g. "32 filters 3x3, same, relu".
    virtual std::string describe() const { return {}; }

protected:
    std::string m_name;
    bool m_frozen = false;
    bool m_inputGradientNeeded = true;
};

using LayerPtr = std::unique_ptr<Layer>;

}  // namespace layerlens::core
