#pragma once
// BackpropView: the backprop debugger. Steps through training one layer at a time — Forward
// layer by layer, the Loss, Backward layer by layer, the optimizer's Update — and shows, for
// the current layer, its input and output, the gradient arriving from above, the gradient it
// passes down, its weight and bias gradients and the update the optimizer applied: numbers for
// small tensors, heatmaps for big ones. A phase strip says where in the step we are; for small
// dense networks a second tab draws the network (NetworkGraphView).
//
// Keys (when the view has focus): F10 step one phase, F5 run to the end of the step, Shift+F5
// back to the start of the batch (parameters restored), F6 run to the next epoch.
//
// The view draws; core::BackpropDebugger computes. It does not own the debugger.

#include <QWidget>

#include <memory>

#include "core/lab/backprop_debugger.h"
#include "core/train/snapshot.h"

class QAction;
class QLabel;
class QListWidget;
class QTabWidget;
class QTimer;

namespace layerlens::ui {

class NetworkGraphView;
class PhaseStrip;
class TensorPanel;

class BackpropView : public QWidget {
    Q_OBJECT
public:
    explicit BackpropView(QWidget* parent = nullptr);
    ~BackpropView() override;

    // Not owned; may be null. The debugger must outlive the view or be replaced first.
    void setDebugger(core::BackpropDebugger* debugger);
    // Convenience for wiring: debugs `model` (shared, not copied: do not train it elsewhere at the
    // same time) on `dataset` with a debugger the view owns. Returns false and shows the reason when
    // the data does not fit the model.
    bool debug(std::shared_ptr<core::Model> model, core::DatasetPtr dataset, const core::BackpropDebuggerSettings& settings);
    core::BackpropDebugger* debugger() const { return m_debugger; }

    int selectedLayer() const { return m_selected; }
    void selectLayer(int layer);
    QString phaseText() const;
    bool isRunning() const;  // running to the next epoch
    NetworkGraphView* networkGraph() const { return m_graph; }
    PhaseStrip* phaseStrip() const { return m_strip; }
    // The panels in display order: input, output, gradient from above, gradient passed down,
    // weight gradient, bias gradient, weight update, bias update.
    const std::vector<TensorPanel*>& panels() const { return m_panels; }

public slots:
    void stepLayer();
    void finishStep();
    void stepBack();
    void runToNextEpoch();
    void refresh();

signals:
    void stepped();  // after every command that changed the model

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    void runChunk();
    void updateLayerList();
    void updatePanels();
    void updateStatus();
    void setRunning(bool running);

    core::BackpropDebugger* m_debugger = nullptr;
    std::unique_ptr<core::BackpropDebugger> m_ownedDebugger;
    int m_selected = -1;
    bool m_followPhase = true;

    QAction* m_stepAction;
    QAction* m_finishAction;
    QAction* m_backAction;
    QAction* m_epochAction;
    PhaseStrip* m_strip;
    QLabel* m_phaseTitle;
    QLabel* m_explanation;
    QLabel* m_status;
    QListWidget* m_layers;
    QTabWidget* m_tabs;
    std::vector<TensorPanel*> m_panels;
    NetworkGraphView* m_graph;
    QTimer* m_runTimer;
    int m_targetEpoch = -1;
};

}  // namespace layerlens::ui
