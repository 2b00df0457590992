#include "ui/widgets/sample_card.h"

#include "ui/widgets/color_map.h"
#include "ui/widgets/tensor_image.h"

#include <QLabel>
#include <QPainter>
#include <QPixmap>
#include <QVBoxLayout>
#include <algorithm>
#include <numeric>

namespace layerlens::ui {

namespace {
constexpr int kPictureSize = 84;

QString className(const QStringList& names, int index)
{
    return index >= 0 && index < names.size() ? names[index] : QString::number(index);
}
} // namespace

SampleCard::SampleCard(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("sampleCard"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(2);
    m_picture = new QLabel(this);
    m_picture->setAlignment(Qt::AlignCenter);
    m_picture->setMinimumSize(kPictureSize, kPictureSize);
    m_picture->setWordWrap(true);
    m_true = new QLabel(this);
    m_predicted = new QLabel(this);
    m_top = new QLabel(this);
    QFont small = m_top->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    m_top->setFont(small);
    for (QLabel* l : { m_picture, m_true, m_predicted, m_top })
        layout->addWidget(l);
    layout->addStretch(1);
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Maximum);
    setFixedWidth(kPictureSize + 70);
}

void SampleCard::setSample(const core::Snapshot::Misclassified& sample, const QStringList& classNames)
{
    const core::Tensor& in = sample.input;
    m_image = QImage();
    // The input has no batch axis: (C, H, W) or (H, W) is a picture, anything else a vector.
    if (in.rank() == 3 && (in.dim(0) == 1 || in.dim(0) == 3))
        m_image = TensorImage::fromChw(in.data(), in.dim(0), in.dim(1), in.dim(2), false);
    else if (in.rank() == 2 && in.dim(0) > 1 && in.dim(1) > 1)
        m_image = TensorImage::fromChw(in.data(), 1, in.dim(0), in.dim(1), false);
    if (!m_image.isNull()) {
        // Nearest-neighbour enlargement keeps the pixels of a 28x28 picture honest.
        const QImage big = m_image.scaled(kPictureSize, kPictureSize, Qt::KeepAspectRatio, Qt::FastTransformation);
        m_picture->setPixmap(QPixmap::fromImage(big));
        m_picture->setToolTip({});
    } else {
        m_picture->setPixmap({});
        m_picture->setText(TensorImage::featureText(in.data(), in.size(), 6));
    }

    const QColor trueColor = ColorMap::categorical(2), wrongColor = ColorMap::categorical(3);
    m_true->setText(tr("true: <b style='color:%1'>%2</b>")
                        .arg(trueColor.name(), className(classNames, sample.trueClass).toHtmlEscaped()));
    m_predicted->setText(tr("predicted: <b style='color:%1'>%2</b>")
                             .arg(wrongColor.name(), className(classNames, sample.predictedClass).toHtmlEscaped()));

    std::vector<int> order(sample.probabilities.size());
    std::iota(order.begin(), order.end(), 0);
    const std::size_t k = std::min<std::size_t>(3, order.size());
    std::partial_sort(order.begin(), order.begin() + static_cast<long>(k), order.end(), [&](int a, int b) {
        return sample.probabilities[static_cast<std::size_t>(a)] > sample.probabilities[static_cast<std::size_t>(b)];
    });
    QStringList lines;
    for (std::size_t i = 0; i < k; ++i)
        lines << QStringLiteral("%1 %2 %")
                     .arg(className(classNames, order[i]))
                     .arg(100.0 * sample.probabilities[static_cast<std::size_t>(order[i])], 0, 'f', 1);
    m_top->setText(lines.join(QLatin1Char('\n')));
}

void SampleCard::paintEvent(QPaintEvent*)
{
    // A card: base colour with a thin rounded border, painted (not style-sheeted) so the labels keep
    // following the palette in dark themes.
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setPen(QPen(palette().color(QPalette::Mid), 1.0));
    painter.setBrush(palette().color(QPalette::Base));
    painter.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
}

QString SampleCard::inputText() const
{
    return m_picture->text();
}

QString SampleCard::trueText() const
{
    return m_true->text();
}

QString SampleCard::predictedText() const
{
    return m_predicted->text();
}

QString SampleCard::topText() const
{
    return m_top->text();
}

} // namespace layerlens::ui
