#include "util/strings.h"

#include <gtest/gtest.h>

namespace cdmlake {
namespace {

TEST(StringsTest, CaseInsensitiveHelpers) {
  EXPECT_TRUE(EqualsIgnoreCase("SalesLine", "SALESLINE"));
  EXPECT_FALSE(EqualsIgnoreCase("SalesLine", "SalesLines"));
  EXPECT_TRUE(EndsWithIgnoreCase("Tables.Manifest.CDM.json", ".manifest.cdm.json"));
  EXPECT_EQ(ToLower("DataAreaId"), "dataareaid");
}

TEST(StringsTest, BomAndPercentDecoding) {
  EXPECT_EQ(StripUtf8Bom("\xEF\xBB\xBF{}"), "{}");
  EXPECT_EQ(StripUtf8Bom("{}"), "{}");
  EXPECT_EQ(PercentDecode("My%20Folder/a%2Cb.csv"), "My Folder/a,b.csv");
  EXPECT_EQ(PercentDecode("bad%zzescape%"), "bad%zzescape%");
  EXPECT_EQ(PercentDecode("end%2"), "end%2");
}

TEST(StringsTest, SafeFileNamesCannotLeaveTheirFolder) {
  EXPECT_EQ(SafeFileName("SalesLine"), "SalesLine");
  EXPECT_EQ(SafeFileName("../../../escaped"), "%2E.%2F..%2F..%2Fescaped");
  EXPECT_EQ(SafeFileName(".."), "%2E.");
  EXPECT_EQ(SafeFileName("a/b"), "a%2Fb");
  EXPECT_NE(SafeFileName("a/b"), SafeFileName("a_b"));
  EXPECT_EQ(SafeFileName(""), "%");
}

TEST(StringsTest, JsonQuote) {
  EXPECT_EQ(JsonQuote("a\"b\\c\nd\x01"), "\"a\\\"b\\\\c\\nd\\u0001\"");
  EXPECT_EQ(JsonQuote("ü"), "\"ü\"");
}

TEST(StringsTest, SplitTrimAndParse) {
  EXPECT_EQ(Split("a,b,,c", ','), (std::vector<std::string>{"a", "b", "", "c"}));
  EXPECT_EQ(Trim("  x \r\n"), "x");
  int64_t v = 0;
  EXPECT_TRUE(ParseInt64(" 42 ", &v));
  EXPECT_EQ(v, 42);
  EXPECT_FALSE(ParseInt64("4x", &v));
  EXPECT_FALSE(ParseInt64("99999999999999999999", &v));
}

}  // namespace
}  // namespace cdmlake
