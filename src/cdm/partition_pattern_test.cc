#include "cdm/partition_pattern.h"

#include <gtest/gtest.h>

namespace cdmlake::cdm {
namespace {

// Golden cases from the CDM SDK's data partition pattern tests: a root holding testfile.csv and
// subFolder/testSubFile.csv.
struct GlobCase {
  const char* glob;
  bool root_file;
  bool sub_file;
};

class GlobGoldenTest : public ::testing::TestWithParam<GlobCase> {};

TEST_P(GlobGoldenTest, MatchesLikeTheSdk) {
  const GlobCase& c = GetParam();
  PatternMatcher m(c.glob, "");
  ASSERT_TRUE(m.ok()) << m.error();
  EXPECT_EQ(m.Match("/testfile.csv").has_value(), c.root_file) << c.glob << " -> " << m.expression();
  EXPECT_EQ(m.Match("/subFolder/testSubFile.csv").has_value(), c.sub_file) << c.glob << " -> " << m.expression();
}

INSTANTIATE_TEST_SUITE_P(SdkGoldenCases, GlobGoldenTest,
                         ::testing::Values(GlobCase{"*", true, false}, GlobCase{"*.csv", true, false},
                                           GlobCase{"/*.csv", true, false}, GlobCase{"/testfile*", true, false},
                                           GlobCase{"/**.csv", true, false}, GlobCase{"/test?ile.csv", true, false},
                                           GlobCase{"\\testfile.csv", true, false},
                                           GlobCase{"/*/*.csv", false, true}, GlobCase{"**", true, true},
                                           GlobCase{"/**", true, true}, GlobCase{"/**/*.csv", true, true},
                                           GlobCase{"**/*.csv", true, true}, GlobCase{"testfile.csv", true, false},
                                           GlobCase{"/subFolder/**", false, true}));

TEST(PartitionPatternTest, GlobStarBetweenFoldersMatchesZeroOrMoreFolders) {
  PatternMatcher m("/a/**/x.csv", "");
  EXPECT_TRUE(m.Match("/a/x.csv"));
  EXPECT_TRUE(m.Match("/a/b/x.csv"));
  EXPECT_TRUE(m.Match("/a/b/c/x.csv"));
  EXPECT_FALSE(m.Match("/ab/x.csv"));
}

TEST(PartitionPatternTest, DotIsLiteralAndStarStaysInOneFolder) {
  PatternMatcher m("/*.csv", "");
  EXPECT_FALSE(m.Match("/testfileXcsv"));
  EXPECT_FALSE(m.Match("/a/b.csv"));
  EXPECT_TRUE(m.Match("b.csv")) << "a missing leading slash is implied";
}

TEST(PartitionPatternTest, RegexCapturesBindToParameters) {
  PatternMatcher m("", R"(/(\d{4})/(\d{2})/Sales_(\w+)\.csv)");
  ASSERT_TRUE(m.ok());
  auto captures = m.Match("/2024/06/Sales_usmf.csv");
  ASSERT_TRUE(captures.has_value());
  EXPECT_EQ(*captures, (std::vector<std::string>{"2024", "06", "usmf"}));
  EXPECT_FALSE(m.Match("/2024/6/Sales_usmf.csv"));
}

TEST(PartitionPatternTest, RegexMustMatchTheWholePath) {
  PatternMatcher m("", "/.*\\.csv");
  EXPECT_TRUE(m.Match("/x/y.csv"));
  EXPECT_FALSE(m.Match("/x/y.csv.bak"));
}

TEST(PartitionPatternTest, GlobWinsOverRegex) {
  PatternMatcher m("*.parquet", ".*\\.csv");
  EXPECT_TRUE(m.Match("/a.parquet"));
  EXPECT_FALSE(m.Match("/a.csv"));
}

TEST(PartitionPatternTest, InvalidRegexIsReportedNotThrown) {
  PatternMatcher m("", "/(unclosed\\.csv");
  EXPECT_FALSE(m.ok());
  EXPECT_NE(m.error().find("invalid regularExpression"), std::string::npos);
  EXPECT_FALSE(m.Match("/unclosed.csv"));
  PatternMatcher empty("", "");
  EXPECT_FALSE(empty.ok());
}

}  // namespace
}  // namespace cdmlake::cdm
