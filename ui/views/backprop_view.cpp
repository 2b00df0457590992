#include "ui/views/backprop_view.h"

#include <QAction>
#include <QElapsedTimer>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QListWidget>
#include <QSplitter>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <cmath>

#include "core/lab/backprop_debugger.h"
#include "core/lab/chain_rule.h"
#include "ui/views/network_graph_view.h"
#include "ui/views/textbook_exercise_view.h"
#include "ui/widgets/phase_strip.h"
#include "ui/widgets/tensor_panel.h"

namespace layerlens::ui {

namespace {

enum PanelIndex { Input, Output, GradientFromAbove, GradientPassedDown, WeightGradient, BiasGradient, WeightUpdate, BiasUpdate };

QString number(double v) { return QString::fromStdString(core::formatLabNumber(v)); }

QToolButton* buttonFor(QAction* action, QWidget* parent)
{
    auto* button = new QToolButton(parent);
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    button->setAutoRaise(false);
    button->setMinimumHeight(28);
    return button;
}

}  // namespace

BackpropView::BackpropView(QWidget* parent)
    : QWidget(parent)
    , m_stepAction(new QAction(tr("Step ▸  (F10)"), this))
    , m_finishAction(new QAction(tr("Run to end of step  (F5)"), this))
    , m_backAction(new QAction(tr("⟲ Back to batch start  (Shift+F5)"), this))
    , m_epochAction(new QAction(tr("Run to next epoch  (F6)"), this))
    , m_strip(new PhaseStrip(this))
    , m_phaseTitle(new QLabel(this))
    , m_explanation(new QLabel(this))
    , m_status(new QLabel(this))
    , m_layers(new QListWidget(this))
    , m_tabs(new QTabWidget(this))
    , m_graph(new NetworkGraphView(this))
    , m_runTimer(new QTimer(this))
{
    setObjectName("backpropView");
    setFocusPolicy(Qt::StrongFocus);
    const std::pair<QAction*, QKeySequence> keys[] = {{m_stepAction, Qt::Key_F10},
                                                      {m_finishAction, Qt::Key_F5},
                                                      {m_backAction, QKeySequence(Qt::SHIFT | Qt::Key_F5)},
                                                      {m_epochAction, Qt::Key_F6}};
    for (const auto& [action, key] : keys) {
        action->setShortcut(key);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(action);
    }
    m_stepAction->setToolTip(tr("Compute one more layer: forward, the loss, backward, then the update"));
    m_finishAction->setToolTip(tr("Finish this training step (through the optimizer update)"));
    m_backAction->setToolTip(tr("Restore the parameters and optimizer state of the start of this batch and start it again"));
    m_epochAction->setToolTip(tr("Train ordinary steps to the end of this epoch"));
    connect(m_stepAction, &QAction::triggered, this, &BackpropView::stepLayer);
    connect(m_finishAction, &QAction::triggered, this, &BackpropView::finishStep);
    connect(m_backAction, &QAction::triggered, this, &BackpropView::stepBack);
    connect(m_epochAction, &QAction::triggered, this, &BackpropView::runToNextEpoch);
    m_runTimer->setInterval(0);
    connect(m_runTimer, &QTimer::timeout, this, &BackpropView::runChunk);

    auto* bar = new QHBoxLayout;
    bar->addWidget(buttonFor(m_stepAction, this));
    bar->addWidget(buttonFor(m_finishAction, this));
    bar->addWidget(buttonFor(m_backAction, this));
    bar->addWidget(buttonFor(m_epochAction, this));
    bar->addStretch(1);
    bar->addWidget(m_status);

    QFont titleFont = m_phaseTitle->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() + 3);
    titleFont.setBold(true);
    m_phaseTitle->setFont(titleFont);
    m_explanation->setWordWrap(true);
    m_explanation->setStyleSheet("color: palette(dark);");

    m_layers->setMinimumWidth(190);
    m_layers->setWordWrap(true);
    m_layers->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_layers->setMaximumWidth(280);
    m_layers->setToolTip(tr("Pick a layer to inspect; the selection follows the step"));
    connect(m_layers, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row < 0 || row == m_selected)
            return;
        m_selected = row;
        m_followPhase = m_debugger && row == m_debugger->phaseLayer();
        updatePanels();
    });

    auto* tensors = new QWidget(this);
    auto* grid = new QGridLayout(tensors);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(6);
    const QString titles[] = {tr("Input  x"),
                              tr("Output  y"),
                              tr("Gradient from above  dL/dy"),
                              tr("Gradient passed down  dL/dx"),
                              tr("Weight gradient  dL/dW"),
                              tr("Bias gradient  dL/db"),
                              tr("Weight update  ΔW"),
                              tr("Bias update  Δb")};
    for (int k = 0; k < 8; ++k) {
        auto* panel = new TensorPanel(titles[k], tensors);
        m_panels.push_back(panel);
        grid->addWidget(panel, k / 2, k % 2);
    }
    m_tabs->addTab(tensors, tr("Tensors"));
    m_tabs->addTab(m_graph, tr("Network"));
    m_tabs->addTab(new TextbookExerciseView(this), tr("Textbook example"));

    auto* splitter = new QSplitter(this);
    splitter->addWidget(m_layers);
    splitter->addWidget(m_tabs);
    splitter->setStretchFactor(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(6);
    layout->addLayout(bar);
    layout->addWidget(m_strip);
    layout->addWidget(m_phaseTitle);
    layout->addWidget(m_explanation);
    layout->addWidget(splitter, 1);
    refresh();
}

BackpropView::~BackpropView() = default;

void BackpropView::setDebugger(core::BackpropDebugger* debugger)
{
    m_runTimer->stop();
    m_debugger = debugger;
    m_selected = -1;
    m_followPhase = true;
    m_layers->clear();
    m_graph->setDebugger(debugger);
    refresh();
}

bool BackpropView::debug(std::shared_ptr<core::Model> model, core::DatasetPtr dataset, const core::BackpropDebuggerSettings& settings)
{
    std::unique_ptr<core::BackpropDebugger> debugger;
    try {
        debugger = std::make_unique<core::BackpropDebugger>(std::move(model), std::move(dataset), settings);
    } catch (const std::exception& e) {
        setDebugger(nullptr);
        m_ownedDebugger.reset();
        m_explanation->setText(QString::fromUtf8(e.what()));
        return false;
    }
    setDebugger(debugger.get());
    m_ownedDebugger = std::move(debugger);  // the old one goes after the view stopped using it
    return true;
}

QString BackpropView::phaseText() const
{
    return m_debugger ? QString::fromStdString(m_debugger->phaseText()) : QString();
}

bool BackpropView::isRunning() const { return m_runTimer->isActive(); }

void BackpropView::selectLayer(int layer)
{
    m_followPhase = false;
    m_layers->setCurrentRow(layer);
    m_selected = layer;
    updatePanels();
}

void BackpropView::stepLayer()
{
    if (!m_debugger || isRunning())
        return;
    m_debugger->stepLayer();
    m_followPhase = true;
    refresh();
    emit stepped();
}

void BackpropView::finishStep()
{
    if (!m_debugger || isRunning())
        return;
    m_debugger->finishStep();
    m_followPhase = true;
    refresh();
    emit stepped();
}

void BackpropView::stepBack()
{
    if (!m_debugger || isRunning())
        return;
    m_debugger->restartBatch();
    m_followPhase = true;
    refresh();
    emit stepped();
}

void BackpropView::runToNextEpoch()
{
    if (!m_debugger || isRunning())
        return;
    m_targetEpoch = m_debugger->epoch() + 1;
    setRunning(true);
    m_runTimer->start();
}

// Ordinary steps in slices of ~40 ms so that the window stays responsive on big datasets.
void BackpropView::runChunk()
{
    if (!m_debugger) {
        setRunning(false);
        return;
    }
    QElapsedTimer clock;
    clock.start();
    const auto phase = m_debugger->phase();
    if (phase == core::TrainPhase::Forward || phase == core::TrainPhase::Loss || phase == core::TrainPhase::Backward)
        m_debugger->finishStep();
    while (!m_debugger->epochDone() && clock.elapsed() < 40)
        m_debugger->trainStep();
    if (m_debugger->epochDone()) {
        m_debugger->runToNextEpoch();  // wraps to the next epoch without training more
        setRunning(false);
        m_followPhase = true;
        refresh();
        emit stepped();
        return;
    }
    m_status->setText(tr("running to epoch %1 · batch %2 of %3 · loss %4")
                          .arg(m_targetEpoch + 1)
                          .arg(m_debugger->batchIndex() + 1)
                          .arg(m_debugger->batchesPerEpoch())
                          .arg(number(m_debugger->lossValue())));
}

void BackpropView::setRunning(bool running)
{
    if (!running)
        m_runTimer->stop();
    m_stepAction->setEnabled(!running);
    m_finishAction->setEnabled(!running);
    m_backAction->setEnabled(!running);
    m_epochAction->setEnabled(!running);
}

void BackpropView::keyPressEvent(QKeyEvent* event)
{
    // The actions' shortcuts handle these when the view has focus; this covers key presses
    // delivered to the view itself.
    if (event->key() == Qt::Key_F10 && event->modifiers() == Qt::NoModifier)
        stepLayer();
    else if (event->key() == Qt::Key_F5 && event->modifiers() == Qt::NoModifier)
        finishStep();
    else if (event->key() == Qt::Key_F5 && event->modifiers() == Qt::ShiftModifier)
        stepBack();
    else if (event->key() == Qt::Key_F6 && event->modifiers() == Qt::NoModifier)
        runToNextEpoch();
    else
        QWidget::keyPressEvent(event);
}

void BackpropView::refresh()
{
    const bool enabled = m_debugger != nullptr;
    m_stepAction->setEnabled(enabled && !isRunning());
    m_finishAction->setEnabled(enabled && !isRunning());
    m_backAction->setEnabled(enabled && !isRunning() && m_debugger->batchLoaded());
    m_epochAction->setEnabled(enabled && !isRunning());
    if (!m_debugger) {
        m_strip->setLayerCount(0);
        m_phaseTitle->setText(tr("No model to debug"));
        m_explanation->setText(tr("Build a model and choose a dataset; then step through training one layer at a time."));
        m_status->clear();
        for (TensorPanel* p : m_panels)
            p->setPlaceholder(QString());
        return;
    }
    const core::Model& model = m_debugger->model();
    m_strip->setLayerCount(model.layerCount());
    m_strip->setPhase(m_debugger->phase(), m_debugger->phaseLayer());
    if (m_followPhase && m_debugger->phaseLayer() >= 0)
        m_selected = m_debugger->phaseLayer();
    if (m_selected < 0 || m_selected >= model.layerCount())
        m_selected = 0;
    updateLayerList();
    updateStatus();
    updatePanels();
    m_graph->refresh();
}

void BackpropView::updateStatus()
{
    const auto& d = *m_debugger;
    const int layer = d.phaseLayer();
    m_phaseTitle->setText(QString::fromStdString(d.phaseText()));
    QString explanation;
    switch (d.phase()) {
    case core::TrainPhase::Forward:
        explanation = tr("Layer %1 computes its output from its input (y = f(x)). Nothing is learned in the forward pass; "
                         "the later layers are still waiting.")
                          .arg(layer);
        break;
    case core::TrainPhase::Loss:
        explanation = tr("The loss (%1) compares the network's output with the targets: L = %2%3. Its gradient dL/dy "
                         "starts the backward pass at the last layer.")
                          .arg(QString::fromStdString(d.loss().name()), number(d.lossValue()),
                               d.data().classCount() > 0 ? tr(", batch accuracy %1%").arg(qRound(100 * d.batchAccuracy())) : QString());
        break;
    case core::TrainPhase::Backward:
        explanation = tr("Layer %1 receives dL/dy from above, computes the gradients of its own parameters (dL/dW, dL/db) "
                         "and passes dL/dx down by the chain rule.")
                          .arg(layer);
        break;
    case core::TrainPhase::Update:
        explanation = tr("The optimizer (%1, learning rate %2) changes every parameter; the update panels show ΔW = new − old.")
                          .arg(QString::fromStdString(m_debugger->optimizer().settings().kind))
                          .arg(number(m_debugger->optimizer().learningRate()));
        break;
    default:
        explanation = d.batchLoaded() ? tr("Back at the start of the batch with the parameters it began with. Press F10 to run it again.")
                                      : tr("Press F10 to load the next batch and run the first layer.");
        break;
    }
    const bool afterLoss = d.phase() == core::TrainPhase::Loss || d.phase() == core::TrainPhase::Backward
        || d.phase() == core::TrainPhase::Update;
    if (afterLoss && !std::isfinite(d.lossValue()))
        explanation = tr("<b style='color:#c0392b'>The loss is not a finite number.</b> Look for the first layer whose output "
                         "holds NaN or huge values, then step back (Shift+F5) and lower the learning rate.<br>")
            + explanation;
    m_explanation->setText(explanation);
    QString status = tr("epoch %1 · batch %2 of %3 · step %4")
                         .arg(d.epoch() + 1)
                         .arg(d.batchIndex() + 1)
                         .arg(d.batchesPerEpoch())
                         .arg(d.step());
    if (d.phase() == core::TrainPhase::Loss || d.phase() == core::TrainPhase::Backward || d.phase() == core::TrainPhase::Update)
        status += tr(" · loss %1").arg(number(d.lossValue()));
    m_status->setText(status);
}

void BackpropView::updateLayerList()
{
    const core::Model& model = m_debugger->model();
    if (m_layers->count() != model.layerCount()) {
        const QSignalBlocker block(m_layers);
        m_layers->clear();
        for (int i = 0; i < model.layerCount(); ++i)
            m_layers->addItem(QString());
    }
    const QColor forward(52, 120, 198), backward(230, 126, 34);
    for (int i = 0; i < model.layerCount(); ++i) {
        const core::Layer& layer = model.layer(i);
        QString mark = "   ";
        QColor color = palette().color(QPalette::Text);
        if (m_debugger->inputGradientReady(i)) {
            mark = "◀ ";
            color = backward.darker(115);
        } else if (m_debugger->outputReady(i)) {
            mark = "▶ ";
            color = forward;
        }
        QString shape;
        for (int d : model.layerOutputShape(i))
            shape += (shape.isEmpty() ? "" : "×") + QString::number(d);
        auto* item = m_layers->item(i);
        item->setText(QString("%1%2  %3\n      %4 → %5")
                          .arg(mark)
                          .arg(i)
                          .arg(QString::fromStdString(layer.name()))
                          .arg(QString::fromStdString(layer.describe().empty() ? layer.type() : layer.type() + ", " + layer.describe()))
                          .arg(shape));
        item->setForeground(color);
        QFont f = item->font();
        f.setBold(i == m_debugger->phaseLayer());
        item->setFont(f);
    }
    const QSignalBlocker block(m_layers);
    m_layers->setCurrentRow(m_selected);
}

void BackpropView::updatePanels()
{
    if (!m_debugger || m_selected < 0)
        return;
    const auto& d = *m_debugger;
    const core::Model& model = d.model();
    const int i = m_selected;
    const QString name = QString::fromStdString(model.layer(i).name());
    auto show = [](TensorPanel* panel, bool ready, const core::Tensor& t, bool batch, const QString& why) {
        if (ready && !t.empty())
            panel->setTensor(t, batch);
        else
            panel->setPlaceholder(why);
    };
    const bool inputReady = i == 0 ? d.batchLoaded() : d.outputReady(i - 1);
    show(m_panels[Input], inputReady, model.layerInput(i), true,
         i == 0 ? tr("the batch is loaded by the first step (F10)") : tr("computed in the forward pass of layer %1").arg(i - 1));
    show(m_panels[Output], d.outputReady(i), model.output(i), true, tr("computed in the forward pass of layer %1").arg(i));
    show(m_panels[GradientFromAbove], d.outputGradientReady(i), model.gradientAtOutput(i), true,
         i + 1 == model.layerCount() ? tr("computed from the loss") : tr("computed in the backward pass of layer %1").arg(i + 1));
    show(m_panels[GradientPassedDown], d.inputGradientReady(i), model.inputGradient(i), true,
         d.inputGradientReady(i) ? tr("not computed: no layer below needs it (the first layer skips it)")
                                 : tr("computed in the backward pass of layer %1").arg(i));

    const auto params = model.layer(i).parameters();
    const bool hasParams = !params.empty();
    for (int k = WeightGradient; k <= BiasUpdate; ++k)
        m_panels[static_cast<std::size_t>(k)]->setVisible(hasParams && (k % 2 == 0 || params.size() > 1));
    if (hasParams) {
        const QString later = tr("computed in the backward pass of layer %1").arg(i);
        show(m_panels[WeightGradient], d.inputGradientReady(i), params[0]->grad, false, later);
        if (params.size() > 1)
            show(m_panels[BiasGradient], d.inputGradientReady(i), params[1]->grad, false, later);
        const int first = d.firstParameterIndex(i);
        const auto& updates = d.updates();
        const bool updated = d.updateReady() && static_cast<int>(updates.size()) > first;
        const QString afterUpdate = tr("applied by the optimizer at the end of the step");
        show(m_panels[WeightUpdate], updated, updated ? updates[static_cast<std::size_t>(first)] : core::Tensor(), false, afterUpdate);
        if (params.size() > 1)
            show(m_panels[BiasUpdate], updated && static_cast<int>(updates.size()) > first + 1,
                 updated && static_cast<int>(updates.size()) > first + 1 ? updates[static_cast<std::size_t>(first + 1)] : core::Tensor(),
                 false, afterUpdate);
    }
    m_panels[Input]->setTitle(tr("Input to %1  x").arg(name));
    m_panels[Output]->setTitle(tr("Output of %1  y").arg(name));
}

}  // namespace layerlens::ui
