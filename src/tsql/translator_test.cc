// Golden tests of the T-SQL translator: one file per rule under testdata/ (plus scenario files such as
// real_views.test), each case an input definition with the expected DuckDB SQL, references and unsupported
// constructs. CDMLAKE_UPDATE_GOLDEN=1 rewrites the expectations (see golden_test_util.h and docs/tsql.md).
#include "tsql/translator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "tsql/golden_test_util.h"

namespace cdmlake::tsql {
namespace {

class GoldenTest : public testing::TestWithParam<std::string> {};

TEST_P(GoldenTest, MatchesExpectedTranslation) {
  std::filesystem::path path = golden::TestDataDir() / (GetParam() + ".test");
  golden::File file = golden::Parse(golden::ReadText(path));
  ASSERT_FALSE(file.cases.empty()) << path;
  bool rule_seen = false;
  bool is_rule = false;
  for (const std::string& rule : RuleNames()) is_rule = is_rule || rule == GetParam();
  for (golden::Case& c : file.cases) {
    SCOPED_TRACE(path.string() + ": " + c.name);
    Translation t = TranslateView(c.input, golden::OptionsOf(c));
    std::string references = Join(t.references, " ");
    std::string unsupported = golden::UnsupportedText(t);
    if (std::find(t.rules_applied.begin(), t.rules_applied.end(), GetParam()) != t.rules_applied.end()) {
      rule_seen = true;
    }
    if (GetParam() == "unsupported_constructs" && !t.unsupported.empty()) rule_seen = true;
    if (golden::UpdateRequested()) {
      c.query = t.query;
      c.references = references;
      c.unsupported = unsupported;
      continue;
    }
    EXPECT_EQ(t.query, c.query);
    EXPECT_EQ(references, c.references);
    EXPECT_EQ(unsupported, c.unsupported);
  }
  if (is_rule) {
    EXPECT_TRUE(rule_seen) << "no case of " << path << " exercises rule " << GetParam();
  }
  if (golden::UpdateRequested()) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << golden::Serialize(file);
    ASSERT_TRUE(out.good()) << "cannot rewrite " << path;
  }
}

INSTANTIATE_TEST_SUITE_P(Files, GoldenTest, testing::ValuesIn(golden::FileNames()),
                         [](const testing::TestParamInfo<std::string>& param) { return param.param; });

TEST(TranslatorTest, EveryRuleHasAGoldenFile) {
  std::vector<std::string> files = golden::FileNames();
  for (const std::string& rule : RuleNames()) {
    EXPECT_NE(std::find(files.begin(), files.end(), rule), files.end()) << "missing testdata/" << rule << ".test";
  }
}

TEST(TranslatorTest, GoldenFilesRoundTrip) {
  for (const std::string& name : golden::FileNames()) {
    std::string text = golden::ReadText(golden::TestDataDir() / (name + ".test"));
    EXPECT_EQ(golden::Serialize(golden::Parse(text)), text) << name << ".test is not in canonical form";
  }
}

TEST(TranslatorTest, ReportsEveryUnsupportedConstructWithItsPosition) {
  Translation t = TranslateView(
      "CREATE VIEW V AS\n"
      "SELECT T1.A, J.VALUE\n"
      "FROM T1 CROSS APPLY OPENJSON(T1.DOC) J\n"
      "WHERE T1.B = @p AND T1.C IN (SELECT X FROM #tmp)");
  ASSERT_FALSE(t.ok());
  std::vector<std::string> constructs;
  for (const Unsupported& u : t.unsupported) constructs.push_back(u.construct);
  EXPECT_EQ(constructs, (std::vector<std::string>{"CROSS APPLY", "OPENJSON", "@variable", "temp table"}));
  EXPECT_EQ(t.unsupported[0].line, 3);
  EXPECT_EQ(t.unsupported[0].column, 9);
  EXPECT_EQ(t.unsupported[2].line, 4);
  EXPECT_EQ(t.unsupported[2].column, 14);
}

TEST(TranslatorTest, ParsesHeaderVariants) {
  EXPECT_EQ(TranslateView("CREATE OR ALTER VIEW [dbo].[salesLineCubeView] AS SELECT 1 AS A").view_name,
            "SALESLINECUBEVIEW");
  EXPECT_EQ(TranslateView("create view dbo.x with schemabinding as select 1 as a;\nGO\n").view_name, "X");
  Translation bare = TranslateView("SELECT 1 AS A", TranslateOptions{"MyView", {}});
  EXPECT_TRUE(bare.ok());
  EXPECT_EQ(bare.view_name, "MYVIEW");
  EXPECT_EQ(bare.query, "SELECT 1 AS A");
  Translation bad = TranslateView("DROP VIEW X");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.unsupported[0].construct, "CREATE VIEW");
}

TEST(TranslatorTest, NeverThrowsOnGarbage) {
  for (const char* text : {"", "(", ")", "CREATE", "CREATE VIEW", "CREATE VIEW X AS", "SELECT STUFF((", "'",
                           "SELECT CAST(", "SELECT CONVERT(,,,)", "SELECT TOP", "SELECT a - ", "SELECT + 'x'",
                           "SELECT DATEADD(day)", "CREATE VIEW X (a, b AS SELECT 1", "SELECT x FROM"}) {
    Translation t = TranslateView(text);
    (void)t;
  }
}

}  // namespace
}  // namespace cdmlake::tsql
