#include "ui/widgets/ratio_bar_chart.h"

#include "ui/widgets/color_map.h"

#include <QPainter>
#include <algorithm>
#include <cmath>

namespace layerlens::ui {

RatioBarChart::RatioBarChart(QWidget* parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void RatioBarChart::setValues(std::vector<float> values, QStringList labels)
{
    m_values = std::move(values);
    m_labels = std::move(labels);
    update();
}

void RatioBarChart::setTitle(const QString& title)
{
    m_title = title;
    update();
}

void RatioBarChart::setHighlighted(int index)
{
    m_highlighted = index;
    update();
}

void RatioBarChart::clear()
{
    m_values.clear();
    m_labels.clear();
    update();
}

void RatioBarChart::paintEvent(QPaintEvent*)
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

    const int left = fm.horizontalAdvance(QStringLiteral("1e-06")) + 12;
    const QRect plot(left, fm.height() + 10, width() - left - 10, height() - 3 * fm.height() - 20);
    if (plot.width() < 20 || plot.height() < 20)
        return;
    const double logMin = std::log10(kLogMin), logMax = std::log10(kLogMax);
    auto yOf = [&](double v) {
        const double l = std::clamp(std::log10(std::max(v, kLogMin)), logMin, logMax);
        return plot.bottom() - (l - logMin) / (logMax - logMin) * plot.height();
    };

    // Decade grid and labels.
    for (int e = static_cast<int>(logMin); e <= static_cast<int>(logMax); ++e) {
        const double y = yOf(std::pow(10.0, e));
        painter.setPen(QPen(palette().color(QPalette::Midlight), 1, Qt::DotLine));
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        painter.setPen(text);
        painter.drawText(QRectF(0, y - fm.height() / 2.0, left - 6, fm.height()), Qt::AlignRight | Qt::AlignVCenter,
            e == 0 ? QStringLiteral("1") : QStringLiteral("1e%1").arg(e));
    }

    const int n = static_cast<int>(m_values.size());
    if (n == 0) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        // In the upper third: the centre holds the 1e-3 reference line.
        painter.drawText(QRect(plot.left(), plot.top(), plot.width(), plot.height() / 3), Qt::AlignCenter,
                         tr("No parameter updates yet"));
    }
    const double slot = n > 0 ? static_cast<double>(plot.width()) / n : 0;
    for (int i = 0; i < n; ++i) {
        const float v = m_values[static_cast<std::size_t>(i)];
        const double x = plot.left() + i * slot + slot * 0.15;
        const double y = yOf(v);
        QColor color = ColorMap::categorical(0);
        // Far from the rule of thumb (more than a factor 10 either way): draw in the warning colour.
        if (v > 0 && (v > 10 * kReference || v < 0.1 * kReference))
            color = ColorMap::categorical(3);
        painter.setPen(i == m_highlighted ? QPen(text, 1.5) : Qt::NoPen);
        painter.setBrush(color);
        if (v > 0)
            painter.drawRect(QRectF(x, y, slot * 0.7, plot.bottom() - y));
        // Label under the bar: "layer" and "parameter" on two lines, elided to the bar's slot.
        const QString label = i < m_labels.size() ? m_labels[i] : QString::number(i);
        const int dot = label.lastIndexOf(QLatin1Char('.'));
        const QString first = dot > 0 ? label.left(dot) : label, second = dot > 0 ? label.mid(dot + 1) : QString();
        painter.setPen(text);
        QFont labelFont = font();
        if (fm.horizontalAdvance(first) > slot - 2)
            labelFont.setPointSizeF(std::max(6.5, font().pointSizeF() * 0.8)); // narrow bars: smaller labels
        painter.setFont(labelFont);
        const QFontMetrics lfm(labelFont);
        const QRectF slotRect(plot.left() + i * slot, plot.bottom() + 2, slot, fm.height());
        painter.drawText(
            slotRect, Qt::AlignHCenter, lfm.elidedText(first, Qt::ElideMiddle, static_cast<int>(slot) - 2));
        painter.drawText(slotRect.translated(0, fm.height()), Qt::AlignHCenter,
            lfm.elidedText(second, Qt::ElideRight, static_cast<int>(slot) - 2));
        painter.setFont(font());
    }

    const double ry = yOf(kReference);
    painter.setPen(QPen(palette().color(QPalette::WindowText), 1.2, Qt::DashLine));
    painter.drawLine(QPointF(plot.left(), ry), QPointF(plot.right(), ry));
    painter.drawText(QRectF(plot.left() + 4, ry - fm.height() - 1, plot.width() - 8, fm.height()), Qt::AlignRight,
        tr("1e-3 rule of thumb"));
    painter.setPen(palette().color(QPalette::Mid));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(plot);
}

} // namespace layerlens::ui
