#include "ui/widgets/fine_tune_dialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

#include "core/io/model_loader.h"
#include "core/lab/race.h"
#include "core/model/model_surgery.h"
#include "core/optimizers/optimizer.h"
#include "ui/main_window.h"
#include "ui/training_session.h"
#include "ui/views/model_builder_view.h"
#include "ui/views/race_view.h"
#include "ui/widgets/message_banner.h"

namespace layerlens::ui {

namespace {

// A copy with the same architecture, weights and frozen flags (the race and the workbench each
// train their own).
std::shared_ptr<core::Model> cloneModel(core::Model& model)
{
    auto copy = std::make_shared<core::Model>(core::Model::fromJson(model.toJson()));
    copy->build(1);
    copy->copyWeightsFrom(model);
    return copy;
}

}  // namespace

FineTuneDialog::FineTuneDialog(core::DatasetPtr dataset, QWidget* parent)
    : QDialog(parent)
    , m_dataset(std::move(dataset))
    , m_path(new QLineEdit(this))
    , m_browse(new QPushButton(tr("Browse…"), this))
    , m_layers(new QListWidget(this))
    , m_replaceHead(new QCheckBox(this))
    , m_compare(new QCheckBox(tr("Also train the same network from scratch for comparison"), this))
    , m_message(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName("fineTuneDialog");
    setWindowTitle(tr("Fine-tune a trained model"));
    const int classes = m_dataset ? m_dataset->classCount() : 0;
    m_replaceHead->setText(classes > 0 ? tr("Replace the head for the current dataset's %1 classes").arg(classes)
                                       : tr("Replace the head (the dataset has no classes)"));
    m_replaceHead->setChecked(classes > 0);
    m_replaceHead->setEnabled(classes > 0);
    m_path->setPlaceholderText(tr("a model file: .onnx, .h5, .keras or .llmodel"));
    m_layers->setToolTip(tr("Checked layers are frozen: their weights do not change while training"));
    m_layers->setMinimumSize(540, 260);
    m_message->setWordWrap(true);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Fine-tune"));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);

    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(m_browse);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Model file"), this));
    layout->addLayout(pathRow);
    layout->addWidget(new QLabel(tr("Layers (checked = frozen)"), this));
    layout->addWidget(m_layers, 1);
    layout->addWidget(m_replaceHead);
    layout->addWidget(m_compare);
    layout->addWidget(m_message);
    layout->addWidget(m_buttons);

    connect(m_browse, &QPushButton::clicked, this, &FineTuneDialog::browse);
    connect(m_path, &QLineEdit::returnPressed, this, [this] { setModelPath(m_path->text()); });
    connect(m_replaceHead, &QCheckBox::toggled, this, &FineTuneDialog::refreshList);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

FineTuneDialog::~FineTuneDialog() = default;

QString FineTuneDialog::modelPath() const { return m_path->text(); }
QString FineTuneDialog::message() const { return m_message->text(); }
bool FineTuneDialog::compareWithScratch() const { return m_compare->isChecked(); }

void FineTuneDialog::setMessage(const QString& text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("color: #c0392b;") : QString());
}

void FineTuneDialog::browse()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Model to fine-tune"), QFileInfo(m_path->text()).path(),
                                                      tr("Models (*.onnx *.h5 *.hdf5 *.keras *.llmodel);;All files (*)"));
    if (!path.isEmpty())
        setModelPath(path);
}

bool FineTuneDialog::setModelPath(const QString& path)
{
    m_path->setText(path);
    m_model.reset();
    m_notes.clear();
    try {
        core::LoadedModel loaded = core::loadModel(path.toStdString());
        if (!loaded.model.isBuilt())
            loaded.model.build(1);
        m_model = std::make_unique<core::Model>(std::move(loaded.model));
        m_notes = loaded.notes;
    } catch (const std::exception& e) {
        m_layers->clear();
        m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
        setMessage(tr("Cannot fine-tune this file: %1").arg(QString::fromStdString(e.what())), true);
        return false;
    }
    refreshList();
    return true;
}

void FineTuneDialog::refreshList()
{
    m_layers->clear();
    if (!m_model)
        return;
    const int head = core::classifierHeadIndex(*m_model);
    const bool replace = m_replaceHead->isChecked() && head >= 0;
    for (int i = 0; i < m_model->layerCount(); ++i) {
        const core::Layer& layer = m_model->layer(i);
        QString text = QStringLiteral("%1   %2   %3   %4   %5 params")
                           .arg(i)
                           .arg(QString::fromStdString(layer.name()), QString::fromStdString(layer.type()),
                                QString::fromStdString(core::shapeToString(m_model->layerOutputShape(i))))
                           .arg(QString::fromStdString(core::formatThousands(layer.parameterCount())));
        if (replace && i == head)
            text += tr("   → new head Dense(%1)").arg(m_dataset->classCount());
        else if (replace && i > head)
            text += tr("   (replaced with the head)");
        auto* item = new QListWidgetItem(text, m_layers);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
        // Default: everything before the head frozen (feature extraction); the head trains.
        item->setCheckState(head >= 0 && i < head ? Qt::Checked : Qt::Unchecked);
        if (replace && i > head)
            item->setFlags(item->flags() & ~Qt::ItemIsEnabled);
    }
    QString text = tr("%1 layers, %2 parameters.")
                       .arg(m_model->layerCount())
                       .arg(QString::fromStdString(core::formatThousands(m_model->parameterCount())));
    if (m_dataset && m_model->inputShape() != m_dataset->sampleShape())
        text += tr(" The model takes %1 but the data has %2 samples: load matching data first.")
                    .arg(QString::fromStdString(core::shapeToString(m_model->inputShape())),
                         QString::fromStdString(core::shapeToString(m_dataset->sampleShape())));
    for (const std::string& note : m_notes)
        text += "\n" + QString::fromStdString(note);
    setMessage(text, false);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(true);
}

std::shared_ptr<core::Model> FineTuneDialog::preparedModel(QString* error) const
{
    try {
        if (!m_model)
            throw std::runtime_error("no model is loaded");
        auto model = cloneModel(*m_model);
        std::vector<bool> frozen;
        for (int i = 0; i < m_layers->count(); ++i)
            frozen.push_back(m_layers->item(i)->checkState() == Qt::Checked);
        const int head = core::classifierHeadIndex(*model);
        if (m_replaceHead->isChecked() && m_dataset && m_dataset->classCount() > 0) {
            core::replaceClassifierHead(*model, m_dataset->classCount(), 1);
            // The new head (and its Softmax) takes the old head row's choice.
            const bool headFrozen = head >= 0 && frozen[static_cast<std::size_t>(head)];
            frozen.resize(static_cast<std::size_t>(head));
            while (static_cast<int>(frozen.size()) < model->layerCount())
                frozen.push_back(headFrozen);
        }
        core::applyFreezeMask(*model, frozen);
        return model;
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return nullptr;
    }
}

bool FineTuneDialog::apply(MainWindow* window, QString* error) const
{
    auto fail = [&](const QString& text) {
        window->banner()->showMessage(tr("Fine-tuning failed: %1").arg(text));
        if (error)
            *error = text;
        return false;
    };
    QString reason;
    auto model = preparedModel(&reason);
    if (!model)
        return fail(reason);
    TrainingSession* session = window->session();
    if (!session->dataset())
        return fail(tr("load a dataset first"));
    if (model->inputShape() != session->dataset()->sampleShape())
        return fail(tr("the model takes %1 inputs but the data has %2 samples")
                        .arg(QString::fromStdString(core::shapeToString(model->inputShape())),
                             QString::fromStdString(core::shapeToString(session->dataset()->sampleShape()))));
    const nlohmann::json description = model->toJson();
    if (!window->builder()->setDescription(description, tr("Fine-tune %1").arg(QFileInfo(modelPath()).fileName()), &reason))
        return fail(reason);
    // The session continues from the file's weights: a fresh optimizer state of its kind.
    core::SavedTraining start;
    start.optimizer = session->settings().optimizer;
    try {
        auto optimizer = core::Optimizer::create(start.optimizer);
        optimizer->initialize(model->parameters());
        for (core::Tensor* t : optimizer->state())
            start.optimizerState.push_back(*t);
    } catch (const std::exception& e) {
        return fail(QString::fromStdString(e.what()));
    }
    // The race gets its own copy before the workbench's trainer may touch the model.
    std::shared_ptr<core::Model> raceModel = compareWithScratch() ? cloneModel(*model) : nullptr;
    if (!session->adoptTrained(model, start, &reason))
        return fail(reason);
    if (!raceModel) {
        session->start();
        return true;
    }
    // Fine-tuned vs scratch on one chart: a two-entrant race. The workbench keeps the model
    // ready (paused) so that the two race entrants have the cores.
    auto* race = window->findChild<RaceView*>();
    if (!race)
        return fail(tr("no race view"));
    core::TrainerSettings settings = session->settings();
    settings.capture.maxPublishHz = 10;
    // The race form shows what runs (its own Start button would rerun it from the form).
    race->setDatasetSpec(session->datasetSpec());
    race->setCurrentModel(description);
    race->setModelChoice(tr("Current model"));
    race->setVariants({QStringLiteral("fine-tune"), QStringLiteral("scratch")});
    race->setEpochs(settings.epochs);
    race->setBatchSize(settings.batchSize);
    race->setLearningRate(settings.optimizer.learningRate);
    race->setSeed(static_cast<int>(settings.seed));
    if (!race->start(core::Race::transferSettings(raceModel, session->dataset(), nullptr, settings)))
        return fail(race->statusText());
    window->workbenchTabs()->setCurrentWidget(race);
    return true;
}

void FineTuneDialog::run(MainWindow* window)
{
    FineTuneDialog dialog(window->session()->dataset(), window);
    if (dialog.exec() == QDialog::Accepted)
        dialog.apply(window);
}

}  // namespace layerlens::ui
