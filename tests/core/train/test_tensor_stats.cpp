// TensorStats::of against hand-computed values.
#include <QTest>

#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "core/rng.h"
#include "core/train/tensor_stats.h"

using namespace layerlens::core;

namespace {
float histogramTotal(const TensorStats& s) { return std::accumulate(s.histogram.begin(), s.histogram.end(), 0.0f); }
}  // namespace

class TestTensorStats : public QObject {
    Q_OBJECT

private slots:
    void handComputed()
    {
        const std::vector<float> v = {1, 2, 3, 4};
        const auto s = TensorStats::of(v.data(), v.size());
        QCOMPARE(s.count, std::size_t(4));
        QCOMPARE(s.mean, 2.5f);
        QCOMPARE(s.stddev, std::sqrt(1.25f));  // population standard deviation
        QCOMPARE(s.min, 1.0f);
        QCOMPARE(s.max, 4.0f);
        QCOMPARE(s.l2, std::sqrt(30.0f));
        QCOMPARE(s.deadFraction, 0.0f);
        QCOMPARE(s.histogram.size(), std::size_t(TensorStats::kBins));
        QCOMPARE(s.histogramMin, 1.0f);
        QCOMPARE(s.histogramMax, 4.0f);
        // 30 bins of width 0.1 over [1, 4]: 1 -> bin 0, 2 -> bin 10, 3 -> bin 20, 4 (the max) -> last bin.
        for (int bin = 0; bin < TensorStats::kBins; ++bin) {
            const float expected = (bin == 0 || bin == 10 || bin == 20 || bin == 29) ? 1.0f : 0.0f;
            QCOMPARE(s.histogram[static_cast<std::size_t>(bin)], expected);
        }
    }

    void negativeValues()
    {
        const std::vector<float> v = {-3, -1, 0, 0, 4};
        const auto s = TensorStats::of(v.data(), v.size());
        QCOMPARE(s.mean, 0.0f);
        QCOMPARE(s.stddev, std::sqrt(26.0f / 5.0f));
        QCOMPARE(s.min, -3.0f);
        QCOMPARE(s.max, 4.0f);
        QCOMPARE(s.l2, std::sqrt(26.0f));
        QCOMPARE(histogramTotal(s), 5.0f);
        QCOMPARE(s.histogram[0], 1.0f);                  // -3
        QCOMPARE(s.histogram[12], 2.0f);                 // 0: (0 + 3) / 7 * 30 = 12.86
        QCOMPARE(s.histogram[TensorStats::kBins - 1], 1.0f);
    }

    void constantTensorDrawsOneMiddleBar()
    {
        const std::vector<float> v(7, 2.0f);
        const auto s = TensorStats::of(v.data(), v.size());
        QCOMPARE(s.stddev, 0.0f);
        QCOMPARE(s.min, 2.0f);
        QCOMPARE(s.max, 2.0f);
        QCOMPARE(s.histogramMin, 1.5f);
        QCOMPARE(s.histogramMax, 2.5f);
        QCOMPARE(s.histogram[TensorStats::kBins / 2], 7.0f);
        QCOMPARE(histogramTotal(s), 7.0f);
    }

    void emptyAndWithoutHistogram()
    {
        const auto empty = TensorStats::of(nullptr, 0);
        QCOMPARE(empty.count, std::size_t(0));
        QCOMPARE(empty.mean, 0.0f);
        QCOMPARE(histogramTotal(empty), 0.0f);
        const std::vector<float> v = {1, 2};
        const auto s = TensorStats::of(v.data(), v.size(), false);
        QVERIFY(s.histogram.empty());
        QCOMPARE(s.mean, 1.5f);
        QCOMPARE(s.max, 2.0f);
    }

    // NaN must be visible in mean/l2 (the NaN diagnosis reads them) without breaking min/max/bins.
    void nonFiniteValues()
    {
        const float nan = std::numeric_limits<float>::quiet_NaN();
        const std::vector<float> v = {1, nan, 3, std::numeric_limits<float>::infinity()};
        const auto s = TensorStats::of(v.data(), v.size());
        QVERIFY(std::isnan(s.mean));
        QCOMPARE(s.min, 1.0f);
        QCOMPARE(s.max, 3.0f);
        QCOMPARE(histogramTotal(s), 2.0f);
        const std::vector<float> allNan = {nan, nan};
        const auto n = TensorStats::of(allNan.data(), allNan.size());
        QVERIFY(std::isnan(n.min) && std::isnan(n.max));
        QCOMPARE(histogramTotal(n), 0.0f);
    }

    // The blocked, vectorized paths against a plain double computation, over sizes that are not
    // multiples of the block or SIMD width, with and without a non-finite value in one block.
    void matchesPlainComputation()
    {
        for (std::size_t count : {1u, 7u, 1023u, 1025u, 5000u, 70001u}) {
            for (bool withInfinity : {false, true}) {
                if (withInfinity && count == 1)
                    continue;  // no finite value at all: covered by nonFiniteValues()
                Rng rng(count);
                std::vector<float> v(count);
                for (auto& x : v)
                    x = rng.normal(0.3f, 2.0f);
                if (withInfinity)
                    v[count / 2] = std::numeric_limits<float>::infinity();
                double sum = 0, squares = 0;
                float low = std::numeric_limits<float>::infinity(), high = -low;
                for (float x : v) {
                    sum += x;
                    squares += static_cast<double>(x) * x;
                    if (std::isfinite(x)) {
                        low = std::min(low, x);
                        high = std::max(high, x);
                    }
                }
                const double mean = sum / static_cast<double>(count);
                double spread = 0;
                for (float x : v)
                    spread += (x - mean) * (x - mean);
                std::vector<float> bins(TensorStats::kBins, 0.0f);
                const double range = high > low ? high - low : 1.0;
                const double binLow = high > low ? low : low - 0.5;
                for (float x : v)
                    if (std::isfinite(x))
                        bins[static_cast<std::size_t>(std::clamp(static_cast<int>((x - binLow) / range * TensorStats::kBins), 0, TensorStats::kBins - 1))] += 1;

                const auto s = TensorStats::of(v.data(), v.size());
                const QString where = QString("count %1%2").arg(count).arg(withInfinity ? " with inf" : "");
                QCOMPARE(s.min, low);
                QCOMPARE(s.max, high);
                if (withInfinity) {
                    QVERIFY2(std::isinf(s.mean) && !std::isfinite(s.stddev) && std::isinf(s.l2), qPrintable(where));
                } else {
                    QVERIFY2(std::abs(s.mean - mean) <= 1e-6 * std::sqrt(squares / static_cast<double>(count)), qPrintable(where));
                    QVERIFY2(std::abs(s.stddev - std::sqrt(spread / static_cast<double>(count))) <= 1e-6 * s.stddev + 1e-12, qPrintable(where));
                    QVERIFY2(std::abs(s.l2 - std::sqrt(squares)) <= 1e-6 * s.l2, qPrintable(where));
                }
                QCOMPARE(histogramTotal(s), static_cast<float>(count - (withInfinity ? 1 : 0)));
                float moved = 0;  // values at a bin edge may fall either side by float rounding
                for (int b = 0; b < TensorStats::kBins; ++b)
                    moved += std::abs(s.histogram[static_cast<std::size_t>(b)] - bins[static_cast<std::size_t>(b)]);
                QVERIFY2(moved <= 2.0f, qPrintable(where + QString(": %1 values binned differently").arg(moved)));
            }
        }
    }

    // A large offset with a tiny spread: a one-pass float E[x^2] - mean^2 gives garbage here.
    void smallSpreadOnLargeOffset()
    {
        std::vector<float> v(100000);
        for (std::size_t i = 0; i < v.size(); ++i)
            v[i] = (i % 2) ? 10000.01f : 9999.99f;  // stored as 10000.009765625 and 9999.990234375
        const auto s = TensorStats::of(v.data(), v.size());
        QVERIFY(std::abs(s.stddev - 0.009765625f) < 1e-8f);
        QCOMPARE(s.mean, 10000.0f);
        QCOMPARE(s.histogram[0], 50000.0f);
        QCOMPARE(s.histogram[TensorStats::kBins - 1], 50000.0f);
    }
};

QTEST_APPLESS_MAIN(TestTensorStats)
#include "test_tensor_stats.moc"
