#pragma once
// TextbookExerciseView: the classic hand-worked backpropagation example as a table — every
// quantity of the forward pass, the loss, the backward pass and one SGD step, with its formula
// and the engine's value (core::TextbookExercise) — exportable as CSV for a worksheet.

#include <QWidget>

#include "core/lab/textbook_exercise.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QTableWidget;

namespace layerlens::ui {

class TextbookExerciseView : public QWidget {
    Q_OBJECT
public:
    explicit TextbookExerciseView(QWidget* parent = nullptr);

    // Recomputes from the form; false (reason in the status line) when the settings do not fit.
    bool recompute();
    void setActivation(const QString& name);
    void setSizes(const QString& sizes);  // "2, 2, 2"
    void setLearningRate(double rate);
    QTableWidget* table() const { return m_table; }
    const core::TextbookExercise* exercise() const { return m_exercise.get(); }
    QString csv() const;
    bool exportCsv(const QString& path) const;

private:
    std::unique_ptr<core::TextbookExercise> m_exercise;
    QComboBox* m_activation;
    QLineEdit* m_sizes;
    QDoubleSpinBox* m_rate;
    QLabel* m_status;
    QTableWidget* m_table;
};

}  // namespace layerlens::ui
