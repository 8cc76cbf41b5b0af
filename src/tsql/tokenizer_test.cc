#include "tsql/tokenizer.h"

#include <gtest/gtest.h>

namespace cdmlake::tsql {
namespace {

std::string Kinds(const std::vector<Token>& tokens) {
  std::string out;
  for (const Token& t : tokens) {
    switch (t.kind) {
      case TokenKind::kWord: out += 'w'; break;
      case TokenKind::kQuoted: out += 'q'; break;
      case TokenKind::kString: out += 's'; break;
      case TokenKind::kNumber: out += 'n'; break;
      case TokenKind::kVariable: out += 'v'; break;
      case TokenKind::kOperator: out += 'o'; break;
      case TokenKind::kComment: out += 'c'; break;
      case TokenKind::kRaw: out += 'r'; break;
      case TokenKind::kError: out += 'e'; break;
    }
  }
  return out;
}

TEST(TokenizerTest, SplitsWordsOperatorsAndNumbers) {
  auto tokens = Tokenize("SELECT T1.RECID AS PARTITION#2, 1.5e3, .5 FROM X WHERE a<>b AND c>=2");
  EXPECT_EQ(Kinds(tokens), "wwowwwononwwwwowwwon");
  EXPECT_EQ(tokens[5].text, "PARTITION#2");
  EXPECT_EQ(tokens[7].text, "1.5e3");
  EXPECT_EQ(tokens[9].text, ".5");
  EXPECT_EQ(tokens[14].text, "<>");
  EXPECT_EQ(tokens[18].text, ">=");
}

TEST(TokenizerTest, ReadsQuotedIdentifiersWithEscapes) {
  auto tokens = Tokenize("[dbo].[MY]]TABLE] \"a\"\"b\"");
  ASSERT_EQ(Kinds(tokens), "qoqq");
  EXPECT_EQ(tokens[0].text, "dbo");
  EXPECT_EQ(tokens[0].quote, '[');
  EXPECT_EQ(tokens[2].text, "MY]TABLE");
  EXPECT_EQ(tokens[3].text, "a\"b");
  EXPECT_EQ(tokens[3].quote, '"');
}

TEST(TokenizerTest, ReadsStringLiteralsAndNationalPrefix) {
  auto tokens = Tokenize("N'it''s' 'x' n'' NAME");
  ASSERT_EQ(Kinds(tokens), "sssw");
  EXPECT_EQ(tokens[0].text, "it's");
  EXPECT_TRUE(tokens[0].national);
  EXPECT_FALSE(tokens[1].national);
  EXPECT_TRUE(tokens[2].national);
  EXPECT_EQ(tokens[2].text, "");
  EXPECT_EQ(tokens[3].text, "NAME");  // a word starting with N is not a literal
}

TEST(TokenizerTest, KeepsCommentsAsTokensAndNestsBlockComments) {
  auto tokens = Tokenize("a -- x 'not a string\nb /* c /* d */ e */ f");
  ASSERT_EQ(Kinds(tokens), "wcwcw");
  EXPECT_EQ(tokens[1].text, "-- x 'not a string");
  EXPECT_EQ(tokens[3].text, "/* c /* d */ e */");
}

TEST(TokenizerTest, TracksLinesAndColumns) {
  auto tokens = Tokenize("SELECT\r\n  x,\n\t'a\nb' y");
  ASSERT_EQ(tokens.size(), 5u);
  EXPECT_EQ(tokens[0].line, 1);
  EXPECT_EQ(tokens[0].column, 1);
  EXPECT_EQ(tokens[1].line, 2);
  EXPECT_EQ(tokens[1].column, 3);
  EXPECT_EQ(tokens[3].line, 3);
  EXPECT_EQ(tokens[3].column, 2);
  EXPECT_EQ(tokens[4].line, 4);  // the literal spans a line break
  EXPECT_EQ(tokens[4].column, 4);
}

TEST(TokenizerTest, ReportsUnterminatedTokens) {
  EXPECT_EQ(Kinds(Tokenize("a 'open")), "we");
  EXPECT_EQ(Kinds(Tokenize("a [open")), "we");
  EXPECT_EQ(Kinds(Tokenize("a /* open")), "we");
  EXPECT_EQ(Kinds(Tokenize("a { b")), "wew");
}

TEST(TokenizerTest, ReadsVariablesAndTempTables) {
  auto tokens = Tokenize("@x @@ROWCOUNT #temp");
  ASSERT_EQ(Kinds(tokens), "vvw");
  EXPECT_EQ(tokens[1].text, "@@ROWCOUNT");
  EXPECT_EQ(tokens[2].text, "#temp");
}

}  // namespace
}  // namespace cdmlake::tsql
