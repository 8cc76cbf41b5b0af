#include "entitystore/package_codec.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace cdmlake::entitystore {
namespace {

// A package with every field set to something other than its default.
MetadataPackage FullPackage() {
  MetadataPackage p;
  p.format = PackageFormat::kAotXml;
  p.origin = "/x/Sales.axpp";
  Attribute key{"Customer", "Name", {"AccountNum", "DataAreaId"}, true, "Caption"};
  p.measurement.name = "SalesCube";
  p.measurement.label = "@SYS1";
  p.measurement.usage = "StagedEntityStore";
  p.measurement.source = {"m.xml", 3};
  MeasureGroup g;
  g.name = "Sales";
  g.table = "SalesView";
  g.attributes = {key};
  g.measures.push_back(Measure{"Amount", "LineAmount", Aggregate::kSum, "@SYS2"});
  g.measures.push_back(Measure{std::nullopt, "", Aggregate::kAverageOfChildren, ""});
  g.measures.push_back(Measure{"Rows", std::nullopt, Aggregate::kMin, ""});
  g.dimensions.push_back(
      DimensionReference{"Customer", "Cust", {DimensionRelation{"Key", {{"C", "CustAccount", "AccountNum"}}}}});
  g.source = {"m.xml", 7};
  p.measurement.measure_groups.push_back(g);
  p.dimensions["CUST"] = Dimension{"Cust", "@SYS3", "CustTable", {key}, {"d.xml", 1}};
  DataSource child{"Lines", "SalesLine", {}, "OuterJoin", {{"SalesId", "SalesId"}}};
  DataSource root{"Sales", "SalesTable", {child}, "", {}};
  p.views["SALESVIEW"] =
      View{"SalesView", true, {{"Status", "Sales", "SalesStatus", "SalesStatus"}}, {root}, "Q", {"v", 1}};
  p.queries["Q"] = Query{"Q", {root}, {"q", 2}};
  p.tables["CUSTTABLE"] = Table{"CustTable", false, true, {{"CustType", "CustType"}, {"Name", ""}}, {"t", 0}};
  p.table_list = {"CUSTTABLE", "SALESTABLE"};
  std::vector<EnumValue> values{{"None", 0, ""}, {"Big", -5, "@SYS4"}, {"Huge", int64_t{1} << 40, ""}};
  p.enums["SALESVIEW_STATUS"] = EnumTranslation{"SALESVIEW", "STATUS", "SALESSTATUS", values, {"e", 0}};
  p.ax_enums["SALESSTATUS"] = AxEnum{"SalesStatus", values, {"x", 1}};
  p.view_definitions.push_back(
      ViewDefinition{"V", "R", "P", "CREATE VIEW V AS\r\nSELECT \"A\", N'ü' FROM T", {"deps.csv", 2}});
  p.warnings = {"w1", "w2"};
  return p;
}

TEST(PackageCodecTest, RoundTripIsLossless) {
  MetadataPackage p = FullPackage();
  std::string text = EncodePackage(p);
  MetadataPackage back = DecodePackage(text, "SalesCube.json");
  EXPECT_EQ(EncodePackage(back), text);

  EXPECT_EQ(back.format, PackageFormat::kAotXml);
  EXPECT_EQ(back.origin, p.origin);
  const MeasureGroup& g = back.measurement.measure_groups.at(0);
  EXPECT_EQ(g.source.line, 7);
  EXPECT_EQ(g.attributes.at(0).key_fields, p.measurement.measure_groups[0].attributes[0].key_fields);
  EXPECT_TRUE(g.attributes[0].is_key);
  EXPECT_EQ(g.attributes[0].type, "Caption");
  EXPECT_FALSE(g.measures.at(1).name.has_value());
  EXPECT_EQ(g.measures[1].field.value(), "");
  EXPECT_EQ(g.measures[1].aggregate, Aggregate::kAverageOfChildren);
  EXPECT_FALSE(g.measures[2].field.has_value());
  EXPECT_EQ(g.measures[2].aggregate, Aggregate::kMin);
  EXPECT_EQ(g.dimensions.at(0).relations.at(0).constraints.at(0).field, "AccountNum");
  EXPECT_EQ(back.dimensions.at("CUST").label, "@SYS3");
  const View& v = back.views.at("SALESVIEW");
  EXPECT_TRUE(v.is_data_entity);
  EXPECT_EQ(v.fields.at(0).enum_type, "SalesStatus");
  EXPECT_EQ(v.data_sources.at(0).children.at(0).join_mode, "OuterJoin");
  EXPECT_EQ(v.data_sources[0].children[0].joins, p.views["SALESVIEW"].data_sources[0].children[0].joins);
  EXPECT_EQ(back.queries.at("Q").source.line, 2);
  const Table& t = back.tables.at("CUSTTABLE");
  EXPECT_FALSE(t.save_data_per_company);
  EXPECT_TRUE(t.save_data_per_company_set);
  EXPECT_EQ(back.table_list, p.table_list);
  EXPECT_EQ(back.enums.at("SALESVIEW_STATUS").values.at(2).value, int64_t{1} << 40);
  EXPECT_EQ(back.enums.at("SALESVIEW_STATUS").values.at(1).label, "@SYS4");
  EXPECT_EQ(back.ax_enums.at("SALESSTATUS").name, "SalesStatus");
  EXPECT_EQ(back.view_definitions.at(0).definition, p.view_definitions[0].definition);
  EXPECT_EQ(back.view_definitions[0].parent_view_name, "P");
  EXPECT_EQ(back.warnings, p.warnings);
}

TEST(PackageCodecTest, EmptyPackageRoundTrips) {
  MetadataPackage p;
  MetadataPackage back = DecodePackage(EncodePackage(p), "e.json");
  EXPECT_EQ(back.format, PackageFormat::kEmex);
  EXPECT_EQ(EncodePackage(back), EncodePackage(p));
}

TEST(PackageCodecTest, StartsWithFormatAndVersion) {
  std::string text = EncodePackage(MetadataPackage());
  EXPECT_EQ(text.rfind("{\n  \"format\": \"cdmlake.entitystore.package\",\n  \"version\": 1,", 0), 0u) << text;
}

void ExpectError(const std::string& text, const std::string& fragment, int64_t line = 0) {
  try {
    DecodePackage(text, "_cdmlake/entitystore/M.json");
    FAIL() << text;
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kData);
    EXPECT_EQ(e.location().file, "_cdmlake/entitystore/M.json");
    EXPECT_EQ(e.location().line, line);
    EXPECT_NE(e.message().find(fragment), std::string::npos) << e.what();
  }
}

TEST(PackageCodecTest, RejectsWhatItCannotRead) {
  ExpectError("{\n  \"format\": \"cdmlake.entitystore.package\",\n  \"version\": 1,\n  oops\n}", "malformed JSON", 4);
  ExpectError(R"({"format": "something else", "version": 1})", "not a cdmlake entity-store package");
  ExpectError(R"({"format": "cdmlake.entitystore.package", "version": 2})", "version 2");
  ExpectError(R"({"format": "cdmlake.entitystore.package", "version": 1, "tableList": 5})", "malformed");
  ExpectError(R"({"format": "cdmlake.entitystore.package", "version": 1,
                  "measurement": {"measureGroups": [{"measures": [{"aggregate": "Median"}]}]}})",
              "Median");
}

}  // namespace
}  // namespace cdmlake::entitystore
