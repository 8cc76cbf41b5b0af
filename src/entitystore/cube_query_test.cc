#include "entitystore/cube_query.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/database.h"
#include "entitystore/process_plan.h"
#include "entitystore/rollup.h"
#include "entitystore/test_util.h"
#include "util/error.h"
#include "util/strings.h"

// Tests of query planning over a star schema: which table answers (the _AGG table or the fact table), the
// re-aggregation SQL, joins and errors. Golden files under testdata/star/ (CDMLAKE_UPDATE_GOLDEN=1 rewrites them)
// plus direct assertions, and a DuckDB run comparing the answers from the aggregate with the fact table's.

namespace cdmlake::entitystore {
namespace {

using namespace ::cdmlake::entitystore::testing;

// Sales: every aggregate kind, a degenerate Region, a Customer and an InvoiceDate (calendar) dimension, and the
// view field Price that is no aggregate key. Returns: one measure.
StarSchema Schema() {
  MetadataPackage package = Package("M");
  MeasureGroup sales = Group("Sales", "SalesView");
  sales.attributes.push_back(Attr("Region", {"Region"}));
  sales.measures.push_back(Meas("Amount", "LineAmount", Aggregate::kSum));
  sales.measures.push_back(Meas("Lines", std::nullopt, Aggregate::kCount));
  sales.measures.push_back(Meas("MinQty", "Qty", Aggregate::kMin));
  sales.measures.push_back(Meas("MaxQty", "Qty", Aggregate::kMax));
  sales.measures.push_back(Meas("AvgQty", "Qty", Aggregate::kAverageOfChildren));
  sales.measures.push_back(Meas("Customers", "CustAccount", Aggregate::kDistinctCount));
  sales.dimensions.push_back(Ref("Customer", "Customer", "CustAccount", "AccountNum"));
  sales.dimensions.push_back(Ref("InvoiceDate", "Date_", "InvoiceDate", "DateKey"));
  AddView(&package, "SalesView", {"Price"});
  MeasureGroup returns = Group("Returns", "ReturnLine");
  returns.measures.push_back(Meas("Refund", "RefundAmount", Aggregate::kSum));
  package.measurement.measure_groups = {sales, returns};
  AddDimension(&package, "Customer", "CustTable",
               {Attr("Customer", {"AccountNum"}, true), Attr("Country", {"CountryRegionId"})});
  StarOptions options;
  options.source_columns = [](const std::string&) {
    return std::optional<std::vector<std::string>>(std::vector<std::string>{});
  };
  return BuildStarSchema(package, options);
}

CubeQuery Query(std::vector<std::string> measures, std::vector<std::string> by, std::string where = "") {
  return {std::move(measures), std::move(by), std::move(where)};
}

// Renders a set of (label, query) plans into one golden text.
std::string Render(const std::vector<std::pair<std::string, CubePlan>>& plans) {
  std::string out;
  for (const auto& [label, plan] : plans) {
    out += "-- " + label + ": " + (plan.from_aggregate ? "from aggregate" : "from fact (" + plan.reason + ")") +
           ", reads " + Join(plan.entities, ",") + "\n" + plan.sql + ";\n\n";
  }
  return out;
}

std::string ErrorOf(const StarSchema& schema, const CubeQuery& query, ErrorKind* kind = nullptr) {
  try {
    PlanCubeQuery(schema, query);
  } catch (const Error& e) {
    if (kind) *kind = e.kind();
    return e.message();
  }
  return "";
}

// ---- tests -------------------------------------------------------------------------------------------------

TEST(CubeQueryTest, AdditiveMeasuresReaggregateTheAggregateTable) {
  StarSchema schema = Schema();
  CubePlan plan =
      PlanCubeQuery(schema, Query({"Amount", "lines", "MinQty", "MaxQty", "AvgQty"}, {"Customer.Country", "Region"}));
  ExpectGolden("star", "cube_query_from_aggregate", Render({{"sum count min max avg by Customer.Country, Region", plan}}));
  EXPECT_TRUE(plan.from_aggregate);
  EXPECT_EQ(plan.reason, "");
  EXPECT_EQ(plan.entities, (std::vector<std::string>{"M_Sales_AGG", "M_Customer"}));
  EXPECT_TRUE(Contains(plan.sql,
                       "SELECT \"Customer\".\"COUNTRY\" AS \"Customer.Country\", \"Sales\".\"REGION\" AS "
                       "\"Region\", "));
  EXPECT_TRUE(Contains(plan.sql, "sum(\"Sales\".\"AMOUNT\") AS \"Amount\""));
  EXPECT_TRUE(Contains(plan.sql, "coalesce(sum(\"Sales\".\"LINES\"), 0) AS \"Lines\""));
  EXPECT_TRUE(Contains(plan.sql, "min(\"Sales\".\"MINQTY\") AS \"MinQty\""));
  EXPECT_TRUE(Contains(plan.sql, "max(\"Sales\".\"MAXQTY\") AS \"MaxQty\""));
  EXPECT_TRUE(Contains(plan.sql, "sum(\"Sales\".\"AVGQTY__SUM\") / sum(\"Sales\".\"AVGQTY__COUNT\") AS \"AvgQty\""));
  EXPECT_TRUE(Contains(plan.sql,
                       " FROM \"M_Sales_AGG\" AS \"Sales\" LEFT JOIN \"M_Customer\" AS \"Customer\" ON "
                       "\"Sales\".\"M_Customer_FK\" = \"Customer\".\"M_Customer_FK\""));
  EXPECT_TRUE(Contains(plan.sql, " GROUP BY \"Customer\".\"COUNTRY\", \"Sales\".\"REGION\" ORDER BY "));
  EXPECT_TRUE(NotContains(plan.sql, "InvoiceDate"));  // only the dimensions the query needs are joined
}

TEST(CubeQueryTest, DistinctCountReadsTheFactTable) {
  StarSchema schema = Schema();
  CubePlan plan = PlanCubeQuery(schema, Query({"Amount", "Customers"}, {"InvoiceDate.YEAR"}));
  ExpectGolden("star", "cube_query_distinct_count", Render({{"distinct count by InvoiceDate.YEAR", plan}}));
  EXPECT_FALSE(plan.from_aggregate);
  EXPECT_TRUE(Contains(plan.reason, "measure Customers is a distinct count"));
  EXPECT_EQ(plan.entities, (std::vector<std::string>{"M_Sales", "M_InvoiceDate"}));
  EXPECT_TRUE(Contains(plan.sql, "count(DISTINCT \"Sales\".\"CUSTOMERS\") AS \"Customers\""));
  EXPECT_TRUE(Contains(plan.sql, "sum(\"Sales\".\"AMOUNT\") AS \"Amount\""));
  EXPECT_TRUE(Contains(plan.sql, " FROM \"M_Sales\" AS \"Sales\" LEFT JOIN \"M_InvoiceDate\" AS \"InvoiceDate\""));
}

TEST(CubeQueryTest, WhereChoosesTheTableAndJoinsTheDimensionsItNames) {
  StarSchema schema = Schema();
  CubePlan non_key = PlanCubeQuery(schema, Query({"Amount"}, {"Region"}, "Sales.PRICE > 5"));
  CubePlan key = PlanCubeQuery(schema, Query({"Amount"}, {}, "Sales.Region = 'N'"));
  CubePlan dimension = PlanCubeQuery(schema, Query({"Lines"}, {"Region"}, "Customer.COUNTRY = 'DE'"));
  ExpectGolden("star", "cube_query_where", Render({{"where on a non-key fact column", non_key},
                                           {"where on an aggregate key", key},
                                           {"where on a dimension attribute", dimension}}));

  EXPECT_FALSE(non_key.from_aggregate);
  EXPECT_TRUE(Contains(non_key.reason, "the condition reads the fact column PRICE, which is not an aggregate key"));
  EXPECT_TRUE(Contains(non_key.sql, " FROM \"M_Sales\" AS \"Sales\" WHERE Sales.PRICE > 5 GROUP BY"));

  EXPECT_TRUE(key.from_aggregate);
  EXPECT_EQ(key.sql,
            "SELECT sum(\"Sales\".\"AMOUNT\") AS \"Amount\" FROM \"M_Sales_AGG\" AS \"Sales\" "
            "WHERE Sales.Region = 'N'");

  EXPECT_TRUE(dimension.from_aggregate);
  EXPECT_EQ(dimension.entities, (std::vector<std::string>{"M_Sales_AGG", "M_Customer"}));
  EXPECT_TRUE(Contains(dimension.sql,
                       " LEFT JOIN \"M_Customer\" AS \"Customer\" ON \"Sales\".\"M_Customer_FK\" = "
                       "\"Customer\".\"M_Customer_FK\" WHERE Customer.COUNTRY = 'DE'"));
  // A qualified name inside a string literal is not a column.
  CubePlan literal = PlanCubeQuery(schema, Query({"Amount"}, {}, "Region = 'Sales.PRICE'"));
  EXPECT_TRUE(literal.from_aggregate);
}

TEST(CubeQueryTest, UnqualifiedWhereOnANonKeyFactColumnReadsTheFactTable) {
  StarSchema schema = Schema();
  CubePlan plan = PlanCubeQuery(schema, Query({"Lines"}, {"Region"}, "AMOUNT > 10"));
  EXPECT_FALSE(plan.from_aggregate);
  EXPECT_FALSE(PlanCubeQuery(schema, Query({"Lines"}, {"Region"}, "PRICE > 5")).from_aggregate);
}

TEST(CubeQueryTest, UnknownNamesListTheKnownOnes) {
  StarSchema schema = Schema();
  ErrorKind kind = ErrorKind::kInternal;
  const std::string measure = ErrorOf(schema, Query({"Revenue"}, {}), &kind);
  EXPECT_EQ(kind, ErrorKind::kUser);
  EXPECT_TRUE(Contains(measure,
                       "unknown measure Revenue in measurement M; known: Sales.Amount, Sales.Lines, "
                       "Sales.MinQty, Sales.MaxQty, Sales.AvgQty, Sales.Customers, Returns.Refund"));
  const std::string attribute = ErrorOf(schema, Query({"Amount"}, {"Customer.Colour"}));
  EXPECT_TRUE(Contains(attribute,
                       "unknown attribute Customer.Colour for measure group Sales; known: Sales.REGION, "
                       "Customer.CUSTOMER, Customer.COUNTRY, InvoiceDate.DATEKEY"));
  const std::string bare = ErrorOf(schema, Query({"Amount"}, {"Colour"}));
  EXPECT_TRUE(Contains(bare, "unknown attribute Colour; write Reference.Attribute, one of: Sales.REGION"));
  const std::string none = ErrorOf(schema, Query({}, {}));
  EXPECT_TRUE(Contains(none, "name at least one measure"));
  ExpectGolden("star", "cube_query_errors", "-- unknown measure\n" + measure + "\n\n-- unknown attribute\n" + attribute +
                                        "\n\n-- unknown unqualified attribute\n" + bare + "\n");
}

TEST(CubeQueryTest, MeasuresFromTwoGroupsAreAnError) {
  StarSchema schema = Schema();
  const std::string message = ErrorOf(schema, Query({"Amount", "Refund"}, {}));
  EXPECT_EQ(message, "measures Amount and Refund belong to different measure groups; query one group at a time");
  // One group alone is fine.
  EXPECT_EQ(PlanCubeQuery(schema, Query({"Refund"}, {})).entities, (std::vector<std::string>{"M_Returns_AGG"}));
}

// ---- the plans run in DuckDB -------------------------------------------------------------------------------------

std::string Rows(engine::Connection& con, const std::string& sql) {
  std::string out;
  for (const auto& row : con.Query(sql).FetchAllText()) {
    for (const auto& cell : row) out += (cell ? *cell : "NULL") + "|";
    out += "\n";
  }
  return out;
}

TEST(CubeQueryDuckDbTest, TheAggregateAnswersLikeTheFactTable) {
  engine::Database db(engine::Settings{1, "256MB", "", {}});
  engine::Connection con(db);
  con.Execute(
      "CREATE TABLE CustTable (AccountNum VARCHAR, CountryRegionId VARCHAR);"
      "INSERT INTO CustTable VALUES ('C1', 'DE'), ('C2', 'US'), ('C3', 'DE');"
      "CREATE TABLE SalesView (Region VARCHAR, LineAmount DECIMAL(18,2), Qty INTEGER, CustAccount VARCHAR, "
      "InvoiceDate DATE, Price DOUBLE);"
      "INSERT INTO SalesView SELECT CASE i % 3 WHEN 0 THEN 'N' ELSE 'S' END, i * 1.25, i % 5, concat('C', 1 + i % 3), "
      "DATE '2023-12-01' + CAST(i % 60 AS INTEGER), i % 9 FROM range(1, 301) t(i);"
      "CREATE TABLE ReturnLine (CustAccount VARCHAR, RefundAmount DOUBLE);"
      "INSERT INTO ReturnLine VALUES ('C1', 2.5);");
  StarSchema schema = Schema();
  std::set<std::string> all;
  for (const auto& d : schema.dimensions) all.insert(d.name);
  for (const auto& f : schema.facts) all.insert(f.name);
  ProcessPlan process = BuildProcessPlan(schema, 2, all);
  for (const PlanStep& step : process.steps) con.Execute(step.sql);
  for (const PlanOutput& output : process.outputs) {
    con.Execute("CREATE VIEW \"" + output.entity + "\" AS SELECT * FROM " + output.relation);
  }

  CubePlan from_aggregate = PlanCubeQuery(
      schema, Query({"Amount", "Lines", "MinQty", "MaxQty", "AvgQty"}, {"Customer.Country", "InvoiceDate.YEAR"}));
  ASSERT_TRUE(from_aggregate.from_aggregate);
  // The same query forced onto the fact table by a condition on a non-key column that holds for every row.
  CubePlan from_fact = PlanCubeQuery(schema, Query({"Amount", "Lines", "MinQty", "MaxQty", "AvgQty"},
                                                   {"Customer.Country", "InvoiceDate.YEAR"}, "Sales.PRICE >= 0"));
  ASSERT_FALSE(from_fact.from_aggregate);
  const std::string expected = Rows(con, from_fact.sql);
  EXPECT_EQ(Rows(con, from_aggregate.sql), expected);
  EXPECT_EQ(Rows(con,
                 "SELECT c.CountryRegionId, year(s.InvoiceDate), sum(LineAmount), count(*), min(Qty), max(Qty), "
                 "avg(Qty) FROM SalesView s JOIN CustTable c ON s.CustAccount = c.AccountNum GROUP BY ALL "
                 "ORDER BY ALL"),
            expected);

  CubePlan distinct = PlanCubeQuery(schema, Query({"Customers"}, {"Customer.Country"}, "Customer.COUNTRY = 'DE'"));
  EXPECT_EQ(Rows(con, distinct.sql), "DE|2|\n");

  // The rollup (members Customer, InvoiceDate and the degenerate Region) answers like the fact table.
  const FactTable& sales = schema.facts.at(0);
  RollupDesign design;
  for (RollupMember member : RollupCandidates(sales, schema)) {
    member.attributes = {member.name == "Customer" ? "COUNTRY" : member.name == "InvoiceDate" ? "YEAR" : "REGION"};
    design.members.push_back(member);
  }
  std::map<std::string, std::string> dimensions;
  for (const auto& d : schema.dimensions) dimensions[d.name] = "\"" + d.name + "\"";
  con.Execute("CREATE VIEW \"M_Sales_ROLLUP\" AS " + RollupSelect(sales, design, "\"M_Sales_AGG\"", dimensions));
  const std::map<std::string, RollupDesign> rollups = {{sales.name, design}};
  CubePlan from_rollup = PlanCubeQuery(
      schema, Query({"Amount", "Lines", "MinQty", "MaxQty", "AvgQty"}, {"Customer.Country", "InvoiceDate.YEAR"}),
      rollups);
  ASSERT_TRUE(from_rollup.from_rollup);
  EXPECT_EQ(from_rollup.rollup_set, "Customer|InvoiceDate");
  EXPECT_EQ(from_rollup.entities, std::vector<std::string>{"M_Sales_ROLLUP"});
  EXPECT_EQ(Rows(con, from_rollup.sql), expected);

  // A condition is rewritten onto the rollup's columns; a string literal is left alone.
  CubePlan filtered =
      PlanCubeQuery(schema, Query({"Amount", "AvgQty"}, {"Region"}, "customer.country = 'DE' AND Region <> 'x.y'"),
                    rollups);
  ASSERT_TRUE(filtered.from_rollup);
  EXPECT_EQ(filtered.rollup_set, "Customer|Sales");
  EXPECT_TRUE(Contains(filtered.sql, "AND (\"Sales\".\"Customer__COUNTRY\" = 'DE' AND \"Sales\".\"Sales__REGION\" <> "
                                     "'x.y')"));
  CubePlan filtered_fact = PlanCubeQuery(
      schema, Query({"Amount", "AvgQty"}, {"Region"}, "Customer.COUNTRY = 'DE' AND Sales.PRICE >= 0"), rollups);
  ASSERT_FALSE(filtered_fact.from_aggregate);
  EXPECT_EQ(Rows(con, filtered.sql), Rows(con, filtered_fact.sql));

  // One member or none: the narrowest set holding it; the totals are the same from every set.
  CubePlan by_year = PlanCubeQuery(schema, Query({"Amount", "Lines"}, {"InvoiceDate.YEAR"}), rollups);
  ASSERT_TRUE(by_year.from_rollup);
  EXPECT_EQ(Rows(con, by_year.sql),
            Rows(con, "SELECT year(InvoiceDate), sum(LineAmount), count(*) FROM SalesView GROUP BY 1 ORDER BY 1"));
  CubePlan total = PlanCubeQuery(schema, Query({"Amount", "Lines"}, {}), rollups);
  ASSERT_TRUE(total.from_rollup);
  EXPECT_EQ(Rows(con, total.sql), Rows(con, "SELECT sum(LineAmount), count(*) FROM SalesView"));

  // Three members, an attribute the rollup does not keep, or a distinct count: not from the rollup.
  EXPECT_FALSE(PlanCubeQuery(schema, Query({"Amount"}, {"Customer.Country", "InvoiceDate.YEAR", "Region"}), rollups)
                   .from_rollup);
  EXPECT_FALSE(PlanCubeQuery(schema, Query({"Amount"}, {"InvoiceDate.MONTH"}), rollups).from_rollup);
  EXPECT_FALSE(PlanCubeQuery(schema, Query({"Amount"}, {}, "Customer.CUSTOMER = 'C1'"), rollups).from_rollup);
  EXPECT_FALSE(PlanCubeQuery(schema, Query({"Customers"}, {"Region"}), rollups).from_aggregate);
}

}  // namespace
}  // namespace cdmlake::entitystore
