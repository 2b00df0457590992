#include "core/io/child_process_check.h"

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <thread>

#if defined(__unix__)
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

namespace layerlens::core {

std::optional<std::string> failureInChildProcess(const std::function<void()>& work, std::chrono::seconds limit)
{
#if defined(__unix__)
    const pid_t child = fork();
    if (child < 0)
        return std::nullopt;  // no child to spare: the caller reads in-process as before
    if (child == 0) {
        int code = 0;
        try {
            work();
        } catch (...) {
            code = 1;
        }
        std::_Exit(code);  // no destructors or atexit handlers of the parent's objects
    }
    // Poll instead of alarm(): signals belong to the whole (multi-threaded) parent.
    const auto deadline = std::chrono::steady_clock::now() + limit;
    int status = 0;
    for (;;) {
        const pid_t done = waitpid(child, &status, WNOHANG);
        if (done == child)
            break;
        if (done < 0)
            return std::nullopt;
        if (std::chrono::steady_clock::now() >= deadline) {
            kill(child, SIGKILL);
            waitpid(child, &status, 0);
            return "did not finish within " + std::to_string(limit.count()) + " s";
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    if (WIFSIGNALED(status))
        return std::string("crashed (") + strsignal(WTERMSIG(status)) + ")";
    return std::nullopt;
#else
    (void)work;
    (void)limit;
    return std::nullopt;
#endif
}

}  // namespace layerlens::core
