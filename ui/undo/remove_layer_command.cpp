#include "ui/undo/remove_layer_command.h"

#include <QCoreApplication>

#include "ui/models/layer_list_model.h"

namespace layerlens::ui {

RemoveLayerCommand::RemoveLayerCommand(LayerListModel* model, int row)
    : m_model(model), m_row(row), m_config(model->layerConfig(row))
{
    setText(QCoreApplication::translate("LayerCommands", "Remove %1")
                .arg(QString::fromStdString(m_config.value("type", std::string("layer")))));
}

void RemoveLayerCommand::redo() { m_model->removeLayer(m_row); }
void RemoveLayerCommand::undo() { m_model->insertLayer(m_row, m_config); }

}  // namespace layerlens::ui
