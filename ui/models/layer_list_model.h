#pragma once
// LayerListModel: the model being edited, one row per layer as written in the model description
// (a Conv2D with "activation": "relu" is one row although the core expands it into two layers).
// After every change it asks core::Model::checkShapes() which layers fit, and shows each row's
// output shape, parameter count and, for the first layer that does not fit, the reason.
//
// Editing goes through the public methods; the undo commands in ui/undo call them. Drops (a row
// dragged to a new place, a layer type dragged from the palette) are not applied directly but
// reported as requests, so that the view can push them onto the undo stack.

#include <QAbstractTableModel>
#include <QHash>
#include <QString>

#include <vector>

#include <nlohmann/json.hpp>

#include "core/model/model.h"
#include "core/tensor.h"

namespace layerlens::ui {

class LayerListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { LayerColumn, SettingsColumn, ShapeColumn, ParamsColumn, ColumnCount };
    enum Role { ErrorRole = Qt::UserRole + 1, TypeRole, BrokenRole };
    static constexpr const char* kRowMimeType = "application/x-layerlens-layer-row";
    static constexpr const char* kTypeMimeType = "application/x-layerlens-layer-type";

    explicit LayerListModel(QObject* parent = nullptr);

    // Whole description: {"input_shape": [...], "layers": [...]}.
    void setDescription(const nlohmann::json& description);
    nlohmann::json description() const;
    void setInputShape(const core::Shape& shape);
    const core::Shape& inputShape() const { return m_inputShape; }

    int layerCount() const { return static_cast<int>(m_layers.size()); }
    const nlohmann::json& layerConfig(int row) const { return m_layers[static_cast<std::size_t>(row)]; }
    void insertLayer(int row, const nlohmann::json& config);
    nlohmann::json removeLayer(int row);
    void moveLayer(int from, int to);  // `to` is the row the layer ends up in
    void setLayerConfig(int row, const nlohmann::json& config);

    // Shape check results.
    QString errorAt(int row) const;        // the reason this row's layer does not fit (empty if fine)
    int firstErrorRow() const;             // -1 when every layer fits
    QString outputShapeText() const;       // of the last layer, "" when broken
    std::size_t totalParameters() const;

    // A complete configuration for a new layer of this type (defaults filled in).
    static nlohmann::json defaultConfig(const QString& type);
    static QString shapeText(const core::Shape& shape);  // (6, 28, 28) -> "6 × 28 × 28"

    // QAbstractItemModel
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QStringList mimeTypes() const override;
    QMimeData* mimeData(const QModelIndexList& indexes) const override;
    Qt::DropActions supportedDropActions() const override;
    bool canDropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                         const QModelIndex& parent) const override;
    bool dropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                      const QModelIndex& parent) override;

signals:
    void moveRequested(int from, int to);
    void insertRequested(int row, const QString& type);
    void descriptionChanged();  // after any change to the layers or the input shape

private:
    struct RowCheck {
        QString settings;
        QString shape;
        std::size_t parameters = 0;
        QString error;
        bool broken = false;  // after the first error: cannot be checked
    };
    void recheck();

    core::Shape m_inputShape;
    std::vector<nlohmann::json> m_layers;
    std::vector<RowCheck> m_checks;
    QHash<QString, qulonglong> m_parameterCache;  // (config, input shape) -> count: building is costly
};

}  // namespace layerlens::ui
