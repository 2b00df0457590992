#pragma once
// Undoable edits of the model in the builder: each applies itself to a LayerListModel.

#include <QUndoCommand>

#include <nlohmann/json.hpp>

namespace layerlens::ui {

class LayerListModel;

class InsertLayerCommand : public QUndoCommand {
public:
    InsertLayerCommand(LayerListModel* model, int row, nlohmann::json config);
    void redo() override;
    void undo() override;
    int row() const { return m_row; }

private:
    LayerListModel* m_model;
    int m_row;
    nlohmann::json m_config;
};

}  // namespace layerlens::ui
