#pragma once
// ModelInspectorView: "what does this model see?" Opens a model file (ONNX, Keras .h5/.keras,
// LayerLens .llmodel/.json) through core::InspectedModel and shows its layer table with totals,
// its graph, the weight statistics of the selected layer, and — after an image is chosen or
// dropped — every layer's activations and the top predictions. All numbers come from core;
// this view lays them out and keeps the selection in step across table, graph and activations.
// Files that cannot be opened or run are reported in the view's banner, never by throwing.

#include <QStringList>
#include <QWidget>

#include <memory>
#include <thread>

#include "core/io/inspected_model.h"

class QMimeData;
class QLabel;
class QPushButton;
class QStackedWidget;
class QTableWidget;
class QTimer;
class QUrl;

namespace layerlens::ui {

class ActivationGallery;
class HeatmapWidget;
class MessageBanner;
class ModelGraphWidget;
class PreprocessingForm;
class ProbabilityBars;
class WeightStatsPanel;

class ModelInspectorView : public QWidget {
    Q_OBJECT
public:
    explicit ModelInspectorView(QWidget* parent = nullptr);
    ~ModelInspectorView() override;

    static constexpr int kTopK = 5;

    // False (and the banner says why) when the file cannot be opened.
    bool openModel(const QString& path);
    // The same on a worker thread, for files chosen or dropped by the user: reading a VGG16-sized
    // file takes seconds, during which the window stays responsive and the banner says what is
    // happening. modelOpened() or the banner's error follows; one file at a time.
    void openModelInBackground(const QString& path);
    bool isOpening() const { return !m_openingPath.isEmpty(); }
    // Loads the image with the current settings and runs the model. False on failure (banner).
    bool setImageFile(const QString& path);
    bool loadLabels(const QString& path);
    bool rerun();  // the current image again (after the settings changed)

    static bool isModelFile(const QString& path);
    static bool isImageFile(const QString& path);
    // Opens models / runs images named by dropped URLs; true when something was taken.
    bool handleDroppedUrls(const QList<QUrl>& urls);
    bool takesWindowDrop(const QMimeData* mime) const;
    // Lets drops of model files and images anywhere on `window` reach this view.
    void acceptDropsOn(QWidget* window);

    void selectLayer(int layer);
    int selectedLayer() const { return m_selected; }

    const core::InspectedModel* model() const { return m_model.get(); }
    const core::InspectionResult* result() const { return m_result.get(); }
    QString modelPath() const { return m_modelPath; }
    QString imagePath() const { return m_imagePath; }
    // The class shown first in the predictions ("7", "cat"); empty before a run.
    QString topPrediction() const;

    QTableWidget* layerTable() const { return m_table; }
    QLabel* totalsLabel() const { return m_totals; }
    ModelGraphWidget* graph() const { return m_graph; }
    WeightStatsPanel* weightPanel() const { return m_weights; }
    ActivationGallery* activations() const { return m_gallery; }
    ProbabilityBars* predictions() const { return m_predictions; }
    PreprocessingForm* preprocessing() const { return m_form; }
    MessageBanner* banner() const { return m_banner; }

public slots:
    void openModelDialog();
    void openImageDialog();
    void openLabelsDialog();

signals:
    void modelOpened(const QString& path);
    void raiseRequested();  // a file was dropped on the window: show this view

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void buildUi();
    bool adoptModel(const QString& path, std::unique_ptr<core::InspectedModel> model, const QString& error);
    void rememberImage(const QString& path);
    void showModel();
    void showResult();
    void showPredictions();
    void setPlaceholderResult(const QString& text);
    QString layerTitle(int layer) const;

    std::unique_ptr<core::InspectedModel> m_model;
    std::unique_ptr<core::InspectionResult> m_result;
    QString m_modelPath, m_imagePath, m_labelsSource;
    QString m_openingPath;  // the file a worker thread is reading, empty otherwise
    std::thread m_loader;
    int m_selected = -1;

    MessageBanner* m_banner = nullptr;
    QStackedWidget* m_pages = nullptr;
    QLabel* m_header = nullptr;
    QLabel* m_totals = nullptr;
    QTableWidget* m_table = nullptr;
    ModelGraphWidget* m_graph = nullptr;
    WeightStatsPanel* m_weights = nullptr;
    HeatmapWidget* m_inputPreview = nullptr;
    QLabel* m_imageLabel = nullptr;
    PreprocessingForm* m_form = nullptr;
    QPushButton* m_imageButton = nullptr;
    QPushButton* m_labelsButton = nullptr;
    ProbabilityBars* m_predictions = nullptr;
    QLabel* m_predictionNote = nullptr;
    ActivationGallery* m_gallery = nullptr;
    QTimer* m_rerunTimer = nullptr;
};

}  // namespace layerlens::ui
