#pragma once
// Loss: a function of prediction and target that gives a value and its gradient.
// prediction: (N, K). target: (N, K) values or one-hot rows; losses that take class labels
// (sparse categorical cross-entropy) read target as (N) or (N, 1) class indices stored as floats.
// The value is the mean over the batch (and over K where the definition says so, as Keras does).

#include <memory>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace layerlens::core {

class Loss {
public:
    virtual ~Loss() = default;
    virtual std::string name() const = 0;  // "categorical_crossentropy", ...
    // Whether target holds class indices (N) rather than rows (N, K).
    virtual bool wantsClassIndices() const { return false; }
    // Whether the model's last layer should emit logits (no softmax/sigmoid): the loss applies it.
    virtual bool expectsLogits() const { return false; }
    virtual float value(const Tensor& prediction, const Tensor& target) const = 0;
    // dL/d(prediction) into gradient (resized to prediction's shape).
    virtual void gradient(const Tensor& prediction, const Tensor& target, Tensor& gradient) const = 0;

    // Creates a loss by name: mse, mae, rmse, sse, huber[:delta], binary_crossentropy,
    // categorical_crossentropy, categorical_crossentropy_logits (alias: softmax_crossentropy),
    // sparse_categorical_crossentropy, focal[:gamma[:alpha]], sigmoid_crossentropy (multi-label).
    // Throws std::invalid_argument listing the known names.
    static std::unique_ptr<Loss> create(const std::string& spec);
    static std::vector<std::string> names();
};

}  // namespace layerlens::core
