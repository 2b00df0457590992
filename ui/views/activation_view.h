#pragma once
// ActivationView: what every layer outputs for one probe input. Convolution outputs appear as a
// grid of feature maps, vector outputs as a strip of cells, the last layer as probability bars
// (after a softmax) or logit bars. In layer-step mode the layer just computed is highlighted and,
// on the way back, its output gradient (first batch sample) is shown too.
//
// Image files dropped on the view (or picked with "Probe image…") are offered as probe inputs:
// the view only asks (probeFilesDropped, probeImageRequested); the main window reads the files
// and gives them to the trainer, and the next snapshot shows them with their file names.

#include "core/train/snapshot.h"

#include <QImage>
#include <QString>
#include <QStringList>
#include <QWidget>
#include <vector>

class QComboBox;
class QPushButton;
class QFrame;
class QGridLayout;
class QLabel;
class QScrollArea;
class QVBoxLayout;

namespace layerlens::ui {

class HeatmapWidget;
class ProbabilityBars;

class ActivationView : public QWidget {
    Q_OBJECT
public:
    explicit ActivationView(QWidget* parent = nullptr);

    QImage renderImage();
    bool exportSvg(const QString& path);

    int currentProbe() const { return m_probe; }
    void setCurrentProbe(int probe);

    // Introspection (tests, main window status).
    int layerCount() const { return static_cast<int>(m_rows.size()); }
    int tileCount(int layer) const; // feature-map tiles of a layer (0 for vector layers)
    HeatmapWidget* tile(int layer, int index) const;
    int gradientTileCount(int layer) const; // gradient maps shown in backward step mode
    HeatmapWidget* gradientTile(int layer, int index) const;
    HeatmapWidget* strip(int layer) const; // vector layers: the strip of cells (else null)
    ProbabilityBars* outputBars() const; // last layer: probabilities or logits
    int highlightedLayer() const { return m_highlighted; }
    bool isEnlarged() const;
    HeatmapWidget* enlargedMap() const { return m_bigMap; }
    QString enlargedValueText() const;

public slots:
    void showSnapshot(const layerlens::core::SnapshotPtr& snapshot);
    void clear();
    // Shows one map large in the side panel (gradient: the gradient map instead of the activation).
    void enlarge(int layer, int channel, bool gradient = false);
    void closeEnlarged();

signals:
    void probeChanged(int probe);
    void probeFilesDropped(const QStringList& paths);  // local files dropped on the view
    void probeImageRequested();                         // "Probe image…": pick a file
    void datasetProbesRequested();                      // back to the dataset's probes

private:
    struct LayerRow {
        QFrame* frame = nullptr;
        QLabel* header = nullptr;
        QLabel* legend = nullptr;
        QGridLayout* grid = nullptr;
        QLabel* gradientHeader = nullptr;
        QLabel* gradientLegend = nullptr;
        QGridLayout* gradientGrid = nullptr;
        std::vector<HeatmapWidget*> tiles;
        std::vector<HeatmapWidget*> gradientTiles;
        HeatmapWidget* strip = nullptr;
        HeatmapWidget* gradientStrip = nullptr;
        ProbabilityBars* bars = nullptr;
        QString signature; // layer name + shape: rows are rebuilt only when it changes
        int columns = 0; // tiles per grid row at the current width
    };

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void rebuildProbeSelector();
    void rebuildRows();
    void updateRow(int index);
    void updateHighlight();
    void refreshEnlarged();
    int tileColumns(const std::vector<HeatmapWidget*>& tiles) const;
    void relayoutTiles();
    void fillTiles(LayerRow& row, int layer, std::vector<HeatmapWidget*>& tiles, QGridLayout* grid, const float* source,
        int channels, int height, int width, bool gradient);
    bool isProbabilityLayer(int layer) const;

    core::SnapshotPtr m_snapshot;
    int m_probe = 0;
    int m_highlighted = -1;
    int m_bigLayer = -1, m_bigChannel = -1;
    bool m_bigGradient = false;

    QLabel* m_title = nullptr;
    QLabel* m_status = nullptr;
    QComboBox* m_probeCombo = nullptr;
    QLabel* m_probeImage = nullptr;
    QPushButton* m_probeFileButton = nullptr;
    QPushButton* m_datasetProbesButton = nullptr;
    QScrollArea* m_scroll = nullptr;
    QWidget* m_rowsHost = nullptr;
    QVBoxLayout* m_rowsLayout = nullptr;
    QLabel* m_emptyHint = nullptr;
    std::vector<LayerRow> m_rows;

    QFrame* m_sidePanel = nullptr;
    QLabel* m_bigTitle = nullptr;
    HeatmapWidget* m_bigMap = nullptr;
    QLabel* m_bigValue = nullptr;
};

} // namespace layerlens::ui
