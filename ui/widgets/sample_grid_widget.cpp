#include "ui/widgets/sample_grid_widget.h"

#include <QPainter>

#include <algorithm>

namespace layerlens::ui {

namespace {
constexpr int kImageSize = 56;  // drawn size of each sample, in pixels
constexpr int kGap = 6;
}  // namespace

SampleGridWidget::SampleGridWidget(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("sampleGrid"));
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    m_message = tr("No dataset loaded");
}

QImage SampleGridWidget::sampleImage(const float* values, const core::Shape& shape)
{
    if (shape.size() != 3)
        return {};
    const int channels = shape[0], height = shape[1], width = shape[2];
    const std::size_t plane = static_cast<std::size_t>(height) * static_cast<std::size_t>(width);
    const std::size_t total = plane * static_cast<std::size_t>(channels);
    float lo = *std::min_element(values, values + total), hi = *std::max_element(values, values + total);
    if (lo >= 0.0f && hi <= 1.0f) {  // already in [0, 1]: keep absolute brightness
        lo = 0.0f;
        hi = 1.0f;
    }
    const float scale = hi > lo ? 255.0f / (hi - lo) : 0.0f;
    auto byte = [&](float v) { return static_cast<int>(std::clamp((v - lo) * scale, 0.0f, 255.0f)); };
    QImage image(width, height, channels >= 3 ? QImage::Format_RGB32 : QImage::Format_Grayscale8);
    for (int y = 0; y < height; ++y) {
        if (channels >= 3) {
            auto* line = reinterpret_cast<QRgb*>(image.scanLine(y));
            for (int x = 0; x < width; ++x) {
                const std::size_t i = static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x);
                line[x] = qRgb(byte(values[i]), byte(values[plane + i]), byte(values[2 * plane + i]));
            }
        } else {
            uchar* line = image.scanLine(y);
            for (int x = 0; x < width; ++x)
                line[x] = static_cast<uchar>(byte(values[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)]));
        }
    }
    return image;
}

void SampleGridWidget::setDataset(const core::DatasetPtr& dataset, int count)
{
    m_images.clear();
    m_labels.clear();
    m_message.clear();
    if (!dataset) {
        m_message = tr("No dataset loaded");
    } else if (!dataset->isImage()) {
        m_message = tr("%1 holds feature vectors, not images").arg(QString::fromStdString(dataset->name()));
    } else if (dataset->size() > 0) {
        const auto names = dataset->classNames();
        const std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(std::max(count, 0)), dataset->size());
        std::vector<float> sample(dataset->sampleSize());
        // Prime stride: spreads the picks over the set without sorting by class.
        const std::size_t stride = std::max<std::size_t>(1, dataset->size() / std::max<std::size_t>(n, 1));
        for (std::size_t k = 0; k < n; ++k) {
            const std::size_t index = (k * stride + (k * 7919) % std::max<std::size_t>(stride, 1)) % dataset->size();
            dataset->copySample(index, sample.data());
            m_images.push_back(sampleImage(sample.data(), dataset->sampleShape()));
            const int label = dataset->label(index);
            m_labels.push_back(label >= 0 && label < static_cast<int>(names.size()) ? QString::fromStdString(names[static_cast<std::size_t>(label)])
                                                                                      : QString::number(label));
        }
    }
    updateGeometry();
    update();
}

int SampleGridWidget::cellWidth() const { return kImageSize + kGap; }
int SampleGridWidget::cellHeight() const { return kImageSize + fontMetrics().height() + kGap + 2; }
int SampleGridWidget::columnsFor(int width) const { return std::max(1, (width - kGap) / cellWidth()); }

QSize SampleGridWidget::sizeHint() const { return {cellWidth() * 6 + kGap, heightForWidth(cellWidth() * 6 + kGap)}; }

int SampleGridWidget::heightForWidth(int width) const
{
    if (m_images.empty())
        return fontMetrics().height() * 3;
    const int columns = columnsFor(width);
    const int rows = (static_cast<int>(m_images.size()) + columns - 1) / columns;
    return rows * cellHeight() + kGap;
}

void SampleGridWidget::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Base));
    if (m_images.empty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, m_message);
        return;
    }
    const int columns = columnsFor(width());
    const int offset = (width() - columns * cellWidth() + kGap) / 2;
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    painter.setFont(small);
    for (std::size_t i = 0; i < m_images.size(); ++i) {
        const int col = static_cast<int>(i) % columns, row = static_cast<int>(i) / columns;
        const QRect imageRect(offset + col * cellWidth(), kGap + row * cellHeight(), kImageSize, kImageSize);
        painter.setRenderHint(QPainter::SmoothPixmapTransform, false);  // pixels stay crisp
        painter.drawImage(imageRect, m_images[i]);
        painter.setPen(palette().color(QPalette::Mid));
        painter.drawRect(imageRect.adjusted(0, 0, -1, -1));
        painter.setPen(palette().color(QPalette::Text));
        const QRect textRect(imageRect.left() - kGap / 2, imageRect.bottom() + 1, cellWidth(), fontMetrics().height() + 2);
        painter.drawText(textRect, Qt::AlignHCenter | Qt::AlignTop,
                         painter.fontMetrics().elidedText(m_labels[i], Qt::ElideRight, cellWidth()));
    }
}

}  // namespace layerlens::ui
