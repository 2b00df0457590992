#include "ui/views/training_controls.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>

#include "core/losses/loss.h"

namespace layerlens::ui {

namespace {

QPushButton* runButton(const QString& icon, const QString& text, const QString& tip, const QString& name, QWidget* parent)
{
    auto* b = new QPushButton(QIcon(icon), text, parent);
    b->setToolTip(tip);
    b->setObjectName(name);
    b->setMinimumHeight(b->fontMetrics().height() + 12);
    return b;
}

// A learning-rate box that steps by factors of ~2 (1e-3 -> 2e-3 -> 5e-3), the way rates are tuned.
class LogStepSpinBox : public QDoubleSpinBox {
public:
    using QDoubleSpinBox::QDoubleSpinBox;
    void stepBy(int steps) override
    {
        static const double mantissas[] = {1.0, 2.0, 5.0};
        double v = value();
        for (int i = 0; i < std::abs(steps); ++i) {
            const double e = std::floor(std::log10(v) + 1e-9);
            const double m = v / std::pow(10.0, e);
            int k = m < 1.5 ? 0 : m < 3.5 ? 1 : 2;
            double exponent = e;
            k += steps > 0 ? 1 : -1;
            if (k > 2) { k = 0; exponent += 1; }
            if (k < 0) { k = 2; exponent -= 1; }
            v = mantissas[k] * std::pow(10.0, exponent);
        }
        setValue(std::clamp(v, minimum(), maximum()));
    }
};

}  // namespace

TrainingControls::TrainingControls(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("trainingControls"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(8);

    auto* runBox = new QGroupBox(tr("Run"), this);
    auto* grid = new QGridLayout(runBox);
    grid->setSpacing(4);
    m_start = runButton(QStringLiteral(":/icons/start.svg"), tr("Train"), tr("Start or resume training (F5)"), QStringLiteral("startButton"), this);
    m_pause = runButton(QStringLiteral(":/icons/pause.svg"), tr("Pause"), tr("Pause after the current step (F6)"), QStringLiteral("pauseButton"), this);
    m_step = runButton(QStringLiteral(":/icons/step.svg"), tr("Step"), tr("One optimizer step, then pause (F10)"), QStringLiteral("stepButton"), this);
    m_layerStep = runButton(QStringLiteral(":/icons/layer_step.svg"), tr("Layer step"),
                            tr("Advance one layer of the forward or backward pass (F11): watch backprop"),
                            QStringLiteral("layerStepButton"), this);
    m_stop = runButton(QStringLiteral(":/icons/stop.svg"), tr("Stop"), tr("End this run"), QStringLiteral("stopButton"), this);
    m_reset = runButton(QStringLiteral(":/icons/reset.svg"), tr("Reset"), tr("Forget the trained weights: the next start begins from scratch with the current settings"),
                        QStringLiteral("resetButton"), this);
    grid->addWidget(m_start, 0, 0);
    grid->addWidget(m_pause, 0, 1);
    grid->addWidget(m_step, 1, 0);
    grid->addWidget(m_layerStep, 1, 1);
    grid->addWidget(m_stop, 2, 0);
    grid->addWidget(m_reset, 2, 1);
    layout->addWidget(runBox);

    auto* settingsBox = new QGroupBox(tr("Settings"), this);
    auto* form = new QFormLayout(settingsBox);
    form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_optimizer = new QComboBox(this);
    m_optimizer->setObjectName(QStringLiteral("optimizerCombo"));
    const QStringList optimizers = {QStringLiteral("sgd"), QStringLiteral("momentum"), QStringLiteral("nesterov"), QStringLiteral("rmsprop"),
                                    QStringLiteral("adagrad"), QStringLiteral("adam"), QStringLiteral("adamw")};
    m_optimizer->addItems(optimizers);
    m_learningRate = new LogStepSpinBox(this);
    m_learningRate->setObjectName(QStringLiteral("learningRateBox"));
    m_learningRate->setDecimals(5);
    m_learningRate->setRange(0.00001, 10.0);
    m_learningRate->setKeyboardTracking(false);
    m_learningRate->setToolTip(tr("Applies immediately, also while training; arrows step 1-2-5"));
    m_batchSize = new QSpinBox(this);
    m_batchSize->setObjectName(QStringLiteral("batchSizeBox"));
    m_batchSize->setRange(1, 4096);
    m_epochs = new QSpinBox(this);
    m_epochs->setObjectName(QStringLiteral("epochsBox"));
    m_epochs->setRange(1, 10000);
    m_loss = new QComboBox(this);
    m_loss->setObjectName(QStringLiteral("lossCombo"));
    m_loss->addItem(QStringLiteral("auto"));  // the trainer picks from the data and the last layer
    m_loss->setItemData(0, tr("Cross-entropy for classes (from logits unless the model ends in Softmax), MSE otherwise"), Qt::ToolTipRole);
    for (const auto& name : core::Loss::names())
        m_loss->addItem(QString::fromStdString(name));
    m_seed = new QSpinBox(this);
    m_seed->setObjectName(QStringLiteral("seedBox"));
    m_seed->setRange(0, 999999);
    form->addRow(tr("Optimizer:"), m_optimizer);
    form->addRow(tr("Learning rate:"), m_learningRate);
    form->addRow(tr("Batch size:"), m_batchSize);
    form->addRow(tr("Epochs:"), m_epochs);
    form->addRow(tr("Loss:"), m_loss);
    form->addRow(tr("Seed:"), m_seed);
    layout->addWidget(settingsBox);

    m_note = new QLabel(tr("Changes other than the learning rate apply after Reset."), this);
    m_note->setWordWrap(true);
    m_note->setEnabled(false);
    layout->addWidget(m_note);
    layout->addStretch(1);

    setSettings(core::TrainerSettings());

    connect(m_start, &QPushButton::clicked, this, &TrainingControls::startRequested);
    connect(m_pause, &QPushButton::clicked, this, &TrainingControls::pauseRequested);
    connect(m_step, &QPushButton::clicked, this, &TrainingControls::stepRequested);
    connect(m_layerStep, &QPushButton::clicked, this, &TrainingControls::layerStepRequested);
    connect(m_stop, &QPushButton::clicked, this, &TrainingControls::stopRequested);
    connect(m_reset, &QPushButton::clicked, this, &TrainingControls::resetRequested);
    connect(m_learningRate, &QDoubleSpinBox::valueChanged, this, &TrainingControls::learningRateChanged);
    connect(m_optimizer, &QComboBox::currentTextChanged, this, &TrainingControls::settingsChanged);
    connect(m_loss, &QComboBox::currentTextChanged, this, &TrainingControls::settingsChanged);
    connect(m_batchSize, &QSpinBox::valueChanged, this, &TrainingControls::settingsChanged);
    connect(m_epochs, &QSpinBox::valueChanged, this, &TrainingControls::settingsChanged);
    connect(m_seed, &QSpinBox::valueChanged, this, &TrainingControls::settingsChanged);
    setState(core::TrainerState::Idle);
}

core::TrainerSettings TrainingControls::settings() const
{
    core::TrainerSettings s = m_base;
    s.optimizer.kind = m_optimizer->currentText().toStdString();
    s.optimizer.learningRate = static_cast<float>(m_learningRate->value());
    s.batchSize = m_batchSize->value();
    s.epochs = m_epochs->value();
    s.loss = m_loss->currentText().toStdString();
    s.seed = static_cast<std::uint64_t>(m_seed->value());
    return s;
}

void TrainingControls::setSettings(const core::TrainerSettings& settings)
{
    m_base = settings;
    const QSignalBlocker b1(m_optimizer), b2(m_learningRate), b3(m_batchSize), b4(m_epochs), b5(m_loss), b6(m_seed);
    m_optimizer->setCurrentText(QString::fromStdString(settings.optimizer.kind));
    m_learningRate->setValue(settings.optimizer.learningRate);
    m_batchSize->setValue(settings.batchSize);
    m_epochs->setValue(settings.epochs);
    const QString loss = QString::fromStdString(settings.loss);
    if (m_loss->findText(loss) < 0)
        m_loss->addItem(loss);
    m_loss->setCurrentText(loss);
    m_seed->setValue(static_cast<int>(settings.seed));
}

void TrainingControls::setLossSuggestion(const QString& loss)
{
    if (m_loss->findText(loss) >= 0)
        m_loss->setCurrentText(loss);
}

void TrainingControls::setState(core::TrainerState state)
{
    const bool running = state == core::TrainerState::Running;
    const bool paused = state == core::TrainerState::Paused;
    const bool done = state == core::TrainerState::Finished || state == core::TrainerState::Failed;
    m_start->setEnabled(!running);
    m_start->setText(paused ? tr("Resume") : done ? tr("Train again") : tr("Train"));
    m_pause->setEnabled(running);
    m_step->setEnabled(!running && !done);
    m_layerStep->setEnabled(!running && !done);
    m_stop->setEnabled(running || paused);
    m_reset->setEnabled(!running);
    // Settings other than the rate are fixed while a run exists.
    const bool editable = state == core::TrainerState::Idle || done;
    for (QWidget* w : {static_cast<QWidget*>(m_optimizer), static_cast<QWidget*>(m_batchSize), static_cast<QWidget*>(m_epochs),
                       static_cast<QWidget*>(m_loss), static_cast<QWidget*>(m_seed)})
        w->setEnabled(editable);
    m_note->setVisible(!editable);
}

}  // namespace layerlens::ui
