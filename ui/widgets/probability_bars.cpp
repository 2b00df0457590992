#include "ui/widgets/probability_bars.h"

#include <QPainter>
#include <algorithm>
#include <cmath>

namespace layerlens::ui {

namespace {
constexpr int kMaxBars = 64; // more would not be legible; the rest are summarised in the title
}

ProbabilityBars::ProbabilityBars(QWidget* parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void ProbabilityBars::setValues(const std::vector<float>& values, const QStringList& labels, bool fixedUnitRange)
{
    const bool countChanged = values.size() != m_values.size();
    m_values = values;
    m_labels = labels;
    m_unitRange = fixedUnitRange;
    if (countChanged)
        updateGeometry();
    update();
}

void ProbabilityBars::setTitle(const QString& title)
{
    m_title = title;
    update();
}

void ProbabilityBars::setHighlighted(int index)
{
    m_highlighted = index;
    update();
}

void ProbabilityBars::setBarColors(std::vector<QColor> colors)
{
    m_colors = std::move(colors);
    update();
}

void ProbabilityBars::clear()
{
    m_values.clear();
    m_labels.clear();
    updateGeometry();
    update();
}

QSize ProbabilityBars::sizeHint() const
{
    const int rows = std::min<int>(static_cast<int>(m_values.size()), kMaxBars);
    const int title = m_title.isEmpty() ? 0 : fontMetrics().height() + 6;
    return { 320, title + rows * (fontMetrics().height() + 4) + 8 };
}

QSize ProbabilityBars::minimumSizeHint() const
{
    return { 160, sizeHint().height() };
}

void ProbabilityBars::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing, true);
    const QFontMetrics fm = fontMetrics();
    int y = 2;
    if (!m_title.isEmpty()) {
        QFont bold = font();
        bold.setBold(true);
        painter.setFont(bold);
        painter.setPen(palette().color(QPalette::WindowText));
        painter.drawText(QRect(4, y, width() - 8, fm.height()), Qt::AlignLeft | Qt::AlignVCenter, m_title);
        painter.setFont(font());
        y += fm.height() + 6;
    }
    const int rows = std::min<int>(static_cast<int>(m_values.size()), kMaxBars);
    if (rows == 0)
        return;

    int labelWidth = 0;
    for (int i = 0; i < rows; ++i)
        labelWidth = std::max(labelWidth, fm.horizontalAdvance(i < m_labels.size() ? m_labels[i] : QString::number(i)));
    labelWidth = std::min(labelWidth + 8, width() / 3);
    const int valueWidth = fm.horizontalAdvance(QStringLiteral("-0.000e+00")) + 6;
    const QRect plot(labelWidth + 4, y, std::max(10, width() - labelWidth - valueWidth - 12), rows * (fm.height() + 4));

    float lo = 0, hi = 1;
    if (!m_unitRange) {
        lo = hi = 0;
        for (int i = 0; i < rows; ++i) {
            if (std::isfinite(m_values[static_cast<std::size_t>(i)])) {
                lo = std::min(lo, m_values[static_cast<std::size_t>(i)]);
                hi = std::max(hi, m_values[static_cast<std::size_t>(i)]);
            }
        }
        if (!(hi > lo))
            hi = lo + 1;
    }
    auto xOf = [&](float v) -> double {
        return plot.left()
            + static_cast<double>(std::clamp(v, lo, hi) - lo) / static_cast<double>(hi - lo) * plot.width();
    };
    const double zeroX = xOf(0);

    // Light guide lines at 0, 50 % and 100 % (or at zero for signed values).
    painter.setPen(QPen(palette().color(QPalette::Mid), 1, Qt::DotLine));
    if (m_unitRange) {
        for (float g : { 0.0f, 0.5f, 1.0f })
            painter.drawLine(QPointF(xOf(g), plot.top()), QPointF(xOf(g), plot.bottom()));
    } else {
        painter.drawLine(QPointF(zeroX, plot.top()), QPointF(zeroX, plot.bottom()));
    }

    const int rowHeight = fm.height() + 4;
    for (int i = 0; i < rows; ++i) {
        const float v = m_values[static_cast<std::size_t>(i)];
        const int top = plot.top() + i * rowHeight;
        const QString label = i < m_labels.size() ? m_labels[i] : QString::number(i);
        painter.setPen(palette().color(QPalette::WindowText));
        QFont f = font();
        f.setBold(i == m_highlighted);
        painter.setFont(f);
        painter.drawText(QRect(2, top, labelWidth, rowHeight), Qt::AlignRight | Qt::AlignVCenter,
            fm.elidedText(label, Qt::ElideRight, labelWidth - 4));
        QColor color = static_cast<std::size_t>(i) < m_colors.size() ? m_colors[static_cast<std::size_t>(i)]
                                                                     : palette().color(QPalette::Highlight);
        if (!m_unitRange && v < 0 && m_colors.empty())
            color = QColor(0x0072b2);
        const double x0 = std::min(zeroX, xOf(v)), x1 = std::max(zeroX, xOf(v));
        painter.setPen(Qt::NoPen);
        painter.setBrush(color);
        if (std::isfinite(v))
            painter.drawRoundedRect(QRectF(x0, top + 3, std::max(1.0, x1 - x0), rowHeight - 6), 2, 2);
        if (i == m_highlighted) {
            painter.setPen(QPen(palette().color(QPalette::WindowText), 1.2));
            painter.setBrush(Qt::NoBrush);
            painter.drawRect(QRectF(plot.left() - 1, top + 1, plot.width() + 2, rowHeight - 2));
        }
        painter.setPen(palette().color(QPalette::WindowText));
        const QString text = m_unitRange ? QStringLiteral("%1 %").arg(100.0 * v, 0, 'f', 1)
                                         : QString::number(static_cast<double>(v), 'g', 3);
        painter.drawText(QRect(plot.right() + 6, top, valueWidth, rowHeight), Qt::AlignLeft | Qt::AlignVCenter, text);
    }
    painter.setFont(font());
    if (static_cast<int>(m_values.size()) > rows) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(QRect(plot.left(), plot.bottom() + 2, plot.width(), fm.height()), Qt::AlignLeft,
            tr("… %1 more").arg(m_values.size() - static_cast<std::size_t>(rows)));
    }
}

} // namespace layerlens::ui
