// PointSetGenerator: determinism per seed, balance, geometry of each set, imbalance.
#include "core/data/dataset.h"
#include "core/data/point_set_generator.h"

#include <QtTest>
#include <cmath>

using namespace layerlens::core;

namespace {
std::vector<float> points(const Dataset& data)
{
    std::vector<float> all(data.size() * 2);
    for (std::size_t i = 0; i < data.size(); ++i)
        data.copySample(i, all.data() + 2 * i);
    return all;
}

GeneratorSettings settingsFor(std::size_t n, std::uint64_t seed)
{
    GeneratorSettings s;
    s.n = n;
    s.seed = seed;
    return s;
}
} // namespace

class TestPointSetGenerator : public QObject {
    Q_OBJECT

private slots:
    void deterministicPerSeed_data()
    {
        QTest::addColumn<QString>("kind");
        for (const char* kind : { "spiral", "xor", "circles", "gauss", "moons" })
            QTest::newRow(kind) << kind;
    }

    void deterministicPerSeed()
    {
        QFETCH(QString, kind);
        const auto a = PointSetGenerator::generate(kind.toStdString(), settingsFor(300, 5));
        const auto b = PointSetGenerator::generate(kind.toStdString(), settingsFor(300, 5));
        const auto c = PointSetGenerator::generate(kind.toStdString(), settingsFor(300, 6));
        QCOMPARE(points(*a), points(*b));
        QVERIFY(points(*a) != points(*c));
        // Balanced, and every value finite and within a sane box.
        const auto counts = a->classCounts();
        for (int count : counts)
            QCOMPARE(count, 300 / a->classCount());
        for (float v : points(*a))
            QVERIFY(std::isfinite(v) && std::abs(v) < 3.0f);
    }

    void splitSpecsDiffer()
    {
        const auto train = loadDataset("spiral?n=100&seed=2");
        const auto test = loadDataset("spiral:test?n=100&seed=2");
        const auto testAgain = loadDataset("spiral?n=100&seed=2&split=test");
        QVERIFY(points(*train) != points(*test));
        QCOMPARE(points(*test), points(*testAgain));
    }

    void classesOption()
    {
        auto s = settingsFor(500, 1);
        s.classes = 5;
        const auto spiral = PointSetGenerator::generate("spiral", s);
        QCOMPARE(spiral->classCount(), 5);
        QCOMPARE(spiral->classCounts(), (std::vector<int> { 100, 100, 100, 100, 100 }));
        const auto xorSet = PointSetGenerator::generate("xor", s); // xor ignores classes: always 2
        QCOMPARE(xorSet->classCount(), 2);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, PointSetGenerator::generate("square", s));
    }

    void geometry()
    {
        auto s = settingsFor(400, 3);
        s.noise = 0.0f;
        // xor: class 0 has x and y of one sign, class 1 opposite signs.
        auto data = PointSetGenerator::generate("xor", s);
        auto p = points(*data);
        for (std::size_t i = 0; i < data->size(); ++i)
            QCOMPARE(p[2 * i] * p[2 * i + 1] > 0.0f, data->label(i) == 0);
        // circles: class 0 on the inner ring, class 1 on the outer.
        data = PointSetGenerator::generate("circles", s);
        p = points(*data);
        for (std::size_t i = 0; i < data->size(); ++i) {
            const float r = std::hypot(p[2 * i], p[2 * i + 1]);
            QVERIFY(std::abs(r - (data->label(i) == 0 ? 0.6f : 1.2f)) < 1e-4f);
        }
        // gauss without noise: every class sits on its centre.
        data = PointSetGenerator::generate("gauss", s);
        p = points(*data);
        QVERIFY(std::abs(p[0] - p[6]) < 1e-6f && std::abs(p[1] - p[7]) < 1e-6f); // samples 0 and 3: class 0
        // spiral radius grows along each arm; moons lie on unit half circles.
        data = PointSetGenerator::generate("moons", s);
        p = points(*data);
        for (std::size_t i = 0; i < data->size(); ++i) {
            const bool upper = data->label(i) == 0;
            const float cx = upper ? -0.5f : 0.5f;
            const float cy = upper ? -0.25f : 0.25f;
            QVERIFY(std::abs(std::hypot(p[2 * i] - cx, p[2 * i + 1] - cy) - 1.0f) < 1e-4f);
        }
    }

    void noiseSpreadsPoints()
    {
        auto s = settingsFor(400, 3);
        s.noise = 0.0f;
        const auto clean = points(*PointSetGenerator::generate("circles", s));
        s.noise = 0.3f;
        const auto noisy = points(*PointSetGenerator::generate("circles", s));
        double spread = 0;
        for (std::size_t i = 0; i < clean.size(); ++i)
            spread += std::abs(clean[i] - noisy[i]);
        QVERIFY(spread / static_cast<double>(clean.size()) > 0.1);
    }

    void imbalance()
    {
        auto s = settingsFor(3000, 4);
        s.classes = 3;
        s.imbalance = 0.5f;
        const auto data = PointSetGenerator::generate("gauss", s);
        const auto counts = data->classCounts();
        // Class k kept with probability 0.5^k out of 1000: about 1000, 500, 250.
        QCOMPARE(counts[0], 1000);
        QVERIFY2(counts[1] > 430 && counts[1] < 570, qPrintable(QString::number(counts[1])));
        QVERIFY2(counts[2] > 190 && counts[2] < 310, qPrintable(QString::number(counts[2])));
        QCOMPARE(data->size(), std::size_t(counts[0] + counts[1] + counts[2]));
        // Through a spec as well, and with limit capping the total.
        const auto spec = loadDataset("spiral?n=3000&imbalance=0.5&seed=4");
        QVERIFY(spec->classCounts()[2] < spec->classCounts()[0] / 2);
        QCOMPARE(loadDataset("spiral?n=3000&imbalance=0.5&limit=100")->size(), std::size_t(100));
    }
};

QTEST_APPLESS_MAIN(TestPointSetGenerator)
#include "test_point_set_generator.moc"
