#include "ui/widgets/weight_stats_panel.h"

#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include "ui/widgets/histogram_widget.h"

namespace layerlens::ui {

namespace {

QString number(float v) { return QString::number(static_cast<double>(v), 'g', 4); }

QTableWidgetItem* cell(const QString& text, bool numeric)
{
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    if (numeric)
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

}  // namespace

WeightStatsPanel::WeightStatsPanel(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("weightStatsPanel"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    m_title = new QLabel(tr("Weights"), this);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_table = new QTableWidget(0, 7, this);
    m_table->setObjectName(QStringLiteral("weightTable"));
    m_table->setHorizontalHeaderLabels({tr("Tensor"), tr("Shape"), tr("Mean"), tr("Std"), tr("Min"), tr("Max"), tr("L2")});
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setMinimumHeight(70);
    m_histogram = new HistogramWidget(this);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(m_histogram);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 2);
    layout->addWidget(m_title);
    layout->addWidget(split, 1);
    connect(m_table, &QTableWidget::currentCellChanged, this, [this](int row) { selectTensor(row); });
}

void WeightStatsPanel::clear() { setWeights(tr("Weights"), {}); }

void WeightStatsPanel::setWeights(const QString& layerTitle, std::vector<core::InspectedWeight> weights)
{
    m_weights = std::move(weights);
    m_title->setText(layerTitle);
    const QSignalBlocker block(m_table);
    m_table->setRowCount(static_cast<int>(m_weights.size()));
    for (int r = 0; r < static_cast<int>(m_weights.size()); ++r) {
        const core::InspectedWeight& w = m_weights[static_cast<std::size_t>(r)];
        m_table->setItem(r, 0, cell(QString::fromStdString(w.name), false));
        m_table->setItem(r, 1, cell(QString::fromStdString(core::shapeToString(w.shape)), false));
        m_table->setItem(r, 2, cell(number(w.stats.mean), true));
        m_table->setItem(r, 3, cell(number(w.stats.stddev), true));
        m_table->setItem(r, 4, cell(number(w.stats.min), true));
        m_table->setItem(r, 5, cell(number(w.stats.max), true));
        m_table->setItem(r, 6, cell(number(w.stats.l2), true));
    }
    if (m_weights.empty()) {
        m_histogram->clear();
        return;
    }
    m_table->selectRow(0);
    selectTensor(0);
}

void WeightStatsPanel::selectTensor(int index)
{
    if (index < 0 || index >= tensorCount())
        return;
    const core::InspectedWeight& w = m_weights[static_cast<std::size_t>(index)];
    m_histogram->setHistogram(w.stats.histogram, w.stats.histogramMin, w.stats.histogramMax, w.stats.mean,
                              tr("%1 %2 — %3 values").arg(QString::fromStdString(w.name), QString::fromStdString(core::shapeToString(w.shape)))
                                  .arg(static_cast<qulonglong>(w.stats.count)));
}

}  // namespace layerlens::ui
