// ModelInspectorView: opens model files, shows table/graph/weights, runs dropped images.

#include <QApplication>
#include <QComboBox>
#include <QDropEvent>
#include <QImage>
#include <QLabel>
#include <QMimeData>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "core/io/image_loader.h"
#include "core/keras/keras_reader.h"
#include "core/model/model.h"
#include "core/onnx/onnx_model.h"
#include "ui/main_window.h"
#include "ui/views/model_inspector_view.h"
#include "ui/widgets/activation_gallery.h"
#include "ui/widgets/histogram_widget.h"
#include "ui/widgets/message_banner.h"
#include "ui/widgets/model_graph_widget.h"
#include "ui/widgets/preprocessing_form.h"
#include "ui/widgets/probability_bars.h"
#include "ui/widgets/weight_stats_panel.h"

using namespace layerlens;

namespace {

const QString kData = QStringLiteral(LAYERLENS_TEST_DATA_DIR);
QString lenet() { return kData + QStringLiteral("/onnx/lenet/model.onnx"); }

// A 28 x 28 grey picture with a bright stroke, written as PNG.
QString writeDigit(const QTemporaryDir& dir, const QString& name = QStringLiteral("digit.png"))
{
    QImage image(28, 28, QImage::Format_Grayscale8);
    image.fill(0);
    for (int i = 4; i < 24; ++i) {
        image.setPixel(i, 6, qRgb(255, 255, 255));
        image.setPixel(24 - i / 2, i, qRgb(255, 255, 255));
    }
    const QString path = dir.filePath(name);
    if (!image.save(path))
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

void drop(QWidget* target, const QStringList& paths)
{
    QMimeData mime;
    QList<QUrl> urls;
    for (const QString& p : paths)
        urls << QUrl::fromLocalFile(p);
    mime.setUrls(urls);
    QDragEnterEvent enter(QPoint(20, 20), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent event(QPointF(20, 20), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &event);
    QVERIFY(event.isAccepted());
}

std::size_t columnSum(const QTableWidget* table, int column)
{
    std::size_t sum = 0;
    for (int r = 0; r < table->rowCount(); ++r)
        sum += table->item(r, column)->text().remove(QLatin1Char(',')).toULongLong();
    return sum;
}

}  // namespace

class TestModelInspectorView : public QObject {
    Q_OBJECT
private slots:
    void opensOnnxTableAndGraph()
    {
        ui::ModelInspectorView view;
        view.resize(1400, 900);
        view.show();
        QSignalSpy opened(&view, &ui::ModelInspectorView::modelOpened);
        QVERIFY(view.openModel(lenet()));
        QCOMPARE(opened.count(), 1);
        const core::OnnxModel onnx = core::OnnxModel::load(lenet().toStdString());
        const int rows = static_cast<int>(onnx.nodes().size() + onnx.inputs().size());
        QCOMPARE(view.layerTable()->rowCount(), rows);
        QCOMPARE(view.layerTable()->item(0, 1)->text(), QStringLiteral("Input"));
        QCOMPARE(view.layerTable()->item(1, 1)->text(), QString::fromStdString(onnx.nodes()[0].opType));
        QCOMPARE(columnSum(view.layerTable(), 3), onnx.parameterCount());
        QVERIFY(view.totalsLabel()->text().contains(QString::fromStdString(core::formatThousands(onnx.parameterCount()))));
        // One box per layer; the chain's arrows at least.
        QCOMPARE(view.graph()->nodeItemCount(), rows);
        QVERIFY(view.graph()->edgeItemCount() >= static_cast<int>(onnx.nodes().size()) - 1);
        QVERIFY(view.banner()->isHidden());
        // Defaults inferred from the (batch, 1, 28, 28) input.
        const core::ImagePreprocessing p = view.preprocessing()->settings();
        QCOMPARE(p.channels, 1);
        QCOMPARE(p.width, 28);
        QCOMPARE(p.height, 28);
    }

    void selectionFollowsGraphAndTable()
    {
        ui::ModelInspectorView view;
        view.resize(1400, 900);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(view.openModel(lenet()));
        ui::ModelGraphWidget* graph = view.graph();
        graph->setSelectedLayer(1);  // scrolls the box into view
        const QPoint centre = graph->nodeCenter(1);
        QCOMPARE(graph->layerAt(centre), 1);
        view.layerTable()->setCurrentCell(5, 0);
        QCOMPARE(view.selectedLayer(), 5);
        QCOMPARE(graph->selectedLayer(), 5);
        graph->setSelectedLayer(1);
        QTest::mouseClick(graph->viewport(), Qt::LeftButton, {}, graph->nodeCenter(1));
        QCOMPARE(view.selectedLayer(), 1);
        QCOMPARE(view.layerTable()->currentRow(), 1);
        // The first Conv: kernel and bias with a histogram.
        QCOMPARE(view.weightPanel()->tensorCount(), 2);
        QCOMPARE(view.weightPanel()->histogram()->binCount(), core::TensorStats::kBins);
    }

    void droppedImageRunsLikeCore()
    {
        QTemporaryDir dir;
        const QString image = writeDigit(dir);
        ui::ModelInspectorView view;
        view.resize(1400, 900);
        QVERIFY(view.openModel(lenet()));
        drop(&view, {image});
        QVERIFY2(view.result() != nullptr, qPrintable(view.banner()->text()));
        QCOMPARE(view.imagePath(), image);

        const core::OnnxModel onnx = core::OnnxModel::load(lenet().toStdString());
        const core::Tensor input = core::loadImageTensor(image.toStdString(), view.preprocessing()->settings());
        const auto out = onnx.run({{onnx.inputs()[0].name, core::OnnxTensor::fromTensor(input)}});
        const std::vector<float> logits = out.at(onnx.outputs()[0].name).toFloats();
        const int top = static_cast<int>(std::max_element(logits.begin(), logits.end()) - logits.begin());
        QCOMPARE(view.topPrediction(), QString::number(top));
        QCOMPARE(view.predictions()->count(), ui::ModelInspectorView::kTopK);
        // Every layer with a float output has its activations shown (the Constant has none).
        QCOMPARE(view.activations()->rowCount(), view.layerTable()->rowCount() - 1);

        // Class names from a labels file.
        const QString labels = dir.filePath(QStringLiteral("labels.txt"));
        {
            std::ofstream file(labels.toStdString());
            for (int i = 0; i < 10; ++i)
                file << "class-" << char('a' + i) << "\n";
        }
        QVERIFY(view.loadLabels(labels));
        QCOMPARE(view.topPrediction(), QStringLiteral("class-%1").arg(QChar('a' + top)));

        // Settings that do not fit the model: a message, no crash, no stale result.
        view.preprocessing()->colorBox()->setCurrentIndex(1);  // RGB for a grey model
        QVERIFY(!view.rerun());
        QCOMPARE(view.banner()->level(), ui::MessageBanner::Level::Error);
        QVERIFY(view.result() == nullptr);
    }

    void opensKeras()
    {
        const QString path = kData + QStringLiteral("/keras/keras2_cnn.h5");
        ui::ModelInspectorView view;
        QVERIFY(view.openModel(path));
        const core::KerasModel keras = core::KerasReader::readFile(path.toStdString());
        QCOMPARE(columnSum(view.layerTable(), 3), keras.storedValueCount());
        QCOMPARE(columnSum(view.layerTable(), 4), keras.trainableValueCount());
        QCOMPARE(view.graph()->nodeItemCount(), view.layerTable()->rowCount());
        QVERIFY(view.model()->canRun());
    }

    void badFilesShowTheBanner_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("not onnx") << "junk.onnx" << QByteArray("this is not a protobuf \xff\xff\xff\xff", 27);
        QTest::newRow("empty h5") << "empty.h5" << QByteArray();
        QTest::newRow("bad keras zip") << "bad.keras" << QByteArray("PK\x03\x04 truncated");
    }
    void badFilesShowTheBanner()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, bytes);
        QTemporaryDir dir;
        QFile file(dir.filePath(name));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(bytes);
        file.close();
        ui::ModelInspectorView view;
        QVERIFY(view.openModel(lenet()));
        QVERIFY(!view.openModel(file.fileName()));
        QVERIFY(!view.banner()->isHidden());
        QCOMPARE(view.banner()->level(), ui::MessageBanner::Level::Error);
        QVERIFY(view.banner()->text().contains(name));
        QCOMPARE(view.modelPath(), lenet());  // the previous model stays
    }

    void truncatedOnnxShowsTheBanner()
    {
        QTemporaryDir dir;
        QFile source(lenet());
        QVERIFY(source.open(QIODevice::ReadOnly));
        QFile cut(dir.filePath(QStringLiteral("cut.onnx")));
        QVERIFY(cut.open(QIODevice::WriteOnly));
        cut.write(source.readAll().left(static_cast<int>(source.size() / 3)));
        cut.close();
        ui::ModelInspectorView view;
        QVERIFY(!view.openModel(cut.fileName()));
        QVERIFY(view.banner()->text().contains(QStringLiteral("cut.onnx")));
    }

    void unsupportedOperatorsStillShown()
    {
        ui::ModelInspectorView view;
        QVERIFY(view.openModel(kData + QStringLiteral("/onnx/graphs/unsupported.onnx")));
        QCOMPARE(view.layerTable()->rowCount(), 5);
        QCOMPARE(view.graph()->nodeItemCount(), 5);
        QCOMPARE(view.banner()->level(), ui::MessageBanner::Level::Warning);
        QVERIFY(view.banner()->text().contains(QStringLiteral("LSTM")));
        QVERIFY(view.totalsLabel()->text().contains(QStringLiteral("Unsupported operators")));
        QTemporaryDir dir;
        QVERIFY(!view.setImageFile(writeDigit(dir)));
        QVERIFY(view.result() == nullptr);
    }

    void droppedModelWithImageRunsOnceRead()
    {
        // A model and an image dropped together: the image waits for the model, then runs; a
        // second model dropped while the first is read is refused with a message, not queued.
        QTemporaryDir dir;
        const QString image = writeDigit(dir);
        ui::ModelInspectorView view;
        view.resize(1400, 900);
        QSignalSpy opened(&view, &ui::ModelInspectorView::modelOpened);
        drop(&view, {lenet(), image});
        QVERIFY(view.isOpening());
        QCOMPARE(view.imagePath(), image);
        view.openModelInBackground(lenet());
        QVERIFY(view.banner()->text().contains(QStringLiteral("Still opening")));
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        QVERIFY2(view.result() != nullptr, qPrintable(view.banner()->text()));
        QCOMPARE(view.predictions()->count(), ui::ModelInspectorView::kTopK);
        // A broken file read in the background: the banner names it and the model stays.
        QFile junk(dir.filePath(QStringLiteral("junk.onnx")));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("not a model");
        junk.close();
        view.openModelInBackground(junk.fileName());
        QTRY_VERIFY_WITH_TIMEOUT(!view.isOpening(), 10000);
        QCOMPARE(view.banner()->level(), ui::MessageBanner::Level::Error);
        QVERIFY(view.banner()->text().contains(QStringLiteral("junk.onnx")));
        QCOMPARE(view.modelPath(), lenet());
        QCOMPARE(opened.count(), 1);
    }

    void dropOnMainWindowOpensInspector()
    {
        ui::MainWindow window;
        window.show();
        drop(&window, {lenet()});
        QCOMPARE(window.workbenchTabs()->currentWidget(), static_cast<QWidget*>(window.inspector()));
        // Dropped files are read on a worker thread: the window says so and stays usable.
        QVERIFY(window.inspector()->isOpening());
        QVERIFY(window.inspector()->banner()->text().contains(QStringLiteral("Opening")));
        QTRY_COMPARE_WITH_TIMEOUT(window.inspector()->modelPath(), lenet(), 10000);
        QVERIFY(!window.inspector()->isOpening());
        QVERIFY(window.inspector()->model() != nullptr);
        QVERIFY(window.raiseView(QStringLiteral("activations")));
        QVERIFY(window.raiseView(QStringLiteral("inspector")));
        QCOMPARE(window.workbenchTabs()->currentWidget(), static_cast<QWidget*>(window.inspector()));
    }
};

QTEST_MAIN(TestModelInspectorView)
#include "test_model_inspector_view.moc"
