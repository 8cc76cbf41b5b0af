#include "util/parallel.h"

#include <sched.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <exception>
#include <thread>
#include <vector>

namespace cdmlake {

namespace {

std::atomic<size_t> chosen_threads{0};  // SetWorkerThreads; 0: the default
constexpr size_t kRangesPerThread = 4;

}  // namespace

std::optional<size_t> ParseThreadCount(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  size_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<size_t>(c - '0');
  }
  if (n == 0) return std::nullopt;
  return std::min<size_t>(n, 64);
}

void SetWorkerThreads(size_t threads) { chosen_threads.store(std::min<size_t>(threads, 64)); }

size_t WorkerThreads() {
  if (const size_t chosen = chosen_threads.load()) return chosen;
  static const size_t threads = [] {
    if (const char* value = std::getenv("CDMLAKE_THREADS")) {
      // The command line has refused a bad value already (CheckThreadsVariable); a library caller gets the default.
      if (const std::optional<size_t> n = ParseThreadCount(value)) return *n;
    }
    // The affinity mask, not the machine's CPUs: a container or `taskset` may allow fewer.
    cpu_set_t set;
    size_t cpus = 0;
    if (sched_getaffinity(0, sizeof(set), &set) == 0) cpus = static_cast<size_t>(CPU_COUNT(&set));
    if (cpus == 0) cpus = std::thread::hardware_concurrency();
    return std::clamp<size_t>(cpus, 1, 8);
  }();
  return threads;
}

void RunTasks(size_t count, const std::function<void(size_t)>& task, size_t threads) {
  if (threads == 0) threads = WorkerThreads();
  threads = std::min(threads, count);
  std::vector<std::exception_ptr> errors(count);
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next.fetch_add(1); i < count; i = next.fetch_add(1)) {
      try {
        task(i);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  if (threads <= 1) {
    work();
  } else {
    std::vector<std::thread> pool;
    pool.reserve(threads - 1);
    for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (std::thread& t : pool) t.join();
  }
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

void ParallelFor(size_t n, size_t min_chunk, const std::function<void(size_t, size_t)>& body) {
  min_chunk = std::max<size_t>(min_chunk, 1);
  const size_t threads = WorkerThreads();
  // A few ranges per thread, taken in turn: when another loop runs beside this one (unify runs merge and the
  // customer ids side by side), one range per thread would leave the last thread to finish alone.
  const size_t ranges = std::min(threads * kRangesPerThread, n / min_chunk);
  if (ranges <= 1 || threads <= 1) {
    if (n > 0) body(0, n);
    return;
  }
  const size_t step = (n + ranges - 1) / ranges;
  RunTasks(ranges, [&](size_t i) {
    const size_t begin = i * step;
    const size_t end = std::min(n, begin + step);
    if (begin < end) body(begin, end);
  }, threads);
}

}  // namespace cdmlake
