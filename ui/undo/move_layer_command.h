#pragma once

#include <QUndoCommand>

namespace layerlens::ui {

class LayerListModel;

class MoveLayerCommand : public QUndoCommand {
public:
    MoveLayerCommand(LayerListModel* model, int from, int to);
    void redo() override;
    void undo() override;

private:
    LayerListModel* m_model;
    int m_from, m_to;
};

}  // namespace layerlens::ui
