#pragma once
// PlaygroundView: for 2-D datasets, the plane as the network sees it (like TensorFlow
// Playground): the decision regions coloured by predicted class with lightness by confidence,
// the training points on top, and every hidden neuron's output over the same plane, by layer.

#include "core/train/snapshot.h"

#include <QImage>
#include <QString>
#include <QWidget>
#include <vector>

class QGridLayout;
class QLabel;
class QScrollArea;
class QStackedWidget;

namespace layerlens::ui {

class DecisionPlaneWidget;
class HeatmapWidget;

class PlaygroundView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMaxNeuronsPerLayer = 16; // thumbnails per layer ("small networks")

    explicit PlaygroundView(QWidget* parent = nullptr);

    QImage renderImage();
    bool exportSvg(const QString& path);

    // Introspection (tests).
    bool isHintVisible() const;
    QString hintText() const;
    DecisionPlaneWidget* plane() const { return m_plane; }
    // Centre of grid cell (column, row) in this view's coordinates; row 0 is the top (maximum y),
    // as the trainer lays out the grid.
    QPoint gridCellCenter(int column, int row) const;
    // A point of the input plane in this view's coordinates.
    QPoint planeToView(double x, double y) const;
    int neuronThumbnailCount() const;

public slots:
    void showSnapshot(const layerlens::core::SnapshotPtr& snapshot);
    void clear();

private:
    void updateNeurons();

    core::SnapshotPtr m_snapshot;
    QStackedWidget* m_stack = nullptr;
    QLabel* m_hint = nullptr;
    QLabel* m_title = nullptr;
    DecisionPlaneWidget* m_plane = nullptr;
    QScrollArea* m_neuronScroll = nullptr;
    QWidget* m_neuronHost = nullptr;
    QGridLayout* m_neuronGrid = nullptr;
    std::vector<std::vector<HeatmapWidget*>> m_neuronTiles; // per shown layer
    std::vector<QLabel*> m_neuronHeaders;
    QString m_neuronSignature;
};

} // namespace layerlens::ui
