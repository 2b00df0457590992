#pragma once
// DataView: choose the data (a spec string, or the Choose… dialog), and look at it: sample
// images with their labels, how many samples each class has, and for 2-D sets the points.

#include <QWidget>

#include "core/data/dataset.h"

class QBarSeries;
class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QPushButton;
class QTabWidget;

namespace layerlens::ui {

class SampleGridWidget;

class DataView : public QWidget {
    Q_OBJECT
public:
    explicit DataView(QWidget* parent = nullptr);

    void setDataset(const core::DatasetPtr& dataset, const QString& spec);
    core::DatasetPtr dataset() const { return m_dataset; }
    QString spec() const;
    void setSpecText(const QString& spec);  // shows it without loading

    SampleGridWidget* sampleGrid() const { return m_samples; }
    int classBarCount() const;      // bars in the class-count chart
    int scatterSeriesCount() const; // one series per class for 2-D sets

signals:
    void datasetRequested(const QString& spec);

private:
    void updateClassChart();
    void updateScatter();
    void chooseDialog();

    core::DatasetPtr m_dataset;
    QComboBox* m_spec;
    QPushButton* m_load;
    QPushButton* m_choose;
    QLabel* m_info;
    QTabWidget* m_tabs;
    SampleGridWidget* m_samples;
    QChart* m_classChart;
    QChartView* m_classView;
    QChart* m_scatterChart;
    QChartView* m_scatterView;
};

}  // namespace layerlens::ui
