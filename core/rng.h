#pragma once
// The one seeded random source. Every random choice (initial weights, shuffling, dropout
// masks, generated datasets) draws from an Rng, so the same seed gives bit-identical runs.
// The distributions are implemented here, not taken from <random>, whose distributions
// differ between standard libraries.

#include <array>
#include <cstdint>
#include <cstring>

namespace layerlens::core {

class Rng {
public:
    explicit Rng(std::uint64_t seed = 0x5eed) { reseed(seed); }
    void reseed(std::uint64_t seed);

    std::uint64_t nextU64();             // xoshiro256**
    float uniform();                     // [0, 1)
    float uniform(float low, float high);
    float normal(float mean = 0.0f, float stddev = 1.0f);  // Box-Muller
    int uniformInt(int n);               // [0, n)

    // The full generator state, for saving a training run and resuming it exactly.
    std::array<std::uint64_t, 5> state() const;
    void setState(const std::array<std::uint64_t, 5>& state);

private:
    std::uint64_t m_state[4] = {};
    bool m_hasSpareNormal = false;
    float m_spareNormal = 0.0f;
};

}  // namespace layerlens::core
