#pragma once
// HeatmapWidget: a 2-D float array drawn through a ColorMap, one crisp block per value
// (nearest-neighbour scaling, so a 5x5 map stays 25 sharp cells on a high-DPI screen).
// Hovering shows the value under the cursor; a click emits clicked().

#include "ui/widgets/color_map.h"

#include <QImage>
#include <QWidget>
#include <vector>

namespace layerlens::ui {

class HeatmapWidget : public QWidget {
    Q_OBJECT
public:
    explicit HeatmapWidget(QWidget* parent = nullptr);

    // values: height rows of width values (row-major). The range is taken from the data unless
    // setRange() fixed it; a diverging map then uses a range symmetric around zero.
    void setData(int width, int height, const float* values);
    void setData(int width, int height, std::vector<float> values);
    // Shows an RGB picture instead of mapped values (RGB filters, input images); hovering still
    // reports the values given (may be empty).
    void setImage(const QImage& image, int width, int height, std::vector<float> values = {});
    void clear();

    void setColorMap(ColorMap::Kind kind);
    ColorMap::Kind colorMapKind() const { return m_kind; }
    void setRange(float min, float max); // fixed range (shared by the tiles of one layer)
    void setAutoRange();
    float rangeMin() const { return m_min; }
    float rangeMax() const { return m_max; }

    void setCaption(const QString& caption); // drawn under the map
    QString caption() const { return m_caption; }
    void setShowLegend(bool show);
    void setSelected(bool selected); // accent frame
    bool isSelected() const { return m_selected; }
    void setCellSize(int pixels); // preferred size of one value in the size hint
    void setMaximumHintSize(int pixels);

    int dataWidth() const { return m_width; }
    int dataHeight() const { return m_height; }
    const std::vector<float>& values() const { return m_values; }
    float valueAt(int x, int y) const;
    QImage mappedImage() const { return m_image; }

    // Layout in widget coordinates: where the map is drawn, and which data cell a point hits
    // ((-1, -1) when outside).
    QRect mapRect() const;
    QPoint cellAt(const QPoint& position) const;
    QString hoverText() const { return m_hoverText; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void clicked();
    void hovered(int x, int y, float value);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    void rebuildImage();
    int captionHeight() const;
    int legendHeight() const;

    int m_width = 0, m_height = 0;
    std::vector<float> m_values;
    QImage m_image;
    bool m_rgbImage = false;
    ColorMap::Kind m_kind = ColorMap::Kind::Viridis;
    bool m_fixedRange = false;
    float m_min = 0, m_max = 1;
    QString m_caption;
    bool m_showLegend = false;
    bool m_selected = false;
    bool m_pressed = false;
    int m_cellSize = 4;
    int m_maxHint = 160;
    QString m_hoverText;
    QPoint m_hoverCell { -1, -1 };
};

} // namespace layerlens::ui
