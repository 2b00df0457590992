// TextbookExerciseView: the table is the engine's exercise, row for row, and exports as CSV.

#include <QtTest>

#include <QTableWidget>
#include <QTemporaryDir>

#include "ui/views/textbook_exercise_view.h"

using namespace layerlens;

class TestTextbookExerciseView : public QObject {
    Q_OBJECT
private slots:
    void tableIsTheExercise()
    {
        ui::TextbookExerciseView view;
        view.resize(1000, 800);
        const auto* exercise = view.exercise();
        QVERIFY(exercise);
        QCOMPARE(view.table()->rowCount(), static_cast<int>(exercise->rows().size()));
        for (int r = 0; r < view.table()->rowCount(); ++r) {
            const auto& row = exercise->rows()[static_cast<std::size_t>(r)];
            QCOMPARE(view.table()->item(r, 0)->text(), QString::fromStdString(row.quantity));
            QCOMPARE(view.table()->item(r, 2)->data(Qt::UserRole).toDouble(), row.value);
        }
        QVERIFY(std::abs(exercise->value("L") - 0.298371109) < 1e-6);

        QTemporaryDir dir;
        const QString path = dir.filePath("exercise.csv");
        QVERIFY(view.exportCsv(path));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(file.readAll()), QString::fromStdString(exercise->toCsv()));
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(view.grab().save("/tmp/layerlens_textbook.png"));
    }

    void otherSettings()
    {
        ui::TextbookExerciseView view;
        view.setSizes("3, 4, 2");
        view.setActivation("tanh");
        QVERIFY(view.recompute());
        QVERIFY(view.exercise()->has("dL/dw[1]_43"));
        view.setSizes("3, x");
        QVERIFY(!view.recompute());
    }
};

QTEST_MAIN(TestTextbookExerciseView)
#include "test_textbook_exercise_view.moc"
