#pragma once

#include <QUndoCommand>

#include <string>

#include <nlohmann/json.hpp>

namespace layerlens::ui {

class LayerListModel;

// Changes one setting of one layer. Consecutive changes of the same setting (a spin box being
// stepped) merge into one undo step.
class EditLayerCommand : public QUndoCommand {
public:
    EditLayerCommand(LayerListModel* model, int row, std::string key, nlohmann::json value);
    void redo() override;
    void undo() override;
    int id() const override { return 0x4c4c45; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    LayerListModel* m_model;
    int m_row;
    std::string m_key;
    nlohmann::json m_before, m_after;
};

}  // namespace layerlens::ui
