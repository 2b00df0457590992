#include "ui/models/layer_list_model.h"

#include <QApplication>
#include <QFont>
#include <QIODevice>
#include <QMimeData>
#include <QStyle>

#include <algorithm>
#include <exception>

#include "core/model/layer_factory.h"
#include "ui/theme.h"

namespace layerlens::ui {

namespace {

QString valueText(const nlohmann::json& v)
{
    if (v.is_string())
        return QString::fromStdString(v.get<std::string>());
    if (v.is_boolean())
        return v.get<bool>() ? QStringLiteral("yes") : QStringLiteral("no");
    if (v.is_array()) {
        QStringList parts;
        for (const auto& e : v)
            parts << valueText(e);
        return parts.join(QLatin1Char('x'));
    }
    if (v.is_number_float())
        return QString::number(v.get<double>(), 'g', 4);
    return QString::fromStdString(v.dump());
}

// Compact settings text for the table: "16 filters, 3x3, same, relu".
QString settingsText(const nlohmann::json& config)
{
    QStringList parts;
    auto has = [&](const char* k) { return config.contains(k); };
    if (has("units"))
        parts << QStringLiteral("%1 units").arg(valueText(config["units"]));
    if (has("filters"))
        parts << QStringLiteral("%1 filters").arg(valueText(config["filters"]));
    if (has("kernel_size")) {
        const auto& k = config["kernel_size"];
        parts << (k.is_number() ? QStringLiteral("%1x%1").arg(valueText(k)) : valueText(k));
    }
    if (has("pool_size")) {
        const auto& k = config["pool_size"];
        parts << (k.is_number() ? QStringLiteral("%1x%1").arg(valueText(k)) : valueText(k));
    }
    if (has("strides") && config["strides"] != 1 && config["strides"] != config.value("pool_size", nlohmann::json()))
        parts << QStringLiteral("stride %1").arg(valueText(config["strides"]));
    if (has("padding") && (has("filters") || config["padding"] != "valid"))
        parts << valueText(config["padding"]);
    if (has("rate"))
        parts << QStringLiteral("rate %1").arg(valueText(config["rate"]));
    if (has("target_shape"))
        parts << QStringLiteral("to %1").arg(valueText(config["target_shape"]));
    if (has("activation") && config["activation"] != "linear")
        parts << valueText(config["activation"]);
    if (config.value("trainable", true) == false)
        parts << QStringLiteral("frozen");
    return parts.join(QStringLiteral(", "));
}

}  // namespace

LayerListModel::LayerListModel(QObject* parent) : QAbstractTableModel(parent) {}

void LayerListModel::setDescription(const nlohmann::json& description)
{
    beginResetModel();
    m_inputShape.clear();
    m_layers.clear();
    if (description.is_object()) {
        if (description.contains("input_shape") && description["input_shape"].is_array())
            for (const auto& d : description["input_shape"])
                if (d.is_number_integer())
                    m_inputShape.push_back(d.get<int>());
        if (description.contains("layers") && description["layers"].is_array())
            for (const auto& layer : description["layers"])
                m_layers.push_back(layer);
    }
    recheck();
    endResetModel();
    emit descriptionChanged();
}

nlohmann::json LayerListModel::description() const
{
    nlohmann::json layers = nlohmann::json::array();
    for (const auto& l : m_layers)
        layers.push_back(l);
    return {{"input_shape", m_inputShape}, {"layers", layers}};
}

void LayerListModel::setInputShape(const core::Shape& shape)
{
    if (shape == m_inputShape)
        return;
    m_inputShape = shape;
    recheck();
    if (!m_layers.empty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    emit descriptionChanged();
}

void LayerListModel::insertLayer(int row, const nlohmann::json& config)
{
    row = std::clamp(row, 0, layerCount());
    beginInsertRows({}, row, row);
    m_layers.insert(m_layers.begin() + row, config);
    recheck();
    endInsertRows();
    if (row + 1 < rowCount())
        emit dataChanged(index(row + 1, 0), index(rowCount() - 1, ColumnCount - 1));
    emit descriptionChanged();
}

nlohmann::json LayerListModel::removeLayer(int row)
{
    beginRemoveRows({}, row, row);
    nlohmann::json config = m_layers[static_cast<std::size_t>(row)];
    m_layers.erase(m_layers.begin() + row);
    recheck();
    endRemoveRows();
    if (row < rowCount())
        emit dataChanged(index(row, 0), index(rowCount() - 1, ColumnCount - 1));
    emit descriptionChanged();
    return config;
}

void LayerListModel::moveLayer(int from, int to)
{
    if (from == to || from < 0 || to < 0 || from >= layerCount() || to >= layerCount())
        return;
    // beginMoveRows wants the destination as the row *before which* the item is inserted,
    // counted before removal.
    const int destination = to > from ? to + 1 : to;
    beginMoveRows({}, from, from, {}, destination);
    nlohmann::json config = std::move(m_layers[static_cast<std::size_t>(from)]);
    m_layers.erase(m_layers.begin() + from);
    m_layers.insert(m_layers.begin() + to, std::move(config));
    recheck();
    endMoveRows();
    emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    emit descriptionChanged();
}

void LayerListModel::setLayerConfig(int row, const nlohmann::json& config)
{
    m_layers[static_cast<std::size_t>(row)] = config;
    recheck();
    emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    emit descriptionChanged();
}

QString LayerListModel::errorAt(int row) const
{
    if (row < 0 || row >= static_cast<int>(m_checks.size()))
        return {};
    return m_checks[static_cast<std::size_t>(row)].error;
}

int LayerListModel::firstErrorRow() const
{
    for (std::size_t i = 0; i < m_checks.size(); ++i)
        if (!m_checks[i].error.isEmpty())
            return static_cast<int>(i);
    return -1;
}

QString LayerListModel::outputShapeText() const
{
    if (m_checks.empty() || firstErrorRow() >= 0)
        return {};
    return m_checks.back().shape;
}

std::size_t LayerListModel::totalParameters() const
{
    std::size_t total = 0;
    for (const auto& c : m_checks)
        total += c.parameters;
    return total;
}

QString LayerListModel::shapeText(const core::Shape& shape)
{
    QStringList parts;
    for (int d : shape)
        parts << QString::number(d);
    return parts.join(QStringLiteral(" × "));
}

nlohmann::json LayerListModel::defaultConfig(const QString& type)
{
    const std::string t = type.toStdString();
    nlohmann::json config = {{"type", t}};
    if (t == "Conv2D")
        config.update({{"filters", 16}, {"kernel_size", 3}, {"strides", 1}, {"padding", "same"}, {"activation", "relu"}});
    else if (t == "Dense")
        config.update({{"units", 64}, {"activation", "relu"}});
    else if (t == "MaxPool2D" || t == "AvgPool2D")
        config.update({{"pool_size", 2}, {"strides", 2}, {"padding", "valid"}});
    else if (t == "Dropout")
        config.update({{"rate", 0.25}});
    else if (t == "BatchNorm")
        config.update({{"momentum", 0.99}, {"epsilon", 0.001}});
    else if (t == "Activation")
        config.update({{"activation", "relu"}});
    else if (t == "Reshape")
        config.update({{"target_shape", {1, 28, 28}}});
    // Fill in what the layer itself considers its settings (strides, dilation, use_bias, ...).
    try {
        const auto layers = core::createLayers(config);
        if (!layers.empty()) {
            nlohmann::json full = layers.front()->config();
            for (auto it = full.begin(); it != full.end(); ++it)
                if (!config.contains(it.key()) && it.key() != "name")
                    config[it.key()] = it.value();
        }
    } catch (const std::exception&) {
        // Unknown to the factory: keep the defaults above; the shape check will say what is wrong.
    }
    return config;
}

void LayerListModel::recheck()
{
    m_checks.assign(m_layers.size(), RowCheck());
    core::Model model;
    model.setInputShape(m_inputShape);
    std::vector<std::pair<int, int>> ranges;  // row -> [first, end) in the expanded model
    std::size_t checkedRows = m_layers.size();
    for (std::size_t row = 0; row < m_layers.size(); ++row) {
        m_checks[row].settings = settingsText(m_layers[row]);
        try {
            auto layers = core::createLayers(m_layers[row]);
            const int first = model.layerCount();
            for (auto& l : layers)
                model.add(std::move(l));
            ranges.emplace_back(first, model.layerCount());
        } catch (const std::exception& e) {
            m_checks[row].error = QString::fromStdString(e.what());
            checkedRows = row;
            break;
        }
    }
    const auto checks = model.checkShapes();
    bool broken = false;
    for (std::size_t row = 0; row < m_layers.size(); ++row) {
        RowCheck& rc = m_checks[row];
        if (broken) {
            rc.broken = true;
            rc.error.clear();
            continue;
        }
        if (row >= checkedRows) {  // the factory rejected this row's settings
            broken = true;
            continue;
        }
        const auto [first, end] = ranges[row];
        for (int i = first; i < end && !broken; ++i) {
            const auto& check = checks[static_cast<std::size_t>(i)];
            if (!check.error.empty()) {
                rc.error = QString::fromStdString(check.error);
                broken = true;
                break;
            }
            const core::Shape& in = i == 0 ? m_inputShape : checks[static_cast<std::size_t>(i - 1)].outputShape;
            core::Layer& layer = model.layer(i);
            const QString key = QString::fromStdString(layer.config().dump()) + QLatin1Char('|') + shapeText(in);
            auto cached = m_parameterCache.constFind(key);
            if (cached == m_parameterCache.constEnd()) {
                qulonglong count = 0;
                try {
                    core::Rng rng(1);
                    layer.build(in, rng);
                    count = layer.parameterCount() + layer.bufferCount();
                } catch (const std::exception&) {
                    count = 0;
                }
                cached = m_parameterCache.insert(key, count);
            }
            rc.parameters += cached.value();
            rc.shape = shapeText(check.outputShape);
        }
        if (end == first && !broken)  // a row that expands to nothing keeps the shape
            rc.shape = row == 0 ? shapeText(m_inputShape) : m_checks[row - 1].shape;
        if (m_inputShape.empty() && rc.error.isEmpty()) {
            rc.error = tr("the model has no input shape");
            broken = true;
        }
    }
    if (m_parameterCache.size() > 4096)  // bound the memory of a long editing session
        m_parameterCache.clear();
}

int LayerListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : layerCount(); }

int LayerListModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant LayerListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= layerCount() || index.column() >= ColumnCount)
        return {};
    const auto row = static_cast<std::size_t>(index.row());
    const nlohmann::json& config = m_layers[row];
    const RowCheck& check = m_checks[row];
    const QString type = QString::fromStdString(config.value("type", std::string("?")));
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case LayerColumn: {
            const QString name = QString::fromStdString(config.value("name", std::string()));
            return name.isEmpty() ? type : QStringLiteral("%1 (%2)").arg(name, type);
        }
        case SettingsColumn: return check.settings;
        case ShapeColumn:
            if (!check.error.isEmpty())
                return tr("does not fit");
            return check.broken ? QStringLiteral("—") : check.shape;
        case ParamsColumn:
            return check.broken || !check.error.isEmpty() ? QStringLiteral("—")
                                                          : QString::fromStdString(core::formatThousands(check.parameters));
        }
        break;
    case Qt::ToolTipRole:
        if (!check.error.isEmpty())
            return tr("Layer %1 (%2) does not fit: %3").arg(index.row() + 1).arg(type, check.error);
        if (check.broken)
            return tr("Not checked: an earlier layer does not fit");
        return QStringLiteral("%1: %2 → %3").arg(type, check.settings, check.shape);
    case Qt::BackgroundRole:
        if (!check.error.isEmpty())
            return Theme::errorBackground();
        break;
    case Qt::ForegroundRole:
        if (!check.error.isEmpty())
            return Theme::errorColor();
        if (check.broken)
            return QApplication::palette().color(QPalette::Disabled, QPalette::Text);
        break;
    case Qt::DecorationRole:
        if (index.column() == LayerColumn && !check.error.isEmpty())
            return QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == ParamsColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case ErrorRole: return check.error;
    case TypeRole: return type;
    case BrokenRole: return check.broken;
    default: break;
    }
    return {};
}

QVariant LayerListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    switch (section) {
    case LayerColumn: return tr("Layer");
    case SettingsColumn: return tr("Settings");
    case ShapeColumn: return tr("Output shape");
    case ParamsColumn: return tr("Params");
    default: return {};
    }
}

Qt::ItemFlags LayerListModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::ItemIsDropEnabled;
    return Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemIsDragEnabled;
}

QStringList LayerListModel::mimeTypes() const
{
    return {QString::fromLatin1(kRowMimeType), QString::fromLatin1(kTypeMimeType)};
}

QMimeData* LayerListModel::mimeData(const QModelIndexList& indexes) const
{
    if (indexes.isEmpty())
        return nullptr;
    auto* data = new QMimeData;
    data->setData(QString::fromLatin1(kRowMimeType), QByteArray::number(indexes.first().row()));
    return data;
}

Qt::DropActions LayerListModel::supportedDropActions() const { return Qt::MoveAction | Qt::CopyAction; }

bool LayerListModel::canDropMimeData(const QMimeData* data, Qt::DropAction, int, int, const QModelIndex&) const
{
    return data && (data->hasFormat(QString::fromLatin1(kRowMimeType)) || data->hasFormat(QString::fromLatin1(kTypeMimeType)));
}

bool LayerListModel::dropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                                  const QModelIndex& parent)
{
    if (!canDropMimeData(data, action, row, column, parent))
        return false;
    // Dropped onto an item: insert before it; onto empty space: append.
    int target = row >= 0 ? row : (parent.isValid() ? parent.row() : layerCount());
    if (data->hasFormat(QString::fromLatin1(kTypeMimeType))) {
        emit insertRequested(target, QString::fromUtf8(data->data(QString::fromLatin1(kTypeMimeType))));
        return false;  // applied through the undo stack; nothing for the view to remove
    }
    bool ok = false;
    const int from = data->data(QString::fromLatin1(kRowMimeType)).toInt(&ok);
    if (!ok || from < 0 || from >= layerCount())
        return false;
    if (target > from)
        --target;  // the row leaves its place first
    target = std::clamp(target, 0, layerCount() - 1);
    if (target != from)
        emit moveRequested(from, target);
    return false;  // applied through the undo stack; the view must not remove the source row
}

}  // namespace layerlens::ui
