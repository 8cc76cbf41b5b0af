#include "entitystore/incremental_fact.h"

#include <gtest/gtest.h>

namespace cdmlake::entitystore {
namespace {

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

}  // namespace
}  // namespace cdmlake::entitystore
