#include "ui/widgets/dataset_spec_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

#include "core/data/dataset_spec.h"

namespace layerlens::ui {

namespace {

bool hasOption(const QString& kind, const char* option)
{
    try {
        const auto names = core::DatasetSpec::optionNames(kind.toStdString());
        return std::find(names.begin(), names.end(), option) != names.end();
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace

DatasetSpecDialog::DatasetSpecDialog(QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("Choose data"));
    auto* layout = new QVBoxLayout(this);
    m_form = new QFormLayout;
    m_kind = new QComboBox(this);
    for (const auto& name : core::DatasetSpec::names())
        m_kind->addItem(QString::fromStdString(name));
    m_path = new QLineEdit(this);
    m_path->setPlaceholderText(tr("default location"));
    m_browse = new QPushButton(tr("Choose…"), this);
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(m_browse);
    m_split = new QComboBox(this);
    m_split->addItems({QStringLiteral("train"), QStringLiteral("test")});
    m_limit = new QSpinBox(this);
    m_limit->setRange(0, 10000000);
    m_limit->setSpecialValueText(tr("all"));
    m_count = new QSpinBox(this);
    m_count->setRange(10, 1000000);
    m_count->setValue(600);
    m_noise = new QDoubleSpinBox(this);
    m_noise->setRange(0, 2);
    m_noise->setSingleStep(0.05);
    m_noise->setValue(0.1);
    m_classes = new QSpinBox(this);
    m_classes->setRange(2, 20);
    m_classes->setValue(3);
    m_seed = new QSpinBox(this);
    m_seed->setRange(0, 999999);
    m_seed->setValue(1);
    m_size = new QSpinBox(this);
    m_size->setRange(8, 512);
    m_size->setValue(32);
    m_channels = new QComboBox(this);
    m_channels->addItems({QStringLiteral("1"), QStringLiteral("3")});
    m_label = new QLineEdit(QStringLiteral("last"), this);
    m_form->addRow(tr("Data:"), m_kind);
    m_form->addRow(tr("Location:"), pathRow);
    m_form->addRow(tr("Split:"), m_split);
    m_form->addRow(tr("Samples:"), m_count);
    m_form->addRow(tr("Noise:"), m_noise);
    m_form->addRow(tr("Classes:"), m_classes);
    m_form->addRow(tr("Image size:"), m_size);
    m_form->addRow(tr("Channels:"), m_channels);
    m_form->addRow(tr("Label column:"), m_label);
    m_form->addRow(tr("Seed:"), m_seed);
    m_form->addRow(tr("Keep at most:"), m_limit);
    layout->addLayout(m_form);
    m_preview = new QLabel(this);
    m_preview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_preview);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_browse, &QPushButton::clicked, this, &DatasetSpecDialog::browse);
    connect(m_kind, &QComboBox::currentTextChanged, this, &DatasetSpecDialog::updateFields);
    for (QSpinBox* s : {m_limit, m_count, m_classes, m_seed, m_size})
        connect(s, &QSpinBox::valueChanged, this, &DatasetSpecDialog::updateFields);
    connect(m_noise, &QDoubleSpinBox::valueChanged, this, &DatasetSpecDialog::updateFields);
    connect(m_split, &QComboBox::currentTextChanged, this, &DatasetSpecDialog::updateFields);
    connect(m_channels, &QComboBox::currentTextChanged, this, &DatasetSpecDialog::updateFields);
    connect(m_path, &QLineEdit::textChanged, this, &DatasetSpecDialog::updateFields);
    connect(m_label, &QLineEdit::textChanged, this, &DatasetSpecDialog::updateFields);
    updateFields();
}

void DatasetSpecDialog::setKind(const QString& name) { m_kind->setCurrentText(name); }

QString DatasetSpecDialog::spec() const
{
    const QString kind = m_kind->currentText();
    QString text = kind;
    const bool takesPath = kind == QLatin1String("fashion-mnist") || kind == QLatin1String("mnist") || kind == QLatin1String("cifar10")
                           || kind == QLatin1String("images") || kind == QLatin1String("csv");
    if (takesPath && !m_path->text().trimmed().isEmpty())
        text += QLatin1Char(':') + m_path->text().trimmed();
    QStringList options;
    if (hasOption(kind, "split") && m_split->currentText() == QLatin1String("test"))
        options << QStringLiteral("split=test");
    if (hasOption(kind, "n"))
        options << QStringLiteral("n=%1").arg(m_count->value());
    if (hasOption(kind, "noise"))
        options << QStringLiteral("noise=%1").arg(m_noise->value());
    if (hasOption(kind, "classes"))
        options << QStringLiteral("classes=%1").arg(m_classes->value());
    if (hasOption(kind, "size"))
        options << QStringLiteral("size=%1").arg(m_size->value());
    if (hasOption(kind, "channels"))
        options << QStringLiteral("channels=%1").arg(m_channels->currentText());
    if (hasOption(kind, "label") && !m_label->text().trimmed().isEmpty())
        options << QStringLiteral("label=%1").arg(m_label->text().trimmed());
    if (hasOption(kind, "seed") && m_seed->value() != 1)
        options << QStringLiteral("seed=%1").arg(m_seed->value());
    if (m_limit->value() > 0)
        options << QStringLiteral("limit=%1").arg(m_limit->value());
    if (!options.isEmpty())
        text += QLatin1Char('?') + options.join(QLatin1Char('&'));
    return text;
}

void DatasetSpecDialog::updateFields()
{
    const QString kind = m_kind->currentText();
    const bool takesPath = kind == QLatin1String("fashion-mnist") || kind == QLatin1String("mnist") || kind == QLatin1String("cifar10")
                           || kind == QLatin1String("images") || kind == QLatin1String("csv");
    m_form->setRowVisible(1, takesPath);
    m_form->setRowVisible(2, hasOption(kind, "split"));
    m_form->setRowVisible(3, hasOption(kind, "n"));
    m_form->setRowVisible(4, hasOption(kind, "noise"));
    m_form->setRowVisible(5, hasOption(kind, "classes"));
    m_form->setRowVisible(6, hasOption(kind, "size"));
    m_form->setRowVisible(7, hasOption(kind, "channels"));
    m_form->setRowVisible(8, hasOption(kind, "label"));
    m_form->setRowVisible(9, hasOption(kind, "seed"));
    m_path->setPlaceholderText(kind == QLatin1String("csv") ? tr("a .csv file") : kind == QLatin1String("images") ? tr("a folder with one subfolder per class")
                                                                                                                    : tr("default location"));
    m_preview->setText(tr("Spec: <code>%1</code>").arg(spec().toHtmlEscaped()));
}

void DatasetSpecDialog::browse()
{
    QString path;
    if (m_kind->currentText() == QLatin1String("csv"))
        path = QFileDialog::getOpenFileName(this, tr("Choose a CSV file"), m_path->text(), tr("CSV files (*.csv);;All files (*)"));
    else
        path = QFileDialog::getExistingDirectory(this, tr("Choose a folder"), m_path->text());
    if (!path.isEmpty())
        m_path->setText(path);
}

}  // namespace layerlens::ui
