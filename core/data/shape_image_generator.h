#pragma once
// ShapeImageGenerator: RGB images (3, size, size) of one filled shape each (circle, square or
// triangle, the three classes) at a random position, size, rotation (triangles) and colour on
// a random plain background, drawn with OpenCV. A small image set that trains in seconds and
// needs colour and shape, not position, to classify.

#include "core/data/dataset.h"
#include "core/data/point_set_generator.h"

#include <memory>

namespace layerlens::core {

class ShapeImageGenerator {
public:
    // settings.n images (classes interleaved), imbalance and limit as for the point sets;
    // settings.noise (default 0) adds Gaussian pixel noise of that standard deviation (in
    // units of full scale). size is the image side in pixels (>= 8).
    static std::shared_ptr<ArrayDataset> generate(const GeneratorSettings& settings, int size);

    static std::vector<std::string> classNames() { return { "circle", "square", "triangle" }; }
};

} // namespace layerlens::core
