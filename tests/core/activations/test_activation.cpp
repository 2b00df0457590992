// Activation: names, derivatives against central differences, vectorized paths against the scalar
// ones, and values/gradients against PyTorch (tests/data/numerics/fixtures.json).
#include <QTest>

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/activations/activation.h"
#include "core/rng.h"

using namespace layerlens::core;

namespace {

const std::vector<ActivationKind> kElementWise = {
    ActivationKind::Linear, ActivationKind::Sigmoid, ActivationKind::Tanh, ActivationKind::Relu,
    ActivationKind::LeakyRelu, ActivationKind::HardTanh, ActivationKind::HardSigmoid, ActivationKind::Elu,
    ActivationKind::Selu, ActivationKind::Gelu, ActivationKind::Silu, ActivationKind::Softplus,
    ActivationKind::Softsign};

Activation make(ActivationKind kind, float alpha = 0.0f)
{
    Activation a;
    a.kind = kind;
    a.alpha = alpha;
    return a;
}

// Points where a kind has a kink; finite differences are meaningless right next to them.
std::vector<float> kinks(ActivationKind kind)
{
    switch (kind) {
    case ActivationKind::Relu:
    case ActivationKind::LeakyRelu:
    case ActivationKind::Elu:
    case ActivationKind::Selu: return {0.0f};
    case ActivationKind::HardTanh: return {-1.0f, 1.0f};
    case ActivationKind::HardSigmoid: return {-2.5f, 2.5f};
    default: return {};
    }
}

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

}  // namespace

class TestActivation : public QObject {
    Q_OBJECT

private slots:
    void namesRoundTrip()
    {
        const auto names = Activation::names();
        QCOMPARE(names.size(), std::size_t(14));
        for (const auto& name : names) {
            const auto a = Activation::fromName(name);
            QVERIFY2(a.has_value(), name.c_str());
            QCOMPARE(a->name(), name);
        }
    }

    void aliases_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("canonical");
        QTest::addColumn<float>("alpha");
        QTest::newRow("LeakyReLU") << "LeakyReLU" << "leaky_relu" << 0.01f;
        QTest::newRow("leaky_relu") << "leaky_relu" << "leaky_relu" << 0.01f;
        QTest::newRow("swish") << "swish" << "silu" << 0.0f;
        QTest::newRow("SiLU") << "SiLU" << "silu" << 0.0f;
        QTest::newRow("hardtanh") << "hardtanh" << "hard_tanh" << 0.0f;
        QTest::newRow("hard_tanh") << "Hard_Tanh" << "hard_tanh" << 0.0f;
        QTest::newRow("hard_sigmoid") << "hard_sigmoid" << "hard_sigmoid" << 0.0f;
        QTest::newRow("identity") << "identity" << "linear" << 0.0f;
        QTest::newRow("linear") << "LINEAR" << "linear" << 0.0f;
        QTest::newRow("elu") << "elu" << "elu" << 1.0f;
        QTest::newRow("blanks") << " relu " << "relu" << 0.0f;
    }
    void aliases()
    {
        QFETCH(QString, input);
        QFETCH(QString, canonical);
        QFETCH(float, alpha);
        const auto a = Activation::fromName(input.toStdString());
        QVERIFY(a.has_value());
        QCOMPARE(QString::fromStdString(a->name()), canonical);
        QCOMPARE(a->alpha, alpha);
    }

    void unknownNameIsRejected()
    {
        QVERIFY(!Activation::fromName("relu6x").has_value());
        QVERIFY(!Activation::fromName("").has_value());
    }

    // Analytic derivative vs central difference, h = 1e-2 over 400 sampled points in [-6, 6].
    // Tolerance 2e-3 (absolute + relative): float rounding of f(x +- h) contributes ~1e-5 and the
    // O(h^2) truncation at most ~1e-4 for these functions.
    void derivativeMatchesFiniteDifference()
    {
        const float h = 1e-2f;
        for (auto kind : kElementWise) {
            for (float alpha : {0.0f, 0.3f}) {
                const Activation a = make(kind, alpha);
                Rng rng(42);
                int checked = 0;
                for (int i = 0; i < 400; ++i) {
                    const float x = rng.uniform(-6.0f, 6.0f);
                    bool nearKink = false;
                    for (float k : kinks(kind))
                        nearKink |= std::abs(x - k) < 3 * h;
                    if (nearKink)
                        continue;
                    const double numeric = (static_cast<double>(a.apply(x + h)) - a.apply(x - h)) / (2.0 * h);
                    const double analytic = a.derivative(x);
                    QVERIFY2(near(analytic, numeric, 2e-3, 2e-3),
                             qPrintable(QString("%1 alpha %2 at x=%3: analytic %4 numeric %5")
                                            .arg(QString::fromStdString(a.name())).arg(alpha).arg(x).arg(analytic).arg(numeric)));
                    ++checked;
                }
                QVERIFY(checked > 300);
            }
        }
    }

    // forward()/backward() are whole-array (vectorized) code; apply()/derivative() are scalar code.
    void arrayPathsMatchScalarPaths()
    {
        Rng rng(7);
        const std::size_t n = 1003;  // not a multiple of the SIMD width: the tail must be right too
        std::vector<float> x(n), dy(n), y(n), dx(n);
        for (std::size_t i = 0; i < n; ++i) {
            x[i] = rng.uniform(-8.0f, 8.0f);
            dy[i] = rng.normal();
        }
        for (auto kind : kElementWise) {
            const Activation a = make(kind, kind == ActivationKind::Elu ? 0.7f : 0.0f);
            a.forward(x.data(), y.data(), n, n);
            a.backward(x.data(), y.data(), dy.data(), dx.data(), n, n);
            for (std::size_t i = 0; i < n; ++i) {
                QVERIFY2(near(y[i], a.apply(x[i]), 2e-6, 1e-7),
                         qPrintable(QString("%1 forward at %2: %3 vs %4").arg(QString::fromStdString(a.name())).arg(x[i]).arg(y[i]).arg(a.apply(x[i]))));
                const double expected = static_cast<double>(dy[i]) * a.derivative(x[i]);
                QVERIFY2(near(dx[i], expected, 2e-5, 1e-6),
                         qPrintable(QString("%1 backward at %2: %3 vs %4").arg(QString::fromStdString(a.name())).arg(x[i]).arg(dx[i]).arg(expected)));
            }
        }
    }

    void inPlaceMatchesOutOfPlace()
    {
        Rng rng(9);
        const std::size_t rows = 3, cols = 7, n = rows * cols;
        std::vector<float> x(n), dy(n), y(n), dx(n);
        for (std::size_t i = 0; i < n; ++i) {
            x[i] = rng.uniform(-3.0f, 3.0f);
            dy[i] = rng.normal();
        }
        auto kinds = kElementWise;
        kinds.push_back(ActivationKind::Softmax);
        for (auto kind : kinds) {
            const Activation a = make(kind);
            a.forward(x.data(), y.data(), n, cols);
            a.backward(x.data(), y.data(), dy.data(), dx.data(), n, cols);
            std::vector<float> yInPlace = x, dxInPlace = dy;
            a.forward(yInPlace.data(), yInPlace.data(), n, cols);
            a.backward(x.data(), y.data(), dxInPlace.data(), dxInPlace.data(), n, cols);
            for (std::size_t i = 0; i < n; ++i) {
                QCOMPARE(yInPlace[i], y[i]);
                QCOMPARE(dxInPlace[i], dx[i]);
            }
        }
    }

    // Softmax backward vs central differences of L = sum(dy * softmax(x)), rows of 1, 2, 5 and 10.
    void softmaxBackwardMatchesFiniteDifference()
    {
        const Activation a = make(ActivationKind::Softmax);
        for (std::size_t cols : {1u, 2u, 5u, 10u}) {
            for (std::uint64_t seed : {1u, 2u, 3u}) {
                Rng rng(seed);
                const std::size_t rows = 3, n = rows * cols;
                std::vector<float> x(n), dy(n), y(n), dx(n), yp(n), ym(n);
                for (std::size_t i = 0; i < n; ++i) {
                    x[i] = rng.uniform(-3.0f, 3.0f);
                    dy[i] = rng.normal();
                }
                a.forward(x.data(), y.data(), n, cols);
                a.backward(x.data(), y.data(), dy.data(), dx.data(), n, cols);
                const float h = 1e-2f;
                for (std::size_t i = 0; i < n; ++i) {
                    auto xp = x, xm = x;
                    xp[i] += h;
                    xm[i] -= h;
                    a.forward(xp.data(), yp.data(), n, cols);
                    a.forward(xm.data(), ym.data(), n, cols);
                    double numeric = 0.0;
                    for (std::size_t j = 0; j < n; ++j)
                        numeric += static_cast<double>(dy[j]) * (static_cast<double>(yp[j]) - ym[j]);
                    numeric /= 2.0 * h;
                    QVERIFY2(near(dx[i], numeric, 2e-3, 2e-4),
                             qPrintable(QString("cols %1 seed %2 i %3: %4 vs %5").arg(cols).arg(seed).arg(i).arg(dx[i]).arg(numeric)));
                }
                for (std::size_t r = 0; r < rows; ++r) {  // each row is a distribution
                    double sum = 0.0;
                    for (std::size_t c = 0; c < cols; ++c)
                        sum += y[r * cols + c];
                    QVERIFY(std::abs(sum - 1.0) < 1e-5);
                }
            }
        }
    }

    // Reference: torch.nn.functional in float64 on float32 inputs; tolerance 1e-5 relative, 1e-6 absolute.
    void matchesPyTorch()
    {
        const auto fixture = loadFixture();
        int cases = 0;
        for (const auto& [key, entry] : fixture["activations"].items()) {
            auto a = Activation::fromName(entry["name"].get<std::string>());
            QVERIFY2(a.has_value(), key.c_str());
            if (entry.contains("alpha"))
                a->alpha = entry["alpha"].get<float>();
            const auto x = entry["x"].get<std::vector<float>>();
            const auto yRef = entry["y"].get<std::vector<double>>();
            const auto dy = entry["dy"].get<std::vector<float>>();
            const auto dxRef = entry["dx"].get<std::vector<double>>();
            const std::size_t n = x.size();
            const std::size_t cols = entry.contains("shape") ? entry["shape"][1].get<std::size_t>() : n;
            std::vector<float> y(n), dx(n);
            a->forward(x.data(), y.data(), n, cols);
            a->backward(x.data(), y.data(), dy.data(), dx.data(), n, cols);
            for (std::size_t i = 0; i < n; ++i) {
                QVERIFY2(near(y[i], yRef[i], 1e-5, 1e-6),
                         qPrintable(QString("%1 y at x=%2: %3 vs torch %4").arg(key.c_str()).arg(x[i]).arg(y[i]).arg(yRef[i])));
                QVERIFY2(near(dx[i], dxRef[i], 1e-5, 1e-6),
                         qPrintable(QString("%1 dx at x=%2: %3 vs torch %4").arg(key.c_str()).arg(x[i]).arg(dx[i]).arg(dxRef[i])));
                if (a->kind != ActivationKind::Softmax) {
                    QVERIFY(near(a->apply(x[i]), yRef[i], 1e-5, 1e-6));
                    QVERIFY(near(static_cast<double>(dy[i]) * a->derivative(x[i]), dxRef[i], 1e-5, 1e-6));
                }
            }
            ++cases;
        }
        QCOMPARE(cases, 14);
    }

    void extremeInputsStayFinite()
    {
        const std::vector<float> x = {-1e4f, -1000.0f, -100.0f, 100.0f, 1000.0f, 1e4f};
        const std::size_t n = x.size();
        auto kinds = kElementWise;
        kinds.push_back(ActivationKind::Softmax);
        for (auto kind : kinds) {
            const Activation a = make(kind);
            std::vector<float> y(n), dx(n), dy(n, 1.0f);
            a.forward(x.data(), y.data(), n, 3);
            a.backward(x.data(), y.data(), dy.data(), dx.data(), n, 3);
            for (std::size_t i = 0; i < n; ++i) {
                const bool linearGrowth = std::abs(y[i]) <= std::abs(x[i]) * 1.1f + 1.0f;
                QVERIFY2(std::isfinite(y[i]) && linearGrowth, qPrintable(QString::fromStdString(a.name()) + " y"));
                QVERIFY2(std::isfinite(dx[i]), qPrintable(QString::fromStdString(a.name()) + " dx"));
            }
        }
        const Activation sp = make(ActivationKind::Softplus);
        QCOMPARE(sp.apply(1000.0f), 1000.0f);
        QVERIFY(sp.apply(-100.0f) > 0.0f);  // log1p keeps the tiny positive value
    }

    // Far in the tails the values and derivatives are tiny but must keep their relative precision
    // (1 - y and 1 + erf cancellations would lose it). Reference: the same formulas in double,
    // written in their stable forms; tolerance 1e-4 relative.
    void tailsKeepRelativePrecision()
    {
        struct Reference {
            ActivationKind kind;
            double (*value)(double);
            double (*derivative)(double);
        };
        const Reference references[] = {
            {ActivationKind::Sigmoid, [](double x) { return 1.0 / (1.0 + std::exp(-x)); },
             [](double x) { const double e = std::exp(-std::abs(x)); return e / ((1 + e) * (1 + e)); }},
            {ActivationKind::Tanh, [](double x) { return std::tanh(x); },
             [](double x) { const double c = std::cosh(x); return 1.0 / (c * c); }},
            {ActivationKind::Gelu, [](double x) { return 0.5 * x * std::erfc(-x / std::sqrt(2.0)); },
             [](double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)) + x * std::exp(-0.5 * x * x) / std::sqrt(2.0 * M_PI); }},
            {ActivationKind::Softplus, [](double x) { return std::log1p(std::exp(x)); },
             [](double x) { return 1.0 / (1.0 + std::exp(-x)); }},
            {ActivationKind::Silu, [](double x) { return x / (1.0 + std::exp(-x)); },
             [](double x) { const double s = 1.0 / (1.0 + std::exp(-x)); return s * (1 + x * (1 - s)); }},
            {ActivationKind::Elu, [](double x) { return x > 0 ? x : std::expm1(x); },
             [](double x) { return x > 0 ? 1.0 : std::exp(x); }},
        };
        const std::vector<float> xs = {-20.0f, -15.0f, -9.0f, -6.0f, -4.5f, 4.5f, 6.0f, 9.0f, 15.0f};
        for (const auto& ref : references) {
            const Activation a = make(ref.kind);
            std::vector<float> y(xs.size()), dx(xs.size()), ones(xs.size(), 1.0f);
            a.forward(xs.data(), y.data(), xs.size(), xs.size());
            a.backward(xs.data(), y.data(), ones.data(), dx.data(), xs.size(), xs.size());
            for (std::size_t i = 0; i < xs.size(); ++i) {
                const double value = ref.value(xs[i]);
                const double slope = ref.derivative(xs[i]);
                const QString where = QString("%1 at %2").arg(QString::fromStdString(a.name())).arg(xs[i]);
                if (std::abs(value) > 1e-30) {
                    QVERIFY2(near(a.apply(xs[i]), value, 1e-4, 0), qPrintable(where + QString(" apply %1 vs %2").arg(a.apply(xs[i])).arg(value)));
                    QVERIFY2(near(y[i], value, 1e-4, 0), qPrintable(where + QString(" forward %1 vs %2").arg(y[i]).arg(value)));
                }
                if (std::abs(slope) > 1e-30) {
                    QVERIFY2(near(a.derivative(xs[i]), slope, 1e-4, 0), qPrintable(where + QString(" derivative %1 vs %2").arg(a.derivative(xs[i])).arg(slope)));
                    QVERIFY2(near(dx[i], slope, 1e-4, 0), qPrintable(where + QString(" backward %1 vs %2").arg(dx[i]).arg(slope)));
                }
            }
        }
    }

    void hardSigmoidIsKeras2()
    {
        const Activation a = make(ActivationKind::HardSigmoid);
        QCOMPARE(a.apply(0.0f), 0.5f);
        QCOMPARE(a.apply(1.0f), 0.7f);
        QCOMPARE(a.apply(-3.0f), 0.0f);
        QCOMPARE(a.apply(2.6f), 1.0f);
        QCOMPARE(a.derivative(1.0f), 0.2f);
    }

    void nonElementWiseSoftmaxThrows()
    {
        const Activation a = make(ActivationKind::Softmax);
        QVERIFY_THROWS_EXCEPTION(std::logic_error, a.apply(1.0f));
        QVERIFY_THROWS_EXCEPTION(std::logic_error, a.derivative(1.0f));
    }

    void deadAndSaturated()
    {
        const Activation relu = make(ActivationKind::Relu);
        QVERIFY(relu.isDead(0.0f));
        QVERIFY(relu.isDead(-2.0f));
        QVERIFY(!relu.isDead(0.1f));
        QVERIFY(!make(ActivationKind::LeakyRelu).isDead(-5.0f));  // always passes alpha * gradient
        QVERIFY(!make(ActivationKind::Elu).isDead(-5.0f));
        QVERIFY(make(ActivationKind::HardTanh).isDead(1.5f));
        QVERIFY(!make(ActivationKind::HardTanh).isDead(0.5f));
        QVERIFY(!make(ActivationKind::Sigmoid).isDead(-50.0f));

        const Activation sigmoid = make(ActivationKind::Sigmoid);
        QVERIFY(!sigmoid.isSaturated(0.0f));
        QVERIFY(!sigmoid.isSaturated(4.0f));  // s' = 0.0177 > 0.0025
        QVERIFY(sigmoid.isSaturated(7.0f));   // s' = 0.0009
        QVERIFY(sigmoid.isSaturated(-7.0f));
        const Activation tanh = make(ActivationKind::Tanh);
        QVERIFY(!tanh.isSaturated(2.0f));     // 0.0707
        QVERIFY(tanh.isSaturated(3.0f));      // 0.0099
        QVERIFY(make(ActivationKind::HardSigmoid).isSaturated(3.0f));
        QVERIFY(!make(ActivationKind::HardSigmoid).isSaturated(2.0f));
        QVERIFY(make(ActivationKind::Softsign).isSaturated(10.0f));   // 1/121 < 0.01
        QVERIFY(!make(ActivationKind::Softsign).isSaturated(8.0f));   // 1/81
        QVERIFY(!make(ActivationKind::Relu).isSaturated(100.0f));
    }
};

QTEST_APPLESS_MAIN(TestActivation)
#include "test_activation.moc"
