#pragma once
// TensorPanel: one named tensor of the backprop debugger — its shape and statistics, then the
// numbers in a table when the tensor is small, or a heatmap when it is not; or a note saying
// why it is not there yet ("computed in the backward pass").

#include <QFrame>

#include "core/tensor.h"

class QLabel;
class QStackedWidget;
class QTableWidget;

namespace layerlens::ui {

class TensorTilesWidget;

class TensorPanel : public QFrame {
    Q_OBJECT
public:
    explicit TensorPanel(const QString& title, QWidget* parent = nullptr);

    void setTitle(const QString& title);
    QString title() const;
    // batchAxis: the first axis counts samples (the table shows the first samples as rows; images
    // show the first sample's channels).
    void setTensor(const core::Tensor& tensor, bool batchAxis);
    void setPlaceholder(const QString& text);

    enum class Mode { Placeholder, Table, Heatmap };
    Mode mode() const { return m_mode; }
    QTableWidget* table() const { return m_table; }
    TensorTilesWidget* heatmap() const { return m_heatmap; }

    static constexpr int kMaxTableCells = 96;
    static constexpr int kMaxTableColumns = 12;
    static constexpr int kMaxSamplesShown = 16;

private:
    void showTable(const core::Tensor& tensor, int rows, int cols, bool batchAxis);

    QLabel* m_title;
    QLabel* m_stats;
    QStackedWidget* m_stack;
    QLabel* m_placeholder;
    QTableWidget* m_table;
    TensorTilesWidget* m_heatmap;
    Mode m_mode = Mode::Placeholder;
};

}  // namespace layerlens::ui
