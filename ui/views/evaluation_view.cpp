#include "ui/views/evaluation_view.h"

#include "ui/widgets/color_map.h"
#include "ui/widgets/confusion_matrix_widget.h"
#include "ui/widgets/probability_bars.h"
#include "ui/widgets/sample_card.h"

#include <QCoreApplication>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QScrollArea>
#include <QSplitter>
#include <QStackedWidget>
#include <QSvgGenerator>
#include <QVBoxLayout>
#include <algorithm>

namespace layerlens::ui {

namespace {
constexpr int kGalleryColumns = 6;
}

EvaluationView::EvaluationView(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(6);
    auto* title = new QLabel(tr("Evaluation"), this);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.25);
    titleFont.setBold(true);
    title->setFont(titleFont);
    auto* bar = new QHBoxLayout;
    bar->addWidget(title);
    bar->addSpacing(16);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("evaluationSummary"));
    bar->addWidget(m_summary, 1);
    layout->addLayout(bar);

    m_stack = new QStackedWidget(this);
    layout->addWidget(m_stack, 1);
    m_hint = new QLabel(tr("Validation results appear here at the end of each epoch: the confusion matrix, the "
                           "accuracy of every class and the samples the model gets wrong."),
        m_stack);
    m_hint->setObjectName(QStringLiteral("evaluationHint"));
    m_hint->setWordWrap(true);
    m_hint->setAlignment(Qt::AlignCenter);
    m_hint->setForegroundRole(QPalette::PlaceholderText);
    m_stack->addWidget(m_hint);

    auto* page = new QSplitter(Qt::Vertical, m_stack);
    auto* top = new QSplitter(Qt::Horizontal, page);
    auto* matrixBox = new QWidget(top);
    auto* ml = new QVBoxLayout(matrixBox);
    ml->setContentsMargins(0, 0, 0, 0);
    ml->addWidget(new QLabel(tr("<b>Confusion matrix</b> (counts; colour = share of the true class)"), matrixBox));
    m_confusion = new ConfusionMatrixWidget(matrixBox);
    m_confusion->setObjectName(QStringLiteral("confusionMatrix"));
    ml->addWidget(m_confusion, 1);
    auto* accuracyScroll = new QScrollArea(top);
    accuracyScroll->setWidgetResizable(true);
    accuracyScroll->setFrameShape(QFrame::NoFrame);
    m_accuracy = new ProbabilityBars(accuracyScroll);
    m_accuracy->setObjectName(QStringLiteral("classAccuracy"));
    m_accuracy->setTitle(tr("Accuracy per class"));
    accuracyScroll->setWidget(m_accuracy);
    top->setStretchFactor(0, 3);
    top->setStretchFactor(1, 2);

    auto* gallery = new QWidget(page);
    auto* gl = new QVBoxLayout(gallery);
    gl->setContentsMargins(0, 0, 0, 0);
    m_galleryTitle = new QLabel(gallery);
    gl->addWidget(m_galleryTitle);
    auto* galleryScroll = new QScrollArea(gallery);
    galleryScroll->setWidgetResizable(true);
    galleryScroll->setFrameShape(QFrame::NoFrame);
    m_galleryHost = new QWidget(galleryScroll);
    m_galleryGrid = new QGridLayout(m_galleryHost);
    m_galleryGrid->setContentsMargins(0, 0, 0, 0);
    m_galleryGrid->setSpacing(6);
    galleryScroll->setWidget(m_galleryHost);
    gl->addWidget(galleryScroll, 1);
    page->setStretchFactor(0, 3);
    page->setStretchFactor(1, 2);
    gallery->setMinimumHeight(230); // one full row of cards
    page->setSizes({ 520, 300 });
    m_stack->addWidget(page);

    clear();
}

QImage EvaluationView::renderImage()
{
    // Layouts settle through posted events; a screenshot taken right after a change must wait for them.
    for (int i = 0; i < 3; ++i)
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    return grab().toImage();
}

bool EvaluationView::exportSvg(const QString& path)
{
    QSvgGenerator generator;
    generator.setFileName(path);
    generator.setSize(size());
    generator.setViewBox(rect());
    generator.setTitle(tr("LayerLens evaluation"));
    QPainter painter;
    if (!painter.begin(&generator))
        return false;
    render(&painter);
    return painter.end();
}

bool EvaluationView::isHintVisible() const
{
    return m_stack->currentWidget() == m_hint;
}

SampleCard* EvaluationView::misclassifiedCard(int index) const
{
    return index >= 0 && index < misclassifiedCount() ? m_cards[static_cast<std::size_t>(index)] : nullptr;
}

void EvaluationView::clear()
{
    m_snapshot.reset();
    m_confusion->clear();
    m_accuracy->clear();
    for (SampleCard* c : m_cards)
        delete c;
    m_cards.clear();
    m_summary->clear();
    m_galleryTitle->clear();
    m_stack->setCurrentWidget(m_hint);
}

void EvaluationView::showSnapshot(const core::SnapshotPtr& snapshot)
{
    if (!snapshot) {
        clear();
        return;
    }
    // Validation results exist only in end-of-epoch snapshots; keep showing the last ones until
    // the next epoch ends rather than blanking the view on every training step.
    if (!snapshot->hasValidation || snapshot->confusion.empty()) {
        if (!m_snapshot)
            m_stack->setCurrentWidget(m_hint);
        return;
    }
    if (snapshot == m_snapshot)
        return;
    m_snapshot = snapshot;
    m_stack->setCurrentIndex(1);

    QStringList names;
    for (const auto& n : snapshot->classNames)
        names << QString::fromStdString(n);
    m_confusion->setMatrix(snapshot->confusion, names);
    const int k = m_confusion->classCount();
    while (names.size() < k)
        names << QString::number(names.size());
    m_accuracy->setValues(snapshot->perClassAccuracy, names, true);
    std::vector<QColor> colors;
    for (float a : snapshot->perClassAccuracy)
        colors.push_back(ColorMap::viridis().color(0.15 + 0.75 * static_cast<double>(std::clamp(a, 0.0f, 1.0f))));
    m_accuracy->setBarColors(colors);
    QString summary = tr("after epoch %1: validation loss %2 · accuracy %3 %")
                          .arg(snapshot->epoch + 1)
                          .arg(static_cast<double>(snapshot->validationLoss), 0, 'g', 4)
                          .arg(100.0 * static_cast<double>(snapshot->validationAccuracy), 0, 'f', 2);
    if (snapshot->validationTop5 > 0)
        summary += tr(" · top-5 %1 %").arg(100.0 * static_cast<double>(snapshot->validationTop5), 0, 'f', 2);
    m_summary->setText(summary);
    updateGallery();
}

void EvaluationView::updateGallery()
{
    QStringList names;
    for (const auto& n : m_snapshot->classNames)
        names << QString::fromStdString(n);
    const auto& samples = m_snapshot->misclassified;
    while (m_cards.size() > samples.size()) {
        delete m_cards.back();
        m_cards.pop_back();
    }
    while (m_cards.size() < samples.size()) {
        auto* card = new SampleCard(m_galleryHost);
        const int i = static_cast<int>(m_cards.size());
        m_galleryGrid->addWidget(card, i / kGalleryColumns, i % kGalleryColumns, Qt::AlignTop);
        m_cards.push_back(card);
    }
    m_galleryGrid->setColumnStretch(kGalleryColumns, 1);
    m_galleryGrid->setRowStretch(64, 1); // below the last row of cards (32 samples at most)
    for (std::size_t i = 0; i < samples.size(); ++i)
        m_cards[i]->setSample(samples[i], names);
    m_galleryTitle->setText(samples.empty() ? tr("<b>Misclassified samples</b>: none in this validation run")
                                            : tr("<b>Misclassified samples</b> (%1 shown)").arg(samples.size()));
}

} // namespace layerlens::ui
