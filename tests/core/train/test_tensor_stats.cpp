// TensorStats::of against hand-computed values.
#include <QTest>

#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

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
