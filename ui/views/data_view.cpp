#include "ui/views/data_view.h"

#include <QApplication>
#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLineEdit>
#include <QPushButton>
#include <QScatterSeries>
#include <QScrollArea>
#include <QTabWidget>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>

#include "core/model/model.h"
#include "ui/theme.h"
#include "ui/widgets/dataset_spec_dialog.h"
#include "ui/widgets/sample_grid_widget.h"

namespace layerlens::ui {

namespace {

constexpr std::size_t kMaxScatterPoints = 3000;

QChart* makeChart()
{
    auto* chart = new QChart;
    chart->setMargins(QMargins(2, 2, 2, 2));
    chart->setBackgroundRoundness(0);
    chart->setAnimationOptions(QChart::NoAnimation);
    return chart;
}

void themeChart(QChart* chart)
{
    const QPalette p = QApplication::palette();
    chart->setBackgroundBrush(p.color(QPalette::Base));
    chart->setTitleBrush(p.color(QPalette::Text));
    chart->legend()->setLabelColor(p.color(QPalette::Text));
    for (QAbstractAxis* axis : chart->axes()) {
        axis->setLabelsColor(p.color(QPalette::Text));
        axis->setGridLineColor(p.color(QPalette::Midlight));
        axis->setLinePenColor(p.color(QPalette::Mid));
    }
}

}  // namespace

DataView::DataView(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("dataView"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(6);

    auto* row = new QHBoxLayout;
    m_spec = new QComboBox(this);
    m_spec->setObjectName(QStringLiteral("datasetSpecCombo"));
    m_spec->setEditable(true);
    m_spec->setInsertPolicy(QComboBox::NoInsert);
    m_spec->addItems({QStringLiteral("fashion-mnist"), QStringLiteral("fashion-mnist?limit=10000"), QStringLiteral("fashion-mnist:test"),
                      QStringLiteral("mnist"), QStringLiteral("cifar10"), QStringLiteral("shapes?n=2000&size=32"),
                      QStringLiteral("spiral?n=600&classes=3&noise=0.1"), QStringLiteral("xor?n=400"), QStringLiteral("circles?n=400&classes=2"),
                      QStringLiteral("gauss?n=600&classes=4"), QStringLiteral("moons?n=400")});
    m_spec->setToolTip(tr("A dataset spec: name[:path][?option=value&…], e.g. spiral?n=500&classes=3"));
    m_spec->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_load = new QPushButton(tr("Load"), this);
    m_load->setObjectName(QStringLiteral("loadDataButton"));
    m_choose = new QPushButton(tr("Choose…"), this);
    m_choose->setObjectName(QStringLiteral("chooseDataButton"));
    row->addWidget(m_spec, 1);
    row->addWidget(m_load);
    row->addWidget(m_choose);
    layout->addLayout(row);

    m_info = new QLabel(tr("No dataset loaded"), this);
    m_info->setObjectName(QStringLiteral("datasetInfo"));
    m_info->setWordWrap(true);
    layout->addWidget(m_info);

    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    m_samples = new SampleGridWidget(this);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(m_samples);
    m_tabs->addTab(scroll, tr("Samples"));
    m_classChart = makeChart();
    m_classChart->legend()->hide();
    m_classView = new QChartView(m_classChart, this);
    m_classView->setRenderHint(QPainter::Antialiasing);
    m_tabs->addTab(m_classView, tr("Classes"));
    m_scatterChart = makeChart();
    m_scatterChart->legend()->setAlignment(Qt::AlignBottom);
    m_scatterView = new QChartView(m_scatterChart, this);
    m_scatterView->setRenderHint(QPainter::Antialiasing);
    m_tabs->addTab(m_scatterView, tr("Points"));
    layout->addWidget(m_tabs, 1);

    connect(m_load, &QPushButton::clicked, this, [this] { emit datasetRequested(spec()); });
    connect(m_spec->lineEdit(), &QLineEdit::returnPressed, this, [this] { emit datasetRequested(spec()); });
    connect(m_spec, &QComboBox::activated, this, [this] { emit datasetRequested(spec()); });
    connect(m_choose, &QPushButton::clicked, this, &DataView::chooseDialog);
    m_tabs->setTabEnabled(2, false);
}

QString DataView::spec() const { return m_spec->currentText().trimmed(); }

void DataView::setSpecText(const QString& spec)
{
    const QSignalBlocker blocker(m_spec);
    m_spec->setCurrentText(spec);
}

void DataView::setDataset(const core::DatasetPtr& dataset, const QString& spec)
{
    m_dataset = dataset;
    setSpecText(spec);
    if (!dataset) {
        m_info->setText(tr("No dataset loaded"));
    } else {
        QStringList shape;
        for (int d : dataset->sampleShape())
            shape << QString::number(d);
        m_info->setText(tr("<b>%1</b> · %2 samples · %3 · %4 classes")
                            .arg(QString::fromStdString(dataset->name()).toHtmlEscaped(),
                                 QString::fromStdString(core::formatThousands(dataset->size())),
                                 dataset->isImage() ? tr("images %1").arg(shape.join(QStringLiteral(" × "))) : tr("%1 features").arg(shape.join(QStringLiteral(" × "))))
                            .arg(dataset->classCount()));
    }
    m_samples->setDataset(dataset);
    updateClassChart();
    updateScatter();
    const bool points = dataset && dataset->sampleShape() == core::Shape{2};
    m_tabs->setTabEnabled(0, dataset && dataset->isImage());
    m_tabs->setTabEnabled(2, points);
    m_tabs->setCurrentIndex(points ? 2 : (dataset && dataset->isImage()) ? 0 : 1);
}

int DataView::classBarCount() const
{
    const auto series = m_classChart->series();
    if (series.isEmpty())
        return 0;
    const auto* bars = static_cast<QBarSeries*>(series.first());
    return bars->barSets().isEmpty() ? 0 : static_cast<int>(bars->barSets().first()->count());
}

int DataView::scatterSeriesCount() const { return static_cast<int>(m_scatterChart->series().size()); }

void DataView::updateClassChart()
{
    m_classChart->removeAllSeries();
    for (QAbstractAxis* axis : m_classChart->axes()) {
        m_classChart->removeAxis(axis);
        delete axis;
    }
    if (!m_dataset || m_dataset->classCount() <= 0)
        return;
    const auto counts = m_dataset->classCounts();
    const auto names = m_dataset->classNames();
    auto* set = new QBarSet(tr("samples"));
    set->setColor(Theme::seriesColor(0));
    set->setBorderColor(Theme::seriesColor(0));
    QStringList categories;
    int maxCount = 0;
    for (std::size_t i = 0; i < counts.size(); ++i) {
        *set << counts[i];
        maxCount = std::max(maxCount, counts[i]);
        categories << (i < names.size() ? QString::fromStdString(names[i]) : QString::number(i));
    }
    auto* series = new QBarSeries;
    series->append(set);
    series->setBarWidth(0.75);
    m_classChart->addSeries(series);
    auto* x = new QBarCategoryAxis;
    x->append(categories);
    x->setLabelsAngle(categories.size() > 6 ? -45 : 0);
    auto* y = new QValueAxis;
    y->setRange(0, maxCount > 0 ? maxCount * 1.1 : 1);
    y->setLabelFormat(QStringLiteral("%d"));
    y->applyNiceNumbers();
    m_classChart->addAxis(x, Qt::AlignBottom);
    m_classChart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    m_classChart->setTitle(tr("Samples per class"));
    themeChart(m_classChart);
}

void DataView::updateScatter()
{
    m_scatterChart->removeAllSeries();
    for (QAbstractAxis* axis : m_scatterChart->axes()) {
        m_scatterChart->removeAxis(axis);
        delete axis;
    }
    if (!m_dataset || m_dataset->sampleShape() != core::Shape{2})
        return;
    const auto names = m_dataset->classNames();
    const int classes = std::max(1, m_dataset->classCount());
    std::vector<QScatterSeries*> series(static_cast<std::size_t>(classes));
    for (int c = 0; c < classes; ++c) {
        auto* s = new QScatterSeries;
        s->setName(c < static_cast<int>(names.size()) ? QString::fromStdString(names[static_cast<std::size_t>(c)]) : QString::number(c));
        s->setMarkerSize(7);
        s->setColor(Theme::seriesColor(c));
        s->setBorderColor(Theme::seriesColor(c).darker(130));
        series[static_cast<std::size_t>(c)] = s;
    }
    const std::size_t stride = std::max<std::size_t>(1, m_dataset->size() / kMaxScatterPoints);
    float point[2];
    double minX = 1e30, maxX = -1e30, minY = 1e30, maxY = -1e30;
    for (std::size_t i = 0; i < m_dataset->size(); i += stride) {
        m_dataset->copySample(i, point);
        const int label = std::clamp(m_dataset->label(i), 0, classes - 1);
        series[static_cast<std::size_t>(label)]->append(point[0], point[1]);
        minX = std::min(minX, double(point[0]));
        maxX = std::max(maxX, double(point[0]));
        minY = std::min(minY, double(point[1]));
        maxY = std::max(maxY, double(point[1]));
    }
    auto* x = new QValueAxis;
    auto* y = new QValueAxis;
    const double padX = (maxX - minX) * 0.05 + 1e-6, padY = (maxY - minY) * 0.05 + 1e-6;
    x->setRange(minX - padX, maxX + padX);
    y->setRange(minY - padY, maxY + padY);
    m_scatterChart->addAxis(x, Qt::AlignBottom);
    m_scatterChart->addAxis(y, Qt::AlignLeft);
    for (QScatterSeries* s : series) {
        m_scatterChart->addSeries(s);
        s->attachAxis(x);
        s->attachAxis(y);
    }
    themeChart(m_scatterChart);
}

void DataView::chooseDialog()
{
    DatasetSpecDialog dialog(this);
    const QString current = spec();
    dialog.setKind(current.section(QLatin1Char('?'), 0, 0).section(QLatin1Char(':'), 0, 0));
    if (dialog.exec() == QDialog::Accepted) {
        setSpecText(dialog.spec());
        emit datasetRequested(dialog.spec());
    }
}

}  // namespace layerlens::ui
