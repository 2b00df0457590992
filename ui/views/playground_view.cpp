#include "ui/views/playground_view.h"

#include "ui/widgets/color_map.h"
#include "ui/widgets/decision_plane_widget.h"
#include "ui/widgets/heatmap_widget.h"

#include <QCoreApplication>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QScrollArea>
#include <QStackedWidget>
#include <QSvgGenerator>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace layerlens::ui {

namespace {
constexpr int kThumbnail = 60;
}

PlaygroundView::PlaygroundView(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(6);
    m_title = new QLabel(tr("Playground"), this);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.25);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    layout->addWidget(m_title);

    m_stack = new QStackedWidget(this);
    layout->addWidget(m_stack, 1);

    m_hint
        = new QLabel(tr("The playground needs a 2-D dataset such as spiral, xor, circles, gauss or moons.\n"
                        "Choose one in the data panel and train a small network to watch its decision regions form."),
            m_stack);
    m_hint->setObjectName(QStringLiteral("playgroundHint"));
    m_hint->setAlignment(Qt::AlignCenter);
    m_hint->setWordWrap(true);
    m_hint->setForegroundRole(QPalette::PlaceholderText);
    m_stack->addWidget(m_hint);

    auto* page = new QWidget(m_stack);
    auto* h = new QHBoxLayout(page);
    h->setContentsMargins(0, 0, 0, 0);
    h->setSpacing(10);
    // Hidden neurons by layer (left, like TensorFlow Playground), the output plane on the right.
    m_neuronScroll = new QScrollArea(page);
    m_neuronScroll->setWidgetResizable(true);
    m_neuronScroll->setFrameShape(QFrame::NoFrame);
    m_neuronHost = new QWidget(m_neuronScroll);
    m_neuronGrid = new QGridLayout(m_neuronHost);
    m_neuronGrid->setContentsMargins(0, 0, 0, 0);
    m_neuronGrid->setHorizontalSpacing(14);
    m_neuronGrid->setVerticalSpacing(4);
    m_neuronScroll->setWidget(m_neuronHost);
    h->addWidget(m_neuronScroll, 0);

    auto* right = new QVBoxLayout;
    auto* outputTitle = new QLabel(tr("<b>Output</b>: predicted class, paler where the model is unsure"), page);
    right->addWidget(outputTitle);
    m_plane = new DecisionPlaneWidget(page);
    m_plane->setObjectName(QStringLiteral("decisionPlane"));
    right->addWidget(m_plane, 1);
    h->addLayout(right, 1);
    m_stack->addWidget(page);

    clear();
}

QImage PlaygroundView::renderImage()
{
    // Layouts settle through posted events; a screenshot taken right after a change must wait for them.
    for (int i = 0; i < 3; ++i)
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    return grab().toImage();
}

bool PlaygroundView::exportSvg(const QString& path)
{
    QSvgGenerator generator;
    generator.setFileName(path);
    generator.setSize(size());
    generator.setViewBox(rect());
    generator.setTitle(tr("LayerLens playground"));
    QPainter painter;
    if (!painter.begin(&generator))
        return false;
    render(&painter);
    return painter.end();
}

bool PlaygroundView::isHintVisible() const
{
    return m_stack->currentWidget() == m_hint;
}

QString PlaygroundView::hintText() const
{
    return m_hint->text();
}

QPoint PlaygroundView::gridCellCenter(int column, int row) const
{
    return m_plane->mapTo(this, m_plane->cellCenter(column, row));
}

QPoint PlaygroundView::planeToView(double x, double y) const
{
    return m_plane->mapTo(this, m_plane->toWidget(x, y).toPoint());
}

int PlaygroundView::neuronThumbnailCount() const
{
    int n = 0;
    for (const auto& layer : m_neuronTiles)
        n += static_cast<int>(layer.size());
    return n;
}

void PlaygroundView::clear()
{
    m_snapshot.reset();
    m_plane->clear();
    for (auto& layer : m_neuronTiles)
        for (HeatmapWidget* t : layer)
            delete t;
    m_neuronTiles.clear();
    for (QLabel* l : m_neuronHeaders)
        delete l;
    m_neuronHeaders.clear();
    m_neuronSignature.clear();
    m_stack->setCurrentWidget(m_hint);
}

void PlaygroundView::showSnapshot(const core::SnapshotPtr& snapshot)
{
    if (!snapshot) {
        clear();
        return;
    }
    m_snapshot = snapshot;
    const int g = snapshot->gridSize;
    if (g <= 0 || snapshot->gridOutput.empty()) {
        m_stack->setCurrentWidget(m_hint);
        return;
    }
    m_stack->setCurrentWidget(m_stack->widget(1));
    QStringList names;
    for (const auto& n : snapshot->classNames)
        names << QString::fromStdString(n);
    m_plane->setClassNames(names);
    m_plane->setGrid(
        g, snapshot->gridOutput, snapshot->gridMinX, snapshot->gridMaxX, snapshot->gridMinY, snapshot->gridMaxY);
    m_plane->setPoints(snapshot->dataPoints, snapshot->dataLabels);
    m_title->setText(
        tr("Playground — step %1, loss %2").arg(snapshot->step).arg(static_cast<double>(snapshot->loss), 0, 'g', 3));
    updateNeurons();
}

void PlaygroundView::updateNeurons()
{
    const auto& neurons = m_snapshot->gridNeurons;
    const int g = m_snapshot->gridSize;
    const std::size_t cells = static_cast<std::size_t>(g) * static_cast<std::size_t>(g);
    // Thumbnails are for hidden layers: the output layer (the last one that is not an activation,
    // softmax or dropout) and everything after it are already shown large. A layer followed by an
    // Activation layer is shown through that activation, as TensorFlow Playground does.
    auto typeOf = [this](std::size_t l) {
        return l < m_snapshot->layers.size() ? QString::fromStdString(m_snapshot->layers[l].type) : QString();
    };
    auto passThrough = [](const QString& type) {
        return type == QLatin1String("Activation") || type == QLatin1String("Softmax")
            || type == QLatin1String("Dropout");
    };
    std::size_t output = neurons.size();
    for (std::size_t l = neurons.size(); l-- > 0;) {
        if (!passThrough(typeOf(l))) {
            output = l;
            break;
        }
    }
    std::vector<int> layers;
    for (std::size_t l = 0; l < output; ++l) {
        if (neurons[l].rank() != 2 || static_cast<std::size_t>(neurons[l].dim(0)) != cells)
            continue;
        if (l + 1 < output && typeOf(l + 1) == QLatin1String("Activation"))
            continue;
        layers.push_back(static_cast<int>(l));
    }

    QString signature;
    for (int l : layers)
        signature += QStringLiteral("%1:%2;").arg(l).arg(neurons[static_cast<std::size_t>(l)].dim(1));
    if (signature != m_neuronSignature) {
        m_neuronSignature = signature;
        for (auto& layer : m_neuronTiles)
            for (HeatmapWidget* t : layer)
                delete t;
        m_neuronTiles.clear();
        for (QLabel* label : m_neuronHeaders)
            delete label;
        m_neuronHeaders.clear();
        for (std::size_t column = 0; column < layers.size(); ++column) {
            const int l = layers[column];
            const int units = neurons[static_cast<std::size_t>(l)].dim(1);
            const QString name = static_cast<std::size_t>(l) < m_snapshot->layers.size()
                ? QString::fromStdString(m_snapshot->layers[static_cast<std::size_t>(l)].name)
                : tr("layer %1").arg(l + 1);
            auto* header = new QLabel(tr("<b>%1</b><br>%2 neurons").arg(name.toHtmlEscaped()).arg(units), m_neuronHost);
            header->setAlignment(Qt::AlignHCenter);
            m_neuronGrid->addWidget(header, 0, static_cast<int>(column), Qt::AlignHCenter);
            m_neuronHeaders.push_back(header);
            std::vector<HeatmapWidget*> tiles;
            for (int u = 0; u < std::min(units, kMaxNeuronsPerLayer); ++u) {
                auto* t = new HeatmapWidget(m_neuronHost);
                t->setObjectName(QStringLiteral("neuronTile"));
                t->setColorMap(ColorMap::Kind::Diverging);
                t->setFixedSize(kThumbnail, kThumbnail);
                t->setToolTip(tr("%1, neuron %2: its output over the input plane").arg(name).arg(u));
                m_neuronGrid->addWidget(t, u + 1, static_cast<int>(column), Qt::AlignHCenter);
                tiles.push_back(t);
            }
            m_neuronTiles.push_back(std::move(tiles));
        }
        if (!layers.empty()) {
            auto* note = new QLabel(
                tr("Each square: one neuron's output over the plane\n(blue negative, white 0, red positive)"),
                m_neuronHost);
            note->setForegroundRole(QPalette::PlaceholderText);
            note->setWordWrap(true);
            m_neuronGrid->addWidget(note, kMaxNeuronsPerLayer + 1, 0, 1, static_cast<int>(layers.size()));
            m_neuronHeaders.push_back(note);
        }
        m_neuronGrid->setRowStretch(kMaxNeuronsPerLayer + 2, 1);
        m_neuronGrid->setColumnStretch(static_cast<int>(layers.size()), 1);
        m_neuronScroll->setVisible(!layers.empty());
        const int columns = static_cast<int>(layers.size());
        int width = 0;
        for (QLabel* label : m_neuronHeaders)
            if (!label->wordWrap()) // the explanatory note wraps to whatever width the columns take
                width = std::max(width, label->sizeHint().width());
        width = std::max(width, kThumbnail);
        m_neuronScroll->setFixedWidth(std::max(180, columns * (width + m_neuronGrid->horizontalSpacing()) + 30));
    }

    std::vector<float> image(cells);
    for (std::size_t column = 0; column < layers.size(); ++column) {
        const core::Tensor& t = neurons[static_cast<std::size_t>(layers[column])];
        const int units = t.dim(1);
        // One symmetric range per layer, so neurons of a layer compare.
        float lo = 0, hi = 0;
        for (std::size_t i = 0; i < t.size(); ++i) {
            lo = std::min(lo, t[i]);
            hi = std::max(hi, t[i]);
        }
        const auto [slo, shi] = ColorMap::symmetricRange(lo, hi);
        auto& tiles = m_neuronTiles[column];
        for (std::size_t u = 0; u < tiles.size(); ++u) {
            // Grid row 0 is the top of the plane, like an image row: no flip needed.
            for (std::size_t cell = 0; cell < cells; ++cell)
                image[cell] = t[cell * static_cast<std::size_t>(units) + u];
            tiles[u]->setRange(slo, shi);
            tiles[u]->setData(g, g, image);
        }
    }
}

} // namespace layerlens::ui
