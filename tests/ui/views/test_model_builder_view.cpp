// The model builder driven the way a person uses it: mouse clicks on the palette, the layer
// list and the buttons, keys in the list and in the settings form.

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QMimeData>
#include <QSignalSpy>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QTest>
#include <QToolButton>
#include <QUndoStack>

#include "ui/models/layer_list_model.h"
#include "ui/theme.h"
#include "ui/views/model_builder_view.h"
#include "ui/widgets/layer_palette.h"
#include "ui/widgets/layer_settings_form.h"

using namespace layerlens;
using ui::LayerListModel;
using ui::ModelBuilderView;

class TestModelBuilderView : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<ModelBuilderView> m_view;

    LayerListModel* model() const { return m_view->layerModel(); }
    QString typeAt(int row) const { return model()->data(model()->index(row, 0), LayerListModel::TypeRole).toString(); }
    QPushButton* button(const char* name) const { return m_view->findChild<QPushButton*>(QString::fromLatin1(name)); }
    QToolButton* toolButton(const char* name) const { return m_view->findChild<QToolButton*>(QString::fromLatin1(name)); }

    void clickPalette(const QString& type)
    {
        ui::LayerPalette* palette = m_view->palette();
        const auto items = palette->findItems(type, Qt::MatchExactly);
        QVERIFY2(!items.isEmpty(), qPrintable(type));
        const QRect rect = palette->visualItemRect(items.first());
        QTest::mouseClick(palette->viewport(), Qt::LeftButton, {}, rect.center());
        QCOMPARE(palette->currentType(), type);
    }

    void clickRow(int row)
    {
        QTableView* table = m_view->layerTable();
        const QRect rect = table->visualRect(model()->index(row, LayerListModel::SettingsColumn));
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, rect.center());
        QCOMPARE(m_view->currentRow(), row);
    }

    void addViaClicks(const QString& type)
    {
        clickPalette(type);
        QTest::mouseClick(button("addButton"), Qt::LeftButton);
    }

private slots:
    void init()
    {
        m_view = std::make_unique<ModelBuilderView>();
        m_view->resize(520, 760);
        m_view->setInputShape({1, 28, 28});
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    }

    void cleanup() { m_view.reset(); }

    void itemModelIsConsistent()
    {
        QAbstractItemModelTester tester(model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        addViaClicks(QStringLiteral("Flatten"));
        addViaClicks(QStringLiteral("Dense"));
        clickRow(0);
        QTest::mouseClick(button("downButton"), Qt::LeftButton);
        QTest::mouseClick(button("removeButton"), Qt::LeftButton);
        QTest::mouseClick(toolButton("undoButton"), Qt::LeftButton);
        QCOMPARE(model()->rowCount(), 2);
    }

    void addRemoveReorderUndoRedo()
    {
        QSignalSpy changed(m_view.get(), &ModelBuilderView::modelChanged);
        addViaClicks(QStringLiteral("Flatten"));
        addViaClicks(QStringLiteral("Dense"));
        addViaClicks(QStringLiteral("Dropout"));
        QCOMPARE(model()->rowCount(), 3);
        QCOMPARE(typeAt(0), QStringLiteral("Flatten"));
        QCOMPARE(typeAt(1), QStringLiteral("Dense"));
        QCOMPARE(typeAt(2), QStringLiteral("Dropout"));
        QVERIFY(changed.count() >= 3);
        // Shapes and parameters come from the core's shape inference.
        QCOMPARE(model()->data(model()->index(0, LayerListModel::ShapeColumn)).toString(), QStringLiteral("784"));
        QCOMPARE(model()->data(model()->index(1, LayerListModel::ShapeColumn)).toString(), QStringLiteral("64"));
        QCOMPARE(model()->data(model()->index(1, LayerListModel::ParamsColumn)).toString(), QStringLiteral("50,240"));
        QCOMPARE(model()->firstErrorRow(), -1);

        // Reorder: Dropout up above Dense.
        clickRow(2);
        QTest::mouseClick(button("upButton"), Qt::LeftButton);
        QCOMPARE(typeAt(1), QStringLiteral("Dropout"));
        QCOMPARE(typeAt(2), QStringLiteral("Dense"));
        QCOMPARE(m_view->currentRow(), 1);

        // Remove with the Delete key in the list.
        clickRow(1);
        QTest::keyClick(m_view->layerTable(), Qt::Key_Delete);
        QCOMPARE(model()->rowCount(), 2);
        QCOMPARE(typeAt(1), QStringLiteral("Dense"));

        // Undo the removal, then the move; redo both.
        QTest::mouseClick(toolButton("undoButton"), Qt::LeftButton);
        QCOMPARE(model()->rowCount(), 3);
        QCOMPARE(typeAt(1), QStringLiteral("Dropout"));
        QTest::mouseClick(toolButton("undoButton"), Qt::LeftButton);
        QCOMPARE(typeAt(1), QStringLiteral("Dense"));
        QCOMPARE(typeAt(2), QStringLiteral("Dropout"));
        QTest::mouseClick(toolButton("redoButton"), Qt::LeftButton);
        QTest::mouseClick(toolButton("redoButton"), Qt::LeftButton);
        QCOMPARE(model()->rowCount(), 2);
        QCOMPARE(typeAt(0), QStringLiteral("Flatten"));
        QCOMPARE(typeAt(1), QStringLiteral("Dense"));
        QVERIFY(!toolButton("redoButton")->isEnabled());

        // Undo all the way back to the empty model.
        while (m_view->undoStack()->canUndo())
            QTest::mouseClick(toolButton("undoButton"), Qt::LeftButton);
        QCOMPARE(model()->rowCount(), 0);
        QVERIFY(!toolButton("undoButton")->isEnabled());
    }

    void denseBeforeFlattenIsFlagged()
    {
        addViaClicks(QStringLiteral("Dense"));
        addViaClicks(QStringLiteral("Flatten"));
        QCOMPARE(model()->firstErrorRow(), 0);
        const QModelIndex bad = model()->index(0, LayerListModel::LayerColumn);
        QVERIFY(model()->data(bad, LayerListModel::ErrorRole).toString().contains(QStringLiteral("Flatten")));
        QCOMPARE(model()->data(bad, Qt::BackgroundRole).value<QColor>(), ui::Theme::errorBackground());
        QVERIFY(model()->data(bad, Qt::ToolTipRole).toString().contains(QStringLiteral("does not fit")));
        QCOMPARE(model()->data(model()->index(0, LayerListModel::ShapeColumn)).toString(), QStringLiteral("does not fit"));
        // The layer after it cannot be checked and says so, without being the one in red.
        QVERIFY(model()->data(model()->index(1, 0), LayerListModel::BrokenRole).toBool());
        QVERIFY(!model()->data(model()->index(1, 0), Qt::BackgroundRole).isValid());
        auto* status = m_view->findChild<QLabel*>(QStringLiteral("builderStatus"));
        QVERIFY(status->text().contains(QStringLiteral("Layer 1 (Dense) does not fit")));

        // Fix it by moving Flatten first: the error goes away.
        clickRow(1);
        QTest::mouseClick(button("upButton"), Qt::LeftButton);
        QCOMPARE(model()->firstErrorRow(), -1);
        QVERIFY(!status->text().contains(QStringLiteral("does not fit")));
    }

    void kernelBiggerThanInputIsFlaggedFromTheForm()
    {
        m_view->setInputShape({1, 4, 4});
        addViaClicks(QStringLiteral("Conv2D"));
        QCOMPARE(model()->firstErrorRow(), -1);  // 3x3 'same' fits a 4x4 input

        // Padding valid and kernel 5, typed into the generated form.
        auto* padding = qobject_cast<QComboBox*>(m_view->settingsForm()->editorFor(QStringLiteral("padding")));
        QVERIFY(padding);
        padding->setFocus();
        QTest::keyClick(padding, Qt::Key_Up);  // same -> valid
        QVERIFY(model()->layerConfig(0)["padding"] == "valid");
        auto* kernel = qobject_cast<QSpinBox*>(m_view->settingsForm()->editorFor(QStringLiteral("kernel_size")));
        QVERIFY(kernel);
        kernel->setFocus();
        kernel->selectAll();
        QTest::keyClicks(kernel, QStringLiteral("5"));
        QTest::keyClick(kernel, Qt::Key_Return);
        QVERIFY(model()->layerConfig(0)["kernel_size"] == 5);
        QCOMPARE(model()->firstErrorRow(), 0);
        QVERIFY(!model()->errorAt(0).isEmpty());
        QCOMPARE(model()->data(model()->index(0, 0), Qt::BackgroundRole).value<QColor>(), ui::Theme::errorBackground());

        // One undo step per setting change: undo the kernel, the error is gone.
        QTest::mouseClick(toolButton("undoButton"), Qt::LeftButton);
        QVERIFY(model()->layerConfig(0)["kernel_size"] == 3);
        QCOMPARE(model()->firstErrorRow(), -1);
    }

    void dropsBecomeUndoableCommands()
    {
        addViaClicks(QStringLiteral("Flatten"));
        addViaClicks(QStringLiteral("Dense"));
        // A row dragged onto the end of the list.
        QMimeData* drag = model()->mimeData({model()->index(0, 0)});
        QVERIFY(!model()->dropMimeData(drag, Qt::MoveAction, 2, 0, {}));  // applied via the undo stack
        delete drag;
        QCOMPARE(typeAt(0), QStringLiteral("Dense"));
        QCOMPARE(typeAt(1), QStringLiteral("Flatten"));
        // A type dragged from the palette onto the first row.
        QMimeData type;
        type.setData(QString::fromLatin1(LayerListModel::kTypeMimeType), "BatchNorm");
        model()->dropMimeData(&type, Qt::CopyAction, -1, -1, model()->index(0, 0));
        QCOMPARE(typeAt(0), QStringLiteral("BatchNorm"));
        QCOMPARE(model()->rowCount(), 3);
        m_view->undoStack()->undo();
        m_view->undoStack()->undo();
        QCOMPARE(typeAt(0), QStringLiteral("Flatten"));
    }

    void presetsAndFiles()
    {
        m_view->setPresets({QStringLiteral("tiny")}, [](const QString&) {
            return nlohmann::json{{"input_shape", {1, 28, 28}},
                                  {"layers", {{{"type", "Flatten"}}, {{"type", "Dense"}, {"units", 10}}}}};
        });
        QString error;
        QVERIFY2(m_view->loadPreset(QStringLiteral("tiny"), &error), qPrintable(error));
        QCOMPARE(model()->rowCount(), 2);
        QCOMPARE(model()->totalParameters(), std::size_t(7850));
        const QString path = QDir::temp().filePath(QStringLiteral("layerlens_builder_test.json"));
        QVERIFY2(m_view->saveFile(path, &error), qPrintable(error));
        m_view->undoStack()->undo();
        QCOMPARE(model()->rowCount(), 0);
        QVERIFY2(m_view->loadFile(path, &error), qPrintable(error));
        QCOMPARE(model()->rowCount(), 2);
        QFile::remove(path);

        // Bad files give a message naming the problem, and leave the model as it was.
        QFile bad(QDir::temp().filePath(QStringLiteral("layerlens_bad.json")));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write(R"({"input_shape": [1, 28, 28], "layers": [{"type": "Conv9D"}]})");
        bad.close();
        QVERIFY(!m_view->loadFile(bad.fileName(), &error));
        QVERIFY2(error.contains(QStringLiteral("layer 0")), qPrintable(error));
        QVERIFY(!m_view->loadFile(QStringLiteral("/nonexistent/model.json"), &error));
        QCOMPARE(model()->rowCount(), 2);
        bad.remove();
    }

    void fitOutputToClasses()
    {
        addViaClicks(QStringLiteral("Flatten"));
        addViaClicks(QStringLiteral("Dense"));
        m_view->fitOutputToClasses(3);
        QVERIFY(model()->layerConfig(1)["units"] == 3);
        m_view->undoStack()->undo();
        QVERIFY(model()->layerConfig(1)["units"] == 64);
    }
};

QTEST_MAIN(TestModelBuilderView)
#include "test_model_builder_view.moc"
