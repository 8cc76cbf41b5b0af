// The sample measurement: the EMEX package's entries and their Windows formatting, the dependency CSV with its
// unescaped quotes, the AOT XML tree, agreement with the generated lake's schema, and determinism.
#include "generate/sample_measurement.h"

#include <gtest/gtest.h>
#include <zip.h>

#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "generate/d365_lake.h"
#include "util/error.h"

namespace cdmlake::generate {
namespace {

using Json = nlohmann::json;

// The entries of a zip held in memory, by name, in zip order.
std::vector<std::pair<std::string, std::string>> ReadZip(const std::string& bytes) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  EXPECT_NE(source, nullptr);
  zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &error);
  EXPECT_NE(archive, nullptr) << zip_error_strerror(&error);
  std::vector<std::pair<std::string, std::string>> entries;
  if (!archive) {
    zip_source_free(source);
    return entries;
  }
  for (zip_int64_t i = 0; i < zip_get_num_entries(archive, 0); ++i) {
    const auto index = static_cast<zip_uint64_t>(i);
    zip_stat_t stat;
    zip_stat_index(archive, index, 0, &stat);
    std::string content(static_cast<size_t>(stat.size), '\0');
    zip_file_t* file = zip_fopen_index(archive, index, 0);
    EXPECT_EQ(zip_fread(file, content.data(), content.size()), static_cast<zip_int64_t>(content.size()));
    zip_fclose(file);
    entries.emplace_back(zip_get_name(archive, index, ZIP_FL_ENC_RAW), content);
  }
  zip_close(archive);
  return entries;
}

std::map<std::string, std::string> ZipMap(const std::string& bytes) {
  std::map<std::string, std::string> out;
  for (auto& [name, content] : ReadZip(bytes)) out[name] = content;
  return out;
}

bool HasBareLf(const std::string& text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) return true;
  }
  return false;
}

// A small XML well-formedness check (pugixml is linked to entitystore only): a declaration, then elements that
// nest properly, attributes with quoted values, no stray '<' or '&' in text, and one root.
std::string XmlProblem(const std::string& xml) {
  const std::string decl = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n";
  if (xml.compare(0, decl.size(), decl) != 0) return "no XML declaration";
  std::vector<std::string> stack;
  int roots = 0;
  size_t i = decl.size();
  while (i < xml.size()) {
    if (xml[i] != '<') {
      if (xml[i] == '&') {
        size_t semi = xml.find(';', i);
        std::string entity = xml.substr(i, semi == std::string::npos ? 1 : semi - i + 1);
        if (entity != "&amp;" && entity != "&lt;" && entity != "&gt;" && entity != "&quot;" && entity != "&apos;") {
          return "bad entity at " + std::to_string(i);
        }
      }
      if (stack.empty() && xml[i] != '\r' && xml[i] != '\n') return "text outside the root at " + std::to_string(i);
      ++i;
      continue;
    }
    size_t end = xml.find('>', i);
    if (end == std::string::npos) return "unterminated tag";
    std::string tag = xml.substr(i + 1, end - i - 1);
    i = end + 1;
    if (!tag.empty() && tag[0] == '/') {
      if (stack.empty() || stack.back() != tag.substr(1)) return "mismatched </" + tag.substr(1) + ">";
      stack.pop_back();
      continue;
    }
    bool self_closing = !tag.empty() && tag.back() == '/';
    if (self_closing) tag.pop_back();
    size_t name_end = tag.find_first_of(" \t\r\n");
    std::string name = tag.substr(0, name_end);
    if (name.empty() || name.find_first_of("<&\"'=") != std::string::npos) return "bad element name '" + name + "'";
    // Attributes: name="value" pairs separated by white space.
    std::string rest = name_end == std::string::npos ? "" : tag.substr(name_end);
    std::set<std::string> attributes;
    size_t p = 0;
    while (true) {
      p = rest.find_first_not_of(" \t\r\n", p);
      if (p == std::string::npos) break;
      size_t eq = rest.find('=', p);
      if (eq == std::string::npos || eq + 1 >= rest.size() || rest[eq + 1] != '"') return "bad attribute in <" + name;
      size_t close = rest.find('"', eq + 2);
      if (close == std::string::npos) return "unterminated attribute in <" + name;
      if (!attributes.insert(rest.substr(p, eq - p)).second) return "duplicate attribute in <" + name;
      p = close + 1;
    }
    if (stack.empty()) ++roots;
    if (!self_closing) stack.push_back(name);
  }
  if (!stack.empty()) return "unclosed <" + stack.back() + ">";
  return roots == 1 ? "" : "not exactly one root";
}

class SampleMeasurementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SampleMeasurementOptions o;
    o.out_dir = "/lake";
    o.seed = 42;
    summary_ = WriteSampleMeasurement(fs_, o);
    package_ = ZipMap(fs_.ReadFile("/lake/EntityStore/SalesAnalysis.zip"));
  }
  Json Entry(const std::string& name) {
    EXPECT_TRUE(package_.count(name)) << name;
    return Json::parse(package_[name]);
  }

  MemoryFileSystem fs_;
  SampleMeasurementSummary summary_;
  std::map<std::string, std::string> package_;
};

TEST_F(SampleMeasurementTest, PackageHasTheEmexEntriesWithBackslashes) {
  EXPECT_EQ(summary_.package_path, "/lake/EntityStore/SalesAnalysis.zip");
  std::vector<std::string> names;
  for (auto& [name, content] : ReadZip(fs_.ReadFile(summary_.package_path))) names.push_back(name);
  EXPECT_EQ(names, summary_.zip_entries);
  const std::vector<std::string> expected = {
      "manifest.json",
      "measurement.json",
      "dimensions\\CUSTOMER.json",
      "dimensions\\PRODUCT.json",
      "dimensions\\CUSTOMERGROUP.json",
      "views\\dependencies.csv",
      "views\\CUSTOMERDIMENSIONVIEW.json",
      "views\\PRODUCTDIMENSIONVIEW.json",
      "views\\SALESLINEBASEVIEW.json",
      "views\\SALESLINECUBEVIEW.json",
      "views\\SALESLINECUSTOMERVIEW.json",
      "tables\\tables.csv",
      "tables\\CUSTGROUP.json",
      "tables\\CUSTTABLE.json",
      "tables\\DIRPARTYTABLE.json",
      "tables\\ECORESPRODUCT.json",
      "tables\\INVENTTABLE.json",
      "tables\\LOGISTICSPOSTALADDRESS.json",
      "tables\\SALESLINE.json",
      "tables\\SALESTABLE.json",
      "enums\\SALESLINECUBEVIEW_SALESSTATUS.json",
      "enums\\SALESLINECUBEVIEW_SALESTYPE.json",
      "enums\\SALESTABLE_SALESSTATUS.json",
      "enums\\SALESTABLE_SALESTYPE.json",
      "enums\\CUSTOMERDIMENSIONVIEW_BLOCKED.json",
      "enums\\PRODUCTDIMENSIONVIEW_ITEMTYPE.json",
      "enums\\PRODUCTDIMENSIONVIEW_PRODUCTTYPE.json",
  };
  EXPECT_EQ(names, expected);
  EXPECT_FALSE(package_.count("dimensions\\DATE_.json")) << "the platform dimension is deliberately missing";
  for (const auto& [name, content] : package_) {
    SCOPED_TRACE(name);
    EXPECT_FALSE(HasBareLf(content)) << "EMEX writes CRLF";
    if (name.size() > 5 && name.compare(name.size() - 5, 5, ".json") == 0) {
      EXPECT_NE(content.back(), '\n') << "a serialized JSON has no final line break";
      EXPECT_NO_THROW(Json::parse(content));
      EXPECT_NE(content.find("{\r\n  \""), std::string::npos) << "indented with two spaces";
    }
  }
  EXPECT_EQ(Entry("manifest.json").dump(), R"({"GeneratedAt":"2024-01-01T00:00:42Z","MeasureName":"SalesAnalysis",)"
                                           R"("Version":"2.9.0.0"})");
  EXPECT_EQ(package_["tables\\tables.csv"].substr(0, 22), "TableName\r\nCUSTGROUP\r\n");
}

TEST_F(SampleMeasurementTest, MeasurementJsonFollowsTheSerializer) {
  Json m = Entry("measurement.json");
  EXPECT_EQ(m["Name"], "SalesAnalysis");
  ASSERT_EQ(m["MeasureGroups"].size(), 2u);
  const Json& lines = m["MeasureGroups"][0];
  EXPECT_EQ(lines["Name"], "SalesLines");
  EXPECT_EQ(lines["Table"], "SALESLINECUBEVIEW");
  std::map<std::string, std::string> aggregates;
  for (const Json& measure : lines["Measures"]) {
    aggregates[measure["Name"]] = measure.value("DefaultAggregate", "(none)") + "/" + measure.value("Field", "(none)");
  }
  EXPECT_EQ(aggregates, (std::map<std::string, std::string>{{"SalesAmount", "Sum/LINEAMOUNT"},
                                                            {"SalesQuantity", "Sum/SALESQTY"},
                                                            {"NumberOfLines", "(none)/(none)"},
                                                            {"NumberOfCustomers", "DistinctCount/CUSTACCOUNT"},
                                                            {"AveragePrice", "AverageOfChildren/SALESPRICE"},
                                                            {"MaxLineAmount", "Max/LINEAMOUNT"},
                                                            {"MinLineAmount", "Min/LINEAMOUNT"}}));
  ASSERT_EQ(lines["Dimensions"].size(), 5u);
  const Json& customer = lines["Dimensions"][0]["DimensionRelations"][0]["Constraints"];
  ASSERT_EQ(customer.size(), 2u) << "a composite relation";
  EXPECT_EQ(customer[1]["Field"], "ACCOUNTNUM");
  EXPECT_EQ(customer[1]["RelatedField"], "CUSTACCOUNT");
  std::vector<std::string> roles;
  for (const Json& d : lines["Dimensions"]) {
    if (d["DimensionName"] == "Date_") roles.push_back(d["Name"]);
  }
  EXPECT_EQ(roles, (std::vector<std::string>{"CreatedDate", "ShippingDate"})) << "role-playing Date_";
  EXPECT_EQ(lines["Attributes"][0]["KeyFields"][0]["DimensionField"], "SALESSTATUS");
  EXPECT_FALSE(lines["Attributes"][0].contains("Usage"));

  Json customer_dim = Entry("dimensions\\CUSTOMER.json");
  EXPECT_EQ(customer_dim["Table"], "CUSTOMERDIMENSIONVIEW");
  EXPECT_EQ(customer_dim["Attributes"][0]["Usage"], 1) << "enums are numbers: Key = 1";
  EXPECT_EQ(customer_dim["Attributes"][0]["KeyFields"].size(), 2u);
}

TEST_F(SampleMeasurementTest, DependenciesCsvIsWrittenLikeEmex) {
  const std::string csv = package_["views\\dependencies.csv"];
  ASSERT_EQ(csv.rfind("ViewName,RootViewName,ParentViewName,Definition\r\n", 0), 0u);
  // Rows start where a line begins with "<VIEW>","<ROOT>",": roots ascending, deepest dependency first.
  std::vector<std::string> rows;
  for (size_t at = csv.find("\r\n\""); at != std::string::npos; at = csv.find("\r\n\"", at + 2)) {
    size_t end = csv.find("\",\"CREATE", at);
    if (end != std::string::npos) rows.push_back(csv.substr(at + 2, end - at - 1));
  }
  EXPECT_EQ(rows, (std::vector<std::string>{
                      R"("CUSTOMERDIMENSIONVIEW","CUSTOMERDIMENSIONVIEW","CUSTOMERDIMENSIONVIEW")",
                      R"("PRODUCTDIMENSIONVIEW","PRODUCTDIMENSIONVIEW","PRODUCTDIMENSIONVIEW")",
                      R"("SALESLINEBASEVIEW","SALESLINECUBEVIEW","SALESLINECUSTOMERVIEW")",
                      R"("SALESLINECUSTOMERVIEW","SALESLINECUBEVIEW","SALESLINECUBEVIEW")",
                      R"("SALESLINECUBEVIEW","SALESLINECUBEVIEW","SALESLINECUBEVIEW")",
                  }));
  // EMEX's rewrites, and the raw text inside the quotes: multi-line, a double quote left unescaped.
  EXPECT_NE(csv.find("\"CREATE OR ALTER VIEW [dbo].[SALESLINECUBEVIEW] AS SELECT"), std::string::npos);
  EXPECT_EQ(csv.find("CREATE VIEW"), std::string::npos);
  EXPECT_EQ(csv.find("GetValid"), std::string::npos);
  EXPECT_NE(csv.find("(T3.VALIDFROM <= [dbo].GETUTCDATE())"), std::string::npos);
  EXPECT_NE(csv.find("N'Unknown item (\"n/a\")'"), std::string::npos);
  EXPECT_EQ(csv.find("\"\"n/a"), std::string::npos) << "quotes are not doubled";
  EXPECT_NE(csv.find("AS CREATEDDATE,\r\n(CAST("), std::string::npos);
  EXPECT_EQ(csv.substr(csv.size() - 4), ")\"\r\n") << "every row ends with CRLF";
}

TEST_F(SampleMeasurementTest, ViewTableAndEnumFiles) {
  Json view = Entry("views\\SALESLINECUBEVIEW.json");
  EXPECT_EQ(view["ViewMetadata"]["DataSources"][0]["Table"], "SALESLINECUSTOMERVIEW");
  EXPECT_EQ(view["Fields"][0]["Name"], "SALESID");
  EXPECT_EQ(view["Fields"][0]["DataSource"], "SALESLINECUSTOMERVIEW");
  EXPECT_EQ(view["Fields"][0]["DataField"], "SALESID");

  for (const char* shared : {"DIRPARTYTABLE", "ECORESPRODUCT", "LOGISTICSPOSTALADDRESS"}) {
    EXPECT_EQ(Entry(std::string("tables\\") + shared + ".json")["SaveDataPerCompany"], "No") << shared;
  }
  for (const char* per_company : {"CUSTGROUP", "CUSTTABLE", "INVENTTABLE", "SALESLINE", "SALESTABLE"}) {
    EXPECT_FALSE(Entry(std::string("tables\\") + per_company + ".json").contains("SaveDataPerCompany"));
  }
  EXPECT_EQ(Entry("tables\\SALESLINE.json")["Name"], "SalesLine");

  Json status = Entry("enums\\SALESLINECUBEVIEW_SALESSTATUS.json");
  EXPECT_EQ(status.dump(),
            R"({"EnumName":"SALESSTATUS","Name":"SALESSTATUS","Translations":[{"Key":"None","Value":0},)"
            R"({"Key":"Backorder","Value":1},{"Key":"Delivered","Value":2},{"Key":"Invoiced","Value":3},)"
            R"({"Key":"Canceled","Value":4}]})");
  EXPECT_EQ(Entry("enums\\PRODUCTDIMENSIONVIEW_PRODUCTTYPE.json")["EnumName"], "ECORESPRODUCTTYPE")
      << "followed through the view's EcoResProduct data source";
}

// The AOT copy of the schema must match what GenerateD365Lake declares: every field exists with the same enum
// values and symbols, and SaveDataPerCompany agrees with the presence of DATAAREAID.
TEST_F(SampleMeasurementTest, TablesAndEnumsMatchTheGeneratedLake) {
  MemoryFileSystem lake_fs;
  D365LakeOptions o;
  o.out_dir = "/gen";
  o.scale = 100;
  GenerateD365Lake(lake_fs, o, nullptr);
  std::map<std::string, Json> documents;  // by upper-cased entity name
  for (const auto& [path, content] : lake_fs.files()) {
    const std::string suffix = ".cdm.json";
    if (path.size() > suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0 &&
        path.find(".manifest.") == std::string::npos) {
      Json doc = Json::parse(content);
      std::string name = doc["definitions"][0]["entityName"];
      for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      documents[name] = doc;
    }
  }
  ASSERT_EQ(documents.size(), 8u);
  for (const std::string& table : SampleElements().tables) {
    SCOPED_TRACE(table);
    ASSERT_TRUE(documents.count(table));
    std::map<std::string, Json> attributes;
    for (const Json& a : documents[table]["definitions"][0]["hasAttributes"]) attributes[a["name"]] = a;
    Json ax = Entry("tables\\" + table + ".json");
    EXPECT_EQ(!ax.contains("SaveDataPerCompany"), attributes.count("DATAAREAID") == 1);
    for (const Json& field : ax["Fields"]) {
      std::string name = field["Name"];
      ASSERT_TRUE(attributes.count(name)) << name;
      if (!field.contains("EnumType")) continue;
      // The lake declares [language, label, symbol, value] per constant; the package has {Key, Value}.
      const Json& constants =
          attributes[name]["appliedTraits"][0]["arguments"][0]["value"]["entityReference"]["constantValues"];
      std::string enum_name = field["EnumType"];
      for (char& c : enum_name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      bool found = false;
      for (const auto& [entry, content] : package_) {
        Json e = entry.rfind("enums\\", 0) == 0 ? Json::parse(content) : Json();
        if (!e.is_object() || e["EnumName"] != enum_name) continue;
        found = true;
        ASSERT_EQ(e["Translations"].size(), constants.size()) << entry;
        for (size_t i = 0; i < constants.size(); ++i) {
          EXPECT_EQ(e["Translations"][i]["Key"], constants[i][2]) << entry;
          EXPECT_EQ(std::to_string(e["Translations"][i]["Value"].get<int>()), constants[i][3]) << entry;
        }
      }
      EXPECT_TRUE(found || enum_name == "CUSTVENDORBLOCKED" || enum_name == "ITEMTYPE" ||
                  enum_name == "ECORESPRODUCTTYPE" || enum_name == "SALESSTATUS" || enum_name == "SALESTYPE");
    }
  }
}

TEST_F(SampleMeasurementTest, AotXmlTreeIsWellFormed) {
  const std::string aot = "/lake/EntityStore/SalesAnalysis-aot/";
  std::vector<std::string> xml_files;
  for (const std::string& f : fs_.ListFilesRecursive(summary_.aot_dir)) {
    if (f.size() > 4 && f.compare(f.size() - 4, 4, ".xml") == 0) xml_files.push_back(f);
  }
  EXPECT_EQ(xml_files.size(), 1u + 3u + 5u + 8u + 5u);
  for (const std::string& f : xml_files) {
    SCOPED_TRACE(f);
    std::string xml = fs_.ReadFile(aot + f);
    EXPECT_EQ(XmlProblem(xml), "");
    EXPECT_NE(xml.find(" xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\">\r\n"), std::string::npos);
    EXPECT_FALSE(HasBareLf(xml));
  }
  const std::string m = fs_.ReadFile(aot + "AxAggregateMeasurement/SalesAnalysis.xml");
  EXPECT_NE(m.find("<AxAggregateMeasurement xmlns:i="), std::string::npos);
  EXPECT_NE(m.find("\t\t<AxMeasureGroup xmlns=\"\">\r\n\t\t\t<Name>SalesLines</Name>"), std::string::npos);
  EXPECT_NE(m.find("<Name>NumberOfLines</Name>\r\n\t\t\t\t</AxMeasure>"), std::string::npos)
      << "Count is the default: no DefaultAggregate, no Field";
  EXPECT_NE(m.find("<DefaultAggregate>DistinctCount</DefaultAggregate>"), std::string::npos);
  EXPECT_NE(m.find("<RelatedField>CUSTACCOUNT</RelatedField>"), std::string::npos);
  const std::string d = fs_.ReadFile(aot + "AxAggregateDimension/Customer.xml");
  EXPECT_NE(d.find("<Usage>Key</Usage>"), std::string::npos);
  EXPECT_NE(d.find("<KeyFields>\r\n\t\t\t\t<AxDimensionFieldReference>\r\n\t\t\t\t\t<DimensionField>DATAAREAID<"),
            std::string::npos);
  const std::string e = fs_.ReadFile(aot + "AxEnum/SalesStatus.xml");
  EXPECT_NE(e.find("<Name>None</Name>\r\n\t\t\t<Label>None</Label>\r\n\t\t</AxEnumValue>"), std::string::npos)
      << "Value 0 is omitted";
  EXPECT_NE(e.find("<Value>4</Value>"), std::string::npos);
  EXPECT_NE(fs_.ReadFile(aot + "AxTable/DirPartyTable.xml").find("<SaveDataPerCompany>No</SaveDataPerCompany>"),
            std::string::npos);
  EXPECT_NE(fs_.ReadFile(aot + "AxView/PRODUCTDIMENSIONVIEW.xml").find("i:type=\"AxViewFieldBound\""),
            std::string::npos);

  // The .axpp holds the same XML files with '/' names, and the view SQL (the sys.sql_modules dump) like the folder.
  std::map<std::string, std::string> axpp = ZipMap(fs_.ReadFile("/lake/EntityStore/SalesAnalysis.axpp"));
  ASSERT_EQ(axpp.size(), xml_files.size() + SampleViews().size());
  for (const std::string& f : xml_files) EXPECT_EQ(axpp[f], fs_.ReadFile(aot + f)) << f;
  for (const SampleView& v : SampleViews()) {
    std::string sql = fs_.ReadFile(aot + "ViewDefinitions/" + v.name + ".sql");
    EXPECT_EQ(axpp["ViewDefinitions/" + v.name + ".sql"], sql);
    EXPECT_EQ(sql, v.definition);
    EXPECT_EQ(sql.rfind("CREATE VIEW [dbo].[" + v.name + "] AS SELECT ", 0), 0u);
    EXPECT_FALSE(HasBareLf(sql));
  }
}

TEST_F(SampleMeasurementTest, ViewsUseEveryD365Construct) {
  std::string all;
  for (const SampleView& v : SampleViews()) all += v.definition + "\r\n";
  for (const char* construct : {"[dbo].[",
                                "FROM dbo.CUSTGROUP",
                                "N''",
                                "N', '",
                                "CAST((1) AS INT)",
                                "CAST(('1900-01-01T00:00:00') AS DATETIME)",
                                "CONVERT(DATE, T1.CREATEDDATETIME, 112)",
                                "CONVERT(NVARCHAR(7), T1.CREATEDDATE, 120)",
                                "ISNULL(",
                                "[dbo].GetValidFromInContextInfo()",
                                "[dbo].GetValidToInContextInfo()",
                                " CROSS JOIN ",
                                "LEFT OUTER JOIN",
                                "T2.PARTITION AS PARTITION#2",
                                " AS KEY_",
                                " AS LEVEL_",
                                " AS COMMENT_",
                                "\r\nUNION ALL\r\n",
                                "STUFF((SELECT",
                                "FOR XML PATH('')",
                                "(T1.SHIPPINGDATEREQUESTED - 2)",
                                "GROUP BY",
                                "(T1.SALESTYPE <> 1)"}) {
    EXPECT_NE(all.find(construct), std::string::npos) << construct;
  }
  EXPECT_EQ(SampleElements().views,
            (std::vector<std::string>{"SALESLINEBASEVIEW", "SALESLINECUSTOMERVIEW", "SALESLINECUBEVIEW",
                                      "CUSTOMERDIMENSIONVIEW", "PRODUCTDIMENSIONVIEW"}));
  EXPECT_EQ(SampleElements().missing_dimension, "Date_");
}

TEST(SampleMeasurement, SameSeedSameBytesOtherSeedOnlyTimestamps) {
  auto run = [](uint64_t seed) {
    MemoryFileSystem fs;
    WriteSampleMeasurement(fs, {"/out", seed});
    return fs.files();
  };
  const auto a = run(7), b = run(7), c = run(8);
  EXPECT_EQ(a, b);
  ASSERT_EQ(a.size(), c.size());
  for (const auto& [path, content] : a) {
    ASSERT_TRUE(c.count(path)) << path;
    bool zip = path.size() > 4 &&
               (path.compare(path.size() - 4, 4, ".zip") == 0 || path.compare(path.size() - 5, 5, ".axpp") == 0);
    if (zip) {
      EXPECT_NE(content, c.at(path)) << "the zip timestamps derive from the seed";
      auto entries_a = ReadZip(content), entries_c = ReadZip(c.at(path));
      ASSERT_EQ(entries_a.size(), entries_c.size());
      for (size_t i = 0; i < entries_a.size(); ++i) {
        if (entries_a[i].first != "manifest.json") {
          EXPECT_EQ(entries_a[i], entries_c[i]);
        }
      }
    } else {
      EXPECT_EQ(content, c.at(path)) << path;
    }
  }
}

TEST(SampleMeasurement, RejectsARelativeDirectory) {
  MemoryFileSystem fs;
  EXPECT_THROW(WriteSampleMeasurement(fs, {"relative", 1}), Error);
  EXPECT_THROW(WriteSampleMeasurement(fs, {"", 1}), Error);
}

}  // namespace
}  // namespace cdmlake::generate
