#include "entitystore/rollup.h"

#include <gtest/gtest.h>

#include <map>
#include <regex>
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
  // The base groups a dimension by the id of its attribute combination, the fact's own attributes as they are;
  // the grouping sets group the ids, and the ids' attributes are joined to the result.
  EXPECT_TRUE(Contains(sql, "AS \"Customer__cdmlake_id\", \"a\".\"REGION\" AS \"Sales__REGION\""));
  EXPECT_TRUE(Contains(sql, " FROM temp.agg AS \"a\" LEFT JOIN \"__cdmlake_keys_0\" AS \"Customer\" ON "));
  EXPECT_TRUE(Contains(sql, "GROUP BY GROUPING SETS ((\"Customer__cdmlake_id\", \"Sales__REGION\"))"));
  EXPECT_TRUE(Contains(sql, "\"t0\".\"COUNTRY\" AS \"Customer__COUNTRY\", \"g\".\"Sales__REGION\""));
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

std::vector<std::pair<std::string, std::string>> DescribeColumns(engine::Connection& con, const std::string& select) {
  std::vector<std::pair<std::string, std::string>> columns;
  for (const auto& row : con.Query("DESCRIBE " + select).FetchAllText()) columns.emplace_back(*row.at(0), *row.at(1));
  return columns;
}

// The fact f0 changed into f1, f2, ... (each step: `deleted`, a condition on the rows removed; `inserted`, a query
// over the current fact giving the rows added, their ids moved above the previous ones). After every step the base
// is updated from the touched aggregate groups (as processor.cc runs the statements) and must give the rollup of the
// recomputed aggregate, its values and counts equal to the recomputed base's, its kept extremes a prefix of the
// recomputed ones. Returns the number of dirty groups of the last step (recomputed from the aggregate).
struct Step {
  std::string deleted;
  std::string inserted;
};
int64_t ExpectUpdatesEqualRecompute(const std::vector<Step>& steps, const std::string& what) {
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
      "CAST(hash(i * 7) % 9 AS INTEGER) AS AVGQTY FROM range(400) t(i);"
      "CREATE TABLE agg0 AS " + AggregateSelect(fact, "f0") + ";");
  const std::map<std::string, std::string> dimensions = {{"M_Customer", "cust"}, {"M_Day", "day"}};
  con.Execute("CREATE TABLE base0 AS " + RollupBaseSelect(fact, design, "agg0", dimensions, true));
  const auto base_columns = DescribeColumns(con, "SELECT * FROM base0");
  // The base's values and counts (every column but the kept extremes) and the kept extremes by group.
  std::vector<std::string> scalar, groups;
  for (const auto& [name, type] : base_columns) {
    if (!name.ends_with("__cdmlake_k")) scalar.push_back("\"" + name + "\"");
  }
  for (const auto& c : RollupBaseGroupColumns(design)) groups.push_back("\"" + c + "\"");
  int64_t dirty = 0;
  for (size_t i = 0; i < steps.size(); ++i) {
    const std::string f = "f" + std::to_string(i), next = "f" + std::to_string(i + 1);
    const std::string agg = "agg" + std::to_string(i), next_agg = "agg" + std::to_string(i + 1);
    const std::string base = "base" + std::to_string(i), next_base = "base" + std::to_string(i + 1);
    const std::regex current("\\bFACT\\b");
    con.Execute("CREATE TABLE " + next + " AS SELECT * FROM " + f + " WHERE NOT (" +
                std::regex_replace(steps[i].deleted, current, f) +
                ") UNION ALL SELECT i + 1000 * " + std::to_string(i + 1) +
                ", CK, DK, REGION, AMOUNT, LINES, MAXAMOUNT, MINAMOUNT, AVGQTY FROM (" +
                std::regex_replace(steps[i].inserted, current, f) + ")");
    con.Execute("CREATE TABLE " + next_agg + " AS " + AggregateSelect(fact, next));
    const std::string keys = "CK, DK, REGION";
    con.Execute("CREATE OR REPLACE TABLE g AS SELECT DISTINCT " + keys + " FROM ((SELECT * FROM " + f +
                " EXCEPT ALL SELECT * FROM " + next + ") UNION ALL (SELECT * FROM " + next +
                " EXCEPT ALL SELECT * FROM " + f + "))");
    const std::string on = "a.CK IS NOT DISTINCT FROM g.CK AND a.DK IS NOT DISTINCT FROM g.DK AND a.REGION IS NOT "
                           "DISTINCT FROM g.REGION";
    con.Execute("CREATE OR REPLACE TABLE before AS SELECT a.* FROM " + agg + " a SEMI JOIN g ON " + on +
                "; CREATE OR REPLACE TABLE after AS SELECT a.* FROM " + next_agg + " a SEMI JOIN g ON " + on);
    con.Execute("CREATE OR REPLACE TABLE changes AS " +
                RollupBaseChangeSelect(fact, design, "before", "after", dimensions));
    con.Execute("CREATE OR REPLACE TABLE merged AS " + RollupBaseMergeSelect(fact, design, "changes", base));
    con.Execute("CREATE OR REPLACE TABLE dirty AS " + RollupBaseDirtySelect(design, "merged"));
    dirty = std::stoll(con.Query("SELECT count(*) FROM dirty").ScalarText());
    const std::string recomputed = RollupBaseSelect(fact, design, next_agg, dimensions, true);
    // Every merged group that is not dirty has the recomputed base's values, dirty or not.
    EXPECT_EQ(SortedRows(con, "SELECT " + Join(scalar, ", ") + " FROM merged WHERE \"__ROWS\" > 0 AND NOT "
                              "\"__cdmlake_dirty\""),
              SortedRows(con, "SELECT " + Join(scalar, ", ") + " FROM (" + recomputed +
                                  ") r SEMI JOIN (SELECT * FROM merged WHERE NOT \"__cdmlake_dirty\") m ON " +
                                  [&] {
                                    std::vector<std::string> on_group;
                                    for (const auto& c : groups) {
                                      on_group.push_back("r." + c + " IS NOT DISTINCT FROM m." + c);
                                    }
                                    return Join(on_group, " AND ");
                                  }()))
        << what << ", step " << i;
    // Dirty groups are recomputed from the new aggregate, as processor.cc does.
    con.Execute("CREATE OR REPLACE TABLE repaired AS " +
                RollupBaseRepairedSelect(fact, design, base_columns, "merged", "dirty", next_agg, dimensions));
    con.Execute("CREATE TABLE " + next_base + " AS " +
                RollupBaseUpdatedSelect(design, base_columns, base, "repaired"));
    const std::string expected = SortedRows(con, RollupSelect(fact, design, next_agg, dimensions));
    EXPECT_EQ(SortedRows(con, RollupFromBaseSelect(fact, design, next_base, dimensions)), expected)
        << what << ", step " << i;
    EXPECT_EQ(SortedRows(con, "SELECT " + Join(scalar, ", ") + " FROM " + next_base),
              SortedRows(con, "SELECT " + Join(scalar, ", ") + " FROM (" + recomputed + ")"))
        << what << ", step " << i;
    // The kept extremes: a prefix of the recomputed ones (as long or shorter: values removed are not replaced
    // by values beyond the last one kept).
    for (const char* column : {"MAXAMOUNT", "MINAMOUNT"}) {
      const std::string k = std::string("\"") + column + "__cdmlake_k\"";
      std::vector<std::string> on_group;
      for (const auto& c : groups) on_group.push_back("u." + c + " IS NOT DISTINCT FROM r." + c);
      const std::string kept = "coalesce(u." + k + ", [])";
      EXPECT_EQ(con.Query("SELECT count(*) FROM " + next_base + " u JOIN (" + recomputed + ") r ON " +
                          Join(on_group, " AND ") + " WHERE " + kept + " <> coalesce(r." + k + ", [])[1:len(" + kept +
                          ")]")
                    .ScalarText(),
                "0")
          << what << ", step " << i << ", " << column;
    }
    // The case did exercise what it claims (a test that cannot fail proves nothing).
    EXPECT_NE(SortedRows(con, RollupSelect(fact, design, agg, dimensions)), expected) << what << ", step " << i;
  }
  return dirty;
}

TEST(RollupUpdateTest, AnUpdatedBaseGivesTheRecomputedRollup) {
  // Updates, deletes and inserts spread over the table, then again over what the first step left.
  EXPECT_EQ(ExpectUpdatesEqualRecompute(
                {{"i % 10 = 3", "SELECT i, CK, (DK + 1) % 30 AS DK, REGION, AMOUNT, LINES, MAXAMOUNT, MINAMOUNT, "
                                "AVGQTY FROM FACT WHERE i % 10 = 3 AND i % 20 <> 3"},
                 {"i % 7 = 2", "SELECT i, CK, DK, REGION, AMOUNT + 1 AS AMOUNT, LINES, MAXAMOUNT + 1 AS MAXAMOUNT, "
                               "MINAMOUNT - 1 AS MINAMOUNT, AVGQTY FROM FACT WHERE i % 7 = 2"}},
                "spread"),
            0);
  // The rows with the largest and the smallest amount deleted, twice: each Max and Min falls back on the next
  // extreme kept.
  const Step extremes{"AMOUNT = (SELECT max(AMOUNT) FROM FACT) OR AMOUNT = (SELECT min(AMOUNT) FROM FACT)",
                      "SELECT * FROM FACT WHERE false"};
  EXPECT_EQ(ExpectUpdatesEqualRecompute({extremes, extremes}, "extremes deleted"), 0);
  // Every row of one customer (with NULL country) deleted: its groups disappear; a new customer and a key the
  // dimension does not have (NULL attributes) appear, with NULL amounts.
  EXPECT_EQ(ExpectUpdatesEqualRecompute(
                {{"CK = 'C7'", "SELECT i, CASE WHEN i % 2 = 0 THEN 'C19' ELSE 'C99' END AS CK, DK, NULL AS REGION, "
                               "NULL AS AMOUNT, LINES, NULL AS MAXAMOUNT, NULL AS MINAMOUNT, AVGQTY FROM FACT "
                               "WHERE i < 40"}},
                "groups vanish and appear"),
            0);
  // A group's only non-NULL amounts removed while rows remain: its Sum becomes NULL, by the count of values.
  EXPECT_EQ(ExpectUpdatesEqualRecompute(
                {{"AMOUNT IS NOT NULL AND CK IN ('C3', 'C4')",
                  "SELECT i, CK, DK, REGION, NULL AS AMOUNT, LINES, NULL AS MAXAMOUNT, NULL AS MINAMOUNT, AVGQTY FROM "
                  "FACT WHERE AMOUNT IS NOT NULL AND CK IN ('C3', 'C4')"}},
                "sums become NULL"),
            0);
  // Values tied with the last extreme kept, removed and added.
  EXPECT_EQ(ExpectUpdatesEqualRecompute(
                {{"false", "SELECT i, CK, DK, REGION, AMOUNT, LINES, MAXAMOUNT, MINAMOUNT, AVGQTY FROM FACT"},
                 {"i >= 1000", "SELECT * FROM FACT WHERE false"}},
                "ties"),
            0);
}

TEST(RollupUpdateTest, GroupsThatLoseEveryKeptExtremeAreRecomputed) {
  // The smallest amounts deleted everywhere: groups of more than kRollupExtremes values lose every Min kept; they
  // are recomputed from the aggregate, and the next step updates the repaired base again. Then every row of
  // customers absent from the dimension (NULL attributes) and with NULL keys: their groups lose every extreme too.
  // The first step is dirty (asserted just below); the second updates the repaired base, and the helper compares
  // every step with a recomputation, whatever its own number of dirty groups.
  ExpectUpdatesEqualRecompute({{"MINAMOUNT < 700", "SELECT * FROM FACT WHERE false"},
                               {"i % 10 = 3", "SELECT * FROM FACT WHERE false"}},
                              "Min lost");
  EXPECT_GT(ExpectUpdatesEqualRecompute({{"MINAMOUNT < 700", "SELECT * FROM FACT WHERE false"}}, "Min lost once"), 0);
  EXPECT_GT(ExpectUpdatesEqualRecompute({{"false", "SELECT i, NULL AS CK, DK, REGION, AMOUNT, LINES, MAXAMOUNT, "
                                                   "MINAMOUNT, AVGQTY FROM FACT WHERE i % 5 = 0"},
                                          {"(CK IS NULL OR CK IN ('C20', 'C21', 'C22')) AND MAXAMOUNT > 300",
                                           "SELECT * FROM FACT WHERE false"}},
                                        "unknown and NULL keys"),
            0);
}

TEST(RollupBucketTest, EachIdTakesTheFirstBucketOfItsKeysAndUnheldCombinationsNone) {
  engine::Database db(engine::Settings{1, "256MB", "", {}});
  engine::Connection con(db);
  // A calendar keeping YEAR and MONTH: every combination lies in one month. The all-NULL combination (a key the
  // calendar lacks) is held by no key here.
  con.Execute(
      "CREATE TABLE cal AS SELECT * FROM (VALUES (DATE '2024-01-05', 2024, 1), (DATE '2024-01-20', 2024, 1), "
      "(DATE '2024-02-01', 2024, 2), (DATE '2023-12-31', 2023, 12)) AS t(\"M_Date_FK\", \"YEAR\", \"MONTH\")");
  RollupDesign design;
  design.members.push_back({"Date", "M_Date", "M_Date_FK", {"YEAR", "MONTH"}});
  const std::string month = "strftime(\"M_Date_FK\", '%Y-%m')";
  auto rows = con.Query("SELECT \"Date__cdmlake_id\", \"__cdmlake_bucket\" FROM (" +
                        RollupBaseBucketsSelect(design, {{"M_Date", "cal"}}, 0, month) + ") ORDER BY 1")
                  .FetchAllText();
  // Ids in the combinations' sort order, NULLs first: (NULL, NULL), (2023, 12), (2024, 1), (2024, 2).
  ASSERT_EQ(rows.size(), 4u);
  std::vector<std::string> buckets;
  for (const auto& row : rows) buckets.push_back(row.at(1).value_or("NULL"));
  EXPECT_EQ(buckets, (std::vector<std::string>{"none", "2023-12", "2024-01", "2024-02"}));
  EXPECT_EQ(RollupMemberIdColumn(design.members[0]), "Date__cdmlake_id");

  // A design keeping only YEAR: a combination spans months and takes its first one (any function of the id is
  // exact; only the locality of changes is lost).
  design.members[0].attributes = {"YEAR"};
  rows = con.Query("SELECT \"__cdmlake_bucket\" FROM (" +
                   RollupBaseBucketsSelect(design, {{"M_Date", "cal"}}, 0, month) + ") ORDER BY 1")
             .FetchAllText();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].at(0).value_or(""), "2023-12");
  EXPECT_EQ(rows[1].at(0).value_or(""), "2024-01");
  EXPECT_EQ(rows[2].at(0).value_or(""), "none");
}

}  // namespace
}  // namespace cdmlake::entitystore
