#include "ui/widgets/preprocessing_form.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpressionValidator>
#include <QSignalBlocker>
#include <QSpinBox>

namespace layerlens::ui {

namespace {

QString triple(const float* v, int channels)
{
    QStringList parts;
    for (int i = 0; i < channels; ++i)
        parts << QString::number(static_cast<double>(v[i]), 'g', 4);
    return parts.join(QStringLiteral(", "));
}

// "0.5" for all channels or "0.485, 0.456, 0.406" per channel; unreadable parts keep `fallback`.
void parseTriple(const QString& text, float* out, float fallback)
{
    const QStringList parts = text.split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (int i = 0; i < 3; ++i) {
        const QString part = parts.isEmpty() ? QString() : parts[std::min<qsizetype>(i, parts.size() - 1)].trimmed();
        bool ok = false;
        const float v = part.toFloat(&ok);
        out[i] = ok ? v : fallback;
    }
}

}  // namespace

PreprocessingForm::PreprocessingForm(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("preprocessingForm"));
    auto* form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->setLabelAlignment(Qt::AlignRight);
    form->setHorizontalSpacing(8);
    form->setVerticalSpacing(4);

    m_width = new QSpinBox(this);
    m_height = new QSpinBox(this);
    for (QSpinBox* box : {m_width, m_height}) {
        box->setRange(1, 4096);
        box->setKeyboardTracking(false);
    }
    auto* size = new QHBoxLayout;
    size->addWidget(m_width, 1);
    size->addWidget(new QLabel(QStringLiteral("×"), this));
    size->addWidget(m_height, 1);
    form->addRow(tr("Size (w × h)"), size);

    m_color = new QComboBox(this);
    m_color->addItems({tr("Grayscale"), tr("RGB"), tr("BGR (OpenCV order)")});
    m_invert = new QCheckBox(tr("Invert"), this);
    m_invert->setToolTip(tr("For dark-on-light drawings fed to MNIST-style models"));
    auto* color = new QHBoxLayout;
    color->addWidget(m_color, 1);
    color->addWidget(m_invert);
    form->addRow(tr("Channels"), color);

    m_scale = new QDoubleSpinBox(this);
    m_scale->setDecimals(6);
    m_scale->setRange(-1000, 1000);
    m_scale->setSingleStep(1.0 / 255.0);
    m_scale->setKeyboardTracking(false);
    m_scale->setToolTip(tr("value = (pixel × scale − mean) / std; pixels are 0…255"));
    form->addRow(tr("Scale"), m_scale);

    const auto* numbers = new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[-+0-9.eE, ]*")), this);
    m_mean = new QLineEdit(this);
    m_std = new QLineEdit(this);
    m_mean->setObjectName(QStringLiteral("meanEdit"));
    m_std->setObjectName(QStringLiteral("stdEdit"));
    for (QLineEdit* edit : {m_mean, m_std}) {
        edit->setValidator(numbers);
        edit->setPlaceholderText(tr("one value or r, g, b"));
    }
    form->addRow(tr("Mean"), m_mean);
    form->addRow(tr("Std"), m_std);

    for (QSpinBox* box : {m_width, m_height})
        connect(box, &QSpinBox::valueChanged, this, &PreprocessingForm::changed);
    connect(m_color, &QComboBox::currentIndexChanged, this, &PreprocessingForm::changed);
    connect(m_invert, &QCheckBox::toggled, this, &PreprocessingForm::changed);
    connect(m_scale, &QDoubleSpinBox::valueChanged, this, &PreprocessingForm::changed);
    connect(m_mean, &QLineEdit::editingFinished, this, &PreprocessingForm::changed);
    connect(m_std, &QLineEdit::editingFinished, this, &PreprocessingForm::changed);
    setSettings(core::ImagePreprocessing{});
}

void PreprocessingForm::setSettings(const core::ImagePreprocessing& s)
{
    const QSignalBlocker b1(m_width), b2(m_height), b3(m_color), b4(m_scale), b5(m_invert), b6(m_mean), b7(m_std);
    m_width->setValue(s.width);
    m_height->setValue(s.height);
    m_color->setCurrentIndex(s.channels == 1 ? 0 : (s.bgrOrder ? 2 : 1));
    m_invert->setChecked(s.invert);
    m_scale->setValue(static_cast<double>(s.scale));
    m_mean->setText(triple(s.mean, s.channels == 1 ? 1 : 3));
    m_std->setText(triple(s.stddev, s.channels == 1 ? 1 : 3));
}

core::ImagePreprocessing PreprocessingForm::settings() const
{
    core::ImagePreprocessing s;
    s.width = m_width->value();
    s.height = m_height->value();
    s.channels = m_color->currentIndex() == 0 ? 1 : 3;
    s.bgrOrder = m_color->currentIndex() == 2;
    s.invert = m_invert->isChecked();
    s.scale = static_cast<float>(m_scale->value());
    parseTriple(m_mean->text(), s.mean, 0.0f);
    parseTriple(m_std->text(), s.stddev, 1.0f);
    for (float& v : s.stddev)
        if (v == 0.0f)
            v = 1.0f;  // a zero std would divide by zero; treat it as "no scaling"
    return s;
}

}  // namespace layerlens::ui
