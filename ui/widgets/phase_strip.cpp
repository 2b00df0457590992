#include "ui/widgets/phase_strip.h"

#include <QPainter>
#include <QPainterPath>

namespace layerlens::ui {

namespace {

const QColor kForward(52, 120, 198), kLoss(142, 68, 173), kBackward(230, 126, 34), kUpdate(39, 174, 96);

}  // namespace

PhaseStrip::PhaseStrip(QWidget* parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void PhaseStrip::setLayerCount(int layers)
{
    m_layers = layers;
    update();
}

void PhaseStrip::setPhase(core::TrainPhase phase, int layer)
{
    m_phase = phase;
    m_layer = layer;
    update();
}

int PhaseStrip::currentChip() const
{
    switch (m_phase) {
    case core::TrainPhase::Forward: return m_layer;
    case core::TrainPhase::Loss: return m_layers;
    case core::TrainPhase::Backward: return m_layers + 1 + (m_layers - 1 - m_layer);
    case core::TrainPhase::Update: return 2 * m_layers + 1;
    default: return -1;
    }
}

void PhaseStrip::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const int chips = 2 * m_layers + 2;
    if (m_layers <= 0)
        return;
    const int current = currentChip();
    const double gap = 3;
    const double w = (width() - gap * (chips - 1)) / chips;
    QFont f = font();
    f.setPointSizeF(std::max(6.5, f.pointSizeF() - (w < 36 ? 2.5 : 1.0)));
    f.setBold(true);
    painter.setFont(f);
    for (int k = 0; k < chips; ++k) {
        QColor color;
        QString text;
        if (k < m_layers) {
            color = kForward;
            text = (w >= 44 ? "F " : "F") + QString::number(k);
        } else if (k == m_layers) {
            color = kLoss;
            text = "Loss";
        } else if (k < chips - 1) {
            color = kBackward;
            text = (w >= 44 ? "B " : "B") + QString::number(m_layers - 1 - (k - m_layers - 1));
        } else {
            color = kUpdate;
            text = w >= 50 ? "Update" : "Upd";
        }
        const QRectF r(k * (w + gap), 2, w, height() - 4);
        QPainterPath path;
        path.addRoundedRect(r, 5, 5);
        QColor fill = color;
        if (k == current) {
            painter.fillPath(path, fill);
            painter.setPen(Qt::white);
        } else if (k < current) {
            fill.setAlpha(70);
            painter.fillPath(path, fill);
            painter.setPen(color.darker(130));
        } else {
            fill.setAlpha(22);
            painter.fillPath(path, fill);
            painter.setPen(QColor(120, 120, 120));
        }
        painter.drawText(r, Qt::AlignCenter, text);
        if (k == current) {
            painter.setPen(QPen(color.darker(140), 1.5));
            painter.drawPath(path);
        }
    }
}

}  // namespace layerlens::ui
