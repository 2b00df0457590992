#pragma once
// ActivationGallery: every layer's output for one input, one row per layer from the input down:
// the name, type and shape, then the feature maps as tiles (or a vector as a small map). Rows
// are clickable and the selected layer's row is highlighted and scrolled into view.

#include <QScrollArea>

#include <vector>

#include "core/tensor.h"

class QFrame;
class QVBoxLayout;

namespace layerlens::ui {

class TensorTilesWidget;

class ActivationGallery : public QScrollArea {
    Q_OBJECT
public:
    explicit ActivationGallery(QWidget* parent = nullptr);

    static constexpr int kMaxTiles = 32;   // channels shown per layer
    static constexpr int kMaxTileSide = 96;  // larger maps are sampled down for display

    // titles[i] describes layer i; outputs[i] is its output (batch of one first), empty to skip.
    void setActivations(const std::vector<QString>& titles, const std::vector<core::Tensor>& outputs);
    void clear();
    void setSelectedLayer(int layer);
    int selectedLayer() const { return m_selected; }
    int rowCount() const;                  // layers with a row
    TensorTilesWidget* tilesFor(int layer) const;  // nullptr when the layer has no row

signals:
    void layerClicked(int layer);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void styleRow(int layer, bool selected);

    QWidget* m_content;
    QVBoxLayout* m_rows;
    std::vector<QFrame*> m_frames;  // per layer, nullptr when skipped
    std::vector<TensorTilesWidget*> m_tiles;
    int m_selected = -1;
};

}  // namespace layerlens::ui
