#include "core/data/shape_image_generator.h"

#include "core/rng.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

namespace layerlens::core {

namespace {

cv::Scalar randomColour(Rng& rng)
{
    return { rng.uniform(0.0f, 255.0f), rng.uniform(0.0f, 255.0f), rng.uniform(0.0f, 255.0f) };
}

double colourDistance(const cv::Scalar& a, const cv::Scalar& b)
{
    return std::sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
}

} // namespace

std::shared_ptr<ArrayDataset> ShapeImageGenerator::generate(const GeneratorSettings& settings, int size)
{
    if (size < 8)
        throw std::invalid_argument("ShapeImageGenerator: size " + std::to_string(size) + " is below 8 pixels");
    const float noise = std::max(settings.noise, 0.0f);
    const std::string title = settings.title.empty() ? "shapes (" + std::to_string(settings.n) + " images, "
            + std::to_string(size) + "x" + std::to_string(size) + ")"
                                                     : settings.title;
    auto data = std::make_shared<ArrayDataset>(title, Shape { 3, size, size }, classNames());
    data->reserve(settings.limit > 0 ? std::min(settings.limit, settings.n) : settings.n);

    Rng rng(settings.seed);
    Rng keepRng(settings.seed ^ 0x1b873593c2b2ae35ULL);
    cv::Mat image(size, size, CV_8UC3);
    std::vector<std::uint8_t> planar(static_cast<std::size_t>(3 * size * size));
    const std::size_t plane = static_cast<std::size_t>(size * size);
    const float s = static_cast<float>(size);
    for (std::size_t i = 0; i < settings.n; ++i) {
        const int k = static_cast<int>(i % 3);
        const cv::Scalar background = randomColour(rng);
        cv::Scalar foreground = randomColour(rng);
        // Redraw until the shape stands out from the background; bounded so it always ends.
        for (int tries = 0; tries < 20 && colourDistance(background, foreground) < 120.0; ++tries)
            foreground = randomColour(rng);
        if (colourDistance(background, foreground) < 120.0)
            foreground = cv::Scalar(255, 255, 255) - background;
        image.setTo(background);

        // Half-extent between 15% and 35% of the side; the centre keeps the shape inside.
        const float half = rng.uniform(0.15f, 0.35f) * s;
        const float cx = rng.uniform(half, s - half);
        const float cy = rng.uniform(half, s - half);
        const float rotation = rng.uniform(0.0f, 6.2831853f);
        // Drawing on a 16x finer grid (shift 4) places shapes at sub-pixel positions.
        constexpr int shift = 4;
        constexpr float scale = 16.0f;
        auto fixed = [&](float v) { return static_cast<int>(std::lround(v * scale)); };
        if (k == 0) {
            cv::circle(image, cv::Point(fixed(cx), fixed(cy)), fixed(half), foreground, cv::FILLED, cv::LINE_AA, shift);
        } else if (k == 1) {
            const float side = half * 0.9f; // a square of the same half-extent looks larger than the circle
            cv::rectangle(image, cv::Point(fixed(cx - side), fixed(cy - side)),
                cv::Point(fixed(cx + side), fixed(cy + side)), foreground, cv::FILLED, cv::LINE_AA, shift);
        } else {
            std::vector<cv::Point> corners;
            for (int c = 0; c < 3; ++c) {
                const float angle = rotation + static_cast<float>(c) * 2.0943951f;
                corners.emplace_back(fixed(cx + half * std::cos(angle)), fixed(cy + half * std::sin(angle)));
            }
            cv::fillPoly(image, std::vector<std::vector<cv::Point>> { corners }, foreground, cv::LINE_AA, shift);
        }
        // The drawing used the colours as given, so channel 0 is R, 1 is G, 2 is B.
        for (int y = 0; y < size; ++y) {
            const auto* row = image.ptr<std::uint8_t>(y);
            for (int x = 0; x < size; ++x)
                for (int c = 0; c < 3; ++c) {
                    float v = row[3 * x + c];
                    if (noise > 0.0f)
                        v = std::clamp(v + rng.normal(0.0f, noise * 255.0f), 0.0f, 255.0f);
                    planar[static_cast<std::size_t>(c) * plane + static_cast<std::size_t>(y * size + x)]
                        = static_cast<std::uint8_t>(std::lround(v));
                }
        }
        if (settings.imbalance < 1.0f && keepRng.uniform() >= std::pow(settings.imbalance, static_cast<float>(k)))
            continue;
        data->appendBytes(planar.data(), k);
        if (settings.limit > 0 && data->size() >= settings.limit)
            break;
    }
    return data;
}

} // namespace layerlens::core
