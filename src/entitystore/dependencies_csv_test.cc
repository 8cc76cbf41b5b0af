#include "entitystore/dependencies_csv.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace cdmlake::entitystore {
namespace {

const char kHeader[] = "ViewName,RootViewName,ParentViewName,Definition\r\n";

TEST(DependenciesCsvTest, ReadsEmexRecordsWithUnescapedQuotesAndMultiLineDefinitions) {
  std::string text = std::string("\xEF\xBB\xBF") + kHeader +
                     "\"BASEVIEW\",\"SALESVIEW\",\"SALESVIEW\",\"CREATE OR ALTER VIEW [dbo].[BASEVIEW] AS\r\n"
                     "SELECT T1.NAME AS \"NAME\", T1.RECID AS RECID\r\n"
                     "FROM CUSTTABLE T1 WHERE T1.X = 'a,\"b'\"\r\n"
                     "\"SALESVIEW\",\"SALESVIEW\",\"\",\"CREATE VIEW SALESVIEW AS SELECT \"A\"\r\n"
                     "FROM BASEVIEW AS \"B\"\"\r\n";
  auto defs = ParseDependenciesCsv(text, "pkg.zip:views\\dependencies.csv");
  ASSERT_EQ(defs.size(), 2u);
  EXPECT_EQ(defs[0].view_name, "BASEVIEW");
  EXPECT_EQ(defs[0].root_view_name, "SALESVIEW");
  EXPECT_EQ(defs[0].parent_view_name, "SALESVIEW");
  EXPECT_EQ(defs[0].definition,
            "CREATE OR ALTER VIEW [dbo].[BASEVIEW] AS\r\nSELECT T1.NAME AS \"NAME\", T1.RECID AS RECID\r\n"
            "FROM CUSTTABLE T1 WHERE T1.X = 'a,\"b'");
  EXPECT_EQ(defs[0].source.file, "pkg.zip:views\\dependencies.csv");
  EXPECT_EQ(defs[0].source.line, 2);
  EXPECT_EQ(defs[1].view_name, "SALESVIEW");
  EXPECT_EQ(defs[1].parent_view_name, "");
  EXPECT_EQ(defs[1].definition, "CREATE VIEW SALESVIEW AS SELECT \"A\"\r\nFROM BASEVIEW AS \"B\"");
  EXPECT_EQ(defs[1].source.line, 5);
}

TEST(DependenciesCsvTest, StrayQuoteAtTheEndOfALineInsideADefinition) {
  // The line inside the definition ends with a quote; the next line does not start a record.
  std::string text = std::string(kHeader) +
                     "\"V1\",\"V1\",\"V1\",\"SELECT T.A AS \"A\"\n"
                     "FROM T\"\n"
                     "\n"
                     "\"V2\",\"V2\",\"V2\",\"SELECT 1\"";
  auto defs = ParseDependenciesCsv(text, "deps.csv");
  ASSERT_EQ(defs.size(), 2u);
  EXPECT_EQ(defs[0].definition, "SELECT T.A AS \"A\"\nFROM T");
  EXPECT_EQ(defs[1].definition, "SELECT 1");
  EXPECT_EQ(defs[1].source.line, 5);
}

TEST(DependenciesCsvTest, AcceptsRfc4180DoubledQuotesAndUnquotedFields) {
  std::string text =
      "viewname,rootviewname,parentviewname,definition\n"
      "V1,V1,,\"SELECT \"\"A\"\", 'x,y' FROM T\"\"\"\n"
      "V2,V2,V1,SELECT 2\n";
  auto defs = ParseDependenciesCsv(text, "deps.csv");
  ASSERT_EQ(defs.size(), 2u);
  EXPECT_EQ(defs[0].definition, "SELECT \"A\", 'x,y' FROM T\"");
  EXPECT_EQ(defs[1].definition, "SELECT 2");
  EXPECT_EQ(defs[1].parent_view_name, "V1");
}

TEST(DependenciesCsvTest, FormatReadsBack) {
  std::vector<ViewDefinition> defs(2);
  defs[0] = ViewDefinition{"A", "B", "B", "CREATE VIEW A AS\r\nSELECT \"X\" FROM T\r\n", {}};
  defs[1] = ViewDefinition{"B", "B", "", "CREATE VIEW B AS SELECT * FROM A WHERE C = '\"'", {}};
  auto back = ParseDependenciesCsv(FormatDependenciesCsv(defs), "f.csv");
  ASSERT_EQ(back.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(back[i].view_name, defs[i].view_name);
    EXPECT_EQ(back[i].root_view_name, defs[i].root_view_name);
    EXPECT_EQ(back[i].parent_view_name, defs[i].parent_view_name);
    EXPECT_EQ(back[i].definition, defs[i].definition);
  }
  EXPECT_EQ(back[1].source.line, 5);
}

TEST(DependenciesCsvTest, HeaderOnlyAndEmptyFiles) {
  EXPECT_TRUE(ParseDependenciesCsv(kHeader, "f.csv").empty());
  EXPECT_TRUE(ParseDependenciesCsv("", "f.csv").empty());
}

void ExpectError(const std::string& text, int64_t line, const std::string& fragment) {
  try {
    ParseDependenciesCsv(text, "pkg.zip:views\\dependencies.csv");
    FAIL() << "no error for " << text;
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kData);
    EXPECT_EQ(e.location().file, "pkg.zip:views\\dependencies.csv");
    EXPECT_EQ(e.location().line, line) << e.what();
    EXPECT_NE(e.message().find(fragment), std::string::npos) << e.what();
  }
}

TEST(DependenciesCsvTest, MalformedInputNamesFileAndLine) {
  ExpectError("ViewName,Root\r\n\"A\",\"B\"\r\n", 1, "Definition");
  ExpectError(std::string(kHeader) + "\"A\",\"A\",\"\",\"SELECT 1\"\r\n\"B\",\"B\",\"\",\"SELECT \"X\r\n", 3,
              "never closed");
  ExpectError(std::string(kHeader) + "\"A\",\"A\",\"SELECT 1\"\r\n\"B\",\"B\",\"\",\"SELECT 2\"\r\n", 2, "field 3");
  ExpectError(std::string(kHeader) + "A,A,A\r\n", 2, "3 fields");
}

}  // namespace
}  // namespace cdmlake::entitystore
