#include "ui/views/model_builder_view.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

#include <exception>

#include "core/model/layer_factory.h"
#include "core/model/model.h"
#include "ui/models/layer_list_model.h"
#include "ui/theme.h"
#include "ui/undo/edit_layer_command.h"
#include "ui/undo/insert_layer_command.h"
#include "ui/undo/move_layer_command.h"
#include "ui/undo/remove_layer_command.h"
#include "ui/undo/set_model_command.h"
#include "ui/widgets/layer_palette.h"
#include "ui/widgets/layer_settings_form.h"

namespace layerlens::ui {

namespace {

QPushButton* makeButton(const QString& icon, const QString& text, const QString& tip, const QString& name, QWidget* parent)
{
    auto* b = new QPushButton(QIcon(icon), text, parent);
    b->setToolTip(tip);
    b->setObjectName(name);
    return b;
}

QToolButton* makeToolButton(const QString& icon, const QString& tip, const QString& name, QWidget* parent)
{
    auto* b = new QToolButton(parent);
    b->setIcon(QIcon(icon));
    b->setToolTip(tip);
    b->setObjectName(name);
    b->setAutoRaise(true);
    return b;
}

}  // namespace

ModelBuilderView::ModelBuilderView(QWidget* parent)
    : QWidget(parent), m_model(new LayerListModel(this)), m_undo(new QUndoStack(this))
{
    setObjectName(QStringLiteral("modelBuilderView"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(6);

    // Presets, files, undo.
    auto* top = new QHBoxLayout;
    m_presets = new QComboBox(this);
    m_presets->setObjectName(QStringLiteral("presetCombo"));
    m_presets->setToolTip(tr("Start from a well-known architecture"));
    m_presets->setPlaceholderText(tr("Preset…"));
    auto* open = makeToolButton(QStringLiteral(":/icons/open.svg"), tr("Open model JSON…"), QStringLiteral("openButton"), this);
    auto* save = makeToolButton(QStringLiteral(":/icons/save.svg"), tr("Save model JSON…"), QStringLiteral("saveButton"), this);
    m_undoButton = makeToolButton(QStringLiteral(":/icons/undo.svg"), tr("Undo (Ctrl+Z)"), QStringLiteral("undoButton"), this);
    m_redoButton = makeToolButton(QStringLiteral(":/icons/redo.svg"), tr("Redo (Ctrl+Shift+Z)"), QStringLiteral("redoButton"), this);
    top->addWidget(new QLabel(tr("Preset:"), this));
    top->addWidget(m_presets, 1);
    top->addWidget(open);
    top->addWidget(save);
    top->addSpacing(6);
    top->addWidget(m_undoButton);
    top->addWidget(m_redoButton);
    layout->addLayout(top);

    m_inputShape = new QLabel(this);
    m_inputShape->setObjectName(QStringLiteral("inputShapeLabel"));
    layout->addWidget(m_inputShape);

    // Palette of layer types.
    m_palette = new LayerPalette(this);
    QStringList types;
    for (const auto& t : core::layerTypeNames())
        types << QString::fromStdString(t);
    m_palette->setTypes(types);
    m_palette->setFixedHeight(m_palette->fontMetrics().height() * 4 + 16);

    // Layer table with its buttons.
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("layerTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setDragEnabled(true);
    m_table->setAcceptDrops(true);
    m_table->setDropIndicatorShown(true);
    m_table->setDragDropMode(QAbstractItemView::DragDrop);
    m_table->setDefaultDropAction(Qt::MoveAction);
    m_table->setDragDropOverwriteMode(false);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setSectionResizeMode(LayerListModel::LayerColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(LayerListModel::SettingsColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(LayerListModel::ShapeColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(LayerListModel::ParamsColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setHighlightSections(false);

    auto* buttons = new QVBoxLayout;
    m_add = makeButton(QStringLiteral(":/icons/add.svg"), tr("Add"), tr("Add the palette's selected layer after the selected row"), QStringLiteral("addButton"), this);
    m_remove = makeButton(QStringLiteral(":/icons/remove.svg"), tr("Remove"), tr("Remove the selected layer (Delete)"), QStringLiteral("removeButton"), this);
    m_up = makeButton(QStringLiteral(":/icons/up.svg"), tr("Up"), tr("Move the selected layer up"), QStringLiteral("upButton"), this);
    m_down = makeButton(QStringLiteral(":/icons/down.svg"), tr("Down"), tr("Move the selected layer down"), QStringLiteral("downButton"), this);
    for (auto* b : {m_add, m_remove, m_up, m_down})
        buttons->addWidget(b);
    buttons->addStretch(1);

    auto* tableArea = new QWidget(this);
    auto* tableLayout = new QVBoxLayout(tableArea);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->addWidget(m_palette);
    auto* tableRow = new QHBoxLayout;
    tableRow->addWidget(m_table, 1);
    tableRow->addLayout(buttons);
    tableLayout->addLayout(tableRow, 1);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("builderStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    tableLayout->addWidget(m_status);

    m_form = new LayerSettingsForm(this);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(m_form);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(tableArea);
    splitter->addWidget(scroll);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({420, 300});
    splitter->setChildrenCollapsible(false);
    layout->addWidget(splitter, 1);

    // Wiring.
    connect(m_add, &QPushButton::clicked, this, [this] { addLayer(m_palette->currentType()); });
    connect(m_palette, &LayerPalette::typeActivated, this, &ModelBuilderView::addLayer);
    connect(m_remove, &QPushButton::clicked, this, &ModelBuilderView::removeCurrentLayer);
    connect(m_up, &QPushButton::clicked, this, [this] { moveCurrentLayer(-1); });
    connect(m_down, &QPushButton::clicked, this, [this] { moveCurrentLayer(+1); });
    connect(m_undoButton, &QToolButton::clicked, m_undo, &QUndoStack::undo);
    connect(m_redoButton, &QToolButton::clicked, m_undo, &QUndoStack::redo);
    connect(m_undo, &QUndoStack::canUndoChanged, m_undoButton, &QToolButton::setEnabled);
    connect(m_undo, &QUndoStack::canRedoChanged, m_redoButton, &QToolButton::setEnabled);
    connect(open, &QToolButton::clicked, this, &ModelBuilderView::openModelDialog);
    connect(save, &QToolButton::clicked, this, &ModelBuilderView::saveModelDialog);
    connect(m_presets, &QComboBox::activated, this, [this](int index) {
        QString error;
        if (!loadPreset(m_presets->itemText(index), &error))
            emit errorOccurred(error);
    });
    connect(m_model, &LayerListModel::moveRequested, this, [this](int from, int to) {
        m_undo->push(new MoveLayerCommand(m_model, from, to));
        selectRow(to);
    });
    connect(m_model, &LayerListModel::insertRequested, this, [this](int row, const QString& type) {
        m_undo->push(new InsertLayerCommand(m_model, row, LayerListModel::defaultConfig(type)));
        selectRow(row);
    });
    connect(m_model, &LayerListModel::descriptionChanged, this, [this] {
        updateStatus();
        showSelected();
        emit modelChanged(m_model->description());
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        showSelected();
        updateButtons();
    });
    connect(m_form, &LayerSettingsForm::settingChanged, this, [this](const std::string& key, const nlohmann::json& value) {
        const int row = currentRow();
        if (row < 0)
            return;
        m_undo->push(new EditLayerCommand(m_model, row, key, value));
    });
    auto* removeAction = new QAction(tr("Remove layer"), m_table);
    removeAction->setShortcuts({QKeySequence::Delete, QKeySequence(Qt::Key_Backspace)});
    removeAction->setShortcutContext(Qt::WidgetShortcut);
    connect(removeAction, &QAction::triggered, this, &ModelBuilderView::removeCurrentLayer);
    m_table->addAction(removeAction);
    m_undoButton->setEnabled(false);
    m_redoButton->setEnabled(false);
    updateStatus();
    updateButtons();
}

void ModelBuilderView::setPresets(const QStringList& names, PresetProvider provider)
{
    m_presetProvider = std::move(provider);
    const QSignalBlocker blocker(m_presets);
    m_presets->clear();
    m_presets->addItems(names);
    m_presets->setCurrentIndex(-1);
}

bool ModelBuilderView::setDescription(const nlohmann::json& description, const QString& undoText, QString* error)
{
    try {
        (void)core::Model::fromJson(description);  // validates every field; throws naming it
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
    m_undo->push(new SetModelCommand(m_model, description, undoText));
    if (m_model->layerCount() > 0)
        selectRow(0);
    return true;
}

bool ModelBuilderView::loadPreset(const QString& name, QString* error)
{
    if (!m_presetProvider) {
        if (error)
            *error = tr("No presets are available");
        return false;
    }
    nlohmann::json description;
    try {
        description = m_presetProvider(name);
    } catch (const std::exception& e) {
        if (error)
            *error = tr("Preset '%1': %2").arg(name, QString::fromStdString(e.what()));
        return false;
    }
    if (!setDescription(description, tr("Load preset %1").arg(name), error))
        return false;
    const QSignalBlocker blocker(m_presets);
    m_presets->setCurrentText(name);
    return true;
}

nlohmann::json ModelBuilderView::description() const { return m_model->description(); }

void ModelBuilderView::setInputShape(const core::Shape& shape) { m_model->setInputShape(shape); }

void ModelBuilderView::fitOutputToClasses(int classes)
{
    if (classes <= 0)
        return;
    for (int row = m_model->layerCount() - 1; row >= 0; --row) {
        const auto& config = m_model->layerConfig(row);
        if (config.value("type", std::string()) != "Dense")
            continue;
        if (config.value("units", 0) != classes)
            m_undo->push(new EditLayerCommand(m_model, row, "units", classes));
        return;
    }
}

bool ModelBuilderView::loadFile(const QString& path, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = tr("Cannot open %1: %2").arg(path, file.errorString());
        return false;
    }
    nlohmann::json description;
    try {
        description = nlohmann::json::parse(file.readAll().toStdString());
    } catch (const std::exception& e) {
        if (error)
            *error = tr("%1 is not valid JSON: %2").arg(path, QString::fromStdString(e.what()));
        return false;
    }
    QString reason;
    if (!setDescription(description, tr("Open %1").arg(QFileInfo(path).fileName()), &reason)) {
        if (error)
            *error = tr("%1: %2").arg(path, reason);
        return false;
    }
    return true;
}

bool ModelBuilderView::saveFile(const QString& path, QString* error) const
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    const std::string text = m_model->description().dump(2) + "\n";
    if (file.write(text.data(), static_cast<qint64>(text.size())) != static_cast<qint64>(text.size())) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

int ModelBuilderView::currentRow() const
{
    const QModelIndex current = m_table->currentIndex();
    return current.isValid() ? current.row() : -1;
}

void ModelBuilderView::selectRow(int row)
{
    if (row < 0 || row >= m_model->layerCount())
        return;
    m_table->setCurrentIndex(m_model->index(row, 0));
    m_table->selectRow(row);
}

QString ModelBuilderView::statusText() const { return m_status->text(); }

void ModelBuilderView::addLayer(const QString& type)
{
    if (type.isEmpty())
        return;
    const int row = currentRow() >= 0 ? currentRow() + 1 : m_model->layerCount();
    m_undo->push(new InsertLayerCommand(m_model, row, LayerListModel::defaultConfig(type)));
    selectRow(row);
}

void ModelBuilderView::removeCurrentLayer()
{
    const int row = currentRow();
    if (row < 0)
        return;
    m_undo->push(new RemoveLayerCommand(m_model, row));
    selectRow(std::min(row, m_model->layerCount() - 1));
}

void ModelBuilderView::moveCurrentLayer(int delta)
{
    const int row = currentRow();
    const int to = row + delta;
    if (row < 0 || to < 0 || to >= m_model->layerCount())
        return;
    m_undo->push(new MoveLayerCommand(m_model, row, to));
    selectRow(to);
}

void ModelBuilderView::openModelDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open model"), m_lastFile, tr("Model description (*.json);;All files (*)"));
    if (path.isEmpty())
        return;
    m_lastFile = path;
    QString error;
    if (!loadFile(path, &error)) {
        QMessageBox::warning(this, tr("Cannot open model"), error);
        emit errorOccurred(error);
    }
}

void ModelBuilderView::saveModelDialog()
{
    QString path = QFileDialog::getSaveFileName(this, tr("Save model"), m_lastFile.isEmpty() ? QStringLiteral("model.json") : m_lastFile,
                                                tr("Model description (*.json)"));
    if (path.isEmpty())
        return;
    if (!path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive))
        path += QStringLiteral(".json");
    m_lastFile = path;
    QString error;
    if (!saveFile(path, &error)) {
        QMessageBox::warning(this, tr("Cannot save model"), error);
        emit errorOccurred(error);
    }
}

void ModelBuilderView::updateStatus()
{
    const core::Shape& in = m_model->inputShape();
    m_inputShape->setText(tr("Input: <b>%1</b>").arg(in.empty() ? tr("unknown") : LayerListModel::shapeText(in)));
    const int bad = m_model->firstErrorRow();
    QPalette palette = m_status->palette();
    if (m_model->layerCount() == 0) {
        m_status->setText(tr("Add layers from the palette: double-click, drag, or select and press Add."));
        palette.setColor(QPalette::WindowText, QApplication::palette().color(QPalette::WindowText));
    } else if (bad >= 0) {
        const QString type = m_model->data(m_model->index(bad, 0), LayerListModel::TypeRole).toString();
        m_status->setText(tr("⚠ Layer %1 (%2) does not fit: %3").arg(bad + 1).arg(type, m_model->errorAt(bad)));
        palette.setColor(QPalette::WindowText, Theme::errorColor());
    } else {
        m_status->setText(tr("%1 layers · output %2 · %3 parameters")
                              .arg(m_model->layerCount())
                              .arg(m_model->outputShapeText(), QString::fromStdString(core::formatThousands(m_model->totalParameters()))));
        palette.setColor(QPalette::WindowText, QApplication::palette().color(QPalette::WindowText));
    }
    m_status->setPalette(palette);
    updateButtons();
}

void ModelBuilderView::updateButtons()
{
    const int row = currentRow();
    m_remove->setEnabled(row >= 0);
    m_up->setEnabled(row > 0);
    m_down->setEnabled(row >= 0 && row + 1 < m_model->layerCount());
}

void ModelBuilderView::showSelected()
{
    const int row = currentRow();
    if (row < 0 || row >= m_model->layerCount()) {
        m_form->setConfig(nlohmann::json());
        return;
    }
    // Show every setting the layer has, not only those the description spells out; an edit
    // writes just the key that changed.
    const nlohmann::json& config = m_model->layerConfig(row);
    nlohmann::json shown = LayerListModel::defaultConfig(QString::fromStdString(config.value("type", std::string())));
    if (shown.contains("activation") && !config.contains("activation"))
        shown["activation"] = "linear";
    shown.update(config);
    m_form->setConfig(shown);
}

}  // namespace layerlens::ui
