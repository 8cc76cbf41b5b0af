#include "entitystore/process_plan.h"

#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/database.h"
#include "entitystore/test_util.h"
#include "util/strings.h"

// Tests of the partition-wise processing plan: golden files under testdata/star/ (CDMLAKE_UPDATE_GOLDEN=1
// rewrites them) plus direct assertions, and a DuckDB run showing that 1 and 3 partitions give the same rows.

namespace cdmlake::entitystore {
namespace {

using namespace ::cdmlake::entitystore::testing;

// Two measure groups: Sales (every aggregate kind, an enum attribute, a customer and a date dimension) and
// Returns (one measure, the customer dimension).
MetadataPackage SalesPackage() {
  MetadataPackage package = Package("M");
  MeasureGroup sales = Group("Sales", "SalesLine");
  sales.attributes.push_back(Attr("Region", {"Region"}));
  sales.attributes.push_back(Attr("Status", {"SalesStatus"}));
  sales.measures.push_back(Meas("Amount", "LineAmount", Aggregate::kSum));
  sales.measures.push_back(Meas("Lines", std::nullopt, Aggregate::kCount));
  sales.measures.push_back(Meas("Customers", "CustAccount", Aggregate::kDistinctCount));
  sales.measures.push_back(Meas("MinPrice", "Price", Aggregate::kMin));
  sales.measures.push_back(Meas("MaxPrice", "Price", Aggregate::kMax));
  sales.measures.push_back(Meas("AvgPrice", "Price", Aggregate::kAverageOfChildren));
  sales.dimensions.push_back(Ref("Customer", "Customer", "CustAccount", "AccountNum"));
  sales.dimensions.push_back(Ref("InvoiceDate", "Date_", "InvoiceDate", "DateKey"));
  MeasureGroup returns = Group("Returns", "ReturnLine");
  returns.measures.push_back(Meas("Refund", "RefundAmount", Aggregate::kSum));
  returns.dimensions.push_back(Ref("Customer", "Customer", "CustAccount", "AccountNum"));
  package.measurement.measure_groups = {sales, returns};
  AddDimension(&package, "Customer", "CustTable", {Attr("Customer", {"AccountNum"}, true), Attr("Name", {"Name"})});
  AddEnum(&package, "SalesLine", "SalesStatus", {{"Open", 1}, {"Invoiced", 3}});
  return package;
}

StarOptions Options() {
  StarOptions options;
  options.source_columns = [](const std::string& source) -> std::optional<std::vector<std::string>> {
    if (EqualsIgnoreCase(source, "CustTable")) return std::vector<std::string>{"ACCOUNTNUM", "NAME"};
    return std::vector<std::string>{"RECID"};
  };
  return options;
}

StarSchema Schema() { return BuildStarSchema(SalesPackage(), Options()); }

std::set<std::string> Everything(const StarSchema& schema) {
  std::set<std::string> all;
  for (const auto& d : schema.dimensions) all.insert(d.name);
  for (const auto& f : schema.facts) {
    all.insert(f.name);
    all.insert(AggregateEntityName(f));
  }
  return all;
}

// ---- golden files -----------------------------------------------------------------------------------------

const char* KindName(StepKind kind) {
  switch (kind) {
    case StepKind::kDimension:
      return "dimension";
    case StepKind::kFactPartition:
      return "fact partition";
    case StepKind::kAggregatePartition:
      return "aggregate partition";
    case StepKind::kMerge:
      return "merge";
  }
  return "?";
}

std::string Render(const ProcessPlan& plan) {
  std::string out;
  for (const PlanStep& step : plan.steps) {
    out += "-- " + std::string(KindName(step.kind)) + " " + step.entity;
    if (step.partition >= 0) out += " partition " + std::to_string(step.partition);
    out += " -> " + step.result + "\n" + step.sql + ";\n\n";
  }
  for (const PlanOutput& output : plan.outputs) out += "-- output " + output.entity + " = " + output.relation + "\n";
  return out;
}

std::vector<const PlanStep*> StepsOf(const ProcessPlan& plan, StepKind kind) {
  std::vector<const PlanStep*> steps;
  for (const PlanStep& step : plan.steps) {
    if (step.kind == kind) steps.push_back(&step);
  }
  return steps;
}

// ---- tests -------------------------------------------------------------------------------------------------

TEST(ProcessPlanTest, AggregateKeysAreTheDimensionKeysThenTheAttributesWithTheirEnumValues) {
  StarSchema schema = Schema();
  ASSERT_EQ(schema.facts.size(), 2u);
  EXPECT_EQ(AggregateKeys(schema.facts[0]),
            (std::vector<std::string>{"M_Customer_FK", "M_InvoiceDate_FK", "REGION", "STATUS", "STATUS_VALUE"}));
  EXPECT_EQ(AggregateKeys(schema.facts[1]), (std::vector<std::string>{"M_Customer_FK"}));
  EXPECT_EQ(AggregateEntityName(schema.facts[0]), "M_Sales_AGG");
}

TEST(ProcessPlanTest, OnePartitionReadsEveryRowWithoutAHashFilter) {
  StarSchema schema = Schema();
  ProcessPlan plan = BuildProcessPlan(schema, 1, {"M_Sales"});
  ExpectGolden("star", "process_plan_one_partition", Render(plan));
  auto facts = StepsOf(plan, StepKind::kFactPartition);
  ASSERT_EQ(facts.size(), 1u);
  EXPECT_EQ(facts[0]->partition, 0);
  EXPECT_TRUE(NotContains(facts[0]->sql, "hash("));
  EXPECT_TRUE(NotContains(facts[0]->sql, "WHERE"));
  EXPECT_EQ(facts[0]->result, "temp.\"__cdmlake_fact_M_Sales_p0\"");
  auto merges = StepsOf(plan, StepKind::kMerge);
  ASSERT_EQ(merges.size(), 1u);
  EXPECT_TRUE(NotContains(merges[0]->sql, "UNION ALL"));
}

TEST(ProcessPlanTest, ThreePartitionsSplitTheFactByAHashOfTheAggregateKeys) {
  StarSchema schema = Schema();
  ProcessPlan plan = BuildProcessPlan(schema, 3, {"M_Sales", "M_Customer"});
  ExpectGolden("star", "process_plan_three_partitions", Render(plan));
  auto facts = StepsOf(plan, StepKind::kFactPartition);
  auto aggregates = StepsOf(plan, StepKind::kAggregatePartition);
  ASSERT_EQ(facts.size(), 3u);
  ASSERT_EQ(aggregates.size(), 3u);
  for (int p = 0; p < 3; ++p) {
    EXPECT_EQ(facts[p]->partition, p);
    EXPECT_TRUE(Contains(facts[p]->sql,
                         " WHERE hash(\"M_Customer_FK\", \"M_InvoiceDate_FK\", \"REGION\", \"STATUS\", "
                         "\"STATUS_VALUE\") % 3 = " +
                             std::to_string(p)));
    EXPECT_EQ(aggregates[p]->entity, "M_Sales_AGG");
    EXPECT_TRUE(Contains(aggregates[p]->sql, "FROM temp.\"__cdmlake_fact_M_Sales_p" + std::to_string(p) + "\""));
  }
  auto merges = StepsOf(plan, StepKind::kMerge);
  ASSERT_EQ(merges.size(), 1u);
  EXPECT_TRUE(Contains(merges[0]->sql,
                       "SELECT * FROM temp.\"__cdmlake_agg_M_Sales_p0\" UNION ALL SELECT * FROM "
                       "temp.\"__cdmlake_agg_M_Sales_p1\" UNION ALL SELECT * FROM "
                       "temp.\"__cdmlake_agg_M_Sales_p2\""));
  // Dimensions are not partitioned.
  auto dimensions = StepsOf(plan, StepKind::kDimension);
  ASSERT_EQ(dimensions.size(), 1u);
  EXPECT_EQ(dimensions[0]->partition, -1);
}

TEST(ProcessPlanTest, BuildSubsetPlansOnlyTheNamedEntities) {
  StarSchema schema = Schema();
  ProcessPlan plan = BuildProcessPlan(schema, 2, {"M_Returns_AGG", "M_Customer"});
  ExpectGolden("star", "process_plan_build_subset", Render(plan));
  std::vector<std::string> outputs;
  for (const PlanOutput& o : plan.outputs) outputs.push_back(o.entity);
  // The aggregate is built with its fact; M_Sales and the calendar M_InvoiceDate are not named.
  EXPECT_EQ(outputs, (std::vector<std::string>{"M_Customer", "M_Returns", "M_Returns_AGG"}));
  for (const PlanStep& step : plan.steps) {
    EXPECT_TRUE(NotContains(step.sql, "M_Sales")) << step.sql;
    EXPECT_TRUE(NotContains(step.sql, "InvoiceDate")) << step.sql;
  }
  EXPECT_TRUE(BuildProcessPlan(schema, 1, {}).steps.empty());
  EXPECT_TRUE(BuildProcessPlan(schema, 1, {"NoSuchEntity"}).outputs.empty());
}

TEST(ProcessPlanTest, AGeneratedCalendarIsBuiltAfterTheFactsItCovers) {
  StarSchema schema = Schema();
  ProcessPlan plan = BuildProcessPlan(schema, 1, {"M_InvoiceDate"});
  ExpectGolden("star", "process_plan_calendar", Render(plan));
  std::vector<std::string> outputs;
  for (const PlanOutput& o : plan.outputs) outputs.push_back(o.entity);
  // Only M_Sales relates to the calendar; M_Returns is not rebuilt.
  EXPECT_EQ(outputs, (std::vector<std::string>{"M_Sales", "M_Sales_AGG", "M_InvoiceDate"}));
  ASSERT_FALSE(plan.steps.empty());
  const PlanStep& last = plan.steps.back();
  EXPECT_EQ(last.kind, StepKind::kDimension);
  EXPECT_EQ(last.entity, "M_InvoiceDate");
  // Its dates come from the materialized fact, not from the source table again.
  EXPECT_TRUE(Contains(last.sql, "SELECT \"M_InvoiceDate_FK\" AS d FROM temp.\"__cdmlake_fact_M_Sales\""));
  EXPECT_TRUE(NotContains(last.sql, "\"SalesLine\""));
}

TEST(ProcessPlanTest, AggregateSqlPerAggregateKind) {
  StarSchema schema = Schema();
  ProcessPlan plan = BuildProcessPlan(schema, 1, {"M_Sales_AGG"});
  auto aggregates = StepsOf(plan, StepKind::kAggregatePartition);
  ASSERT_EQ(aggregates.size(), 1u);
  const std::string& sql = aggregates[0]->sql;
  ExpectGolden("star", "process_plan_aggregate_kinds", sql + "\n");
  EXPECT_TRUE(Contains(sql, "count(*) AS \"__ROWS\""));
  EXPECT_TRUE(Contains(sql, "sum(\"AMOUNT\") AS \"AMOUNT\""));
  EXPECT_TRUE(Contains(sql, "count(\"LINES\") AS \"LINES\""));
  EXPECT_TRUE(Contains(sql, "count(DISTINCT \"CUSTOMERS\") AS \"CUSTOMERS\""));
  EXPECT_TRUE(Contains(sql, "min(\"MINPRICE\") AS \"MINPRICE\""));
  EXPECT_TRUE(Contains(sql, "max(\"MAXPRICE\") AS \"MAXPRICE\""));
  EXPECT_TRUE(Contains(sql,
                       "avg(\"AVGPRICE\") AS \"AVGPRICE\", sum(\"AVGPRICE\") AS \"AVGPRICE__SUM\", "
                       "count(\"AVGPRICE\") AS \"AVGPRICE__COUNT\""));
  EXPECT_TRUE(Contains(sql,
                       " GROUP BY \"M_Customer_FK\", \"M_InvoiceDate_FK\", \"REGION\", \"STATUS\", "
                       "\"STATUS_VALUE\""));
  const FactMeasure& avg = schema.facts[0].measures[5];
  EXPECT_EQ(AggregateSumColumn(avg), "AVGPRICE__SUM");
  EXPECT_EQ(AggregateCountColumn(avg), "AVGPRICE__COUNT");
}

// ---- the plan runs in DuckDB -----------------------------------------------------------------------------------

std::string Rows(engine::Connection& con, const std::string& sql) {
  std::string out;
  for (const auto& row : con.Query(sql).FetchAllText()) {
    for (const auto& cell : row) out += (cell ? *cell : "NULL") + "|";
    out += "\n";
  }
  return out;
}

void CreateSources(engine::Connection& con) {
  con.Execute(
      "CREATE TABLE CustTable (AccountNum VARCHAR, Name VARCHAR);"
      "INSERT INTO CustTable VALUES ('C1', 'Contoso'), ('C2', 'Fabrikam'), ('C3', 'Litware');"
      "CREATE TABLE SalesLine (RECID BIGINT, Region VARCHAR, SalesStatus INTEGER, LineAmount DOUBLE, "
      "CustAccount VARCHAR, Price DOUBLE, InvoiceDate DATE);"
      "INSERT INTO SalesLine SELECT i, CASE i % 3 WHEN 0 THEN 'N' WHEN 1 THEN 'S' ELSE NULL END, 1 + 2 * (i % 2), "
      "i * 1.5, concat('C', 1 + i % 3), i % 7, DATE '2024-01-01' + CAST(i % 40 AS INTEGER) FROM range(1, 201) t(i);"
      "CREATE TABLE ReturnLine (RECID BIGINT, CustAccount VARCHAR, RefundAmount DOUBLE);"
      "INSERT INTO ReturnLine VALUES (1, 'C1', 2.5), (2, 'C3', 4.0);");
}

std::string RunPlan(engine::Connection& con, const StarSchema& schema, int partitions) {
  ProcessPlan plan = BuildProcessPlan(schema, partitions, Everything(schema));
  for (const PlanStep& step : plan.steps) con.Execute(step.sql);
  std::string out;
  for (const PlanOutput& output : plan.outputs) {
    out += "== " + output.entity + "\n" + Rows(con, "SELECT * FROM " + output.relation + " ORDER BY ALL");
  }
  return out;
}

TEST(ProcessPlanDuckDbTest, ThreePartitionsGiveTheSameRowsAsOne) {
  engine::Database db(engine::Settings{1, "256MB", "", {}});
  engine::Connection con(db);
  CreateSources(con);
  StarSchema schema = Schema();
  const std::string one = RunPlan(con, schema, 1);
  const std::string three = RunPlan(con, schema, 3);
  EXPECT_EQ(one, three);
  EXPECT_TRUE(Contains(one, "== M_Sales_AGG\n"));
  // The aggregate adds up to the fact, and its groups are unique (each group lives in one partition).
  EXPECT_EQ(con.Query("SELECT sum(AMOUNT) = (SELECT sum(LineAmount) FROM SalesLine) AND sum(__ROWS) = 200 "
                      "AND sum(AVGPRICE__COUNT) = 200 FROM temp.__cdmlake_agg_M_Sales")
                .ScalarText(),
            "true");
  EXPECT_EQ(con.Query("SELECT count(*) = count(DISTINCT (M_Customer_FK, M_InvoiceDate_FK, REGION, STATUS, "
                      "STATUS_VALUE)) FROM temp.__cdmlake_agg_M_Sales")
                .ScalarText(),
            "true");
  // Every partition got rows.
  for (int p = 0; p < 3; ++p) {
    EXPECT_NE(con.Query("SELECT count(*) FROM temp.__cdmlake_fact_M_Sales_p" + std::to_string(p)).ScalarText(), "0");
  }
}

}  // namespace
}  // namespace cdmlake::entitystore
