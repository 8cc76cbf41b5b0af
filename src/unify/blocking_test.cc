#include "unify/blocking.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "unify/match_score.h"
#include "util/error.h"

namespace cdmlake::unify {
namespace {

using Pair = std::pair<uint32_t, uint32_t>;

std::vector<BlockingKey> Views(const std::vector<std::optional<std::string>>& keys) {
  std::vector<BlockingKey> out;
  for (const auto& key : keys) out.push_back(key ? BlockingKey(*key) : std::nullopt);
  return out;
}

std::vector<Pair> Collect(const ExactBlocking& blocking) {
  std::vector<Pair> pairs;
  const uint64_t n = blocking.ForEachPair([&](uint32_t i, uint32_t j) { pairs.emplace_back(i, j); });
  EXPECT_EQ(n, pairs.size());
  return pairs;
}

std::vector<std::optional<std::string>> RandomKeys(std::mt19937& rng, size_t n, int distinct) {
  std::vector<std::optional<std::string>> keys;
  for (size_t i = 0; i < n; ++i) {
    const int v = static_cast<int>(rng() % (distinct + 2));
    if (v == distinct) {
      keys.push_back(std::nullopt);
    } else if (v == distinct + 1) {
      keys.push_back(std::string());  // empty counts as no key
    } else {
      keys.push_back("k" + std::to_string(v));
    }
  }
  return keys;
}

TEST(BlockingTest, KeyGroupsAreOrderedBySmallestMember) {
  const std::vector<std::optional<std::string>> keys = {"b", std::nullopt, "a", "b", "", "c", "a"};
  const auto views = Views(keys);
  const KeyGroups groups(views);
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups.key(0), "b");
  EXPECT_EQ(std::vector<uint32_t>(groups.members(0).begin(), groups.members(0).end()), (std::vector<uint32_t>{0, 3}));
  EXPECT_EQ(groups.key(1), "a");
  EXPECT_EQ(std::vector<uint32_t>(groups.members(1).begin(), groups.members(1).end()), (std::vector<uint32_t>{2, 6}));
  EXPECT_EQ(groups.key(2), "c");
  EXPECT_EQ(groups.non_null(), 5u);
  EXPECT_EQ(groups.nulls(), 2u);
  EXPECT_EQ(groups.Find("a"), 1u);
  EXPECT_EQ(groups.Find("z"), KeyGroups::npos);
  EXPECT_EQ(groups.Find(""), KeyGroups::npos);
}

TEST(BlockingTest, ExactBlockingEmitsExactlyTheEqualKeyPairsInOrder) {
  std::mt19937 rng(11);
  for (int round = 0; round < 20; ++round) {
    const auto keys = RandomKeys(rng, 400, 1 + static_cast<int>(rng() % 60));
    const auto views = Views(keys);
    BlockingOptions options;
    options.skew_share = 1.0;  // no skew handling here
    const ExactBlocking blocking(views, options);
    std::vector<Pair> expected;
    for (uint32_t i = 0; i < keys.size(); ++i) {
      for (uint32_t j = i + 1; j < keys.size(); ++j) {
        if (keys[i] && !keys[i]->empty() && keys[i] == keys[j]) expected.emplace_back(i, j);
      }
    }
    std::vector<Pair> got = Collect(blocking);
    // The estimate is known before expansion and equals what is emitted.
    EXPECT_EQ(blocking.stats().pairs_total, expected.size());
    EXPECT_EQ(blocking.stats().pairs_expanded, got.size());
    // Order: blocks by smallest member, pairs ascending inside a block.
    std::vector<Pair> block_order = got;
    std::stable_sort(block_order.begin(), block_order.end(), [&](const Pair& a, const Pair& b) {
      const auto& ga = blocking.groups();
      return ga.members(ga.Find(*keys[a.first]))[0] < ga.members(ga.Find(*keys[b.first]))[0];
    });
    EXPECT_EQ(got, block_order);
    std::sort(got.begin(), got.end());
    ASSERT_EQ(got, expected);
  }
}

TEST(BlockingTest, BlocksAboveTheCapAreReportedNotExpanded) {
  std::vector<std::optional<std::string>> keys;
  for (int i = 0; i < 12; ++i) keys.push_back("big");
  for (int i = 0; i < 3; ++i) keys.push_back("small");
  const auto views = Views(keys);
  BlockingOptions options;
  options.max_block_size = 10;
  const ExactBlocking blocking(views, options);
  EXPECT_EQ(blocking.stats().blocks, 2u);
  EXPECT_EQ(blocking.stats().expanded_blocks, 1u);
  EXPECT_EQ(blocking.stats().pairs_total, 66u + 3u);
  EXPECT_EQ(blocking.stats().pairs_expanded, 3u);
  EXPECT_EQ(blocking.stats().pairs_avoided, 66u);
  EXPECT_EQ(blocking.stats().largest_block, 12u);
  ASSERT_EQ(blocking.warnings().size(), 1u);
  const BlockWarning& w = blocking.warnings()[0];
  EXPECT_EQ(w.key, "big");
  EXPECT_EQ(w.rows, 12u);
  EXPECT_EQ(w.pairs, 66u);
  EXPECT_TRUE(w.over_cap);
  EXPECT_FALSE(w.skewed);  // 12 rows are below skew_min_rows
  EXPECT_FALSE(w.expanded);
  EXPECT_EQ(Collect(blocking), (std::vector<Pair>{{12, 13}, {12, 14}, {13, 14}}));
  int blocks = 0;
  blocking.ForEachBlock([&](std::span<const uint32_t> members) {
    ++blocks;
    EXPECT_EQ(members.size(), 3u);
  });
  EXPECT_EQ(blocks, 1);
}

TEST(BlockingTest, APhoneSharedByTenPercentOfRowsDoesNotExplode) {
  // 5,000 rows; a dummy phone on 600 of them (12%), otherwise pairs of duplicates.
  std::vector<std::optional<std::string>> keys;
  for (int i = 0; i < 5000; ++i) {
    keys.push_back(i % 25 < 3 ? std::string("4255551212") : "phone" + std::to_string(i / 2));
  }
  const auto views = Views(keys);
  const ExactBlocking blocking(views);
  ASSERT_EQ(blocking.warnings().size(), 1u);
  const BlockWarning& w = blocking.warnings()[0];
  EXPECT_EQ(w.key, "4255551212");
  EXPECT_EQ(w.rows, 600u);
  EXPECT_NEAR(w.share, 0.12, 1e-9);
  EXPECT_TRUE(w.skewed);
  EXPECT_FALSE(w.over_cap);  // 600 rows are below the default cap of 1000...
  EXPECT_FALSE(w.expanded);  // ...but a skewed value is not expanded
  EXPECT_EQ(blocking.stats().pairs_avoided, 600u * 599u / 2u);
  EXPECT_LT(blocking.stats().pairs_expanded, 5000u);
  // Warn only: the block is expanded and still reported.
  BlockingOptions warn_only;
  warn_only.skip_skewed = false;
  const ExactBlocking expanded(views, warn_only);
  ASSERT_EQ(expanded.warnings().size(), 1u);
  EXPECT_TRUE(expanded.warnings()[0].expanded);
  EXPECT_EQ(expanded.stats().pairs_avoided, 0u);
  // A configurable share: at 15% the phone is no longer skewed.
  BlockingOptions looser;
  looser.skew_share = 0.15;
  EXPECT_TRUE(ExactBlocking(views, looser).warnings().empty());
}

TEST(BlockingTest, SmallTablesHaveNoSkewWarnings) {
  // 3 equal emails out of 20 rows are 15%, a duplicate group rather than a dummy value.
  std::vector<std::optional<std::string>> keys;
  for (int i = 0; i < 20; ++i) keys.push_back(i < 3 ? std::string("a@x.com") : "u" + std::to_string(i));
  const auto views = Views(keys);
  const ExactBlocking blocking(views);
  EXPECT_TRUE(blocking.warnings().empty());
  EXPECT_EQ(blocking.stats().pairs_expanded, 3u);
}

TEST(BlockingTest, WarningsListTheLargestBlockFirstWithShortKeys) {
  std::vector<std::optional<std::string>> keys;
  const std::string long_key(150, 'x');
  for (int i = 0; i < 5; ++i) keys.push_back("five");
  for (int i = 0; i < 7; ++i) keys.push_back(long_key);
  const auto views = Views(keys);
  BlockingOptions options;
  options.max_block_size = 4;
  const ExactBlocking blocking(views, options);
  ASSERT_EQ(blocking.warnings().size(), 2u);
  EXPECT_EQ(blocking.warnings()[0].rows, 7u);
  EXPECT_EQ(blocking.warnings()[0].key, std::string(100, 'x') + "...");
  EXPECT_EQ(blocking.warnings()[1].key, "five");
}

TEST(BlockingTest, CrossBlockingPairsLeftWithRight) {
  std::mt19937 rng(5);
  for (int round = 0; round < 10; ++round) {
    const auto left = RandomKeys(rng, 150, 30);
    const auto right = RandomKeys(rng, 200, 40);
    const auto lv = Views(left);
    const auto rv = Views(right);
    const CrossBlocking blocking(lv, rv);
    std::vector<Pair> expected;
    for (uint32_t i = 0; i < left.size(); ++i) {
      for (uint32_t j = 0; j < right.size(); ++j) {
        if (left[i] && !left[i]->empty() && left[i] == right[j]) expected.emplace_back(i, j);
      }
    }
    std::vector<Pair> got;
    EXPECT_EQ(blocking.ForEachPair([&](uint32_t i, uint32_t j) { got.emplace_back(i, j); }), expected.size());
    EXPECT_EQ(blocking.stats().pairs_total, expected.size());
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, expected);
  }
}

TEST(BlockingTest, CrossBlockingCapsPairsAndReportsSkewPerSide) {
  // Left: "x" on 30 rows; right: "x" on 40 rows (1,200 pairs) and "y" once on each side.
  std::vector<std::optional<std::string>> left(30, std::string("x"));
  std::vector<std::optional<std::string>> right(40, std::string("x"));
  left.push_back("y");
  right.push_back("y");
  const auto lv = Views(left);
  const auto rv = Views(right);
  BlockingOptions options;
  options.max_block_size = 40;  // 780 pairs at most
  const CrossBlocking blocking(lv, rv, options);
  EXPECT_EQ(blocking.stats().blocks, 2u);
  EXPECT_EQ(blocking.stats().pairs_total, 1201u);
  EXPECT_EQ(blocking.stats().pairs_expanded, 1u);
  ASSERT_EQ(blocking.warnings().size(), 1u);
  EXPECT_EQ(blocking.warnings()[0].rows, 30u);
  EXPECT_EQ(blocking.warnings()[0].right_rows, 40u);
  EXPECT_TRUE(blocking.warnings()[0].over_cap);
  std::vector<Pair> got;
  blocking.ForEachPair([&](uint32_t i, uint32_t j) { got.emplace_back(i, j); });
  EXPECT_EQ(got, (std::vector<Pair>{{30, 40}}));
  // One right record and many left ones is a small block (attach-to-one compares each left row once).
  std::vector<std::optional<std::string>> one(1, std::string("x"));
  const auto ov = Views(one);
  const CrossBlocking lopsided(lv, ov, options);
  EXPECT_EQ(lopsided.stats().pairs_expanded, 30u);
  int calls = 0;
  lopsided.ForEachBlock([&](std::span<const uint32_t> l, std::span<const uint32_t> r) {
    ++calls;
    EXPECT_EQ(l.size(), 30u);
    EXPECT_EQ(r.size(), 1u);
  });
  EXPECT_EQ(calls, 1);
}

// Clusters of typo variants around random base strings, plus unrelated values.
std::vector<std::optional<std::string>> TypoClusters(std::mt19937& rng, size_t bases, const std::string& letters) {
  std::vector<std::optional<std::string>> values;
  for (size_t b = 0; b < bases; ++b) {
    std::string base;
    for (size_t i = 4 + rng() % 16; i > 0; --i) base += letters[rng() % letters.size()];
    for (size_t v = rng() % 4; v > 0; --v) {
      std::string s = base;
      for (size_t e = rng() % 3; e > 0 && !s.empty(); --e) {
        const size_t at = rng() % s.size();
        switch (rng() % 3) {
          case 0: s[at] = letters[rng() % letters.size()]; break;
          case 1: s.erase(at, 1); break;
          default: s.insert(at, 1, letters[rng() % letters.size()]);
        }
      }
      values.push_back(s);
    }
    values.push_back(base);
    if (rng() % 10 == 0) values.push_back(std::nullopt);
  }
  std::shuffle(values.begin(), values.end(), rng);
  return values;
}

TEST(BlockingTest, QGramCandidatesKeepEveryMatchThatTheFilterCanGuarantee) {
  std::mt19937 rng(23);
  for (int q : {2, 3}) {
    for (Precision precision : {kPrecisionHigh, Precision{70}, kPrecisionMedium}) {
      const auto values = TypoClusters(rng, 120, "abcdefghij");
      const auto views = Views(values);
      std::set<Pair> got;
      QGramOptions options;
      options.q = q;
      const QGramResult result = QGramCandidates(views, precision, options, [&](uint32_t i, uint32_t j) {
        EXPECT_LT(i, j);
        EXPECT_TRUE(got.emplace(i, j).second) << "pair emitted twice";
      });
      EXPECT_EQ(result.stats.pairs_emitted, got.size());
      uint64_t all_pairs = 0;
      uint64_t matches = 0;
      for (uint32_t i = 0; i < values.size(); ++i) {
        for (uint32_t j = i + 1; j < values.size(); ++j) {
          if (!values[i] || !values[j]) continue;
          ++all_pairs;
          if (!FuzzyMatch(*values[i], *values[j], precision)) continue;
          ++matches;
          const size_t longer = std::max(values[i]->size(), values[j]->size());
          const auto bound = static_cast<int64_t>(longer) + q - 1 -
                             static_cast<int64_t>(MaxEditsFor(longer, precision)) * q;
          if (bound >= 1) {
            EXPECT_TRUE(got.count({i, j})) << *values[i] << " | " << *values[j];
          }
        }
      }
      EXPECT_GT(matches, 0u);
      // The filter works: far fewer candidates than pairs.
      EXPECT_LT(result.stats.pairs_emitted * 5, all_pairs) << "q=" << q << " p=" << precision.percent;
    }
  }
}

TEST(BlockingTest, QGramCandidatesCountCodePoints) {
  const std::vector<std::optional<std::string>> values = {"Müller", "Muller", "Mueller", "Schmidt", "中村花子",
                                                          "中村花"};
  const auto views = Views(values);
  std::vector<Pair> got;
  QGramCandidates(views, Precision{70}, {}, [&](uint32_t i, uint32_t j) { got.emplace_back(i, j); });
  std::sort(got.begin(), got.end());
  // Müller/Muller and Muller/Mueller are one edit apart in code points; 中村花子/中村花 too (3 of 4 = 75%).
  EXPECT_EQ(got, (std::vector<Pair>{{0, 1}, {0, 2}, {1, 2}, {4, 5}}));
}

TEST(BlockingTest, SkewedQGramsAreSkippedAndReported) {
  // 60 copies of one name (a dummy value), a typo of it, and an unrelated pair of typo variants.
  std::vector<std::optional<std::string>> values(60, std::string("john smith"));
  values.push_back("jon smith");
  values.push_back("maria garcia");
  values.push_back("maria garcla");
  const auto views = Views(values);
  std::set<Pair> all;
  const QGramResult full =
      QGramCandidates(views, kPrecisionHigh, {}, [&](uint32_t i, uint32_t j) { all.emplace(i, j); });
  EXPECT_EQ(full.stats.skipped_qgrams, 0u);
  EXPECT_EQ(full.stats.incomplete_records, 0u);
  EXPECT_EQ(all.size(), 60u * 59u / 2u + 60u + 1u);
  QGramOptions options;
  options.max_posting = 20;
  std::set<Pair> got;
  const QGramResult capped =
      QGramCandidates(views, kPrecisionHigh, options, [&](uint32_t i, uint32_t j) { got.emplace(i, j); });
  EXPECT_GT(capped.stats.skipped_qgrams, 0u);
  ASSERT_FALSE(capped.warnings.empty());
  EXPECT_GE(capped.warnings[0].records, 60u);
  EXPECT_GE(capped.stats.incomplete_records, 60u);
  EXPECT_TRUE(got.count({61, 62}));  // rare q-grams are unaffected
  EXPECT_LT(got.size(), 100u);
  EXPECT_THROW(QGramCandidates(views, kPrecisionHigh, QGramOptions{4, 100}, [](uint32_t, uint32_t) {}), Error);
}

TEST(BlockingTest, QGramPrefixesSkipCommonSuffixes) {
  // Emails with a shared domain: the domain's q-grams are the most common, ranked last, and the candidates stay
  // complete.
  std::mt19937 rng(31);
  auto values = TypoClusters(rng, 150, "abcdefghij");
  for (auto& v : values) {
    if (v) *v += "@hotmail.com";
  }
  const auto views = Views(values);
  std::set<Pair> got;
  QGramOptions options;
  options.q = 3;
  const QGramResult trigrams = QGramCandidates(views, kPrecisionHigh, options, [](uint32_t, uint32_t) {});
  options.q = 2;
  const QGramResult result =
      QGramCandidates(views, kPrecisionHigh, options, [&](uint32_t i, uint32_t j) { got.emplace(i, j); });
  uint64_t all_pairs = 0;
  for (uint32_t i = 0; i < values.size(); ++i) {
    for (uint32_t j = i + 1; j < values.size(); ++j) {
      if (!values[i] || !values[j]) continue;
      ++all_pairs;
      if (FuzzyMatch(*values[i], *values[j], kPrecisionHigh)) {
        EXPECT_TRUE(got.count({i, j})) << *values[i] << " | " << *values[j];
      }
    }
  }
  EXPECT_EQ(result.stats.incomplete_records, 0u);
  // With bigrams the count filter still separates the clusters although every value shares the domain's 13
  // bigrams: at 80% a pair must share about 60% of its bigrams but only 40% of its trigrams, which the domain
  // alone provides.
  EXPECT_LT(result.stats.pairs_emitted * 10, all_pairs);
  EXPECT_LT(result.stats.pairs_emitted * 3, trigrams.stats.pairs_emitted);
}

TEST(BlockingTest, SortedNeighbourhoodPairsNeighboursInValueOrder) {
  const std::vector<std::optional<std::string>> values = {"smith", "jones", std::nullopt, "smyth", "jonas", "smith"};
  const auto views = Views(values);
  std::vector<Pair> got;
  const uint64_t n = SortedNeighbourhoodCandidates(views, 2, [&](uint32_t i, uint32_t j) { got.emplace_back(i, j); });
  // Sorted: jonas(4) jones(1) smith(0) smith(5) smyth(3).
  EXPECT_EQ(got, (std::vector<Pair>{{1, 4}, {0, 1}, {0, 5}, {3, 5}}));
  EXPECT_EQ(n, 4u);
  EXPECT_EQ(SortedNeighbourhoodCandidates(views, 3, [](uint32_t, uint32_t) {}), 7u);
  EXPECT_EQ(SortedNeighbourhoodCandidates(views, 1, [](uint32_t, uint32_t) {}), 0u);
}

}  // namespace
}  // namespace cdmlake::unify
