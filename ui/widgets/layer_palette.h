#pragma once
// LayerPalette: the layer types one can add; items drag into the layer list as a type name.

#include <QListWidget>

namespace layerlens::ui {

class LayerPalette : public QListWidget {
    Q_OBJECT
public:
    explicit LayerPalette(QWidget* parent = nullptr);
    void setTypes(const QStringList& types);
    QString currentType() const;
    bool selectType(const QString& type);

signals:
    void typeActivated(const QString& type);  // double-click or Enter

protected:
    QMimeData* mimeData(const QList<QListWidgetItem*>& items) const override;
    QStringList mimeTypes() const override;
};

}  // namespace layerlens::ui
