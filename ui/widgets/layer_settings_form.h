#pragma once
// LayerSettingsForm: an editor generated from one layer's JSON configuration: spin boxes for
// numbers, check boxes for flags, combo boxes for choices (padding, activation), line edits for
// lists. Reports each change as (key, new value); the owner decides what to do with it (the
// builder pushes an undo command), and then calls setConfig() again.

#include <QWidget>

#include <string>

#include <nlohmann/json.hpp>

class QFormLayout;
class QLabel;

namespace layerlens::ui {

class LayerSettingsForm : public QWidget {
    Q_OBJECT
public:
    explicit LayerSettingsForm(QWidget* parent = nullptr);

    void setConfig(const nlohmann::json& config);  // an object; null clears the form
    const nlohmann::json& config() const { return m_config; }
    QWidget* editorFor(const QString& key) const;  // for tests: the widget editing this key

signals:
    void settingChanged(const std::string& key, const nlohmann::json& value);

private:
    QWidget* createEditor(const std::string& key, const nlohmann::json& value);
    void rebuild();

    nlohmann::json m_config;
    QFormLayout* m_form;
    QLabel* m_title;
};

}  // namespace layerlens::ui
