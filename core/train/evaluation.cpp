#include "core/train/evaluation.h"

#include <algorithm>
#include <numeric>

#include "core/activations/activation.h"

namespace layerlens::core {

Evaluation evaluate(Model& model, const Dataset& data, const Loss& loss, int batchSize, int keepMisclassified)
{
    Evaluation result;
    const std::size_t n = data.size();
    const int k = data.classCount();
    if (k > 0)
        result.confusion.assign(static_cast<std::size_t>(k * k), 0);
    std::vector<std::uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0u);
    Tensor inputs, targets, labels;
    double lossSum = 0, correct = 0, top5 = 0;
    const bool logits = model.layer(model.layerCount() - 1).type() != "Softmax";
    for (std::size_t begin = 0; begin < n; begin += static_cast<std::size_t>(batchSize)) {
        const std::size_t count = std::min<std::size_t>(static_cast<std::size_t>(batchSize), n - begin);
        data.gather(order, begin, count, inputs, targets, labels);
        const Tensor& out = model.forward(inputs, false);
        lossSum += static_cast<double>(loss.value(out, loss.wantsClassIndices() ? labels : targets)) * static_cast<double>(count);
        if (k <= 0)
            continue;
        for (std::size_t i = 0; i < count; ++i) {
            const float* row = out.data() + i * static_cast<std::size_t>(k);
            const int truth = static_cast<int>(labels[i]);
            const int predicted = static_cast<int>(std::max_element(row, row + k) - row);
            correct += predicted == truth;
            int better = 0;
            for (int c = 0; c < k; ++c)
                better += row[c] > row[truth];
            top5 += better < 5;
            if (truth >= 0 && truth < k)
                ++result.confusion[static_cast<std::size_t>(truth * k + predicted)];
            if (predicted != truth && static_cast<int>(result.misclassified.size()) < keepMisclassified) {
                Snapshot::Misclassified m;
                Shape shape = data.sampleShape();
                m.input = Tensor(shape);
                std::copy(inputs.data() + i * inputs.sampleSize(), inputs.data() + (i + 1) * inputs.sampleSize(), m.input.data());
                m.trueClass = truth;
                m.predictedClass = predicted;
                m.probabilities.assign(row, row + k);
                if (logits) {
                    Activation softmax{ActivationKind::Softmax, 0.0f};
                    softmax.forward(row, m.probabilities.data(), static_cast<std::size_t>(k), static_cast<std::size_t>(k));
                }
                result.misclassified.push_back(std::move(m));
            }
        }
    }
    result.samples = n;
    if (n > 0) {
        result.loss = static_cast<float>(lossSum / static_cast<double>(n));
        result.accuracy = static_cast<float>(correct / static_cast<double>(n));
        result.top5 = static_cast<float>(top5 / static_cast<double>(n));
    }
    if (k > 0) {
        result.perClassAccuracy.assign(static_cast<std::size_t>(k), 0.0f);
        for (int t = 0; t < k; ++t) {
            int total = 0;
            for (int p = 0; p < k; ++p)
                total += result.confusion[static_cast<std::size_t>(t * k + p)];
            result.perClassAccuracy[static_cast<std::size_t>(t)] = total ? static_cast<float>(result.confusion[static_cast<std::size_t>(t * k + t)]) / static_cast<float>(total) : 0.0f;
        }
    }
    return result;
}

}  // namespace layerlens::core
