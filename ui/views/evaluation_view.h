#pragma once
// EvaluationView: the validation result of the last finished epoch: confusion matrix (rows =
// true class), per-class accuracy, and a gallery of misclassified samples with the model's top-3.

#include "core/train/snapshot.h"

#include <QImage>
#include <QString>
#include <QWidget>
#include <vector>

class QGridLayout;
class QLabel;
class QScrollArea;
class QStackedWidget;

namespace layerlens::ui {

class ConfusionMatrixWidget;
class ProbabilityBars;
class SampleCard;

class EvaluationView : public QWidget {
    Q_OBJECT
public:
    explicit EvaluationView(QWidget* parent = nullptr);

    QImage renderImage();
    bool exportSvg(const QString& path);

    // Introspection (tests).
    bool isHintVisible() const;
    ConfusionMatrixWidget* confusionMatrix() const { return m_confusion; }
    ProbabilityBars* accuracyBars() const { return m_accuracy; }
    int misclassifiedCount() const { return static_cast<int>(m_cards.size()); }
    SampleCard* misclassifiedCard(int index) const;

public slots:
    void showSnapshot(const layerlens::core::SnapshotPtr& snapshot);
    void clear();

private:
    void updateGallery();

    core::SnapshotPtr m_snapshot;
    QStackedWidget* m_stack = nullptr;
    QLabel* m_hint = nullptr;
    QLabel* m_summary = nullptr;
    ConfusionMatrixWidget* m_confusion = nullptr;
    ProbabilityBars* m_accuracy = nullptr;
    QLabel* m_galleryTitle = nullptr;
    QWidget* m_galleryHost = nullptr;
    QGridLayout* m_galleryGrid = nullptr;
    std::vector<SampleCard*> m_cards;
};

} // namespace layerlens::ui
