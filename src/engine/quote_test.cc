#include "engine/quote.h"

#include <gtest/gtest.h>

#include "engine/database.h"
#include "util/error.h"

namespace cdmlake::engine {
namespace {

TEST(QuoteTest, IdentifiersAndLiteralsAreEscaped) {
  EXPECT_EQ(QuoteIdentifier("SalesLine"), "\"SalesLine\"");
  EXPECT_EQ(QuoteIdentifier("we\"ird"), "\"we\"\"ird\"");
  EXPECT_EQ(QuoteLiteral("O'Brien"), "'O''Brien'");
  EXPECT_EQ(QuoteQualified("Tables", "CustTable"), "\"Tables\".\"CustTable\"");
  EXPECT_EQ(QuoteLiteralList({"a", "b'c"}), "['a', 'b''c']");
  EXPECT_EQ(QuoteFilePath("/l/events[1]*?.csv"), "'/l/events[[]1[]][*][?].csv'");
  EXPECT_EQ(QuoteFilePathList({"a'b", "c"}), "['a''b', 'c']");
  EXPECT_THROW(QuoteIdentifier(""), Error);
  EXPECT_THROW(QuoteLiteral(std::string_view("a\0b", 3)), Error);
}

// Quoted names survive a round trip through DuckDB, whatever characters they hold.
TEST(QuoteTest, HostileNamesRoundTripThroughDuckDB) {
  Database db(Settings{1, "256MB", "", {}});
  Connection con(db);
  const std::string hostile = "x\"; DROP TABLE t; --";
  con.Execute("CREATE TABLE " + QuoteIdentifier(hostile) + " (" + QuoteIdentifier("col'\"") + " VARCHAR)");
  con.Execute("INSERT INTO " + QuoteIdentifier(hostile) + " VALUES (" + QuoteLiteral("it's") + ")");
  auto rows = con.Query("SELECT " + QuoteIdentifier("col'\"") + " FROM " + QuoteIdentifier(hostile)).FetchAllText();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(*rows[0][0], "it's");
}

}  // namespace
}  // namespace cdmlake::engine
