#include "ui/undo/set_model_command.h"

#include "ui/models/layer_list_model.h"

namespace layerlens::ui {

SetModelCommand::SetModelCommand(LayerListModel* model, nlohmann::json description, const QString& text)
    : m_model(model), m_before(model->description()), m_after(std::move(description))
{
    setText(text);
}

void SetModelCommand::redo() { m_model->setDescription(m_after); }
void SetModelCommand::undo() { m_model->setDescription(m_before); }

}  // namespace layerlens::ui
