#pragma once
// NetworkGraphView: a small dense network drawn neuron by neuron — every neuron a circle with
// its value for one sample, every weight a line whose thickness and colour show its magnitude
// and sign. During the backward phase the gradients light up layer by layer as they arrive
// (orange rings carry dL/da; the lines switch to the weight gradients). Clicking a weight shows
// its chain rule with the actual numbers (core::explainDenseWeight).
//
// Works for flat-input networks of Dense layers (with Activation/Softmax/Dropout between them)
// and at most kMaxNeurons neurons; other models get a short note instead.

#include <QWidget>
#include <functional>
#include <memory>

#include "core/model/model.h"
#include "core/train/snapshot.h"

class QGraphicsScene;
class QGraphicsView;
class QLabel;
class QSpinBox;
class QCheckBox;
class QTextBrowser;

namespace layerlens::core {
class BackpropDebugger;
}

namespace layerlens::ui {

class NetworkGraphView : public QWidget {
    Q_OBJECT
public:
    explicit NetworkGraphView(QWidget* parent = nullptr);
    ~NetworkGraphView() override;

    static constexpr int kMaxNeurons = 96;

    // Shows the debugger's model and follows its phase (which values are this batch's). Not owned.
    void setDebugger(const core::BackpropDebugger* debugger);
    // Shows a model whose outputs and gradients are all current (after a full forward/backward).
    void setModel(const core::Model* model);
    // Re-reads values (call after each step); rebuilds the drawing when the architecture changed.
    void refresh();

    bool isSupported() const { return m_supported; }
    int neuronItemCount() const;
    int weightItemCount() const;
    // A point on weight (layer, unit j, input i) in canvasViewport() coordinates, for tests and tours.
    QPoint weightPosition(int layer, int unit, int input) const;
    QWidget* canvasViewport() const;
    QString chainRuleText() const;
    int sample() const;
    void setSample(int sample);

    // Selects a weight as if clicked: shows its chain rule.
    void selectWeight(int layer, int unit, int input);

signals:
    void weightClicked(int layer, int unit, int input);

private:
    struct Column;
    class Canvas;
    void rebuild();
    void updateValues();
    bool outputReady(int layer) const;
    bool outputGradientReady(int layer) const;
    bool parameterGradientReady(int layer) const;
    const core::Model* model() const;
    void showChainRule(int layer, int unit, int input);

    const core::BackpropDebugger* m_debugger = nullptr;
    const core::Model* m_model = nullptr;
    std::vector<Column> m_columns;
    std::string m_signature;  // architecture the scene was built for
    bool m_supported = false;
    int m_selectedLayer = -1, m_selectedUnit = -1, m_selectedInput = -1;

    QGraphicsScene* m_scene;
    Canvas* m_canvas;
    QLabel* m_note;
    QSpinBox* m_sample;
    QCheckBox* m_showGradients;
    QLabel* m_legend;
    QTextBrowser* m_chainRule;
};

}  // namespace layerlens::ui
