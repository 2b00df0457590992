#include "core/data/image_folder_reader.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

namespace layerlens::core {

namespace fs = std::filesystem;

bool ImageFolderReader::isImageFile(const std::string& path)
{
    std::string ext = fs::path(path).extension().string();
    std::transform(
        ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    static const char* const known[]
        = { ".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".ppm", ".pgm", ".pbm", ".pnm" };
    return std::find(std::begin(known), std::end(known), ext) != std::end(known);
}

std::shared_ptr<ArrayDataset> ImageFolderReader::load(
    const std::string& dirText, int size, int channels, std::size_t limit)
{
    const fs::path dir(dirText);
    if (!fs::is_directory(dir))
        throw std::runtime_error("image folder " + dirText + " does not exist or is not a folder");
    if (channels != 1 && channels != 3)
        throw std::invalid_argument(
            "image folder " + dirText + ": channels must be 1 or 3, not " + std::to_string(channels));
    if (size <= 0)
        throw std::invalid_argument("image folder " + dirText + ": size must be positive");

    std::vector<std::string> classNames;
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.is_directory() && entry.path().filename().string().front() != '.')
            classNames.push_back(entry.path().filename().string());
    std::sort(classNames.begin(), classNames.end());
    if (classNames.size() < 2)
        throw std::runtime_error("image folder " + dirText + " has " + std::to_string(classNames.size())
            + " class subfolders, expected at least 2 (one subfolder of images per class)");

    std::vector<std::vector<std::string>> files(classNames.size());
    std::size_t total = 0;
    for (std::size_t k = 0; k < classNames.size(); ++k) {
        for (const auto& entry : fs::recursive_directory_iterator(dir / classNames[k]))
            if (entry.is_regular_file() && isImageFile(entry.path().string()))
                files[k].push_back(entry.path().string());
        std::sort(files[k].begin(), files[k].end());
        if (files[k].empty())
            throw std::runtime_error("image folder " + dirText + ": class folder '" + classNames[k]
                + "' holds no image files (png, jpg, bmp, tif, webp, ppm/pgm)");
        total += files[k].size();
    }
    const std::size_t n = limit > 0 ? std::min(limit, total) : total;

    auto data = std::make_shared<ArrayDataset>(
        "images: " + dir.filename().string(), Shape { channels, size, size }, classNames);
    data->reserve(n);
    std::vector<std::uint8_t> planar(static_cast<std::size_t>(channels * size * size));
    cv::Mat resized;
    cv::Mat converted;
    // Round-robin over the classes: the stored order interleaves them, so a limit stays balanced.
    for (std::size_t round = 0; data->size() < n; ++round) {
        for (std::size_t k = 0; k < files.size() && data->size() < n; ++k) {
            if (round >= files[k].size())
                continue;
            const std::string& file = files[k][round];
            cv::Mat image;
            try {
                image = cv::imread(file, channels == 1 ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR);
                if (!image.empty()) {
                    const bool shrinking = image.cols > size || image.rows > size;
                    cv::resize(
                        image, resized, cv::Size(size, size), 0, 0, shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
                    if (channels == 3)
                        cv::cvtColor(resized, converted, cv::COLOR_BGR2RGB);
                }
            } catch (const cv::Exception& error) {
                throw std::runtime_error(
                    "image folder " + dirText + ": cannot decode image file " + file + " (" + error.err + ")");
            }
            if (image.empty())
                throw std::runtime_error("image folder " + dirText + ": cannot decode image file " + file);
            if (channels == 3) {
                // Interleaved HWC from OpenCV to planar CHW.
                const std::size_t plane = static_cast<std::size_t>(size * size);
                for (int y = 0; y < size; ++y) {
                    const auto* row = converted.ptr<std::uint8_t>(y);
                    for (int x = 0; x < size; ++x)
                        for (int c = 0; c < 3; ++c)
                            planar[c * plane + static_cast<std::size_t>(y * size + x)] = row[3 * x + c];
                }
            } else {
                for (int y = 0; y < size; ++y)
                    std::copy_n(resized.ptr<std::uint8_t>(y), size, planar.begin() + y * size);
            }
            data->appendBytes(planar.data(), static_cast<int>(k));
        }
    }
    return data;
}

} // namespace layerlens::core
