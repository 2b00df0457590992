#include "core/io/image_loader.h"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace layerlens::core {

bool isImageFile(const std::string& path)
{
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    for (const char* known : {".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".pgm", ".ppm", ".pbm"})
        if (ext == known)
            return true;
    return false;
}

Tensor loadImageTensor(const std::string& path, const ImagePreprocessing& s)
{
    if (s.channels != 1 && s.channels != 3)
        throw std::runtime_error(path + ": the model expects " + std::to_string(s.channels)
                                 + " input channels; images can feed models with 1 or 3 channels");
    cv::Mat image = cv::imread(path, s.channels == 1 ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR);
    if (image.empty())
        throw std::runtime_error(path + ": cannot read the image (missing file or a format OpenCV does not read)");
    if (s.channels == 3 && !s.bgrOrder)
        cv::cvtColor(image, image, cv::COLOR_BGR2RGB);
    cv::resize(image, image, cv::Size(s.width, s.height), 0, 0, cv::INTER_AREA);
    Tensor tensor({1, s.channels, s.height, s.width});
    for (int y = 0; y < s.height; ++y) {
        const auto* row = image.ptr<unsigned char>(y);
        for (int x = 0; x < s.width; ++x)
            for (int c = 0; c < s.channels; ++c) {
                float v = row[x * s.channels + c];
                if (s.invert)
                    v = 255.0f - v;
                v = (v * s.scale - s.mean[c]) / s.stddev[c];
                tensor[(static_cast<std::size_t>(c) * static_cast<std::size_t>(s.height) + static_cast<std::size_t>(y))
                           * static_cast<std::size_t>(s.width) + static_cast<std::size_t>(x)] = v;
            }
    }
    return tensor;
}

}  // namespace layerlens::core
