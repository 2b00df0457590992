#pragma once
// TensorImage: turns tensor slices into pictures (input images, RGB filters). Display only: the
// values are mapped linearly into 0..255, nothing is computed that core should compute.

#include "core/tensor.h"

#include <QImage>
#include <QString>

namespace layerlens::ui {

class TensorImage {
public:
    // (channels, h, w) at `data`; 1 channel -> grey, 3 -> RGB, others -> first channel in grey.
    // normalize: stretch this slice's min..max to 0..255 (filters); otherwise values are taken
    // to be in [0, 1] and clamped (input images).
    static QImage fromChw(const float* data, int channels, int height, int width, bool normalize);

    // A sample of a tensor whose first axis is the batch: a picture when the per-sample shape is
    // (C, H, W) with C 1 or 3 (or (H, W)); a null image otherwise.
    static QImage sample(const core::Tensor& tensor, int index, bool normalize);

    // A short text for non-image samples: the first few values of the feature vector.
    static QString featureText(const float* data, std::size_t count, std::size_t maxValues = 8);
};

} // namespace layerlens::ui
