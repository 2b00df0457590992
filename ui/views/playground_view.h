#pragma once
// PlaygroundView: for 2-D datasets, the plane as the network sees it (like TensorFlow
// Playground): the decision regions coloured by predicted class with lightness by confidence,
// the training points on top, and every hidden neuron's output over the same plane, by layer.

#include <vector>

#include <QImage>
#include <QString>
#include <QWidget>

#include "core/train/snapshot.h"

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
    static constexpr int kMaxNeuronsPerLayer = 16;  // thumbnails per layer ("small networks")

    explicit PlaygroundView(QWidget* parent = nullptr);

    QImage renderImage();
    bool exportSvg(const QString& path);

    // Introspection (tests).
    bool isHintVisible() const;
    QString hintText() const;
    DecisionPlaneWidget* plane() const { return m_plane; }
    // Centre of grid cell (gx, gy) (gy = 0 is the lowest row, minimum y) in this view's coordinates.
    QPoint gridCellCenter(int gx, int gy) const;
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
    std::vector<std::vector<HeatmapWidget*>> m_neuronTiles;  // per shown layer
    std::vector<QLabel*> m_neuronHeaders;
    QString m_neuronSignature;
};

}  // namespace layerlens::ui
