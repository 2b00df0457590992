#pragma once
// PreprocessingForm: the image settings of a model input, visible and editable — size, grey or
// colour, channel order, and value = (pixel * scale - mean) / std per channel.

#include <QWidget>

#include "core/io/image_loader.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace layerlens::ui {

class PreprocessingForm : public QWidget {
    Q_OBJECT
public:
    explicit PreprocessingForm(QWidget* parent = nullptr);

    void setSettings(const core::ImagePreprocessing& settings);  // emits nothing
    core::ImagePreprocessing settings() const;

    QSpinBox* widthBox() const { return m_width; }
    QComboBox* colorBox() const { return m_color; }

signals:
    void changed();

private:
    QSpinBox* m_width;
    QSpinBox* m_height;
    QComboBox* m_color;  // Grayscale / RGB / BGR
    QDoubleSpinBox* m_scale;
    QLineEdit* m_mean;
    QLineEdit* m_std;
    QCheckBox* m_invert;
};

}  // namespace layerlens::ui
