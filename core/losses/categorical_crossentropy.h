#pragma once

#include "core/losses/loss.h"

namespace layerlens::core {

// Categorical cross-entropy on probabilities (after a softmax layer): -sum_k t_k log p_k per sample,
// mean over the batch (Keras categorical_crossentropy). p is clamped to [1e-7, 1 - 1e-7]. Unlike
// Keras the rows are not renormalized to sum 1; for softmax outputs that changes nothing (the
// softmax backward removes the per-row constant the renormalization adds to the gradient).
class CategoricalCrossentropy final : public Loss {
public:
    std::string name() const override { return "categorical_crossentropy"; }
    float value(const Tensor& prediction, const Tensor& target) const override;
    void gradient(const Tensor& prediction, const Tensor& target, Tensor& gradient) const override;
};

}  // namespace layerlens::core
