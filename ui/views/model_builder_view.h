#pragma once
// ModelBuilderView: compose a Sequential model from a palette of layer types, edit each layer's
// settings, and see at once which layer does not fit (shape inference by core::Model). Every edit
// is undoable.

#include <QWidget>

#include <functional>

#include <nlohmann/json.hpp>

#include "core/tensor.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;
class QToolButton;
class QPushButton;
class QUndoStack;

namespace layerlens::ui {

class LayerListModel;
class LayerPalette;
class LayerSettingsForm;

class ModelBuilderView : public QWidget {
    Q_OBJECT
public:
    using PresetProvider = std::function<nlohmann::json(const QString& name)>;

    explicit ModelBuilderView(QWidget* parent = nullptr);

    void setPresets(const QStringList& names, PresetProvider provider);
    // Replaces the model (undoable). Returns false with *error set when it is not a valid description.
    bool setDescription(const nlohmann::json& description, const QString& undoText, QString* error = nullptr);
    bool loadPreset(const QString& name, QString* error = nullptr);
    nlohmann::json description() const;

    // The data decides the input shape; not an undoable edit of the model.
    void setInputShape(const core::Shape& shape);
    // Makes the last Dense layer emit one value per class (undoable); no-op when it already does.
    void fitOutputToClasses(int classes);

    bool loadFile(const QString& path, QString* error);
    bool saveFile(const QString& path, QString* error) const;

    QUndoStack* undoStack() const { return m_undo; }
    LayerListModel* layerModel() const { return m_model; }
    QTableView* layerTable() const { return m_table; }
    LayerPalette* palette() const { return m_palette; }
    LayerSettingsForm* settingsForm() const { return m_form; }
    int currentRow() const;
    void selectRow(int row);
    QString statusText() const;

public slots:
    void addLayer(const QString& type);  // after the current row (or at the end)
    void removeCurrentLayer();
    void moveCurrentLayer(int delta);    // -1 up, +1 down
    void openModelDialog();              // File > Open model JSON
    void saveModelDialog();              // File > Save model JSON

signals:
    void modelChanged(const nlohmann::json& description);
    void errorOccurred(const QString& message);

private:
    void updateStatus();
    void updateButtons();
    void showSelected();

    LayerListModel* m_model;
    QUndoStack* m_undo;
    LayerPalette* m_palette;
    QTableView* m_table;
    LayerSettingsForm* m_form;
    QComboBox* m_presets;
    QLabel* m_inputShape;
    QLabel* m_status;
    QPushButton *m_add, *m_remove, *m_up, *m_down;
    QToolButton *m_undoButton, *m_redoButton;
    PresetProvider m_presetProvider;
    QString m_lastFile;
};

}  // namespace layerlens::ui
