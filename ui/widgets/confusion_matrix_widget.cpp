#include "ui/widgets/confusion_matrix_widget.h"

#include "ui/widgets/color_map.h"

#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <cmath>

namespace layerlens::ui {

ConfusionMatrixWidget::ConfusionMatrixWidget(QWidget* parent)
    : QWidget(parent)
{
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void ConfusionMatrixWidget::setMatrix(const std::vector<int>& counts, const QStringList& classNames)
{
    const int k = static_cast<int>(std::lround(std::sqrt(static_cast<double>(counts.size()))));
    if (k <= 0 || static_cast<std::size_t>(k) * static_cast<std::size_t>(k) != counts.size()) {
        clear();
        return;
    }
    m_classes = k;
    m_counts = counts;
    m_names = classNames;
    m_rowTotals.assign(static_cast<std::size_t>(k), 0);
    for (int t = 0; t < k; ++t)
        for (int p = 0; p < k; ++p)
            m_rowTotals[static_cast<std::size_t>(t)] += count(t, p);
    updateGeometry();
    update();
}

void ConfusionMatrixWidget::clear()
{
    m_classes = 0;
    m_counts.clear();
    m_rowTotals.clear();
    update();
}

int ConfusionMatrixWidget::count(int t, int p) const
{
    if (t < 0 || p < 0 || t >= m_classes || p >= m_classes)
        return 0;
    return m_counts[static_cast<std::size_t>(t) * static_cast<std::size_t>(m_classes) + static_cast<std::size_t>(p)];
}

QString ConfusionMatrixWidget::cellText(int t, int p) const
{
    return QString::number(count(t, p));
}

QRgb ConfusionMatrixWidget::cellColor(int t, int p) const
{
    const int total = t >= 0 && t < m_classes ? m_rowTotals[static_cast<std::size_t>(t)] : 0;
    return ColorMap::viridis().rgb(total > 0 ? static_cast<double>(count(t, p)) / total : 0.0);
}

int ConfusionMatrixWidget::labelWidth() const
{
    int w = fontMetrics().horizontalAdvance(QStringLiteral("true"));
    for (int i = 0; i < m_classes; ++i)
        w = std::max(w, fontMetrics().horizontalAdvance(i < m_names.size() ? m_names[i] : QString::number(i)));
    return std::min(w + 10, 140);
}

QRect ConfusionMatrixWidget::gridRect() const
{
    if (m_classes <= 0)
        return {};
    const QFontMetrics fm = fontMetrics();
    const int left = labelWidth() + fm.height() + 8;
    const int top = fm.height() * 2 + 8;
    const int bottomReserve = labelWidth() + 8; // rotated predicted-class labels
    const int side = std::max(m_classes * 8, std::min(width() - left - 10, height() - top - bottomReserve));
    const int cell = side / m_classes;
    return { left, top, cell * m_classes, cell * m_classes };
}

QRect ConfusionMatrixWidget::cellRect(int t, int p) const
{
    const QRect g = gridRect();
    if (g.isEmpty())
        return {};
    const int cell = g.width() / m_classes;
    return { g.left() + p * cell, g.top() + t * cell, cell, cell };
}

QSize ConfusionMatrixWidget::sizeHint() const
{
    const int cell = 36;
    const int extra = labelWidth() + fontMetrics().height() * 3 + 24;
    return { std::max(1, m_classes) * cell + extra, std::max(1, m_classes) * cell + extra };
}

void ConfusionMatrixWidget::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    const QFontMetrics fm = fontMetrics();
    const QColor text = palette().color(QPalette::WindowText);
    if (m_classes <= 0) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter, tr("No confusion matrix yet"));
        return;
    }
    const QRect g = gridRect();
    const int cell = g.width() / m_classes;

    QFont small = font();
    if (cell < fm.horizontalAdvance(QStringLiteral("0000")) + 4)
        small.setPointSizeF(std::max(6.0, font().pointSizeF() * 0.75));
    else if (cell > 4 * fm.height())
        small.setPointSizeF(font().pointSizeF() * 1.2);
    const QFontMetrics smallFm(small);
    for (int t = 0; t < m_classes; ++t) {
        for (int p = 0; p < m_classes; ++p) {
            const QRect r = cellRect(t, p);
            const QRgb c = cellColor(t, p);
            painter.fillRect(r, QColor::fromRgb(c));
            if (cell >= 12) {
                painter.setFont(small);
                painter.setPen(ColorMap::textColorOn(c));
                painter.drawText(r, Qt::AlignCenter, smallFm.elidedText(cellText(t, p), Qt::ElideNone, r.width()));
            }
        }
    }
    painter.setFont(font());
    // Diagonal outline: the correct predictions.
    painter.setPen(QPen(palette().color(QPalette::Base), 1));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(g.adjusted(0, 0, -1, -1));

    // Class names: rows (true) on the left, columns (predicted) rotated underneath.
    painter.setPen(text);
    const int lw = labelWidth();
    for (int i = 0; i < m_classes; ++i) {
        const QString name = i < m_names.size() ? m_names[i] : QString::number(i);
        const QRect row = cellRect(i, 0);
        painter.drawText(QRect(g.left() - lw - 4, row.top(), lw, row.height()), Qt::AlignRight | Qt::AlignVCenter,
            fm.elidedText(name, Qt::ElideRight, lw));
        const QRect col = cellRect(0, i);
        painter.save();
        painter.translate(col.center().x() + fm.ascent() / 2.0 - 2, g.bottom() + 6);
        painter.rotate(-90);
        painter.drawText(QRect(-lw, -fm.ascent(), lw, fm.height()), Qt::AlignRight | Qt::AlignVCenter,
            fm.elidedText(name, Qt::ElideRight, lw));
        painter.restore();
    }
    QFont bold = font();
    bold.setBold(true);
    painter.setFont(bold);
    painter.drawText(
        QRect(g.left(), g.top() - fm.height() - 4, g.width(), fm.height()), Qt::AlignHCenter, tr("predicted class →"));
    painter.save();
    painter.translate(fm.height() / 2.0 + 2, g.center().y());
    painter.rotate(-90);
    painter.drawText(
        QRect(-g.height() / 2, -fm.height() / 2, g.height(), fm.height()), Qt::AlignCenter, tr("← true class"));
    painter.restore();
}

void ConfusionMatrixWidget::mouseMoveEvent(QMouseEvent* event)
{
    const QRect g = gridRect();
    const QPoint pos = event->position().toPoint();
    if (g.isEmpty() || !g.contains(pos)) {
        QToolTip::hideText();
        return;
    }
    const int cell = g.width() / m_classes;
    const int p = std::min((pos.x() - g.left()) / cell, m_classes - 1),
              t = std::min((pos.y() - g.top()) / cell, m_classes - 1);
    const int total = m_rowTotals[static_cast<std::size_t>(t)];
    const QString name = [this](int i) { return i < m_names.size() ? m_names[i] : QString::number(i); }(t);
    const QString pred = p < m_names.size() ? m_names[p] : QString::number(p);
    QToolTip::showText(event->globalPosition().toPoint(),
        tr("true %1, predicted %2: %3 of %4 (%5 %)")
            .arg(name, pred)
            .arg(count(t, p))
            .arg(total)
            .arg(total > 0 ? 100.0 * count(t, p) / total : 0.0, 0, 'f', 1),
        this);
}

} // namespace layerlens::ui
