#pragma once
// BatchNorm: normalizes each feature of (N, F) or each channel of (N, C, H, W) (axis 1 in
// general), then scales by gamma and shifts by beta.
//   training:  y = gamma * (x - mean_B) / sqrt(var_B + epsilon) + beta, with the batch mean and
//              the biased batch variance; then, as Keras does (tf.nn.moments, no Bessel
//              correction), moving = momentum * moving + (1 - momentum) * batch statistic.
//              (PyTorch would use momentum' = 1 - momentum and the unbiased variance.)
//   inference: the same with moving_mean / moving_variance.
// A frozen BatchNorm always runs in inference mode, as Keras does for trainable=False.
// parameters(): gamma, beta (C); buffers(): moving_mean, moving_variance (C, not trainable).

#include "core/layers/layer.h"

namespace layerlens::core {

class BatchNorm : public Layer {
public:
    explicit BatchNorm(float momentum = 0.99f, float epsilon = 1e-3f);

    std::string type() const override { return "BatchNorm"; }
    Shape outputShape(const Shape& inputShape) const override;
    void build(const Shape& inputShape, Rng& rng) override;
    void forward(const Tensor& input, Tensor& output, bool training) override;
    void backward(const Tensor& input, const Tensor& output, const Tensor& gradOutput, Tensor& gradInput) override;
    std::vector<Parameter*> parameters() override;
    std::vector<Parameter*> buffers() override;
    std::size_t parameterCountFor(const Shape& inputShape) const override;
    nlohmann::json config() const override;
    std::string describe() const override;

    float momentum() const { return m_momentum; }
    float epsilon() const { return m_epsilon; }
    Parameter& gamma() { return m_gamma; }
    Parameter& beta() { return m_beta; }
    Parameter& movingMean() { return m_movingMean; }
    Parameter& movingVariance() { return m_movingVariance; }

private:
    float m_momentum;
    float m_epsilon;
    int m_channels = 0;
    Parameter m_gamma {"gamma", {}, {}, true};
    Parameter m_beta {"beta", {}, {}, true};
    Parameter m_movingMean {"moving_mean", {}, {}, false};
    Parameter m_movingVariance {"moving_variance", {}, {}, false};
    Tensor m_normalized;  // x_hat of the latest forward, input's shape
    Tensor m_invStd;      // (C): 1 / sqrt(var + epsilon) used by the latest forward
    bool m_usedBatchStatistics = false;
};

}  // namespace layerlens::core
