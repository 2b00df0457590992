#pragma once
// ProbeImages: image files turned into probe inputs for a model (Trainer::setProbeInputs). Each
// file is read as the model's input (channels, height, width): grayscale or RGB, resized, and
// scaled to [0, 1] as LayerLens's image datasets store their pixels (byte / 255).

#include <string>
#include <vector>

#include "core/tensor.h"

namespace layerlens::core {

struct ProbeImages {
    Tensor images;                   // (files, C, H, W)
    std::vector<std::string> names;  // the files' names without their folders

    // Throws std::runtime_error with a message a person can act on: the model takes no images
    // (its input is not (1 or 3, H, W)), a file is not an image by its extension, or OpenCV
    // cannot read it. No file, no probes: an empty list is an error too.
    static ProbeImages load(const std::vector<std::string>& paths, const Shape& modelInputShape);
};

}  // namespace layerlens::core
