#include "unify/rule_matcher.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "util/parallel.h"

namespace cdmlake::unify {
namespace {

// Record r's key: none when r % 3 == 0, empty when r % 5 == 0 (an empty key is a key), else "k<r>".
bool MakeKey(size_t r, std::string* text) {
  if (r % 3 == 0) return false;
  if (r % 5 != 0) text->append("k" + std::to_string(r));
  return true;
}

void ExpectKeys(size_t n) {
  std::vector<std::string> buffers;
  std::vector<BlockingKey> views;
  PackKeys(n, MakeKey, &buffers, &views);
  ASSERT_EQ(views.size(), n);
  EXPECT_LE(buffers.size(), WorkerThreads());
  for (size_t r = 0; r < n; ++r) {
    if (r % 3 == 0) {
      EXPECT_FALSE(views[r].has_value()) << r;
    } else {
      ASSERT_TRUE(views[r].has_value()) << r;
      EXPECT_EQ(*views[r], r % 5 == 0 ? "" : "k" + std::to_string(r)) << r;
    }
  }
}

TEST(PackKeysTest, EveryRecordGetsItsKeyWhateverTheThreads) {
  for (size_t threads : {1u, 2u, 3u}) {
    SetWorkerThreads(threads);
    for (size_t n : {0u, 1u, 7u, 8192u, 50001u}) ExpectKeys(n);
  }
  SetWorkerThreads(0);
}

TEST(PackKeysTest, KeysOfOneThreadShareOneBuffer) {
  SetWorkerThreads(2);
  std::vector<std::string> buffers;
  std::vector<BlockingKey> views;
  PackKeys(40000, MakeKey, &buffers, &views);
  ASSERT_EQ(buffers.size(), 2u);
  // Consecutive keys of a range are adjacent in its buffer.
  EXPECT_EQ(views[1]->data() + views[1]->size(), views[2]->data());
  SetWorkerThreads(0);
}

}  // namespace
}  // namespace cdmlake::unify
