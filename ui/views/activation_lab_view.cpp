#include "ui/views/activation_lab_view.h"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QListWidget>
#include <QSlider>
#include <QValueAxis>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "core/activations/activation.h"
#include "core/lab/activation_samples.h"

namespace layerlens::ui {

namespace {

const QColor kPalette[] = {{31, 119, 180}, {255, 127, 14}, {44, 160, 44},  {214, 39, 40},  {148, 103, 189}, {140, 86, 75},
                           {227, 119, 194}, {127, 127, 127}, {188, 189, 34}, {23, 190, 207}, {31, 60, 120},   {200, 80, 0},
                           {0, 110, 80}};

struct About {
    const char* name;
    const char* formula;
    const char* derivative;
    const char* note;
};

// What a student should notice about each function.
const About kAbout[] = {
    {"linear", "f(x) = x", "f'(x) = 1", "No non-linearity: a stack of linear layers is one linear layer."},
    {"sigmoid", "σ(x) = 1 / (1 + e^−x)", "σ'(x) = σ(x)(1 − σ(x)) ≤ 0.25",
     "Saturates on both sides; the derivative is at most 1/4, so gradients shrink at every layer of a deep stack."},
    {"tanh", "tanh(x)", "1 − tanh²(x) ≤ 1", "Zero-centred, but saturates like the sigmoid for |x| > 2."},
    {"relu", "max(0, x)", "1 for x > 0, else 0", "No saturation for x > 0; a unit whose input stays negative is dead (no gradient)."},
    {"leaky_relu", "x for x > 0, else αx", "1 or α", "A small slope α for x < 0 keeps units from dying."},
    {"hard_tanh", "clip(x, −1, 1)", "1 inside [−1, 1], else 0", "A cheap tanh; flat (zero gradient) outside [−1, 1]."},
    {"hard_sigmoid", "clip(x/6 + 1/2, 0, 1)", "1/6 inside, else 0", "A cheap piecewise-linear sigmoid."},
    {"elu", "x for x > 0, else α(e^x − 1)", "1 or αe^x", "Smooth for x < 0 and pushes mean activations towards zero."},
    {"selu", "λ·elu(x) with fixed λ, α", "λ or λαe^x", "Self-normalizing: keeps mean 0 and variance 1 through deep stacks."},
    {"gelu", "x·Φ(x)", "Φ(x) + xφ(x)", "Smooth ReLU used in transformers; slightly negative for small x < 0."},
    {"silu", "x·σ(x)  (swish)", "σ(x)(1 + x(1 − σ(x)))", "Smooth, non-monotonic ReLU relative."},
    {"softplus", "ln(1 + e^x)", "σ(x)", "A smooth ReLU; its derivative is the sigmoid."},
    {"softsign", "x / (1 + |x|)", "1 / (1 + |x|)²", "Like tanh, but approaches ±1 only polynomially."},
};

}  // namespace

ActivationLabView::ActivationLabView(QWidget* parent)
    : QWidget(parent)
    , m_list(new QListWidget(this))
    , m_min(new QDoubleSpinBox(this))
    , m_max(new QDoubleSpinBox(this))
    , m_leaky(new QSlider(Qt::Horizontal, this))
    , m_elu(new QSlider(Qt::Horizontal, this))
    , m_leakyLabel(new QLabel(this))
    , m_eluLabel(new QLabel(this))
    , m_derivatives(new QCheckBox(tr("Show derivatives f' (dashed)"), this))
    , m_about(new QLabel(this))
    , m_chart(new QChart)
    , m_view(new QChartView(m_chart, this))
    , m_x(new QValueAxis(this))
    , m_y(new QValueAxis(this))
{
    setObjectName("activationLabView");
    for (const std::string& name : core::Activation::names()) {
        if (name == "softmax")
            continue;
        auto* item = new QListWidgetItem(QString::fromStdString(name), m_list);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
        const bool initially = name == "sigmoid" || name == "tanh" || name == "relu";
        item->setCheckState(initially ? Qt::Checked : Qt::Unchecked);
        const QColor color = kPalette[static_cast<std::size_t>(m_list->count() - 1) % std::size(kPalette)];
        item->setData(Qt::UserRole, color);
        QPixmap swatch(12, 12);
        swatch.fill(color);
        item->setIcon(QIcon(swatch));
    }
    for (QDoubleSpinBox* box : {m_min, m_max}) {
        box->setRange(-50, 50);
        box->setSingleStep(0.5);
        box->setDecimals(1);
    }
    m_min->setValue(-5);
    m_max->setValue(5);
    m_leaky->setRange(0, 50);  // alpha = value / 100
    m_leaky->setValue(10);
    m_elu->setRange(1, 30);    // alpha = value / 10
    m_elu->setValue(10);
    m_derivatives->setChecked(true);
    m_about->setWordWrap(true);
    m_about->setTextFormat(Qt::RichText);
    m_about->setMinimumHeight(90);
    m_about->setAlignment(Qt::AlignTop | Qt::AlignLeft);

    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart->setTitle(tr("Activation functions f(x) (solid) and their derivatives f'(x) (dashed)"));
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_y, Qt::AlignLeft);
    m_x->setTitleText("x");
    m_x->setTickCount(11);
    m_y->setTickCount(9);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumSize(420, 320);

    auto* range = new QHBoxLayout;
    range->addWidget(new QLabel(tr("x from"), this));
    range->addWidget(m_min);
    range->addWidget(new QLabel(tr("to"), this));
    range->addWidget(m_max);
    auto* params = new QGroupBox(tr("Parameters"), this);
    auto* form = new QFormLayout(params);
    form->addRow(tr("Range"), range);
    form->addRow(m_leakyLabel, m_leaky);
    form->addRow(m_eluLabel, m_elu);
    form->addRow(m_derivatives);
    auto* side = new QVBoxLayout;
    auto* listTitle = new QLabel(tr("<b>Functions</b> (tick to overlay)"), this);
    side->addWidget(listTitle);
    side->addWidget(m_list, 1);
    side->addWidget(params);
    side->addWidget(m_about);
    auto* sideWidget = new QWidget(this);
    sideWidget->setLayout(side);
    sideWidget->setMaximumWidth(320);
    auto* layout = new QHBoxLayout(this);
    layout->addWidget(sideWidget);
    layout->addWidget(m_view, 1);

    connect(m_list, &QListWidget::itemChanged, this, [this](QListWidgetItem* item) {
        describe(item->text());
        replot();
    });
    connect(m_list, &QListWidget::currentTextChanged, this, &ActivationLabView::describe);
    for (QDoubleSpinBox* box : {m_min, m_max})
        connect(box, &QDoubleSpinBox::valueChanged, this, &ActivationLabView::replot);
    for (QSlider* slider : {m_leaky, m_elu})
        connect(slider, &QSlider::valueChanged, this, &ActivationLabView::replot);
    connect(m_derivatives, &QCheckBox::toggled, this, &ActivationLabView::replot);
    for (int i = 0; i < m_list->count(); ++i)
        if (m_list->item(i)->text() == "sigmoid")
            m_list->setCurrentRow(i);
    describe("sigmoid");
    replot();
}

void ActivationLabView::setChecked(const QString& name, bool checked)
{
    for (int i = 0; i < m_list->count(); ++i)
        if (m_list->item(i)->text() == name)
            m_list->item(i)->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
}

QStringList ActivationLabView::checkedFunctions() const
{
    QStringList names;
    for (int i = 0; i < m_list->count(); ++i)
        if (m_list->item(i)->checkState() == Qt::Checked)
            names << m_list->item(i)->text();
    return names;
}

void ActivationLabView::setRange(double xmin, double xmax)
{
    const QSignalBlocker a(m_min), b(m_max);
    m_min->setValue(xmin);
    m_max->setValue(xmax);
    replot();
}

void ActivationLabView::setLeakyAlpha(double alpha) { m_leaky->setValue(qRound(alpha * 100)); }
void ActivationLabView::setEluAlpha(double alpha) { m_elu->setValue(qRound(alpha * 10)); }
void ActivationLabView::setShowDerivatives(bool show) { m_derivatives->setChecked(show); }

QList<QPointF> ActivationLabView::plottedPoints(const QString& name, bool derivative) const
{
    const auto& map = derivative ? m_df : m_f;
    const auto it = map.find(name);
    return it == map.end() ? QList<QPointF>{} : (*it)->points();
}

void ActivationLabView::describe(const QString& name)
{
    for (const About& about : kAbout)
        if (name == about.name) {
            m_about->setText(QString("<b>%1</b><br>%2<br>%3<br><span style='color:#666'>%4</span>")
                                 .arg(name, about.formula, about.derivative, about.note));
            return;
        }
}

void ActivationLabView::replot()
{
    const double leakyAlpha = m_leaky->value() / 100.0, eluAlpha = m_elu->value() / 10.0;
    m_leakyLabel->setText(tr("leaky ReLU α = %1").arg(leakyAlpha, 0, 'f', 2));
    m_eluLabel->setText(tr("ELU α = %1").arg(eluAlpha, 0, 'f', 1));
    double xmin = m_min->value(), xmax = m_max->value();
    if (xmax <= xmin)
        xmax = xmin + 1;

    m_chart->removeAllSeries();
    m_f.clear();
    m_df.clear();
    double ymin = 0, ymax = 1;
    // The axes through the origin, drawn first so that the curves lie on top.
    auto* xAxisLine = new QLineSeries(this);
    xAxisLine->append(xmin, 0);
    xAxisLine->append(xmax, 0);
    auto* yAxisLine = new QLineSeries(this);
    for (QLineSeries* line : {xAxisLine, yAxisLine}) {
        line->setPen(QPen(QColor(150, 150, 150), 1));
        m_chart->addSeries(line);
        line->attachAxis(m_x);
        line->attachAxis(m_y);
    }
    for (int i = 0; i < m_list->count(); ++i) {
        const QListWidgetItem* item = m_list->item(i);
        if (item->checkState() != Qt::Checked)
            continue;
        const QString name = item->text();
        const auto activation = core::Activation::fromName(name.toStdString());
        if (!activation)
            continue;
        const float alpha = activation->kind == core::ActivationKind::LeakyRelu ? static_cast<float>(leakyAlpha)
                          : activation->kind == core::ActivationKind::Elu       ? static_cast<float>(eluAlpha)
                                                                                : activation->alpha;
        const auto samples = core::sampleActivation(activation->kind, alpha, static_cast<float>(xmin), static_cast<float>(xmax), kSamples);
        const QColor color = item->data(Qt::UserRole).value<QColor>();
        auto* f = new QLineSeries(this);
        f->setName(name);
        f->setPen(QPen(color, 2.4));
        auto* df = m_derivatives->isChecked() ? new QLineSeries(this) : nullptr;
        if (df) {
            df->setName(name + "'");
            df->setPen(QPen(color, 1.6, Qt::DashLine));
        }
        QList<QPointF> fp, dfp;
        for (std::size_t k = 0; k < samples.x.size(); ++k) {
            fp.append(QPointF(samples.x[k], samples.f[k]));
            dfp.append(QPointF(samples.x[k], samples.df[k]));
            ymin = std::min({ymin, static_cast<double>(samples.f[k])});
            ymax = std::max({ymax, static_cast<double>(samples.f[k])});
            if (m_derivatives->isChecked()) {
                ymin = std::min(ymin, static_cast<double>(samples.df[k]));
                ymax = std::max(ymax, static_cast<double>(samples.df[k]));
            }
        }
        f->replace(fp);
        m_chart->addSeries(f);
        f->attachAxis(m_x);
        f->attachAxis(m_y);
        m_f.insert(name, f);
        if (df) {
            df->replace(dfp);
            m_df.insert(name, df);
            m_chart->addSeries(df);
            df->attachAxis(m_x);
            df->attachAxis(m_y);
            // One legend entry per function: the dashed twin is explained by the checkbox.
            if (auto markers = m_chart->legend()->markers(df); !markers.isEmpty())
                markers.first()->setVisible(false);
        }
    }
    // Keep huge values (softplus, relu on a wide range) from flattening everything else.
    ymin = std::max(ymin, -std::max(6.0, -xmin));
    ymax = std::min(ymax, std::max(6.0, xmax));
    const double pad = 0.08 * (ymax - ymin);
    m_x->setRange(xmin, xmax);
    m_y->setRange(std::floor((ymin - pad) * 2) / 2, std::ceil((ymax + pad) * 2) / 2);
    m_y->applyNiceNumbers();
    yAxisLine->append(0, m_y->min());
    yAxisLine->append(0, m_y->max());
    for (QLineSeries* line : {xAxisLine, yAxisLine})
        if (auto markers = m_chart->legend()->markers(line); !markers.isEmpty())
            markers.first()->setVisible(false);
}

}  // namespace layerlens::ui
