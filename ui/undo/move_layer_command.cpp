#include "ui/undo/move_layer_command.h"

#include <QCoreApplication>

#include "ui/models/layer_list_model.h"

namespace layerlens::ui {

MoveLayerCommand::MoveLayerCommand(LayerListModel* model, int from, int to) : m_model(model), m_from(from), m_to(to)
{
    setText(QCoreApplication::translate("LayerCommands", "Move %1")
                .arg(QString::fromStdString(model->layerConfig(from).value("type", std::string("layer")))));
}

void MoveLayerCommand::redo() { m_model->moveLayer(m_from, m_to); }
void MoveLayerCommand::undo() { m_model->moveLayer(m_to, m_from); }

}  // namespace layerlens::ui
