#include "ui/widgets/histogram_widget.h"

#include <QPainter>

#include <algorithm>

#include "ui/theme.h"

namespace layerlens::ui {

HistogramWidget::HistogramWidget(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("histogram"));
}

void HistogramWidget::setHistogram(std::vector<float> counts, float min, float max, float mean, const QString& title)
{
    m_counts = std::move(counts);
    m_min = min;
    m_max = max;
    m_mean = mean;
    m_title = title;
    update();
}

void HistogramWidget::clear()
{
    m_counts.clear();
    m_title.clear();
    update();
}

void HistogramWidget::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.fillRect(rect(), palette().base());
    const QColor text = palette().color(QPalette::Text);
    QColor faint = text;
    faint.setAlpha(110);
    const QFontMetrics fm(font());
    const int titleH = m_title.isEmpty() ? 0 : fm.height() + 4;
    const QRectF plot(10, 6 + titleH, width() - 20, height() - 12 - titleH - fm.height() - 4);
    if (!m_title.isEmpty()) {
        painter.setPen(text);
        painter.drawText(QRectF(10, 4, width() - 20, fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                         fm.elidedText(m_title, Qt::ElideRight, width() - 20));
    }
    if (m_counts.empty() || plot.height() < 10) {
        painter.setPen(faint);
        painter.drawText(rect(), Qt::AlignCenter, tr("No weights in this layer"));
        return;
    }
    const float top = std::max(1.0f, *std::max_element(m_counts.begin(), m_counts.end()));
    const double binW = plot.width() / static_cast<double>(m_counts.size());
    const QColor bar = Theme::seriesColor(0);
    for (std::size_t i = 0; i < m_counts.size(); ++i) {
        const double h = plot.height() * static_cast<double>(m_counts[i] / top);
        const QRectF r(plot.left() + static_cast<double>(i) * binW + 0.5, plot.bottom() - h, binW - 1, h);
        painter.fillRect(r, bar);
    }
    painter.setPen(QPen(faint, 1));
    painter.drawLine(plot.bottomLeft(), plot.bottomRight());
    auto xOf = [&](float v) { return plot.left() + plot.width() * static_cast<double>((v - m_min) / std::max(1e-12f, m_max - m_min)); };
    if (m_min < 0 && m_max > 0) {  // zero, where the sign changes
        painter.setPen(QPen(faint, 1, Qt::DashLine));
        painter.drawLine(QPointF(xOf(0), plot.top()), QPointF(xOf(0), plot.bottom()));
    }
    if (m_max > m_min) {
        painter.setPen(QPen(Theme::seriesColor(1), 1.5));
        painter.drawLine(QPointF(xOf(m_mean), plot.top()), QPointF(xOf(m_mean), plot.bottom()));
    }
    painter.setPen(text);
    const QRectF labels(plot.left(), plot.bottom() + 2, plot.width(), fm.height());
    painter.drawText(labels, Qt::AlignLeft | Qt::AlignTop, QString::number(m_min, 'g', 3));
    painter.drawText(labels, Qt::AlignRight | Qt::AlignTop, QString::number(m_max, 'g', 3));
    painter.setPen(Theme::seriesColor(1));
    painter.drawText(labels, Qt::AlignHCenter | Qt::AlignTop, tr("mean %1").arg(QString::number(m_mean, 'g', 3)));
}

}  // namespace layerlens::ui
