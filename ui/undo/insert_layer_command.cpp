#include "ui/undo/insert_layer_command.h"

#include <QCoreApplication>

#include "ui/models/layer_list_model.h"

namespace layerlens::ui {

InsertLayerCommand::InsertLayerCommand(LayerListModel* model, int row, nlohmann::json config)
    : m_model(model), m_row(row), m_config(std::move(config))
{
    setText(QCoreApplication::translate("LayerCommands", "Add %1")
                .arg(QString::fromStdString(m_config.value("type", std::string("layer")))));
}

void InsertLayerCommand::redo() { m_model->insertLayer(m_row, m_config); }
void InsertLayerCommand::undo() { m_model->removeLayer(m_row); }

}  // namespace layerlens::ui
