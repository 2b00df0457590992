#include "ui/views/model_inspector_view.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMimeData>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <QTimer>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>
#include <exception>

#include "core/io/image_loader.h"
#include "core/model/model.h"
#include "ui/theme.h"
#include "ui/widgets/activation_gallery.h"
#include "ui/widgets/heatmap_widget.h"
#include "ui/widgets/message_banner.h"
#include "ui/widgets/model_graph_widget.h"
#include "ui/widgets/preprocessing_form.h"
#include "ui/widgets/probability_bars.h"
#include "ui/widgets/tensor_image.h"
#include "ui/widgets/weight_stats_panel.h"

namespace layerlens::ui {

namespace {

enum Column { Name, Type, Shape, Parameters, Trainable, ColumnCount };

QString shapeText(const std::vector<long long>& shape)
{
    if (shape.empty())
        return QStringLiteral("—");
    QStringList dims;
    for (long long d : shape)
        dims << (d < 0 ? QStringLiteral("?") : QString::number(d));
    return QLatin1Char('(') + dims.join(QStringLiteral(", ")) + QLatin1Char(')');
}

QString thousands(std::size_t n) { return QString::fromStdString(core::formatThousands(n)); }

// A titled block: a small bold caption over the widget.
QWidget* section(const QString& title, QWidget* body, QWidget* trailing = nullptr)
{
    auto* box = new QWidget;
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(4);
    auto* head = new QHBoxLayout;
    auto* caption = new QLabel(title);
    QFont f = caption->font();
    f.setBold(true);
    caption->setFont(f);
    head->addWidget(caption);
    head->addStretch(1);
    if (trailing)
        head->addWidget(trailing);
    layout->addLayout(head);
    layout->addWidget(body, 1);
    return box;
}

std::string localPath(const QString& path) { return QFile::encodeName(path).toStdString(); }

// The file as a model, or null with `error` saying why (safe on any thread: core only).
std::unique_ptr<core::InspectedModel> readModel(const std::string& file, QString& error)
{
    try {
        return std::make_unique<core::InspectedModel>(core::InspectedModel::open(file));
    } catch (const std::exception& e) {
        error = QString::fromLocal8Bit(e.what());
        return nullptr;
    }
}

// Whether a drag carries a file this view can take (a model or an image).
bool offersModelFile(const QMimeData* mime)
{
    if (!mime || !mime->hasUrls())
        return false;
    for (const QUrl& url : mime->urls())
        if (url.isLocalFile() && ModelInspectorView::isModelFile(url.toLocalFile()))
            return true;
    return false;
}

bool offersFiles(const QMimeData* mime)
{
    if (!mime || !mime->hasUrls())
        return false;
    for (const QUrl& url : mime->urls())
        if (url.isLocalFile() && (ModelInspectorView::isModelFile(url.toLocalFile()) || ModelInspectorView::isImageFile(url.toLocalFile())))
            return true;
    return false;
}

}  // namespace

ModelInspectorView::ModelInspectorView(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("modelInspector"));
    setAcceptDrops(true);
    buildUi();
}

ModelInspectorView::~ModelInspectorView()
{
    // A file still being read is waited for; its result, posted to this object, is then dropped.
    if (m_loader.joinable())
        m_loader.join();
    if (isOpening())
        QGuiApplication::restoreOverrideCursor();
}

void ModelInspectorView::buildUi()
{
    auto* root = new QVBoxLayout(this);
    root->setContentsMargins(0, 0, 0, 0);
    root->setSpacing(0);
    m_banner = new MessageBanner(this);
    m_banner->setObjectName(QStringLiteral("inspectorBanner"));
    root->addWidget(m_banner);

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(10, 6, 10, 6);
    m_header = new QLabel(tr("No model open"), this);
    m_header->setObjectName(QStringLiteral("inspectorHeader"));
    m_header->setTextFormat(Qt::RichText);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* openButton = new QPushButton(QIcon(QStringLiteral(":/icons/open.svg")), tr("Open model…"), this);
    m_imageButton = new QPushButton(tr("Image…"), this);
    m_imageButton->setToolTip(tr("Choose an image to run through the model (or drop one on this view)"));
    m_labelsButton = new QPushButton(tr("Labels…"), this);
    m_labelsButton->setToolTip(tr("A text file with one class name per line"));
    bar->addWidget(m_header, 1);
    bar->addWidget(openButton);
    bar->addWidget(m_imageButton);
    bar->addWidget(m_labelsButton);
    root->addLayout(bar);
    connect(openButton, &QPushButton::clicked, this, &ModelInspectorView::openModelDialog);
    connect(m_imageButton, &QPushButton::clicked, this, &ModelInspectorView::openImageDialog);
    connect(m_labelsButton, &QPushButton::clicked, this, &ModelInspectorView::openLabelsDialog);

    m_pages = new QStackedWidget(this);
    auto* empty = new QLabel(tr("<h3>Inspect a model</h3><p>Drop a model file here (.onnx, .h5, .keras, .llmodel)<br>"
                                "or choose <b>File › Inspect model…</b> (Ctrl+I).</p>"
                                "<p>Then drop an image on it to see every layer's activations and the prediction.</p>"),
                             m_pages);
    empty->setAlignment(Qt::AlignCenter);
    empty->setObjectName(QStringLiteral("inspectorEmpty"));
    m_pages->addWidget(empty);

    // Graph | layers + weights | input, predictions, activations
    auto* columns = new QSplitter(Qt::Horizontal, m_pages);
    m_graph = new ModelGraphWidget(columns);
    m_graph->setAcceptDrops(false);
    m_graph->viewport()->setAcceptDrops(false);  // drops of files go to the view, not the scene
    auto* zoomBar = new QWidget;
    auto* zoomLayout = new QHBoxLayout(zoomBar);
    zoomLayout->setContentsMargins(0, 0, 0, 0);
    zoomLayout->setSpacing(2);
    for (auto [text, tip, factor] : {std::tuple{QStringLiteral("−"), tr("Zoom out"), 1 / 1.25}, std::tuple{QStringLiteral("+"), tr("Zoom in"), 1.25},
                                     std::tuple{QStringLiteral("⤢"), tr("Fit"), 0.0}}) {
        auto* b = new QToolButton(zoomBar);
        b->setText(text);
        b->setToolTip(tip);
        b->setAutoRaise(true);
        zoomLayout->addWidget(b);
        connect(b, &QToolButton::clicked, m_graph, [this, f = factor] { f > 0 ? m_graph->zoomBy(f) : m_graph->fitAll(); });
    }
    columns->addWidget(section(tr("Graph"), m_graph, zoomBar));

    auto* middle = new QSplitter(Qt::Vertical, columns);
    auto* tableBox = new QWidget;
    auto* tableLayout = new QVBoxLayout(tableBox);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    m_table = new QTableWidget(0, ColumnCount, tableBox);
    m_table->setObjectName(QStringLiteral("inspectorLayerTable"));
    m_table->setHorizontalHeaderLabels({tr("Name"), tr("Type"), tr("Output shape"), tr("Parameters"), tr("Trainable")});
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_totals = new QLabel(tableBox);
    m_totals->setObjectName(QStringLiteral("inspectorTotals"));
    m_totals->setTextInteractionFlags(Qt::TextSelectableByMouse);
    tableLayout->addWidget(m_table, 1);
    tableLayout->addWidget(m_totals);
    middle->addWidget(section(tr("Layers"), tableBox));
    m_weights = new WeightStatsPanel(middle);
    auto* weightsBox = new QWidget;
    auto* weightsLayout = new QVBoxLayout(weightsBox);
    weightsLayout->setContentsMargins(6, 6, 6, 6);
    weightsLayout->addWidget(m_weights);
    middle->addWidget(weightsBox);
    middle->setStretchFactor(0, 3);
    middle->setStretchFactor(1, 2);
    columns->addWidget(middle);

    auto* right = new QSplitter(Qt::Vertical, columns);
    auto* inputBox = new QWidget;
    auto* inputLayout = new QHBoxLayout(inputBox);
    inputLayout->setContentsMargins(0, 0, 0, 0);
    auto* previewColumn = new QVBoxLayout;
    m_inputPreview = new HeatmapWidget(inputBox);
    m_inputPreview->setObjectName(QStringLiteral("inspectorInputPreview"));
    m_inputPreview->setFixedSize(120, 120);
    m_inputPreview->setToolTip(tr("The image as the model receives it (after resizing and normalizing)"));
    m_imageLabel = new QLabel(tr("no image"), inputBox);
    m_imageLabel->setAlignment(Qt::AlignHCenter);
    m_imageLabel->setMaximumWidth(120);
    previewColumn->addWidget(m_inputPreview);
    previewColumn->addWidget(m_imageLabel);
    previewColumn->addStretch(1);
    m_form = new PreprocessingForm(inputBox);
    inputLayout->addLayout(previewColumn);
    inputLayout->addWidget(m_form, 1);
    right->addWidget(section(tr("Input"), inputBox));

    auto* predictionBox = new QWidget;
    auto* predictionLayout = new QVBoxLayout(predictionBox);
    predictionLayout->setContentsMargins(0, 0, 0, 0);
    m_predictions = new ProbabilityBars(predictionBox);
    m_predictions->setObjectName(QStringLiteral("inspectorPredictions"));
    m_predictions->setFixedHeight(kTopK * 22 + 34);
    m_predictionNote = new QLabel(predictionBox);
    m_predictionNote->setWordWrap(true);
    predictionLayout->addWidget(m_predictions);
    predictionLayout->addWidget(m_predictionNote);
    predictionLayout->addStretch(1);
    right->addWidget(section(tr("Prediction"), predictionBox));

    m_gallery = new ActivationGallery(right);
    right->addWidget(section(tr("Activations"), m_gallery));
    right->setStretchFactor(0, 0);
    right->setStretchFactor(1, 0);
    right->setStretchFactor(2, 1);
    right->setSizes({160, 170, 640});
    columns->addWidget(right);
    columns->setStretchFactor(0, 2);
    columns->setStretchFactor(1, 4);
    columns->setStretchFactor(2, 4);
    columns->setSizes({300, 560, 520});
    m_pages->addWidget(columns);
    root->addWidget(m_pages, 1);

    m_rerunTimer = new QTimer(this);
    m_rerunTimer->setSingleShot(true);
    m_rerunTimer->setInterval(250);  // settings typed quickly run once
    connect(m_rerunTimer, &QTimer::timeout, this, [this] {
        if (!m_imagePath.isEmpty())
            rerun();
    });
    connect(m_form, &PreprocessingForm::changed, m_rerunTimer, qOverload<>(&QTimer::start));
    connect(m_table, &QTableWidget::currentCellChanged, this, [this](int row) { selectLayer(row); });
    connect(m_graph, &ModelGraphWidget::layerClicked, this, &ModelInspectorView::selectLayer);
    connect(m_gallery, &ActivationGallery::layerClicked, this, &ModelInspectorView::selectLayer);
    setPlaceholderResult(tr("Open a model, then choose or drop an image."));
}

bool ModelInspectorView::isModelFile(const QString& path)
{
    static const QStringList suffixes = {QStringLiteral("onnx"), QStringLiteral("h5"), QStringLiteral("hdf5"), QStringLiteral("keras"),
                                         QStringLiteral("llmodel")};
    return suffixes.contains(QFileInfo(path).suffix().toLower());
}

bool ModelInspectorView::isImageFile(const QString& path) { return core::isImageFile(localPath(path)); }

bool ModelInspectorView::openModel(const QString& path)
{
    QString error;
    QGuiApplication::setOverrideCursor(Qt::WaitCursor);
    std::unique_ptr<core::InspectedModel> model = readModel(localPath(path), error);
    QGuiApplication::restoreOverrideCursor();
    return adoptModel(path, std::move(model), error);
}

void ModelInspectorView::openModelInBackground(const QString& path)
{
    if (isOpening()) {
        m_banner->showMessage(tr("Still opening %1…").arg(QFileInfo(m_openingPath).fileName()), MessageBanner::Level::Info);
        return;
    }
    if (m_loader.joinable())
        m_loader.join();  // finished: its result has been adopted
    m_openingPath = path;
    m_banner->showMessage(tr("Opening %1…").arg(QFileInfo(path).fileName()), MessageBanner::Level::Info);
    QGuiApplication::setOverrideCursor(Qt::BusyCursor);
    m_loader = std::thread([this, path, file = localPath(path)] {
        // core only on this thread; the result goes back to the GUI thread as a queued call.
        QString error;
        auto model = std::make_shared<std::unique_ptr<core::InspectedModel>>(readModel(file, error));
        QMetaObject::invokeMethod(
            this,
            [this, path, model, error] {
                QGuiApplication::restoreOverrideCursor();
                m_openingPath.clear();
                adoptModel(path, std::move(*model), error);
            },
            Qt::QueuedConnection);
    });
}

bool ModelInspectorView::adoptModel(const QString& path, std::unique_ptr<core::InspectedModel> model, const QString& error)
{
    if (!model) {
        m_banner->showMessage(tr("Cannot open %1: %2").arg(QFileInfo(path).fileName(), error), MessageBanner::Level::Error);
        return false;
    }
    m_model = std::move(model);
    m_modelPath = path;
    m_result.reset();
    m_labelsSource = m_model->classNames().empty() ? QString() : tr("the model file");
    m_banner->dismiss();
    if (!m_model->canRun())
        m_banner->showMessage(tr("%1 is shown but cannot run here: %2")
                                  .arg(QFileInfo(path).fileName(), QString::fromStdString(m_model->whyNotRunnable())),
                              MessageBanner::Level::Warning);
    m_form->setSettings(m_model->defaultPreprocessing());
    showModel();
    if (!m_imagePath.isEmpty() && m_model->canRun())
        rerun();
    emit modelOpened(path);
    return true;
}

void ModelInspectorView::showModel()
{
    const auto& layers = m_model->layers();
    const QFileInfo info(m_modelPath);
    m_header->setText(tr("<b>%1</b> &nbsp;·&nbsp; %2 &nbsp;·&nbsp; input %3")
                          .arg(info.fileName().toHtmlEscaped(), QString::fromStdString(m_model->format()).toHtmlEscaped(),
                               shapeText(m_model->inputShape())));
    m_header->setToolTip(QFileInfo(m_modelPath).absoluteFilePath());
    {
        const QSignalBlocker block(m_table);
        m_table->clearContents();
        m_table->setRowCount(static_cast<int>(layers.size()));
        for (int r = 0; r < static_cast<int>(layers.size()); ++r) {
            const core::InspectedLayer& layer = layers[static_cast<std::size_t>(r)];
            auto put = [this, r](int column, const QString& text, bool numeric) {
                auto* item = new QTableWidgetItem(text);
                if (numeric)
                    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
                m_table->setItem(r, column, item);
            };
            put(Name, QString::fromStdString(layer.name), false);
            put(Type, QString::fromStdString(layer.type), false);
            put(Shape, shapeText(layer.outputShape), false);
            put(Parameters, thousands(layer.parameters), true);
            put(Trainable, thousands(layer.trainable), true);
            const QColor family = ModelGraphWidget::colorForType(QString::fromStdString(layer.type));
            m_table->item(r, Type)->setForeground(Theme::isDark() ? family : family.darker(170));
        }
        m_table->resizeColumnsToContents();
        m_table->horizontalHeader()->setSectionResizeMode(Name, QHeaderView::Stretch);
    }
    const std::size_t total = m_model->totalParameters(), trainable = m_model->trainableParameters();
    QString totals = tr("<b>Total parameters: %1</b> &nbsp; trainable %2 &nbsp; non-trainable %3 &nbsp; · &nbsp; %4 layers")
                         .arg(thousands(total), thousands(trainable), thousands(total - std::min(total, trainable)))
                         .arg(layers.size());
    if (!m_model->unsupportedOperators().empty()) {
        QStringList ops;
        for (const auto& op : m_model->unsupportedOperators())
            ops << QString::fromStdString(op);
        totals += tr("<br><span style='color:#b3261e'>Unsupported operators: %1</span>").arg(ops.join(QStringLiteral(", ")).toHtmlEscaped());
    }
    m_totals->setText(totals);
    m_graph->setLayers(layers);
    m_gallery->clear();
    m_selected = -1;
    m_pages->setCurrentIndex(1);
    setPlaceholderResult(m_model->canRun() ? tr("Choose or drop an image to run the model.") : tr("This model cannot run here."));
    // Start on the first layer with weights: its statistics are the first thing worth seeing.
    // Prefer one the data flows through (CNTK files also reshape weights in nodes of their own).
    auto weighted = std::find_if(layers.begin(), layers.end(), [](const core::InspectedLayer& l) { return l.parameters > 0 && !l.inputs.empty(); });
    if (weighted == layers.end())
        weighted = std::find_if(layers.begin(), layers.end(), [](const core::InspectedLayer& l) { return l.parameters > 0; });
    selectLayer(weighted != layers.end() ? static_cast<int>(weighted - layers.begin()) : 0);
}

QString ModelInspectorView::layerTitle(int layer) const
{
    if (!m_model || layer < 0 || layer >= static_cast<int>(m_model->layers().size()))
        return {};
    const core::InspectedLayer& l = m_model->layers()[static_cast<std::size_t>(layer)];
    return QStringLiteral("%1 · %2 · %3").arg(QString::fromStdString(l.name), QString::fromStdString(l.type), shapeText(l.outputShape));
}

void ModelInspectorView::selectLayer(int layer)
{
    if (!m_model || layer < 0 || layer >= static_cast<int>(m_model->layers().size()) || layer == m_selected)
        return;
    m_selected = layer;
    {
        const QSignalBlocker block(m_table);
        m_table->setCurrentCell(layer, 0);
        m_table->selectRow(layer);
    }
    m_graph->setSelectedLayer(layer);
    m_gallery->setSelectedLayer(layer);
    m_weights->setWeights(tr("Weights of %1").arg(layerTitle(layer)), m_model->weights(layer));
}

void ModelInspectorView::rememberImage(const QString& path)
{
    m_imagePath = path;
    m_imageLabel->setText(QFontMetrics(m_imageLabel->font()).elidedText(QFileInfo(path).fileName(), Qt::ElideMiddle, 118));
    m_imageLabel->setToolTip(path);
}

bool ModelInspectorView::setImageFile(const QString& path)
{
    rememberImage(path);
    return rerun();
}

bool ModelInspectorView::rerun()
{
    m_rerunTimer->stop();
    if (!m_model) {
        m_banner->showMessage(tr("Open a model first (File › Inspect model…), then choose an image."), MessageBanner::Level::Info);
        return false;
    }
    if (!m_model->canRun()) {
        m_banner->showMessage(tr("%1 cannot run here: %2").arg(QFileInfo(m_modelPath).fileName(), QString::fromStdString(m_model->whyNotRunnable())),
                              MessageBanner::Level::Warning);
        return false;
    }
    const core::ImagePreprocessing settings = m_form->settings();
    core::Tensor input;
    QGuiApplication::setOverrideCursor(Qt::WaitCursor);
    try {
        input = core::loadImageTensor(localPath(m_imagePath), settings);
        m_result = std::make_unique<core::InspectionResult>(m_model->run(input));
    } catch (const std::exception& e) {
        QGuiApplication::restoreOverrideCursor();
        m_result.reset();
        m_gallery->clear();
        setPlaceholderResult(tr("No result."));
        m_banner->showMessage(tr("Cannot run %1 on %2: %3")
                                  .arg(QFileInfo(m_modelPath).fileName(), QFileInfo(m_imagePath).fileName(), QString::fromLocal8Bit(e.what())),
                              MessageBanner::Level::Error);
        return false;
    }
    QGuiApplication::restoreOverrideCursor();
    if (m_banner->level() == MessageBanner::Level::Error)
        m_banner->dismiss();
    m_inputPreview->setImage(TensorImage::fromChw(input.data(), input.dim(1), input.dim(2), input.dim(3), true), input.dim(3), input.dim(2));
    showResult();
    return true;
}

void ModelInspectorView::showResult()
{
    std::vector<QString> titles;
    for (int i = 0; i < static_cast<int>(m_model->layers().size()); ++i)
        titles.push_back(layerTitle(i));
    m_gallery->setActivations(titles, m_result->outputs);
    m_gallery->setSelectedLayer(m_selected);
    showPredictions();
}

void ModelInspectorView::showPredictions()
{
    if (!m_result || m_result->probabilities.empty())
        return;
    const auto& names = m_model->classNames();
    QStringList labels;
    std::vector<float> values;
    const int k = std::min<int>(kTopK, static_cast<int>(m_result->ranking.size()));
    for (int i = 0; i < k; ++i) {
        const int c = m_result->ranking[static_cast<std::size_t>(i)];
        values.push_back(m_result->probabilities[static_cast<std::size_t>(c)]);
        labels << (c < static_cast<int>(names.size()) ? QString::fromStdString(names[static_cast<std::size_t>(c)]) : QString::number(c));
    }
    m_predictions->setTitle(tr("Top %1 of %2 classes").arg(k).arg(m_result->probabilities.size()));
    m_predictions->setValues(values, labels, true);
    m_predictions->setHighlighted(0);
    QString note = m_result->softmaxApplied ? tr("Softmax applied to the model's output.") : tr("The model's output is already a probability.");
    note += QLatin1Char(' ');
    if (m_labelsSource.isEmpty())
        note += tr("No class names (use Labels… to name them).");
    else
        note += tr("Class names from %1.").arg(m_labelsSource);
    m_predictionNote->setText(note);
}

void ModelInspectorView::setPlaceholderResult(const QString& text)
{
    m_predictions->clear();
    m_predictions->setTitle(QString());
    m_predictionNote->setText(text);
    m_inputPreview->clear();
}

QString ModelInspectorView::topPrediction() const
{
    return m_result && m_predictions->count() > 0 ? m_predictions->labels().value(0) : QString();
}

bool ModelInspectorView::loadLabels(const QString& path)
{
    if (!m_model) {
        m_banner->showMessage(tr("Open a model before its labels."), MessageBanner::Level::Info);
        return false;
    }
    std::vector<std::string> names;
    try {
        names = core::InspectedModel::readLabels(localPath(path));
    } catch (const std::exception& e) {
        m_banner->showMessage(QString::fromLocal8Bit(e.what()), MessageBanner::Level::Error);
        return false;
    }
    const std::size_t outputs = m_result ? m_result->probabilities.size() : 0;
    if (outputs != 0 && names.size() != outputs)
        m_banner->showMessage(tr("%1 names %2 classes but the model gives %3 outputs; classes without a name show their index.")
                                  .arg(QFileInfo(path).fileName())
                                  .arg(names.size())
                                  .arg(outputs),
                              MessageBanner::Level::Warning);
    m_model->setClassNames(std::move(names));
    m_labelsSource = QFileInfo(path).fileName();
    showPredictions();
    return true;
}

void ModelInspectorView::openModelDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Inspect model"), QFileInfo(m_modelPath).absolutePath(),
                                                      tr("Models (*.onnx *.h5 *.hdf5 *.keras *.llmodel *.json);;All files (*)"));
    if (!path.isEmpty())
        openModelInBackground(path);
}

void ModelInspectorView::openImageDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Run an image"), QFileInfo(m_imagePath).absolutePath(),
                                                      tr("Images (*.png *.jpg *.jpeg *.bmp *.gif *.pgm *.ppm *.pbm *.tif *.tiff *.webp);;All files (*)"));
    if (!path.isEmpty())
        setImageFile(path);
}

void ModelInspectorView::openLabelsDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Class names"), QFileInfo(m_modelPath).absolutePath(),
                                                      tr("Text files (*.txt *.names *.labels);;All files (*)"));
    if (!path.isEmpty())
        loadLabels(path);
}

bool ModelInspectorView::handleDroppedUrls(const QList<QUrl>& urls)
{
    QString model, image;
    for (const QUrl& url : urls) {
        if (!url.isLocalFile())
            continue;
        const QString path = url.toLocalFile();
        if (model.isEmpty() && isModelFile(path))
            model = path;
        else if (image.isEmpty() && isImageFile(path))
            image = path;
    }
    if (model.isEmpty() && image.isEmpty())
        return false;
    emit raiseRequested();
    if (!model.isEmpty())
        openModelInBackground(model);  // an image dropped with it runs once the model is read
    if (!image.isEmpty()) {
        if (isOpening())
            rememberImage(image);
        else
            setImageFile(image);
    }
    return true;
}

void ModelInspectorView::acceptDropsOn(QWidget* window)
{
    window->setAcceptDrops(true);
    window->installEventFilter(this);
}

void ModelInspectorView::dragEnterEvent(QDragEnterEvent* event)
{
    if (offersFiles(event->mimeData()))
        event->acceptProposedAction();
}

void ModelInspectorView::dropEvent(QDropEvent* event)
{
    if (event->mimeData() && handleDroppedUrls(event->mimeData()->urls()))
        event->acceptProposedAction();
}

bool ModelInspectorView::takesWindowDrop(const QMimeData* mime) const
{
    // Model files always come here; images only while the inspector is in front (elsewhere a
    // dropped image is a probe input of the training views).
    return offersModelFile(mime) || (isVisible() && offersFiles(mime));
}

bool ModelInspectorView::eventFilter(QObject* watched, QEvent* event)
{
    if (watched != this && event->type() == QEvent::DragEnter) {
        auto* drag = static_cast<QDragEnterEvent*>(event);
        if (takesWindowDrop(drag->mimeData())) {
            drag->acceptProposedAction();
            return true;
        }
    } else if (watched != this && event->type() == QEvent::Drop) {
        auto* drop = static_cast<QDropEvent*>(event);
        if (takesWindowDrop(drop->mimeData()) && handleDroppedUrls(drop->mimeData()->urls())) {
            drop->acceptProposedAction();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

}  // namespace layerlens::ui
