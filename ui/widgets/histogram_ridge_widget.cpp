#include "ui/widgets/histogram_ridge_widget.h"

#include "ui/widgets/color_map.h"

#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

namespace layerlens::ui {

HistogramRidgeWidget::HistogramRidgeWidget(QWidget* parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void HistogramRidgeWidget::setTitle(const QString& title)
{
    m_title = title;
    update();
}

void HistogramRidgeWidget::setSlices(std::vector<HistogramSlice> slices)
{
    m_slices = std::move(slices);
    update();
}

void HistogramRidgeWidget::clear()
{
    m_slices.clear();
    update();
}

void HistogramRidgeWidget::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing, true);
    const QFontMetrics fm = fontMetrics();
    const QColor text = palette().color(QPalette::WindowText);
    QFont bold = font();
    bold.setBold(true);
    painter.setFont(bold);
    painter.setPen(text);
    painter.drawText(QRect(6, 2, width() - 12, fm.height()), Qt::AlignLeft | Qt::AlignVCenter, m_title);
    painter.setFont(font());

    const QRect plot(10 + fm.horizontalAdvance(QStringLiteral("step 00000")), fm.height() + 10,
        width() - 20 - fm.horizontalAdvance(QStringLiteral("step 00000")), height() - 2 * fm.height() - 22);
    if (m_slices.empty() || plot.width() < 20 || plot.height() < 20) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter, tr("No histograms yet"));
        return;
    }

    float lo = m_slices.front().min, hi = m_slices.front().max;
    for (const auto& s : m_slices) {
        lo = std::min(lo, s.min);
        hi = std::max(hi, s.max);
    }
    if (!(hi > lo))
        hi = lo + 1;

    const int n = static_cast<int>(m_slices.size());
    // Each ridge gets a baseline; the newest is at the bottom and its peak may reach 3 rows up.
    const double offset = n > 1 ? plot.height() * 0.75 / (n - 1) : 0.0;
    const double ridgeHeight
        = n > 1 ? std::clamp(offset * 6.0, plot.height() * 0.08, plot.height() * 0.25) : plot.height() * 0.9;
    auto xOf = [&](double v) { return plot.left() + (v - lo) / (hi - lo) * plot.width(); };

    for (int i = 0; i < n; ++i) {
        const HistogramSlice& s = m_slices[static_cast<std::size_t>(i)];
        if (s.counts.empty())
            continue;
        const double baseline = plot.bottom() - (n - 1 - i) * offset;
        const float peak = *std::max_element(s.counts.begin(), s.counts.end());
        if (!(peak > 0))
            continue;
        const double binWidth = (static_cast<double>(s.max) - s.min) / static_cast<double>(s.counts.size());
        QPainterPath path;
        path.moveTo(xOf(s.min), baseline);
        for (std::size_t b = 0; b < s.counts.size(); ++b) {
            const double x = xOf(s.min + (static_cast<double>(b) + 0.5) * binWidth);
            path.lineTo(x, baseline - ridgeHeight * s.counts[b] / peak);
        }
        path.lineTo(xOf(s.max), baseline);
        path.closeSubpath();
        // Older slices: darker end of viridis and more transparent; newest: bright.
        const double age = n > 1 ? static_cast<double>(i) / (n - 1) : 1.0;
        QColor fill = ColorMap::viridis().color(0.15 + 0.75 * age);
        fill.setAlphaF(0.35 + 0.5 * age);
        painter.setBrush(fill);
        QColor outline = palette().color(QPalette::Base);
        outline.setAlphaF(0.8);
        painter.setPen(QPen(outline, 0.8));
        painter.drawPath(path);
    }

    // Axes: value axis at the bottom, step labels of the oldest and newest ridge on the left.
    painter.setPen(text);
    painter.drawLine(plot.bottomLeft(), plot.bottomRight());
    const QRect labels(plot.left(), plot.bottom() + 3, plot.width(), fm.height());
    painter.drawText(labels, Qt::AlignLeft, QString::number(static_cast<double>(lo), 'g', 3));
    painter.drawText(labels, Qt::AlignRight, QString::number(static_cast<double>(hi), 'g', 3));
    if (lo < 0 && hi > 0) {
        const double zx = xOf(0);
        painter.setPen(QPen(palette().color(QPalette::Mid), 1, Qt::DashLine));
        painter.drawLine(QPointF(zx, plot.top()), QPointF(zx, plot.bottom()));
        painter.setPen(text);
        painter.drawText(QRectF(zx - 20, plot.bottom() + 3, 40, fm.height()), Qt::AlignHCenter, QStringLiteral("0"));
    }
    painter.setPen(palette().color(QPalette::PlaceholderText));
    painter.drawText(QRect(2, plot.bottom() - fm.height(), plot.left() - 6, fm.height()),
        Qt::AlignRight | Qt::AlignVCenter, tr("step %1").arg(m_slices.back().step));
    if (n > 1)
        painter.drawText(
            QRect(2, static_cast<int>(plot.bottom() - (n - 1) * offset - fm.height()), plot.left() - 6, fm.height()),
            Qt::AlignRight | Qt::AlignVCenter, tr("step %1").arg(m_slices.front().step));
}

} // namespace layerlens::ui
