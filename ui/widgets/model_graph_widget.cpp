#include "ui/widgets/model_graph_widget.h"

#include <QApplication>
#include <QFontMetrics>
#include <QGraphicsPathItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainterPath>
#include <QScrollBar>
#include <QResizeEvent>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace layerlens::ui {

namespace {

constexpr double kBoxWidth = 176, kBoxHeight = 46, kGapX = 28, kRowPitch = 78;
constexpr int kLayerKey = 0;  // QGraphicsItem::data key holding the layer index

QString shapeText(const std::vector<long long>& shape)
{
    if (shape.empty())
        return {};
    QStringList dims;
    for (long long d : shape)
        dims << (d < 0 ? QStringLiteral("?") : QString::number(d));
    return QLatin1Char('(') + dims.join(QStringLiteral(", ")) + QLatin1Char(')');
}

}  // namespace

ModelGraphWidget::ModelGraphWidget(QWidget* parent) : QGraphicsView(parent), m_scene(new QGraphicsScene(this))
{
    setObjectName(QStringLiteral("modelGraph"));
    setScene(m_scene);
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing | QPainter::SmoothPixmapTransform);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setAlignment(Qt::AlignHCenter | Qt::AlignTop);
    setFocusPolicy(Qt::StrongFocus);
    setToolTip(tr("Click a layer to select it; Ctrl+wheel or +/- to zoom, 0 to fit"));
}

QColor ModelGraphWidget::colorForType(const QString& type)
{
    const QString t = type.toLower();
    auto any = [&t](std::initializer_list<const char*> words) {
        return std::any_of(words.begin(), words.end(), [&t](const char* w) { return t.contains(QLatin1String(w)); });
    };
    if (t == QLatin1String("input") || t == QLatin1String("inputlayer"))
        return {0xcf, 0xd8, 0xdc};
    if (t.startsWith(QLatin1String("conv")))
        return {0x9e, 0xc9, 0xf5};
    if (any({"gemm", "matmul", "dense", "linear"}))
        return {0xd1, 0xa6, 0xe0};
    if (any({"pool"}))
        return {0xff, 0xcf, 0x8a};
    if (any({"norm", "dropout", "rescaling"}))
        return {0x8f, 0xd3, 0xcb};
    if (any({"relu", "sigmoid", "tanh", "softmax", "elu", "selu", "softplus", "activation", "clip", "swish", "gelu"}))
        return {0xad, 0xdb, 0xaf};
    if (any({"add", "sub", "mul", "div", "concat", "sum", "max", "min"}))
        return {0xf5, 0xa3, 0xc0};
    return {0xe3, 0xe3, 0xe3};
}

void ModelGraphWidget::clear()
{
    m_scene->clear();
    m_nodes.clear();
    m_edgeCount = 0;
    m_selected = -1;
}

void ModelGraphWidget::setLayers(const std::vector<core::InspectedLayer>& layers)
{
    clear();
    const int n = static_cast<int>(layers.size());
    if (n == 0)
        return;
    // Rows by depth; within a row, order by the mean x of the inputs (fewer crossings), then
    // spread around that mean so a chain stays a straight column.
    std::map<int, std::vector<int>> rows;
    for (int i = 0; i < n; ++i)
        rows[layers[static_cast<std::size_t>(i)].depth].push_back(i);
    std::vector<QPointF> position(static_cast<std::size_t>(n));
    for (auto& [depth, members] : rows) {
        std::vector<double> wanted(members.size(), 0.0);
        for (std::size_t k = 0; k < members.size(); ++k) {
            const auto& inputs = layers[static_cast<std::size_t>(members[k])].inputs;
            if (inputs.empty()) {
                wanted[k] = static_cast<double>(k) * (kBoxWidth + kGapX);
                continue;
            }
            double sum = 0;
            for (int input : inputs)
                sum += position[static_cast<std::size_t>(input)].x();
            wanted[k] = sum / static_cast<double>(inputs.size());
        }
        std::vector<std::size_t> order(members.size());
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(), [&wanted](std::size_t a, std::size_t b) { return wanted[a] < wanted[b]; });
        const double centre = std::accumulate(wanted.begin(), wanted.end(), 0.0) / static_cast<double>(wanted.size());
        const double span = static_cast<double>(members.size() - 1) * (kBoxWidth + kGapX);
        for (std::size_t k = 0; k < order.size(); ++k) {
            const double x = centre - span / 2 + static_cast<double>(k) * (kBoxWidth + kGapX);
            position[static_cast<std::size_t>(members[order[k]])] = QPointF(x, depth * kRowPitch);
        }
    }

    const QPalette pal = palette();
    QColor edgeColor = pal.color(QPalette::Text);
    edgeColor.setAlpha(150);
    const QPen edgePen(edgeColor, 1.4);
    for (int i = 0; i < n; ++i) {
        const QPointF to = position[static_cast<std::size_t>(i)] + QPointF(0, -kBoxHeight / 2);
        for (int input : layers[static_cast<std::size_t>(i)].inputs) {
            const QPointF from = position[static_cast<std::size_t>(input)] + QPointF(0, kBoxHeight / 2);
            QPainterPath path(from);
            if (to.y() - from.y() > 1.5 * kRowPitch) {
                // A skip connection: arc out beside the boxes it passes instead of through them.
                const double side = std::max(from.x(), to.x()) + kBoxWidth / 2 + 18;
                const double r = 26;
                path.cubicTo(from + QPointF(0, r), QPointF(side, from.y() + r), QPointF(side, from.y() + 2 * r));
                path.lineTo(side, to.y() - 2 * r);
                path.cubicTo(QPointF(side, to.y() - r), to - QPointF(0, r), to - QPointF(0, 5));
            } else {
                const double bend = std::max(18.0, (to.y() - from.y()) / 2);
                path.cubicTo(from + QPointF(0, bend), to - QPointF(0, bend), to - QPointF(0, 5));
            }
            auto* edge = m_scene->addPath(path, edgePen);
            edge->setZValue(-1);
            QPainterPath head;
            head.moveTo(to);
            head.lineTo(to + QPointF(-4.5, -8));
            head.lineTo(to + QPointF(4.5, -8));
            head.closeSubpath();
            m_scene->addPath(head, Qt::NoPen, edgeColor)->setZValue(-1);
            ++m_edgeCount;
        }
    }

    QFont nameFont = font();
    nameFont.setBold(true);
    QFont detailFont = font();
    detailFont.setPointSizeF(std::max(7.0, font().pointSizeF() - 1.5));
    const QFontMetrics nameMetrics(nameFont), detailMetrics(detailFont);
    for (int i = 0; i < n; ++i) {
        const core::InspectedLayer& layer = layers[static_cast<std::size_t>(i)];
        const QPointF c = position[static_cast<std::size_t>(i)];
        QPainterPath box;
        box.addRoundedRect(QRectF(-kBoxWidth / 2, -kBoxHeight / 2, kBoxWidth, kBoxHeight), 7, 7);
        auto* node = m_scene->addPath(box, QPen(QColor(0, 0, 0, 90), 1), colorForType(QString::fromStdString(layer.type)));
        node->setPos(c);
        node->setData(kLayerKey, i);
        node->setCursor(Qt::PointingHandCursor);
        const QString name = QString::fromStdString(layer.name.empty() ? layer.type : layer.name);
        const QString detail = QString::fromStdString(layer.type) + QStringLiteral("  ") + shapeText(layer.outputShape);
        node->setToolTip(QStringLiteral("<b>%1</b><br>%2<br>%3 parameters").arg(name.toHtmlEscaped(), detail.toHtmlEscaped()).arg(layer.parameters));
        auto* title = new QGraphicsSimpleTextItem(nameMetrics.elidedText(name, Qt::ElideMiddle, static_cast<int>(kBoxWidth) - 14), node);
        title->setFont(nameFont);
        title->setBrush(QColor(0x1d, 0x1d, 0x1f));
        title->setPos(-title->boundingRect().width() / 2, -kBoxHeight / 2 + 5);
        auto* sub = new QGraphicsSimpleTextItem(detailMetrics.elidedText(detail, Qt::ElideRight, static_cast<int>(kBoxWidth) - 12), node);
        sub->setFont(detailFont);
        sub->setBrush(QColor(0x3a, 0x3a, 0x40));
        sub->setPos(-sub->boundingRect().width() / 2, kBoxHeight / 2 - sub->boundingRect().height() - 5);
        m_nodes.push_back(node);
    }
    m_scene->setSceneRect(m_scene->itemsBoundingRect().adjusted(-24, -24, 24, 24));
    m_autoFit = true;
    fitWidth();
}

void ModelGraphWidget::applySelectionStyle(int layer, bool selected)
{
    if (layer < 0 || layer >= nodeItemCount())
        return;
    QGraphicsPathItem* node = m_nodes[static_cast<std::size_t>(layer)];
    node->setPen(selected ? QPen(palette().color(QPalette::Highlight), 3) : QPen(QColor(0, 0, 0, 90), 1));
    node->setZValue(selected ? 1 : 0);
}

void ModelGraphWidget::setSelectedLayer(int layer)
{
    if (layer >= nodeItemCount())
        layer = -1;
    if (layer == m_selected)
        return;
    applySelectionStyle(m_selected, false);
    m_selected = layer;
    applySelectionStyle(m_selected, true);
    if (m_selected >= 0)
        ensureVisible(m_nodes[static_cast<std::size_t>(m_selected)], 10, 40);
}

QPoint ModelGraphWidget::nodeCenter(int layer) const
{
    if (layer < 0 || layer >= nodeItemCount())
        return {-1, -1};
    return mapFromScene(m_nodes[static_cast<std::size_t>(layer)]->scenePos());
}

int ModelGraphWidget::layerAt(const QPoint& viewportPosition) const
{
    for (QGraphicsItem* item = itemAt(viewportPosition); item; item = item->parentItem())
        if (item->data(kLayerKey).isValid())
            return item->data(kLayerKey).toInt();
    return -1;
}

void ModelGraphWidget::mousePressEvent(QMouseEvent* event)
{
    const int layer = event->button() == Qt::LeftButton ? layerAt(event->position().toPoint()) : -1;
    if (layer >= 0) {
        setSelectedLayer(layer);
        emit layerClicked(layer);
        event->accept();
        return;
    }
    QGraphicsView::mousePressEvent(event);  // empty space: drag to scroll
}

void ModelGraphWidget::fitWidth()
{
    resetTransform();
    const double available = viewport()->width() - 4;
    const double wanted = m_scene->sceneRect().width();
    if (wanted > available && available > 40) {
        const double factor = std::max(0.6, available / wanted);  // smaller is unreadable: scroll instead
        scale(factor, factor);
    }
    if (m_selected >= 0)
        ensureVisible(m_nodes[static_cast<std::size_t>(m_selected)], 10, 40);
}

void ModelGraphWidget::resizeEvent(QResizeEvent* event)
{
    QGraphicsView::resizeEvent(event);
    if (m_autoFit)
        fitWidth();
}

void ModelGraphWidget::zoomBy(double factor)
{
    m_autoFit = false;
    const double next = std::clamp(zoom() * factor, 0.1, 4.0);
    const double applied = next / zoom();
    scale(applied, applied);
}

double ModelGraphWidget::zoom() const { return transform().m11(); }

void ModelGraphWidget::fitAll()
{
    m_autoFit = false;
    fitInView(m_scene->sceneRect(), Qt::KeepAspectRatio);
    if (zoom() > 1.0)
        resetTransform();
}

void ModelGraphWidget::wheelEvent(QWheelEvent* event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        zoomBy(std::pow(1.0015, event->angleDelta().y()));
        event->accept();
        return;
    }
    QGraphicsView::wheelEvent(event);
}

void ModelGraphWidget::keyPressEvent(QKeyEvent* event)
{
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomBy(1.2);
        return;
    case Qt::Key_Minus:
        zoomBy(1 / 1.2);
        return;
    case Qt::Key_0:
        fitAll();
        return;
    default:
        QGraphicsView::keyPressEvent(event);
    }
}

}  // namespace layerlens::ui
