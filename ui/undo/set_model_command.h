#pragma once

#include <QString>
#include <QUndoCommand>

#include <nlohmann/json.hpp>

namespace layerlens::ui {

class LayerListModel;

// Replaces the whole description (a preset, an opened file, a new input shape).
class SetModelCommand : public QUndoCommand {
public:
    SetModelCommand(LayerListModel* model, nlohmann::json description, const QString& text);
    void redo() override;
    void undo() override;

private:
    LayerListModel* m_model;
    nlohmann::json m_before, m_after;
};

}  // namespace layerlens::ui
