#pragma once
// TensorTilesWidget: draws one or more 2-D tiles of values as a diverging heatmap (blue for
// negative, white for zero, red for positive, on one scale for all tiles), e.g. the channels
// of a feature map or the rows x columns of a Dense kernel.

#include <QString>
#include <QWidget>
#include <vector>

namespace layerlens::ui {

struct ValueTile {
    int rows = 0, cols = 0;
    std::vector<float> values;  // rows * cols, row-major
    QString label;              // drawn under the tile when there are several
};

class TensorTilesWidget : public QWidget {
    Q_OBJECT
public:
    explicit TensorTilesWidget(QWidget* parent = nullptr);

    void setTiles(std::vector<ValueTile> tiles);
    const std::vector<ValueTile>& tiles() const { return m_tiles; }
    float scale() const { return m_maxAbs; }  // |value| that gets the full colour

    // The diverging colour of v on a scale where |v| = maxAbs is full strength.
    static QColor colorFor(float v, float maxAbs);
    // The sequential colour of v in [low, high] (white to dark red).
    static QColor sequentialColorFor(float v, float low, float high);

    QSize sizeHint() const override { return {260, 160}; }
    QSize minimumSizeHint() const override { return {80, 48}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    std::vector<ValueTile> m_tiles;
    float m_maxAbs = 1.0f;
    // All values >= 0 (images, ReLU outputs): a sequential scale from the smallest to the largest
    // value shows more than a diverging one whose white would sit outside the data.
    bool m_sequential = false;
    float m_min = 0.0f;
};

}  // namespace layerlens::ui
