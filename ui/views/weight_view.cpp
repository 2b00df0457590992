#include "ui/views/weight_view.h"

#include "ui/widgets/color_map.h"
#include "ui/widgets/heatmap_widget.h"
#include "ui/widgets/tensor_image.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QEvent>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QSvgGenerator>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace layerlens::ui {

namespace {

constexpr int kMaxFilters = 128;

QString number(float v)
{
    return QString::number(static_cast<double>(v), 'g', 3);
}

QString shapeText(const core::Shape& shape)
{
    return QString::fromStdString(core::shapeToString(shape));
}

} // namespace

WeightView::WeightView(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(6);
    auto* title = new QLabel(tr("Weights"), this);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.25);
    titleFont.setBold(true);
    title->setFont(titleFont);
    layout->addWidget(title);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    layout->addWidget(splitter, 1);

    // First convolution's filters.
    auto* filters = new QGroupBox(tr("First convolution's filters"), splitter);
    auto* fl = new QVBoxLayout(filters);
    auto* fbar = new QHBoxLayout;
    m_filtersTitle = new QLabel(filters);
    fbar->addWidget(m_filtersTitle, 1);
    m_inputChannelLabel = new QLabel(tr("input channel"), filters);
    m_inputChannel = new QSpinBox(filters);
    m_inputChannel->setObjectName(QStringLiteral("inputChannel"));
    fbar->addWidget(m_inputChannelLabel);
    fbar->addWidget(m_inputChannel);
    fl->addLayout(fbar);
    m_filtersHint = new QLabel(filters);
    m_filtersHint->setWordWrap(true);
    m_filtersHint->setForegroundRole(QPalette::PlaceholderText);
    fl->addWidget(m_filtersHint);
    auto* filterScroll = new QScrollArea(filters);
    filterScroll->setWidgetResizable(true);
    filterScroll->setFrameShape(QFrame::NoFrame);
    m_filterHost = new QWidget(filterScroll);
    m_filterGrid = new QGridLayout(m_filterHost);
    m_filterGrid->setContentsMargins(0, 0, 0, 0);
    m_filterGrid->setSpacing(4);
    filterScroll->setWidget(m_filterHost);
    fl->addWidget(filterScroll, 1);
    connect(m_inputChannel, qOverload<int>(&QSpinBox::valueChanged), this, [this] { updateFilters(); });

    // Any layer's weights as one heatmap, next to the statistics table.
    auto* lower = new QSplitter(Qt::Horizontal, splitter);
    auto* mapBox = new QGroupBox(tr("Layer weights"), lower);
    auto* ml = new QVBoxLayout(mapBox);
    auto* mbar = new QHBoxLayout;
    mbar->addWidget(new QLabel(tr("Layer:"), mapBox));
    m_layerCombo = new QComboBox(mapBox);
    m_layerCombo->setObjectName(QStringLiteral("weightLayerCombo"));
    m_layerCombo->setMinimumContentsLength(14);
    mbar->addWidget(m_layerCombo);
    mbar->addWidget(new QLabel(tr("Parameter:"), mapBox));
    m_parameterCombo = new QComboBox(mapBox);
    m_parameterCombo->setObjectName(QStringLiteral("weightParameterCombo"));
    mbar->addWidget(m_parameterCombo);
    mbar->addStretch(1);
    ml->addLayout(mbar);
    m_mapInfo = new QLabel(mapBox);
    m_mapInfo->setForegroundRole(QPalette::PlaceholderText);
    ml->addWidget(m_mapInfo);
    ml->addStretch(0); // centres the hint while the map is hidden; the map takes the space when shown
    m_hint = new QLabel(mapBox);
    m_hint->setObjectName(QStringLiteral("weightHint"));
    m_hint->setWordWrap(true);
    m_hint->setAlignment(Qt::AlignCenter);
    ml->addWidget(m_hint);
    m_captureButton = new QPushButton(tr("Capture this layer's weights"), mapBox);
    m_captureButton->setObjectName(QStringLiteral("captureButton"));
    ml->addWidget(m_captureButton, 0, Qt::AlignHCenter);
    m_weightMap = new HeatmapWidget(mapBox);
    m_weightMap->setObjectName(QStringLiteral("weightMap"));
    m_weightMap->setColorMap(ColorMap::Kind::Diverging);
    m_weightMap->setShowLegend(true);
    m_weightMap->setCellSize(6);
    m_weightMap->setMaximumHintSize(420);
    m_weightMap->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    ml->addWidget(m_weightMap, 1);
    ml->addStretch(0);
    connect(m_captureButton, &QPushButton::clicked, this, [this] {
        if (m_layer >= 0) {
            m_requested.insert(m_layer);
            emit requestFullTensors(m_layer);
        }
    });
    connect(m_layerCombo, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int index) {
        if (!m_updatingCombos && index >= 0)
            setSelectedLayer(m_layerCombo->itemData(index).toInt());
    });
    connect(m_parameterCombo, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int index) {
        if (!m_updatingCombos && index >= 0)
            setSelectedParameter(index);
    });

    auto* tableBox = new QGroupBox(tr("Parameter statistics"), lower);
    auto* tl = new QVBoxLayout(tableBox);
    m_table = new QTableWidget(0, 9, tableBox);
    m_table->setObjectName(QStringLiteral("weightStatistics"));
    m_table->setHorizontalHeaderLabels({ tr("layer"), tr("parameter"), tr("shape"), tr("mean"), tr("std"), tr("min"),
        tr("max"), tr("L2"), tr("Δw/w") });
    m_table->horizontalHeaderItem(8)->setToolTip(
        tr("update-to-weight ratio of the latest step (rule of thumb: about 1e-3)"));
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    tl->addWidget(m_table);
    lower->setStretchFactor(0, 1);
    lower->setStretchFactor(1, 1);
    lower->setSizes({ 520, 580 });
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);

    clear();
}

QImage WeightView::renderImage()
{
    // Layouts settle through posted events; a screenshot taken right after a change must wait for them.
    for (int i = 0; i < 3; ++i)
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    return grab().toImage();
}

bool WeightView::exportSvg(const QString& path)
{
    QSvgGenerator generator;
    generator.setFileName(path);
    generator.setSize(size());
    generator.setViewBox(rect());
    generator.setTitle(tr("LayerLens weights"));
    QPainter painter;
    if (!painter.begin(&generator))
        return false;
    render(&painter);
    return painter.end();
}

bool WeightView::isHintVisible() const
{
    return !m_hint->isHidden();
}

QString WeightView::hintText() const
{
    return m_hint->text();
}

HeatmapWidget* WeightView::filterTile(int index) const
{
    return index >= 0 && index < filterTileCount() ? m_filterTiles[static_cast<std::size_t>(index)] : nullptr;
}

void WeightView::clear()
{
    m_snapshot.reset();
    m_layer = -1;
    m_parameter = 0;
    m_updatingCombos = true;
    m_layerCombo->clear();
    m_parameterCombo->clear();
    m_updatingCombos = false;
    for (HeatmapWidget* t : m_filterTiles)
        delete t;
    m_filterTiles.clear();
    m_filtersTitle->clear();
    m_filtersHint->setText(tr("No snapshot yet."));
    m_inputChannel->hide();
    m_inputChannelLabel->hide();
    m_weightMap->clear();
    m_weightMap->hide();
    m_mapInfo->clear();
    m_hint->setText(tr("No weights yet: build a model and start or step the training."));
    m_hint->show();
    m_captureButton->hide();
    m_table->setRowCount(0);
}

void WeightView::showSnapshot(const core::SnapshotPtr& snapshot)
{
    if (!snapshot) {
        clear();
        return;
    }
    m_snapshot = snapshot;
    updateLayerCombo();
    updateParameterCombo();
    updateFilters();
    updateWeightMap();
    updateTable();
}

int WeightView::firstConvLayer() const
{
    if (!m_snapshot)
        return -1;
    for (std::size_t i = 0; i < m_snapshot->layers.size(); ++i)
        for (const auto& p : m_snapshot->layers[i].parameters)
            if (p.shape.size() == 4)
                return static_cast<int>(i);
    return -1;
}

void WeightView::updateLayerCombo()
{
    QStringList names;
    std::vector<int> indices;
    for (std::size_t i = 0; i < m_snapshot->layers.size(); ++i) {
        const auto& l = m_snapshot->layers[i];
        if (l.parameters.empty())
            continue;
        names << QStringLiteral("%1 (%2)").arg(QString::fromStdString(l.name), QString::fromStdString(l.type));
        indices.push_back(static_cast<int>(i));
    }
    bool same = m_layerCombo->count() == names.size();
    for (int i = 0; same && i < names.size(); ++i)
        same = m_layerCombo->itemText(i) == names[i]
            && m_layerCombo->itemData(i).toInt() == indices[static_cast<std::size_t>(i)];
    if (!same) {
        m_updatingCombos = true;
        m_layerCombo->clear();
        for (int i = 0; i < names.size(); ++i)
            m_layerCombo->addItem(names[i], indices[static_cast<std::size_t>(i)]);
        m_updatingCombos = false;
    }
    if (std::find(indices.begin(), indices.end(), m_layer) == indices.end())
        m_layer = indices.empty() ? -1 : indices.front();
    m_updatingCombos = true;
    m_layerCombo->setCurrentIndex(m_layerCombo->findData(m_layer));
    m_updatingCombos = false;
}

void WeightView::updateParameterCombo()
{
    QStringList names;
    if (m_layer >= 0)
        for (const auto& p : m_snapshot->layers[static_cast<std::size_t>(m_layer)].parameters)
            names << QString::fromStdString(p.name);
    QStringList current;
    for (int i = 0; i < m_parameterCombo->count(); ++i)
        current << m_parameterCombo->itemText(i);
    m_updatingCombos = true;
    if (names != current) {
        m_parameterCombo->clear();
        m_parameterCombo->addItems(names);
    }
    if (m_parameter >= names.size())
        m_parameter = 0;
    m_parameterCombo->setCurrentIndex(names.isEmpty() ? -1 : m_parameter);
    m_updatingCombos = false;
}

void WeightView::setSelectedLayer(int layer)
{
    if (layer == m_layer)
        return;
    m_layer = layer;
    m_parameter = 0;
    if (m_snapshot) {
        updateLayerCombo();
        updateParameterCombo();
        updateWeightMap();
    }
}

void WeightView::setSelectedParameter(int parameter)
{
    m_parameter = parameter;
    if (m_snapshot) {
        updateParameterCombo();
        updateWeightMap();
    }
}

void WeightView::updateFilters()
{
    const int layer = firstConvLayer();
    if (layer < 0) {
        for (HeatmapWidget* t : m_filterTiles)
            delete t;
        m_filterTiles.clear();
        m_filtersTitle->clear();
        m_filtersHint->setText(tr("The model has no convolution layer."));
        m_filtersHint->show();
        m_inputChannel->hide();
        m_inputChannelLabel->hide();
        return;
    }
    const auto& l = m_snapshot->layers[static_cast<std::size_t>(layer)];
    const auto it
        = std::find_if(l.parameters.begin(), l.parameters.end(), [](const auto& p) { return p.shape.size() == 4; });
    const core::ParameterSnapshot& kernel = *it;
    const int outputs = kernel.shape[0], inputs = kernel.shape[1], kh = kernel.shape[2], kw = kernel.shape[3];
    m_filtersTitle->setText(tr("<b>%1</b> (%2): %3 filters of %4×%5 over %6 input channel(s)")
                                .arg(QString::fromStdString(l.name), QString::fromStdString(l.type))
                                .arg(outputs)
                                .arg(kh)
                                .arg(kw)
                                .arg(inputs));
    const bool rgb = inputs == 3;
    m_inputChannel->setVisible(!rgb && inputs > 1);
    m_inputChannelLabel->setVisible(!rgb && inputs > 1);
    m_inputChannel->setRange(0, std::max(0, inputs - 1));

    if (kernel.fullValue.empty() || kernel.fullValue.size() != core::shapeSize(kernel.shape)) {
        for (HeatmapWidget* t : m_filterTiles)
            delete t;
        m_filterTiles.clear();
        m_filtersHint->setText(tr("The weights of layer '%1' are not captured; they appear here once the trainer "
                                  "copies them (requested automatically).")
                                   .arg(QString::fromStdString(l.name)));
        m_filtersHint->show();
        if (!m_requested.count(layer)) {
            m_requested.insert(layer);
            emit requestFullTensors(layer);
        }
        return;
    }
    m_filtersHint->hide();

    const int shown = std::min(outputs, kMaxFilters);
    if (static_cast<int>(m_filterTiles.size()) != shown) {
        for (HeatmapWidget* t : m_filterTiles)
            delete t;
        m_filterTiles.clear();
        const int columns = std::clamp(static_cast<int>(std::ceil(std::sqrt(shown * 2.0))), 4, 16);
        for (int o = 0; o < shown; ++o) {
            auto* t = new HeatmapWidget(m_filterHost);
            t->setObjectName(QStringLiteral("filterTile"));
            t->setCaption(QString::number(o));
            t->setFixedSize(56, 56 + t->fontMetrics().height() + 2);
            m_filterGrid->addWidget(t, o / columns, o % columns);
            m_filterTiles.push_back(t);
        }
        m_filterGrid->setColumnStretch(columns, 1);
        m_filterGrid->setRowStretch(shown / columns + 1, 1);
    }
    const std::size_t plane = static_cast<std::size_t>(kh) * static_cast<std::size_t>(kw);
    const std::size_t filter = plane * static_cast<std::size_t>(inputs);
    // One colour scale for all filters so their strengths compare.
    float lo = 0, hi = 0;
    for (std::size_t i = 0; i < kernel.fullValue.size(); ++i) {
        lo = std::min(lo, kernel.fullValue[i]);
        hi = std::max(hi, kernel.fullValue[i]);
    }
    const auto [slo, shi] = ColorMap::symmetricRange(lo, hi);
    const int channel = std::clamp(m_inputChannel->value(), 0, inputs - 1);
    for (int o = 0; o < shown; ++o) {
        HeatmapWidget* t = m_filterTiles[static_cast<std::size_t>(o)];
        const float* f = kernel.fullValue.data() + filter * static_cast<std::size_t>(o);
        if (rgb) {
            // Each filter stretched on its own: what matters is which colour and pattern it prefers.
            t->setImage(TensorImage::fromChw(f, 3, kh, kw, true), kw, kh, std::vector<float>(f, f + plane));
        } else {
            t->setColorMap(ColorMap::Kind::Diverging);
            t->setRange(slo, shi);
            t->setData(kw, kh, f + plane * static_cast<std::size_t>(channel));
        }
    }
}

void WeightView::updateWeightMap()
{
    if (m_layer < 0 || !m_snapshot || static_cast<std::size_t>(m_layer) >= m_snapshot->layers.size()) {
        m_weightMap->hide();
        m_captureButton->hide();
        m_hint->setText(tr("The model has no layer with weights."));
        m_hint->show();
        m_mapInfo->clear();
        return;
    }
    const auto& l = m_snapshot->layers[static_cast<std::size_t>(m_layer)];
    if (m_parameter < 0 || static_cast<std::size_t>(m_parameter) >= l.parameters.size())
        return;
    const auto& p = l.parameters[static_cast<std::size_t>(m_parameter)];
    const std::size_t n = core::shapeSize(p.shape);
    m_mapInfo->setText(tr("%1.%2 %3 · %4 values")
                           .arg(QString::fromStdString(l.name), QString::fromStdString(p.name), shapeText(p.shape))
                           .arg(n));
    if (p.fullValue.empty() || p.fullValue.size() != n) {
        m_weightMap->hide();
        m_hint->setText(tr("The weights of layer '%1' are not captured; only their statistics are (see the table). "
                           "They are requested from the trainer and appear with the next snapshot.")
                            .arg(QString::fromStdString(l.name)));
        m_hint->show();
        m_captureButton->show();
        if (!m_requested.count(m_layer)) {
            m_requested.insert(m_layer);
            emit requestFullTensors(m_layer);
        }
        return;
    }
    m_hint->hide();
    m_captureButton->hide();
    m_weightMap->show();
    // Rows = first axis (units / output channels), columns = everything a unit reads.
    const int rows = p.shape.empty() ? 1 : (p.shape.size() == 1 ? 1 : p.shape[0]);
    const int columns = static_cast<int>(n / static_cast<std::size_t>(std::max(rows, 1)));
    m_weightMap->setAutoRange();
    m_weightMap->setData(columns, rows, p.fullValue.data());
    m_weightMap->setCaption(p.shape.size() == 4
            ? tr("rows: output channels, columns: input channel × kernel position")
            : (rows > 1 ? tr("rows: units, columns: inputs") : tr("one value per unit")));
}

void WeightView::updateTable()
{
    int rows = 0;
    for (const auto& l : m_snapshot->layers)
        rows += static_cast<int>(l.parameters.size());
    m_table->setRowCount(rows);
    int r = 0;
    for (const auto& l : m_snapshot->layers) {
        for (const auto& p : l.parameters) {
            const QStringList cells = { QString::fromStdString(l.name), QString::fromStdString(p.name),
                shapeText(p.shape), number(p.value.mean), number(p.value.stddev), number(p.value.min),
                number(p.value.max), number(p.value.l2), number(p.updateToWeightRatio) };
            for (int c = 0; c < cells.size(); ++c) {
                QTableWidgetItem* item = m_table->item(r, c);
                if (!item) {
                    item = new QTableWidgetItem;
                    if (c >= 3)
                        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
                    m_table->setItem(r, c, item);
                }
                item->setText(cells[c]);
            }
            ++r;
        }
    }
}

} // namespace layerlens::ui
