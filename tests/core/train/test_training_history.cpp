// TrainingHistory: incremental reads, CSV export, concurrent writer and reader.
#include <QTest>

#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/train/training_history.h"

using namespace layerlens::core;

namespace {
std::vector<std::string> lines(const std::string& text)
{
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}
}  // namespace

class TestTrainingHistory : public QObject {
    Q_OBJECT

private slots:
    void incrementalReads()
    {
        TrainingHistory history;
        for (int i = 1; i <= 5; ++i)
            history.addStep({i, i * 0.2, 1.0f / static_cast<float>(i), 0.5f, 0.01f, {}});
        history.addEpoch({0, 5, 0.4f, 0.6f, 0.5f, 0.7f, 1.5});
        QCOMPARE(history.stepCount(), std::size_t(5));
        QCOMPARE(history.epochCount(), std::size_t(1));
        const auto tail = history.stepsSince(3);
        QCOMPARE(tail.size(), std::size_t(2));
        QCOMPARE(tail[0].step, 4LL);
        QVERIFY(history.stepsSince(5).empty());
        QVERIFY(history.stepsSince(99).empty());
        QCOMPARE(history.epochsSince(0).at(0).validationAccuracy, 0.7f);
        history.clear();
        QCOMPARE(history.stepCount(), std::size_t(0));
        QCOMPARE(history.epochCount(), std::size_t(0));
    }

    void csv()
    {
        TrainingHistory history;
        history.addStep({1, 0.25, 2.5f, 0.1f, 0.01f, {}});
        history.addStep({2, 0.5, 2.0f, 0.2f, 0.01f, {1.0f}});
        history.addStep({3, 0.75, 1.5f, 0.3f, 0.005f, {}});
        history.addStep({4, 1.0, 1.25f, 0.4f, 0.005f, {}});
        history.addEpoch({0, 2, 2.25f, 0.15f, 1.75f, 0.375f, 3.0});
        // An epoch without validation data carries NaN: its cells stay empty.
        const float nan = std::numeric_limits<float>::quiet_NaN();
        history.addEpoch({1, 4, 1.375f, 0.35f, nan, nan, 6.0});
        const auto rows = lines(history.toCsv());
        QCOMPARE(rows.size(), std::size_t(5));
        QCOMPARE(rows[0], std::string("step,epoch,loss,accuracy,learning_rate,val_loss,val_accuracy"));
        QCOMPARE(rows[1], std::string("1,0.25,2.5,0.1,0.01,,"));
        QCOMPARE(rows[2], std::string("2,0.5,2,0.2,0.01,1.75,0.375"));
        QCOMPARE(rows[3], std::string("3,0.75,1.5,0.3,0.005,,"));
        QCOMPARE(rows[4], std::string("4,1,1.25,0.4,0.005,,"));
        QCOMPARE(lines(TrainingHistory().toCsv()).size(), std::size_t(1));
    }

    // The trainer thread appends while the UI thread reads from its last index: nothing is lost
    // or duplicated, and the order is kept.
    void concurrentWriterAndReader()
    {
        TrainingHistory history;
        constexpr int kSteps = 20000;
        std::thread writer([&] {
            for (int i = 0; i < kSteps; ++i)
                history.addStep({i, 0.0, static_cast<float>(i), 0.0f, 0.0f, {}});
        });
        std::vector<long long> seen;
        while (seen.size() < static_cast<std::size_t>(kSteps)) {
            for (const auto& record : history.stepsSince(seen.size()))
                seen.push_back(record.step);
        }
        writer.join();
        for (int i = 0; i < kSteps; ++i)
            QCOMPARE(seen[static_cast<std::size_t>(i)], static_cast<long long>(i));
    }
};

QTEST_APPLESS_MAIN(TestTrainingHistory)
#include "test_training_history.moc"
