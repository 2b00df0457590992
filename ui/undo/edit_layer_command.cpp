#include "ui/undo/edit_layer_command.h"

#include <QCoreApplication>

#include "ui/models/layer_list_model.h"

namespace layerlens::ui {

EditLayerCommand::EditLayerCommand(LayerListModel* model, int row, std::string key, nlohmann::json value)
    : m_model(model), m_row(row), m_key(std::move(key)), m_before(model->layerConfig(row)), m_after(m_before)
{
    if (value.is_null())
        m_after.erase(m_key);
    else
        m_after[m_key] = std::move(value);
    setText(QCoreApplication::translate("LayerCommands", "Change %1 of layer %2")
                .arg(QString::fromStdString(m_key))
                .arg(row + 1));
}

void EditLayerCommand::redo() { m_model->setLayerConfig(m_row, m_after); }
void EditLayerCommand::undo() { m_model->setLayerConfig(m_row, m_before); }

bool EditLayerCommand::mergeWith(const QUndoCommand* other)
{
    const auto* edit = dynamic_cast<const EditLayerCommand*>(other);
    if (!edit || edit->m_model != m_model || edit->m_row != m_row || edit->m_key != m_key)
        return false;
    m_after = edit->m_after;
    return true;
}

}  // namespace layerlens::ui
