#include "core/train/tensor_stats.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace layerlens::core {

// Sums run in double: float sums over a few hundred thousand activations lose digits that the
// histogram and the update/weight ratio need. Non-finite values still reach mean, stddev and l2
// (so a NaN shows there, where the NaN diagnosis looks), but min, max and the histogram describe
// the finite values only, because a bin for NaN does not exist.
TensorStats TensorStats::of(const float* values, std::size_t count, bool withHistogram)
{
    TensorStats stats;
    stats.count = count;
    if (withHistogram)
        stats.histogram.assign(kBins, 0.0f);
    if (count == 0)
        return stats;

    double sum = 0.0, squares = 0.0;
    float low = std::numeric_limits<float>::infinity();
    float high = -std::numeric_limits<float>::infinity();
    std::size_t finite = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const float v = values[i];
        sum += v;
        squares += static_cast<double>(v) * v;
        if (std::isfinite(v)) {
            low = std::min(low, v);
            high = std::max(high, v);
            ++finite;
        }
    }
    const double mean = sum / static_cast<double>(count);
    // Second pass around the mean: E[x^2] - mean^2 cancels badly when the spread is small.
    double spread = 0.0;
    for (std::size_t i = 0; i < count; ++i) {
        const double d = values[i] - mean;
        spread += d * d;
    }
    stats.mean = static_cast<float>(mean);
    stats.stddev = static_cast<float>(std::sqrt(spread / static_cast<double>(count)));
    stats.l2 = static_cast<float>(std::sqrt(squares));
    if (finite == 0) {
        stats.min = stats.max = std::numeric_limits<float>::quiet_NaN();
        stats.histogramMin = stats.histogramMax = stats.min;
        return stats;
    }
    stats.min = low;
    stats.max = high;
    if (!withHistogram)
        return stats;

    // A constant tensor gets a unit-wide range centred on its value, so it draws as one middle bar.
    double histLow = low, histHigh = high;
    if (!(histHigh > histLow)) {
        histLow -= 0.5;
        histHigh += 0.5;
    }
    stats.histogramMin = static_cast<float>(histLow);
    stats.histogramMax = static_cast<float>(histHigh);
    const double scale = kBins / (histHigh - histLow);
    for (std::size_t i = 0; i < count; ++i) {
        const float v = values[i];
        if (!std::isfinite(v))
            continue;
        const int bin = std::clamp(static_cast<int>((v - histLow) * scale), 0, kBins - 1);  // max lands in the last bin
        stats.histogram[static_cast<std::size_t>(bin)] += 1.0f;
    }
    return stats;
}

}  // namespace layerlens::core
