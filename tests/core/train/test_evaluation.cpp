// evaluate(): loss, accuracy, top-k, confusion matrix, per-class accuracy and the misclassified
// examples, on a model whose outputs are known exactly (a Dense layer with an identity kernel
// passes its input through as logits).

#include <QtTest>

#include <cmath>

#include "core/data/dataset.h"
#include "core/layers/dense.h"
#include "core/model/model.h"
#include "core/train/evaluation.h"
#include "core/train/trainer.h"

using namespace layerlens::core;

class TestEvaluation : public QObject {
    Q_OBJECT

private slots:
    void countsAgainstHandComputedValues()
    {
        Model model;
        model.setInputShape({3});
        model.add(std::make_unique<Dense>(3, false));
        model.build(1);
        auto& kernel = dynamic_cast<Dense&>(model.layer(0)).kernel().value;
        for (int r = 0; r < 3; ++r)
            for (int c = 0; c < 3; ++c)
                kernel[static_cast<std::size_t>(r * 3 + c)] = r == c ? 1.0f : 0.0f;

        // Rows are the logits; labels: right, right, wrong (predicts 2), wrong (predicts 0).
        ArrayDataset data("hand", {3}, {"a", "b", "c"});
        const float rows[4][3] = {{3, 1, 0}, {0, 2, 1}, {0, 1, 4}, {5, 0, 1}};
        const int labels[4] = {0, 1, 1, 2};
        for (int i = 0; i < 4; ++i)
            data.appendFloats(rows[i], labels[i]);

        const auto loss = Trainer::resolveLoss("auto", model, data);  // cross-entropy from logits
        const Evaluation e = evaluate(model, data, *loss, 3, 1);      // two batches: 3 + 1
        QCOMPARE(e.samples, std::size_t(4));
        QCOMPARE(e.accuracy, 0.5f);
        QCOMPARE(e.top5, 1.0f);  // three classes: always within the top five
        const std::vector<int> confusion{1, 0, 0, 0, 1, 1, 1, 0, 0};
        QCOMPARE(e.confusion, confusion);
        QCOMPARE(e.perClassAccuracy, (std::vector<float>{1.0f, 0.5f, 0.0f}));

        double expectedLoss = 0;
        for (int i = 0; i < 4; ++i) {
            double sum = 0;
            for (float v : rows[i])
                sum += std::exp(static_cast<double>(v));
            expectedLoss -= std::log(std::exp(static_cast<double>(rows[i][labels[i]])) / sum);
        }
        QVERIFY(std::abs(e.loss - expectedLoss / 4) < 1e-5);

        // Only the first misclassified example is kept; its probabilities are the softmax.
        QCOMPARE(e.misclassified.size(), std::size_t(1));
        const auto& m = e.misclassified[0];
        QCOMPARE(m.trueClass, 1);
        QCOMPARE(m.predictedClass, 2);
        const double denominator = 1 + std::exp(1.0) + std::exp(4.0);
        QVERIFY(std::abs(m.probabilities[2] - std::exp(4.0) / denominator) < 1e-6);
        QCOMPARE(m.input[2], 4.0f);
    }
};

QTEST_APPLESS_MAIN(TestEvaluation)
#include "test_evaluation.moc"
