#include "ui/widgets/layer_palette.h"

#include <QMimeData>

#include "ui/models/layer_list_model.h"

namespace layerlens::ui {

namespace {

QString toolTipFor(const QString& type)
{
    static const QHash<QString, QString> tips = {
        {QStringLiteral("Conv2D"), QObject::tr("2-D convolution: learns filters that slide over the image")},
        {QStringLiteral("Dense"), QObject::tr("Fully connected: every input feeds every unit")},
        {QStringLiteral("MaxPool2D"), QObject::tr("Keeps the largest value of each window: smaller maps")},
        {QStringLiteral("AvgPool2D"), QObject::tr("Averages each window: smaller maps")},
        {QStringLiteral("GlobalAveragePool"), QObject::tr("Averages each channel to one value")},
        {QStringLiteral("Flatten"), QObject::tr("Turns channels × height × width into one vector")},
        {QStringLiteral("Reshape"), QObject::tr("Reinterprets the values with another shape")},
        {QStringLiteral("Dropout"), QObject::tr("Zeroes a random share of values while training")},
        {QStringLiteral("BatchNorm"), QObject::tr("Normalizes each channel over the batch")},
        {QStringLiteral("Activation"), QObject::tr("An element-wise nonlinearity (ReLU, tanh, ...)")},
        {QStringLiteral("Softmax"), QObject::tr("Turns scores into class probabilities")},
    };
    return tips.value(type, type);
}

}  // namespace

LayerPalette::LayerPalette(QWidget* parent) : QListWidget(parent)
{
    setObjectName(QStringLiteral("layerPalette"));
    setViewMode(QListView::ListMode);
    setFlow(QListView::LeftToRight);
    setWrapping(true);
    setResizeMode(QListView::Adjust);
    setSpacing(2);
    setUniformItemSizes(false);
    setDragEnabled(true);
    setDragDropMode(QAbstractItemView::DragOnly);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    connect(this, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
        emit typeActivated(item->text());
    });
}

void LayerPalette::setTypes(const QStringList& types)
{
    clear();
    for (const QString& type : types) {
        auto* item = new QListWidgetItem(type, this);
        item->setToolTip(toolTipFor(type));
    }
    if (count() > 0)
        setCurrentRow(0);
}

QString LayerPalette::currentType() const
{
    const QListWidgetItem* item = currentItem();
    return item ? item->text() : QString();
}

bool LayerPalette::selectType(const QString& type)
{
    const auto found = findItems(type, Qt::MatchExactly);
    if (found.isEmpty())
        return false;
    setCurrentItem(found.first());
    return true;
}

QStringList LayerPalette::mimeTypes() const { return {QString::fromLatin1(LayerListModel::kTypeMimeType)}; }

QMimeData* LayerPalette::mimeData(const QList<QListWidgetItem*>& items) const
{
    if (items.isEmpty())
        return nullptr;
    auto* mime = new QMimeData;
    mime->setData(QString::fromLatin1(LayerListModel::kTypeMimeType), items.first()->text().toUtf8());
    return mime;
}

}  // namespace layerlens::ui
