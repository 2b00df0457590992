#include "ui/widgets/heatmap_widget.h"

#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

namespace layerlens::ui {

HeatmapWidget::HeatmapWidget(QWidget* parent)
    : QWidget(parent)
{
    setMouseTracking(true);
    setCursor(Qt::PointingHandCursor);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
}

void HeatmapWidget::setData(int width, int height, const float* values)
{
    const std::size_t n
        = width > 0 && height > 0 ? static_cast<std::size_t>(width) * static_cast<std::size_t>(height) : 0;
    setData(width, height, values && n ? std::vector<float>(values, values + n) : std::vector<float> {});
}

void HeatmapWidget::setData(int width, int height, std::vector<float> values)
{
    const bool sizeChanged = width != m_width || height != m_height;
    m_width = std::max(width, 0);
    m_height = std::max(height, 0);
    m_values = std::move(values);
    m_values.resize(static_cast<std::size_t>(m_width) * static_cast<std::size_t>(m_height),
        std::numeric_limits<float>::quiet_NaN());
    m_rgbImage = false;
    rebuildImage();
    if (sizeChanged)
        updateGeometry();
    update();
}

void HeatmapWidget::setImage(const QImage& image, int width, int height, std::vector<float> values)
{
    const bool sizeChanged = width != m_width || height != m_height;
    m_width = width;
    m_height = height;
    m_values = std::move(values);
    m_image = image;
    m_rgbImage = true;
    if (sizeChanged)
        updateGeometry();
    update();
}

void HeatmapWidget::clear()
{
    m_width = m_height = 0;
    m_values.clear();
    m_image = QImage();
    m_hoverText.clear();
    update();
}

void HeatmapWidget::setColorMap(ColorMap::Kind kind)
{
    if (m_kind == kind)
        return;
    m_kind = kind;
    rebuildImage();
    update();
}

void HeatmapWidget::setRange(float min, float max)
{
    m_fixedRange = true;
    m_min = min;
    m_max = max;
    rebuildImage();
    update();
}

void HeatmapWidget::setAutoRange()
{
    m_fixedRange = false;
    rebuildImage();
    update();
}

void HeatmapWidget::setCaption(const QString& caption)
{
    if (caption == m_caption)
        return;
    const bool heightChanged = caption.isEmpty() != m_caption.isEmpty();
    m_caption = caption;
    if (heightChanged)
        updateGeometry();
    update();
}

void HeatmapWidget::setShowLegend(bool show)
{
    m_showLegend = show;
    updateGeometry();
    update();
}

void HeatmapWidget::setSelected(bool selected)
{
    if (m_selected == selected)
        return;
    m_selected = selected;
    update();
}

void HeatmapWidget::setCellSize(int pixels)
{
    m_cellSize = std::max(1, pixels);
    updateGeometry();
}

void HeatmapWidget::setMaximumHintSize(int pixels)
{
    m_maxHint = std::max(16, pixels);
    updateGeometry();
}

float HeatmapWidget::valueAt(int x, int y) const
{
    if (x < 0 || y < 0 || x >= m_width || y >= m_height || m_values.empty())
        return std::numeric_limits<float>::quiet_NaN();
    return m_values[static_cast<std::size_t>(y) * static_cast<std::size_t>(m_width) + static_cast<std::size_t>(x)];
}

void HeatmapWidget::rebuildImage()
{
    if (m_rgbImage)
        return;
    if (!m_fixedRange) {
        float lo = std::numeric_limits<float>::infinity(), hi = -std::numeric_limits<float>::infinity();
        for (float v : m_values) {
            if (std::isfinite(v)) {
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
        }
        if (!(lo <= hi))
            lo = hi = 0;
        if (m_kind == ColorMap::Kind::Diverging)
            std::tie(lo, hi) = ColorMap::symmetricRange(lo, hi);
        m_min = lo;
        m_max = hi;
    }
    if (m_width <= 0 || m_height <= 0) {
        m_image = QImage();
        return;
    }
    m_image = ColorMap::forKind(m_kind).image(m_values.data(), m_width, m_height, m_min, m_max);
}

int HeatmapWidget::captionHeight() const
{
    return m_caption.isEmpty() ? 0 : fontMetrics().height() + 2;
}

int HeatmapWidget::legendHeight() const
{
    return m_showLegend ? 2 * fontMetrics().height() + 6 : 0;
}

QRect HeatmapWidget::mapRect() const
{
    const QRect area = rect().adjusted(2, 2, -2, -2 - captionHeight() - legendHeight());
    if (m_width <= 0 || m_height <= 0 || area.width() <= 0 || area.height() <= 0)
        return {};
    // Keep square cells: scale by the smaller factor and centre the map.
    const double scale
        = std::min(static_cast<double>(area.width()) / m_width, static_cast<double>(area.height()) / m_height);
    const int w = std::max(1, static_cast<int>(std::floor(scale * m_width)));
    const int h = std::max(1, static_cast<int>(std::floor(scale * m_height)));
    return { area.left() + (area.width() - w) / 2, area.top() + (area.height() - h) / 2, w, h };
}

QPoint HeatmapWidget::cellAt(const QPoint& position) const
{
    const QRect r = mapRect();
    if (r.isEmpty() || !r.contains(position))
        return { -1, -1 };
    const int x = std::clamp(
        static_cast<int>((position.x() - r.left()) * static_cast<double>(m_width) / r.width()), 0, m_width - 1);
    const int y = std::clamp(
        static_cast<int>((position.y() - r.top()) * static_cast<double>(m_height) / r.height()), 0, m_height - 1);
    return { x, y };
}

QSize HeatmapWidget::sizeHint() const
{
    if (m_width <= 0 || m_height <= 0)
        return { 64, 64 + captionHeight() + legendHeight() };
    double w = static_cast<double>(m_width) * m_cellSize, h = static_cast<double>(m_height) * m_cellSize;
    const double shrink = std::min(1.0, m_maxHint / std::max(w, h));
    w = std::max(24.0, w * shrink);
    h = std::max(8.0, h * shrink);
    return { static_cast<int>(w) + 4, static_cast<int>(h) + 4 + captionHeight() + legendHeight() };
}

QSize HeatmapWidget::minimumSizeHint() const
{
    return { 16, 12 + captionHeight() + legendHeight() };
}

void HeatmapWidget::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    const QRect r = mapRect();
    if (!m_image.isNull() && !r.isEmpty()) {
        painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
        painter.drawImage(r, m_image);
        if (m_hoverCell.x() >= 0 && m_width > 1 && m_height > 0) {
            const double cw = static_cast<double>(r.width()) / m_width, ch = static_cast<double>(r.height()) / m_height;
            if (cw >= 4 && ch >= 4) {
                painter.setPen(QPen(palette().color(QPalette::Highlight), 1.5));
                painter.setBrush(Qt::NoBrush);
                painter.drawRect(QRectF(r.left() + m_hoverCell.x() * cw, r.top() + m_hoverCell.y() * ch, cw, ch));
            }
        }
    }
    const QRect frame
        = r.isEmpty() ? rect().adjusted(1, 1, -1, -1 - captionHeight() - legendHeight()) : r.adjusted(-1, -1, 0, 0);
    painter.setBrush(Qt::NoBrush);
    if (m_selected) {
        painter.setPen(QPen(palette().color(QPalette::Highlight), 2));
        painter.drawRect(frame.adjusted(-1, -1, 1, 1));
    } else {
        painter.setPen(palette().color(QPalette::Mid));
        painter.drawRect(frame);
    }
    int y = (r.isEmpty() ? frame.bottom() : r.bottom()) + 2;
    if (!m_caption.isEmpty()) {
        painter.setPen(palette().color(QPalette::WindowText));
        const QRect textRect(0, y, width(), fontMetrics().height());
        painter.drawText(
            textRect, Qt::AlignHCenter | Qt::AlignTop, fontMetrics().elidedText(m_caption, Qt::ElideRight, width()));
        y += captionHeight();
    }
    if (m_showLegend && !m_rgbImage) {
        const int lw = std::min(width() - 8, 220);
        ColorMap::forKind(m_kind).drawLegend(
            painter, QRectF((width() - lw) / 2.0, y + 2, lw, legendHeight() - 4), m_min, m_max, palette());
    }
}

void HeatmapWidget::mouseMoveEvent(QMouseEvent* event)
{
    const QPoint cell = cellAt(event->position().toPoint());
    if (cell == m_hoverCell)
        return;
    m_hoverCell = cell;
    if (cell.x() < 0) {
        m_hoverText.clear();
        QToolTip::hideText();
    } else {
        const float v = valueAt(cell.x(), cell.y());
        m_hoverText
            = QStringLiteral("(%1, %2) = %3").arg(cell.x()).arg(cell.y()).arg(static_cast<double>(v), 0, 'g', 4);
        QToolTip::showText(event->globalPosition().toPoint(), m_hoverText, this);
        emit hovered(cell.x(), cell.y(), v);
    }
    update();
}

void HeatmapWidget::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton)
        m_pressed = true;
    QWidget::mousePressEvent(event);
}

void HeatmapWidget::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton && m_pressed && rect().contains(event->position().toPoint()))
        emit clicked();
    m_pressed = false;
    QWidget::mouseReleaseEvent(event);
}

void HeatmapWidget::leaveEvent(QEvent* event)
{
    m_hoverCell = { -1, -1 };
    m_hoverText.clear();
    update();
    QWidget::leaveEvent(event);
}

} // namespace layerlens::ui
