#include "core/io/probe_images.h"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "core/io/image_loader.h"

namespace layerlens::core {

ProbeImages ProbeImages::load(const std::vector<std::string>& paths, const Shape& modelInputShape)
{
    if (paths.empty())
        throw std::runtime_error("no image file given");
    if (modelInputShape.size() != 3 || (modelInputShape[0] != 1 && modelInputShape[0] != 3))
        throw std::runtime_error("the model takes inputs of shape " + shapeToString(modelInputShape)
                                 + ", not images (channels 1 or 3, height, width); images can be probes only for image models");
    ImagePreprocessing settings;
    settings.channels = modelInputShape[0];
    settings.height = modelInputShape[1];
    settings.width = modelInputShape[2];

    ProbeImages result;
    const auto count = static_cast<int>(paths.size());
    result.images = Tensor({count, settings.channels, settings.height, settings.width});
    const std::size_t sample = result.images.sampleSize();
    for (int i = 0; i < count; ++i) {
        const std::string& path = paths[static_cast<std::size_t>(i)];
        const std::string name = std::filesystem::path(path).filename().string();
        if (!isImageFile(path))
            throw std::runtime_error(name + ": not an image file (expected .png, .jpg, .jpeg, .bmp, .tif, .webp, .pgm or .ppm)");
        const Tensor image = loadImageTensor(path, settings);  // throws naming the file
        std::copy(image.data(), image.data() + sample, result.images.data() + static_cast<std::size_t>(i) * sample);
        result.names.push_back(name);
    }
    return result;
}

}  // namespace layerlens::core
