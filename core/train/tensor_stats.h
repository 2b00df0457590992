#pragma once

#include <cstddef>
#include <vector>

#include "core/activations/activation.h"

namespace layerlens::core {

// Summary statistics of one tensor, cheap enough to compute for every layer at every publish.
struct TensorStats {
    float mean = 0, stddev = 0, min = 0, max = 0, l2 = 0;
    float deadFraction = 0;       // ReLU-family: share of units that output 0 for every sample
    float saturatedFraction = 0;  // sigmoid/tanh family: share of values in the flat tails
    std::size_t count = 0;
    static constexpr int kBins = 30;
    float histogramMin = 0, histogramMax = 0;
    std::vector<float> histogram;  // kBins counts (as floats) between histogramMin and histogramMax

    static TensorStats of(const float* values, std::size_t count, bool withHistogram = true);
};

}  // namespace layerlens::core
