#pragma once
// WeightStatsPanel: the weight tensors of one layer — a table with shape and statistics per
// tensor (from core::TensorStats) and the histogram of the tensor selected in the table.

#include <QWidget>

#include <vector>

#include "core/io/inspected_model.h"

class QLabel;
class QTableWidget;

namespace layerlens::ui {

class HistogramWidget;

class WeightStatsPanel : public QWidget {
    Q_OBJECT
public:
    explicit WeightStatsPanel(QWidget* parent = nullptr);

    void setWeights(const QString& layerTitle, std::vector<core::InspectedWeight> weights);
    void clear();
    void selectTensor(int index);

    QTableWidget* table() const { return m_table; }
    HistogramWidget* histogram() const { return m_histogram; }
    int tensorCount() const { return static_cast<int>(m_weights.size()); }

private:
    QLabel* m_title;
    QTableWidget* m_table;
    HistogramWidget* m_histogram;
    std::vector<core::InspectedWeight> m_weights;
};

}  // namespace layerlens::ui
