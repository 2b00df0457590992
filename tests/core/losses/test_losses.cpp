// Losses: creation by spec, gradients against central differences over several shapes and seeds,
// values and gradients against PyTorch (tests/data/numerics/fixtures.json), and edge cases.
#include <QTest>

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/losses/focal_loss.h"
#include "core/losses/huber_loss.h"
#include "core/losses/loss.h"
#include "core/rng.h"

using namespace layerlens::core;

namespace {

bool near(double actual, double expected, double rel, double abs)
{
    return std::abs(actual - expected) <= abs + rel * std::abs(expected);
}

nlohmann::json loadFixture()
{
    std::ifstream in(LAYERLENS_TEST_DATA_DIR "/numerics/fixtures.json");
    if (!in)
        throw std::runtime_error("cannot open " LAYERLENS_TEST_DATA_DIR "/numerics/fixtures.json");
    return nlohmann::json::parse(in);
}

enum class InputKind { Regression, Probability, Logits };
enum class TargetKind { Values, Binary, OneHot, Soft, Indices };

struct Case {
    InputKind input;
    TargetKind target;
};

Case caseFor(const std::string& spec)
{
    if (spec == "binary_crossentropy")
        return {InputKind::Probability, TargetKind::Binary};
    if (spec == "categorical_crossentropy")
        return {InputKind::Probability, TargetKind::OneHot};
    if (spec == "categorical_crossentropy_logits")
        return {InputKind::Logits, TargetKind::Soft};
    if (spec == "sparse_categorical_crossentropy")
        return {InputKind::Logits, TargetKind::Indices};
    if (spec.rfind("focal", 0) == 0)
        return {InputKind::Logits, TargetKind::OneHot};
    if (spec == "sigmoid_crossentropy")
        return {InputKind::Logits, TargetKind::Binary};
    return {InputKind::Regression, TargetKind::Values};
}

// Random (prediction, target) for a loss; regression differences are kept away from the kinks
// (|d| = 0 for mae, |d| = delta for huber) so that central differences are meaningful.
void makeBatch(const Case& c, const Shape& shape, std::uint64_t seed, Tensor& prediction, Tensor& target)
{
    Rng rng(seed);
    prediction = Tensor(shape);
    const std::size_t rows = static_cast<std::size_t>(shape[0]);
    const std::size_t cols = prediction.size() / rows;
    target = c.target == TargetKind::Indices ? Tensor({shape[0]}) : Tensor(shape);
    for (std::size_t i = 0; i < prediction.size(); ++i) {
        switch (c.input) {
        case InputKind::Regression: prediction[i] = rng.normal(0.0f, 1.5f); break;
        case InputKind::Probability: prediction[i] = rng.uniform(0.2f, 0.8f); break;
        case InputKind::Logits: prediction[i] = rng.normal(0.0f, 2.0f); break;
        }
    }
    for (std::size_t r = 0; r < rows; ++r) {
        const int label = rng.uniformInt(static_cast<int>(cols));
        double softSum = 0.0;
        for (std::size_t k = 0; k < cols; ++k) {
            const std::size_t i = r * cols + k;
            switch (c.target) {
            case TargetKind::Values: {
                float t = rng.normal(0.0f, 1.5f);
                const float d = std::abs(prediction[i] - t);
                if (d < 0.1f || std::abs(d - 1.0f) < 0.1f || std::abs(d - 0.5f) < 0.1f)
                    t += 0.35f;
                target[i] = t;
                break;
            }
            case TargetKind::Binary: target[i] = rng.uniform() < 0.5f ? 0.0f : 1.0f; break;
            case TargetKind::OneHot: target[i] = static_cast<int>(k) == label ? 1.0f : 0.0f; break;
            case TargetKind::Soft:
                target[i] = rng.uniform(0.05f, 1.0f);
                softSum += target[i];
                break;
            case TargetKind::Indices: break;
            }
        }
        if (c.target == TargetKind::Soft)
            for (std::size_t k = 0; k < cols; ++k)
                target[r * cols + k] = static_cast<float>(target[r * cols + k] / softSum);
        if (c.target == TargetKind::Indices)
            target[r] = static_cast<float>(label);
    }
}

}  // namespace

class TestLosses : public QObject {
    Q_OBJECT

private slots:
    void createsEveryName()
    {
        for (const auto& name : Loss::names()) {
            const auto loss = Loss::create(name);
            QVERIFY(loss);
            QCOMPARE(loss->name(), name);
        }
        QCOMPARE(Loss::names().size(), std::size_t(11));
    }

    void flags_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("logits");
        QTest::addColumn<bool>("indices");
        QTest::newRow("mse") << "MSE" << "mse" << false << false;
        QTest::newRow("mean_squared_error") << "mean_squared_error" << "mse" << false << false;
        QTest::newRow("huber") << "huber:0.5" << "huber" << false << false;
        QTest::newRow("bce") << "binary_crossentropy" << "binary_crossentropy" << false << false;
        QTest::newRow("cce") << "categorical_crossentropy" << "categorical_crossentropy" << false << false;
        QTest::newRow("softmax_ce") << "softmax_crossentropy" << "categorical_crossentropy_logits" << true << false;
        QTest::newRow("sparse") << "sparse_categorical_crossentropy" << "sparse_categorical_crossentropy" << true << true;
        QTest::newRow("focal") << "focal:2:0.25" << "focal" << true << false;
        QTest::newRow("sigmoid") << "sigmoid_crossentropy" << "sigmoid_crossentropy" << true << false;
    }
    void flags()
    {
        QFETCH(QString, spec);
        QFETCH(QString, name);
        QFETCH(bool, logits);
        QFETCH(bool, indices);
        const auto loss = Loss::create(spec.toStdString());
        QCOMPARE(QString::fromStdString(loss->name()), name);
        QCOMPARE(loss->expectsLogits(), logits);
        QCOMPARE(loss->wantsClassIndices(), indices);
    }

    void parsesParameters()
    {
        const auto huber = Loss::create("huber:0.5");
        QCOMPARE(dynamic_cast<HuberLoss&>(*huber).delta(), 0.5f);
        QCOMPARE(dynamic_cast<HuberLoss&>(*Loss::create("huber")).delta(), 1.0f);
        const auto focal = Loss::create("focal:3:0.5");
        QCOMPARE(dynamic_cast<FocalLoss&>(*focal).gamma(), 3.0f);
        QCOMPARE(dynamic_cast<FocalLoss&>(*focal).alpha(), 0.5f);
        const auto focalGamma = Loss::create("focal:1");
        QCOMPARE(dynamic_cast<FocalLoss&>(*focalGamma).gamma(), 1.0f);
        QCOMPARE(dynamic_cast<FocalLoss&>(*focalGamma).alpha(), 0.25f);
    }

    void rejectsBadSpecs_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown") << "hinge_squared" << "sparse_categorical_crossentropy";
        QTest::newRow("empty") << "" << "mse";
        QTest::newRow("not a number") << "huber:abc" << "abc";
        QTest::newRow("negative delta") << "huber:-1" << "delta";
        QTest::newRow("too many") << "focal:1:2:3" << "at most 2";
        QTest::newRow("mse takes none") << "mse:2" << "at most 0";
        QTest::newRow("alpha zero") << "focal:2:0" << "alpha";
    }
    void rejectsBadSpecs()
    {
        QFETCH(QString, spec);
        QFETCH(QString, mentions);
        try {
            Loss::create(spec.toStdString());
            QFAIL("no exception");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(QString(e.what()).contains(mentions), e.what());
        }
    }

    // Analytic gradient vs central differences over shapes (1,1)..(8,10) and (2,3,4), 3 seeds each.
    // h = 1e-2 (1e-3 for probability inputs, whose log curvature is larger); tolerance 1e-2 relative
    // plus 1e-3 of the largest gradient: float rounding of L(p +- h) gives ~1e-3 relative here.
    void gradientMatchesFiniteDifference_data()
    {
        QTest::addColumn<QString>("spec");
        for (const char* spec : {"mse", "mae", "rmse", "sse", "huber", "huber:0.5", "binary_crossentropy",
                                 "categorical_crossentropy", "categorical_crossentropy_logits",
                                 "sparse_categorical_crossentropy", "focal", "focal:0.5:1", "focal:3:0.5",
                                 "sigmoid_crossentropy"})
            QTest::newRow(spec) << QString(spec);
    }
    void gradientMatchesFiniteDifference()
    {
        QFETCH(QString, spec);
        const auto loss = Loss::create(spec.toStdString());
        const Case c = caseFor(spec.toStdString());
        const std::vector<Shape> shapes = {{1, 1}, {1, 5}, {3, 4}, {8, 10}, {2, 3, 4}};
        for (const auto& shape : shapes) {
            if (c.target == TargetKind::Indices && shape.size() != 2)
                continue;
            for (std::uint64_t seed : {11u, 12u, 13u}) {
                Tensor prediction, target, gradient;
                makeBatch(c, shape, seed, prediction, target);
                loss->gradient(prediction, target, gradient);
                QCOMPARE(gradient.shape(), prediction.shape());
                const float h = c.input == InputKind::Probability ? 1e-3f : 1e-2f;
                double largest = 0.0;
                for (std::size_t i = 0; i < gradient.size(); ++i)
                    largest = std::max(largest, static_cast<double>(std::abs(gradient[i])));
                for (std::size_t i = 0; i < prediction.size(); ++i) {
                    const float saved = prediction[i];
                    prediction[i] = saved + h;
                    const double plus = loss->value(prediction, target);
                    prediction[i] = saved - h;
                    const double minus = loss->value(prediction, target);
                    prediction[i] = saved;
                    const double numeric = (plus - minus) / (2.0 * h);
                    QVERIFY2(near(gradient[i], numeric, 1e-2, 1e-3 * largest + 1e-7),
                             qPrintable(QString("%1 shape %2 seed %3 element %4: analytic %5 numeric %6")
                                            .arg(spec, QString::fromStdString(shapeToString(shape))).arg(seed).arg(i)
                                            .arg(gradient[i]).arg(numeric)));
                }
            }
        }
    }

    // Reference: torch (float64 on float32 inputs); tolerance 1e-5 relative, 1e-6 absolute.
    void matchesPyTorch()
    {
        const auto fixture = loadFixture();
        int cases = 0;
        for (const auto& [key, entry] : fixture["losses"].items()) {
            const auto loss = Loss::create(entry["spec"].get<std::string>());
            const Tensor prediction(entry["shape"].get<Shape>(), entry["prediction"].get<std::vector<float>>());
            const Tensor target(entry["target_shape"].get<Shape>(), entry["target"].get<std::vector<float>>());
            const double value = entry["value"].get<double>();
            const auto gradRef = entry["grad"].get<std::vector<double>>();
            QVERIFY2(near(loss->value(prediction, target), value, 1e-5, 1e-6),
                     qPrintable(QString("%1: %2 vs torch %3").arg(key.c_str()).arg(loss->value(prediction, target)).arg(value)));
            Tensor gradient;
            loss->gradient(prediction, target, gradient);
            QCOMPARE(gradient.size(), gradRef.size());
            for (std::size_t i = 0; i < gradRef.size(); ++i)
                QVERIFY2(near(gradient[i], gradRef[i], 1e-5, 1e-6),
                         qPrintable(QString("%1 grad %2: %3 vs torch %4").arg(key.c_str()).arg(i).arg(gradient[i]).arg(gradRef[i])));
            ++cases;
        }
        QCOMPARE(cases, 15);
    }

    void logitLossesAreStableForHugeLogits()
    {
        const Tensor logits({2, 3}, {1e4f, -1e4f, 0.0f, -3e4f, 3e4f, 2e4f});
        const Tensor oneHot({2, 3}, {0, 1, 0, 0, 1, 0});
        const Tensor labels({2}, {1, 1});
        for (const char* spec : {"categorical_crossentropy_logits", "focal", "sigmoid_crossentropy"}) {
            const auto loss = Loss::create(spec);
            Tensor gradient;
            QVERIFY2(std::isfinite(loss->value(logits, oneHot)), spec);
            loss->gradient(logits, oneHot, gradient);
            QVERIFY2(gradient.allFinite(), spec);
        }
        const auto sparse = Loss::create("sparse_categorical_crossentropy");
        // Sample 0 is 2e4 logits below the max: -log p = 2e4 exactly; sample 1 is right: 0.
        QCOMPARE(sparse->value(logits, labels), 1e4f);
    }

    void sparseMatchesOneHot()
    {
        Tensor logits, oneHot;
        makeBatch({InputKind::Logits, TargetKind::OneHot}, {6, 4}, 5, logits, oneHot);
        Tensor labels({6, 1});
        for (int r = 0; r < 6; ++r)
            for (int k = 0; k < 4; ++k)
                if (oneHot[static_cast<std::size_t>(r * 4 + k)] == 1.0f)
                    labels[static_cast<std::size_t>(r)] = static_cast<float>(k);
        const auto sparse = Loss::create("sparse_categorical_crossentropy");
        const auto dense = Loss::create("categorical_crossentropy_logits");
        QVERIFY(near(sparse->value(logits, labels), dense->value(logits, oneHot), 1e-6, 1e-7));
        Tensor gs, gd;
        sparse->gradient(logits, labels, gs);
        dense->gradient(logits, oneHot, gd);
        for (std::size_t i = 0; i < gs.size(); ++i)
            QVERIFY(near(gs[i], gd[i], 1e-5, 1e-7));
    }

    void focalWithoutFocusingIsCrossEntropy()
    {
        Tensor logits, oneHot;
        makeBatch({InputKind::Logits, TargetKind::OneHot}, {5, 7}, 8, logits, oneHot);
        const auto focal = Loss::create("focal:0:1");
        const auto ce = Loss::create("categorical_crossentropy_logits");
        QVERIFY(near(focal->value(logits, oneHot), ce->value(logits, oneHot), 1e-6, 1e-7));
        Tensor gf, gc;
        focal->gradient(logits, oneHot, gf);
        ce->gradient(logits, oneHot, gc);
        for (std::size_t i = 0; i < gf.size(); ++i)
            QVERIFY(near(gf[i], gc[i], 1e-5, 1e-7));
        // With gamma > 0 a well-classified sample contributes less than under cross-entropy.
        const Tensor confident({1, 3}, {5.0f, 0.0f, 0.0f});
        const Tensor first({1, 3}, {1, 0, 0});
        QVERIFY(Loss::create("focal:2:1")->value(confident, first) < 0.01f * ce->value(confident, first));
    }

    void probabilityLossesClamp()
    {
        const auto bce = Loss::create("binary_crossentropy");
        const Tensor p({1, 2}, {0.0f, 1.0f});
        const Tensor t({1, 2}, {1.0f, 0.0f});
        // Both values wrong with certainty: -log(1e-7) each.
        QVERIFY(near(bce->value(p, t), -std::log(1e-7), 1e-5, 0.0));
        Tensor g;
        bce->gradient(p, t, g);
        QVERIFY(g.allFinite());
        QVERIFY(g[0] < 0.0f && g[1] > 0.0f);  // still pushes toward the target
        const auto cce = Loss::create("categorical_crossentropy");
        QVERIFY(std::isfinite(cce->value(p, t)));
        cce->gradient(p, t, g);
        QVERIFY(g.allFinite());
    }

    void rejectsMismatchedShapes()
    {
        const Tensor p({4, 3});
        const Tensor wrong({4, 2});
        for (const auto& name : Loss::names()) {
            const auto loss = Loss::create(name);
            Tensor g;
            QVERIFY_THROWS_EXCEPTION(std::invalid_argument, loss->value(p, wrong));
            QVERIFY_THROWS_EXCEPTION(std::invalid_argument, loss->gradient(p, wrong, g));
        }
        const auto sparse = Loss::create("sparse_categorical_crossentropy");
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, sparse->value(p, Tensor({4}, {0, 1, 3, 2})));  // class 3 of 3
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, sparse->value(p, Tensor({4}, {0, 1, -1, 2})));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, sparse->value(p, Tensor({4}, {0, 1.5f, 1, 2})));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, sparse->value(p, Tensor({4, 3})));
    }

    void perfectFitHasZeroLossAndGradient()
    {
        const Tensor p({2, 2}, {1, 2, 3, 4});
        for (const char* spec : {"mse", "mae", "rmse", "sse", "huber"}) {
            const auto loss = Loss::create(spec);
            QCOMPARE(loss->value(p, p), 0.0f);
            Tensor g;
            loss->gradient(p, p, g);
            for (std::size_t i = 0; i < g.size(); ++i)
                QCOMPARE(g[i], 0.0f);
        }
    }

    void reductionConventions()
    {
        // prediction - target = [[1, 2], [3, 4]]
        const Tensor p({2, 2}, {1, 2, 3, 4});
        const Tensor t({2, 2}, {0, 0, 0, 0});
        QCOMPARE(Loss::create("mse")->value(p, t), 7.5f);        // 30 / 4 values
        QCOMPARE(Loss::create("sse")->value(p, t), 15.0f);       // 30 / 2 samples
        QCOMPARE(Loss::create("mae")->value(p, t), 2.5f);
        QCOMPARE(Loss::create("rmse")->value(p, t), std::sqrt(7.5f));
        QCOMPARE(Loss::create("huber")->value(p, t), 2.0f);      // (0.5 + 1.5 + 2.5 + 3.5) / 4
        QCOMPARE(Loss::create("huber:2")->value(p, t), 3.125f);  // (0.5 + 2 + 4 + 6) / 4
        const Tensor empty({0, 3});
        QCOMPARE(Loss::create("mse")->value(empty, empty), 0.0f);
    }
};

QTEST_APPLESS_MAIN(TestLosses)
#include "test_losses.moc"
