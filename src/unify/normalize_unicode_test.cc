#include "unify/normalize_unicode.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <thread>
#include <vector>

namespace cdmlake::unify {
namespace {

template <typename F>
std::string Applied(F f, std::string s) {
  f(&s);
  return s;
}

TEST(NormalizeUnicodeTest, IsAsciiLooksAtEveryByte) {
  EXPECT_TRUE(HasOnlyAscii(""));
  EXPECT_TRUE(HasOnlyAscii("plain ascii text, longer than eight bytes"));
  EXPECT_FALSE(HasOnlyAscii("0123456789abcdeà"));  // in the tail after the 8-byte blocks
  EXPECT_FALSE(HasOnlyAscii("àbcdefghijklmnop"));  // in the first block
}

TEST(NormalizeUnicodeTest, FoldToAsciiDocExamples) {
  // Spec §1.3: à, Ä, Ⓐ, Ａ all become a (case is lower-casing's job).
  EXPECT_EQ(Applied(FoldToAscii, "à Ä Ⓐ Ａ"), "a A A A");
  EXPECT_EQ(Applied(FoldToAscii, "Straße Ærø Łódź Renée Dvořák"), "Strasse AEro Lodz Renee Dvorak");
  EXPECT_EQ(Applied(FoldToAscii, "Москва Ελλάδα"), "Moskva Ellada");
  EXPECT_EQ(Applied(FoldToAscii, "ｆｕｌｌ ｗｉｄｔｈ ⓒⓘⓡⓒⓛⓔⓓ"), "full width circled");
  EXPECT_EQ(Applied(FoldToAscii, "already ascii"), "already ascii");
}

// FoldToAscii folds most characters from a table built with the transliterator; it must agree with it.
TEST(NormalizeUnicodeTest, TableFoldAgreesWithTheTransliterator) {
  const char* pieces[] = {"a", "B", " ", "-", "é", "Ä", "ß", "Æ", "æ", "Œ", "ŉ", "ǅ", "Ĳ", "Ⓐ", "ⓩ", "①", "Ａ",
                          "ｚ", "–", "“", " ", "́", "ẞ", "Ḁ", "ỹ", "Þ", "ð", "Ø", "Ł", "ı", "İ", "ſ", "ǆ",
                          "½", "™", "Ω", "Ж", "中", "😀"};
  std::mt19937 random(11);
  for (int i = 0; i < 3000; ++i) {
    std::string value;
    const int length = 1 + static_cast<int>(random() % 6);
    for (int k = 0; k < length; ++k) value += pieces[random() % std::size(pieces)];
    EXPECT_EQ(Applied(FoldToAscii, value), Applied(FoldToAsciiWithTransliterator, value)) << value;
  }
}

TEST(NormalizeUnicodeTest, NumeralsDocExamples) {
  EXPECT_EQ(Applied(MapNumerals, "Ⅷ"), "8");
  EXPECT_EQ(Applied(MapNumerals, "❽"), "8");
  EXPECT_EQ(Applied(MapNumerals, "Henry Ⅷ, ① ٣ ⑳ Ⅻ ²"), "Henry 8, 1 3 20 12 2");
  // Fractions and letters with a numeric reading stay.
  EXPECT_EQ(Applied(MapNumerals, "½ 王一 万"), "½ 王一 万");
  EXPECT_EQ(Applied(MapNumerals, "route 66"), "route 66");
}

TEST(NormalizeUnicodeTest, LowerCaseIsFullUnicode) {
  EXPECT_EQ(Applied(LowerCase, "Hello WORLD 42"), "hello world 42");
  EXPECT_EQ(Applied(LowerCase, "ÀÉÎ ΣΑΣ ДОМ"), "àéî σας дом");  // final sigma is contextual
  EXPECT_EQ(Applied(LowerCase, "İ"), "i\u0307");
}

TEST(NormalizeUnicodeTest, SymbolsDeletesUnicodePunctuationAndSymbols) {
  // The docs' list of symbols, all ASCII.
  EXPECT_EQ(Applied(RemoveSymbols, "a!b?c\"d#e$f%g&h'i(j)k+l,m.n-o_p/q:r;s@t^u~v{w}x`y[z]"),
            "abcdefghijklmnopqrstuvwxyz");
  EXPECT_EQ(Applied(RemoveSymbols, "<=>*|\\ 1"), " 1");
  EXPECT_EQ(Applied(RemoveSymbols, "«Zoë» — €5 ™ © “x” ¿y? 😀"), "Zoë  5   x y ");
}

TEST(NormalizeUnicodeTest, WhitespaceDeletesEveryUnicodeSpace) {
  EXPECT_EQ(Applied(RemoveWhitespace, " a b\tc\nd\r\ne\vf\f "), "abcdef");
  EXPECT_EQ(Applied(RemoveWhitespace, "a\u00A0b\u3000c\u2003d\u2028e"), "abcde");
  EXPECT_TRUE(IsBlank(" \t\u00A0\u3000"));
  EXPECT_TRUE(IsBlank(""));
  EXPECT_FALSE(IsBlank(" x "));
}

TEST(NormalizeUnicodeTest, IllFormedUtf8IsKeptNotDropped) {
  EXPECT_EQ(Applied(RemoveSymbols, "a\xFF-b"), "a\xFF" "b");
  EXPECT_EQ(Applied(RemoveWhitespace, "a \xC3"), "a\xC3");
  EXPECT_EQ(Applied(MapNumerals, "\xE2\x85 x"), "\xE2\x85 x");
}

TEST(NormalizeUnicodeTest, FoldingOnManyThreadsGivesTheSameResult) {
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&failures, t] {
      for (int i = 0; i < 500; ++i) {
        if (Applied(FoldToAscii, "Ärger über Ⓐ " + std::to_string(i)) != "Arger uber A " + std::to_string(i)) {
          ++failures[static_cast<size_t>(t)];
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace cdmlake::unify
