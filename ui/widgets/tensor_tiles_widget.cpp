#include "ui/widgets/tensor_tiles_widget.h"

#include <QImage>
#include <QPainter>
#include <algorithm>
#include <cmath>
#include <limits>

namespace layerlens::ui {

TensorTilesWidget::TensorTilesWidget(QWidget* parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

QColor TensorTilesWidget::colorFor(float v, float maxAbs)
{
    if (!std::isfinite(v))
        return QColor(255, 0, 255);
    const float t = maxAbs > 0 ? std::clamp(v / maxAbs, -1.0f, 1.0f) : 0.0f;
    // ColorBrewer RdBu end points around a soft white.
    const QColor zero(247, 247, 247), negative(33, 102, 172), positive(178, 24, 43);
    const QColor& end = t < 0 ? negative : positive;
    const float a = std::sqrt(std::abs(t));  // lift small values so that structure shows
    return QColor::fromRgbF(zero.redF() + (end.redF() - zero.redF()) * a, zero.greenF() + (end.greenF() - zero.greenF()) * a,
                            zero.blueF() + (end.blueF() - zero.blueF()) * a);
}

QColor TensorTilesWidget::sequentialColorFor(float v, float low, float high)
{
    if (!std::isfinite(v))
        return QColor(255, 0, 255);
    const float t = high > low ? std::clamp((v - low) / (high - low), 0.0f, 1.0f) : 0.0f;
    const QColor from(250, 250, 250), to(103, 0, 13);
    return QColor::fromRgbF(from.redF() + (to.redF() - from.redF()) * t, from.greenF() + (to.greenF() - from.greenF()) * t,
                            from.blueF() + (to.blueF() - from.blueF()) * t);
}

void TensorTilesWidget::setTiles(std::vector<ValueTile> tiles)
{
    m_tiles = std::move(tiles);
    m_maxAbs = 0;
    m_min = std::numeric_limits<float>::max();
    for (const auto& tile : m_tiles)
        for (float v : tile.values)
            if (std::isfinite(v)) {
                m_maxAbs = std::max(m_maxAbs, std::abs(v));
                m_min = std::min(m_min, v);
            }
    m_sequential = m_min >= 0 && m_min < std::numeric_limits<float>::max();
    if (m_maxAbs == 0)
        m_maxAbs = 1;
    update();
}

void TensorTilesWidget::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().base());
    if (m_tiles.empty())
        return;
    const int count = static_cast<int>(m_tiles.size());
    const bool labels = count > 1;
    // Grid with roughly square cells that fits the widget.
    const double aspect = static_cast<double>(width()) / std::max(height(), 1);
    int columns = std::max(1, static_cast<int>(std::ceil(std::sqrt(count * aspect))));
    columns = std::min(columns, count);
    const int rows = (count + columns - 1) / columns;
    const int gap = 4, labelHeight = labels ? 12 : 0;
    const double cellW = (width() - gap * (columns + 1)) / static_cast<double>(columns);
    const double cellH = (height() - gap * (rows + 1)) / static_cast<double>(rows) - labelHeight;
    if (cellW < 2 || cellH < 2)
        return;
    QFont small = font();
    small.setPointSizeF(std::max(6.5, small.pointSizeF() - 2));
    painter.setFont(small);
    for (int k = 0; k < count; ++k) {
        const ValueTile& tile = m_tiles[static_cast<std::size_t>(k)];
        if (tile.rows <= 0 || tile.cols <= 0)
            continue;
        QImage image(tile.cols, tile.rows, QImage::Format_RGB32);
        for (int r = 0; r < tile.rows; ++r)
            for (int c = 0; c < tile.cols; ++c)
            {
                const float v = tile.values[static_cast<std::size_t>(r * tile.cols + c)];
                image.setPixelColor(c, r, m_sequential ? sequentialColorFor(v, m_min, m_maxAbs) : colorFor(v, m_maxAbs));
            }
        // Keep pixels square; a one-row tile (a vector) may stretch to a readable height.
        double scale = std::min(cellW / tile.cols, cellH / tile.rows);
        double w = tile.cols * scale, h = tile.rows * scale;
        if (tile.rows == 1) {
            w = cellW;
            h = std::min(cellH, std::max(scale, 18.0));
        }
        const double x0 = gap + (k % columns) * (cellW + gap) + (cellW - w) / 2;
        const double y0 = gap + (k / columns) * (cellH + gap + labelHeight) + (cellH - h) / 2;
        const QRectF target(x0, y0, w, h);
        painter.drawImage(target, image);
        painter.setPen(QColor(0, 0, 0, 60));
        painter.drawRect(target);
        if (labels) {
            painter.setPen(palette().color(QPalette::Text));
            painter.drawText(QRectF(x0, y0 + h + 1, w, labelHeight), Qt::AlignHCenter | Qt::AlignTop, tile.label);
        }
    }
}

}  // namespace layerlens::ui
