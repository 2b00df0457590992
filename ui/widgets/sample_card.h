#pragma once
// SampleCard: one misclassified validation sample: its picture (or feature values), the true and
// the predicted class, and the model's three most probable classes.

#include "core/train/snapshot.h"

#include <QImage>
#include <QString>
#include <QWidget>

class QLabel;

namespace layerlens::ui {

class SampleCard : public QWidget {
    Q_OBJECT
public:
    explicit SampleCard(QWidget* parent = nullptr);

    void setSample(const core::Snapshot::Misclassified& sample, const QStringList& classNames);

    QImage image() const { return m_image; } // null for non-image samples
    QString inputText() const; // feature text for non-image samples
    QString trueText() const;
    QString predictedText() const;
    QString topText() const; // "name 71.2 %" lines

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QImage m_image;
    QLabel* m_picture = nullptr;
    QLabel* m_true = nullptr;
    QLabel* m_predicted = nullptr;
    QLabel* m_top = nullptr;
};

} // namespace layerlens::ui
