#include "entitystore/star_schema.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/database.h"
#include "entitystore/star_sql.h"
#include "entitystore/test_util.h"
#include "util/error.h"
#include "util/strings.h"

// Golden tests of the fixed star schema (star_schema.h, printed by star_sql.h): each test builds a small package
// in C++, prints every dimension and fact SELECT (DuckDB, and for some rules also Synapse) and compares the text
// with testdata/star/<test>.sql. CDMLAKE_UPDATE_GOLDEN=1 rewrites the files; review the diff before committing
// it. The key rule of each test is also asserted directly, so a wrong golden cannot pass unnoticed. The last
// tests run the printed DuckDB SQL over small source tables and check that facts join their dimensions.

namespace cdmlake::entitystore {
namespace {

using namespace ::cdmlake::entitystore::testing;

// ---- package builders --------------------------------------------------------------------------------------

// StarOptions whose source_columns answers from a map (upper-cased source name → columns); other sources are
// unknown (nullopt).
StarOptions SourceColumns(std::map<std::string, std::vector<std::string>> columns) {
  StarOptions options;
  options.source_columns = [columns](const std::string& source) -> std::optional<std::vector<std::string>> {
    auto it = columns.find(ToUpper(source));
    if (it == columns.end()) return std::nullopt;
    return it->second;
  };
  return options;
}

// ---- golden files -----------------------------------------------------------------------------------------

const char* KindName(DimensionKind kind) {
  switch (kind) {
    case DimensionKind::kMetadata:
      return "metadata";
    case DimensionKind::kCalendar:
      return "calendar";
    case DimensionKind::kLakeTable:
      return "lake table";
  }
  return "?";
}

std::string Render(const StarSchema& schema, Dialect dialect) {
  std::string out = dialect == Dialect::kDuckDb ? "-- dialect: duckdb\n\n" : "-- dialect: synapse\n\n";
  for (const DimensionTable& d : schema.dimensions) {
    out += "-- dimension " + d.name + " (" + KindName(d.kind) + ", reference " + d.reference + ", dimension " +
           d.dimension_name + ", key " + d.key_column + ", attributes " + Join(d.attributes, ",") + ")\n";
    out += CreateView(dialect, d.name, DimensionSelect(d, schema, dialect)) + ";\n\n";
  }
  for (const FactTable& f : schema.facts) {
    std::vector<std::string> measures, dimensions;
    for (const FactMeasure& m : f.measures) {
      measures.push_back(m.name + "=" + (m.column.empty() ? "*" : m.column) + ":" + AggregateName(m.aggregate));
    }
    for (const FactDimension& d : f.dimensions) dimensions.push_back(d.reference + "->" + d.dimension_table);
    out += "-- fact " + f.name + " (measure group " + f.measure_group + ", measures " + Join(measures, ",") +
           ", dimensions " + Join(dimensions, ",") + ", attributes " + Join(f.attributes, ",") + ")\n";
    out += CreateView(dialect, f.name, FactSelect(f, dialect)) + ";\n\n";
  }
  if (dialect == Dialect::kDuckDb) {
    for (const auto& [source, field] : schema.calendar_fields)
      out += "-- calendar field: " + source + "." + field + "\n";
    for (const std::string& warning : schema.warnings) out += "-- warning: " + warning + "\n";
  }
  return out;
}

enum class Dialects { kDuckDbOnly, kBoth };

// Builds, prints and compares; returns the schema for direct assertions.
StarSchema Golden(const std::string& name, const MetadataPackage& package, const StarOptions& options = {},
                  Dialects dialects = Dialects::kDuckDbOnly) {
  StarSchema schema = BuildStarSchema(package, options);
  std::string text = Render(schema, Dialect::kDuckDb);
  if (dialects == Dialects::kBoth) text += "\n" + Render(schema, Dialect::kSynapse);
  ExpectGolden("star", name, text);
  return schema;
}

const FactTable* FindFact(const StarSchema& schema, const std::string& name) {
  for (const FactTable& f : schema.facts) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

const DimensionTable* FindDim(const StarSchema& schema, const std::string& name) {
  for (const DimensionTable& d : schema.dimensions) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

std::string FactSql(const StarSchema& schema, const std::string& name, Dialect dialect = Dialect::kDuckDb) {
  const FactTable* fact = FindFact(schema, name);
  return fact == nullptr ? "<no fact " + name + ">" : FactSelect(*fact, dialect);
}

std::string DimSql(const StarSchema& schema, const std::string& name, Dialect dialect = Dialect::kDuckDb) {
  const DimensionTable* dimension = FindDim(schema, name);
  return dimension == nullptr ? "<no dimension " + name + ">" : DimensionSelect(*dimension, schema, dialect);
}

// The output column names of a table, in order.
std::vector<std::string> Names(const std::vector<StarColumn>& columns) {
  std::vector<std::string> names;
  for (const StarColumn& c : columns) names.push_back(c.name);
  return names;
}

const StarColumn* FindColumn(const std::vector<StarColumn>& columns, const std::string& name) {
  for (const StarColumn& c : columns) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

// Runs `build` and returns the message of the Error it throws ("" when none).
template <typename F>
std::string ErrorOf(F build, ErrorKind* kind = nullptr) {
  try {
    build();
  } catch (const Error& e) {
    if (kind) *kind = e.kind();
    return e.message();
  }
  return "";
}

// ---- degenerate attributes ------------------------------------------------------------------------------------

TEST(StarSchemaTest, DegenerateAttributeWithOneKeyFieldTakesTheUpperCasedAttributeName) {
  MetadataPackage package = Package("M");
  MeasureGroup group = Group("Sales", "SalesLine");
  group.attributes.push_back(Attr("Region", "Other", {"RegionCode"}));  // one key field: NameField ignored
  group.attributes.push_back(Attr("site", "", {"InventSiteId"}));
  package.measurement.measure_groups.push_back(group);

  StarSchema schema = Golden("degenerate_attribute_one_key_field", package);
  EXPECT_EQ(FactSql(schema, "M_Sales"),
            "SELECT \"RegionCode\" AS \"REGION\", \"InventSiteId\" AS \"SITE\", \"RECID\" AS \"RECID\", "
            "\"PARTITION\" AS \"PARTITION\", \"DATAAREAID\" AS \"DATAAREAID\" FROM \"SalesLine\"");
  EXPECT_EQ(FindFact(schema, "M_Sales")->attributes, (std::vector<std::string>{"REGION", "SITE"}));
}

TEST(StarSchemaTest, DegenerateAttributeWithSeveralKeyFieldsNamesOnlyTheNameField) {
  MetadataPackage package = Package("M");
  MeasureGroup group = Group("Sales", "SalesLine");
  group.attributes.push_back(Attr("Order", "SalesId", {"LineNum", "SalesId", "salesid"}));  // case-sensitive
  package.measurement.measure_groups.push_back(group);

  StarSchema schema = Golden("degenerate_attribute_several_key_fields", package, {}, Dialects::kBoth);
  const std::string sql = FactSql(schema, "M_Sales");
  EXPECT_TRUE(Contains(sql, "SELECT \"LineNum\" AS \"LINENUM\", \"SalesId\" AS \"ORDER\", "));
  EXPECT_TRUE(Contains(FactSql(schema, "M_Sales", Dialect::kSynapse), "[SalesId] AS [ORDER]"));
  // "salesid" differs from NameField only in case: it keeps its own name, which collides with nothing.
  EXPECT_TRUE(Contains(sql, "\"salesid\" AS \"SALESID\""));
  EXPECT_EQ(FindFact(schema, "M_Sales")->attributes, (std::vector<std::string>{"LINENUM", "ORDER", "SALESID"}));
}

// ---- reserved words (§3.3) --------------------------------------------------------------------------------------

TEST(StarSchemaTest, ReservedNamesGetATrailingUnderscoreAndReservedFieldsReadTheUnderscoreColumn) {
  MetadataPackage package = Package("M");
  MeasureGroup group = Group("Sales", "SalesLine");
  group.attributes.push_back(Attr("Key", "", {"LineId"}));            // name reserved
  group.attributes.push_back(Attr("Comment", "", {"comment"}));       // both reserved
  group.attributes.push_back(Attr("Region", "", {"KEY"}));            // field reserved
  group.measures.push_back(Meas("Count", "Qty", Aggregate::kCount));  // measure name reserved
  group.measures.push_back(Meas("Total", "Count"));                   // measure field reserved
  package.measurement.measure_groups.push_back(group);
  AddDimension(&package, "Item", "InventTable", {Attr("Item", "", {"Key"}, true), Attr("Count", "", {"COUNT"})});
  package.measurement.measure_groups[0].dimensions.push_back(Ref("Item", "Item", {Con("Item", "Comment", "Key")}));

  StarSchema schema = Golden("reserved_words", package, {}, Dialects::kBoth);
  const std::string fact = FactSql(schema, "M_Sales");
  EXPECT_TRUE(Contains(fact, "\"LineId\" AS \"KEY_\""));
  EXPECT_TRUE(Contains(fact, "\"COMMENT_\" AS \"COMMENT_\""));
  EXPECT_TRUE(Contains(fact, "\"KEY_\" AS \"REGION\""));
  EXPECT_TRUE(Contains(fact, "\"Qty\" AS \"COUNT_\""));
  EXPECT_TRUE(Contains(fact, "\"COUNT_\" AS \"TOTAL\""));
  EXPECT_TRUE(Contains(fact, "\"COMMENT_\" AS \"M_Item_FK\""));  // relation fields read the column too
  EXPECT_TRUE(Contains(FactSql(schema, "M_Sales", Dialect::kSynapse), "[LineId] AS [KEY_]"));
  const FactTable& f = *FindFact(schema, "M_Sales");
  ASSERT_EQ(f.measures.size(), 2u);
  EXPECT_EQ(f.measures[0].name, "Count");
  EXPECT_EQ(f.measures[0].column, "COUNT_");
  const std::string dim = DimSql(schema, "M_Item");
  EXPECT_TRUE(Contains(dim, "\"KEY_\" AS \"M_Item_FK\", \"KEY_\" AS \"ITEM\", \"COUNT_\" AS \"COUNT_\""));
}

// ---- view fields -------------------------------------------------------------------------------------------------

TEST(StarSchemaTest, ViewFieldsFollowTheViewOrderAndAPlainTableHasNone) {
  MetadataPackage package = Package("M");
  MeasureGroup from_view = Group("Rentals", "RentalView");
  from_view.attributes.push_back(Attr("Branch", "", {"BranchId"}));
  from_view.measures.push_back(Meas("Amount", "LineAmount"));
  MeasureGroup from_table = Group("Returns", "ReturnTable");
  from_table.measures.push_back(Meas("Amount", "LineAmount"));
  package.measurement.measure_groups = {from_view, from_table};
  AddView(&package, "RentalView", {"Zeta", "Alpha", "RecId", "Mid"});
  AddTable(&package, "ReturnTable", false);

  StarSchema schema = Golden("view_fields", package);
  EXPECT_EQ(Names(FindFact(schema, "M_Rentals")->columns),
            (std::vector<std::string>{"BRANCH", "ZETA", "ALPHA", "RECID", "MID", "AMOUNT", "PARTITION", "DATAAREAID"}));
  EXPECT_EQ(Names(FindFact(schema, "M_Returns")->columns),
            (std::vector<std::string>{"AMOUNT", "RECID", "PARTITION", "DATAAREAID"}));
  EXPECT_TRUE(Contains(FactSql(schema, "M_Rentals"), "\"RecId\" AS \"RECID\""));  // the view's own spelling
}

TEST(StarSchemaTest, MeasureNamedLikeAViewFieldWinsWithAWarning) {
  MetadataPackage package = Package("M");
  MeasureGroup group = Group("Rentals", "RentalView");
  group.measures.push_back(Meas("Amount", "LineAmount"));  // ESYN drops this measure: AMOUNT already exists
  group.measures.push_back(Meas("Qty", "Qty"));            // the measure reads the view field itself: no warning
  package.measurement.measure_groups.push_back(group);
  AddView(&package, "RentalView", {"RentalId", "amount", "Qty", "LineAmount"});

  StarSchema schema = Golden("measure_named_like_view_field", package);
  const std::string sql = FactSql(schema, "M_Rentals");
  EXPECT_TRUE(Contains(sql, "\"LineAmount\" AS \"AMOUNT\""));
  EXPECT_TRUE(NotContains(sql, "\"amount\" AS"));
  EXPECT_TRUE(Contains(sql, "\"Qty\" AS \"QTY\""));
  ASSERT_EQ(schema.warnings.size(), 1u);
  EXPECT_TRUE(Contains(schema.warnings[0], "view field amount has the name of a measure"));
  const FactTable& fact = *FindFact(schema, "M_Rentals");
  ASSERT_EQ(fact.measures.size(), 2u);
  EXPECT_EQ(fact.measures[0].column, "AMOUNT");
  EXPECT_EQ(FindColumn(fact.columns, "AMOUNT")->role, ColumnRole::kMeasure);
}

// ---- measures (§3.4 step 3) ------------------------------------------------------------------------------------

TEST(StarSchemaTest, MeasureNullAndBlankFieldsAndNames) {
  MetadataPackage package = Package("M");
  MeasureGroup group = Group("Sales", "SalesLine");
  group.measures.push_back(Meas(std::nullopt, std::nullopt, Aggregate::kCount));  // skipped
  group.measures.push_back(Meas("Lines", std::nullopt, Aggregate::kCount));       // row counter 1
  group.measures.push_back(Meas("Rows", "  ", Aggregate::kCount));                // blank Field: row counter 1
  group.measures.push_back(Meas(std::nullopt, "Qty"));                            // named after the field
  group.measures.push_back(Meas("Price", "SalesPrice", Aggregate::kMax));
  package.measurement.measure_groups.push_back(group);

  StarSchema schema = Golden("measure_null_cases", package);
  EXPECT_EQ(FactSql(schema, "M_Sales"),
            "SELECT 1 AS \"LINES\", 1 AS \"ROWS\", \"Qty\" AS \"QTY\", \"SalesPrice\" AS \"PRICE\", "
            "\"RECID\" AS \"RECID\", \"PARTITION\" AS \"PARTITION\", \"DATAAREAID\" AS \"DATAAREAID\" "
            "FROM \"SalesLine\"");
  const FactTable& fact = *FindFact(schema, "M_Sales");
  ASSERT_EQ(fact.measures.size(), 4u);
  EXPECT_EQ(fact.measures[0].name, "Lines");
  EXPECT_EQ(fact.measures[0].aggregate, Aggregate::kCount);
  EXPECT_EQ(fact.measures[2].name, "Qty");
  EXPECT_EQ(fact.measures[2].column, "QTY");
  EXPECT_EQ(fact.measures[3].aggregate, Aggregate::kMax);
  EXPECT_EQ(FindColumn(fact.columns, "LINES")->expr.kind, ColumnExpr::Kind::kConstant);
}

// ---- relations (§3.4 step 4) -------------------------------------------------------------------------------------

TEST(StarSchemaTest, SingleConstraintRelationFkIsTheRelatedFieldForSharedAndPerCompanyTables) {
  MetadataPackage package = Package("M");
  MeasureGroup group = Group("Sales", "SalesLine");
  group.dimensions.push_back(Ref("Customer", "Customer", {Con("CustAccount", "CustAccount", "AccountNum")}));
  group.dimensions.push_back(Ref("Currency", "Currency", {Con("CurrencyCode", "CurrencyCode", "CurrencyCode")}));
  package.measurement.measure_groups.push_back(group);
  AddDimension(&package, "Customer", "CustTable", {Attr("Customer", "", {"AccountNum"}, true)});
  AddDimension(&package, "Currency", "Currency", {Attr("Currency", "", {"CurrencyCode"}, true)});
  AddTable(&package, "CustTable", false);
  AddTable(&package, "Currency", true);  // shared: ESYN emits no FK for it

  StarSchema schema = Golden("relation_single_constraint", package, {}, Dialects::kBoth);
  const std::string fact = FactSql(schema, "M_Sales");
  EXPECT_TRUE(Contains(fact, "\"CustAccount\" AS \"CUSTACCOUNT\", \"CustAccount\" AS \"M_Customer_FK\""));
  EXPECT_TRUE(Contains(fact, "\"CurrencyCode\" AS \"CURRENCYCODE\", \"CurrencyCode\" AS \"M_Currency_FK\""));
  EXPECT_TRUE(Contains(DimSql(schema, "M_Currency"), "SELECT \"CurrencyCode\" AS \"M_Currency_FK\""));
  EXPECT_TRUE(Contains(DimSql(schema, "M_Customer"), "SELECT \"AccountNum\" AS \"M_Customer_FK\""));
  const FactTable& f = *FindFact(schema, "M_Sales");
  ASSERT_EQ(f.dimensions.size(), 2u);
  EXPECT_EQ(f.dimensions[1].key_column, "M_Currency_FK");
  EXPECT_EQ(f.dimensions[1].dimension_table, "M_Currency");
}

TEST(StarSchemaTest, CompositeRelationConcatenatesInTheDimensionKeyOrder) {
  MetadataPackage package = Package("M");
  MeasureGroup group = Group("Sales", "SalesLine");
  // Listed account first, but the dimension key is (DataAreaId, AccountNum).
  group.dimensions.push_back(
      Ref("Customer", "Customer",
          {Con("CustAccount", "CustAccount", "AccountNum"), Con("Company", "DataAreaId", "dataareaid")}));
  package.measurement.measure_groups.push_back(group);
  AddDimension(&package, "Customer", "CustTable",
               {Attr("Customer", "AccountNum", {"DataAreaId", "AccountNum"}, true), Attr("Name", "", {"Name"})});

  StarSchema schema = Golden("relation_composite_key_order", package, {}, Dialects::kBoth);
  EXPECT_TRUE(
      Contains(FactSql(schema, "M_Sales"), "CONCAT(\"DataAreaId\", '_', \"CustAccount\") AS \"M_Customer_FK\""));
  EXPECT_TRUE(
      Contains(DimSql(schema, "M_Customer"), "CONCAT(\"DataAreaId\", '_', \"AccountNum\") AS \"M_Customer_FK\""));
  EXPECT_TRUE(Contains(FactSql(schema, "M_Sales", Dialect::kSynapse),
                       "CONCAT([DataAreaId], '_', [CustAccount]) AS [M_Customer_FK]"));
  EXPECT_TRUE(schema.warnings.empty());
}

TEST(StarSchemaTest, CompositeRelationFallsBackToConstraintOrderWhenFieldsDoNotNameTheKey) {
  MetadataPackage package = Package("M");
  MeasureGroup group = Group("Sales", "SalesLine");
  group.dimensions.push_back(
      Ref("Customer", "Customer", {Con("CustAccount", "CustAccount", ""), Con("Company", "DataAreaId", "")}));
  package.measurement.measure_groups.push_back(group);
  AddDimension(&package, "Customer", "CustTable", {Attr("Customer", "AccountNum", {"DataAreaId", "AccountNum"}, true)});

  StarSchema schema = Golden("relation_composite_constraint_order", package);
  EXPECT_TRUE(
      Contains(FactSql(schema, "M_Sales"), "CONCAT(\"CustAccount\", '_', \"DataAreaId\") AS \"M_Customer_FK\""));
  ASSERT_EQ(schema.warnings.size(), 1u);
  EXPECT_TRUE(Contains(schema.warnings[0], "no relation constraint names the dimension key field DataAreaId"));
  EXPECT_TRUE(Contains(schema.warnings[0], "relating the fields in constraint order"));
}

// ---- dimensions (§3.5) ----------------------------------------------------------------------------------------

TEST(StarSchemaTest, DimensionCompositeKeyGivesRowUniqueKeyAndAConcatFk) {
  MetadataPackage package = Package("M");
  MeasureGroup group = Group("Sales", "SalesLine");
  group.dimensions.push_back(
      Ref("Customer", "Customer",
          {Con("Company", "DataAreaId", "DataAreaId"), Con("CustAccount", "CustAccount", "AccountNum")}));
  package.measurement.measure_groups.push_back(group);
  // The key's NameField takes the attribute name; the other key field keeps its own (upper-cased) name.
  AddDimension(&package, "Customer", "CustTable",
               {Attr("Customer", "AccountNum", {"DataAreaId", "AccountNum"}, true), Attr("Name", "", {"Name"})});

  StarSchema schema = Golden("dimension_composite_key", package, {}, Dialects::kBoth);
  EXPECT_EQ(DimSql(schema, "M_Customer"),
            "SELECT CONCAT(\"DataAreaId\", '_', \"AccountNum\") AS \"ROW_UNIQUEKEY\", "
            "CONCAT(\"DataAreaId\", '_', \"AccountNum\") AS \"M_Customer_FK\", \"DataAreaId\" AS \"DATAAREAID\", "
            "\"AccountNum\" AS \"CUSTOMER\", \"Name\" AS \"NAME\", \"RECID\" AS \"RECID\", "
            "\"PARTITION\" AS \"PARTITION\" FROM \"CustTable\"");
  const DimensionTable& d = *FindDim(schema, "M_Customer");
  EXPECT_EQ(d.key_column, "M_Customer_FK");
  EXPECT_EQ(d.attributes, (std::vector<std::string>{"DATAAREAID", "CUSTOMER", "NAME"}));
  EXPECT_EQ(d.kind, DimensionKind::kMetadata);
  EXPECT_TRUE(NotContains(DimSql(schema, "M_Customer"), "ROW_NUMBER"));
}

TEST(StarSchemaTest, DimensionSingleKeyFkIsTheKeyField) {
  MetadataPackage package = Package("M");
  MeasureGroup group = Group("Sales", "SalesLine");
  group.dimensions.push_back(Ref("Item", "Item", {Con("ItemId", "ItemId", "ItemId")}));
  package.measurement.measure_groups.push_back(group);
  AddDimension(&package, "Item", "InventTable",
               {Attr("Item", "", {"ItemId"}, true), Attr("Group", "", {"ItemGroupId"})});

  StarSchema schema = Golden("dimension_single_key", package);
  EXPECT_EQ(DimSql(schema, "M_Item"),
            "SELECT \"ItemId\" AS \"M_Item_FK\", \"ItemId\" AS \"ITEM\", \"ItemGroupId\" AS \"GROUP\", "
            "\"RECID\" AS \"RECID\", \"PARTITION\" AS \"PARTITION\", \"DATAAREAID\" AS \"DATAAREAID\" "
            "FROM \"InventTable\"");
  EXPECT_TRUE(NotContains(DimSql(schema, "M_Item"), "ROW_UNIQUEKEY"));
}

TEST(StarSchemaTest, SystemColumnsOnlyWhenTheSourceHasThemAndNoAttributeTookTheName) {
  MetadataPackage package = Package("M");
  MeasureGroup group = Group("Sales", "SalesLine");
  group.attributes.push_back(Attr("RecId", "", {"LineRecId"}));  // takes RECID
  group.dimensions.push_back(Ref("Item", "Item", {Con("ItemId", "ItemId", "ItemId")}));
  package.measurement.measure_groups.push_back(group);
  AddDimension(&package, "Item", "InventTable",
               {Attr("Item", "", {"ItemId"}, true), Attr("Company", "", {"DATAAREAID"})});  // key field DATAAREAID
  StarOptions options = SourceColumns({{"SALESLINE", {"RECID", "DATAAREAID", "LINERECID", "ITEMID"}},
                                       {"INVENTTABLE", {"ITEMID", "RECID", "DATAAREAID"}}});

  StarSchema schema = Golden("system_columns", package, options);
  // SalesLine has no PARTITION; RECID is the attribute's.
  EXPECT_EQ(Names(FindFact(schema, "M_Sales")->columns),
            (std::vector<std::string>{"RECID", "ITEMID", "M_Item_FK", "DATAAREAID"}));
  EXPECT_TRUE(Contains(FactSql(schema, "M_Sales"), "\"LineRecId\" AS \"RECID\""));
  EXPECT_TRUE(NotContains(FactSql(schema, "M_Sales"), "\"PARTITION\""));
  // InventTable: DATAAREAID is read by the Company attribute, so only RECID is added.
  EXPECT_EQ(Names(FindDim(schema, "M_Item")->columns),
            (std::vector<std::string>{"M_Item_FK", "ITEM", "COMPANY", "RECID"}));

  // With unknown source columns every free system column is assumed.
  StarSchema assumed = BuildStarSchema(package, {});
  EXPECT_EQ(Names(FindFact(assumed, "M_Sales")->columns),
            (std::vector<std::string>{"RECID", "ITEMID", "M_Item_FK", "PARTITION", "DATAAREAID"}));
}

// ---- enums (§3.6) --------------------------------------------------------------------------------------------

TEST(StarSchemaTest, EnumColumnsKeepTheValueInPlaceAndAppendALabel) {
  MetadataPackage package = Package("M");
  MeasureGroup group = Group("Sales", "SalesView");
  group.attributes.push_back(Attr("Status", "", {"SalesStatus"}));
  group.measures.push_back(Meas("Qty", "Qty"));  // an enum file on a measure field is ignored
  group.dimensions.push_back(Ref("Customer", "Customer", {Con("CustGroupId", "CustGroup", "AccountNum")}));
  package.measurement.measure_groups.push_back(group);
  AddView(&package, "SalesView", {"DeliveryMode", "Notes"});
  AddDimension(&package, "Customer", "CustTable",
               {Attr("Customer", "", {"AccountNum"}, true), Attr("Blocked", "", {"Blocked"})});
  AddEnum(&package, "SalesView", "SalesStatus", {{"Open", 1}, {"Delivered", 2}, {"Invoiced", 3}});
  AddEnum(&package, "SalesView", "DeliveryMode", {{"Road", 0}, {"Air", 1}});
  AddEnum(&package, "SalesView", "Qty", {{"Never", 0}});
  AddEnum(&package, "SalesView", "CustGroup", {{"Never", 0}});  // the FK reads CustGroup: not translated
  AddEnum(&package, "CustTable", "Blocked", {{"No", 0}, {"All", 2}});
  AddEnum(&package, "CustTable", "AccountNum", {{"Never", 0}});  // the dimension FK: not translated

  StarSchema schema = Golden("enum_translation", package, {}, Dialects::kBoth);
  const std::string fact = FactSql(schema, "M_Sales");
  EXPECT_TRUE(Contains(fact,
                       "SELECT \"SalesStatus\" AS \"STATUS_VALUE\", \"DeliveryMode\" AS \"DELIVERYMODE_VALUE\", "
                       "\"Notes\" AS \"NOTES\", \"Qty\" AS \"QTY\", "));
  EXPECT_TRUE(Contains(fact, "\"CustGroup\" AS \"M_Customer_FK\""));
  EXPECT_TRUE(Contains(fact,
                       "CASE \"SalesStatus\" WHEN 1 THEN 'Open' WHEN 2 THEN 'Delivered' WHEN 3 THEN "
                       "'Invoiced' END AS \"STATUS\", CASE \"DeliveryMode\" WHEN 0 THEN 'Road' WHEN 1 THEN "
                       "'Air' END AS \"DELIVERYMODE\""));
  EXPECT_TRUE(NotContains(fact, "QTY_VALUE"));
  EXPECT_TRUE(NotContains(fact, "FK_VALUE"));
  const std::string dim = DimSql(schema, "M_Customer");
  EXPECT_TRUE(Contains(dim, "SELECT \"AccountNum\" AS \"M_Customer_FK\", "));
  EXPECT_TRUE(Contains(dim, "\"Blocked\" AS \"BLOCKED_VALUE\""));
  EXPECT_TRUE(Contains(dim, "CASE \"Blocked\" WHEN 0 THEN 'No' WHEN 2 THEN 'All' END AS \"BLOCKED\""));
  EXPECT_TRUE(Contains(FactSql(schema, "M_Sales", Dialect::kSynapse),
                       "CASE [SalesStatus] WHEN 1 THEN 'Open' WHEN 2 THEN 'Delivered'"));
  const FactTable& f = *FindFact(schema, "M_Sales");
  EXPECT_EQ(FindColumn(f.columns, "STATUS_VALUE")->role, ColumnRole::kEnumValue);
  EXPECT_EQ(FindColumn(f.columns, "STATUS")->role, ColumnRole::kEnumLabel);
  EXPECT_EQ(FindColumn(f.columns, "QTY")->role, ColumnRole::kMeasure);
  EXPECT_EQ(FindColumn(f.columns, "M_Customer_FK")->role, ColumnRole::kForeignKey);
  EXPECT_EQ(f.attributes, (std::vector<std::string>{"STATUS"}));  // the query attribute is the label
}

// ---- Date_ -----------------------------------------------------------------------------------------------------

TEST(StarSchemaTest, DateWithoutMetadataGetsAGeneratedCalendar) {
  MetadataPackage package = Package("M");
  MeasureGroup group = Group("Sales", "SalesLine");
  group.dimensions.push_back(Ref("InvoiceDate", "Date_", {Con("InvoiceDate", "InvoiceDate", "DateKey")}));
  group.measures.push_back(Meas("Amount", "LineAmount"));
  package.measurement.measure_groups.push_back(group);

  StarSchema schema = Golden("date_calendar", package, {}, Dialects::kBoth);
  const DimensionTable& d = *FindDim(schema, "M_InvoiceDate");
  EXPECT_EQ(d.kind, DimensionKind::kCalendar);
  EXPECT_EQ(d.source, "");
  EXPECT_EQ(d.key_column, "M_InvoiceDate_FK");
  EXPECT_EQ(d.attributes,
            (std::vector<std::string>{"DATEKEY", "DATE", "DAY", "DAYOFWEEK", "DAYNAME", "WEEK", "MONTH", "MONTHNAME",
                                      "QUARTER", "QUARTERNAME", "YEAR", "YEARMONTH", "YEARQUARTER"}));
  EXPECT_EQ(schema.calendar_fields, (std::vector<std::pair<std::string, std::string>>{{"SalesLine", "InvoiceDate"}}));
  ASSERT_EQ(schema.warnings.size(), 1u);
  EXPECT_TRUE(Contains(schema.warnings[0], "no metadata for the platform date dimension Date_"));
  EXPECT_TRUE(Contains(FactSql(schema, "M_Sales"), "CAST(\"InvoiceDate\" AS DATE) AS \"M_InvoiceDate_FK\""));
  const std::string dim = DimSql(schema, "M_InvoiceDate");
  EXPECT_TRUE(Contains(dim, "SELECT CAST(\"InvoiceDate\" AS DATE) AS d FROM \"SalesLine\""));
  EXPECT_TRUE(Contains(dim, "\"DATEKEY\" AS \"M_InvoiceDate_FK\", \"DATEKEY\" AS \"DATEKEY\""));
  EXPECT_TRUE(Contains(DimSql(schema, "M_InvoiceDate", Dialect::kSynapse), "FROM [dbo].[SalesLine]"));
}

TEST(StarSchemaTest, RolePlayingDateReferencesGiveOneCalendarTableEach) {
  MetadataPackage package = Package("M");
  MeasureGroup sales = Group("Sales", "SalesLine");
  sales.dimensions.push_back(Ref("OrderDate", "Date_", {Con("CreatedDate", "CreatedDate", "DateKey")}));
  sales.dimensions.push_back(Ref("ShipDate", "date_", {Con("ShippingDate", "ShippingDate", "DateKey")}));
  MeasureGroup returns = Group("Returns", "ReturnLine");
  returns.dimensions.push_back(Ref("OrderDate", "Date_", {Con("ReturnDate", "ReturnDate", "DateKey")}));
  package.measurement.measure_groups = {sales, returns};

  StarSchema schema = Golden("date_role_playing", package);
  ASSERT_EQ(schema.dimensions.size(), 2u);  // OrderDate is shared by both groups
  EXPECT_EQ(schema.dimensions[0].name, "M_OrderDate");
  EXPECT_EQ(schema.dimensions[1].name, "M_ShipDate");
  EXPECT_EQ(schema.dimensions[1].kind, DimensionKind::kCalendar);
  EXPECT_EQ(schema.calendar_fields.size(), 3u);
  EXPECT_EQ(schema.warnings.size(), 1u);  // warned once
  EXPECT_TRUE(Contains(FactSql(schema, "M_Sales"), "CAST(\"ShippingDate\" AS DATE) AS \"M_ShipDate_FK\""));
  EXPECT_TRUE(Contains(FactSql(schema, "M_Returns"), "CAST(\"ReturnDate\" AS DATE) AS \"M_OrderDate_FK\""));
  // Every calendar covers all fact dates.
  EXPECT_TRUE(Contains(DimSql(schema, "M_ShipDate"), "FROM \"ReturnLine\""));
}

TEST(StarSchemaTest, DateTableOptionUsesALakeTableKeyedByDateKey) {
  MetadataPackage package = Package("M");
  MeasureGroup group = Group("Sales", "SalesLine");
  group.dimensions.push_back(Ref("InvoiceDate", "Date_", {Con("InvoiceDate", "InvoiceDate", "DateKey")}));
  package.measurement.measure_groups.push_back(group);
  StarOptions options = SourceColumns({{"DATEDIM", {"DATEKEY", "FiscalYear"}}});
  options.date_table = "DateDim";

  StarSchema schema = Golden("date_table", package, options, Dialects::kBoth);
  const DimensionTable& d = *FindDim(schema, "M_InvoiceDate");
  EXPECT_EQ(d.kind, DimensionKind::kLakeTable);
  EXPECT_EQ(d.source, "DateDim");
  EXPECT_EQ(DimSql(schema, "M_InvoiceDate"),
            "SELECT CAST(\"DATEKEY\" AS DATE) AS \"M_InvoiceDate_FK\", \"DATEKEY\" AS \"DATEKEY\", "
            "\"FiscalYear\" AS \"FISCALYEAR\" FROM \"DateDim\"");
  EXPECT_TRUE(Contains(FactSql(schema, "M_Sales"), "CAST(\"InvoiceDate\" AS DATE) AS \"M_InvoiceDate_FK\""));
  EXPECT_TRUE(schema.warnings.empty());

  ErrorKind kind = ErrorKind::kInternal;
  StarOptions no_key = SourceColumns({{"DATEDIM", {"DAY"}}});
  no_key.date_table = "DateDim";
  EXPECT_TRUE(Contains(ErrorOf([&] { BuildStarSchema(package, no_key); }, &kind), "has no DATEKEY column"));
  EXPECT_EQ(kind, ErrorKind::kUser);
  StarOptions unknown = SourceColumns({});
  unknown.date_table = "Nowhere";
  EXPECT_TRUE(
      Contains(ErrorOf([&] { BuildStarSchema(package, unknown); }), "the date table Nowhere is not in the lake"));
}

// ---- errors --------------------------------------------------------------------------------------------------

TEST(StarSchemaTest, ErrorsNameTheGroupReferenceAndDimension) {
  std::string golden;
  ErrorKind kind = ErrorKind::kInternal;

  MetadataPackage missing = Package("M");
  MeasureGroup group = Group("Sales", "SalesLine");
  group.dimensions.push_back(Ref("Buyer", "Customer", {Con("CustAccount", "CustAccount", "AccountNum")}));
  missing.measurement.measure_groups.push_back(group);
  std::string message = ErrorOf([&] { BuildStarSchema(missing, {}); }, &kind);
  EXPECT_TRUE(Contains(message, "measure group Sales references dimension Customer (as Buyer)"));
  EXPECT_TRUE(Contains(message, "dimensions\\CUSTOMER.json"));
  EXPECT_EQ(kind, ErrorKind::kData);
  golden += "-- dimension without metadata\n" + message + "\n\n";

  MetadataPackage no_constraints = Package("M");
  MeasureGroup bare = Group("Sales", "SalesLine");
  bare.dimensions.push_back(Ref("Customer", "Customer", {}));
  no_constraints.measurement.measure_groups.push_back(bare);
  AddDimension(&no_constraints, "Customer", "CustTable", {Attr("Customer", "", {"AccountNum"}, true)});
  message = ErrorOf([&] { BuildStarSchema(no_constraints, {}); });
  EXPECT_TRUE(Contains(message, "measure group Sales, dimension reference Customer has no relation constraints"));
  golden += "-- relation without constraints\n" + message + "\n\n";

  MetadataPackage no_key_fields = Package("M");
  no_key_fields.measurement.measure_groups.push_back(group);
  AddDimension(&no_key_fields, "Customer", "CustTable", {Attr("Customer", "", {}, true)});
  message = ErrorOf([&] { BuildStarSchema(no_key_fields, {}); });
  EXPECT_TRUE(Contains(message, "key attribute Customer of dimension Customer has no key fields"));
  golden += "-- key attribute without key fields\n" + message + "\n\n";

  MetadataPackage count_mismatch = Package("M");
  count_mismatch.measurement.measure_groups.push_back(group);
  AddDimension(&count_mismatch, "Customer", "CustTable", {Attr("Customer", "", {"DataAreaId", "AccountNum"}, true)});
  message = ErrorOf([&] { BuildStarSchema(count_mismatch, {}); });
  EXPECT_TRUE(Contains(message,
                       "measure group Sales, dimension reference Buyer relates 1 field(s), but the key of "
                       "dimension Customer has 2"));
  golden += "-- relation field count differs from the key field count\n" + message + "\n";

  ExpectGolden("star", "errors", golden);
}

TEST(StarSchemaTest, TwoReferencesOfOneGroupWithTheSameNameAreAnError) {
  MetadataPackage package = Package("M");
  MeasureGroup group = Group("Sales", "SalesLine");
  group.dimensions.push_back(Ref("Customer", "Customer", {Con("CustAccount", "CustAccount", "AccountNum")}));
  group.dimensions.push_back(Ref("Customer", "Customer", {Con("InvoiceAccount", "InvoiceAccount", "AccountNum")}));
  package.measurement.measure_groups.push_back(group);
  AddDimension(&package, "Customer", "CustTable", {Attr("Customer", "", {"AccountNum"}, true)});
  EXPECT_TRUE(Contains(ErrorOf([&] { BuildStarSchema(package, {}); }), "Customer"));
}

TEST(StarSchemaTest, OutputNameUpperCasesAndEscapesReservedWords) {
  EXPECT_EQ(OutputName("Key"), "KEY_");
  EXPECT_EQ(OutputName("comment"), "COMMENT_");
  EXPECT_EQ(OutputName("COUNT"), "COUNT_");
  EXPECT_EQ(OutputName("Counter"), "COUNTER");
  EXPECT_EQ(OutputName("Amount"), "AMOUNT");
}

// ---- the printed SQL runs in DuckDB ---------------------------------------------------------------------------

std::string Scalar(engine::Connection& con, const std::string& sql) { return con.Query(sql).ScalarText(); }

// A measurement over lake-like tables: a composite-key customer (constraints listed out of key order), a
// single-key item on a shared table, an enum status and a generated calendar.
MetadataPackage RunnablePackage() {
  MetadataPackage package = Package("SalesCube");
  MeasureGroup group = Group("Sales", "SalesLine");
  group.attributes.push_back(Attr("Status", "", {"SalesStatus"}));
  group.measures.push_back(Meas("Amount", "LineAmount"));
  group.measures.push_back(Meas("Lines", std::nullopt, Aggregate::kCount));
  group.dimensions.push_back(
      Ref("Customer", "Customer",
          {Con("CustAccount", "CustAccount", "AccountNum"), Con("Company", "DataAreaId", "DataAreaId")}));
  group.dimensions.push_back(Ref("Item", "Item", {Con("ItemId", "ItemId", "ItemId")}));
  group.dimensions.push_back(Ref("InvoiceDate", "Date_", {Con("InvoiceDate", "InvoiceDate", "DateKey")}));
  package.measurement.measure_groups.push_back(group);
  AddDimension(&package, "Customer", "CustTable",
               {Attr("Customer", "AccountNum", {"DataAreaId", "AccountNum"}, true), Attr("Name", "", {"Name"})});
  AddDimension(&package, "Item", "InventTable", {Attr("Item", "", {"ItemId"}, true), Attr("Name", "", {"ItemName"})});
  AddTable(&package, "InventTable", true);
  AddEnum(&package, "SalesLine", "SalesStatus", {{"Open", 1}, {"Invoiced", 3}});
  return package;
}

void CreateRunnableSources(engine::Connection& con) {
  con.Execute(
      "CREATE TABLE CustTable (RECID BIGINT, PARTITION BIGINT, DataAreaId VARCHAR, AccountNum VARCHAR, "
      "Name VARCHAR);"
      "INSERT INTO CustTable VALUES (1, 1, 'usmf', 'C1', 'Contoso US'), (2, 1, 'dat', 'C1', 'Contoso DAT'), "
      "(3, 1, 'usmf', 'C2', 'Fabrikam');"
      "CREATE TABLE InventTable (RECID BIGINT, ItemId VARCHAR, ItemName VARCHAR);"
      "INSERT INTO InventTable VALUES (10, 'I1', 'Bike'), (11, 'I2', 'Helmet');"
      "CREATE TABLE SalesLine (RECID BIGINT, PARTITION BIGINT, DATAAREAID VARCHAR, CustAccount VARCHAR, "
      "ItemId VARCHAR, InvoiceDate TIMESTAMP, LineAmount DECIMAL(18,2), SalesStatus INTEGER);"
      "INSERT INTO SalesLine VALUES "
      "(100, 1, 'usmf', 'C1', 'I1', '2023-02-03 10:00:00', 10.50, 1), "
      "(101, 1, 'dat', 'C1', 'I2', '2023-12-31 23:59:59', 20.00, 3), "
      "(102, 1, 'usmf', 'C2', 'I1', '2024-07-01 00:00:00', 5.25, 3), "
      "(103, 1, 'dat', 'C1', 'I1', '2024-02-29 08:00:00', 1.00, 1);");
}

StarOptions RunnableOptions() {
  return SourceColumns(
      {{"CUSTTABLE", {"RECID", "PARTITION", "DATAAREAID", "ACCOUNTNUM", "NAME"}},
       {"INVENTTABLE", {"RECID", "ITEMID", "ITEMNAME"}},
       {"SALESLINE",
        {"RECID", "PARTITION", "DATAAREAID", "CUSTACCOUNT", "ITEMID", "INVOICEDATE", "LINEAMOUNT", "SALESSTATUS"}}});
}

TEST(StarSqlDuckDbTest, EveryFactRowJoinsItsDimensionRowsAndTheCalendarCoversTheFactDates) {
  engine::Database db(engine::Settings{1, "256MB", "", {}});
  engine::Connection con(db);
  CreateRunnableSources(con);
  StarSchema schema = BuildStarSchema(RunnablePackage(), RunnableOptions());
  for (const DimensionTable& d : schema.dimensions) {
    con.Execute(CreateView(Dialect::kDuckDb, d.name, DimensionSelect(d, schema, Dialect::kDuckDb)));
  }
  ASSERT_EQ(schema.facts.size(), 1u);
  const FactTable& fact = schema.facts[0];
  con.Execute(CreateView(Dialect::kDuckDb, fact.name, FactSelect(fact, Dialect::kDuckDb)));

  EXPECT_EQ(Scalar(con, "SELECT count(*) FROM SalesCube_Sales"), "4");
  ASSERT_EQ(fact.dimensions.size(), 3u);
  for (const FactDimension& d : fact.dimensions) {
    const std::string key = "\"" + d.key_column + "\"";
    // Dimension keys are unique, and every fact row finds exactly one dimension row.
    EXPECT_EQ(Scalar(con, "SELECT count(*) - count(DISTINCT " + key + ") FROM \"" + d.dimension_table + "\""), "0")
        << d.dimension_table;
    EXPECT_EQ(Scalar(con, "SELECT count(*) FROM SalesCube_Sales f JOIN \"" + d.dimension_table + "\" d ON f." + key +
                              " = d." + key),
              "4")
        << d.reference;
  }
  // The composite key joins the right customer: (dat, C1) is Contoso DAT, not Contoso US.
  EXPECT_EQ(Scalar(con,
                   "SELECT string_agg(d.NAME, '|' ORDER BY f.RECID) FROM SalesCube_Sales f "
                   "JOIN SalesCube_Customer d USING (SalesCube_Customer_FK)"),
            "Contoso US|Contoso DAT|Fabrikam|Contoso DAT");
  EXPECT_EQ(Scalar(con,
                   "SELECT string_agg(d.NAME, '|' ORDER BY f.RECID) FROM SalesCube_Sales f "
                   "JOIN SalesCube_Item d USING (SalesCube_Item_FK)"),
            "Bike|Helmet|Bike|Bike");
  // The calendar spans whole years around the fact dates, one row per day.
  EXPECT_EQ(Scalar(con, "SELECT concat(min(DATEKEY), '..', max(DATEKEY), ' ', count(*)) FROM SalesCube_InvoiceDate"),
            "2023-01-01..2024-12-31 731");
  EXPECT_EQ(Scalar(con,
                   "SELECT concat(DAYNAME, ' ', YEARQUARTER, ' ', YEARMONTH) FROM SalesCube_InvoiceDate "
                   "WHERE DATEKEY = DATE '2024-02-29'"),
            "Thursday 2024-Q1 2024-02");
  // Enum: the value stays, the label is added; the row counter counts rows.
  EXPECT_EQ(
      Scalar(con, "SELECT string_agg(concat(STATUS, '=', STATUS_VALUE), ',' ORDER BY RECID) FROM SalesCube_Sales"),
      "Open=1,Invoiced=3,Invoiced=3,Open=1");
  EXPECT_EQ(Scalar(con, "SELECT concat(sum(LINES), ' ', sum(AMOUNT)) FROM SalesCube_Sales"), "4 36.75");
}

}  // namespace
}  // namespace cdmlake::entitystore
