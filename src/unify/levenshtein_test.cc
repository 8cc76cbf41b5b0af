#include "unify/levenshtein.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace cdmlake::unify {
namespace {

// The test's own reference: the textbook DP over code points, independent of the kernel's decoder.
size_t ReferenceDistance(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  std::vector<size_t> previous(b.size() + 1);
  std::vector<size_t> current(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::string Utf8(const std::vector<uint32_t>& code_points) {
  std::string out;
  for (uint32_t cp : code_points) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return out;
}

// Random strings over a small alphabet (so that matches, and therefore interesting distances, are frequent).
class Generator {
 public:
  Generator(uint32_t seed, std::vector<uint32_t> alphabet) : rng_(seed), alphabet_(std::move(alphabet)) {}

  std::vector<uint32_t> Random(size_t length) {
    std::vector<uint32_t> s(length);
    for (auto& c : s) c = Pick();
    return s;
  }
  // s after `edits` random insertions, deletions and substitutions.
  std::vector<uint32_t> Mutate(std::vector<uint32_t> s, size_t edits) {
    for (size_t e = 0; e < edits; ++e) {
      const int op = static_cast<int>(rng_() % 3);
      if (op == 0 || s.empty()) {
        s.insert(s.begin() + static_cast<std::ptrdiff_t>(rng_() % (s.size() + 1)), Pick());
      } else if (op == 1) {
        s.erase(s.begin() + static_cast<std::ptrdiff_t>(rng_() % s.size()));
      } else {
        s[rng_() % s.size()] = Pick();
      }
    }
    return s;
  }
  size_t Below(size_t n) { return rng_() % n; }

 private:
  uint32_t Pick() { return alphabet_[rng_() % alphabet_.size()]; }
  std::mt19937 rng_;
  std::vector<uint32_t> alphabet_;
};

void CheckPair(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  const std::string sa = Utf8(a);
  const std::string sb = Utf8(b);
  const size_t expected = ReferenceDistance(a, b);
  ASSERT_EQ(Levenshtein(sa, sb), expected) << sa << " | " << sb;
  ASSERT_EQ(Levenshtein(sb, sa), expected) << sb << " | " << sa;
  ASSERT_EQ(LevenshteinDp(sa, sb), expected) << sa << " | " << sb;
  // The bounded form around the true distance, where the band and the early exit matter.
  for (size_t k : {size_t{0}, size_t{1}, size_t{2}, size_t{3}, size_t{4}, expected == 0 ? size_t{0} : expected - 1, expected,
                   expected + 1, size_t{300}}) {
    ASSERT_EQ(LevenshteinAtMost(sa, sb, k), std::min(expected, k + 1)) << "k=" << k << " " << sa << " | " << sb;
  }
}

const std::vector<uint32_t> kAscii = {'a', 'b', 'c', 'd', 'e', '1', '@', '.'};
const std::vector<uint32_t> kMixed = {'a', 'b', 'e', 0xE9 /* é */, 0xFC /* ü */, 0x4E2D /* 中 */, 0x1F600 /* 😀 */};

TEST(LevenshteinTest, KnownDistances) {
  EXPECT_EQ(Levenshtein("kitten", "sitting"), 3u);
  EXPECT_EQ(Levenshtein("", ""), 0u);
  EXPECT_EQ(Levenshtein("", "abc"), 3u);
  EXPECT_EQ(Levenshtein("abc", ""), 3u);
  EXPECT_EQ(Levenshtein("flaw", "lawn"), 2u);
  EXPECT_EQ(Levenshtein("robert2020@hotmail.com", "robrt2020@hotmail.cm"), 2u);
  // Code points, not bytes: é is two bytes but one edit.
  EXPECT_EQ(Levenshtein("José", "Jose"), 1u);
  EXPECT_EQ(Levenshtein("Müller", "Mueller"), 2u);
  EXPECT_EQ(Levenshtein("中文", "中"), 1u);
  EXPECT_EQ(Levenshtein("a😀b", "ab"), 1u);
}

TEST(LevenshteinTest, InvalidUtf8BytesCountOneUnitEach) {
  EXPECT_EQ(Levenshtein("\xff", ""), 1u);
  EXPECT_EQ(Levenshtein("a\xff" "b", "ab"), 1u);
  EXPECT_EQ(Levenshtein("\xc3", "\xc3\xa9"), 1u);       // a truncated é against é
  EXPECT_EQ(Levenshtein("\xed\xa0\x80", "x"), 3u);      // an encoded surrogate is three invalid bytes
  EXPECT_EQ(Levenshtein("\xc0\xaf", "/"), 2u);          // an overlong '/' is not '/'
  EXPECT_EQ(EditLength("\xc0\xaf" "é"), 3u);
}

TEST(LevenshteinTest, EditLengthCountsUnits) {
  EXPECT_EQ(EditLength(""), 0u);
  EXPECT_EQ(EditLength("robert"), 6u);
  EXPECT_EQ(EditLength("José"), 4u);
  EXPECT_EQ(EditLength("😀中é"), 3u);
  EXPECT_TRUE(IsAscii("plain text 123"));
  EXPECT_FALSE(IsAscii("café"));
  std::vector<uint32_t> units;
  DecodeEditUnits("aé\xff", &units);
  EXPECT_EQ(units, (std::vector<uint32_t>{'a', 0xE9, 0xDCFF}));
}

TEST(LevenshteinTest, MatchesTheDpOnRandomAsciiStrings) {
  Generator gen(20261122, kAscii);
  for (int round = 0; round < 1500; ++round) {
    CheckPair(gen.Random(gen.Below(201)), gen.Random(gen.Below(201)));
    if (HasFatalFailure()) return;
  }
}

TEST(LevenshteinTest, MatchesTheDpOnRandomNonAsciiStrings) {
  Generator gen(42, kMixed);
  for (int round = 0; round < 1000; ++round) {
    CheckPair(gen.Random(gen.Below(201)), gen.Random(gen.Below(201)));
    if (HasFatalFailure()) return;
  }
}

TEST(LevenshteinTest, MatchesTheDpOnNearDuplicates) {
  // Few edits apart: the case fuzzy matching sees most, and the one where the band and early exit cut work.
  for (const auto& alphabet : {kAscii, kMixed}) {
    Generator gen(7, alphabet);
    for (int round = 0; round < 1500; ++round) {
      const auto base = gen.Random(gen.Below(201));
      CheckPair(base, gen.Mutate(base, gen.Below(12)));
      if (HasFatalFailure()) return;
    }
  }
}

TEST(LevenshteinTest, MatchesTheDpAtWordBoundaries) {
  // Lengths around 64 and 128 switch between the single-word and the blocked kernel and fill the last block.
  Generator gen(99, kAscii);
  for (size_t length : {63u, 64u, 65u, 127u, 128u, 129u, 192u}) {
    for (int round = 0; round < 40; ++round) {
      const auto base = gen.Random(length);
      CheckPair(base, gen.Mutate(base, gen.Below(40)));
      CheckPair(base, gen.Random(length + gen.Below(3)));
      if (HasFatalFailure()) return;
    }
  }
}

TEST(LevenshteinTest, OneAsciiAndOneNonAsciiString) {
  Generator ascii(5, kAscii);
  Generator mixed(6, kMixed);
  for (int round = 0; round < 500; ++round) {
    CheckPair(ascii.Random(ascii.Below(100)), mixed.Random(mixed.Below(100)));
    if (HasFatalFailure()) return;
  }
}

TEST(LevenshteinTest, BoundedFormStopsEarly) {
  EXPECT_EQ(LevenshteinAtMost("abc", "abcdefgh", 2), 3u);  // length filter
  EXPECT_EQ(LevenshteinAtMost("abc", "abd", 0), 1u);
  EXPECT_EQ(LevenshteinAtMost("abc", "abc", 0), 0u);
  EXPECT_EQ(LevenshteinAtMost("kitten", "sitting", 3), 3u);
  EXPECT_EQ(LevenshteinAtMost("kitten", "sitting", 2), 3u);
  EXPECT_EQ(LevenshteinAtMost("kitten", "sitting", SIZE_MAX), 3u);
  const std::string long_a(500, 'a');
  const std::string long_b(500, 'b');
  EXPECT_EQ(LevenshteinAtMost(long_a, long_b, 10), 11u);
  EXPECT_EQ(Levenshtein(long_a, long_b), 500u);
}

}  // namespace
}  // namespace cdmlake::unify
