// Data parallelism for CPU-bound loops over in-memory data (normalizing a million values, hashing keys): the
// work is cut into contiguous ranges and run on a few short-lived threads. A task that throws does not stop the
// others; after all have finished, the exception of the lowest-numbered failing task is rethrown, so a failure is
// reported the same way however the work was scheduled.
//
// Why threads per call and no pool: the loops parallelized are few and long (tens of milliseconds and more), so
// starting two threads costs nothing measurable, and there is no shared state to shut down or to leak into tests.
// Results must be written to disjoint places (one slot per index), which keeps them deterministic.
// Thread-safe: the functions may be called from several threads (each call uses its own threads).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string_view>

namespace cdmlake {

// The threads a parallel loop uses: the CPUs the process may run on, at most 8; CDMLAKE_THREADS (a positive
// integer) or SetWorkerThreads overrides it, and 1 turns parallel loops into plain ones.
size_t WorkerThreads();
// The thread count CDMLAKE_THREADS's text gives: a positive whole number, at most 64 used; nullopt for anything
// else ("abc", "0", "2x", ""), which the command line reports as an error instead of ignoring it.
std::optional<size_t> ParseThreadCount(std::string_view text);
// Sets the threads of parallel loops (the CLI's --threads); 0 puts back the default. Call it before any parallel
// loop runs, from one thread.
void SetWorkerThreads(size_t threads);

// Calls task(i) for i in [0, count), on up to `threads` threads (0: WorkerThreads()); each task runs once, on
// one thread. Returns when every task has finished.
void RunTasks(size_t count, const std::function<void(size_t)>& task, size_t threads = 0);

// Calls body(begin, end) over contiguous ranges covering [0, n), each at least `min_chunk` long (except the
// last), a few per thread (so a thread slowed by other work does not finish last alone); runs on the calling
// thread alone when n is below 2 · min_chunk or there is one thread.
void ParallelFor(size_t n, size_t min_chunk, const std::function<void(size_t begin, size_t end)>& body);

}  // namespace cdmlake
