// failureInChildProcess: crashes and endless loops in the child become messages; ordinary
// returns and exceptions are no failure (the caller repeats the work in-process).

#include <QtTest>

#include <csignal>
#include <stdexcept>
#include <thread>

#include "core/io/child_process_check.h"

using namespace layerlens::core;

class TestChildProcessCheck : public QObject {
    Q_OBJECT

private slots:
    void workThatReturnsIsNoFailure()
    {
        QVERIFY(!failureInChildProcess([] {}, std::chrono::seconds(10)).has_value());
    }

    void workThatThrowsIsNoFailure()
    {
        QVERIFY(!failureInChildProcess([] { throw std::runtime_error("bad file"); }, std::chrono::seconds(10)).has_value());
    }

    void aCrashIsReported()
    {
        const auto failure = failureInChildProcess([] { std::raise(SIGSEGV); }, std::chrono::seconds(10));
        QVERIFY(failure.has_value());
        QVERIFY2(failure->find("crashed") != std::string::npos, failure->c_str());
    }

    void anEndlessLoopIsStopped()
    {
        QElapsedTimer timer;
        timer.start();
        const auto failure = failureInChildProcess([] { std::this_thread::sleep_for(std::chrono::seconds(60)); }, std::chrono::seconds(1));
        QVERIFY(failure.has_value());
        QCOMPARE(*failure, std::string("did not finish within 1 s"));
        QVERIFY(timer.elapsed() < 10000);
    }

    void theParentIsUntouched()
    {
        int value = 1;
        QVERIFY(!failureInChildProcess([&value] { value = 2; }, std::chrono::seconds(10)).has_value());
        QCOMPARE(value, 1);  // the child wrote its own copy
    }
};

QTEST_GUILESS_MAIN(TestChildProcessCheck)
#include "test_child_process_check.moc"
