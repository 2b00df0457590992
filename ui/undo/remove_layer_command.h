#pragma once

#include <QUndoCommand>

#include <nlohmann/json.hpp>

namespace layerlens::ui {

class LayerListModel;

class RemoveLayerCommand : public QUndoCommand {
public:
    RemoveLayerCommand(LayerListModel* model, int row);
    void redo() override;
    void undo() override;

private:
    LayerListModel* m_model;
    int m_row;
    nlohmann::json m_config;  // kept for undo
};

}  // namespace layerlens::ui
