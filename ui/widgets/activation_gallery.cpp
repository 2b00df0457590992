#include "ui/widgets/activation_gallery.h"

#include <QEvent>
#include <QFrame>
#include <QLabel>
#include <QMouseEvent>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "ui/widgets/tensor_tiles_widget.h"

namespace layerlens::ui {

namespace {

// A plane of h x w values at `data`, sampled down (nearest) so neither side exceeds maxSide.
ValueTile planeTile(const float* data, int h, int w, int maxSide)
{
    const int step = std::max(1, (std::max(h, w) + maxSide - 1) / maxSide);
    ValueTile tile;
    tile.rows = (h + step - 1) / step;
    tile.cols = (w + step - 1) / step;
    tile.values.reserve(static_cast<std::size_t>(tile.rows) * static_cast<std::size_t>(tile.cols));
    for (int y = 0; y < h; y += step)
        for (int x = 0; x < w; x += step)
            tile.values.push_back(data[static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)]);
    return tile;
}

// A vector of n values as a near-square block (rows x cols = n) so that it reads as a map.
ValueTile vectorTile(const float* data, std::size_t n)
{
    int rows = 1;
    for (int r = static_cast<int>(std::sqrt(static_cast<double>(n))); r > 1; --r)
        if (n % static_cast<std::size_t>(r) == 0) {
            rows = r;
            break;
        }
    if (n <= 64)
        rows = 1;  // short vectors (class scores) read best as one strip
    ValueTile tile;
    tile.rows = rows;
    tile.cols = static_cast<int>(n / static_cast<std::size_t>(rows));
    tile.values.assign(data, data + n);
    return tile;
}

}  // namespace

ActivationGallery::ActivationGallery(QWidget* parent) : QScrollArea(parent), m_content(new QWidget(this))
{
    setObjectName(QStringLiteral("activationGallery"));
    setWidgetResizable(true);
    setFrameShape(QFrame::NoFrame);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);  // rows follow the width; tiles shrink to fit
    m_rows = new QVBoxLayout(m_content);
    m_rows->setContentsMargins(2, 2, 2, 2);
    m_rows->setSpacing(6);
    m_rows->addStretch(1);
    setWidget(m_content);
}

void ActivationGallery::clear()
{
    for (QFrame* frame : m_frames)
        delete frame;
    m_frames.clear();
    m_tiles.clear();
    m_selected = -1;
}

int ActivationGallery::rowCount() const
{
    return static_cast<int>(std::count_if(m_frames.begin(), m_frames.end(), [](QFrame* f) { return f != nullptr; }));
}

TensorTilesWidget* ActivationGallery::tilesFor(int layer) const
{
    return layer >= 0 && layer < static_cast<int>(m_tiles.size()) ? m_tiles[static_cast<std::size_t>(layer)] : nullptr;
}

void ActivationGallery::setActivations(const std::vector<QString>& titles, const std::vector<core::Tensor>& outputs)
{
    const int keep = m_selected;
    clear();
    const std::size_t n = std::min(titles.size(), outputs.size());
    m_frames.assign(n, nullptr);
    m_tiles.assign(n, nullptr);
    for (std::size_t i = 0; i < n; ++i) {
        const core::Tensor& t = outputs[i];
        if (t.empty())
            continue;
        std::vector<ValueTile> tiles;
        QString note;
        const auto& s = t.shape();
        if (t.rank() == 4) {
            const int channels = s[1], h = s[2], w = s[3];
            const int shown = std::min(channels, kMaxTiles);
            for (int c = 0; c < shown; ++c) {
                ValueTile tile = planeTile(t.data() + static_cast<std::size_t>(c) * static_cast<std::size_t>(h) * static_cast<std::size_t>(w), h, w, kMaxTileSide);
                tile.label = QString::number(c);
                tiles.push_back(std::move(tile));
            }
            if (shown < channels)
                note = tr(" · first %1 of %2 channels").arg(shown).arg(channels);
        } else if (t.rank() == 3) {
            tiles.push_back(planeTile(t.data(), s[1], s[2], 4 * kMaxTileSide));
        } else {
            tiles.push_back(vectorTile(t.data(), t.size()));
        }
        auto* frame = new QFrame(m_content);
        frame->setObjectName(QStringLiteral("activationRow"));
        frame->setFrameShape(QFrame::StyledPanel);
        frame->setAutoFillBackground(true);
        frame->setCursor(Qt::PointingHandCursor);
        auto* layout = new QVBoxLayout(frame);
        layout->setContentsMargins(6, 4, 6, 4);
        layout->setSpacing(2);
        auto* label = new QLabel(QStringLiteral("<b>%1</b>%2").arg(titles[i].toHtmlEscaped(), note.toHtmlEscaped()), frame);
        label->setTextFormat(Qt::RichText);
        auto* view = new TensorTilesWidget(frame);
        const bool strip = tiles.size() == 1 && tiles[0].rows == 1;
        const int rowsOfTiles = tiles.size() <= 8 ? 1 : (tiles.size() <= 16 ? 2 : 3);
        view->setFixedHeight(strip ? 34 : (tiles.size() == 1 ? 120 : 16 + rowsOfTiles * 54));
        view->setTiles(std::move(tiles));
        layout->addWidget(label);
        layout->addWidget(view);
        for (QObject* o : std::initializer_list<QObject*>{frame, label, view})
            o->installEventFilter(this);
        frame->setProperty("layer", static_cast<int>(i));
        label->setProperty("layer", static_cast<int>(i));
        view->setProperty("layer", static_cast<int>(i));
        m_rows->insertWidget(m_rows->count() - 1, frame);
        m_frames[i] = frame;
        m_tiles[i] = view;
    }
    setSelectedLayer(keep);
}

void ActivationGallery::styleRow(int layer, bool selected)
{
    if (layer < 0 || layer >= static_cast<int>(m_frames.size()) || !m_frames[static_cast<std::size_t>(layer)])
        return;
    QFrame* frame = m_frames[static_cast<std::size_t>(layer)];
    QPalette pal = palette();
    if (selected) {
        QColor tint = pal.color(QPalette::Highlight);
        tint.setAlpha(45);
        pal.setColor(QPalette::Window, tint);
    }
    frame->setPalette(pal);
    frame->setFrameShape(selected ? QFrame::Box : QFrame::StyledPanel);
}

void ActivationGallery::setSelectedLayer(int layer)
{
    styleRow(m_selected, false);
    m_selected = layer;
    styleRow(m_selected, true);
    if (layer >= 0 && layer < static_cast<int>(m_frames.size()) && m_frames[static_cast<std::size_t>(layer)])
        ensureWidgetVisible(m_frames[static_cast<std::size_t>(layer)], 10, 10);
}

bool ActivationGallery::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::MouseButtonPress && static_cast<QMouseEvent*>(event)->button() == Qt::LeftButton) {
        const QVariant layer = watched->property("layer");
        if (layer.isValid()) {
            setSelectedLayer(layer.toInt());
            emit layerClicked(layer.toInt());
            return true;
        }
    }
    return QScrollArea::eventFilter(watched, event);
}

}  // namespace layerlens::ui
