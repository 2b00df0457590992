// EvaluationView: the hint before any validation, the confusion matrix counts and colours, the
// per-class accuracy bars, and the gallery of misclassified samples (pictures and vectors).

#include "core/train/snapshot.h"
#include "ui/views/evaluation_view.h"
#include "ui/widgets/color_map.h"
#include "ui/widgets/confusion_matrix_widget.h"
#include "ui/widgets/probability_bars.h"
#include "ui/widgets/sample_card.h"

#include <QtTest>
#include <memory>

using namespace layerlens;
using layerlens::ui::ConfusionMatrixWidget;
using layerlens::ui::EvaluationView;
using layerlens::ui::SampleCard;

namespace {

std::shared_ptr<core::Snapshot> makeSnapshot()
{
    auto s = std::make_shared<core::Snapshot>();
    s->epoch = 2;
    s->hasValidation = true;
    s->validationLoss = 0.4123f;
    s->validationAccuracy = 0.8125f;
    s->classNames = { "T-shirt", "Trouser", "Pullover", "Dress" };
    s->confusion = { 50, 2, 7, 1, //
        0, 60, 0, 3, //
        9, 1, 38, 2, //
        4, 2, 1, 45 };
    s->perClassAccuracy = { 50.0f / 60, 60.0f / 63, 38.0f / 50, 45.0f / 52 };
    // A 1-channel 6x6 picture: a bright square in a dark frame.
    core::Snapshot::Misclassified picture;
    picture.input = core::Tensor({ 1, 6, 6 });
    for (int y = 1; y < 5; ++y)
        for (int x = 1; x < 5; ++x)
            picture.input[static_cast<std::size_t>(y * 6 + x)] = 1.0f;
    picture.trueClass = 2;
    picture.predictedClass = 0;
    picture.probabilities = { 0.55f, 0.05f, 0.3f, 0.1f };
    s->misclassified.push_back(picture);
    // An RGB picture.
    core::Snapshot::Misclassified rgb;
    rgb.input = core::Tensor({ 3, 4, 4 }, 0.5f);
    rgb.trueClass = 3;
    rgb.predictedClass = 1;
    rgb.probabilities = { 0.1f, 0.6f, 0.05f, 0.25f };
    s->misclassified.push_back(rgb);
    return s;
}

} // namespace

class TestEvaluationView : public QObject {
    Q_OBJECT
private slots:
    void hintUntilValidation()
    {
        EvaluationView view;
        QVERIFY(view.isHintVisible());
        view.showSnapshot(std::make_shared<core::Snapshot>());
        QVERIFY(view.isHintVisible());
        view.showSnapshot(makeSnapshot());
        QVERIFY(!view.isHintVisible());
        // A later training-step snapshot (no validation) keeps the last results on screen.
        view.showSnapshot(std::make_shared<core::Snapshot>());
        QVERIFY(!view.isHintVisible());
        QCOMPARE(view.confusionMatrix()->classCount(), 4);
    }

    void confusionMatrixShowsCounts()
    {
        EvaluationView view;
        view.resize(1100, 850);
        auto s = makeSnapshot();
        view.showSnapshot(s);
        ConfusionMatrixWidget* m = view.confusionMatrix();
        QCOMPARE(m->classCount(), 4);
        for (int t = 0; t < 4; ++t)
            for (int p = 0; p < 4; ++p)
                QCOMPARE(m->cellText(t, p), QString::number(s->confusion[static_cast<std::size_t>(t * 4 + p)]));
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QImage image = view.renderImage();
        const double dpr = image.devicePixelRatio();
        // Cell colour: viridis of the share of the true class (row); read near a cell's corner,
        // away from the count text.
        for (auto [t, p] : { std::pair { 0, 0 }, std::pair { 2, 0 }, std::pair { 1, 2 } }) {
            const QRect cell = m->cellRect(t, p);
            QVERIFY(!cell.isEmpty());
            const QPoint corner = m->mapTo(&view, cell.topLeft() + QPoint(3, 3));
            QCOMPARE(image.pixel(corner * dpr) & 0xffffff, m->cellColor(t, p) & 0xffffff);
        }
        QCOMPARE(m->cellColor(0, 0) & 0xffffff, layerlens::ui::ColorMap::viridis().rgb(50.0 / 60) & 0xffffff);

        QCOMPARE(view.accuracyBars()->count(), 4);
        QCOMPARE(view.accuracyBars()->labels().at(1), QStringLiteral("Trouser"));
        QCOMPARE(view.accuracyBars()->values().at(2), 38.0f / 50);
        image.save(QStringLiteral("/tmp/layerlens_evaluation_view.png"));
        QVERIFY(view.exportSvg(QStringLiteral("/tmp/layerlens_evaluation_view.svg")));
    }

    void galleryShowsMisclassifiedSamples()
    {
        EvaluationView view;
        view.showSnapshot(makeSnapshot());
        QCOMPARE(view.misclassifiedCount(), 2);
        SampleCard* card = view.misclassifiedCard(0);
        QCOMPARE(card->image().size(), QSize(6, 6));
        QCOMPARE(QColor(card->image().pixel(0, 0)), QColor(Qt::black));
        QCOMPARE(QColor(card->image().pixel(2, 2)), QColor(Qt::white));
        QVERIFY(card->trueText().contains(QStringLiteral("Pullover")));
        QVERIFY(card->predictedText().contains(QStringLiteral("T-shirt")));
        const QStringList top = card->topText().split(QLatin1Char('\n'));
        QCOMPARE(top.size(), 3);
        QVERIFY(top[0].startsWith(QStringLiteral("T-shirt 55.0")));
        QVERIFY(top[1].startsWith(QStringLiteral("Pullover 30.0")));
        QVERIFY(top[2].startsWith(QStringLiteral("Dress 10.0")));
        QCOMPARE(view.misclassifiedCard(1)->image().size(), QSize(4, 4));
        QCOMPARE(QColor(view.misclassifiedCard(1)->image().pixel(1, 1)).red(), 128);

        // A feature-vector sample is shown as text.
        auto s = makeSnapshot();
        s->misclassified.resize(1);
        s->misclassified[0].input = core::Tensor({ 2 }, { 0.25f, -1.5f });
        view.showSnapshot(s);
        QCOMPARE(view.misclassifiedCount(), 1);
        QVERIFY(view.misclassifiedCard(0)->image().isNull());
        QCOMPARE(view.misclassifiedCard(0)->inputText(), QStringLiteral("[0.25, -1.5]"));
    }

    void malformedConfusionIsIgnored()
    {
        ConfusionMatrixWidget m;
        m.setMatrix({ 1, 2, 3 }, {});
        QCOMPARE(m.classCount(), 0);
        QCOMPARE(m.count(0, 0), 0);
    }
};

QTEST_MAIN(TestEvaluationView)
#include "test_evaluation_view.moc"
