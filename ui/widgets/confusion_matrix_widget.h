#pragma once
// ConfusionMatrixWidget: K x K counts, rows = true class, columns = predicted class. Cells are
// coloured with viridis by the row-normalised share (so rare classes are as readable as common
// ones) and show the raw count.

#include <QStringList>
#include <QWidget>
#include <vector>

namespace layerlens::ui {

class ConfusionMatrixWidget : public QWidget {
    Q_OBJECT
public:
    explicit ConfusionMatrixWidget(QWidget* parent = nullptr);

    // counts[t * K + p]; a size that is not a square is ignored (matrix cleared).
    void setMatrix(const std::vector<int>& counts, const QStringList& classNames);
    void clear();

    int classCount() const { return m_classes; }
    int count(int trueClass, int predictedClass) const;
    QString cellText(int trueClass, int predictedClass) const;
    QRect cellRect(int trueClass, int predictedClass) const;
    QRgb cellColor(int trueClass, int predictedClass) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return { 220, 220 }; }

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;

private:
    QRect gridRect() const;
    int labelWidth() const;

    int m_classes = 0;
    std::vector<int> m_counts;
    std::vector<int> m_rowTotals;
    QStringList m_names;
};

} // namespace layerlens::ui
