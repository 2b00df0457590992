#include "ui/views/race_view.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLegendMarker>
#include <QLineEdit>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPainter>
#include <QPushButton>
#include <QScatterSeries>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

#include "core/activations/activation.h"
#include "core/data/dataset.h"
#include "core/data/dataset_spec.h"
#include "core/lab/chain_rule.h"
#include "core/model/presets.h"

namespace layerlens::ui {

namespace {

const QColor kVariantColors[] = {{31, 119, 180}, {255, 127, 14}, {44, 160, 44},  {214, 39, 40},
                                 {148, 103, 189}, {140, 86, 75},  {227, 119, 194}, {23, 190, 207}};
const QColor kClassColors[] = {{31, 119, 180}, {255, 127, 14}, {44, 160, 44}, {214, 39, 40}, {148, 103, 189},
                               {140, 86, 75},  {227, 119, 194}, {127, 127, 127}, {188, 189, 34}, {23, 190, 207}};

constexpr int kBoundarySize = 260;  // pixels of one decision map

QColor variantColor(int i) { return kVariantColors[static_cast<std::size_t>(i) % std::size(kVariantColors)]; }
QColor classColor(int k) { return kClassColors[static_cast<std::size_t>(std::max(k, 0)) % std::size(kClassColors)]; }

QChartView* chartView(QChart* chart, QWidget* parent)
{
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignBottom);
    auto* view = new QChartView(chart, parent);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumSize(260, 200);
    return view;
}

void setTitle(QChart* chart, const QString& title)
{
    QFont f = chart->titleFont();
    f.setBold(true);
    chart->setTitleFont(f);
    chart->setTitle(title);
}

// The decision regions of one variant: argmax colour, paler where the model is unsure, and the
// data on top.
QImage boundaryImage(const core::Snapshot& s, int size)
{
    const int g = s.gridSize;
    if (g <= 0 || s.gridOutput.empty())
        return {};
    const int k = static_cast<int>(s.gridOutput.size() / static_cast<std::size_t>(g * g));
    QImage grid(g, g, QImage::Format_RGB32);
    for (int y = 0; y < g; ++y)
        for (int x = 0; x < g; ++x) {
            const float* p = s.gridOutput.data() + static_cast<std::size_t>((y * g + x) * k);
            const int best = static_cast<int>(std::max_element(p, p + k) - p);
            const double confidence = k > 1 ? std::clamp((p[best] - 1.0 / k) / (1.0 - 1.0 / k), 0.0, 1.0) : 1.0;
            const QColor c = classColor(best);
            const double a = 0.25 + 0.5 * confidence;
            grid.setPixelColor(x, y, QColor::fromRgbF(1 - a + a * c.redF(), 1 - a + a * c.greenF(), 1 - a + a * c.blueF()));
        }
    QImage image = grid.scaled(size, size, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    const double sx = size / static_cast<double>(s.gridMaxX - s.gridMinX), sy = size / static_cast<double>(s.gridMaxY - s.gridMinY);
    const int points = s.dataPoints.empty() ? 0 : s.dataPoints.dim(0);
    for (int i = 0; i < points && i < static_cast<int>(s.dataLabels.size()); ++i) {
        const double px = (s.dataPoints[static_cast<std::size_t>(2 * i)] - s.gridMinX) * sx;
        const double py = (s.gridMaxY - s.dataPoints[static_cast<std::size_t>(2 * i + 1)]) * sy;
        painter.setPen(QPen(Qt::white, 0.8));
        painter.setBrush(classColor(s.dataLabels[static_cast<std::size_t>(i)]).darker(115));
        painter.drawEllipse(QPointF(px, py), 2.6, 2.6);
    }
    painter.setPen(QColor(0, 0, 0, 90));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(0, 0, size - 1, size - 1);
    return image;
}

core::RaceKind kindAt(int index) { return static_cast<core::RaceKind>(index); }

// [0, top] in three to six round intervals (1, 2, 2.5 or 5 times a power of ten) with the
// lowest top past max: applyNiceNumbers() tends to leave a third of the chart empty.
void setRoundTop(QValueAxis* axis, double max)
{
    max = std::max(max, 1e-9);
    const double magnitude = std::pow(10.0, std::floor(std::log10(max / 4)));
    double bestTop = 0;
    int bestIntervals = 4;
    for (double scale : {1.0, 10.0})
        for (double m : {1.0, 2.0, 2.5, 5.0}) {
            const double step = m * scale * magnitude;
            const int intervals = static_cast<int>(std::ceil(max / step - 1e-9));
            if (intervals < 3 || intervals > 6 || (bestTop > 0 && step * intervals >= bestTop))
                continue;
            bestTop = step * intervals;
            bestIntervals = intervals;
        }
    if (bestTop <= 0)
        bestTop = max;
    axis->setRange(0, bestTop);
    axis->setTickCount(bestIntervals + 1);
}

}  // namespace

RaceView::RaceView(QWidget* parent)
    : QWidget(parent)
    , m_timer(new QTimer(this))
    , m_kind(new QComboBox(this))
    , m_variants(new QLineEdit(this))
    , m_dataset(new QLineEdit(this))
    , m_model(new QComboBox(this))
    , m_hidden(new QLineEdit(this))
    , m_baseActivation(new QComboBox(this))
    , m_epochs(new QSpinBox(this))
    , m_batch(new QSpinBox(this))
    , m_rate(new QDoubleSpinBox(this))
    , m_seed(new QSpinBox(this))
    , m_target(new QDoubleSpinBox(this))
    , m_start(new QPushButton(tr("▶ Start race"), this))
    , m_stop(new QPushButton(tr("■ Stop"), this))
    , m_status(new QLabel(this))
    , m_tabs(new QTabWidget(this))
    , m_lossChart(new QChart)
    , m_accuracyChart(new QChart)
    , m_gradientChart(new QChart)
    , m_deadChart(new QChart)
    , m_saturatedChart(new QChart)
    , m_boundaryPage(new QWidget(this))
    , m_boundaryGrid(new QGridLayout(m_boundaryPage))
    , m_table(new QTableWidget(this))
{
    setObjectName("raceView");
    m_kind->addItems({tr("Activation functions"), tr("Losses"), tr("Optimizers"), tr("Fine-tune vs scratch")});
    m_dataset->setText("spiral?n=600&noise=0.1&classes=3&seed=1");
    m_dataset->setToolTip(QString::fromStdString(core::DatasetSpec::help()));
    m_model->addItem("MLP");
    for (const std::string& name : core::presetNames())
        m_model->addItem(QString::fromStdString(name));
    m_hidden->setText("16, 16, 16");
    m_hidden->setToolTip(tr("Hidden layer sizes of the MLP, e.g. \"64, 32\"; try 8 layers of 16 with sigmoid vs relu"));
    for (const std::string& name : core::Activation::names())
        if (name != "softmax" && name != "linear")
            m_baseActivation->addItem(QString::fromStdString(name));
    m_baseActivation->setCurrentText("relu");
    m_baseActivation->setToolTip(tr("The hidden activation for loss and optimizer races"));
    m_epochs->setRange(1, 1000);
    m_epochs->setValue(30);
    m_batch->setRange(1, 4096);
    m_batch->setValue(32);
    m_rate->setDecimals(4);
    m_rate->setRange(0.0001, 10);
    m_rate->setSingleStep(0.001);
    m_rate->setValue(0.01);
    m_rate->setToolTip(tr("Base learning rate (optimizer races give each variant its own as kind:rate)"));
    m_seed->setRange(0, 1000000);
    m_seed->setValue(1);
    m_target->setRange(0.05, 1.0);
    m_target->setSingleStep(0.05);
    m_target->setValue(0.9);
    m_target->setToolTip(tr("\"Steps to target\" is the first step where the mean batch accuracy of the last 10 steps reaches this"));
    m_stop->setEnabled(false);
    m_status->setWordWrap(true);

    auto syncVariants = [this](int index) {
        QStringList list;
        for (const auto& v : core::Race::defaultVariants(kindAt(index)))
            list << QString::fromStdString(v);
        m_variants->setText(list.join(", "));
        m_variants->setCursorPosition(0);  // the start of a long list is what reads
    };
    connect(m_kind, &QComboBox::currentIndexChanged, this, syncVariants);
    connect(m_kind, &QComboBox::currentIndexChanged, this,
            [this](int index) { m_baseActivation->setEnabled(kindAt(index) != core::RaceKind::Activation); });
    m_baseActivation->setEnabled(false);
    syncVariants(0);
    connect(m_model, &QComboBox::currentTextChanged, this, [this](const QString& text) { m_hidden->setEnabled(text == "MLP"); });
    connect(m_start, &QPushButton::clicked, this, [this] { start(); });
    connect(m_stop, &QPushButton::clicked, this, &RaceView::stop);
    m_timer->setInterval(100);
    connect(m_timer, &QTimer::timeout, this, &RaceView::poll);

    auto* setup = new QGroupBox(tr("Race"), this);
    auto* form = new QFormLayout(setup);
    form->addRow(tr("Compare"), m_kind);
    form->addRow(tr("Variants"), m_variants);
    form->addRow(tr("Dataset"), m_dataset);
    form->addRow(tr("Model"), m_model);
    form->addRow(tr("Hidden layers"), m_hidden);
    form->addRow(tr("Hidden activation"), m_baseActivation);
    form->addRow(tr("Epochs"), m_epochs);
    form->addRow(tr("Batch size"), m_batch);
    form->addRow(tr("Learning rate"), m_rate);
    form->addRow(tr("Seed"), m_seed);
    form->addRow(tr("Target accuracy"), m_target);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_stop);
    form->addRow(buttons);
    form->addRow(m_status);
    setup->setMaximumWidth(340);

    // Curves.
    auto* curves = new QWidget(this);
    auto* curvesLayout = new QHBoxLayout(curves);
    curvesLayout->setContentsMargins(0, 0, 0, 0);
    curvesLayout->addWidget(chartView(m_lossChart, curves));
    curvesLayout->addWidget(chartView(m_accuracyChart, curves));
    m_tabs->addTab(curves, tr("Loss && accuracy"));
    // Layers.
    auto* layers = new QWidget(this);
    auto* layersLayout = new QGridLayout(layers);
    layersLayout->setContentsMargins(0, 0, 0, 0);
    layersLayout->addWidget(chartView(m_gradientChart, layers), 0, 0, 1, 2);
    layersLayout->addWidget(chartView(m_deadChart, layers), 1, 0);
    layersLayout->addWidget(chartView(m_saturatedChart, layers), 1, 1);
    m_tabs->addTab(layers, tr("Gradients && units"));
    m_boundaryGrid->setSpacing(10);
    m_tabs->addTab(m_boundaryPage, tr("Decision regions"));

    m_table->setColumnCount(7);
    m_table->setHorizontalHeaderLabels(
        {tr("Variant"), tr("Final accuracy"), tr("Final loss"), tr("Steps to target"), tr("Steps"), tr("Wall time"), tr("Status")});
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setMinimumHeight(120);

    auto* right = new QSplitter(Qt::Vertical, this);
    right->addWidget(m_tabs);
    right->addWidget(m_table);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 1);
    auto* layout = new QHBoxLayout(this);
    layout->addWidget(setup);
    layout->addWidget(right, 1);
    clearCharts();
}

RaceView::~RaceView()
{
    if (m_race)
        m_race->stop();
}

void RaceView::setKind(core::RaceKind kind) { m_kind->setCurrentIndex(static_cast<int>(kind)); }
void RaceView::setVariants(const QStringList& variants)
{
    m_variants->setText(variants.join(", "));
    m_variants->setCursorPosition(0);
}
void RaceView::setDatasetSpec(const QString& spec)
{
    m_dataset->setText(spec);
    m_dataset->setCursorPosition(0);  // the dataset's name, not the tail of its options
}
void RaceView::setModelChoice(const QString& choice) { m_model->setCurrentText(choice); }
void RaceView::setCurrentModel(const nlohmann::json& description)
{
    m_currentModel = description;
    const QString name = tr("Current model");
    if (m_model->findText(name) < 0)
        m_model->insertItem(1, name);
}

void RaceView::setHiddenLayers(const QString& sizes) { m_hidden->setText(sizes); }
void RaceView::setEpochs(int epochs) { m_epochs->setValue(epochs); }
void RaceView::setBatchSize(int batch) { m_batch->setValue(batch); }
void RaceView::setLearningRate(double rate) { m_rate->setValue(rate); }
void RaceView::setSeed(int seed) { m_seed->setValue(seed); }
void RaceView::setTargetAccuracy(double accuracy) { m_target->setValue(accuracy); }

bool RaceView::isRunning() const { return m_race && m_race->isRunning(); }
bool RaceView::isFinished() const { return m_race && m_race->isFinished() && !m_timer->isActive(); }
QString RaceView::statusText() const { return m_status->text(); }
int RaceView::boundaryCount() const
{
    int n = 0;
    for (const QLabel* label : m_boundaries)
        n += !label->pixmap().isNull();
    return n;
}

void RaceView::setStatus(const QString& text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? "color: #c0392b;" : "");
}

core::RaceSettings RaceView::settingsFromForm()
{
    core::RaceSettings s;
    s.kind = kindAt(m_kind->currentIndex());
    if (s.kind == core::RaceKind::Transfer) {
        if (!m_pretrained)
            throw std::invalid_argument(tr("Fine-tune vs scratch needs a pretrained model: open one with Model > Fine-tune…").toStdString());
        s.pretrained = m_pretrained;
    }
    for (const QString& v : m_variants->text().split(',', Qt::SkipEmptyParts))
        if (!v.trimmed().isEmpty())
            s.variants.push_back(v.trimmed().toStdString());
    s.train = core::loadDataset(m_dataset->text().trimmed().toStdString());
    const core::Shape shape = s.train->sampleShape();
    const int classes = std::max(s.train->classCount(), 1);
    if (m_model->currentText() == "MLP") {
        std::vector<int> hidden;
        for (const QString& part : m_hidden->text().split(',', Qt::SkipEmptyParts)) {
            bool ok = false;
            const int units = part.trimmed().toInt(&ok);
            if (!ok || units <= 0)
                throw std::invalid_argument("Hidden layers: \"" + part.trimmed().toStdString() + "\" is not a positive number of units");
            hidden.push_back(units);
        }
        nlohmann::json layers = nlohmann::json::array();
        if (shape.size() > 1)
            layers.push_back({{"type", "Flatten"}});
        for (int units : hidden)
            layers.push_back({{"type", "Dense"}, {"units", units}, {"activation", m_baseActivation->currentText().toStdString()}});
        layers.push_back({{"type", "Dense"}, {"units", classes}});
        s.model = {{"input_shape", shape}, {"layers", layers}};
    } else if (m_model->currentText() == tr("Current model")) {
        s.model = m_currentModel;
    } else {
        s.model = core::presetDescription(m_model->currentText().toStdString(), shape, classes);
    }
    s.trainer.epochs = m_epochs->value();
    s.trainer.batchSize = m_batch->value();
    s.trainer.seed = static_cast<std::uint64_t>(m_seed->value());
    s.trainer.optimizer.kind = "adam";
    s.trainer.optimizer.learningRate = static_cast<float>(m_rate->value());
    s.trainer.capture.maxPublishHz = 10;
    s.targetAccuracy = static_cast<float>(m_target->value());
    return s;
}

bool RaceView::start()
{
    try {
        return start(settingsFromForm());
    } catch (const std::exception& e) {
        setStatus(QString::fromUtf8(e.what()), true);
        return false;
    }
}

bool RaceView::start(core::RaceSettings settings)
{
    if (isRunning())
        return false;
    m_timer->stop();
    m_race.reset();
    if (settings.kind == core::RaceKind::Transfer && settings.pretrained) {
        m_pretrained = settings.pretrained;  // the race copies its weights and leaves it as it is
        m_kind->setCurrentIndex(static_cast<int>(core::RaceKind::Transfer));
        setVariants({QStringLiteral("fine-tune"), QStringLiteral("scratch")});
    }
    try {
        const std::size_t samples = settings.train ? settings.train->size() : 0;
        const auto steps = static_cast<long long>(std::ceil(samples * (1.0 - settings.trainer.validationSplit)
                                                            / std::max(settings.trainer.batchSize, 1)))
                         * settings.trainer.epochs;
        m_bucket = static_cast<int>(std::max<long long>(1, steps / 600));
        m_race = std::make_unique<core::Race>(std::move(settings));
    } catch (const std::exception& e) {
        setStatus(QString::fromUtf8(e.what()), true);
        return false;
    }
    setUpSeries();
    m_race->start();
    m_start->setEnabled(false);
    m_stop->setEnabled(true);
    setStatus(tr("Racing %1 variants (at most %2 at a time)…").arg(m_race->variantCount()).arg(m_race->settings().parallelism));
    m_timer->start();
    return true;
}

void RaceView::stop()
{
    if (m_race)
        m_race->stop();
}

void RaceView::clearCharts()
{
    for (QChart* chart : {m_lossChart, m_accuracyChart, m_gradientChart, m_deadChart, m_saturatedChart}) {
        chart->removeAllSeries();
        for (QAbstractAxis* axis : chart->axes()) {
            chart->removeAxis(axis);
            delete axis;
        }
    }
    m_lossSeries.clear();
    m_accuracySeries.clear();
    m_gradientSeries.clear();
    setTitle(m_lossChart, tr("Training loss"));
    setTitle(m_accuracyChart, tr("Accuracy per epoch"));
    setTitle(m_gradientChart, tr("Weight-gradient norm per layer ‖dL/dW‖ (log scale)"));
    setTitle(m_deadChart, tr("Dead units (ReLU family)"));
    setTitle(m_saturatedChart, tr("Saturated units (sigmoid/tanh family)"));
    for (QLabel* label : m_boundaries)
        delete label;
    m_boundaries.clear();
    while (QLayoutItem* item = m_boundaryGrid->takeAt(0)) {
        delete item->widget();
        delete item;
    }
}

void RaceView::setUpSeries()
{
    clearCharts();
    const int n = m_race->variantCount();
    m_stepsRead.assign(static_cast<std::size_t>(n), 0);
    m_epochsRead.assign(static_cast<std::size_t>(n), 0);
    m_bucketSum.assign(static_cast<std::size_t>(n), 0.0);
    m_bucketCount.assign(static_cast<std::size_t>(n), 0);
    m_maxStep = 1;
    m_maxLoss = 1e-6;

    auto axes = [](QChart* chart, const QString& x, const QString& y, QAbstractAxis* yAxis) {
        auto* xAxis = new QValueAxis;
        xAxis->setTitleText(x);
        xAxis->setLabelFormat("%d");
        yAxis->setTitleText(y);
        chart->addAxis(xAxis, Qt::AlignBottom);
        chart->addAxis(yAxis, Qt::AlignLeft);
    };
    axes(m_lossChart, tr("step"), tr("loss"), new QValueAxis);
    axes(m_accuracyChart, tr("epoch"), tr("accuracy"), new QValueAxis);
    auto* logAxis = new QLogValueAxis;
    logAxis->setBase(10);
    logAxis->setLabelFormat("%.0e");
    logAxis->setMinorTickCount(-1);
    axes(m_gradientChart, tr("layer with weights"), tr("‖dL/dW‖"), logAxis);
    static_cast<QValueAxis*>(m_accuracyChart->axes(Qt::Vertical).first())->setRange(0, 1);

    for (int i = 0; i < n; ++i) {
        const QString label = QString::fromStdString(m_race->label(i));
        const QColor color = variantColor(i);
        auto add = [&](QChart* chart, std::vector<QLineSeries*>& list, double width, bool points) {
            auto* series = new QLineSeries;
            series->setName(label);
            series->setPen(QPen(color, width));
            series->setPointsVisible(points);
            chart->addSeries(series);
            series->attachAxis(chart->axes(Qt::Horizontal).first());
            series->attachAxis(chart->axes(Qt::Vertical).first());
            list.push_back(series);
        };
        add(m_lossChart, m_lossSeries, 1.6, false);
        add(m_accuracyChart, m_accuracySeries, 2.0, true);
        add(m_gradientChart, m_gradientSeries, 2.0, true);
    }

    // Decision maps, one per variant, for 2-D data.
    if (m_race->settings().train->sampleShape() == core::Shape{2}) {
        const int columns = std::min(n, 4);
        for (int i = 0; i < n; ++i) {
            auto* cell = new QWidget(m_boundaryPage);
            auto* v = new QVBoxLayout(cell);
            auto* image = new QLabel(cell);
            image->setFixedSize(kBoundarySize + 4, kBoundarySize + 4);
            image->setAlignment(Qt::AlignCenter);
            auto* caption = new QLabel(QString("<b style='color:%1'>%2</b>").arg(variantColor(i).name(), QString::fromStdString(m_race->label(i))), cell);
            caption->setAlignment(Qt::AlignCenter);
            v->addWidget(image);
            v->addWidget(caption);
            m_boundaryGrid->addWidget(cell, i / columns, i % columns, Qt::AlignTop | Qt::AlignHCenter);
            m_boundaries.push_back(image);
        }
        m_boundaryGrid->setRowStretch((n - 1) / columns + 1, 1);
        m_tabs->setTabEnabled(2, true);
    } else {
        auto* note = new QLabel(tr("Decision regions are drawn for 2-D datasets (spiral, xor, circles, gauss, moons)."), m_boundaryPage);
        m_boundaryGrid->addWidget(note, 0, 0);
        m_tabs->setTabEnabled(2, false);
    }
    m_table->setRowCount(n);
    // Every variant's row visible without scrolling, up to a sensible height.
    const int rowsHeight = m_table->horizontalHeader()->sizeHint().height()
                           + n * m_table->verticalHeader()->defaultSectionSize() + 2 * m_table->frameWidth() + 2;
    m_table->setMinimumHeight(std::clamp(rowsHeight, 120, 300));
    updateTable();
}

void RaceView::poll()
{
    if (!m_race)
        return;
    const bool finished = m_race->isFinished();
    updateCurves();
    updateLayerCharts();
    updateBoundaries();
    updateTable();
    if (finished) {
        m_timer->stop();
        m_start->setEnabled(true);
        m_stop->setEnabled(false);
        double wall = 0;
        for (const auto& r : m_race->results())
            wall = std::max(wall, r.wallSeconds);
        setStatus(tr("Finished: %1 variants, the slowest took %2 s.").arg(m_race->variantCount()).arg(wall, 0, 'f', 1));
    }
}

void RaceView::updateCurves()
{
    const int n = m_race->variantCount();
    for (int i = 0; i < n; ++i) {
        const auto ii = static_cast<std::size_t>(i);
        const auto steps = m_race->history(i).stepsSince(m_stepsRead[ii]);
        m_stepsRead[ii] += steps.size();
        QList<QPointF> points;
        for (const auto& r : steps) {
            // Average `m_bucket` steps into one point: long races stay light to draw.
            m_bucketSum[ii] += r.loss;
            if (++m_bucketCount[ii] < m_bucket)
                continue;
            const double mean = m_bucketSum[ii] / m_bucketCount[ii];
            points.append(QPointF(static_cast<double>(r.step), mean));
            m_maxStep = std::max(m_maxStep, r.step);
            if (std::isfinite(mean))
                m_maxLoss = std::max(m_maxLoss, mean);
            m_bucketSum[ii] = 0;
            m_bucketCount[ii] = 0;
        }
        if (!points.isEmpty())
            m_lossSeries[ii]->append(points);
        const auto epochs = m_race->history(i).epochsSince(m_epochsRead[ii]);
        m_epochsRead[ii] += epochs.size();
        const bool validation = m_race->settings().validation || m_race->settings().trainer.validationSplit > 0;
        for (const auto& e : epochs)
            m_accuracySeries[ii]->append(e.epoch + 1, validation ? e.validationAccuracy : e.trainAccuracy);
    }
    auto* stepAxis = static_cast<QValueAxis*>(m_lossChart->axes(Qt::Horizontal).first());
    setRoundTop(stepAxis, static_cast<double>(m_maxStep));
    auto* lossAxis = static_cast<QValueAxis*>(m_lossChart->axes(Qt::Vertical).first());
    setRoundTop(lossAxis, m_maxLoss * 1.05);
    const int epochs = std::max(2, m_race->settings().trainer.epochs);
    auto* epochAxis = static_cast<QValueAxis*>(m_accuracyChart->axes(Qt::Horizontal).first());
    epochAxis->setRange(1, epochs);
    if (epochs <= 16)
        epochAxis->setTickCount(epochs);
    else
        setRoundTop(epochAxis, epochs);
    const bool validation = m_race->settings().validation || m_race->settings().trainer.validationSplit > 0;
    m_accuracyChart->axes(Qt::Vertical).first()->setTitleText(validation ? tr("validation accuracy") : tr("training accuracy"));
}

void RaceView::updateLayerCharts()
{
    const int n = m_race->variantCount();
    double gmin = 1e30, gmax = 1e-30;
    int layersWithWeights = 1;
    // Activation layers (for the dead / saturated bars); the same in every variant of a race.
    std::vector<int> activationLayers;
    std::vector<core::SnapshotPtr> snapshots;
    for (int i = 0; i < n; ++i)
        snapshots.push_back(m_race->latest(i));
    for (int i = 0; i < n; ++i) {
        const auto& s = snapshots[static_cast<std::size_t>(i)];
        if (!s)
            continue;
        QList<QPointF> points;
        int k = 0;
        for (const auto& layer : s->layers) {
            if (layer.parameters.empty())
                continue;
            const double norm = std::max(static_cast<double>(layer.parameters[0].gradient.l2), 1e-12);
            points.append(QPointF(++k, norm));
            gmin = std::min(gmin, norm);
            gmax = std::max(gmax, norm);
        }
        layersWithWeights = std::max(layersWithWeights, k);
        m_gradientSeries[static_cast<std::size_t>(i)]->replace(points);
        if (activationLayers.empty())
            for (std::size_t l = 0; l < s->layers.size(); ++l)
                if (s->layers[l].type == "Activation")
                    activationLayers.push_back(static_cast<int>(l));
    }
    if (gmax >= gmin) {
        m_gradientChart->axes(Qt::Horizontal).first()->setRange(0.5, layersWithWeights + 0.5);
        m_gradientChart->axes(Qt::Vertical).first()->setRange(std::pow(10, std::floor(std::log10(gmin))),
                                                              std::pow(10, std::ceil(std::log10(gmax))));
        auto* layerAxis = static_cast<QValueAxis*>(m_gradientChart->axes(Qt::Horizontal).first());
        layerAxis->setTickType(QValueAxis::TicksDynamic);  // a tick on every layer, 1, 2, 3, ...
        layerAxis->setTickAnchor(1);
        layerAxis->setTickInterval(std::max(1, layersWithWeights / 12));
    }

    // Bars are rebuilt (cheap: a handful of sets) because QBarSet cannot change its length nicely.
    auto bars = [&](QChart* chart, bool dead) {
        chart->removeAllSeries();
        for (QAbstractAxis* axis : chart->axes()) {
            chart->removeAxis(axis);
            delete axis;
        }
        if (activationLayers.empty())
            return;
        auto* series = new QBarSeries;
        for (int i = 0; i < n; ++i) {
            const auto& s = snapshots[static_cast<std::size_t>(i)];
            auto* set = new QBarSet(QString::fromStdString(m_race->label(i)));
            set->setColor(variantColor(i));
            set->setBorderColor(variantColor(i).darker(120));
            for (int l : activationLayers) {
                const bool present = s && static_cast<std::size_t>(l) < s->layers.size();
                const auto& stats = present ? s->layers[static_cast<std::size_t>(l)].activation : core::TensorStats{};
                set->append(100.0 * (dead ? stats.deadFraction : stats.saturatedFraction));
            }
            series->append(set);
        }
        chart->addSeries(series);
        auto* x = new QBarCategoryAxis;
        QStringList names;
        for (std::size_t k = 0; k < activationLayers.size(); ++k)
            names << tr("act %1").arg(k + 1);
        x->append(names);
        auto* y = new QValueAxis;
        y->setRange(0, 100);
        y->setLabelFormat("%d%%");
        chart->addAxis(x, Qt::AlignBottom);
        chart->addAxis(y, Qt::AlignLeft);
        series->attachAxis(x);
        series->attachAxis(y);
    };
    bars(m_deadChart, true);
    bars(m_saturatedChart, false);
}

void RaceView::updateBoundaries()
{
    for (int i = 0; i < static_cast<int>(m_boundaries.size()); ++i) {
        const auto s = m_race->latest(i);
        if (!s || s->gridSize <= 0)
            continue;
        m_boundaries[static_cast<std::size_t>(i)]->setPixmap(QPixmap::fromImage(boundaryImage(*s, kBoundarySize)));
    }
}

void RaceView::updateTable()
{
    if (!m_race)
        return;
    const auto results = m_race->results();
    const QString target = QString::number(qRound(100 * m_race->settings().targetAccuracy));
    m_table->horizontalHeaderItem(3)->setText(tr("Steps to %1%").arg(target));
    // The best final accuracy in bold, so the winner reads at a glance.
    float best = -1;
    for (const auto& r : results)
        if (r.finished && r.error.empty())
            best = std::max(best, r.finalAccuracy);
    for (int i = 0; i < static_cast<int>(results.size()); ++i) {
        const auto& r = results[static_cast<std::size_t>(i)];
        const QString status = !r.started ? tr("waiting") : !r.finished ? tr("training") : r.error.empty() ? tr("done") : QString::fromStdString(r.error);
        const QStringList cells = {QString::fromStdString(r.label),
                                   r.steps > 0 ? QString("%1%").arg(100.0 * r.finalAccuracy, 0, 'f', 1) : QString("—"),
                                   r.steps > 0 ? QString::fromStdString(core::formatLabNumber(r.finalLoss)) : QString("—"),
                                   r.stepsToTarget >= 0 ? QString::number(r.stepsToTarget) : (r.finished ? tr("never") : QString("—")),
                                   QString::number(r.steps),
                                   QString("%1 s").arg(r.wallSeconds, 0, 'f', 1),
                                   status};
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = m_table->item(i, c);
            if (!item) {
                item = new QTableWidgetItem;
                item->setTextAlignment(c == 0 || c == 6 ? Qt::AlignLeft | Qt::AlignVCenter : Qt::AlignRight | Qt::AlignVCenter);
                m_table->setItem(i, c, item);
            }
            item->setText(cells[c]);
            QFont f = item->font();
            f.setBold(r.finished && r.error.empty() && r.finalAccuracy == best && best >= 0);
            item->setFont(f);
            if (c == 0)
                item->setForeground(variantColor(i).darker(110));
        }
    }
}

}  // namespace layerlens::ui
