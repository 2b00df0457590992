#include "ui/views/gradient_view.h"

#include "ui/widgets/color_map.h"
#include "ui/widgets/ratio_bar_chart.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QCoreApplication>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPainter>
#include <QSplitter>
#include <QSvgGenerator>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

namespace layerlens::ui {

namespace {

// Past this many points a series is thinned to every second point, so a long run stays cheap
// to draw while keeping its shape.
constexpr std::size_t kMaxPointsPerSeries = 4000;

HistogramSlice sliceOf(long long step, const core::TensorStats& stats)
{
    HistogramSlice s;
    s.step = step;
    s.min = stats.histogramMin;
    s.max = stats.histogramMax;
    s.counts = stats.histogram;
    return s;
}

void keepLast(std::vector<HistogramSlice>& slices, HistogramSlice slice, std::size_t limit)
{
    if (slice.counts.empty())
        return;
    // Layer-step mode publishes several snapshots for one step: keep only the newest of them.
    if (!slices.empty() && slices.back().step == slice.step)
        slices.back() = std::move(slice);
    else
        slices.push_back(std::move(slice));
    if (slices.size() > limit)
        slices.erase(slices.begin(), slices.begin() + static_cast<long>(slices.size() - limit));
}

} // namespace

GradientView::GradientView(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(6);

    auto* bar = new QHBoxLayout;
    auto* title = new QLabel(tr("Gradients"), this);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.25);
    titleFont.setBold(true);
    title->setFont(titleFont);
    bar->addWidget(title);
    bar->addSpacing(16);
    bar->addWidget(new QLabel(tr("Layer:"), this));
    m_layerCombo = new QComboBox(this);
    m_layerCombo->setObjectName(QStringLiteral("gradientLayerCombo"));
    m_layerCombo->setMinimumContentsLength(16);
    bar->addWidget(m_layerCombo);
    m_layerInfo = new QLabel(this);
    m_layerInfo->setForegroundRole(QPalette::PlaceholderText);
    bar->addWidget(m_layerInfo, 1);
    layout->addLayout(bar);

    m_chart = new QChart;
    m_chart->setTitle(tr("Gradient norm ‖dL/d output‖ per layer with weights"));
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_axisX = new QValueAxis(m_chart);
    m_axisX->setTitleText(tr("step"));
    m_axisX->setLabelFormat(QStringLiteral("%d"));
    // Before the first step: whole-number ticks (0..1 with the default five ticks would read 0 0 0 0 1).
    m_axisX->setRange(0, 1);
    m_axisX->setTickCount(2);
    m_axisY = new QLogValueAxis(m_chart);
    m_axisY->setTitleText(tr("L2 norm (log)"));
    m_axisY->setBase(10);
    m_axisY->setLabelFormat(QStringLiteral("%.0e"));
    m_axisY->setRange(1e-4, 1);
    m_chart->addAxis(m_axisX, Qt::AlignBottom);
    m_chart->addAxis(m_axisY, Qt::AlignLeft);
    m_chartView = new QChartView(m_chart, this);
    m_chartView->setRenderHint(QPainter::Antialiasing, true);
    m_chartView->setMinimumSize(360, 240);

    m_ratios = new RatioBarChart(this);
    m_ratios->setObjectName(QStringLiteral("updateRatioChart"));
    m_ratios->setTitle(tr("Update / weight ratio ‖Δw‖ / ‖w‖ (latest step)"));
    m_valueRidge = new HistogramRidgeWidget(this);
    m_valueRidge->setObjectName(QStringLiteral("valueHistograms"));
    m_gradientRidge = new HistogramRidgeWidget(this);
    m_gradientRidge->setObjectName(QStringLiteral("gradientHistograms"));

    auto* top = new QSplitter(Qt::Horizontal, this);
    top->addWidget(m_chartView);
    top->addWidget(m_ratios);
    top->setStretchFactor(0, 3);
    top->setStretchFactor(1, 2);
    top->setSizes({ 600, 400 });
    auto* bottom = new QSplitter(Qt::Horizontal, this);
    bottom->addWidget(m_valueRidge);
    bottom->addWidget(m_gradientRidge);
    auto* vertical = new QSplitter(Qt::Vertical, this);
    vertical->addWidget(top);
    vertical->addWidget(bottom);
    vertical->setSizes({ 500, 400 });
    layout->addWidget(vertical, 1);

    applyChartPalette();
    connect(m_layerCombo, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int index) {
        if (index >= 0)
            setSelectedLayer(index);
    });
}

void GradientView::applyChartPalette()
{
    const QPalette p = palette();
    m_chart->setBackgroundBrush(p.color(QPalette::Base));
    m_chart->setBackgroundPen(QPen(p.color(QPalette::Mid)));
    m_chart->setTitleBrush(p.color(QPalette::WindowText));
    m_chart->legend()->setLabelColor(p.color(QPalette::WindowText));
    for (QAbstractAxis* axis : { static_cast<QAbstractAxis*>(m_axisX), static_cast<QAbstractAxis*>(m_axisY) }) {
        axis->setLabelsColor(p.color(QPalette::WindowText));
        axis->setTitleBrush(p.color(QPalette::WindowText));
        axis->setGridLineColor(p.color(QPalette::Midlight));
        axis->setLinePenColor(p.color(QPalette::Mid));
    }
    m_chartView->setBackgroundBrush(p.color(QPalette::Window));
}

void GradientView::changeEvent(QEvent* event)
{
    // Follow a switch between light and dark palettes: charts do not take the palette themselves.
    if (event->type() == QEvent::PaletteChange && m_chart)
        applyChartPalette();
    QWidget::changeEvent(event);
}

void GradientView::setHistory(const core::TrainingHistory* history)
{
    m_history = history;
    m_historyIndex = 0;
    for (std::size_t i = 0; i < m_series.size(); ++i) {
        m_points[i].clear();
        m_series[i]->clear();
    }
    m_minNorm = m_maxNorm = 0;
    m_maxStep = 0;
    refreshHistory();
}

QImage GradientView::renderImage()
{
    // Layouts settle through posted events; a screenshot taken right after a change must wait for them.
    for (int i = 0; i < 3; ++i)
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    return grab().toImage();
}

bool GradientView::exportSvg(const QString& path)
{
    QSvgGenerator generator;
    generator.setFileName(path);
    generator.setSize(size());
    generator.setViewBox(rect());
    generator.setTitle(tr("LayerLens gradients"));
    QPainter painter;
    if (!painter.begin(&generator))
        return false;
    render(&painter);
    return painter.end();
}

int GradientView::normPointCount(int layer) const
{
    if (layer < 0 || layer >= normSeriesCount())
        return 0;
    return static_cast<int>(m_series[static_cast<std::size_t>(layer)]->count());
}

int GradientView::histogramCount(int layer, bool gradients) const
{
    const auto& map = gradients ? m_gradientHistory : m_valueHistory;
    const auto it = map.find(layer);
    return it == map.end() ? 0 : static_cast<int>(it->second.size());
}

QString GradientView::layerLabel(int layer) const
{
    if (m_snapshot && layer >= 0 && static_cast<std::size_t>(layer) < m_snapshot->layers.size())
        return QString::fromStdString(m_snapshot->layers[static_cast<std::size_t>(layer)].name);
    return tr("layer %1").arg(layer + 1);
}

void GradientView::ensureSeries(int count)
{
    while (normSeriesCount() < count) {
        const int index = normSeriesCount();
        auto* series = new QLineSeries(m_chart);
        series->setName(layerLabel(index));
        QPen pen(ColorMap::categorical(index));
        pen.setWidthF(1.6);
        series->setPen(pen);
        m_chart->addSeries(series);
        series->attachAxis(m_axisX);
        series->attachAxis(m_axisY);
        m_series.push_back(series);
        m_points.emplace_back();
    }
}

void GradientView::refreshHistory()
{
    if (!m_history)
        return;
    if (m_history->stepCount() < m_historyIndex) {
        // The history was cleared (a new training run): start the curves again.
        for (std::size_t i = 0; i < m_series.size(); ++i) {
            m_points[i].clear();
            m_series[i]->clear();
        }
        m_historyIndex = 0;
        m_minNorm = m_maxNorm = 0;
        m_maxStep = 0;
    }
    const std::vector<core::StepRecord> records = m_history->stepsSince(m_historyIndex);
    if (records.empty())
        return;
    m_historyIndex += records.size();
    std::size_t layers = 0;
    for (const auto& r : records)
        layers = std::max(layers, r.gradientNorms.size());
    ensureSeries(static_cast<int>(layers));

    std::vector<bool> changed(m_series.size(), false);
    for (const auto& r : records) {
        m_maxStep = std::max(m_maxStep, r.step);
        for (std::size_t l = 0; l < r.gradientNorms.size(); ++l) {
            const double v = r.gradientNorms[l];
            // A log axis cannot show zero or negative values; a non-finite norm is reported elsewhere.
            if (!(v > 0) || !std::isfinite(v))
                continue;
            m_points[l].emplace_back(static_cast<double>(r.step), v);
            m_minNorm = m_minNorm > 0 ? std::min(m_minNorm, v) : v;
            m_maxNorm = std::max(m_maxNorm, v);
            changed[l] = true;
        }
    }
    for (std::size_t l = 0; l < m_series.size(); ++l) {
        if (!changed[l])
            continue;
        auto& points = m_points[l];
        if (points.size() > kMaxPointsPerSeries) {
            std::vector<QPointF> thinned;
            thinned.reserve(points.size() / 2 + 1);
            for (std::size_t i = 0; i < points.size(); i += 2)
                thinned.push_back(points[i]);
            if (thinned.back() != points.back())
                thinned.push_back(points.back());
            points = std::move(thinned);
        }
        m_series[l]->replace(QList<QPointF>(points.begin(), points.end()));
    }
    // Round the step axis up to a multiple of a 1-2-5 tick interval so the ticks fall on round steps.
    const double maxStep = std::max<double>(1.0, static_cast<double>(m_maxStep));
    const double raw = maxStep / 5.0, magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double tick = magnitude;
    for (double m : { 1.0, 2.0, 5.0, 10.0 }) {
        tick = std::max(1.0, m * magnitude);
        if (tick >= raw)
            break;
    }
    const double top = std::ceil(maxStep / tick) * tick;
    m_axisX->setRange(0, top);
    m_axisX->setTickCount(static_cast<int>(std::lround(top / tick)) + 1);
    if (m_minNorm > 0) {
        const double lo = std::pow(10.0, std::floor(std::log10(m_minNorm)));
        const double hi = std::pow(10.0, std::ceil(std::log10(m_maxNorm * 1.0001)));
        m_axisY->setRange(lo, std::max(hi, lo * 10));
    }
}

void GradientView::showSnapshot(const core::SnapshotPtr& snapshot)
{
    if (!snapshot) {
        clear();
        return;
    }
    m_snapshot = snapshot;
    ensureSeries(static_cast<int>(snapshot->layers.size()));
    // Lines for the layers with weights only (when there are any): activation, pooling and flatten
    // layers pass the gradient through and would crowd the chart with near-duplicate lines.
    const bool anyParameters = std::any_of(snapshot->layers.begin(), snapshot->layers.end(),
        [](const core::LayerSnapshot& l) { return !l.parameters.empty(); });
    int colorIndex = 0;
    for (std::size_t i = 0; i < m_series.size() && i < snapshot->layers.size(); ++i) {
        const QString name = QString::fromStdString(snapshot->layers[i].name);
        if (m_series[i]->name() != name)
            m_series[i]->setName(name);
        const bool visible = !anyParameters || !snapshot->layers[i].parameters.empty();
        // Colours by position among the visible lines, so the few lines drawn get the most distinct colours.
        if (visible) {
            const QColor color = ColorMap::categorical(colorIndex++);
            if (m_series[i]->pen().color() != color) {
                QPen pen = m_series[i]->pen();
                pen.setColor(color);
                m_series[i]->setPen(pen);
            }
        }
        if (m_series[i]->isVisible() != visible) {
            m_series[i]->setVisible(visible);
            for (QLegendMarker* marker : m_chart->legend()->markers(m_series[i]))
                marker->setVisible(visible);
        }
    }
    recordHistograms(*snapshot);
    updateLayerSelector();
    refreshHistory();
    updateRatios();
    updateRidges();
}

void GradientView::recordHistograms(const core::Snapshot& snapshot)
{
    for (std::size_t i = 0; i < snapshot.layers.size(); ++i) {
        const auto& l = snapshot.layers[i];
        const int layer = static_cast<int>(i);
        const core::TensorStats& values = l.parameters.empty() ? l.activation : l.parameters.front().value;
        const core::TensorStats& gradients = l.parameters.empty() ? l.gradient : l.parameters.front().gradient;
        keepLast(m_valueHistory[layer], sliceOf(snapshot.step, values), kHistogramsKept);
        keepLast(m_gradientHistory[layer], sliceOf(snapshot.step, gradients), kHistogramsKept);
    }
}

void GradientView::updateLayerSelector()
{
    QStringList names;
    for (const auto& l : m_snapshot->layers)
        names << QStringLiteral("%1 (%2)").arg(QString::fromStdString(l.name), QString::fromStdString(l.type));
    QStringList current;
    for (int i = 0; i < m_layerCombo->count(); ++i)
        current << m_layerCombo->itemText(i);
    if (names != current) {
        m_layerCombo->blockSignals(true);
        m_layerCombo->clear();
        m_layerCombo->addItems(names);
        // Default to the first layer that has weights: that is where the histograms say most.
        if (m_selectedLayer >= names.size() || m_selectedLayer < 0)
            m_selectedLayer = 0;
        if (current.isEmpty()) {
            for (std::size_t i = 0; i < m_snapshot->layers.size(); ++i) {
                if (!m_snapshot->layers[i].parameters.empty()) {
                    m_selectedLayer = static_cast<int>(i);
                    break;
                }
            }
        }
        m_layerCombo->setCurrentIndex(m_selectedLayer);
        m_layerCombo->blockSignals(false);
    }
}

void GradientView::setSelectedLayer(int layer)
{
    m_selectedLayer = layer;
    if (m_layerCombo->currentIndex() != layer && layer < m_layerCombo->count()) {
        m_layerCombo->blockSignals(true);
        m_layerCombo->setCurrentIndex(layer);
        m_layerCombo->blockSignals(false);
    }
    updateRatios();
    updateRidges();
}

void GradientView::updateRatios()
{
    if (!m_snapshot) {
        m_ratios->clear();
        return;
    }
    std::vector<float> values;
    QStringList labels;
    int highlighted = -1;
    for (std::size_t i = 0; i < m_snapshot->layers.size(); ++i) {
        const auto& l = m_snapshot->layers[i];
        for (const auto& p : l.parameters) {
            if (static_cast<int>(i) == m_selectedLayer && highlighted < 0)
                highlighted = static_cast<int>(values.size());
            values.push_back(p.updateToWeightRatio);
            labels << QStringLiteral("%1.%2").arg(QString::fromStdString(l.name), QString::fromStdString(p.name));
        }
    }
    // Updates are measured only in snapshots taken right after an optimizer step; others (epoch end,
    // layer steps) carry zeros. Keep the last measured ratios on screen rather than blanking them.
    const bool measured = std::any_of(values.begin(), values.end(), [](float v) { return v > 0; });
    if (!measured && labels == m_ratioLabels && !m_ratioValues.empty())
        values = m_ratioValues;
    m_ratioValues = values;
    m_ratioLabels = labels;
    m_ratios->setValues(std::move(values), labels);
    m_ratios->setHighlighted(highlighted);
}

void GradientView::updateRidges()
{
    const bool hasParameters = m_snapshot && m_selectedLayer >= 0
        && static_cast<std::size_t>(m_selectedLayer) < m_snapshot->layers.size()
        && !m_snapshot->layers[static_cast<std::size_t>(m_selectedLayer)].parameters.empty();
    const QString name = layerLabel(m_selectedLayer);
    if (hasParameters) {
        const auto& p = m_snapshot->layers[static_cast<std::size_t>(m_selectedLayer)].parameters.front();
        const QString param = QString::fromStdString(p.name);
        m_valueRidge->setTitle(tr("%1.%2 values over time").arg(name, param));
        m_gradientRidge->setTitle(tr("%1.%2 gradients over time").arg(name, param));
        m_layerInfo->setText(tr("%1 parameters; histograms of the first (%2), last %3 steps")
                                 .arg(m_snapshot->layers[static_cast<std::size_t>(m_selectedLayer)].parameters.size())
                                 .arg(param)
                                 .arg(kHistogramsKept));
    } else {
        m_valueRidge->setTitle(tr("%1 activations over time").arg(name));
        m_gradientRidge->setTitle(tr("%1 output gradients over time").arg(name));
        m_layerInfo->setText(
            m_snapshot ? tr("no parameters: histograms of its output and output gradient") : QString());
    }
    const auto values = m_valueHistory.find(m_selectedLayer);
    const auto gradients = m_gradientHistory.find(m_selectedLayer);
    m_valueRidge->setSlices(values == m_valueHistory.end() ? std::vector<HistogramSlice> {} : values->second);
    m_gradientRidge->setSlices(
        gradients == m_gradientHistory.end() ? std::vector<HistogramSlice> {} : gradients->second);
}

void GradientView::clear()
{
    m_snapshot.reset();
    for (QLineSeries* s : m_series) {
        m_chart->removeSeries(s);
        delete s;
    }
    m_series.clear();
    m_points.clear();
    m_historyIndex = 0;
    m_minNorm = m_maxNorm = 0;
    m_maxStep = 0;
    m_axisX->setRange(0, 1);
    m_axisX->setTickCount(2);
    m_axisY->setRange(1e-4, 1);
    m_valueHistory.clear();
    m_gradientHistory.clear();
    m_layerCombo->blockSignals(true);
    m_layerCombo->clear();
    m_layerCombo->blockSignals(false);
    m_selectedLayer = 0;
    m_layerInfo->clear();
    m_ratios->clear();
    m_ratioValues.clear();
    m_ratioLabels.clear();
    m_valueRidge->clear();
    m_gradientRidge->clear();
}

} // namespace layerlens::ui
