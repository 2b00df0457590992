#include "ui/widgets/tensor_panel.h"

#include <QHeaderView>
#include <QLabel>
#include <QStackedWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>

#include "core/lab/chain_rule.h"
#include "core/train/tensor_stats.h"
#include "ui/widgets/tensor_tiles_widget.h"

namespace layerlens::ui {

namespace {

QString number(double v) { return QString::fromStdString(core::formatLabNumber(v)); }

QString shapeText(const core::Shape& shape)
{
    QStringList parts;
    for (int d : shape)
        parts << QString::number(d);
    return "(" + parts.join(" × ") + ")";
}

}  // namespace

TensorPanel::TensorPanel(const QString& title, QWidget* parent)
    : QFrame(parent)
    , m_title(new QLabel(title, this))
    , m_stats(new QLabel(this))
    , m_stack(new QStackedWidget(this))
    , m_placeholder(new QLabel(this))
    , m_table(new QTableWidget(this))
    , m_heatmap(new TensorTilesWidget(this))
{
    setFrameShape(QFrame::StyledPanel);
    setObjectName("tensorPanel");
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_stats->setStyleSheet("color: palette(mid);");
    QFont small = m_stats->font();
    small.setPointSizeF(small.pointSizeF() - 1);
    m_stats->setFont(small);
    m_stats->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setStyleSheet("color: palette(mid); font-style: italic;");
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setFont(small);
    m_table->horizontalHeader()->setFont(small);
    m_table->verticalHeader()->setFont(small);
    m_stack->addWidget(m_placeholder);
    m_stack->addWidget(m_table);
    m_stack->addWidget(m_heatmap);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 8);
    layout->setSpacing(3);
    layout->addWidget(m_title);
    layout->addWidget(m_stats);
    layout->addWidget(m_stack, 1);
    setPlaceholder(tr("—"));
}

void TensorPanel::setTitle(const QString& title) { m_title->setText(title); }
QString TensorPanel::title() const { return m_title->text(); }

void TensorPanel::setPlaceholder(const QString& text)
{
    m_mode = Mode::Placeholder;
    m_placeholder->setText(text);
    m_stats->setText(QString());
    m_stack->setCurrentWidget(m_placeholder);
}

void TensorPanel::setTensor(const core::Tensor& tensor, bool batchAxis)
{
    if (tensor.empty()) {
        setPlaceholder(tr("empty"));
        return;
    }
    const auto stats = core::TensorStats::of(tensor.data(), tensor.size(), false);
    m_stats->setText(shapeText(tensor.shape()) + QString("   min %1 · max %2 · mean %3 · ‖·‖ %4")
                                                     .arg(number(stats.min), number(stats.max), number(stats.mean), number(stats.l2)));

    const auto& shape = tensor.shape();
    const int rank = tensor.rank();
    // A matrix view (rows x cols) for rank <= 2; tiles for images and convolution kernels.
    if (rank <= 2) {
        const int rowsAll = rank == 2 ? shape[0] : 1;
        const int cols = rank == 2 ? shape[1] : shape[0];
        const int rows = batchAxis ? std::min(rowsAll, kMaxSamplesShown) : rowsAll;
        if (rows * cols <= kMaxTableCells && cols <= kMaxTableColumns) {
            showTable(tensor, rows, cols, batchAxis);
            return;
        }
        ValueTile tile;
        tile.rows = std::min(rows, 64);
        tile.cols = cols;
        tile.values.assign(tensor.data(), tensor.data() + static_cast<std::size_t>(tile.rows) * static_cast<std::size_t>(cols));
        m_heatmap->setTiles({std::move(tile)});
        m_heatmap->setToolTip(batchAxis ? tr("rows: the first %1 samples of the batch; columns: units").arg(std::min(rows, 64))
                                        : tr("rows × columns of the tensor"));
    } else {
        // (N, C, H, W) batch: the first sample's channels; (O, C, kh, kw) kernel: every filter/channel pair.
        const int h = shape[static_cast<std::size_t>(rank - 2)], w = shape[static_cast<std::size_t>(rank - 1)];
        const std::size_t plane = static_cast<std::size_t>(h) * static_cast<std::size_t>(w);
        std::size_t planes = tensor.size() / plane;
        if (batchAxis)
            planes /= static_cast<std::size_t>(shape[0]);
        planes = std::min<std::size_t>(planes, 64);
        const int perGroup = rank == 4 ? shape[1] : 1;
        std::vector<ValueTile> tiles;
        for (std::size_t p = 0; p < planes; ++p) {
            ValueTile tile;
            tile.rows = h;
            tile.cols = w;
            tile.values.assign(tensor.data() + p * plane, tensor.data() + (p + 1) * plane);
            tile.label = batchAxis || perGroup == 1 ? QString::number(p)
                                                    : QString("%1/%2").arg(p / static_cast<std::size_t>(perGroup)).arg(p % static_cast<std::size_t>(perGroup));
            tiles.push_back(std::move(tile));
        }
        m_heatmap->setTiles(std::move(tiles));
        m_heatmap->setToolTip(batchAxis ? tr("the channels of the first sample") : tr("filter/channel"));
    }
    m_mode = Mode::Heatmap;
    m_stack->setCurrentWidget(m_heatmap);
}

void TensorPanel::showTable(const core::Tensor& tensor, int rows, int cols, bool batchAxis)
{
    m_table->clear();
    m_table->setRowCount(rows);
    m_table->setColumnCount(cols);
    QStringList rowNames, colNames;
    for (int r = 0; r < rows; ++r)
        rowNames << (batchAxis ? tr("sample %1").arg(r + 1) : tensor.rank() == 2 ? tr("row %1").arg(r) : QString());
    for (int c = 0; c < cols; ++c)
        colNames << QString::number(c);
    m_table->setVerticalHeaderLabels(rowNames);
    m_table->setHorizontalHeaderLabels(colNames);
    float maxAbs = 0;
    for (int k = 0; k < rows * cols; ++k)
        maxAbs = std::max(maxAbs, std::abs(tensor[static_cast<std::size_t>(k)]));
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) {
            const float v = tensor[static_cast<std::size_t>(r * cols + c)];
            auto* item = new QTableWidgetItem(number(v));
            item->setData(Qt::UserRole, v);
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            QColor background = TensorTilesWidget::colorFor(v, maxAbs > 0 ? maxAbs : 1.0f);
            background.setAlphaF(0.55);
            item->setBackground(background);
            m_table->setItem(r, c, item);
        }
    m_mode = Mode::Table;
    m_stack->setCurrentWidget(m_table);
}

}  // namespace layerlens::ui
