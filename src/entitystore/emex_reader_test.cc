#include "entitystore/emex_reader.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "entitystore/test_util.h"
#include "util/error.h"

namespace cdmlake::entitystore {
namespace {

using Entries = std::vector<std::pair<std::string, std::string>>;

// JSON as EMEX writes it on Windows: CRLF line ends (and here also a BOM to show it is accepted).
std::string Crlf(std::string_view text, bool bom = false) {
  std::string out = bom ? "\xEF\xBB\xBF" : "";
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

const char kMeasurement[] = R"({
  "Name": "SalesCube",
  "Label": "@SYS1",
  "Usage": "StagedEntityStore",
  "MeasureGroups": [
    {
      "Name": "Sales",
      "Table": "SalesView",
      "Attributes": [ { "Name": "InvoiceId", "NameField": "InvoiceId",
                        "KeyFields": [ { "DimensionField": "InvoiceId" } ] } ],
      "Measures": [
        { "Name": "Amount", "Field": "LineAmount", "DefaultAggregate": "sum" },
        { "Name": "Lines", "Field": null },
        { "name": "Customers", "field": "CustAccount", "defaultaggregate": 2 },
        { "Field": "Qty", "DefaultAggregate": 1 },
        { "Name": "Odd", "Field": "", "DefaultAggregate": 99 }
      ],
      "Dimensions": [
        { "Name": "Customer", "DimensionName": "Customer",
          "DimensionRelations": [ { "DimensionAttribute": "Customer",
            "Constraints": [ { "Name": "CustAccount", "RelatedField": "CustAccount", "Field": "AccountNum" },
                             { "Name": "Company", "RelatedField": "DataAreaId", "Field": "DataAreaId" } ] } ] },
        { "Name": "InvoiceCustomer", "DimensionName": "CustomerAlt",
          "DimensionRelations": [ { "Constraints": [
            { "Name": "InvoiceAccount", "RelatedField": "InvoiceAccount" } ] } ] }
      ]
    }
  ]
}
)";

const char kCustomer[] = R"({
  "Name": "Customer",
  "Table": "CustTable",
  "Attributes": [
    { "Name": "Customer", "Usage": 1,
      "KeyFields": [ { "DimensionField": "AccountNum" }, { "DimensionField": "DataAreaId" } ] },
    { "Name": "Group", "NameField": "CustGroup", "Type": "Caption",
      "KeyFields": [ { "DimensionField": "CustGroup" } ] },
    { "Name": "Account", "Usage": "Key", "KeyFields": [ { "DimensionField": "AccountNum" } ] }
  ]
})";

const char kSalesView[] = R"({
  "Name": "SalesView",
  "Fields": [
    { "Name": "Status", "DataSource": "SalesTable", "DataField": "SalesStatus", "EnumType": "SalesStatus" },
    { "Name": "LineAmount", "DataSource": "SalesLine", "DataField": "LineAmount" }
  ],
  "ViewMetadata": { "Name": "Metadata", "DataSources": [
    { "Name": "SalesTable", "Table": "SalesTable", "DataSources": [
      { "Name": "SalesLine", "Table": "SalesLine", "JoinMode": 1,
        "Relations": [ { "Field": "SalesId", "RelatedField": "SalesId" } ] } ] } ] },
  "Query": "SalesQuery"
})";

const char kEntity[] = R"({ "Name": "CustomerEntity", "PublicEntityName": "Customer", "Fields": [] })";

const char kQuery[] = R"({ "Name": "SalesQuery", "DataSources": [ { "Name": "SalesTable", "Table": "SalesTable" } ] })";

const char kCustTable[] = R"({ "Name": "CustTable", "Fields": [ { "Name": "AccountNum" },
  { "Name": "CustType", "EnumType": "DirPartyType" } ] })";

const char kDependencies[] =
    "ViewName,RootViewName,ParentViewName,Definition\r\n"
    "\"SALESVIEW\",\"SALESVIEW\",\"SALESVIEW\",\"CREATE OR ALTER VIEW [dbo].SALESVIEW AS SELECT T1.NAME AS \"NAME\"\r\n"
    "FROM SALESTABLE T1\"\r\n";

Entries Package() {
  return {
      {"manifest.json", Crlf(R"({"MeasureName": "SalesCube"})")},
      {"measurement.json", Crlf(kMeasurement, true)},
      // CustomerAlt uses CustTable as well, so EMEX skipped its file (spec §2.2).
      {"dimensions\\CUSTOMER.json", Crlf(kCustomer)},
      {"views\\SALESVIEW.json", Crlf(kSalesView)},
      {"views\\CUSTOMERENTITY.json", kEntity},
      {"views\\PURESQLVIEW.json", "null"},
      {"views\\dependencies.csv", kDependencies},
      {"queries\\SALESQUERY.json", kQuery},
      {"tables\\tables.csv", "TableName\r\nCUSTTABLE\r\nSALESTABLE\r\nSHARED\r\n"},
      {"tables\\CUSTTABLE.json", Crlf(kCustTable)},
      {"tables\\SALESTABLE.json", R"({"Name": "SalesTable"})"},
      {"tables\\SHARED.json", R"({"Name": "Shared", "SaveDataPerCompany": 0})"},
      {"enums\\SALESVIEW_STATUS.json",
       R"({"Name": "STATUS", "EnumName": "SALESSTATUS", "Translations": [{"Key": "None", "Value": 0},
          {"Key": "Backorder", "Value": 1}, {"Key": "Invoiced", "Value": 3}]})"},
      {"enums\\CUST_TABLE_CUST_TYPE.json", R"({"Name": "CUST_TYPE", "EnumName": "DIRPARTYTYPE", "Translations": []})"},
  };
}

class EmexReaderTest : public testing::TempDirTest {
 protected:
  EmexReaderTest() : TempDirTest("emex") {}

  std::string Write(const Entries& entries) {
    std::string path = (dir_ / "SalesCube.zip").string();
    WriteZipFile(path, entries);
    return path;
  }
};

TEST_F(EmexReaderTest, ReadsTheMeasurement) {
  std::string path = Write(Package());
  MetadataPackage p = ReadEmexPackage(path);
  EXPECT_EQ(p.format, PackageFormat::kEmex);
  EXPECT_EQ(p.origin, path);
  const Measurement& m = p.measurement;
  EXPECT_EQ(m.name, "SalesCube");
  EXPECT_EQ(m.label, "@SYS1");
  EXPECT_EQ(m.usage, "StagedEntityStore");
  EXPECT_EQ(m.source.file, path + ":measurement.json");
  ASSERT_EQ(m.measure_groups.size(), 1u);
  const MeasureGroup& g = m.measure_groups[0];
  EXPECT_EQ(g.name, "Sales");
  EXPECT_EQ(g.table, "SalesView");
  EXPECT_EQ(g.source.line, 7) << "the line of the group's Name";
  ASSERT_EQ(g.attributes.size(), 1u);
  EXPECT_EQ(g.attributes[0].key_fields, std::vector<std::string>{"InvoiceId"});
  EXPECT_FALSE(g.attributes[0].is_key);

  ASSERT_EQ(g.measures.size(), 5u);
  EXPECT_EQ(g.measures[0].name.value(), "Amount");
  EXPECT_EQ(g.measures[0].field.value(), "LineAmount");
  EXPECT_EQ(g.measures[0].aggregate, Aggregate::kSum) << "names are case-insensitive";
  EXPECT_EQ(g.measures[1].name.value(), "Lines");
  EXPECT_FALSE(g.measures[1].field.has_value()) << "null is absent";
  EXPECT_EQ(g.measures[1].aggregate, Aggregate::kCount) << "a missing DefaultAggregate is Count";
  EXPECT_EQ(g.measures[2].name.value(), "Customers") << "property names are case-insensitive";
  EXPECT_EQ(g.measures[2].aggregate, Aggregate::kDistinctCount);
  EXPECT_FALSE(g.measures[3].name.has_value());
  EXPECT_EQ(g.measures[3].aggregate, Aggregate::kSum);
  EXPECT_EQ(g.measures[4].field.value(), "") << "empty is not absent";
  EXPECT_EQ(g.measures[4].aggregate, Aggregate::kCount);

  ASSERT_EQ(g.dimensions.size(), 2u);
  const DimensionReference& d = g.dimensions[0];
  EXPECT_EQ(d.name, "Customer");
  EXPECT_EQ(d.dimension_name, "Customer");
  ASSERT_EQ(d.relations.size(), 1u);
  EXPECT_EQ(d.relations[0].dimension_attribute, "Customer");
  ASSERT_EQ(d.relations[0].constraints.size(), 2u);
  EXPECT_EQ(d.relations[0].constraints[1].name, "Company");
  EXPECT_EQ(d.relations[0].constraints[1].related_field, "DataAreaId");
  EXPECT_EQ(d.relations[0].constraints[1].field, "DataAreaId");

  // Integer aggregate codes and the unknown one are reported once each.
  int code_warnings = 0, unknown_warnings = 0;
  for (const std::string& w : p.warnings) {
    if (w.find("unverified mapping") != std::string::npos) ++code_warnings;
    if (w.find("unknown DefaultAggregate '99'") != std::string::npos) ++unknown_warnings;
  }
  EXPECT_EQ(code_warnings, 1);
  EXPECT_EQ(unknown_warnings, 1);
}

TEST_F(EmexReaderTest, ReadsDimensionsViewsQueriesTablesAndEnums) {
  MetadataPackage p = ReadEmexPackage(Write(Package()));
  const Dimension* customer = p.FindDimension("customer");
  ASSERT_NE(customer, nullptr);
  EXPECT_EQ(customer->table, "CustTable");
  ASSERT_EQ(customer->attributes.size(), 3u);
  EXPECT_TRUE(customer->attributes[0].is_key) << "Usage 1 is Key";
  EXPECT_EQ(customer->attributes[0].key_fields, (std::vector<std::string>{"AccountNum", "DataAreaId"}));
  EXPECT_FALSE(customer->attributes[1].is_key) << "a missing Usage is a normal attribute";
  EXPECT_EQ(customer->attributes[1].name_field, "CustGroup");
  EXPECT_EQ(customer->attributes[1].type, "Caption");
  EXPECT_TRUE(customer->attributes[2].is_key) << "Usage \"Key\" is Key";

  const View* view = p.FindView("SalesView");
  ASSERT_NE(view, nullptr);
  EXPECT_FALSE(view->is_data_entity);
  ASSERT_EQ(view->fields.size(), 2u);
  EXPECT_EQ(view->fields[0].enum_type, "SalesStatus");
  EXPECT_EQ(view->fields[1].data_source, "SalesLine");
  ASSERT_EQ(view->data_sources.size(), 1u);
  EXPECT_EQ(view->data_sources[0].table, "SalesTable");
  ASSERT_EQ(view->data_sources[0].children.size(), 1u);
  EXPECT_EQ(view->data_sources[0].children[0].table, "SalesLine");
  EXPECT_EQ(view->data_sources[0].children[0].join_mode, "OuterJoin");
  EXPECT_EQ(view->data_sources[0].children[0].joins,
            (std::vector<std::pair<std::string, std::string>>{{"SalesId", "SalesId"}}));
  EXPECT_EQ(view->query, "SalesQuery");
  ASSERT_NE(p.FindView("CustomerEntity"), nullptr);
  EXPECT_TRUE(p.FindView("CustomerEntity")->is_data_entity);
  EXPECT_EQ(p.FindView("PureSqlView"), nullptr) << "a null view file records nothing";
  bool null_warning = false;
  for (const std::string& w : p.warnings) null_warning |= w.find("PURESQLVIEW.json is null") != std::string::npos;
  EXPECT_TRUE(null_warning);

  ASSERT_NE(p.FindQuery("salesquery"), nullptr);
  EXPECT_EQ(p.FindQuery("salesquery")->data_sources[0].table, "SalesTable");

  EXPECT_EQ(p.table_list, (std::vector<std::string>{"CUSTTABLE", "SALESTABLE", "SHARED"}));
  const Table* cust = p.FindTable("CUSTTABLE");
  ASSERT_NE(cust, nullptr);
  EXPECT_TRUE(cust->save_data_per_company) << "absent means Yes";
  EXPECT_FALSE(cust->save_data_per_company_set);
  EXPECT_EQ(cust->fields[1].enum_type, "DirPartyType");
  const Table* shared = p.FindTable("Shared");
  ASSERT_NE(shared, nullptr);
  EXPECT_FALSE(shared->save_data_per_company);
  EXPECT_TRUE(shared->save_data_per_company_set);

  const EnumTranslation* status = p.FindEnum("SalesView", "Status");
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(status->table, "SALESVIEW");
  EXPECT_EQ(status->field, "STATUS");
  EXPECT_EQ(status->enum_name, "SALESSTATUS");
  ASSERT_EQ(status->values.size(), 3u);
  EXPECT_EQ(status->values[2].symbol, "Invoiced");
  EXPECT_EQ(status->values[2].value, 3);
  const EnumTranslation* type = p.FindEnum("CUST_TABLE", "CUST_TYPE");
  ASSERT_NE(type, nullptr) << "table and field names with underscores are split by the Name";
  EXPECT_EQ(type->table, "CUST_TABLE");

  ASSERT_EQ(p.view_definitions.size(), 1u);
  EXPECT_EQ(p.view_definitions[0].view_name, "SALESVIEW");
  EXPECT_EQ(p.view_definitions[0].definition,
            "CREATE OR ALTER VIEW [dbo].SALESVIEW AS SELECT T1.NAME AS \"NAME\"\r\nFROM SALESTABLE T1");
  EXPECT_EQ(p.view_definitions[0].source.line, 2);
}

TEST_F(EmexReaderTest, DimensionSkippedByEmexIsListedNotAnError) {
  MetadataPackage p = ReadEmexPackage(Write(Package()));
  EXPECT_EQ(p.FindDimension("CustomerAlt"), nullptr);
  EXPECT_EQ(MissingDimensions(p), std::vector<std::string>{"CustomerAlt"});
}

TEST_F(EmexReaderTest, AggregateCodesAreConfigurable) {
  EmexOptions options;
  EXPECT_EQ(options.aggregate_codes[0], Aggregate::kCount);
  EXPECT_EQ(options.aggregate_codes[1], Aggregate::kSum);
  options.aggregate_codes = {Aggregate::kSum, Aggregate::kCount, Aggregate::kMax};
  auto zip = ZipArchive::Open(Write(Package()));
  MetadataPackage p = ReadEmexPackage(*zip, options);
  const MeasureGroup& g = p.measurement.measure_groups[0];
  EXPECT_EQ(g.measures[2].aggregate, Aggregate::kMax);
  EXPECT_EQ(g.measures[3].aggregate, Aggregate::kCount);
}

TEST_F(EmexReaderTest, MalformedJsonNamesEntryLineAndColumn) {
  Entries entries = Package();
  entries.emplace_back("dimensions\\BROKEN.json", Crlf("{\n  \"Name\": \"Broken\",\n  \"Table\" \"CustTable\"\n}"));
  std::string path = Write(entries);
  try {
    ReadEmexPackage(path);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kData);
    EXPECT_EQ(e.location().file, path + ":dimensions\\BROKEN.json");
    EXPECT_EQ(e.location().line, 3);
    EXPECT_NE(e.message().find("column"), std::string::npos) << e.what();
  }
}

TEST_F(EmexReaderTest, ZipWithoutMeasurementIsNotAnEmexPackage) {
  std::string path = Write({{"tables\\tables.csv", "TableName\r\n"}});
  try {
    ReadEmexPackage(path);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kData);
    EXPECT_NE(std::string(e.what()).find("measurement.json"), std::string::npos);
  }
}

TEST_F(EmexReaderTest, MinimalPackageTakesDefaults) {
  MetadataPackage p = ReadEmexPackage(Write({{"measurement.json", R"({"Name": "M", "MeasureGroups": [
      {"Name": "G", "Table": "T", "Measures": [{"Name": "N"}]}]})"}}));
  EXPECT_EQ(p.measurement.measure_groups[0].measures[0].aggregate, Aggregate::kCount);
  EXPECT_FALSE(p.measurement.measure_groups[0].measures[0].field.has_value());
  EXPECT_TRUE(p.view_definitions.empty());
  EXPECT_TRUE(p.warnings.empty());
  EXPECT_TRUE(MissingDimensions(p).empty());
}

}  // namespace
}  // namespace cdmlake::entitystore
