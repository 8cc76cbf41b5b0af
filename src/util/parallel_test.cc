#include "util/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <numeric>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace cdmlake {
namespace {

TEST(ParallelTest, RunTasksRunsEveryTaskOnce) {
  std::vector<std::atomic<int>> runs(1000);
  RunTasks(runs.size(), [&](size_t i) { runs[i].fetch_add(1); }, 4);
  for (const auto& r : runs) EXPECT_EQ(r.load(), 1);
}

TEST(ParallelTest, RunTasksRethrowsTheLowestFailingTaskAfterAllFinished) {
  std::atomic<int> finished{0};
  try {
    RunTasks(50, [&](size_t i) {
      if (i == 7 || i == 31) throw std::runtime_error("task " + std::to_string(i));
      finished.fetch_add(1);
    }, 3);
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "task 7");
  }
  EXPECT_EQ(finished.load(), 48);  // a failure does not stop the other tasks
}

TEST(ParallelTest, RunTasksWithNothingToDo) {
  bool called = false;
  RunTasks(0, [&](size_t) { called = true; });
  EXPECT_FALSE(called);
}

TEST(ParallelTest, ParallelForCoversTheRangeWithDisjointChunks) {
  for (size_t n : {0u, 1u, 5u, 99u, 100u, 101u, 12345u}) {
    std::vector<int> seen(n, 0);
    std::atomic<size_t> calls{0};
    ParallelFor(n, 10, [&](size_t begin, size_t end) {
      ASSERT_LT(begin, end);
      calls.fetch_add(1);
      for (size_t i = begin; i < end; ++i) seen[i] += 1;
    });
    EXPECT_EQ(std::accumulate(seen.begin(), seen.end(), 0), static_cast<int>(n)) << n;
    for (size_t i = 0; i < n; ++i) EXPECT_EQ(seen[i], 1) << "n " << n << " index " << i;
    if (n < 20) {
      EXPECT_LE(calls.load(), 1u) << "small ranges stay on the calling thread";
    }
  }
}

TEST(ParallelTest, WorkerThreadsIsPositiveAndCanBeChosen) {
  EXPECT_GE(WorkerThreads(), 1u);
  SetWorkerThreads(3);
  EXPECT_EQ(WorkerThreads(), 3u);
  std::atomic<size_t> calls{0};
  std::mutex mutex;
  std::set<std::thread::id> threads;
  ParallelFor(3000, 10, [&](size_t, size_t) {
    calls.fetch_add(1);
    std::lock_guard lock(mutex);
    threads.insert(std::this_thread::get_id());
  });
  EXPECT_EQ(calls.load(), 12u);  // four ranges per thread, taken in turn
  EXPECT_LE(threads.size(), 3u);
  calls = 0;
  SetWorkerThreads(1);
  ParallelFor(3000, 10, [&](size_t, size_t) { calls.fetch_add(1); });
  EXPECT_EQ(calls.load(), 1u);  // one thread: one plain loop
  SetWorkerThreads(0);
  EXPECT_GE(WorkerThreads(), 1u);
}

TEST(ParallelTest, ParseThreadCountTakesPositiveWholeNumbersOnly) {
  EXPECT_EQ(ParseThreadCount("2"), 2u);
  EXPECT_EQ(ParseThreadCount("1"), 1u);
  EXPECT_EQ(ParseThreadCount("1000"), 64u);  // capped, as --threads is for cdmlake's own loops
  for (const char* bad : {"", "0", "abc", "2x", "-1", " 2", "1.5", "9999999999999999999"}) {
    EXPECT_FALSE(ParseThreadCount(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace cdmlake
