#include "ui/views/activation_view.h"

#include "ui/probe_inputs.h"
#include "ui/widgets/color_map.h"
#include "ui/widgets/heatmap_widget.h"
#include "ui/widgets/probability_bars.h"
#include "ui/widgets/tensor_image.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QEvent>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMimeData>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QResizeEvent>
#include <QScrollArea>
#include <QScrollBar>
#include <QSvgGenerator>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace layerlens::ui {

namespace {

constexpr int kMaxTiles = 256; // more feature maps than this are not legible anyway
constexpr int kStripColumns = 64; // a vector layer wraps into rows of this many cells
constexpr int kSidePanelWidth = 340;

QString shapeText(const core::Shape& shape)
{
    return QString::fromStdString(core::shapeToString(shape));
}

// Per-sample layout of a (batch, ...) tensor: channels, height, width for maps, or 0 height for vectors.
struct SampleLayout {
    int channels = 0, height = 0, width = 0;
    std::size_t size = 0;
    bool maps() const { return height > 0; }
};

SampleLayout sampleLayout(const core::Tensor& t)
{
    SampleLayout l;
    if (t.empty() || t.rank() < 2)
        return l;
    l.size = t.sampleSize();
    if (t.rank() == 4) {
        l.channels = t.dim(1);
        l.height = t.dim(2);
        l.width = t.dim(3);
    } else if (t.rank() == 3) {
        l.channels = 1;
        l.height = t.dim(1);
        l.width = t.dim(2);
    } else {
        l.channels = static_cast<int>(l.size);
    }
    return l;
}

void dataRange(const float* source, std::size_t n, float& lo, float& hi)
{
    lo = std::numeric_limits<float>::infinity();
    hi = -lo;
    for (std::size_t i = 0; i < n; ++i) {
        if (std::isfinite(source[i])) {
            lo = std::min(lo, source[i]);
            hi = std::max(hi, source[i]);
        }
    }
    if (!(lo <= hi))
        lo = hi = 0;
}

QPixmap legendPixmap(const ColorMap& map, float lo, float hi, const QPalette& palette, const QFont& font)
{
    const QFontMetrics fm(font);
    const QSize size(200, fm.height() + 16);
    QPixmap pixmap(size);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setFont(font);
    map.drawLegend(painter, QRectF(2, 1, size.width() - 4, size.height() - 2), lo, hi, palette);
    return pixmap;
}

// Wraps a vector into rows of kStripColumns cells (NaN padding is drawn transparent).
std::vector<float> wrapped(const float* source, std::size_t n, int& columns, int& rows)
{
    columns = static_cast<int>(std::min<std::size_t>(n, kStripColumns));
    rows = columns > 0
        ? static_cast<int>((n + static_cast<std::size_t>(columns) - 1) / static_cast<std::size_t>(columns))
        : 0;
    std::vector<float> values(
        static_cast<std::size_t>(columns) * static_cast<std::size_t>(rows), std::numeric_limits<float>::quiet_NaN());
    std::copy(source, source + n, values.begin());
    return values;
}

} // namespace

ActivationView::ActivationView(QWidget* parent)
    : QWidget(parent)
{
    auto* outer = new QHBoxLayout(this);
    outer->setContentsMargins(8, 8, 8, 8);
    outer->setSpacing(8);

    auto* main = new QVBoxLayout;
    main->setSpacing(6);
    auto* bar = new QHBoxLayout;
    m_title = new QLabel(tr("Activations"), this);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.25);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    bar->addWidget(m_title);
    bar->addSpacing(16);
    bar->addWidget(new QLabel(tr("Probe input:"), this));
    m_probeCombo = new QComboBox(this);
    m_probeCombo->setObjectName(QStringLiteral("probeCombo"));
    m_probeCombo->setIconSize(QSize(28, 28));
    // Room for the icon and "probe 8: Ankle boot" without eliding.
    m_probeCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_probeCombo->setMinimumContentsLength(20);
    m_probeCombo->setToolTip(tr("The fixed inputs whose activations are captured at every step"));
    bar->addWidget(m_probeCombo);
    m_probeImage = new QLabel(this);
    m_probeImage->setFixedSize(56, 56);
    m_probeImage->setAlignment(Qt::AlignCenter);
    bar->addWidget(m_probeImage);
    m_probeFileButton = new QPushButton(tr("Probe image…"), this);
    m_probeFileButton->setObjectName(QStringLiteral("probeImageButton"));
    m_probeFileButton->setToolTip(tr("Use an image file as the probe input (or drop image files on this view)"));
    connect(m_probeFileButton, &QPushButton::clicked, this, &ActivationView::probeImageRequested);
    bar->addWidget(m_probeFileButton);
    m_datasetProbesButton = new QPushButton(tr("Dataset probes"), this);
    m_datasetProbesButton->setObjectName(QStringLiteral("datasetProbesButton"));
    m_datasetProbesButton->setToolTip(tr("Go back to the dataset's probe samples"));
    m_datasetProbesButton->setEnabled(false);
    connect(m_datasetProbesButton, &QPushButton::clicked, this, &ActivationView::datasetProbesRequested);
    bar->addWidget(m_datasetProbesButton);
    bar->addStretch(1);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("activationStatus"));
    bar->addWidget(m_status);
    main->addLayout(bar);

    m_scroll = new QScrollArea(this);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_rowsHost = new QWidget(m_scroll);
    m_rowsLayout = new QVBoxLayout(m_rowsHost);
    m_rowsLayout->setContentsMargins(0, 0, 4, 0);
    m_rowsLayout->setSpacing(8);
    m_emptyHint = new QLabel(tr("No activations yet. Start or step the training, or run a model on an input: every "
                                "layer's output for the probe inputs appears here. Drop an image file here to use it "
                                "as a probe input."),
        m_rowsHost);
    m_emptyHint->setWordWrap(true);
    m_emptyHint->setAlignment(Qt::AlignCenter);
    m_emptyHint->setForegroundRole(QPalette::PlaceholderText);
    m_rowsLayout->addWidget(m_emptyHint);
    m_rowsLayout->addStretch(1);
    m_scroll->setWidget(m_rowsHost);
    m_scroll->viewport()->installEventFilter(this);
    main->addWidget(m_scroll, 1);
    outer->addLayout(main, 1);

    // Side panel: one map enlarged, with the value under the cursor.
    m_sidePanel = new QFrame(this);
    m_sidePanel->setObjectName(QStringLiteral("enlargedPanel"));
    m_sidePanel->setFrameShape(QFrame::StyledPanel);
    m_sidePanel->setFixedWidth(kSidePanelWidth);
    auto* side = new QVBoxLayout(m_sidePanel);
    auto* sideBar = new QHBoxLayout;
    auto* sideTitle = new QLabel(tr("Enlarged map"), m_sidePanel);
    sideTitle->setForegroundRole(QPalette::PlaceholderText);
    sideBar->addWidget(sideTitle, 1);
    auto* close = new QPushButton(tr("Close"), m_sidePanel);
    connect(close, &QPushButton::clicked, this, &ActivationView::closeEnlarged);
    sideBar->addWidget(close);
    side->addLayout(sideBar);
    m_bigTitle = new QLabel(m_sidePanel);
    m_bigTitle->setWordWrap(true);
    QFont bold = m_bigTitle->font();
    bold.setBold(true);
    m_bigTitle->setFont(bold);
    side->addWidget(m_bigTitle);
    m_bigMap = new HeatmapWidget(m_sidePanel);
    m_bigMap->setObjectName(QStringLiteral("enlargedMap"));
    m_bigMap->setShowLegend(true);
    m_bigMap->setMaximumHintSize(kSidePanelWidth - 24);
    m_bigMap->setCellSize(12);
    m_bigMap->setFixedSize(kSidePanelWidth - 24, kSidePanelWidth - 24 + 2 * m_bigMap->fontMetrics().height() + 6);
    side->addWidget(m_bigMap);
    m_bigValue = new QLabel(tr("Hover over the map to read values."), m_sidePanel);
    m_bigValue->setObjectName(QStringLiteral("enlargedValue"));
    side->addWidget(m_bigValue);
    side->addStretch(1);
    connect(m_bigMap, &HeatmapWidget::hovered, this, [this](int x, int y, float v) {
        m_bigValue->setText(tr("x %1, y %2: %3").arg(x).arg(y).arg(static_cast<double>(v), 0, 'g', 5));
    });
    m_sidePanel->hide();
    outer->addWidget(m_sidePanel);
    setAcceptDrops(true);

    connect(m_probeCombo, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int index) {
        if (index < 0 || index == m_probe)
            return;
        m_probe = index;
        for (int i = 0; i < layerCount(); ++i)
            updateRow(i);
        rebuildProbeSelector();
        refreshEnlarged();
        emit probeChanged(m_probe);
    });
}

QImage ActivationView::renderImage()
{
    // Layouts settle through posted events; a screenshot taken right after a change must wait for them.
    for (int i = 0; i < 3; ++i)
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    return grab().toImage();
}

bool ActivationView::exportSvg(const QString& path)
{
    QSvgGenerator generator;
    generator.setFileName(path);
    generator.setSize(size());
    generator.setViewBox(rect());
    generator.setTitle(tr("LayerLens activations"));
    QPainter painter;
    if (!painter.begin(&generator))
        return false;
    render(&painter);
    return painter.end();
}

void ActivationView::setCurrentProbe(int probe)
{
    if (probe >= 0 && probe < m_probeCombo->count())
        m_probeCombo->setCurrentIndex(probe);
}

int ActivationView::tileCount(int layer) const
{
    return layer >= 0 && layer < layerCount() ? static_cast<int>(m_rows[static_cast<std::size_t>(layer)].tiles.size())
                                              : 0;
}

HeatmapWidget* ActivationView::tile(int layer, int index) const
{
    if (index < 0 || index >= tileCount(layer))
        return nullptr;
    return m_rows[static_cast<std::size_t>(layer)].tiles[static_cast<std::size_t>(index)];
}

int ActivationView::gradientTileCount(int layer) const
{
    return layer >= 0 && layer < layerCount()
        ? static_cast<int>(m_rows[static_cast<std::size_t>(layer)].gradientTiles.size())
        : 0;
}

HeatmapWidget* ActivationView::gradientTile(int layer, int index) const
{
    if (index < 0 || index >= gradientTileCount(layer))
        return nullptr;
    return m_rows[static_cast<std::size_t>(layer)].gradientTiles[static_cast<std::size_t>(index)];
}

HeatmapWidget* ActivationView::strip(int layer) const
{
    return layer >= 0 && layer < layerCount() ? m_rows[static_cast<std::size_t>(layer)].strip : nullptr;
}

ProbabilityBars* ActivationView::outputBars() const
{
    return m_rows.empty() ? nullptr : m_rows.back().bars;
}

bool ActivationView::isEnlarged() const
{
    return !m_sidePanel->isHidden();
}

QString ActivationView::enlargedValueText() const
{
    return m_bigValue->text();
}

void ActivationView::clear()
{
    m_snapshot.reset();
    for (LayerRow& row : m_rows)
        delete row.frame;
    m_rows.clear();
    m_highlighted = -1;
    m_probeCombo->blockSignals(true);
    m_probeCombo->clear();
    m_probeCombo->blockSignals(false);
    m_probeImage->clear();
    m_datasetProbesButton->setEnabled(false);
    m_status->clear();
    m_emptyHint->show();
    closeEnlarged();
}

void ActivationView::showSnapshot(const core::SnapshotPtr& snapshot)
{
    if (!snapshot) {
        clear();
        return;
    }
    m_snapshot = snapshot;
    const int probes = snapshot->probeInputs.empty() ? 0 : snapshot->probeInputs.dim(0);
    if (m_probe >= std::max(1, probes))
        m_probe = 0;
    rebuildProbeSelector();

    QString status = tr("step %1 · epoch %2").arg(snapshot->step).arg(snapshot->epoch + 1);
    if (snapshot->phase == core::TrainPhase::Forward && snapshot->phaseLayer >= 0)
        status += tr(" · forward pass, layer %1").arg(snapshot->phaseLayer + 1);
    else if (snapshot->phase == core::TrainPhase::Backward && snapshot->phaseLayer >= 0)
        status += tr(" · backward pass, layer %1").arg(snapshot->phaseLayer + 1);
    m_status->setText(status);

    rebuildRows();
    for (int i = 0; i < layerCount(); ++i)
        updateRow(i);
    updateHighlight();
    refreshEnlarged();
}

void ActivationView::rebuildProbeSelector()
{
    if (!m_snapshot)
        return;
    const core::Tensor& inputs = m_snapshot->probeInputs;
    const int probes = inputs.empty() ? 0 : inputs.dim(0);
    m_datasetProbesButton->setEnabled(!m_snapshot->probeNames.empty());
    auto label = [this](int i) {
        if (static_cast<std::size_t>(i) < m_snapshot->probeNames.size())
            return QString::fromStdString(m_snapshot->probeNames[static_cast<std::size_t>(i)]);
        const auto& labels = m_snapshot->probeLabels;
        if (static_cast<std::size_t>(i) >= labels.size())
            return tr("probe %1").arg(i + 1);
        const int c = labels[static_cast<std::size_t>(i)];
        const QString name = c >= 0 && static_cast<std::size_t>(c) < m_snapshot->classNames.size()
            ? QString::fromStdString(m_snapshot->classNames[static_cast<std::size_t>(c)])
            : QString::number(c);
        return tr("probe %1: %2").arg(i + 1).arg(name);
    };
    bool same = m_probeCombo->count() == probes;
    for (int i = 0; same && i < probes; ++i)
        same = m_probeCombo->itemText(i) == label(i);
    if (!same) {
        m_probeCombo->blockSignals(true);
        m_probeCombo->clear();
        for (int i = 0; i < probes; ++i) {
            const QImage image = TensorImage::sample(inputs, i, true);
            if (image.isNull())
                m_probeCombo->addItem(label(i));
            else
                m_probeCombo->addItem(
                    QIcon(QPixmap::fromImage(image.scaled(28, 28, Qt::KeepAspectRatio, Qt::FastTransformation))),
                    label(i));
        }
        m_probeCombo->blockSignals(false);
    }
    m_probeCombo->blockSignals(true);
    m_probeCombo->setCurrentIndex(probes > 0 ? m_probe : -1);
    m_probeCombo->blockSignals(false);
    const QImage image = TensorImage::sample(inputs, m_probe, true);
    if (image.isNull()) {
        m_probeImage->setPixmap({});
        m_probeImage->setText(probes > 0
                ? TensorImage::featureText(
                    inputs.data() + static_cast<std::size_t>(m_probe) * inputs.sampleSize(), inputs.sampleSize(), 3)
                : QString());
        m_probeImage->setFixedSize(probes > 0 ? QSize(160, 56) : QSize(0, 0));
        m_probeImage->setWordWrap(true);
    } else {
        m_probeImage->setFixedSize(56, 56);
        m_probeImage->setPixmap(QPixmap::fromImage(image.scaled(56, 56, Qt::KeepAspectRatio, Qt::FastTransformation)));
    }
}

bool ActivationView::isProbabilityLayer(int layer) const
{
    if (!m_snapshot || layer < 0 || static_cast<std::size_t>(layer) >= m_snapshot->layers.size())
        return false;
    const auto& l = m_snapshot->layers[static_cast<std::size_t>(layer)];
    const QString type = QString::fromStdString(l.type), description = QString::fromStdString(l.description);
    return type.compare(QStringLiteral("Softmax"), Qt::CaseInsensitive) == 0
        || description.contains(QStringLiteral("softmax"), Qt::CaseInsensitive);
}

void ActivationView::rebuildRows()
{
    const auto& layers = m_snapshot->layers;
    std::vector<QString> signatures;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const auto& l = layers[i];
        const bool gradient = m_snapshot->phase == core::TrainPhase::Backward && !l.fullOutputGradient.empty();
        signatures.push_back(
            QString::fromStdString(l.name + "|" + l.type + "|" + core::shapeToString(l.probeOutput.shape()))
            + (gradient ? QStringLiteral("|g%1").arg(l.fullOutputGradient.rank()) : QString())
            + (i + 1 == layers.size() ? QStringLiteral("|last") : QString()));
    }
    bool same = signatures.size() == m_rows.size();
    for (std::size_t i = 0; same && i < signatures.size(); ++i)
        same = m_rows[i].signature == signatures[i];
    if (same)
        return;

    const int scroll = m_scroll->verticalScrollBar()->value();
    for (LayerRow& row : m_rows)
        delete row.frame;
    m_rows.clear();
    m_emptyHint->setVisible(layers.empty());

    for (std::size_t i = 0; i < layers.size(); ++i) {
        const auto& l = layers[i];
        LayerRow row;
        row.signature = signatures[i];
        row.frame = new QFrame(m_rowsHost);
        row.frame->setObjectName(QStringLiteral("layerRow"));
        row.frame->setFrameShape(QFrame::NoFrame);
        row.frame->installEventFilter(this);
        auto* v = new QVBoxLayout(row.frame);
        v->setContentsMargins(8, 6, 8, 8);
        v->setSpacing(4);
        auto* head = new QHBoxLayout;
        row.header = new QLabel(row.frame);
        row.header->setObjectName(QStringLiteral("layerHeader"));
        row.header->setTextFormat(Qt::RichText);
        head->addWidget(row.header, 1);
        row.legend = new QLabel(row.frame);
        head->addWidget(row.legend);
        v->addLayout(head);

        const SampleLayout shape = sampleLayout(l.probeOutput);
        const int layerIndex = static_cast<int>(i);
        const bool last = i + 1 == layers.size();
        if (shape.maps()) {
            auto* host = new QWidget(row.frame);
            row.grid = new QGridLayout(host);
            row.grid->setContentsMargins(0, 0, 0, 0);
            row.grid->setSpacing(4);
            v->addWidget(host);
        } else if (last && shape.size > 0) {
            row.bars = new ProbabilityBars(row.frame);
            row.bars->setObjectName(QStringLiteral("outputBars"));
            v->addWidget(row.bars);
        } else if (shape.size > 0) {
            row.strip = new HeatmapWidget(row.frame);
            row.strip->setObjectName(QStringLiteral("vectorStrip"));
            row.strip->setCellSize(shape.size <= 32 ? 20 : 12);
            row.strip->setMaximumHintSize(kStripColumns * 12);
            connect(row.strip, &HeatmapWidget::clicked, this, [this, layerIndex] { enlarge(layerIndex, 0, false); });
            v->addWidget(row.strip, 0, Qt::AlignLeft);
        } else {
            auto* none = new QLabel(tr("No probe output captured for this layer."), row.frame);
            none->setForegroundRole(QPalette::PlaceholderText);
            v->addWidget(none);
        }

        const SampleLayout g = sampleLayout(l.fullOutputGradient);
        if (m_snapshot->phase == core::TrainPhase::Backward && g.size > 0) {
            auto* gradientHead = new QHBoxLayout;
            row.gradientHeader = new QLabel(row.frame);
            gradientHead->addWidget(row.gradientHeader, 1);
            row.gradientLegend = new QLabel(row.frame);
            gradientHead->addWidget(row.gradientLegend);
            v->addLayout(gradientHead);
            if (g.maps()) {
                auto* host = new QWidget(row.frame);
                row.gradientGrid = new QGridLayout(host);
                row.gradientGrid->setContentsMargins(0, 0, 0, 0);
                row.gradientGrid->setSpacing(4);
                v->addWidget(host);
            } else {
                row.gradientStrip = new HeatmapWidget(row.frame);
                row.gradientStrip->setColorMap(ColorMap::Kind::Diverging);
                row.gradientStrip->setCellSize(12);
                row.gradientStrip->setMaximumHintSize(kStripColumns * 12);
                connect(row.gradientStrip, &HeatmapWidget::clicked, this,
                    [this, layerIndex] { enlarge(layerIndex, 0, true); });
                v->addWidget(row.gradientStrip, 0, Qt::AlignLeft);
            }
        }
        m_rowsLayout->insertWidget(static_cast<int>(i) + 1, row.frame);
        m_rows.push_back(row);
    }
    m_scroll->verticalScrollBar()->setValue(scroll);
}

void ActivationView::fillTiles(LayerRow& row, int layer, std::vector<HeatmapWidget*>& tiles, QGridLayout* grid,
    const float* source, int channels, int height, int width, bool gradient)
{
    const int shown = std::min(channels, kMaxTiles);
    const std::size_t plane = static_cast<std::size_t>(height) * static_cast<std::size_t>(width);
    float lo = 0, hi = 0;
    dataRange(source, plane * static_cast<std::size_t>(shown), lo, hi);
    const ColorMap::Kind kind = gradient ? ColorMap::Kind::Diverging : ColorMap::Kind::Viridis;
    if (gradient)
        std::tie(lo, hi) = ColorMap::symmetricRange(lo, hi);
    if (static_cast<int>(tiles.size()) != shown) {
        for (HeatmapWidget* t : tiles)
            delete t;
        tiles.clear();
        const int tileSize = std::clamp(std::max(height, width) * 4, 60, 96);
        for (int c = 0; c < shown; ++c) {
            auto* t = new HeatmapWidget(grid->parentWidget());
            t->setObjectName(gradient ? QStringLiteral("gradientTile") : QStringLiteral("featureTile"));
            t->setColorMap(kind);
            t->setCaption(QString::number(c));
            t->setFixedSize(tileSize, tileSize + t->fontMetrics().height() + 2);
            connect(t, &HeatmapWidget::clicked, this, [this, layer, c, gradient] { enlarge(layer, c, gradient); });
            tiles.push_back(t);
        }
        const int columns = tileColumns(tiles);
        for (int c = 0; c < shown; ++c)
            grid->addWidget(tiles[static_cast<std::size_t>(c)], c / columns, c % columns);
        grid->setColumnStretch(columns, 1);
        row.columns = columns;
    }
    for (int c = 0; c < shown; ++c) {
        HeatmapWidget* t = tiles[static_cast<std::size_t>(c)];
        t->setRange(lo, hi);
        t->setData(width, height, source + plane * static_cast<std::size_t>(c));
        t->setSelected(layer == m_bigLayer && c == m_bigChannel && gradient == m_bigGradient && isEnlarged());
    }
    (gradient ? row.gradientLegend : row.legend)
        ->setPixmap(legendPixmap(ColorMap::forKind(kind), lo, hi, palette(), font()));
}

int ActivationView::tileColumns(const std::vector<HeatmapWidget*>& tiles) const
{
    if (tiles.empty())
        return 1;
    // The viewport is what the rows can use (the side panel takes its own space).
    const int available = std::max(200, m_scroll->viewport()->width() - 40);
    return std::max(1, available / (tiles.front()->width() + 4));
}

void ActivationView::relayoutTiles()
{
    for (LayerRow& row : m_rows) {
        const int columns = tileColumns(row.tiles);
        if (columns == row.columns)
            continue;
        row.columns = columns;
        for (auto [grid, tiles] :
            { std::pair { row.grid, &row.tiles }, std::pair { row.gradientGrid, &row.gradientTiles } }) {
            if (!grid)
                continue;
            for (HeatmapWidget* t : *tiles)
                grid->removeWidget(t);
            for (int c = 0; c < grid->columnCount(); ++c)
                grid->setColumnStretch(c, 0);
            for (std::size_t c = 0; c < tiles->size(); ++c)
                grid->addWidget((*tiles)[c], static_cast<int>(c) / columns, static_cast<int>(c) % columns);
            grid->setColumnStretch(columns, 1);
        }
    }
}

bool ActivationView::eventFilter(QObject* watched, QEvent* event)
{
    // The viewport changes width with the window and when the side panel opens or closes.
    if (watched == m_scroll->viewport() && event->type() == QEvent::Resize)
        relayoutTiles();
    if (event->type() == QEvent::Paint) {
        // Row frames are drawn here rather than with a style sheet: style sheets detach a widget's
        // children from the palette, which breaks dark themes set on the view.
        for (int i = 0; i < layerCount(); ++i) {
            QFrame* frame = m_rows[static_cast<std::size_t>(i)].frame;
            if (watched != frame)
                continue;
            QPainter painter(frame);
            painter.setRenderHint(QPainter::Antialiasing, true);
            const bool current = i == m_highlighted;
            QColor color = palette().color(QPalette::Mid);
            if (current)
                color = m_snapshot && m_snapshot->phase == core::TrainPhase::Backward
                    ? ColorMap::categorical(3)
                    : palette().color(QPalette::Highlight);
            painter.setPen(QPen(color, current ? 2.0 : 1.0));
            painter.setBrush(Qt::NoBrush);
            painter.drawRoundedRect(QRectF(frame->rect()).adjusted(1, 1, -1, -1), 4, 4);
            break;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void ActivationView::dragEnterEvent(QDragEnterEvent* event)
{
    // Any local file is taken: the main window says clearly why one that is no image cannot be used.
    if (!ProbeInputs::localFiles(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void ActivationView::dropEvent(QDropEvent* event)
{
    const QStringList paths = ProbeInputs::localFiles(event->mimeData());
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    emit probeFilesDropped(paths);
}

void ActivationView::updateRow(int index)
{
    if (!m_snapshot || index < 0 || index >= layerCount())
        return;
    LayerRow& row = m_rows[static_cast<std::size_t>(index)];
    const auto& l = m_snapshot->layers[static_cast<std::size_t>(index)];
    const SampleLayout shape = sampleLayout(l.probeOutput);
    const int probe = shape.size > 0 ? std::clamp(m_probe, 0, l.probeOutput.dim(0) - 1) : 0;
    const float* source
        = shape.size > 0 ? l.probeOutput.data() + static_cast<std::size_t>(probe) * shape.size : nullptr;

    QString header
        = QStringLiteral("<b>%1</b> &nbsp;<span style='color:%2'>%3 · output %4</span>")
              .arg(QString::fromStdString(l.name).toHtmlEscaped(), palette().color(QPalette::PlaceholderText).name(),
                  QString::fromStdString(l.type).toHtmlEscaped(), shapeText(l.outputShape));
    if (l.activation.count > 0) {
        header += QStringLiteral("<br><span style='color:%1'>").arg(palette().color(QPalette::PlaceholderText).name())
            + tr("batch mean %1, std %2")
                  .arg(static_cast<double>(l.activation.mean), 0, 'g', 3)
                  .arg(static_cast<double>(l.activation.stddev), 0, 'g', 3);
        if (l.activation.deadFraction > 0)
            header += tr(", dead %1 %").arg(100.0 * static_cast<double>(l.activation.deadFraction), 0, 'f', 0);
        if (l.activation.saturatedFraction > 0)
            header
                += tr(", saturated %1 %").arg(100.0 * static_cast<double>(l.activation.saturatedFraction), 0, 'f', 0);
        header += QStringLiteral("</span>");
    }
    row.header->setText(header);

    if (row.grid && source) {
        fillTiles(row, index, row.tiles, row.grid, source, shape.channels, shape.height, shape.width, false);
    } else if (row.bars && source) {
        std::vector<float> values(source, source + shape.size);
        QStringList labels;
        for (std::size_t k = 0; k < shape.size; ++k)
            labels << (k < m_snapshot->classNames.size() ? QString::fromStdString(m_snapshot->classNames[k])
                                                         : QString::number(k));
        const bool probabilities = isProbabilityLayer(index);
        row.bars->setValues(values, labels, probabilities);
        row.bars->setTitle(probabilities ? tr("probabilities") : tr("logits (the model has no softmax layer)"));
        const int label = static_cast<std::size_t>(probe) < m_snapshot->probeLabels.size()
            ? m_snapshot->probeLabels[static_cast<std::size_t>(probe)]
            : -1;
        row.bars->setHighlighted(label);
        std::vector<QColor> colors(values.size(), ColorMap::categorical(0));
        if (label >= 0 && static_cast<std::size_t>(label) < colors.size())
            colors[static_cast<std::size_t>(label)] = ColorMap::categorical(2);
        row.bars->setBarColors(colors);
        row.legend->clear();
    } else if (row.strip && source) {
        int columns = 0, rows = 0;
        std::vector<float> values = wrapped(source, shape.size, columns, rows);
        row.strip->setAutoRange();
        row.strip->setData(columns, rows, std::move(values));
        row.strip->setCaption(tr("%1 units").arg(shape.size));
        row.strip->setSelected(index == m_bigLayer && !m_bigGradient && isEnlarged());
        row.legend->setPixmap(
            legendPixmap(ColorMap::viridis(), row.strip->rangeMin(), row.strip->rangeMax(), palette(), font()));
    }

    const SampleLayout g = sampleLayout(l.fullOutputGradient);
    if (row.gradientHeader && g.size > 0) {
        row.gradientHeader->setText(tr("Gradient dL/d output (first sample of the batch)"));
        if (row.gradientGrid) {
            fillTiles(row, index, row.gradientTiles, row.gradientGrid, l.fullOutputGradient.data(), g.channels,
                g.height, g.width, true);
        } else if (row.gradientStrip) {
            int columns = 0, rows = 0;
            std::vector<float> values = wrapped(l.fullOutputGradient.data(), g.size, columns, rows);
            row.gradientStrip->setData(columns, rows, std::move(values));
            row.gradientLegend->setPixmap(legendPixmap(ColorMap::diverging(), row.gradientStrip->rangeMin(),
                row.gradientStrip->rangeMax(), palette(), font()));
            row.gradientStrip->setCaption(tr("%1 gradient values").arg(g.size));
        }
    }
}

void ActivationView::updateHighlight()
{
    const bool stepMode = m_snapshot
        && (m_snapshot->phase == core::TrainPhase::Forward || m_snapshot->phase == core::TrainPhase::Backward);
    const int highlighted = stepMode ? m_snapshot->phaseLayer : -1;
    for (LayerRow& row : m_rows)
        row.frame->update(); // the border shows the highlight and the pass direction
    if (highlighted != m_highlighted && highlighted >= 0 && highlighted < layerCount())
        m_scroll->ensureWidgetVisible(m_rows[static_cast<std::size_t>(highlighted)].frame, 0, 20);
    m_highlighted = highlighted;
}

void ActivationView::enlarge(int layer, int channel, bool gradient)
{
    if (!m_snapshot || layer < 0 || layer >= layerCount())
        return;
    m_bigLayer = layer;
    m_bigChannel = channel;
    m_bigGradient = gradient;
    m_sidePanel->show();
    refreshEnlarged();
    for (int i = 0; i < layerCount(); ++i) {
        for (int c = 0; c < tileCount(i); ++c)
            tile(i, c)->setSelected(i == layer && c == channel && !gradient);
        for (int c = 0; c < gradientTileCount(i); ++c)
            gradientTile(i, c)->setSelected(i == layer && c == channel && gradient);
    }
}

void ActivationView::closeEnlarged()
{
    m_sidePanel->hide();
    m_bigLayer = m_bigChannel = -1;
    for (int i = 0; i < layerCount(); ++i)
        for (int c = 0; c < tileCount(i); ++c)
            tile(i, c)->setSelected(false);
}

void ActivationView::refreshEnlarged()
{
    if (!m_snapshot || m_bigLayer < 0 || m_bigLayer >= static_cast<int>(m_snapshot->layers.size()) || !isEnlarged())
        return;
    const auto& l = m_snapshot->layers[static_cast<std::size_t>(m_bigLayer)];
    const core::Tensor& t = m_bigGradient ? l.fullOutputGradient : l.probeOutput;
    const SampleLayout shape = sampleLayout(t);
    if (shape.size == 0) {
        m_bigMap->clear();
        return;
    }
    const int sample = m_bigGradient ? 0 : std::clamp(m_probe, 0, t.dim(0) - 1);
    const float* source = t.data() + static_cast<std::size_t>(sample) * shape.size;
    m_bigMap->setColorMap(m_bigGradient ? ColorMap::Kind::Diverging : ColorMap::Kind::Viridis);
    m_bigMap->setAutoRange();
    if (shape.maps()) {
        const int c = std::clamp(m_bigChannel, 0, shape.channels - 1);
        m_bigMap->setData(shape.width, shape.height, source + static_cast<std::size_t>(c) * shape.width * shape.height);
        m_bigTitle->setText(
            tr("%1 — %2 %3 (%4×%5)")
                .arg(QString::fromStdString(l.name), m_bigGradient ? tr("gradient map") : tr("feature map"))
                .arg(c)
                .arg(shape.width)
                .arg(shape.height));
    } else {
        int columns = 0, rows = 0;
        std::vector<float> values = wrapped(source, shape.size, columns, rows);
        m_bigMap->setData(columns, rows, std::move(values));
        m_bigTitle->setText(tr("%1 — %2 (%3 values)")
                                .arg(QString::fromStdString(l.name), m_bigGradient ? tr("gradient") : tr("output"))
                                .arg(shape.size));
    }
}

} // namespace layerlens::ui
