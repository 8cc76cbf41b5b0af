#include "entitystore/rollup.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

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

}  // namespace
}  // namespace cdmlake::entitystore
