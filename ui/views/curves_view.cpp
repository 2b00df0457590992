#include "ui/views/curves_view.h"

#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QEvent>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QScatterSeries>
#include <QSplitter>
#include <QSvgGenerator>
#include <QToolButton>
#include <QTimer>
#include <QToolTip>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "ui/theme.h"

namespace layerlens::ui {

namespace {

constexpr int kMaxDrawnPoints = 1500;  // beyond this, consecutive points are averaged
constexpr qint64 kRefreshIntervalMs = 200;  // 5 Hz: curves need no more, and the UI thread stays free

QLineSeries* makeLine(const QString& name, const QColor& color, qreal width, Qt::PenStyle style = Qt::SolidLine)
{
    auto* s = new QLineSeries;
    s->setName(name);
    QPen pen(color, width, style);
    pen.setCosmetic(true);
    s->setPen(pen);
    return s;
}

QChart* makeChart(const QString& title)
{
    auto* chart = new QChart;
    chart->setTitle(title);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setBackgroundRoundness(0);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setAnimationOptions(QChart::NoAnimation);
    return chart;
}

// Averages runs of points so that a long run draws fast and still shows its trend.
QList<QPointF> thin(const QList<QPointF>& points)
{
    if (points.size() <= kMaxDrawnPoints)
        return points;
    const qsizetype stride = (points.size() + kMaxDrawnPoints - 1) / kMaxDrawnPoints;
    QList<QPointF> out;
    out.reserve(points.size() / stride + 1);
    for (qsizetype i = 0; i < points.size(); i += stride) {
        const qsizetype end = std::min(points.size(), i + stride);
        double x = 0, y = 0;
        for (qsizetype j = i; j < end; ++j) {
            x += points[j].x();
            y += points[j].y();
        }
        out.append(QPointF(x / static_cast<double>(end - i), y / static_cast<double>(end - i)));
    }
    return out;
}

}  // namespace

CurvesView::CurvesView(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("curvesView"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);

    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("X axis:"), this));
    m_xAxisCombo = new QComboBox(this);
    m_xAxisCombo->setObjectName(QStringLiteral("xAxisCombo"));
    m_xAxisCombo->addItems({tr("Step"), tr("Epoch")});
    bar->addWidget(m_xAxisCombo);
    m_logBox = new QCheckBox(tr("Log loss"), this);
    m_logBox->setObjectName(QStringLiteral("logScaleBox"));
    m_logBox->setToolTip(tr("Logarithmic loss axis: shows progress when the loss is already small"));
    bar->addWidget(m_logBox);
    auto* keep = new QToolButton(this);
    keep->setObjectName(QStringLiteral("keepRunButton"));
    keep->setText(tr("Keep run"));
    keep->setToolTip(tr("Keep these curves as a faint overlay to compare with the next run"));
    auto* clearKept = new QToolButton(this);
    clearKept->setText(tr("Clear kept"));
    auto* exportButton = new QToolButton(this);
    exportButton->setObjectName(QStringLiteral("curvesExportButton"));
    exportButton->setIcon(QIcon(QStringLiteral(":/icons/export.svg")));
    exportButton->setText(tr("Export"));
    exportButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    exportButton->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(exportButton);
    menu->addAction(tr("Image (PNG)…"), this, [this] { exportDialog(QStringLiteral("png")); });
    menu->addAction(tr("Vector (SVG)…"), this, [this] { exportDialog(QStringLiteral("svg")); });
    menu->addAction(tr("Metrics (CSV)…"), this, [this] { exportDialog(QStringLiteral("csv")); });
    exportButton->setMenu(menu);
    bar->addWidget(keep);
    bar->addWidget(clearKept);
    bar->addStretch(1);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("curvesSummary"));
    bar->addWidget(m_summary);
    bar->addWidget(exportButton);
    layout->addLayout(bar);

    m_lossChart = makeChart(tr("Loss"));
    m_accuracyChart = makeChart(tr("Accuracy"));
    m_lossRaw = makeLine(tr("train (batch)"), Theme::seriesColor(0), 1.0);
    m_lossSmooth = makeLine(tr("train"), Theme::seriesColor(0), 2.2);
    m_validationLoss = makeLine(tr("validation"), Theme::seriesColor(1), 2.0, Qt::DashLine);
    m_accuracyRaw = makeLine(tr("train (batch)"), Theme::seriesColor(2), 1.0);
    m_accuracySmooth = makeLine(tr("train"), Theme::seriesColor(2), 2.2);
    m_validationAccuracy = makeLine(tr("validation"), Theme::seriesColor(1), 2.0, Qt::DashLine);
    m_validationLossPoints = new QScatterSeries;
    m_validationAccuracyPoints = new QScatterSeries;
    for (QScatterSeries* s : {m_validationLossPoints, m_validationAccuracyPoints}) {
        s->setMarkerSize(7);
        s->setColor(Theme::seriesColor(1));
        s->setBorderColor(Theme::seriesColor(1));
    }
    for (QLineSeries* s : {m_lossRaw, m_lossSmooth, m_validationLoss})
        m_lossChart->addSeries(s);
    m_lossChart->addSeries(m_validationLossPoints);
    for (QLineSeries* s : {m_accuracyRaw, m_accuracySmooth, m_validationAccuracy})
        m_accuracyChart->addSeries(s);
    m_accuracyChart->addSeries(m_validationAccuracyPoints);
    for (QChart* chart : {m_lossChart, m_accuracyChart}) {
        // The faint batch series and the marker series need no legend entry of their own.
        for (QLegendMarker* marker : chart->legend()->markers())
            if (marker->series() == m_lossRaw || marker->series() == m_accuracyRaw || marker->series() == m_validationLossPoints
                || marker->series() == m_validationAccuracyPoints)
                marker->setVisible(false);
    }
    connectHover(m_lossSmooth, tr("loss"));
    connectHover(m_lossRaw, tr("batch loss"));
    connectHover(m_validationLoss, tr("validation loss"));
    connectHover(m_accuracySmooth, tr("accuracy"));
    connectHover(m_accuracyRaw, tr("batch accuracy"));
    connectHover(m_validationAccuracy, tr("validation accuracy"));

    m_lossView = new QChartView(m_lossChart, this);
    m_accuracyView = new QChartView(m_accuracyChart, this);
    for (QChartView* v : {m_lossView, m_accuracyView}) {
        v->setRenderHint(QPainter::Antialiasing);
        v->setMinimumSize(220, 150);
    }
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_lossView);
    splitter->addWidget(m_accuracyView);
    layout->addWidget(splitter, 1);

    connect(m_xAxisCombo, &QComboBox::currentIndexChanged, this, [this](int i) { setXAxis(i == 0 ? XAxis::Step : XAxis::Epoch); });
    connect(m_logBox, &QCheckBox::toggled, this, &CurvesView::setLogScale);
    connect(keep, &QToolButton::clicked, this, &CurvesView::keepRun);
    connect(clearKept, &QToolButton::clicked, this, &CurvesView::clearKeptRuns);
    rebuildAxes();
    applyTheme();
    redraw();
}

void CurvesView::setHistory(const core::TrainingHistory* history)
{
    if (history == m_history)
        return;
    if (history) {
        m_steps.clear();
        m_epochs.clear();
    }
    m_history = history;
    refresh();
}

void CurvesView::setXAxis(XAxis axis)
{
    m_xAxis = axis;
    const QSignalBlocker blocker(m_xAxisCombo);
    m_xAxisCombo->setCurrentIndex(axis == XAxis::Step ? 0 : 1);
    rebuildAxes();
    redraw();
}

void CurvesView::setLogScale(bool on)
{
    m_logScale = on;
    const QSignalBlocker blocker(m_logBox);
    m_logBox->setChecked(on);
    rebuildAxes();
    redraw();
}

int CurvesView::displayedLossPoints() const { return static_cast<int>(m_lossRaw->count()); }

void CurvesView::showSnapshot(const core::SnapshotPtr& snapshot)
{
    (void)snapshot;  // the history has every step; the snapshot only says that there is news
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (m_lastRefreshMs >= 0 && now - m_lastRefreshMs < kRefreshIntervalMs) {
        // Throttled: refresh once the interval is over, so the last news is never lost.
        if (!m_refreshPending) {
            m_refreshPending = true;
            QTimer::singleShot(kRefreshIntervalMs - (now - m_lastRefreshMs), this, [this] {
                m_refreshPending = false;
                refresh();
            });
        }
        return;
    }
    refresh();
}

void CurvesView::refresh()
{
    m_lastRefreshMs = QDateTime::currentMSecsSinceEpoch();
    if (!m_history)
        return;
    auto steps = m_history->stepsSince(m_steps.size());
    auto epochs = m_history->epochsSince(m_epochs.size());
    if (steps.empty() && epochs.empty())
        return;
    for (auto& s : steps) {
        s.gradientNorms.clear();  // not drawn here; saves memory in long runs
        m_steps.push_back(std::move(s));
    }
    for (auto& e : epochs)
        m_epochs.push_back(e);
    redraw();
}

void CurvesView::keepRun()
{
    if (m_steps.empty() && m_epochs.empty())
        return;
    m_kept.push_back(Run{m_steps, m_epochs, tr("run %1").arg(m_kept.size() + 1)});
    rebuildAxes();
    redraw();
}

void CurvesView::clearKeptRuns()
{
    m_kept.clear();
    rebuildAxes();
    redraw();
}

void CurvesView::clear()
{
    m_steps.clear();
    m_epochs.clear();
    m_history = nullptr;
    redraw();
}

QList<QPointF> CurvesView::stepPoints(const std::vector<core::StepRecord>& steps, bool accuracy, bool smooth) const
{
    QList<QPointF> points;
    points.reserve(static_cast<qsizetype>(steps.size()));
    // Exponential moving average with a window that grows with the run, as TensorBoard does.
    const double alpha = steps.size() < 50 ? 0.3 : steps.size() < 1000 ? 0.1 : 0.03;
    double ema = 0;
    bool first = true;
    for (const auto& s : steps) {
        double y = accuracy ? s.accuracy : s.loss;
        if (!std::isfinite(y))
            continue;
        if (smooth) {
            ema = first ? y : ema + alpha * (y - ema);
            first = false;
            y = ema;
        }
        if (!accuracy && m_logScale)
            y = std::max(y, 1e-6);
        const double x = m_xAxis == XAxis::Step ? static_cast<double>(s.step) : s.epoch;
        points.append(QPointF(x, accuracy ? 100.0 * y : y));
    }
    return thin(points);
}

QList<QPointF> CurvesView::epochPoints(const std::vector<core::EpochRecord>& epochs, bool accuracy, bool validation) const
{
    QList<QPointF> points;
    for (const auto& e : epochs) {
        double y = validation ? (accuracy ? e.validationAccuracy : e.validationLoss) : (accuracy ? e.trainAccuracy : e.trainLoss);
        if (!std::isfinite(y))
            continue;
        if (!accuracy && m_logScale)
            y = std::max(y, 1e-6);
        const double x = m_xAxis == XAxis::Step ? static_cast<double>(e.step) : static_cast<double>(e.epoch + 1);
        points.append(QPointF(x, accuracy ? 100.0 * y : y));
    }
    return points;
}

void CurvesView::rebuildAxes()
{
    // Kept runs: one faint series per run and chart, recreated because the axes change.
    for (RunSeries& rs : m_keptSeries) {
        m_lossChart->removeSeries(rs.loss);
        m_accuracyChart->removeSeries(rs.accuracy);
        delete rs.loss;
        delete rs.accuracy;
    }
    m_keptSeries.clear();
    for (std::size_t i = 0; i < m_kept.size(); ++i) {
        QColor c = QApplication::palette().color(QPalette::Mid);
        RunSeries rs;
        rs.loss = makeLine(m_kept[i].label, c, 1.5, Qt::DotLine);
        rs.accuracy = makeLine(m_kept[i].label, c, 1.5, Qt::DotLine);
        m_lossChart->addSeries(rs.loss);
        m_accuracyChart->addSeries(rs.accuracy);
        m_keptSeries.push_back(rs);
    }
    for (QChart* chart : {m_lossChart, m_accuracyChart}) {
        for (QAbstractAxis* axis : chart->axes()) {
            chart->removeAxis(axis);
            delete axis;
        }
        auto* x = new QValueAxis;
        x->setTitleText(m_xAxis == XAxis::Step ? tr("step") : tr("epoch"));
        x->setLabelFormat(m_xAxis == XAxis::Step ? QStringLiteral("%d") : QStringLiteral("%.1f"));
        chart->addAxis(x, Qt::AlignBottom);
        QAbstractAxis* y;
        if (chart == m_lossChart && m_logScale) {
            auto* log = new QLogValueAxis;
            log->setBase(10);
            log->setLabelFormat(QStringLiteral("%g"));
            log->setMinorTickCount(8);
            y = log;
        } else {
            auto* lin = new QValueAxis;
            lin->setLabelFormat(chart == m_lossChart ? QStringLiteral("%.3g") : QStringLiteral("%.0f%%"));
            y = lin;
        }
        chart->addAxis(y, Qt::AlignLeft);
        for (QAbstractSeries* s : chart->series()) {
            s->attachAxis(x);
            s->attachAxis(y);
        }
    }
    applyTheme();
}

void CurvesView::redraw()
{
    const bool step = m_xAxis == XAxis::Step;
    (void)step;
    m_lossRaw->replace(stepPoints(m_steps, false, false));
    m_lossSmooth->replace(stepPoints(m_steps, false, true));
    m_accuracyRaw->replace(stepPoints(m_steps, true, false));
    m_accuracySmooth->replace(stepPoints(m_steps, true, true));
    const auto vl = epochPoints(m_epochs, false, true);
    const auto va = epochPoints(m_epochs, true, true);
    m_validationLoss->replace(vl);
    m_validationLossPoints->replace(vl);
    m_validationAccuracy->replace(va);
    m_validationAccuracyPoints->replace(va);
    for (std::size_t i = 0; i < m_kept.size() && i < m_keptSeries.size(); ++i) {
        m_keptSeries[i].loss->replace(stepPoints(m_kept[i].steps, false, true));
        m_keptSeries[i].accuracy->replace(stepPoints(m_kept[i].steps, true, true));
    }

    // Axis ranges from every drawn series, with a little air.
    auto fit = [this](QChart* chart, bool isLoss) {
        double minX = 0, maxX = 1, minY = 0, maxY = 1;
        bool any = false;
        for (QAbstractSeries* s : chart->series()) {
            const auto* xy = static_cast<QXYSeries*>(s);
            for (const QPointF& p : xy->points()) {
                if (!any) {
                    minX = maxX = p.x();
                    minY = maxY = p.y();
                    any = true;
                }
                minX = std::min(minX, p.x());
                maxX = std::max(maxX, p.x());
                minY = std::min(minY, p.y());
                maxY = std::max(maxY, p.y());
            }
        }
        const auto axesX = chart->axes(Qt::Horizontal);
        const auto axesY = chart->axes(Qt::Vertical);
        if (axesX.isEmpty() || axesY.isEmpty())
            return;
        if (!any) {
            maxX = m_xAxis == XAxis::Step ? 100 : 1;
            minY = isLoss && m_logScale ? 0.01 : 0;
            maxY = isLoss ? (m_logScale ? 10 : 2.5) : 100;
        }
        if (maxX <= minX)
            maxX = minX + 1;
        axesX.first()->setRange(minX, maxX);
        if (isLoss) {
            if (m_logScale) {
                axesY.first()->setRange(std::max(1e-6, minY * 0.8), std::max(maxY * 1.25, minY * 10));
            } else {
                axesY.first()->setRange(0.0, maxY > 0 ? maxY * 1.05 : 1.0);
                static_cast<QValueAxis*>(axesY.first())->applyNiceNumbers();
            }
        } else {
            // Multiples of 20 % so that the ticks fall on round numbers.
            const double low = any ? std::clamp(std::floor((minY - 2) / 20) * 20, 0.0, 80.0) : 0.0;
            axesY.first()->setRange(low, 100.0);
            static_cast<QValueAxis*>(axesY.first())->setTickCount(static_cast<int>((100 - low) / 20) + 1);
        }
    };
    fit(m_lossChart, true);
    fit(m_accuracyChart, false);

    if (!m_steps.empty()) {
        const auto& last = m_steps.back();
        QString text = tr("step %1 · loss %2 · accuracy %3%")
                           .arg(last.step)
                           .arg(last.loss, 0, 'g', 4)
                           .arg(100.0 * last.accuracy, 0, 'f', 1);
        if (!m_epochs.empty())
            text += tr(" · validation %1%").arg(100.0 * m_epochs.back().validationAccuracy, 0, 'f', 1);
        m_summary->setText(text);
    } else {
        m_summary->setText(tr("No training yet"));
    }
}

void CurvesView::connectHover(QLineSeries* series, const QString& what)
{
    connect(series, &QXYSeries::hovered, this, [this, what](const QPointF& point, bool state) {
        if (!state) {
            QToolTip::hideText();
            return;
        }
        const QString x = m_xAxis == XAxis::Step ? tr("step %1").arg(qRound64(point.x())) : tr("epoch %1").arg(point.x(), 0, 'f', 2);
        const bool accuracy = what.contains(QLatin1String("accuracy"));
        const QString y = accuracy ? QStringLiteral("%1%").arg(point.y(), 0, 'f', 2) : QString::number(point.y(), 'g', 5);
        QToolTip::showText(QCursor::pos(), QStringLiteral("%1\n%2: %3").arg(x, what, y), this);
    });
}

void CurvesView::applyTheme()
{
    const QPalette p = QApplication::palette();
    for (QChart* chart : {m_lossChart, m_accuracyChart}) {
        chart->setBackgroundBrush(p.color(QPalette::Base));
        chart->setPlotAreaBackgroundVisible(false);
        chart->setTitleBrush(p.color(QPalette::Text));
        chart->legend()->setLabelColor(p.color(QPalette::Text));
        QFont title = chart->titleFont();
        title.setBold(true);
        chart->setTitleFont(title);
        for (QAbstractAxis* axis : chart->axes()) {
            axis->setLabelsColor(p.color(QPalette::Text));
            axis->setTitleBrush(p.color(QPalette::Text));
            axis->setLinePenColor(p.color(QPalette::Mid));
            axis->setGridLineColor(p.color(QPalette::Midlight));
            axis->setMinorGridLineColor(p.color(QPalette::AlternateBase));
        }
    }
}

void CurvesView::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyTheme();
}

QImage CurvesView::renderImage()
{
    const QSize a = m_lossView->size(), b = m_accuracyView->size();
    QImage image(a.width() + b.width(), std::max(a.height(), b.height()), QImage::Format_ARGB32_Premultiplied);
    image.fill(QApplication::palette().color(QPalette::Base));
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    m_lossView->render(&painter, QRectF(0, 0, a.width(), a.height()));
    m_accuracyView->render(&painter, QRectF(a.width(), 0, b.width(), b.height()));
    return image;
}

bool CurvesView::exportPng(const QString& path, QString* error)
{
    if (!renderImage().save(path, "PNG")) {
        if (error)
            *error = tr("Cannot write the image %1").arg(path);
        return false;
    }
    return true;
}

bool CurvesView::exportSvg(const QString& path, QString* error)
{
    const QSize a = m_lossView->size(), b = m_accuracyView->size();
    QSvgGenerator generator;
    generator.setFileName(path);
    generator.setSize(QSize(a.width() + b.width(), std::max(a.height(), b.height())));
    generator.setViewBox(QRect(QPoint(0, 0), generator.size()));
    generator.setTitle(tr("LayerLens training curves"));
    QPainter painter;
    if (!painter.begin(&generator)) {
        if (error)
            *error = tr("Cannot write the SVG file %1").arg(path);
        return false;
    }
    m_lossView->render(&painter, QRectF(0, 0, a.width(), a.height()));
    m_accuracyView->render(&painter, QRectF(a.width(), 0, b.width(), b.height()));
    painter.end();
    if (!QFile::exists(path)) {
        if (error)
            *error = tr("Cannot write the SVG file %1").arg(path);
        return false;
    }
    return true;
}

QString CurvesView::toCsv() const
{
    // Same columns as core::TrainingHistory::toCsv; validation columns on epoch-end steps.
    QString out = QStringLiteral("step,epoch,loss,accuracy,learning_rate,val_loss,val_accuracy\n");
    std::size_t e = 0;
    for (const auto& s : m_steps) {
        QString val = QStringLiteral(",");
        while (e < m_epochs.size() && m_epochs[e].step < s.step)
            ++e;
        if (e < m_epochs.size() && m_epochs[e].step == s.step)
            val = QStringLiteral("%1,%2").arg(m_epochs[e].validationLoss, 0, 'g', 7).arg(m_epochs[e].validationAccuracy, 0, 'g', 7);
        out += QStringLiteral("%1,%2,%3,%4,%5,%6\n")
                   .arg(s.step)
                   .arg(s.epoch, 0, 'g', 7)
                   .arg(s.loss, 0, 'g', 7)
                   .arg(s.accuracy, 0, 'g', 7)
                   .arg(s.learningRate, 0, 'g', 7)
                   .arg(val);
    }
    return out;
}

bool CurvesView::exportCsv(const QString& path, QString* error) const
{
    QFile file(path);
    const QByteArray bytes = toCsv().toUtf8();
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size()) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

void CurvesView::exportDialog(const QString& format)
{
    const QString filter = format == QLatin1String("csv") ? tr("CSV (*.csv)") : format == QLatin1String("svg") ? tr("SVG (*.svg)") : tr("PNG (*.png)");
    QString path = QFileDialog::getSaveFileName(this, tr("Export curves"), QStringLiteral("curves.") + format, filter);
    if (path.isEmpty())
        return;
    if (!path.endsWith(QLatin1Char('.') + format, Qt::CaseInsensitive))
        path += QLatin1Char('.') + format;
    QString error;
    const bool ok = format == QLatin1String("csv") ? exportCsv(path, &error) : format == QLatin1String("svg") ? exportSvg(path, &error) : exportPng(path, &error);
    if (!ok)
        QMessageBox::warning(this, tr("Export failed"), error);
}

}  // namespace layerlens::ui
