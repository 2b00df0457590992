#include "ui/views/textbook_exercise_view.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include "core/activations/activation.h"
#include "core/lab/chain_rule.h"

namespace layerlens::ui {

namespace {

// Which part of the derivation a row belongs to, for its shading.
enum class Part { Given, Forward, Loss, Backward, Update };

Part partOf(const core::TextbookRow& row)
{
    if (row.formula.rfind("given", 0) == 0 || row.formula.rfind("initial", 0) == 0)
        return Part::Given;
    if (row.quantity == "L")
        return Part::Loss;
    if (!row.quantity.empty() && row.quantity.back() == '\'')
        return Part::Update;
    if (row.quantity.rfind("d", 0) == 0)
        return Part::Backward;
    return Part::Forward;
}

QColor shade(Part part)
{
    switch (part) {
    case Part::Given: return QColor(245, 245, 245);
    case Part::Forward: return QColor(52, 120, 198, 28);
    case Part::Loss: return QColor(142, 68, 173, 36);
    case Part::Backward: return QColor(230, 126, 34, 32);
    case Part::Update: return QColor(39, 174, 96, 32);
    }
    return {};
}

}  // namespace

TextbookExerciseView::TextbookExerciseView(QWidget* parent)
    : QWidget(parent)
    , m_activation(new QComboBox(this))
    , m_sizes(new QLineEdit("2, 2, 2", this))
    , m_rate(new QDoubleSpinBox(this))
    , m_status(new QLabel(this))
    , m_table(new QTableWidget(this))
{
    setObjectName("textbookExerciseView");
    for (const std::string& name : core::Activation::names())
        if (name != "softmax")
            m_activation->addItem(QString::fromStdString(name));
    m_activation->setCurrentText("sigmoid");
    m_rate->setRange(0.001, 10);
    m_rate->setDecimals(3);
    m_rate->setValue(0.5);
    m_sizes->setToolTip(tr("Layer sizes: inputs, hidden..., outputs. 2, 2, 2 uses the textbook's weights; "
                           "other sizes start from the seeded initialization."));
    auto* compute = new QPushButton(tr("Compute"), this);
    auto* save = new QPushButton(tr("Export CSV…"), this);
    m_table->setColumnCount(3);
    m_table->setHorizontalHeaderLabels({tr("Quantity"), tr("Formula"), tr("Value")});
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(22);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(false);

    auto* intro = new QLabel(tr("One example through a tiny network by hand — forward, loss (MSE), backward, one SGD "
                                "step — with every number computed by the engine, layer by layer. "
                                "<span style='color:#3478c6'>■</span> forward "
                                "<span style='color:#8e44ad'>■</span> loss "
                                "<span style='color:#e67e22'>■</span> backward "
                                "<span style='color:#27ae60'>■</span> update"),
                             this);
    intro->setWordWrap(true);
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Sizes"), this));
    bar->addWidget(m_sizes);
    bar->addWidget(new QLabel(tr("Activation"), this));
    bar->addWidget(m_activation);
    bar->addWidget(new QLabel(tr("Learning rate η"), this));
    bar->addWidget(m_rate);
    bar->addWidget(compute);
    bar->addStretch(1);
    bar->addWidget(save);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(bar);
    layout->addWidget(m_status);
    layout->addWidget(m_table, 1);

    connect(compute, &QPushButton::clicked, this, &TextbookExerciseView::recompute);
    connect(m_activation, &QComboBox::currentTextChanged, this, &TextbookExerciseView::recompute);
    connect(save, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export the exercise"), "backprop_exercise.csv",
                                                          tr("CSV files (*.csv)"));
        if (!path.isEmpty() && !exportCsv(path))
            m_status->setText(tr("Could not write %1").arg(path));
    });
    recompute();
}

void TextbookExerciseView::setActivation(const QString& name) { m_activation->setCurrentText(name); }
void TextbookExerciseView::setSizes(const QString& sizes) { m_sizes->setText(sizes); }
void TextbookExerciseView::setLearningRate(double rate) { m_rate->setValue(rate); }

bool TextbookExerciseView::recompute()
{
    core::TextbookSettings settings;
    settings.sizes.clear();
    for (const QString& part : m_sizes->text().split(',', Qt::SkipEmptyParts)) {
        bool ok = false;
        settings.sizes.push_back(part.trimmed().toInt(&ok));
        if (!ok) {
            m_status->setText(tr("Sizes: \"%1\" is not a number").arg(part.trimmed()));
            return false;
        }
    }
    settings.activation = m_activation->currentText().toStdString();
    settings.learningRate = static_cast<float>(m_rate->value());
    if (settings.sizes.size() >= 2) {
        // Inputs and targets: the textbook's for 2 -> 2, otherwise a fixed simple pattern.
        const int in = settings.sizes.front(), out = settings.sizes.back();
        if (in != 2 || out != 2) {
            settings.input.clear();
            settings.target.clear();
            for (int i = 0; i < in; ++i)
                settings.input.push_back(0.1f * static_cast<float>(i + 1));
            for (int j = 0; j < out; ++j)
                settings.target.push_back(j % 2 ? 0.99f : 0.01f);
        }
    }
    try {
        m_exercise = std::make_unique<core::TextbookExercise>(settings);
    } catch (const std::exception& e) {
        m_status->setText(QString::fromUtf8(e.what()));
        m_status->setStyleSheet("color: #c0392b;");
        return false;
    }
    m_status->setStyleSheet("");
    m_status->setText(tr("Loss before the step: %1").arg(QString::fromStdString(core::formatLabNumber(m_exercise->loss()))));
    const auto& rows = m_exercise->rows();
    m_table->setRowCount(static_cast<int>(rows.size()));
    QFont mono("monospace");
    mono.setStyleHint(QFont::Monospace);
    for (int r = 0; r < static_cast<int>(rows.size()); ++r) {
        const auto& row = rows[static_cast<std::size_t>(r)];
        const QColor background = shade(partOf(row));
        const QString cells[3] = {QString::fromStdString(row.quantity), QString::fromStdString(row.formula),
                                  QString::number(row.value, 'g', 7)};  // float precision; the CSV keeps 9 digits
        for (int c = 0; c < 3; ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            item->setBackground(background);
            if (c == 2) {
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
                item->setFont(mono);
                item->setData(Qt::UserRole, row.value);
            }
            m_table->setItem(r, c, item);
        }
    }
    return true;
}

QString TextbookExerciseView::csv() const { return m_exercise ? QString::fromStdString(m_exercise->toCsv()) : QString(); }

bool TextbookExerciseView::exportCsv(const QString& path) const
{
    QFile file(path);
    if (!m_exercise || !file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return file.write(csv().toUtf8()) >= 0;
}

}  // namespace layerlens::ui
