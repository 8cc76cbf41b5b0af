#include "entitystore/incremental_fact.h"

#include <gtest/gtest.h>

#include "engine/database.h"
#include "entitystore/test_util.h"

namespace cdmlake::entitystore {
namespace {

using ::cdmlake::entitystore::testing::SortedRows;

// The sample's chain: lines joined to their orders and customers (inner joins), then filtered.
std::map<std::string, std::string> SampleViews() {
  return {
      {"BASEVIEW", "SELECT T1.RECID, T1.SALESID, T2.SALESTYPE FROM SALESLINE AS T1 CROSS JOIN SALESTABLE AS T2 "
                   "WHERE T1.SALESID = T2.SALESID"},
      {"CUSTOMERVIEW", "SELECT T1.RECID, T1.SALESTYPE, T2.CUSTGROUP FROM BASEVIEW AS T1 "
                       "INNER JOIN CUSTTABLE AS T2 ON T1.CUSTACCOUNT = T2.ACCOUNTNUM"},
      {"CUBEVIEW", "SELECT T1.RECID, CAST(T1.SALESTYPE AS VARCHAR) AS \"KIND\", CONCAT(T1.RECID, '_') AS K, "
                   "LEFT(CAST(T1.CREATEDDATE AS VARCHAR), 7) AS CREATEDMONTH "
                   "FROM CUSTOMERVIEW T1 WHERE (T1.SALESTYPE <> 1)"},
  };
}

TEST(LinearityTest, InnerJoinsAndFiltersAreLinearInEveryTableReadOnce) {
  auto views = SampleViews();
  EXPECT_EQ(LinearityProblem(views, "CUBEVIEW", "SALESLINE"), "");
  EXPECT_EQ(LinearityProblem(views, "cubeview", "SalesTable"), "");
  EXPECT_EQ(LinearityProblem(views, "CUBEVIEW", "CUSTTABLE"), "");
  // A fact read straight from the table.
  EXPECT_EQ(LinearityProblem(views, "SALESLINE", "SALESLINE"), "");
}

TEST(LinearityTest, ATableTheFactDoesNotReadIsNoDelta) {
  EXPECT_EQ(LinearityProblem(SampleViews(), "CUBEVIEW", "INVENTTABLE"), "CUBEVIEW reads INVENTTABLE 0 times");
}

TEST(LinearityTest, NonLinearConstructsOnThePathFallBack) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"SELECT T1.RECID FROM SALESLINE T1 LEFT OUTER JOIN CUSTTABLE T2 ON T1.A = T2.A", "uses OUTER"},
      {"SELECT T1.SALESID, 1 AS N FROM SALESLINE T1 GROUP BY T1.SALESID", "uses GROUP"},
      {"SELECT DISTINCT T1.SALESID FROM SALESLINE T1", "uses DISTINCT"},
      {"SELECT count(*) AS N FROM SALESLINE", "uses COUNT()"},
      {"SELECT T1.A, row_number() OVER (ORDER BY T1.A) FROM SALESLINE T1", "uses OVER"},
      {"SELECT A FROM SALESLINE UNION ALL SELECT A FROM SALESLINE", "set operation"},
      {"SELECT T1.A FROM SALESLINE T1 WHERE T1.A IN (SELECT A FROM CUSTTABLE)", "subquery"},
      {"SELECT T1.A FROM SALESLINE T1 CROSS JOIN SALESLINE T2", "2 times"},
      {"SELECT T1.A FROM dbo.SALESLINE T1", "with a schema"},
      {"SELECT T1.A, current_date AS D FROM SALESLINE T1", "uses CURRENT_DATE"},
  };
  for (const auto& [query, why] : cases) {
    std::map<std::string, std::string> views = {{"V", query}, {"TOP_", "SELECT * FROM V"}};
    const std::string problem = LinearityProblem(views, "TOP_", "SALESLINE");
    EXPECT_NE(problem.find(why), std::string::npos) << query << "\n" << problem;
  }
}

TEST(LinearityTest, ConstructsOffThePathDoNotMatter) {
  // The dimension-like view aggregates another table; the fact is still linear in SALESLINE.
  std::map<std::string, std::string> views = {
      {"GROUPS", "SELECT CUSTGROUP, count(*) AS N FROM CUSTTABLE GROUP BY CUSTGROUP"},
      {"FACT", "SELECT T1.A, T2.N FROM SALESLINE T1 CROSS JOIN GROUPS T2 WHERE T1.G = T2.CUSTGROUP"}};
  EXPECT_EQ(LinearityProblem(views, "FACT", "SALESLINE"), "");
  EXPECT_NE(LinearityProblem(views, "FACT", "CUSTTABLE"), "");
}

TEST(MarkedSourceTest, OneQueryGivesTheViewsOverEachSideApart) {
  engine::Database db(engine::Settings{1, "256MB", "", {}});
  engine::Connection con(db);
  con.Execute(
      "CREATE TABLE SALESTABLE AS SELECT 'S' || i AS SALESID, i % 3 AS SALESTYPE FROM range(6) t(i);"
      "CREATE TABLE CUSTTABLE AS SELECT 'C' || i AS ACCOUNTNUM, 'G' || (i % 2) AS CUSTGROUP FROM range(4) t(i);"
      // Two orders' lines appear on both sides (an update), one order has no match (dropped by the join).
      "CREATE TABLE REMOVED AS SELECT i AS RECID, 'S' || (i % 7) AS SALESID, 'C' || (i % 4) AS CUSTACCOUNT "
      "FROM range(10) t(i);"
      "CREATE TABLE ADDED AS SELECT i AS RECID, 'S' || (i % 7) AS SALESID, 'C' || (i % 5) AS CUSTACCOUNT "
      "FROM range(5, 14) t(i);"
      "CREATE TABLE SALESLINE AS SELECT * FROM REMOVED WHERE false;");
  const std::map<std::string, std::string> views = {
      // No alias for the table, a CROSS JOIN with the condition in WHERE (as D365 writes inner joins).
      {"BASEVIEW", "SELECT SALESLINE.RECID AS RECID, SALESLINE.CUSTACCOUNT AS CUSTACCOUNT, T2.SALESTYPE AS "
                   "SALESTYPE\nFROM SALESLINE CROSS JOIN SALESTABLE T2 WHERE SALESLINE.SALESID = T2.SALESID"},
      {"CUSTOMERVIEW", "SELECT T1.RECID, T1.SALESTYPE, T2.CUSTGROUP FROM BASEVIEW AS T1 "
                       "INNER JOIN CUSTTABLE AS T2 ON T1.CUSTACCOUNT = T2.ACCOUNTNUM"},
      {"CUBEVIEW", "SELECT T1.RECID, CONCAT(T1.CUSTGROUP, '_', T1.SALESTYPE) AS K FROM CUSTOMERVIEW T1 "
                   "WHERE (T1.SALESTYPE <> 1)"},
  };
  for (const char* name : {"BASEVIEW", "CUSTOMERVIEW", "CUBEVIEW"}) {
    con.Execute(std::string("CREATE VIEW ") + name + " AS " + views.at(name));
  }
  auto over = [&](const std::string& rows) {
    con.Execute("CREATE OR REPLACE TABLE SALESLINE AS SELECT * FROM " + rows);
    return SortedRows(con, "SELECT * FROM CUBEVIEW");
  };
  const std::string removed = over("REMOVED"), added = over("ADDED");
  ASSERT_NE(removed, "");
  ASSERT_NE(added, "");
  const std::string marked_rows = "(SELECT *, 0 AS __cdmlake_side FROM REMOVED UNION ALL SELECT *, 1 FROM ADDED)";
  std::optional<std::string> source = MarkedSource(con, views, "SalesLine", marked_rows, "marked_", "CUBEVIEW");
  ASSERT_TRUE(source.has_value());
  EXPECT_EQ(SortedRows(con, "SELECT * EXCLUDE (__cdmlake_side) FROM " + *source + " WHERE __cdmlake_side = 0"),
            removed);
  EXPECT_EQ(SortedRows(con, "SELECT * EXCLUDE (__cdmlake_side) FROM " + *source + " WHERE __cdmlake_side = 1"),
            added);
  // A joined table changed instead (SALESLINE now holds ADDED): the marker comes through the second relation.
  con.Execute("CREATE TABLE CUST_OLD AS SELECT * FROM CUSTTABLE WHERE ACCOUNTNUM <> 'C1';"
              "CREATE TABLE CUST_NEW AS SELECT ACCOUNTNUM, 'H' || CUSTGROUP AS CUSTGROUP FROM CUSTTABLE;"
              "ALTER TABLE CUSTTABLE RENAME TO CUST_ALL;");
  auto customers = [&](const std::string& rows) {
    con.Execute("CREATE OR REPLACE TABLE CUSTTABLE AS SELECT * FROM " + rows);
    return SortedRows(con, "SELECT * FROM CUBEVIEW");
  };
  const std::string old_rows = customers("CUST_OLD"), new_rows = customers("CUST_NEW");
  ASSERT_NE(old_rows, new_rows);
  std::optional<std::string> by_customer = MarkedSource(
      con, views, "CUSTTABLE",
      "(SELECT *, 0 AS __cdmlake_side FROM CUST_OLD UNION ALL SELECT *, 1 FROM CUST_NEW)", "marked2_", "CUBEVIEW");
  ASSERT_TRUE(by_customer.has_value());
  EXPECT_EQ(SortedRows(con, "SELECT * EXCLUDE (__cdmlake_side) FROM " + *by_customer + " WHERE __cdmlake_side = 0"),
            old_rows);
  EXPECT_EQ(SortedRows(con, "SELECT * EXCLUDE (__cdmlake_side) FROM " + *by_customer + " WHERE __cdmlake_side = 1"),
            new_rows);
  // A `*` select list on the path: no copy (its columns may already hold the marker or not).
  std::map<std::string, std::string> star = views;
  star["CUBEVIEW"] = "SELECT * FROM CUSTOMERVIEW";
  EXPECT_FALSE(MarkedSource(con, star, "SALESLINE", marked_rows, "marked3_", "CUBEVIEW").has_value());
}

}  // namespace
}  // namespace cdmlake::entitystore
