#pragma once
// Reads an image file (any format OpenCV reads) into a model input tensor.

#include <string>

#include "core/tensor.h"

namespace layerlens::core {

struct ImagePreprocessing {
    int channels = 1, height = 28, width = 28;  // the model's input (C, H, W)
    float scale = 1.0f / 255.0f;                // value = (pixel * scale - mean) / std
    float mean[3] = {0, 0, 0};
    float stddev[3] = {1, 1, 1};
    bool invert = false;                        // for dark-on-light drawings fed to MNIST-style models
    bool bgrOrder = false;                      // keep OpenCV's BGR order (models trained with OpenCV)
};

// Returns (1, C, H, W). Throws std::runtime_error naming the file if it cannot be read.
Tensor loadImageTensor(const std::string& path, const ImagePreprocessing& settings);
bool isImageFile(const std::string& path);  // by extension

}  // namespace layerlens::core
