#include "entitystore/rollup.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/database.h"
#include "entitystore/process_plan.h"
#include "entitystore/test_util.h"
#include "util/strings.h"

// Tests of the rollup design: the greedy attribute choice, the grouping sets and their labels, the SQL's shape,
// and reading a design back from a written entity's columns. The rollup's answers are checked against the
// aggregate and fact tables in cube_query_test.cc (DuckDB) and tests/entitystore_e2e_test.cc (generated lake).

namespace cdmlake::entitystore {
namespace {

using namespace ::cdmlake::entitystore::testing;

// A calendar-like table: distinct combinations as a functional model (MONTH determines QUARTER, DATE everything).
int64_t CalendarCombinations(const std::vector<std::string>& columns) {
  std::map<std::string, int64_t> single = {{"YEAR", 5},  {"QUARTER", 4}, {"MONTH", 12},
                                           {"DAY", 31},  {"DATE", 1827}, {"DAYOFWEEK", 7}};
  std::set<std::string> c(columns.begin(), columns.end());
  if (c.count("DATE") || (c.count("DAY") && c.count("MONTH") && c.count("YEAR"))) return 1827;
  int64_t n = 1;
  for (const auto& name : c) {
    if (name == "QUARTER" && c.count("MONTH")) continue;  // implied by MONTH
    n *= single.at(name);
  }
  return n;
}

TEST(RollupTest, AttributesAreChosenByCardinalityWithinTheBudget) {
  std::vector<std::string> kept = ChooseRollupAttributes({"DATE", "DAY", "DAYOFWEEK", "MONTH", "QUARTER", "YEAR"},
                                                         CalendarCombinations, 1000);
  // QUARTER (4), YEAR (20), DAYOFWEEK (140), MONTH (420 with QUARTER implied); DAY would give 13,020, DATE 1,827.
  EXPECT_EQ(kept, (std::vector<std::string>{"QUARTER", "YEAR", "DAYOFWEEK", "MONTH"}));
  // A tight budget keeps the coarsest ones only; an attribute alone above the budget is never kept.
  EXPECT_EQ(ChooseRollupAttributes({"YEAR", "QUARTER", "MONTH"}, CalendarCombinations, 20),
            (std::vector<std::string>{"QUARTER", "YEAR"}));
  EXPECT_TRUE(ChooseRollupAttributes({"DATE"}, CalendarCombinations, 1000).empty());
  // Ties in cardinality are broken by name, so the design does not depend on the metadata's order.
  auto flat = [](const std::vector<std::string>& c) { return static_cast<int64_t>(c.size() * 3); };
  EXPECT_EQ(ChooseRollupAttributes({"B", "A", "C"}, flat, 6), (std::vector<std::string>{"A", "B"}));
}

RollupDesign Design(std::vector<std::pair<std::string, std::vector<std::string>>> members) {
  RollupDesign design;
  for (auto& [name, attributes] : members) design.members.push_back({name, "M_" + name, "M_" + name + "_FK", attributes});
  return design;
}

TEST(RollupTest, OneGroupingSetPerPairOfMembers) {
  RollupDesign design = Design({{"Customer", {"COUNTRY"}}, {"Date", {"YEAR"}}, {"Product", {"TYPE"}}});
  EXPECT_EQ(RollupSets(design), (std::vector<std::pair<size_t, size_t>>{{0, 1}, {0, 2}, {1, 2}}));
  EXPECT_EQ(RollupSetLabel(design, 0, 2), "Customer|Product");
  RollupDesign single = Design({{"Customer", {"COUNTRY"}}});
  EXPECT_EQ(RollupSets(single), (std::vector<std::pair<size_t, size_t>>{{0, 0}}));
  EXPECT_EQ(RollupSetLabel(single, 0, 0), "Customer");
  EXPECT_TRUE(RollupSets(RollupDesign{}).empty());
}

StarSchema Schema() {
  MetadataPackage package = Package("M");
  MeasureGroup sales = Group("Sales", "SalesView");
  sales.attributes.push_back(Attr("Region", {"Region"}));
  sales.measures.push_back(Meas("Amount", "LineAmount", Aggregate::kSum));
  sales.measures.push_back(Meas("AvgQty", "Qty", Aggregate::kAverageOfChildren));
  sales.measures.push_back(Meas("Customers", "CustAccount", Aggregate::kDistinctCount));
  sales.dimensions.push_back(Ref("Customer", "Customer", "CustAccount", "AccountNum"));
  package.measurement.measure_groups = {sales};
  AddDimension(&package, "Customer", "CustTable",
               {Attr("Customer", {"AccountNum"}, true), Attr("Country", {"CountryRegionId"})});
  StarOptions options;
  options.source_columns = [](const std::string&) {
    return std::optional<std::vector<std::string>>(std::vector<std::string>{});
  };
  return BuildStarSchema(package, options);
}

TEST(RollupTest, SqlGroupsOnceByEveryAttributeThenByGroupingSets) {
  StarSchema schema = Schema();
  const FactTable& fact = schema.facts.at(0);
  std::vector<RollupMember> candidates = RollupCandidates(fact, schema);
  ASSERT_EQ(candidates.size(), 2u);
  EXPECT_EQ(candidates[0].name, "Customer");
  EXPECT_EQ(candidates[0].dimension_table, "M_Customer");
  EXPECT_EQ(candidates[1].name, "Sales");  // the degenerate attributes, under the measure group's name
  EXPECT_EQ(candidates[1].attributes, std::vector<std::string>{"REGION"});

  RollupDesign design;
  design.members = {candidates[0], candidates[1]};
  design.members[0].attributes = {"COUNTRY"};
  std::string sql = RollupSelect(fact, design, "temp.agg", {{"M_Customer", "temp.cust"}});
  ExpectGolden("star", "rollup_select", sql + "\n");
  EXPECT_TRUE(Contains(sql, "\"Customer\".\"COUNTRY\" AS \"Customer__COUNTRY\", \"a\".\"REGION\" AS \"Sales__REGION\""));
  EXPECT_TRUE(Contains(sql, " FROM temp.agg AS \"a\" LEFT JOIN temp.cust AS \"Customer\" ON "));
  EXPECT_TRUE(Contains(sql, "GROUP BY GROUPING SETS ((\"Customer__COUNTRY\", \"Sales__REGION\"))"));
  EXPECT_TRUE(NotContains(sql, "CUSTOMERS"));  // a distinct count is not additive
  EXPECT_TRUE(Contains(sql, "\"AVGQTY__SUM\""));
  EXPECT_EQ(RollupEntityName(fact), "M_Sales_ROLLUP");

  // No member: the grand total.
  EXPECT_TRUE(Contains(RollupSelect(fact, RollupDesign{}, "temp.agg", {}), "SELECT '' AS \"__SET\", "));
}

TEST(RollupTest, TheDesignIsReadBackFromTheColumns) {
  StarSchema schema = Schema();
  const FactTable& fact = schema.facts.at(0);
  auto design = RollupDesignFromColumns(
      fact, schema, {"__SET", "Customer__COUNTRY", "Sales__REGION", "__ROWS", "AMOUNT", "AVGQTY__SUM", "AVGQTY__COUNT"});
  ASSERT_TRUE(design.has_value());
  ASSERT_EQ(design->members.size(), 2u);
  EXPECT_EQ(design->members[0].name, "Customer");
  EXPECT_EQ(design->members[0].key_column, "M_Customer_FK");
  EXPECT_EQ(design->members[0].attributes, std::vector<std::string>{"COUNTRY"});
  EXPECT_EQ(design->members[1].attributes, std::vector<std::string>{"REGION"});
  // Columns of other metadata (an attribute the dimension no longer has) give no design: the aggregate answers.
  EXPECT_FALSE(RollupDesignFromColumns(fact, schema, {"__SET", "Customer__COLOUR"}).has_value());
  EXPECT_FALSE(RollupDesignFromColumns(fact, schema, {"__SET", "Vendor__NAME"}).has_value());
  EXPECT_FALSE(RollupDesignFromColumns(fact, schema, {"__SET", "__ROWS", "AMOUNT"}).has_value());
}

// ---- updating a rollup per touched group, in DuckDB ----------------------------------------------------------

// A fact with every additive kind, Min and Max, two dimensions (one with NULL attributes and keys it does not
// have) and a degenerate attribute with NULLs.
FactTable UpdateFact() {
  FactTable fact;
  fact.name = "M_Sales";
  fact.measure_group = "Sales";
  fact.measures = {{"Amount", "AMOUNT", Aggregate::kSum},         {"Lines", "LINES", Aggregate::kCount},
                   {"MaxAmount", "MAXAMOUNT", Aggregate::kMax},   {"MinAmount", "MINAMOUNT", Aggregate::kMin},
                   {"AvgQty", "AVGQTY", Aggregate::kAverageOfChildren}};
  fact.dimensions = {{"Customer", "M_Customer", "CK"}, {"Day", "M_Day", "DK"}};
  fact.attributes = {"REGION"};
  return fact;
}

RollupDesign UpdateDesign() {
  RollupDesign design;
  design.members = {{"Customer", "M_Customer", "CK", {"COUNTRY", "SEG"}},
                    {"Day", "M_Day", "DK", {"YEAR"}},
                    {"Sales", "", "", {"REGION"}}};
  return design;
}

// The rollup of the new aggregate, and the previous rollup updated from the touched groups (as processor.cc
// runs the statements). `deleted` is a condition on the previous fact rows (f0) removed; `inserted` a query
// giving the rows added (their ids are moved above the previous ones).
void ExpectUpdateEqualsRecompute(const std::string& deleted, const std::string& inserted, const std::string& what) {
  engine::Database db(engine::Settings{1, "256MB", "", {}});
  engine::Connection con(db);
  const FactTable fact = UpdateFact();
  const RollupDesign design = UpdateDesign();
  con.Execute(
      "CREATE TABLE cust AS SELECT 'C' || i AS CK, CASE WHEN i % 7 = 0 THEN NULL ELSE ['DE', 'US', 'FR'][1 + i % 3] "
      "END AS COUNTRY, i % 2 AS SEG FROM range(20) t(i);"
      "CREATE TABLE day AS SELECT i AS DK, 2020 + i % 3 AS YEAR FROM range(30) t(i);"
      // Keys C20..C22 are not in the customer dimension: their attributes are NULL in the rollup.
      "CREATE TABLE f0 AS SELECT i, 'C' || (hash(i) % 23) AS CK, CAST(hash(i * 3) % 30 AS BIGINT) AS DK, "
      "CASE WHEN i % 11 = 0 THEN NULL ELSE ['N', 'S'][1 + i % 2] END AS REGION, "
      "CASE WHEN i % 13 = 0 THEN NULL ELSE CAST((hash(i * 5) % 100000) / 100.0 AS DECIMAL(18,2)) END AS AMOUNT, "
      "CASE WHEN i % 17 = 0 THEN NULL ELSE 1 END AS LINES, "
      "CASE WHEN i % 13 = 0 THEN NULL ELSE CAST((hash(i * 5) % 100000) / 100.0 AS DECIMAL(18,2)) END AS MAXAMOUNT, "
      "CASE WHEN i % 13 = 0 THEN NULL ELSE CAST((hash(i * 5) % 100000) / 100.0 AS DECIMAL(18,2)) END AS MINAMOUNT, "
      "CAST(hash(i * 7) % 9 AS INTEGER) AS AVGQTY FROM range(400) t(i);");
  con.Execute("CREATE TABLE f1 AS SELECT * FROM f0 WHERE NOT (" + deleted +
              ") UNION ALL SELECT i + 1000, CK, DK, REGION, AMOUNT, LINES, MAXAMOUNT, MINAMOUNT, AVGQTY FROM (" +
              inserted + ")");
  con.Execute("CREATE TABLE agg0 AS " + AggregateSelect(fact, "f0") + "; CREATE TABLE agg1 AS " +
              AggregateSelect(fact, "f1"));
  const std::string keys = "CK, DK, REGION";
  con.Execute("CREATE TABLE g AS SELECT DISTINCT " + keys + " FROM ((SELECT * FROM f0 EXCEPT ALL SELECT * FROM f1) "
              "UNION ALL (SELECT * FROM f1 EXCEPT ALL SELECT * FROM f0))");
  const std::string on = "a.CK IS NOT DISTINCT FROM g.CK AND a.DK IS NOT DISTINCT FROM g.DK AND a.REGION IS NOT "
                         "DISTINCT FROM g.REGION";
  con.Execute("CREATE TABLE before AS SELECT a.* FROM agg0 a SEMI JOIN g ON " + on +
              "; CREATE TABLE after AS SELECT a.* FROM agg1 a SEMI JOIN g ON " + on);
  const std::map<std::string, std::string> dimensions = {{"M_Customer", "cust"}, {"M_Day", "day"}};
  con.Execute("CREATE TABLE previous AS " + RollupSelect(fact, design, "agg0", dimensions));
  const std::string expected = SortedRows(con, RollupSelect(fact, design, "agg1", dimensions));

  con.Execute("CREATE TABLE changes AS " + RollupChangeSelect(fact, design, "before", "after", dimensions));
  con.Execute("CREATE TABLE merged AS " + RollupMergeSelect(fact, design, "changes", "previous", {}));
  con.Execute("CREATE TABLE dirty AS " + RollupDirtySelect(design, "merged"));
  con.Execute("CREATE TABLE recomputed AS " + RollupRecomputeSelect(fact, design, "dirty", "agg1", dimensions));
  std::vector<std::pair<std::string, std::string>> columns;
  for (const auto& row : con.Query("DESCRIBE " + RollupSelect(fact, design, "agg1", dimensions)).FetchAllText()) {
    columns.emplace_back(*row.at(0), *row.at(1));
  }
  EXPECT_EQ(SortedRows(con, RollupUpdatedSelect(design, columns, "previous", "merged", "recomputed")), expected)
      << what;
  // The same, the groups recomputed from the whole aggregate.
  con.Execute("CREATE TABLE recomputed_whole AS " +
              RollupRecomputeSelect(fact, design, "dirty", "agg1", dimensions, /*restrict_rows=*/false));
  EXPECT_EQ(SortedRows(con, RollupUpdatedSelect(design, columns, "previous", "merged", "recomputed_whole")), expected)
      << what;
  // Recomputing every touched group gives the same rows: the rows RollupGroupRows selects hold every group.
  con.Execute("CREATE TABLE everything AS SELECT \"__SET\", " + Join([&] {
                std::vector<std::string> q;
                for (const auto& c : RollupAttributeColumns(design)) q.push_back("\"" + c + "\"");
                return q;
              }(), ", ") + " FROM merged WHERE \"__ROWS\" > 0");
  con.Execute("CREATE TABLE all_recomputed AS " +
              RollupRecomputeSelect(fact, design, "everything", "agg1", dimensions));
  EXPECT_EQ(SortedRows(con, "SELECT * FROM all_recomputed"),
            SortedRows(con, "SELECT r.* FROM (" + RollupSelect(fact, design, "agg1", dimensions) +
                                ") r SEMI JOIN everything e ON r.\"__SET\" = e.\"__SET\" AND r.\"Customer__COUNTRY\" IS "
                                "NOT DISTINCT FROM e.\"Customer__COUNTRY\" AND r.\"Customer__SEG\" IS NOT DISTINCT "
                                "FROM e.\"Customer__SEG\" AND r.\"Day__YEAR\" IS NOT DISTINCT FROM e.\"Day__YEAR\" AND "
                                "r.\"Sales__REGION\" IS NOT DISTINCT FROM e.\"Sales__REGION\""))
      << what;
  // The case did exercise what it claims (a test that cannot fail proves nothing).
  EXPECT_NE(SortedRows(con, "SELECT * FROM previous"), expected) << what;
}

TEST(RollupUpdateTest, DeltasAndRecomputedGroupsEqualARecomputedRollup) {
  // Updates, deletes and inserts spread over the table.
  ExpectUpdateEqualsRecompute("i % 10 = 3", "SELECT i, CK, (DK + 1) % 30 AS DK, REGION, AMOUNT, LINES, MAXAMOUNT, "
                              "MINAMOUNT, AVGQTY FROM f0 WHERE i % 10 = 3 AND i % 20 <> 3", "spread");
  // The rows with the largest and the smallest amount deleted: Max and Min must be recomputed.
  ExpectUpdateEqualsRecompute("AMOUNT = (SELECT max(AMOUNT) FROM f0) OR AMOUNT = (SELECT min(AMOUNT) FROM f0)",
                              "SELECT * FROM f0 WHERE false", "extremes deleted");
  // Every row of one customer (with NULL country) deleted: its groups disappear; a new customer and a key the
  // dimension does not have (NULL attributes) appear, with NULL amounts.
  ExpectUpdateEqualsRecompute("CK = 'C7'", "SELECT i, CASE WHEN i % 2 = 0 THEN 'C19' ELSE 'C99' END AS CK, DK, "
                              "NULL AS REGION, NULL AS AMOUNT, LINES, NULL AS MAXAMOUNT, NULL AS MINAMOUNT, AVGQTY "
                              "FROM f0 WHERE i < 40", "groups vanish and appear");
  // A group's only non-NULL amounts removed while rows remain: its Sum becomes NULL only if nothing else is left.
  ExpectUpdateEqualsRecompute("AMOUNT IS NOT NULL AND CK IN ('C3', 'C4')",
                              "SELECT i, CK, DK, REGION, NULL AS AMOUNT, LINES, NULL AS MAXAMOUNT, NULL AS MINAMOUNT, AVGQTY FROM f0 "
                              "WHERE "
                              "AMOUNT IS NOT NULL AND CK IN ('C3', 'C4')", "sums become NULL");
}

}  // namespace
}  // namespace cdmlake::entitystore
