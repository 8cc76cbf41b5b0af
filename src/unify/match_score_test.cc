#include "unify/match_score.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "unify/levenshtein.h"

namespace cdmlake::unify {
namespace {

TEST(MatchScoreTest, DocsExampleUsesTheLongerLengthAsDivisor) {
  const std::string a = "robert2020@hotmail.com";  // 22 characters
  const std::string b = "robrt2020@hotmail.cm";    // 20 characters
  ASSERT_EQ(Levenshtein(a, b), 2u);
  // The Customer Insights docs divide by the shorter length: (20 - 2) / 20 = 0.9.
  EXPECT_DOUBLE_EQ(ScoreFromDistance(2, 20), 0.9);
  // We divide by the longer one (symmetric, stays in [0, 1]): (22 - 2) / 22 = 0.909.
  EXPECT_DOUBLE_EQ(MatchScore(a, b), 20.0 / 22.0);
  EXPECT_NEAR(MatchScore(a, b), 0.909, 0.0005);
  EXPECT_DOUBLE_EQ(MatchScore(b, a), MatchScore(a, b));
  // At 90% both divisors match; at 91% neither does (0.909 < 0.91). The next test shows a pair they disagree on.
  EXPECT_TRUE(FuzzyMatch(a, b, Precision{90}));
  EXPECT_FALSE(FuzzyMatch(a, b, Precision{91}));
  EXPECT_DOUBLE_EQ(*FuzzyMatchScore(a, b, kPrecisionHigh), 20.0 / 22.0);
}

TEST(MatchScoreTest, DivisorDifferenceChangesADecision) {
  // "abcde" vs "abcdefgh": distance 3. Shorter divisor: (5 - 3) / 5 = 0.4; longer: (8 - 3) / 8 = 0.625.
  EXPECT_DOUBLE_EQ(MatchScore("abcde", "abcdefgh"), 0.625);
  EXPECT_TRUE(FuzzyMatch("abcde", "abcdefgh", kPrecisionMedium));  // the docs' divisor would say no
  // And the docs' divisor can leave [0, 1]: "a" vs "abcd" would score (1 - 3) / 1 = -2; ours is 0.25.
  EXPECT_DOUBLE_EQ(MatchScore("a", "abcd"), 0.25);
}

TEST(MatchScoreTest, ScoresInCodePoints) {
  EXPECT_DOUBLE_EQ(MatchScore("José", "Jose"), 0.75);  // 4 code points, one edit
  EXPECT_DOUBLE_EQ(MatchScore("", ""), 1.0);
  EXPECT_DOUBLE_EQ(MatchScore("", "abc"), 0.0);
  EXPECT_DOUBLE_EQ(MatchScore("same", "same"), 1.0);
}

TEST(MatchScoreTest, BoundariesAreExactInIntegerArithmetic) {
  // Exactly 80%: 10 units, 2 edits.
  EXPECT_EQ(MaxEditsFor(10, kPrecisionHigh), 2u);
  EXPECT_TRUE(FuzzyMatch("abcdefghij", "abcdefghXY", kPrecisionHigh));
  EXPECT_FALSE(FuzzyMatch("abcdefghij", "abcdefgXYZ", kPrecisionHigh));
  // Exactly 70%: 10 units, 3 edits. In floating point 0.7 >= 70 * 0.01 is false (0.7000000000000001); the integer
  // test does not have that trap.
  EXPECT_FALSE(0.7 >= 70 * 0.01);
  EXPECT_TRUE(FuzzyMatch("abcdefghij", "abcdefgXYZ", Precision{70}));
  EXPECT_FALSE(FuzzyMatch("abcdefghij", "abcdefXYZW", Precision{70}));
  // Floors: 80% of 7 units allows floor(1.4) = 1 edit; 30% of 3 units allows floor(2.1) = 2.
  EXPECT_EQ(MaxEditsFor(7, kPrecisionHigh), 1u);
  EXPECT_EQ(MaxEditsFor(3, kPrecisionLow), 2u);
  EXPECT_EQ(MaxEditsFor(1000, kPrecisionExact), 0u);
  EXPECT_EQ(MaxEditsFor(0, kPrecisionLow), 0u);
}

TEST(MatchScoreTest, ExactIsByteEqualityAndEmptyNeverMatches) {
  EXPECT_TRUE(FuzzyMatch("abc", "abc", kPrecisionExact));
  EXPECT_FALSE(FuzzyMatch("abc", "abd", kPrecisionExact));
  EXPECT_FALSE(FuzzyMatch("abc", "ABC", kPrecisionExact));
  EXPECT_FALSE(FuzzyMatch("", "", kPrecisionExact));
  EXPECT_FALSE(FuzzyMatch("", "", kPrecisionLow));
  EXPECT_FALSE(FuzzyMatch("a", "", kPrecisionLow));
  EXPECT_DOUBLE_EQ(*FuzzyMatchScore("abc", "abc", kPrecisionExact), 1.0);
}

TEST(MatchScoreTest, FuzzyMatchAgreesWithTheScoreEverywhere) {
  // Property: FuzzyMatch(a, b, p) == (100 * (base - d) >= p * base) for every precision, on random pairs.
  std::mt19937 rng(2026);
  std::vector<std::string> letters = {"a", "b", "c", "é", "中"};
  for (int round = 0; round < 400; ++round) {
    std::string a;
    std::string b;
    for (size_t i = rng() % 12; i > 0; --i) a += letters[rng() % letters.size()];
    for (size_t i = rng() % 12; i > 0; --i) b += letters[rng() % letters.size()];
    const size_t base = std::max(EditLength(a), EditLength(b));
    const size_t d = LevenshteinDp(a, b);
    for (int p = 1; p <= 100; ++p) {
      const bool expected = !a.empty() && !b.empty() && 100 * (base - d) >= static_cast<size_t>(p) * base;
      ASSERT_EQ(FuzzyMatch(a, b, Precision{p}), expected) << a << " | " << b << " at " << p << "%";
    }
  }
}

}  // namespace
}  // namespace cdmlake::unify
