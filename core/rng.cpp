#include "core/rng.h"

#include <cmath>

namespace layerlens::core {

namespace {
std::uint64_t splitMix64(std::uint64_t& x)
{
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
}  // namespace

void Rng::reseed(std::uint64_t seed)
{
    for (auto& s : m_state)
        s = splitMix64(seed);
    m_hasSpareNormal = false;
}

std::uint64_t Rng::nextU64()
{
    const std::uint64_t result = rotl(m_state[1] * 5, 7) * 9;
    const std::uint64_t t = m_state[1] << 17;
    m_state[2] ^= m_state[0];
    m_state[3] ^= m_state[1];
    m_state[1] ^= m_state[2];
    m_state[0] ^= m_state[3];
    m_state[2] ^= t;
    m_state[3] = rotl(m_state[3], 45);
    return result;
}

float Rng::uniform() { return static_cast<float>(nextU64() >> 40) * (1.0f / 16777216.0f); }

float Rng::uniform(float low, float high) { return low + (high - low) * uniform(); }

float Rng::normal(float mean, float stddev)
{
    if (m_hasSpareNormal) {
        m_hasSpareNormal = false;
        return mean + stddev * m_spareNormal;
    }
    double u1 = 0.0;
    do {
        u1 = static_cast<double>(nextU64() >> 11) * (1.0 / 9007199254740992.0);
    } while (u1 <= 0.0);
    const double u2 = static_cast<double>(nextU64() >> 11) * (1.0 / 9007199254740992.0);
    const double radius = std::sqrt(-2.0 * std::log(u1));
    const double angle = 6.283185307179586 * u2;
    m_spareNormal = static_cast<float>(radius * std::sin(angle));
    m_hasSpareNormal = true;
    return mean + stddev * static_cast<float>(radius * std::cos(angle));
}

std::array<std::uint64_t, 5> Rng::state() const
{
    std::uint32_t spareBits = 0;
    std::memcpy(&spareBits, &m_spareNormal, sizeof spareBits);
    return {m_state[0], m_state[1], m_state[2], m_state[3],
            (static_cast<std::uint64_t>(m_hasSpareNormal) << 32) | spareBits};
}

void Rng::setState(const std::array<std::uint64_t, 5>& state)
{
    for (int i = 0; i < 4; ++i)
        m_state[i] = state[static_cast<std::size_t>(i)];
    m_hasSpareNormal = (state[4] >> 32) != 0;
    const auto spareBits = static_cast<std::uint32_t>(state[4] & 0xffffffffu);
    std::memcpy(&m_spareNormal, &spareBits, sizeof spareBits);
}

int Rng::uniformInt(int n) { return n <= 0 ? 0 : static_cast<int>(nextU64() % static_cast<std::uint64_t>(n)); }

}  // namespace layerlens::core
