#include "ui/widgets/decision_plane_widget.h"

#include "ui/widgets/color_map.h"

#include <QEvent>
#include <QPainter>
#include <algorithm>
#include <cmath>

namespace layerlens::ui {

namespace {

// Axis ticks at 1, 2 or 5 times a power of ten, about `target` of them.
std::vector<double> niceTicks(double lo, double hi, int target)
{
    std::vector<double> ticks;
    if (!(hi > lo))
        return ticks;
    const double raw = (hi - lo) / std::max(1, target);
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = magnitude;
    for (double m : { 1.0, 2.0, 5.0, 10.0 }) {
        step = m * magnitude;
        if (step >= raw)
            break;
    }
    for (double t = std::ceil(lo / step) * step; t <= hi + 1e-9 * step; t += step)
        ticks.push_back(std::abs(t) < 1e-12 * step ? 0.0 : t);
    return ticks;
}

} // namespace

DecisionPlaneWidget::DecisionPlaneWidget(QWidget* parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void DecisionPlaneWidget::setGrid(
    int gridSize, const core::Tensor& probabilities, float minX, float maxX, float minY, float maxY)
{
    m_gridSize = gridSize;
    m_probabilities = probabilities;
    m_minX = minX;
    m_maxX = maxX;
    m_minY = minY;
    m_maxY = maxY;
    rebuildImage();
    update();
}

void DecisionPlaneWidget::setPoints(const core::Tensor& points, const std::vector<int>& labels)
{
    m_points = points;
    m_labels = labels;
    update();
}

void DecisionPlaneWidget::setClassNames(const QStringList& names)
{
    m_classNames = names;
    update();
}

void DecisionPlaneWidget::clear()
{
    m_gridSize = 0;
    m_probabilities = {};
    m_points = {};
    m_labels.clear();
    m_image = QImage();
    update();
}

QColor DecisionPlaneWidget::cellColor(int classIndex, float confidence, int classes, const QColor& background)
{
    const QColor c = ColorMap::categorical(classIndex);
    // 0 at chance level (1/K), 1 at certainty; a floor keeps the regions visible when unsure.
    const double chance = classes > 1 ? 1.0 / classes : 0.0;
    double w = classes > 1 ? (static_cast<double>(confidence) - chance) / (1.0 - chance) : 1.0;
    w = 0.25 + 0.75 * std::clamp(w, 0.0, 1.0);
    auto mix = [w](int a, int b) { return static_cast<int>(std::lround(b + (a - b) * w)); };
    return QColor(mix(c.red(), background.red()), mix(c.green(), background.green()), mix(c.blue(), background.blue()));
}

void DecisionPlaneWidget::rebuildImage()
{
    const std::size_t cells
        = m_gridSize > 0 ? static_cast<std::size_t>(m_gridSize) * static_cast<std::size_t>(m_gridSize) : 0;
    if (cells == 0 || m_probabilities.rank() != 2 || static_cast<std::size_t>(m_probabilities.dim(0)) != cells) {
        m_image = QImage();
        m_classes = 0;
        return;
    }
    m_classes = m_probabilities.dim(1);
    const QColor background = palette().color(QPalette::Base);
    m_image = QImage(m_gridSize, m_gridSize, QImage::Format_RGB32);
    for (int gy = 0; gy < m_gridSize; ++gy) {
        auto* line = reinterpret_cast<QRgb*>(m_image.scanLine(gy)); // grid row 0 is the top (maxY)
        for (int gx = 0; gx < m_gridSize; ++gx) {
            const float* p = m_probabilities.data() + (static_cast<std::size_t>(gy) * m_gridSize + gx) * m_classes;
            int best = 0;
            if (m_classes == 1) {
                // A single sigmoid output: probability of class 1.
                const float q = p[0];
                best = q >= 0.5f ? 1 : 0;
                line[gx] = cellColor(best, best ? q : 1 - q, 2, background).rgb();
                continue;
            }
            for (int k = 1; k < m_classes; ++k)
                if (p[k] > p[best])
                    best = k;
            line[gx] = cellColor(best, p[best], m_classes, background).rgb();
        }
    }
}

QRect DecisionPlaneWidget::plotRect() const
{
    const QFontMetrics fm = fontMetrics();
    const int left = fm.horizontalAdvance(QStringLiteral("-00.0")) + 14;
    const int bottom = 3 * fm.height() + 14; // tick labels, axis title, class legend
    const int side = std::max(10, std::min(width() - left - 12, height() - bottom - 10));
    return { left + std::max(0, (width() - left - 12 - side) / 2), 8, side, side };
}

QPoint DecisionPlaneWidget::cellCenter(int column, int row) const
{
    const QRect r = plotRect();
    if (m_gridSize <= 0)
        return r.center();
    const double cw = static_cast<double>(r.width()) / m_gridSize, ch = static_cast<double>(r.height()) / m_gridSize;
    return QPoint(static_cast<int>(r.left() + (column + 0.5) * cw), static_cast<int>(r.top() + (row + 0.5) * ch));
}

QPointF DecisionPlaneWidget::toWidget(double x, double y) const
{
    const QRect plot = plotRect();
    const double spanX = m_maxX > m_minX ? m_maxX - m_minX : 1.0;
    const double spanY = m_maxY > m_minY ? m_maxY - m_minY : 1.0;
    return { plot.left() + (x - m_minX) / spanX * plot.width(), plot.top() + (m_maxY - y) / spanY * plot.height() };
}

void DecisionPlaneWidget::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange)
        rebuildImage();
    QWidget::changeEvent(event);
}

void DecisionPlaneWidget::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    const QRect plot = plotRect();
    const QColor text = palette().color(QPalette::WindowText);
    painter.fillRect(plot, palette().color(QPalette::Base));
    if (!m_image.isNull()) {
        painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
        painter.drawImage(plot, m_image);
    }

    painter.setRenderHint(QPainter::Antialiasing, true);
    auto toWidget = [this](double x, double y) { return this->toWidget(x, y); };

    if (m_points.rank() == 2 && m_points.dim(1) >= 2) {
        painter.save();
        painter.setClipRect(plot);
        const double radius = std::clamp(plot.width() / 110.0, 2.5, 5.0);
        for (int i = 0; i < m_points.dim(0); ++i) {
            const float* p = m_points.data() + static_cast<std::size_t>(i) * static_cast<std::size_t>(m_points.dim(1));
            const int label
                = static_cast<std::size_t>(i) < m_labels.size() ? m_labels[static_cast<std::size_t>(i)] : -1;
            painter.setPen(QPen(QColor(25, 25, 25), 1.0));
            painter.setBrush(ColorMap::categorical(label));
            painter.drawEllipse(toWidget(p[0], p[1]), radius, radius);
        }
        painter.restore();
    }

    // Frame, ticks and axis labels.
    painter.setRenderHint(QPainter::Antialiasing, false);
    painter.setPen(palette().color(QPalette::Mid));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(plot.adjusted(0, 0, -1, -1));
    const QFontMetrics fm = fontMetrics();
    painter.setPen(text);
    for (double t : niceTicks(m_minX, m_maxX, 6)) {
        const double x = toWidget(t, m_minY).x();
        painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 4));
        painter.drawText(
            QRectF(x - 30, plot.bottom() + 5, 60, fm.height()), Qt::AlignHCenter, QString::number(t, 'g', 3));
    }
    for (double t : niceTicks(m_minY, m_maxY, 6)) {
        const double y = toWidget(m_minX, t).y();
        painter.drawLine(QPointF(plot.left() - 4, y), QPointF(plot.left(), y));
        painter.drawText(QRectF(0, y - fm.height() / 2.0, plot.left() - 6, fm.height()),
            Qt::AlignRight | Qt::AlignVCenter, QString::number(t, 'g', 3));
    }
    painter.drawText(QRect(plot.left(), plot.bottom() + fm.height() + 6, plot.width(), fm.height()), Qt::AlignHCenter,
        QStringLiteral("x₁"));
    // Class legend: a swatch and the name of every class seen in the grid or the points.
    int classes = m_classes == 1 ? 2 : m_classes;
    for (int label : m_labels)
        classes = std::max(classes, label + 1);
    if (classes > 0) {
        std::vector<QString> names;
        int total = 0;
        for (int k = 0; k < classes; ++k) {
            names.push_back(k < m_classNames.size() ? m_classNames[k] : tr("class %1").arg(k));
            total += fm.height() + 4 + fm.horizontalAdvance(names.back()) + 14;
        }
        double x = plot.center().x() - total / 2.0;
        const double y = plot.bottom() + 2 * fm.height() + 10;
        painter.setRenderHint(QPainter::Antialiasing, true);
        for (int k = 0; k < classes; ++k) {
            painter.setPen(QPen(QColor(25, 25, 25), 1.0));
            painter.setBrush(ColorMap::categorical(k));
            painter.drawEllipse(QRectF(x, y + 2, fm.height() - 4, fm.height() - 4));
            x += fm.height() + 2;
            painter.setPen(text);
            painter.drawText(QRectF(x, y, fm.horizontalAdvance(names[static_cast<std::size_t>(k)]) + 4, fm.height()),
                Qt::AlignLeft | Qt::AlignVCenter, names[static_cast<std::size_t>(k)]);
            x += fm.horizontalAdvance(names[static_cast<std::size_t>(k)]) + 16;
        }
        painter.setRenderHint(QPainter::Antialiasing, false);
    }

    painter.save();
    painter.translate(std::max(fm.height() / 2.0, plot.left() - fm.horizontalAdvance(QStringLiteral("-00.0")) - 14.0),
        plot.center().y());
    painter.rotate(-90);
    painter.drawText(QRect(-40, -fm.height() / 2, 80, fm.height()), Qt::AlignCenter, QStringLiteral("x₂"));
    painter.restore();
}

} // namespace layerlens::ui
