// Rescaling: y = x * scale + offset, its gradient (analytic vs central finite difference),
// and its JSON description.

#include <QtTest>

#include "core/layers/rescaling.h"
#include "core/rng.h"

using namespace layerlens::core;

class TestRescaling : public QObject {
    Q_OBJECT

private slots:
    void forward_data()
    {
        QTest::addColumn<float>("scale");
        QTest::addColumn<float>("offset");
        QTest::newRow("pixels to 0..1") << 1.0f / 255.0f << 0.0f;
        QTest::newRow("pixels to -1..1") << 1.0f / 127.5f << -1.0f;
        QTest::newRow("negative scale") << -2.0f << 0.5f;
    }

    void forward()
    {
        QFETCH(float, scale);
        QFETCH(float, offset);
        Rescaling layer(scale, offset);
        Tensor x({2, 3, 4, 5});
        Rng rng(7);
        for (std::size_t i = 0; i < x.size(); ++i)
            x[i] = rng.uniform(0.0f, 255.0f);
        QCOMPARE(layer.outputShape({3, 4, 5}), (Shape{3, 4, 5}));
        Tensor y;
        layer.forward(x, y, false);
        QCOMPARE(y.shape(), x.shape());
        for (std::size_t i = 0; i < x.size(); ++i)
            QVERIFY(std::abs(y[i] - (x[i] * scale + offset)) <= 1e-5f * (1.0f + std::abs(y[i])));
        QVERIFY(layer.parameters().empty());
    }

    // dL/dx for L = sum(y * r) with random r, against central differences (tolerance 1e-3 relative).
    void gradientMatchesFiniteDifference()
    {
        for (std::uint64_t seed : {1u, 2u, 3u}) {
            Rng rng(seed);
            Rescaling layer(rng.uniform(-3.0f, 3.0f), rng.uniform(-1.0f, 1.0f));
            Tensor x({2, 7}), r({2, 7});
            for (std::size_t i = 0; i < x.size(); ++i) {
                x[i] = rng.normal();
                r[i] = rng.normal();
            }
            Tensor y, dx;
            layer.forward(x, y, true);
            layer.backward(x, y, r, dx);
            QCOMPARE(dx.shape(), x.shape());
            auto loss = [&](const Tensor& in) {
                Tensor out;
                layer.forward(in, out, true);
                double sum = 0;
                for (std::size_t i = 0; i < out.size(); ++i)
                    sum += static_cast<double>(out[i]) * r[i];
                return sum;
            };
            const float h = 1e-2f;
            for (std::size_t i = 0; i < x.size(); ++i) {
                Tensor plus = x, minus = x;
                plus[i] += h;
                minus[i] -= h;
                const double numeric = (loss(plus) - loss(minus)) / (2.0 * h);
                QVERIFY2(std::abs(numeric - dx[i]) <= 1e-3 * (1.0 + std::abs(numeric)),
                         qPrintable(QString("seed %1 index %2: %3 vs %4").arg(seed).arg(i).arg(numeric).arg(dx[i])));
            }
        }
    }

    void jsonRoundTrip()
    {
        Rescaling layer(1.0f / 255.0f, -0.5f);
        const nlohmann::json config = layer.config();
        QCOMPARE(config["type"].get<std::string>(), std::string("Rescaling"));
        QCOMPARE(config["scale"].get<double>(), 0.003921569);
        QCOMPARE(config["offset"].get<double>(), -0.5);
        nlohmann::json named = config;
        named["name"] = "rescale";
        const LayerPtr copy = Rescaling::fromJson(named);
        QCOMPARE(copy->name(), std::string("rescale"));
        QCOMPARE(copy->config(), config);
        QCOMPARE(Rescaling::fromJson({{"type", "Rescaling"}})->config()["scale"].get<double>(), 1.0);
    }

    void badSettingsAreRejected()
    {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Rescaling::fromJson({{"type", "Rescaling"}, {"scale", "big"}}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Rescaling(std::numeric_limits<float>::infinity(), 0.0f));
    }
};

QTEST_GUILESS_MAIN(TestRescaling)
#include "test_rescaling.moc"
