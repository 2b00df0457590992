#include "ui/views/network_graph_view.h"

#include <QCheckBox>
#include <QGraphicsEllipseItem>
#include <QGraphicsLineItem>
#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsView>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QSpinBox>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "core/lab/backprop_debugger.h"
#include "core/lab/chain_rule.h"
#include "ui/widgets/tensor_tiles_widget.h"

namespace layerlens::ui {

namespace {

constexpr double kRadius = 17, kColumnGap = 200, kRowGap = 46, kTop = 46;
const QColor kGradientPositive(230, 126, 34), kGradientNegative(22, 160, 133);

class WeightLine : public QGraphicsLineItem {
public:
    enum { Type = UserType + 41 };
    WeightLine(int layerIndex, int unitIndex, int inputIndex)
        : layer(layerIndex)
        , unit(unitIndex)
        , input(inputIndex)
    {
    }
    int type() const override { return Type; }
    int layer, unit, input;
};

class NeuronItem : public QGraphicsEllipseItem {
public:
    enum { Type = UserType + 42 };
    using QGraphicsEllipseItem::QGraphicsEllipseItem;
    int type() const override { return Type; }
};

QString number(double v) { return QString::fromStdString(core::formatLabNumber(v)); }

double distanceToSegment(const QPointF& p, const QLineF& line)
{
    const QPointF d = line.p2() - line.p1();
    const double length2 = d.x() * d.x() + d.y() * d.y();
    double t = length2 > 0 ? QPointF::dotProduct(p - line.p1(), d) / length2 : 0;
    t = std::clamp(t, 0.0, 1.0);
    const QPointF closest = line.p1() + t * d;
    return std::hypot(p.x() - closest.x(), p.y() - closest.y());
}

}  // namespace

struct NetworkGraphView::Column {
    int denseLayer = -1;  // -1: the inputs
    int valueLayer = -1;  // whose output the neurons show (-1: the model input)
    int units = 0;
    std::vector<QGraphicsEllipseItem*> neurons;
    std::vector<QGraphicsSimpleTextItem*> values, gradients;
    std::vector<WeightLine*> weights;  // into this column, kernel order (j * inputs + i)
    QGraphicsSimpleTextItem* header = nullptr;
    QGraphicsRectItem* band = nullptr;
};

// The drawing: fits the scene into the widget and picks the weight nearest a click.
class NetworkGraphView::Canvas : public QGraphicsView {
public:
    Canvas(QGraphicsScene* scene, NetworkGraphView* owner)
        : QGraphicsView(scene, owner)
        , m_owner(owner)
    {
        setRenderHint(QPainter::Antialiasing);
        setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        setFrameShape(QFrame::NoFrame);
        setBackgroundBrush(QColor(252, 252, 250));
    }
    void fit()
    {
        if (scene() && !scene()->sceneRect().isEmpty())
            fitInView(scene()->sceneRect(), Qt::KeepAspectRatio);
    }

protected:
    void resizeEvent(QResizeEvent* event) override
    {
        QGraphicsView::resizeEvent(event);
        fit();
    }
    void mousePressEvent(QMouseEvent* event) override
    {
        const QPointF p = mapToScene(event->position().toPoint());
        const double tolerance = 6.0 / std::max(transform().m11(), 1e-6);
        WeightLine* best = nullptr;
        double bestDistance = tolerance;
        for (QGraphicsItem* item : scene()->items(QRectF(p.x() - tolerance, p.y() - tolerance, 2 * tolerance, 2 * tolerance))) {
            if (item->type() != WeightLine::Type)
                continue;
            auto* line = static_cast<WeightLine*>(item);
            const double d = distanceToSegment(p, line->line());
            if (d <= bestDistance) {
                bestDistance = d;
                best = line;
            }
        }
        if (best)
            m_owner->selectWeight(best->layer, best->unit, best->input);
        QGraphicsView::mousePressEvent(event);
    }

private:
    NetworkGraphView* m_owner;
};

NetworkGraphView::NetworkGraphView(QWidget* parent)
    : QWidget(parent)
    , m_scene(new QGraphicsScene(this))
    , m_canvas(new Canvas(m_scene, this))
    , m_note(new QLabel(this))
    , m_sample(new QSpinBox(this))
    , m_showGradients(new QCheckBox(tr("Show weight gradients"), this))
    , m_legend(new QLabel(this))
    , m_chainRule(new QTextBrowser(this))
{
    m_sample->setRange(1, 1);
    m_sample->setPrefix(tr("sample "));
    m_sample->setToolTip(tr("Which sample of the batch the neuron values belong to"));
    m_showGradients->setToolTip(tr("Draw the lines by dL/dw instead of w (switches on by itself in the backward pass)"));
    m_legend->setStyleSheet("color: palette(mid);");
    m_note->setAlignment(Qt::AlignCenter);
    m_note->setWordWrap(true);
    m_note->hide();
    m_chainRule->setMaximumHeight(130);
    m_chainRule->setPlaceholderText(tr("Click a weight (a line) to see how backpropagation computes its gradient."));
    QFont mono("monospace");
    mono.setStyleHint(QFont::Monospace);
    m_chainRule->setFont(mono);

    auto* bar = new QHBoxLayout;
    bar->addWidget(m_sample);
    bar->addWidget(m_showGradients);
    bar->addStretch(1);
    bar->addWidget(m_legend);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_canvas, 1);
    layout->addWidget(m_note, 1);
    layout->addWidget(m_chainRule);

    connect(m_sample, &QSpinBox::valueChanged, this, [this] { updateValues(); });
    connect(m_showGradients, &QCheckBox::toggled, this, [this] { updateValues(); });
}

NetworkGraphView::~NetworkGraphView() = default;

void NetworkGraphView::setDebugger(const core::BackpropDebugger* debugger)
{
    m_debugger = debugger;
    m_model = nullptr;
    m_signature.clear();
    refresh();
}

void NetworkGraphView::setModel(const core::Model* model)
{
    m_model = model;
    m_debugger = nullptr;
    m_signature.clear();
    refresh();
}

const core::Model* NetworkGraphView::model() const { return m_debugger ? &m_debugger->model() : m_model; }

bool NetworkGraphView::outputReady(int layer) const
{
    const core::Model* m = model();
    if (m_debugger)
        return layer < 0 ? m_debugger->batchLoaded() : m_debugger->outputReady(layer);
    return layer < 0 ? !m->input().empty() : !m->output(layer).empty();
}

bool NetworkGraphView::outputGradientReady(int layer) const
{
    const core::Model* m = model();
    if (m_debugger)
        return layer < 0 ? m_debugger->inputGradientReady(0) : m_debugger->outputGradientReady(layer);
    return layer < 0 ? !m->inputGradient(0).empty() : !m->gradientAtOutput(layer).empty();
}

bool NetworkGraphView::parameterGradientReady(int layer) const
{
    if (m_debugger)
        return m_debugger->inputGradientReady(layer);
    const core::Model* m = model();
    return !m->inputGradient(layer).empty();
}

int NetworkGraphView::sample() const { return m_sample->value() - 1; }
void NetworkGraphView::setSample(int sample) { m_sample->setValue(sample + 1); }

int NetworkGraphView::neuronItemCount() const
{
    int n = 0;
    for (QGraphicsItem* item : m_scene->items())
        n += item->type() == NeuronItem::Type;
    return n;
}

int NetworkGraphView::weightItemCount() const
{
    int n = 0;
    for (QGraphicsItem* item : m_scene->items())
        n += item->type() == WeightLine::Type;
    return n;
}

QWidget* NetworkGraphView::canvasViewport() const { return m_canvas->viewport(); }

QString NetworkGraphView::chainRuleText() const { return m_chainRule->toPlainText(); }

QPoint NetworkGraphView::weightPosition(int layer, int unit, int input) const
{
    for (const Column& column : m_columns) {
        if (column.denseLayer != layer)
            continue;
        for (WeightLine* w : column.weights)
            if (w->unit == unit && w->input == input) {
                // 30% along the line: away from the crossings in the middle and from the circles.
                const QPointF p = w->line().pointAt(0.3);
                return m_canvas->mapFromScene(p);
            }
    }
    return {-1, -1};
}

void NetworkGraphView::refresh()
{
    const core::Model* m = model();
    std::string signature;
    if (m && m->isBuilt()) {
        signature = core::shapeToString(m->inputShape());
        for (int i = 0; i < m->layerCount(); ++i)
        {
            // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "literal" + string&&.
            signature += '|';
            signature += m->layer(i).type();
            signature += core::shapeToString(m->layerOutputShape(i));
        }
    }
    if (signature != m_signature) {
        m_signature = signature;
        rebuild();
    }
    updateValues();
}

void NetworkGraphView::rebuild()
{
    m_scene->clear();
    m_columns.clear();
    m_selectedLayer = -1;
    m_chainRule->clear();
    const core::Model* m = model();
    QString problem;
    if (!m || !m->isBuilt()) {
        problem = tr("No model to draw yet.");
    } else if (m->inputShape().size() != 1) {
        problem = tr("The network graph draws networks with a flat input (features); this model takes %1.")
                      .arg(QString::fromStdString(core::shapeToString(m->inputShape())));
    } else {
        Column input;
        input.units = m->inputShape()[0];
        m_columns.push_back(input);
        for (int i = 0; i < m->layerCount() && problem.isEmpty(); ++i) {
            const std::string type = m->layer(i).type();
            if (type == "Dense") {
                Column c;
                c.denseLayer = i;
                c.valueLayer = i;
                c.units = m->layerOutputShape(i)[0];
                m_columns.push_back(c);
            } else if (type == "Activation" || type == "Softmax" || type == "Dropout") {
                if (m_columns.size() > 1 && type != "Dropout")
                    m_columns.back().valueLayer = i;  // the neuron shows a = f(z)
            } else {
                problem = tr("The network graph draws Dense networks; layer %1 is %2.").arg(i).arg(QString::fromStdString(type));
            }
        }
        int neurons = 0;
        for (const Column& c : m_columns)
            neurons += c.units;
        if (problem.isEmpty() && neurons > kMaxNeurons)
            problem = tr("This network has %1 neurons; the graph draws at most %2. The tensor panels show every value.")
                          .arg(neurons)
                          .arg(kMaxNeurons);
    }
    m_supported = problem.isEmpty();
    m_canvas->setVisible(m_supported);
    m_note->setVisible(!m_supported);
    m_note->setText(problem);
    if (!m_supported) {
        m_columns.clear();
        return;
    }

    int tallest = 0;
    for (const Column& c : m_columns)
        tallest = std::max(tallest, c.units);
    const double height = kTop + tallest * kRowGap + 24;
    QFont headerFont = font();
    headerFont.setBold(true);
    QFont valueFont = font();
    valueFont.setPointSizeF(7.5);
    QFont gradientFont = valueFont;
    gradientFont.setPointSizeF(7);

    std::vector<std::vector<QPointF>> centres;
    for (std::size_t c = 0; c < m_columns.size(); ++c) {
        Column& column = m_columns[c];
        const double x = 60 + static_cast<double>(c) * kColumnGap;
        const double top = kTop + (tallest - column.units) * kRowGap / 2.0;
        column.band = m_scene->addRect(QRectF(x - kRadius - 14, kTop - 12, 2 * kRadius + 28, tallest * kRowGap + 10),
                                       Qt::NoPen, Qt::NoBrush);
        column.band->setZValue(-2);
        std::vector<QPointF> points;
        for (int u = 0; u < column.units; ++u)
            points.emplace_back(x, top + kRowGap * (u + 0.5));
        centres.push_back(points);
        QString title = tr("input");
        if (column.denseLayer >= 0) {
            const core::Layer& dense = m->layer(column.denseLayer);
            title = QString::fromStdString(dense.name());
            if (column.valueLayer != column.denseLayer) {
                const core::Layer& act = m->layer(column.valueLayer);
                const auto activation = core::activationOfLayer(act);
                title += " → " + (activation ? QString::fromStdString(activation->name()) : QString::fromStdString(act.type()).toLower());
            }
        }
        column.header = m_scene->addSimpleText(title, headerFont);
        column.header->setPos(x - column.header->boundingRect().width() / 2, 8);
    }
    // Weights first so that neurons sit on top of them.
    for (std::size_t c = 1; c < m_columns.size(); ++c) {
        Column& column = m_columns[c];
        const int inputs = m_columns[c - 1].units;
        for (int j = 0; j < column.units; ++j)
            for (int i = 0; i < inputs; ++i) {
                auto* line = new WeightLine(column.denseLayer, j, i);
                line->setLine(QLineF(centres[c - 1][static_cast<std::size_t>(i)] + QPointF(kRadius, 0),
                                     centres[c][static_cast<std::size_t>(j)] - QPointF(kRadius, 0)));
                line->setZValue(0);
                line->setToolTip(tr("w[%1][%2] of %3 — click for its chain rule").arg(j).arg(i).arg(QString::fromStdString(m->layer(column.denseLayer).name())));
                m_scene->addItem(line);
                column.weights.push_back(line);
            }
    }
    for (std::size_t c = 0; c < m_columns.size(); ++c) {
        Column& column = m_columns[c];
        for (int u = 0; u < column.units; ++u) {
            const QPointF p = centres[c][static_cast<std::size_t>(u)];
            auto* neuron = new NeuronItem(QRectF(p.x() - kRadius, p.y() - kRadius, 2 * kRadius, 2 * kRadius));
            neuron->setZValue(2);
            m_scene->addItem(neuron);
            column.neurons.push_back(neuron);
            auto* value = new QGraphicsSimpleTextItem(neuron);
            value->setFont(valueFont);
            column.values.push_back(value);
            auto* gradient = m_scene->addSimpleText(QString(), gradientFont);
            gradient->setZValue(3);
            gradient->setBrush(kGradientPositive.darker(125));
            gradient->setPos(p.x() - kRadius, p.y() + kRadius - 1);
            column.gradients.push_back(gradient);
        }
    }
    m_scene->setSceneRect(QRectF(0, 0, 120 + static_cast<double>(m_columns.size() - 1) * kColumnGap, height));
    m_canvas->fit();
}

void NetworkGraphView::updateValues()
{
    const core::Model* m = model();
    if (!m_supported || !m)
        return;
    const int batch = !m->input().empty() ? m->input().dim(0) : 1;
    m_sample->setMaximum(std::max(batch, 1));
    const int n = std::min(sample(), std::max(batch - 1, 0));

    core::TrainPhase phase = core::TrainPhase::Step;
    int phaseLayer = -1;
    if (m_debugger) {
        phase = m_debugger->phase();
        phaseLayer = m_debugger->phaseLayer();
        // Gradients are what the backward pass is about: show them while they flow.
        const bool backward = phase == core::TrainPhase::Backward || phase == core::TrainPhase::Update;
        if (m_showGradients->isChecked() != backward) {
            const QSignalBlocker block(m_showGradients);
            m_showGradients->setChecked(backward);
        }
    }
    const bool gradients = m_showGradients->isChecked();
    m_legend->setText(gradients ? tr("lines: <span style='color:#e67e22'>■</span> dL/dw &gt; 0  <span style='color:#16a085'>■</span> "
                                     "dL/dw &lt; 0  · <span style='color:#e67e22'>◯</span> dL/da has arrived · click a weight "
                                     "for its chain rule")
                                : tr("<span style='color:#b2182b'>■</span> positive  <span style='color:#2166ac'>■</span> "
                                     "negative  · <span style='color:#e67e22'>◯</span> dL/da has arrived · click a weight "
                                     "for its chain rule"));

    for (std::size_t c = 0; c < m_columns.size(); ++c) {
        Column& column = m_columns[c];
        const bool ready = outputReady(column.valueLayer);
        const core::Tensor& values = column.valueLayer < 0 ? m->input() : m->output(column.valueLayer);
        const bool gradientReady = outputGradientReady(column.valueLayer);
        const core::Tensor& grads = column.valueLayer < 0 ? m->inputGradient(0) : m->gradientAtOutput(column.valueLayer);
        const std::size_t base = static_cast<std::size_t>(n) * static_cast<std::size_t>(column.units);
        const bool haveValues = ready && values.size() >= base + static_cast<std::size_t>(column.units);
        const bool haveGradients = gradientReady && grads.size() >= base + static_cast<std::size_t>(column.units);
        float maxAbs = 1e-6f;
        for (int u = 0; haveValues && u < column.units; ++u)
            maxAbs = std::max(maxAbs, std::abs(values[base + static_cast<std::size_t>(u)]));
        for (int u = 0; u < column.units; ++u) {
            auto* neuron = column.neurons[static_cast<std::size_t>(u)];
            auto* text = column.values[static_cast<std::size_t>(u)];
            QColor fill(236, 236, 236);
            QString label = "·";
            if (haveValues) {
                const float v = values[base + static_cast<std::size_t>(u)];
                fill = TensorTilesWidget::colorFor(v, maxAbs);
                label = QString::number(v, 'f', std::abs(v) >= 10 ? 1 : 2);
            }
            neuron->setBrush(fill);
            const bool dark = fill.lightnessF() < 0.55;
            text->setBrush(dark ? Qt::white : QColor(30, 30, 30));
            text->setText(label);
            const QRectF r = neuron->rect();
            text->setPos(r.center() - QPointF(text->boundingRect().width() / 2, text->boundingRect().height() / 2));
            neuron->setPen(haveGradients ? QPen(kGradientPositive, 3.2) : QPen(QColor(90, 90, 90), 1.2));
            column.gradients[static_cast<std::size_t>(u)]->setText(
                haveGradients ? "δ " + number(grads[base + static_cast<std::size_t>(u)]) : QString());
            neuron->setToolTip(haveValues ? tr("value %1%2").arg(label, haveGradients ? tr(", dL/da %1").arg(number(grads[base + static_cast<std::size_t>(u)])) : QString())
                                          : tr("not computed for this batch yet"));
        }
        // Highlight the column the current phase works on.
        QColor band(0, 0, 0, 0);
        if (m_debugger && phaseLayer >= 0 && column.denseLayer >= 0
            && (phaseLayer == column.denseLayer || phaseLayer == column.valueLayer))
            band = phase == core::TrainPhase::Backward ? QColor(230, 126, 34, 45)
                   : phase == core::TrainPhase::Loss   ? QColor(142, 68, 173, 40)
                                                       : QColor(52, 120, 198, 40);
        column.band->setBrush(band);

        if (column.denseLayer < 0)
            continue;
        const auto params = m->layer(column.denseLayer).parameters();
        const core::Parameter& kernel = *params[0];
        const bool showGrad = gradients && parameterGradientReady(column.denseLayer);
        const core::Tensor& source = showGrad ? kernel.grad : kernel.value;
        float maxW = 1e-12f;
        for (std::size_t k = 0; k < source.size(); ++k)
            maxW = std::max(maxW, std::abs(source[k]));
        for (std::size_t k = 0; k < column.weights.size() && k < source.size(); ++k) {
            const float w = source[k];
            const double strength = std::abs(w) / maxW;
            QColor color;
            if (gradients && !showGrad) {
                color = QColor(180, 180, 180, 70);  // this layer's gradient has not arrived yet
            } else if (showGrad) {
                color = w >= 0 ? kGradientPositive : kGradientNegative;
                color.setAlphaF(0.25 + 0.7 * strength);
            } else {
                color = w >= 0 ? QColor(178, 24, 43) : QColor(33, 102, 172);
                color.setAlphaF(0.2 + 0.65 * strength);
            }
            const double width = gradients && !showGrad ? 0.6 : 0.5 + 4.5 * strength;
            QPen pen(color, width);
            pen.setCapStyle(Qt::RoundCap);
            column.weights[k]->setPen(pen);
        }
    }
    if (m_selectedLayer < 0)
        return;
    for (Column& column : m_columns)
        for (WeightLine* w : column.weights) {
            const bool selected = w->layer == m_selectedLayer && w->unit == m_selectedUnit && w->input == m_selectedInput;
            w->setZValue(selected ? 1 : 0);
            if (selected) {
                QPen pen = w->pen();
                pen.setColor(QColor(241, 196, 15));
                pen.setWidthF(std::max(pen.widthF(), 3.0));
                w->setPen(pen);
            }
        }
    showChainRule(m_selectedLayer, m_selectedUnit, m_selectedInput);
}

void NetworkGraphView::selectWeight(int layer, int unit, int input)
{
    m_selectedLayer = layer;
    m_selectedUnit = unit;
    m_selectedInput = input;
    updateValues();  // redraws the lines with the selection and shows the chain rule
    emit weightClicked(layer, unit, input);
}

void NetworkGraphView::showChainRule(int layer, int unit, int input)
{
    const core::Model* m = model();
    if (!m)
        return;
    const auto params = m->layer(layer).parameters();
    const int inputs = params[0]->value.dim(1);
    const float w = params[0]->value[static_cast<std::size_t>(unit * inputs + input)];
    if (!parameterGradientReady(layer)) {
        m_chainRule->setPlainText(tr("weight w[%1][%2] of layer %3 (%4) = %5\nIts gradient is computed in the backward pass of "
                                     "layer %3; step on (F10) until the backward pass reaches it.")
                                      .arg(unit)
                                      .arg(input)
                                      .arg(layer)
                                      .arg(QString::fromStdString(m->layer(layer).name()))
                                      .arg(number(w)));
        return;
    }
    try {
        const core::ChainRule rule = core::explainDenseWeight(*m, layer, unit, input);
        m_chainRule->setPlainText(QString::fromStdString(rule.text()));
    } catch (const std::exception& e) {
        m_chainRule->setPlainText(QString::fromUtf8(e.what()));
    }
}

}  // namespace layerlens::ui
