#include "core/data/point_set_generator.h"

#include "core/rng.h"

#include <cmath>
#include <stdexcept>

namespace layerlens::core {

namespace {
constexpr float pi = 3.14159265358979f;
}

float PointSetGenerator::defaultNoise(const std::string& kind)
{
    if (kind == "spiral")
        return 0.05f;
    if (kind == "xor")
        return 0.2f;
    if (kind == "circles")
        return 0.05f;
    if (kind == "gauss")
        return 0.25f;
    if (kind == "moons")
        return 0.1f;
    throw std::invalid_argument("PointSetGenerator: unknown set '" + kind + "'");
}

bool PointSetGenerator::hasClassesOption(const std::string& kind)
{
    return kind == "spiral" || kind == "circles" || kind == "gauss";
}

int PointSetGenerator::defaultClasses(const std::string& kind)
{
    if (kind == "spiral" || kind == "gauss")
        return 3;
    defaultNoise(kind); // validates the name
    return 2;
}

std::shared_ptr<ArrayDataset> PointSetGenerator::generate(const std::string& kind, const GeneratorSettings& settings)
{
    const float noise = settings.noise >= 0.0f ? settings.noise : defaultNoise(kind);
    const int classes = hasClassesOption(kind) && settings.classes > 0 ? settings.classes : defaultClasses(kind);
    if (classes < 2)
        throw std::invalid_argument("PointSetGenerator: " + kind + " needs at least 2 classes");
    std::vector<std::string> names;
    for (int k = 0; k < classes; ++k)
        names.push_back("class " + std::to_string(k));
    const std::string title = settings.title.empty()
        ? kind + " (" + std::to_string(settings.n) + " points, " + std::to_string(classes) + " classes)"
        : settings.title;
    auto data = std::make_shared<ArrayDataset>(title, Shape { 2 }, names);
    data->reserve(settings.limit > 0 ? std::min(settings.limit, settings.n) : settings.n);

    Rng rng(settings.seed);
    // A separate stream decides what imbalance drops, so an imbalanced set is a subset of
    // the balanced set with the same seed.
    Rng keepRng(settings.seed ^ 0x1b873593c2b2ae35ULL);
    for (std::size_t i = 0; i < settings.n; ++i) {
        const int k = static_cast<int>(i % static_cast<std::size_t>(classes));
        float x = 0.0f, y = 0.0f;
        if (kind == "spiral") {
            // Arm k starts at angle 2 pi k / classes and winds 1.25 turns outwards.
            const float t = rng.uniform();
            const float radius = 0.05f + 1.2f * t;
            const float angle = 2.0f * pi * static_cast<float>(k) / static_cast<float>(classes) + 2.5f * pi * t;
            x = radius * std::cos(angle) + rng.normal(0.0f, noise);
            y = radius * std::sin(angle) + rng.normal(0.0f, noise);
        } else if (kind == "xor") {
            // Class 0: quadrants where x and y share a sign; class 1: opposite signs.
            const float sx = rng.uniform() < 0.5f ? -1.0f : 1.0f;
            const float sy = k == 0 ? sx : -sx;
            x = 0.6f * sx + rng.normal(0.0f, noise);
            y = 0.6f * sy + rng.normal(0.0f, noise);
        } else if (kind == "circles") {
            // Concentric rings, class 0 innermost.
            const float radius = 1.2f * static_cast<float>(k + 1) / static_cast<float>(classes);
            const float angle = rng.uniform(0.0f, 2.0f * pi);
            x = radius * std::cos(angle) + rng.normal(0.0f, noise);
            y = radius * std::sin(angle) + rng.normal(0.0f, noise);
        } else if (kind == "gauss") {
            // Blob centres evenly on a circle of radius 0.8.
            const float angle = 2.0f * pi * static_cast<float>(k) / static_cast<float>(classes) + pi / 2.0f;
            x = 0.8f * std::cos(angle) + rng.normal(0.0f, noise);
            y = 0.8f * std::sin(angle) + rng.normal(0.0f, noise);
        } else if (kind == "moons") {
            // Two interleaved half circles, centred on the origin.
            const float t = rng.uniform(0.0f, pi);
            if (k == 0) {
                x = std::cos(t) - 0.5f;
                y = std::sin(t) - 0.25f;
            } else {
                x = 1.0f - std::cos(t) - 0.5f;
                y = 0.5f - std::sin(t) - 0.25f;
            }
            x += rng.normal(0.0f, noise);
            y += rng.normal(0.0f, noise);
        }
        if (settings.imbalance < 1.0f && keepRng.uniform() >= std::pow(settings.imbalance, static_cast<float>(k)))
            continue;
        const float point[2] = { x, y };
        data->appendFloats(point, k);
        if (settings.limit > 0 && data->size() >= settings.limit)
            break;
    }
    return data;
}

} // namespace layerlens::core
