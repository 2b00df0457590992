#pragma once
// DatasetSpecDialog: builds a dataset spec string (see core/data/dataset_spec.h) from choices:
// the kind of data, a folder or file where one is needed, the split and the kind's options.

#include <QDialog>

class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace layerlens::ui {

class DatasetSpecDialog : public QDialog {
    Q_OBJECT
public:
    explicit DatasetSpecDialog(QWidget* parent = nullptr);
    QString spec() const;
    void setKind(const QString& name);

private:
    void updateFields();
    void browse();

    QComboBox* m_kind;
    QLineEdit* m_path;
    QPushButton* m_browse;
    QComboBox* m_split;
    QSpinBox* m_limit;
    QSpinBox* m_count;
    QDoubleSpinBox* m_noise;
    QSpinBox* m_classes;
    QSpinBox* m_seed;
    QSpinBox* m_size;
    QComboBox* m_channels;
    QLineEdit* m_label;
    QFormLayout* m_form;
    QLabel* m_preview;
};

}  // namespace layerlens::ui
