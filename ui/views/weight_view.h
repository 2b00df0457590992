#pragma once
// WeightView: the learned parameters. The first convolution's filters as small pictures (RGB
// when they see 3 input channels, else diverging heatmaps), any layer's weights as one heatmap,
// and a statistics table of every parameter. Full weights exist only for layers the trainer was
// asked to capture; for others a hint is shown and requestFullTensors(layer) asks for them.

#include "core/train/snapshot.h"

#include <QImage>
#include <QString>
#include <QWidget>
#include <set>
#include <vector>

class QComboBox;
class QGridLayout;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace layerlens::ui {

class HeatmapWidget;

class WeightView : public QWidget {
    Q_OBJECT
public:
    explicit WeightView(QWidget* parent = nullptr);

    QImage renderImage();
    bool exportSvg(const QString& path);

    int selectedLayer() const { return m_layer; }
    void setSelectedLayer(int layer);
    int selectedParameter() const { return m_parameter; }
    void setSelectedParameter(int parameter);

    // Introspection (tests).
    bool isHintVisible() const;
    QString hintText() const;
    int filterTileCount() const { return static_cast<int>(m_filterTiles.size()); }
    HeatmapWidget* filterTile(int index) const;
    HeatmapWidget* weightMap() const { return m_weightMap; }
    QTableWidget* statisticsTable() const { return m_table; }

public slots:
    void showSnapshot(const layerlens::core::SnapshotPtr& snapshot);
    void clear();

signals:
    // Full weights of `layer` are needed but not captured; the main window forwards this to
    // the trainer (CaptureSettings::fullTensorLayers).
    void requestFullTensors(int layer);

private:
    void updateLayerCombo();
    void updateParameterCombo();
    void updateFilters();
    void updateWeightMap();
    void updateTable();
    int firstConvLayer() const;

    core::SnapshotPtr m_snapshot;
    int m_layer = -1;
    int m_parameter = 0;
    std::set<int> m_requested; // layers already asked for, so we do not repeat every frame
    bool m_updatingCombos = false;

    QLabel* m_filtersTitle = nullptr;
    QLabel* m_filtersHint = nullptr;
    QSpinBox* m_inputChannel = nullptr;
    QLabel* m_inputChannelLabel = nullptr;
    QWidget* m_filterHost = nullptr;
    QGridLayout* m_filterGrid = nullptr;
    std::vector<HeatmapWidget*> m_filterTiles;

    QComboBox* m_layerCombo = nullptr;
    QComboBox* m_parameterCombo = nullptr;
    HeatmapWidget* m_weightMap = nullptr;
    QLabel* m_hint = nullptr;
    QPushButton* m_captureButton = nullptr;
    QLabel* m_mapInfo = nullptr;
    QTableWidget* m_table = nullptr;
};

} // namespace layerlens::ui
