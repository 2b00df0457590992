#pragma once
// ImageFolderReader: a folder with one subfolder per class (the sorted subfolder names are
// the classes). Files with an image extension (png, jpg, jpeg, bmp, tif, tiff, webp, ppm,
// pgm, pbm, pnm) are read with OpenCV, resized to size x size and stored as bytes, RGB or
// grayscale. Other files (READMEs, .DS_Store) are ignored; an image file that OpenCV cannot
// decode is an error naming that file, because silently training on fewer samples than the
// folder shows hides a broken dataset.

#include "core/data/dataset.h"

#include <memory>
#include <string>
#include <vector>

namespace layerlens::core {

class ImageFolderReader {
public:
    // Samples are (channels, size, size) with channels 1 or 3. With a limit, files are taken
    // round-robin over the classes so a small limit still sees every class.
    static std::shared_ptr<ArrayDataset> load(const std::string& dir, int size, int channels, std::size_t limit = 0);

    static bool isImageFile(const std::string& path);
};

} // namespace layerlens::core
