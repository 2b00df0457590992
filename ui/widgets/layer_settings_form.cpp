#include "ui/widgets/layer_settings_form.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

#include "core/activations/activation.h"

namespace layerlens::ui {

namespace {

// Keys in the order a person reads a layer's settings; unknown keys follow alphabetically.
int keyRank(const std::string& key)
{
    static const std::vector<std::string> order = {
        "name", "units", "filters", "kernel_size", "strides", "padding", "dilation", "pool_size", "rate",
        "target_shape", "activation", "alpha", "use_bias", "momentum", "epsilon", "trainable"};
    const auto it = std::find(order.begin(), order.end(), key);
    return it == order.end() ? static_cast<int>(order.size()) : static_cast<int>(it - order.begin());
}

QString labelFor(const std::string& key)
{
    QString text = QString::fromStdString(key);
    text.replace(QLatin1Char('_'), QLatin1Char(' '));
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    return text + QLatin1Char(':');
}

QStringList choicesFor(const std::string& key)
{
    if (key == "padding")
        return {QStringLiteral("valid"), QStringLiteral("same")};
    if (key == "activation") {
        QStringList names;
        for (const auto& n : core::Activation::names())
            names << QString::fromStdString(n);
        return names;
    }
    return {};
}

QString listText(const nlohmann::json& array)
{
    QStringList parts;
    for (const auto& v : array)
        parts << QString::fromStdString(v.dump());
    return parts.join(QStringLiteral(", "));
}

}  // namespace

LayerSettingsForm::LayerSettingsForm(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("layerSettingsTitle"));
    QFont font = m_title->font();
    font.setBold(true);
    m_title->setFont(font);
    layout->addWidget(m_title);
    m_form = new QFormLayout;
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
    layout->addLayout(m_form);
    layout->addStretch(1);
    setConfig(nlohmann::json());
}

QWidget* LayerSettingsForm::editorFor(const QString& key) const
{
    return findChild<QWidget*>(QStringLiteral("setting_") + key);
}

void LayerSettingsForm::setConfig(const nlohmann::json& config)
{
    auto keysOf = [](const nlohmann::json& c) {
        std::vector<std::string> keys;
        if (c.is_object())
            for (auto it = c.begin(); it != c.end(); ++it)
                keys.push_back(it.key());
        return keys;
    };
    const bool sameLayout = config.is_object() && m_config.is_object() && keysOf(config) == keysOf(m_config)
                            && config.value("type", std::string()) == m_config.value("type", std::string());
    m_config = config;
    if (!sameLayout) {
        rebuild();
        return;
    }
    // Same editors: update their values in place so that the one being used keeps its focus.
    for (auto it = m_config.begin(); it != m_config.end(); ++it) {
        QWidget* editor = editorFor(QString::fromStdString(it.key()));
        if (!editor)
            continue;
        const QSignalBlocker blocker(editor);
        const auto& v = it.value();
        if (auto* spin = qobject_cast<QSpinBox*>(editor); spin && v.is_number())
            spin->setValue(v.get<int>());
        else if (auto* dspin = qobject_cast<QDoubleSpinBox*>(editor); dspin && v.is_number())
            dspin->setValue(v.get<double>());
        else if (auto* check = qobject_cast<QCheckBox*>(editor); check && v.is_boolean())
            check->setChecked(v.get<bool>());
        else if (auto* combo = qobject_cast<QComboBox*>(editor); combo && v.is_string())
            combo->setCurrentText(QString::fromStdString(v.get<std::string>()));
        else if (auto* line = qobject_cast<QLineEdit*>(editor))
            line->setText(v.is_array() ? listText(v) : v.is_string() ? QString::fromStdString(v.get<std::string>()) : QString());
    }
    if (auto* trainable = qobject_cast<QCheckBox*>(editorFor(QStringLiteral("trainable")))) {
        const QSignalBlocker blocker(trainable);
        trainable->setChecked(m_config.value("trainable", true));
    }
}

void LayerSettingsForm::rebuild()
{
    while (m_form->rowCount() > 0)
        m_form->removeRow(0);
    if (!m_config.is_object()) {
        m_title->setText(tr("Select a layer to edit its settings."));
        return;
    }
    m_title->setText(tr("%1 settings").arg(QString::fromStdString(m_config.value("type", std::string("Layer")))));
    std::vector<std::string> keys;
    for (auto it = m_config.begin(); it != m_config.end(); ++it)
        if (it.key() != "type")
            keys.push_back(it.key());
    if (!m_config.contains("name"))
        keys.push_back("name");
    if (!m_config.contains("trainable"))
        keys.push_back("trainable");
    std::stable_sort(keys.begin(), keys.end(), [](const std::string& a, const std::string& b) {
        return keyRank(a) != keyRank(b) ? keyRank(a) < keyRank(b) : a < b;
    });
    for (const std::string& key : keys) {
        nlohmann::json value = m_config.value(key, nlohmann::json());
        if (key == "trainable" && value.is_null())
            value = true;
        if (key == "name" && value.is_null())
            value = "";
        if (QWidget* editor = createEditor(key, value))
            m_form->addRow(labelFor(key), editor);
    }
}

QWidget* LayerSettingsForm::createEditor(const std::string& key, const nlohmann::json& value)
{
    QWidget* editor = nullptr;
    const QStringList choices = choicesFor(key);
    if (!choices.isEmpty() && value.is_string()) {
        auto* combo = new QComboBox(this);
        combo->addItems(choices);
        combo->setCurrentText(QString::fromStdString(value.get<std::string>()));
        connect(combo, &QComboBox::currentTextChanged, this,
                [this, key](const QString& text) { emit settingChanged(key, text.toStdString()); });
        editor = combo;
    } else if (value.is_boolean()) {
        auto* check = new QCheckBox(this);
        check->setChecked(value.get<bool>());
        connect(check, &QCheckBox::toggled, this, [this, key](bool on) {
            // "trainable": true is the default: leave it out of the description.
            emit settingChanged(key, key == "trainable" && on ? nlohmann::json() : nlohmann::json(on));
        });
        editor = check;
    } else if (value.is_number_integer()) {
        auto* spin = new QSpinBox(this);
        const bool small = key == "kernel_size" || key == "pool_size" || key == "strides" || key == "dilation";
        spin->setRange(small ? 1 : 0, small ? 64 : 1 << 20);
        spin->setValue(value.get<int>());
        spin->setKeyboardTracking(false);
        spin->setAccelerated(true);
        connect(spin, &QSpinBox::valueChanged, this, [this, key](int v) { emit settingChanged(key, v); });
        editor = spin;
    } else if (value.is_number()) {
        auto* spin = new QDoubleSpinBox(this);
        const bool fraction = key == "rate" || key == "momentum";
        spin->setDecimals(key == "epsilon" ? 6 : 4);
        spin->setRange(0.0, fraction ? 0.999 : 100.0);
        spin->setSingleStep(key == "epsilon" ? 0.0001 : 0.05);
        spin->setValue(value.get<double>());
        spin->setKeyboardTracking(false);
        connect(spin, &QDoubleSpinBox::valueChanged, this, [this, key](double v) { emit settingChanged(key, v); });
        editor = spin;
    } else if (value.is_array()) {
        auto* line = new QLineEdit(listText(value), this);
        line->setPlaceholderText(tr("comma-separated integers"));
        connect(line, &QLineEdit::editingFinished, this, [this, key, line] {
            nlohmann::json list = nlohmann::json::array();
            for (const QString& part : line->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
                bool ok = false;
                const int v = part.trimmed().toInt(&ok);
                if (!ok) {
                    line->setStyleSheet(QStringLiteral("color: #c01c28"));
                    line->setToolTip(tr("'%1' is not an integer").arg(part.trimmed()));
                    return;
                }
                list.push_back(v);
            }
            line->setStyleSheet(QString());
            line->setToolTip(QString());
            if (list != m_config.value(key, nlohmann::json()))
                emit settingChanged(key, list);
        });
        editor = line;
    } else if (value.is_string()) {
        auto* line = new QLineEdit(QString::fromStdString(value.get<std::string>()), this);
        if (key == "name")
            line->setPlaceholderText(tr("automatic"));
        connect(line, &QLineEdit::editingFinished, this, [this, key, line] {
            const std::string text = line->text().trimmed().toStdString();
            if (text == m_config.value(key, std::string()))
                return;
            emit settingChanged(key, text.empty() && key == "name" ? nlohmann::json() : nlohmann::json(text));
        });
        editor = line;
    }
    if (editor)
        editor->setObjectName(QStringLiteral("setting_") + QString::fromStdString(key));
    return editor;
}

}  // namespace layerlens::ui
