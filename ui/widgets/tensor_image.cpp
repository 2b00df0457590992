#include "ui/widgets/tensor_image.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace layerlens::ui {

QImage TensorImage::fromChw(const float* data, int channels, int height, int width, bool normalize)
{
    if (!data || channels <= 0 || height <= 0 || width <= 0)
        return {};
    const std::size_t plane = static_cast<std::size_t>(height) * static_cast<std::size_t>(width);
    const bool rgb = channels == 3;
    const std::size_t used = rgb ? 3 * plane : plane;
    float lo = 0, hi = 1;
    if (normalize) {
        lo = std::numeric_limits<float>::infinity();
        hi = -lo;
        for (std::size_t i = 0; i < used; ++i) {
            if (std::isfinite(data[i])) {
                lo = std::min(lo, data[i]);
                hi = std::max(hi, data[i]);
            }
        }
        if (!(hi > lo)) {
            lo = lo - 1;
            hi = lo + 2;
        }
    }
    auto byte = [lo, hi](float v) {
        if (!std::isfinite(v))
            return 0;
        return static_cast<int>(std::lround(255.0f * std::clamp((v - lo) / (hi - lo), 0.0f, 1.0f)));
    };
    QImage image(width, height, QImage::Format_RGB32);
    for (int y = 0; y < height; ++y) {
        auto* line = reinterpret_cast<QRgb*>(image.scanLine(y));
        for (int x = 0; x < width; ++x) {
            const std::size_t i
                = static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x);
            if (rgb)
                line[x] = qRgb(byte(data[i]), byte(data[plane + i]), byte(data[2 * plane + i]));
            else {
                const int g = byte(data[i]);
                line[x] = qRgb(g, g, g);
            }
        }
    }
    return image;
}

QImage TensorImage::sample(const core::Tensor& tensor, int index, bool normalize)
{
    if (tensor.empty() || index < 0 || index >= tensor.dim(0))
        return {};
    const float* data = tensor.data() + static_cast<std::size_t>(index) * tensor.sampleSize();
    if (tensor.rank() == 4 && (tensor.dim(1) == 1 || tensor.dim(1) == 3))
        return fromChw(data, tensor.dim(1), tensor.dim(2), tensor.dim(3), normalize);
    if (tensor.rank() == 3)
        return fromChw(data, 1, tensor.dim(1), tensor.dim(2), normalize);
    return {};
}

QString TensorImage::featureText(const float* data, std::size_t count, std::size_t maxValues)
{
    QStringList parts;
    for (std::size_t i = 0; i < std::min(count, maxValues); ++i)
        parts << QString::number(static_cast<double>(data[i]), 'g', 3);
    QString text = QStringLiteral("[") + parts.join(QStringLiteral(", "));
    if (count > maxValues)
        text += QStringLiteral(", … (%1 values)").arg(count);
    return text + QStringLiteral("]");
}

} // namespace layerlens::ui
