#pragma once
// ProbabilityBars: a labelled horizontal bar chart for a handful of values: class probabilities
// (range [0, 1]), raw logits (signed, bars grow from a zero line) or per-class accuracy.

#include <QColor>
#include <QStringList>
#include <QWidget>
#include <vector>

namespace layerlens::ui {

class ProbabilityBars : public QWidget {
    Q_OBJECT
public:
    explicit ProbabilityBars(QWidget* parent = nullptr);

    // fixedUnitRange: values are in [0, 1] (probabilities, accuracies) and shown as percentages;
    // otherwise the range is taken from the values and includes zero.
    void setValues(const std::vector<float>& values, const QStringList& labels, bool fixedUnitRange);
    void setTitle(const QString& title);
    void setHighlighted(int index); // e.g. the true class, drawn with an accent marker
    void setBarColors(std::vector<QColor> colors); // per bar; empty = palette highlight
    void clear();

    int count() const { return static_cast<int>(m_values.size()); }
    const std::vector<float>& values() const { return m_values; }
    QStringList labels() const { return m_labels; }
    QString title() const { return m_title; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    std::vector<float> m_values;
    QStringList m_labels;
    QString m_title;
    bool m_unitRange = true;
    int m_highlighted = -1;
    std::vector<QColor> m_colors;
};

} // namespace layerlens::ui
