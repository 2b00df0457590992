#pragma once
// PointSetGenerator: the classic 2-D toy sets (spiral, xor, circles, gauss blobs, moons),
// drawn from core::Rng so a seed gives the same points on every machine. Points lie roughly
// in [-1.5, 1.5]^2; samples are (2) floats, classes interleaved (sample i is drawn for class
// i mod classes before any imbalance), so a prefix is balanced.

#include "core/data/dataset.h"

#include <cstdint>
#include <memory>
#include <string>

namespace layerlens::core {

struct GeneratorSettings {
    std::size_t n = 600; // samples drawn (before imbalance removes some)
    float noise = -1.0f; // < 0: the set's own default (see PointSetGenerator::defaultNoise)
    int classes = 0; // 0: the set's default (spiral 3, gauss 3, circles 2; xor, moons always 2)
    std::uint64_t seed = 1;
    float imbalance = 1.0f; // keep class k with probability imbalance^k
    std::size_t limit = 0; // stop after this many kept samples (0 = no limit)
    std::string title; // dataset name; "" gives e.g. "spiral (600 points, 3 classes)"
};

class PointSetGenerator {
public:
    // kind: spiral, xor, circles, gauss, moons. Throws std::invalid_argument for anything else.
    static std::shared_ptr<ArrayDataset> generate(const std::string& kind, const GeneratorSettings& settings);

    static float defaultNoise(const std::string& kind);
    static int defaultClasses(const std::string& kind);
    static bool hasClassesOption(const std::string& kind);
};

} // namespace layerlens::core
