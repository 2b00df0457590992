#pragma once
// Runs work once in a forked child process and reports whether the child crashed or ran out
// of time. For third-party parsers that can crash or loop forever on corrupt input (libhdf5
// 1.10 does both on some damaged files): checking a file in a child first turns such a file
// into an error message instead of a dead program. Work that merely throws is not a failure
// here; the caller repeats it in-process and gets the same exception, with its message.
//
//   if (auto failure = failureInChildProcess([&] { readUnchecked(path); }, std::chrono::seconds(30)))
//       throw std::runtime_error(path + ": the HDF5 library " + *failure);

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace layerlens::core {

// nullopt when work returned or threw; else what happened ("crashed (Segmentation fault)",
// "did not finish within 30 s"). The child must not need other threads of this process (it
// has none of them): no OpenMP, no Qt. Where fork() is unavailable, returns nullopt.
std::optional<std::string> failureInChildProcess(const std::function<void()>& work, std::chrono::seconds limit);

}  // namespace layerlens::core
