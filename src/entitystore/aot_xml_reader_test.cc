#include "entitystore/aot_xml_reader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "entitystore/emex_reader.h"
#include "entitystore/test_util.h"
#include "util/error.h"

namespace cdmlake::entitystore {
namespace {

using Files = std::map<std::string, std::string>;

const char kOpen[] = R"(<?xml version="1.0" encoding="utf-8"?>
)";
const char kNs[] = R"(xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="Microsoft.Dynamics.AX.Metadata.V6")";

std::string Element(const std::string& type, const std::string& body, const std::string& type_attr = "") {
  return std::string(kOpen) + "<" + type + " " + kNs + type_attr + ">\n" + body + "</" + type + ">\n";
}

std::string Field(const std::string& xsi_type, const std::string& body) {
  return "<AxTableField xmlns=\"\" i:type=\"" + xsi_type + "\">" + body + "</AxTableField>\n";
}

std::string ViewField(const std::string& name, const std::string& source, const std::string& field) {
  return "<AxViewField xmlns=\"\" i:type=\"AxViewFieldBound\"><Name>" + name + "</Name><DataField>" + field +
         "</DataField><DataSource>" + source + "</DataSource></AxViewField>\n";
}

const char kModel[] = "PackagesLocalDirectory/Sales/Sales/";

// A small model: SalesCube over the view SalesView (→ SalesTable, SalesLine, BaseView → query → CustTable),
// with the dimension Customer over CustTable; view definitions as .sql files and a dependencies.csv.
Files SalesModel() {
  std::string m = kModel;
  Files f;
  f[m + "AxAggregateMeasurement/SalesCube.xml"] = Element("AxAggregateMeasurement", R"(
  <Name>SalesCube</Name>
  <Label>@SYS1</Label>
  <Usage>StagedEntityStore</Usage>
  <MeasureGroups>
    <AxMeasureGroup>
      <Name>Sales</Name>
      <Attributes>
        <AxDimensionAttribute><Name>InvoiceId</Name><KeyFields><AxDimensionFieldReference>
          <DimensionField>InvoiceId</DimensionField></AxDimensionFieldReference></KeyFields></AxDimensionAttribute>
      </Attributes>
      <Dimensions>
        <AxDimension>
          <Name>Customer</Name>
          <DimensionName>Customer</DimensionName>
          <DimensionRelations>
            <AxDimensionRelation>
              <DimensionAttribute>Customer</DimensionAttribute>
              <Constraints>
                <AxDimensionRelationConstraint xmlns="" i:type="AxDimensionRelationConstraintField">
                  <Name>CustAccount</Name><Field>AccountNum</Field><RelatedField>CustAccount</RelatedField>
                </AxDimensionRelationConstraint>
              </Constraints>
            </AxDimensionRelation>
          </DimensionRelations>
        </AxDimension>
        <AxDimension><Name>Vendor</Name><DimensionName>Vendor</DimensionName></AxDimension>
      </Dimensions>
      <Measures>
        <AxMeasure><Name>Amount</Name><DefaultAggregate>Sum</DefaultAggregate><Field>LineAmount</Field></AxMeasure>
        <AxMeasure><Name>Lines</Name></AxMeasure>
        <AxMeasure><Name>Customers</Name><Field i:nil="true" />
          <DefaultAggregate>distinctcount</DefaultAggregate></AxMeasure>
      </Measures>
      <Table>SalesView</Table>
    </AxMeasureGroup>
  </MeasureGroups>
)");
  // Prefixed element names (d:) must match by local name.
  f[m + "AxAggregateDimension/Customer.xml"] =
      std::string(kOpen) +
      R"(<d:AxAggregateDimension xmlns:i="http://www.w3.org/2001/XMLSchema-instance"
    xmlns:d="Microsoft.Dynamics.AX.Metadata.V6">
  <d:Name>Customer</d:Name>
  <d:Table>CustTable</d:Table>
  <d:Attributes>
    <d:AxDimensionAttribute><d:Name>Customer</d:Name><d:Usage>Key</d:Usage><d:KeyFields>
      <d:AxDimensionFieldReference><d:DimensionField>AccountNum</d:DimensionField></d:AxDimensionFieldReference>
    </d:KeyFields></d:AxDimensionAttribute>
    <d:AxDimensionAttribute><d:Name>Group</d:Name><d:NameField>CustGroup</d:NameField><d:KeyFields>
      <d:AxDimensionFieldReference><d:DimensionField>CustGroup</d:DimensionField></d:AxDimensionFieldReference>
    </d:KeyFields></d:AxDimensionAttribute>
  </d:Attributes>
</d:AxAggregateDimension>
)";
  f[m + "AxView/SalesView.xml"] =
      Element("AxView", "<Name>SalesView</Name>\n<Fields>\n" + ViewField("Status", "SalesTable", "SalesStatus") +
                            ViewField("LineAmount", "Lines", "LineAmount") +
                            ViewField("CustType", "BaseView", "CustType") + R"(</Fields>
<ViewMetadata>
  <Name>Metadata</Name>
  <DataSources>
    <AxQuerySimpleRootDataSource>
      <Name>SalesTable</Name><Table>SalesTable</Table>
      <DataSources>
        <AxQuerySimpleEmbeddedDataSource>
          <Name>Lines</Name><Table>SalesLine</Table><JoinMode>OuterJoin</JoinMode>
          <Relations><AxQuerySimpleDataSourceRelation><Field>SalesId</Field><RelatedField>SalesId</RelatedField>
          </AxQuerySimpleDataSourceRelation></Relations>
        </AxQuerySimpleEmbeddedDataSource>
        <AxQuerySimpleEmbeddedDataSource><Name>BaseView</Name><Table>BaseView</Table></AxQuerySimpleEmbeddedDataSource>
      </DataSources>
    </AxQuerySimpleRootDataSource>
  </DataSources>
</ViewMetadata>
)");
  // BaseView's data source alias Cust is declared only in its query.
  f[m + "AxView/BaseView.xml"] =
      Element("AxView", "<Name>BaseView</Name>\n<Fields>\n" + ViewField("CustType", "Cust", "CustType") +
                            "</Fields>\n<Query>BaseQuery</Query>\n");
  f[m + "AxQuery/BaseQuery.xml"] = Element("AxQuery", R"(<Name>BaseQuery</Name><DataSources>
  <AxQuerySimpleRootDataSource><Name>Cust</Name><Table>CustTable</Table></AxQuerySimpleRootDataSource>
</DataSources>
)",
                                           " i:type=\"AxQuerySimple\"");
  f[m + "AxTable/SalesTable.xml"] =
      Element("AxTable", "<Name>SalesTable</Name>\n<Fields>\n" + Field("AxTableFieldString", "<Name>SalesId</Name>") +
                             Field("AxTableFieldEnum", "<Name>SalesStatus</Name><EnumType>SalesStatus</EnumType>") +
                             "</Fields>\n");
  f[m + "AxTable/SalesLine.xml"] =
      Element("AxTable", "<Name>SalesLine</Name>\n<Fields>\n" + Field("AxTableFieldReal", "<Name>LineAmount</Name>") +
                             "</Fields>\n");
  f[m + "AxTable/CustTable.xml"] = Element(
      "AxTable", "<Name>CustTable</Name>\n<SaveDataPerCompany>No</SaveDataPerCompany>\n<Fields>\n" +
                     Field("AxTableFieldString", "<Name>AccountNum</Name>") +
                     Field("AxTableFieldEnum", "<Name>CustType</Name><EnumType>CustType</EnumType>") +
                     Field("AxTableFieldEnum", "<Name>IsActive</Name><EnumType>boolean</EnumType>") + "</Fields>\n");
  f["PackagesLocalDirectory/Ext/Ext/AxTableExtension/CustTable.Ext.xml"] =
      Element("AxTableExtension", "<Name>CustTable.Ext</Name>\n<Fields>\n" +
                                      Field("AxTableFieldEnum", "<Name>Rating</Name><EnumType>SalesStatus</EnumType>") +
                                      "</Fields>\n");
  f[m + "AxTable/ExtraTable.xml"] = Element("AxTable", "<Name>ExtraTable</Name>\n");
  f[m + "AxTable/UnusedTable.xml"] = Element("AxTable", "<Name>UnusedTable</Name>\n");
  f[m + "AxEnum/SalesStatus.xml"] = Element("AxEnum", R"(<Name>SalesStatus</Name>
<EnumValues>
  <AxEnumValue><Name>None</Name></AxEnumValue>
  <AxEnumValue><Name>Backorder</Name><Value>1</Value></AxEnumValue>
  <AxEnumValue><Label>@SYS3</Label><Name>Invoiced</Name><Value>3</Value></AxEnumValue>
</EnumValues>
)");
  f["PackagesLocalDirectory/Ext/Ext/AxEnumExtension/SalesStatus.Ext.xml"] =
      Element("AxEnumExtension",
              "<Name>SalesStatus.Ext</Name><EnumValues><AxEnumValue><Name>Extra</Name>"
              "<Value>10</Value></AxEnumValue></EnumValues>\n");
  f[m + "AxEnum/CustType.xml"] = Element("AxEnum", R"(<Name>CustType</Name><EnumValues>
  <AxEnumValue><Name>Organization</Name><Value>1</Value></AxEnumValue>
  <AxEnumValue><Name>Person</Name><Value>2</Value></AxEnumValue></EnumValues>
)");
  f["PackagesLocalDirectory/Other/Other/AxAggregateMeasurement/OtherCube.xml"] =
      Element("AxAggregateMeasurement", "<Name>OtherCube</Name>\n");
  f["ViewDefinitions/SALESVIEW.sql"] =
      "CREATE VIEW [dbo].[SALESVIEW] AS SELECT T1.SALESSTATUS AS STATUS, 'BASEVIEW' AS X\r\n"
      "FROM SALESTABLE T1 CROSS JOIN [dbo].[BASEVIEW] T2\r\n";
  f["ViewDefinitions/BASEVIEW.sql"] =
      "CREATE VIEW BASEVIEW AS /* not SALESVIEW */ SELECT * FROM CUSTTABLE T1 "
      "JOIN \"HELPERVIEW\" T2 ON 1 = 1 -- SALESVIEW\r\n";
  f["ViewDefinitions/UNRELATED.sql"] = "CREATE VIEW UNRELATED AS SELECT 1 AS A FROM SALESVIEW";
  f["dependencies.csv"] =
      "ViewName,RootViewName,ParentViewName,Definition\r\n"
      "\"HELPERVIEW\",\"X\",\"X\",\"CREATE VIEW HELPERVIEW AS SELECT \"A\" FROM EXTRATABLE\"\r\n";
  return f;
}

class AotXmlReaderTest : public testing::TempDirTest {
 protected:
  AotXmlReaderTest() : TempDirTest("aot") {}

  std::string WriteFolder(const Files& files, const std::string& name = "aot") {
    std::filesystem::path root = dir_ / name;
    for (const auto& [path, content] : files) {
      std::filesystem::create_directories((root / path).parent_path());
      std::ofstream(root / path, std::ios::binary) << content;
    }
    return root.string();
  }

  std::string WriteAxpp(const Files& files) {
    std::vector<std::pair<std::string, std::string>> entries;
    for (const auto& [path, content] : files) {
      std::string name = path;
      for (char& c : name) {
        if (c == '/') c = '\\';
      }
      entries.emplace_back(name, content);
    }
    std::string path = (dir_ / "Sales.axpp").string();
    WriteZipFile(path, entries);
    return path;
  }
};

void ExpectSalesCube(const MetadataPackage& p) {
  EXPECT_EQ(p.format, PackageFormat::kAotXml);
  const Measurement& m = p.measurement;
  EXPECT_EQ(m.name, "SalesCube");
  EXPECT_EQ(m.usage, "StagedEntityStore");
  ASSERT_EQ(m.measure_groups.size(), 1u);
  const MeasureGroup& g = m.measure_groups[0];
  EXPECT_EQ(g.table, "SalesView");
  EXPECT_EQ(g.source.line, 8) << "the line of <AxMeasureGroup>";
  ASSERT_EQ(g.attributes.size(), 1u);
  EXPECT_EQ(g.attributes[0].key_fields, std::vector<std::string>{"InvoiceId"});
  ASSERT_EQ(g.measures.size(), 3u);
  EXPECT_EQ(g.measures[0].aggregate, Aggregate::kSum);
  EXPECT_EQ(g.measures[0].field.value(), "LineAmount");
  EXPECT_EQ(g.measures[1].aggregate, Aggregate::kCount) << "DefaultAggregate defaults to Count";
  EXPECT_FALSE(g.measures[1].field.has_value());
  EXPECT_FALSE(g.measures[2].field.has_value()) << "i:nil is absent";
  EXPECT_EQ(g.measures[2].aggregate, Aggregate::kDistinctCount);
  ASSERT_EQ(g.dimensions.size(), 2u);
  ASSERT_EQ(g.dimensions[0].relations.size(), 1u);
  EXPECT_EQ(g.dimensions[0].relations[0].dimension_attribute, "Customer");
  ASSERT_EQ(g.dimensions[0].relations[0].constraints.size(), 1u);
  EXPECT_EQ(g.dimensions[0].relations[0].constraints[0].related_field, "CustAccount");
  EXPECT_EQ(g.dimensions[0].relations[0].constraints[0].field, "AccountNum");

  const Dimension* customer = p.FindDimension("Customer");
  ASSERT_NE(customer, nullptr);
  EXPECT_EQ(customer->table, "CustTable");
  ASSERT_EQ(customer->attributes.size(), 2u);
  EXPECT_TRUE(customer->attributes[0].is_key);
  EXPECT_FALSE(customer->attributes[1].is_key) << "Usage defaults to normal";
  EXPECT_EQ(customer->attributes[1].name_field, "CustGroup");
  EXPECT_EQ(MissingDimensions(p), std::vector<std::string>{"Vendor"});

  const View* view = p.FindView("SALESVIEW");
  ASSERT_NE(view, nullptr);
  ASSERT_EQ(view->fields.size(), 3u);
  EXPECT_EQ(view->fields[1].data_source, "Lines");
  ASSERT_EQ(view->data_sources.size(), 1u);
  ASSERT_EQ(view->data_sources[0].children.size(), 2u);
  EXPECT_EQ(view->data_sources[0].children[0].join_mode, "OuterJoin");
  EXPECT_EQ(view->data_sources[0].children[0].joins,
            (std::vector<std::pair<std::string, std::string>>{{"SalesId", "SalesId"}}));
  ASSERT_NE(p.FindView("BaseView"), nullptr);
  EXPECT_EQ(p.FindView("BaseView")->query, "BaseQuery");
  ASSERT_NE(p.FindQuery("BaseQuery"), nullptr);
  EXPECT_EQ(p.FindQuery("BaseQuery")->data_sources[0].table, "CustTable");

  const Table* sales = p.FindTable("SalesTable");
  ASSERT_NE(sales, nullptr);
  EXPECT_TRUE(sales->save_data_per_company) << "SaveDataPerCompany defaults to Yes";
  EXPECT_FALSE(sales->save_data_per_company_set);
  const Table* cust = p.FindTable("CustTable");
  ASSERT_NE(cust, nullptr);
  EXPECT_FALSE(cust->save_data_per_company);
  EXPECT_TRUE(cust->save_data_per_company_set);
  ASSERT_EQ(cust->fields.size(), 4u) << "the extension's field is merged";
  EXPECT_EQ(cust->fields[3].name, "Rating");
  EXPECT_NE(p.FindTable("SalesLine"), nullptr);
  EXPECT_NE(p.FindTable("ExtraTable"), nullptr) << "tables named by view definitions are added, as EMEX does";
  EXPECT_EQ(p.FindTable("UnusedTable"), nullptr) << "only what the measurement reaches is read";

  const EnumTranslation* status = p.FindEnum("SalesView", "Status");
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(status->enum_name, "SALESSTATUS");
  ASSERT_EQ(status->values.size(), 4u) << "the enum extension's value is merged";
  EXPECT_EQ(status->values[0].symbol, "None");
  EXPECT_EQ(status->values[0].value, 0) << "Value defaults to 0";
  EXPECT_EQ(status->values[2].label, "@SYS3");
  EXPECT_EQ(status->values[3].symbol, "Extra");
  EXPECT_EQ(status->values[3].value, 10);
  const EnumTranslation* view_cust_type = p.FindEnum("SalesView", "CustType");
  ASSERT_NE(view_cust_type, nullptr) << "followed SalesView → BaseView → query alias Cust → CustTable";
  EXPECT_EQ(view_cust_type->enum_name, "CUSTTYPE");
  EXPECT_EQ(view_cust_type->values.size(), 2u);
  EXPECT_EQ(p.FindEnum("SalesView", "LineAmount"), nullptr);
  EXPECT_NE(p.FindEnum("CustTable", "CustType"), nullptr);
  EXPECT_NE(p.FindEnum("CustTable", "Rating"), nullptr);
  EXPECT_EQ(p.FindEnum("CustTable", "IsActive"), nullptr) << "boolean is no AxEnum";
  EXPECT_EQ(p.enums.size(), 4u);
  ASSERT_NE(p.ax_enums.count("SALESSTATUS"), 0u);

  ASSERT_EQ(p.view_definitions.size(), 3u);
  EXPECT_EQ(p.view_definitions[0].view_name, "HELPERVIEW");
  EXPECT_EQ(p.view_definitions[0].parent_view_name, "BASEVIEW");
  EXPECT_EQ(p.view_definitions[0].source.line, 2);
  EXPECT_EQ(p.view_definitions[1].view_name, "BASEVIEW");
  EXPECT_EQ(p.view_definitions[2].view_name, "SALESVIEW");
  EXPECT_EQ(p.view_definitions[2].root_view_name, "SALESVIEW");
  EXPECT_EQ(p.view_definitions[2].parent_view_name, "");
  EXPECT_EQ(p.view_definitions[2].definition.substr(0, 29), "CREATE VIEW [dbo].[SALESVIEW]");
  for (const std::string& w : p.warnings) ADD_FAILURE() << "unexpected warning: " << w;
}

TEST_F(AotXmlReaderTest, ReadsAFolder) {
  std::string root = WriteFolder(SalesModel());
  MetadataPackage p = ReadAotXml(root, "salescube");
  EXPECT_EQ(p.origin, root);
  ExpectSalesCube(p);
  EXPECT_EQ(p.measurement.source.file,
            root + "/PackagesLocalDirectory/Sales/Sales/AxAggregateMeasurement/SalesCube.xml");
}

TEST_F(AotXmlReaderTest, ReadsAnAxppWithBackslashNames) {
  std::string path = WriteAxpp(SalesModel());
  ExpectSalesCube(ReadAotXml(path, "SalesCube"));
  EXPECT_EQ(ListAotMeasurements(path), (std::vector<std::string>{"OtherCube", "SalesCube"}));
}

TEST_F(AotXmlReaderTest, ReadsThroughAFileSystem) {
  MemoryFileSystem fs;
  for (const auto& [path, content] : SalesModel()) fs.AddFile("/aot/" + path, content);
  ExpectSalesCube(ReadAotXmlFolder(&fs, "/aot", "SalesCube"));
}

TEST_F(AotXmlReaderTest, UnknownOrAmbiguousMeasurementListsTheAvailableOnes) {
  std::string root = WriteFolder(SalesModel());
  try {
    ReadAotXml(root, "Nope");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUser);
    EXPECT_NE(std::string(e.what()).find("Nope"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("OtherCube, SalesCube"), std::string::npos) << e.what();
  }
  try {
    ReadAotXml(root, "");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUser);
    EXPECT_NE(std::string(e.what()).find("OtherCube, SalesCube"), std::string::npos) << e.what();
  }
  Files single = SalesModel();
  single.erase("PackagesLocalDirectory/Other/Other/AxAggregateMeasurement/OtherCube.xml");
  EXPECT_EQ(ReadAotXml(WriteFolder(single, "single"), "").measurement.name, "SalesCube");
}

TEST_F(AotXmlReaderTest, MalformedXmlNamesFileAndLine) {
  Files files = SalesModel();
  std::string file = std::string(kModel) + "AxAggregateDimension/Customer.xml";
  files[file] = "<?xml version=\"1.0\"?>\n<AxAggregateDimension>\n  <Name>Customer</Nam>\n</AxAggregateDimension>\n";
  std::string root = WriteFolder(files);
  try {
    ReadAotXml(root, "SalesCube");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kData);
    EXPECT_EQ(e.location().file, root + "/" + file);
    EXPECT_EQ(e.location().line, 3) << e.what();
    EXPECT_NE(e.message().find("malformed XML"), std::string::npos);
  }
}

TEST_F(AotXmlReaderTest, MissingElementsAreWarnings) {
  Files files = SalesModel();
  files.erase(std::string(kModel) + "AxTable/SalesLine.xml");
  files.erase(std::string(kModel) + "AxEnum/CustType.xml");
  MetadataPackage p = ReadAotXml(WriteFolder(files), "SalesCube");
  std::string all;
  for (const std::string& w : p.warnings) all += w + "\n";
  EXPECT_NE(all.find("SalesLine is neither"), std::string::npos) << all;
  EXPECT_NE(all.find("enum CustType"), std::string::npos) << all;
}

TEST_F(AotXmlReaderTest, CycleAmongViewDefinitionsIsAnError) {
  Files files = SalesModel();
  files["ViewDefinitions/HELPERVIEW.sql"] = "CREATE VIEW HELPERVIEW AS SELECT * FROM SALESVIEW";
  try {
    ReadAotXml(WriteFolder(files), "SalesCube");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kData);
    EXPECT_NE(e.message().find("SALESVIEW -> BASEVIEW -> HELPERVIEW -> SALESVIEW"), std::string::npos) << e.what();
  }
}

TEST(ViewDefinitionOrderTest, ReferencedNamesSkipLiteralsAndComments) {
  EXPECT_EQ(ReferencedNames("CREATE VIEW [dbo].[A] AS SELECT N'B', \"C\" -- D\n FROM e.F /* G */ WHERE x = 1.5e3"),
            (std::vector<std::string>{"CREATE", "VIEW", "DBO", "A", "AS", "SELECT", "N", "C", "FROM", "E", "F", "WHERE",
                                      "X"}));
}

TEST(ViewDefinitionOrderTest, OrdersDependenciesFirstOnce) {
  std::vector<ViewDefinition> defs(4);
  defs[0].view_name = "TOP";
  defs[0].definition = "CREATE VIEW TOP AS SELECT * FROM MID1 JOIN MID2 ON 1=1";
  defs[1].view_name = "MID1";
  defs[1].definition = "CREATE VIEW MID1 AS SELECT * FROM LEAF";
  defs[2].view_name = "MID2";
  defs[2].definition = "CREATE VIEW MID2 AS SELECT * FROM leaf";
  defs[3].view_name = "LEAF";
  defs[3].definition = "CREATE VIEW LEAF AS SELECT 1 AS A";
  auto ordered = OrderViewDefinitions(defs, {"top", "NOT_A_VIEW"});
  std::vector<std::string> names;
  for (const auto& d : ordered) names.push_back(d.view_name);
  EXPECT_EQ(names, (std::vector<std::string>{"LEAF", "MID1", "MID2", "TOP"}));
  EXPECT_EQ(ordered[0].parent_view_name, "MID1");
  EXPECT_EQ(ordered[0].root_view_name, "TOP");
}

}  // namespace
}  // namespace cdmlake::entitystore
