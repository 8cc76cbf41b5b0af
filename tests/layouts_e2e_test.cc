// Lake layouts other than the generated D365 export, written by the tests: a Power BI / Synapse model.json,
// regular-expression and glob partition patterns, resolved entity documents, case-insensitive names, ragged
// partitions, CRLF files with a BOM, and two roots that declare the same entity.
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.h"

namespace cdmlake_e2e {
namespace {

namespace fs = std::filesystem;

class LayoutsE2E : public ::testing::Test {
 protected:
  std::string Lake(const std::string& name) { return dir_.path() + "/" + name; }
  TempDir dir_{"cdmlake-e2e-layouts"};
};

// ---------------------------------------------------------------------------------------------------------
// model.json (Power BI dataflow / Synapse Link style).

const char* const kModelJson = R"({
  "name": "crm",
  "version": "1.0",
  "culture": "en-US",
  "modifiedTime": "2024-05-01T10:00:00+00:00",
  "pbi:mashup": { "fastCombine": false },
  "entities": [
    {
      "$type": "LocalEntity",
      "name": "Account",
      "description": "Accounts",
      "annotations": [ { "name": "Athena:PartitionGranularity", "value": "Year" } ],
      "attributes": [
        { "name": "accountid", "dataType": "guid" },
        { "name": "name", "dataType": "string", "maxLength": -1 },
        { "name": "revenue", "dataType": "decimal" },
        { "name": "createdon", "dataType": "dateTime" },
        { "name": "active", "dataType": "boolean" },
        { "name": "employees", "dataType": "int64" }
      ],
      "partitions": [
        {
          "name": "Account-2023",
          "refreshTime": "2024-05-01T10:00:00+00:00",
          "location": "https://myaccount.dfs.core.windows.net/powerbi/dataflows/crm/Account/2023.csv?snapshot=2024-05-01T10%3A00%3A00Z",
          "fileFormatSettings": { "$type": "CsvFormatSettings", "columnHeaders": true, "delimiter": ",", "quoteStyle": "QuoteStyle.Csv", "csvStyle": "CsvStyle.QuoteAlways", "encoding": "UTF-8" }
        },
        {
          "name": "Account-2024",
          "location": "https://myaccount.dfs.core.windows.net/powerbi/dataflows/crm/Account/2024.csv",
          "fileFormatSettings": { "$type": "CsvFormatSettings", "columnHeaders": "true" }
        }
      ]
    },
    {
      "$type": "LocalEntity",
      "name": "Contact",
      "attributes": [
        { "name": "contactid", "dataType": "int64" },
        { "name": "fullname", "dataType": "string" }
      ],
      "partitions": [
        {
          "name": "Contact-1",
          "location": "https://myaccount.dfs.core.windows.net/powerbi/dataflows/crm/Contact/Contact-1.csv",
          "fileFormatSettings": { "$type": "CsvFormatSettings", "columnHeaders": "false" }
        }
      ]
    }
  ]
}
)";

void WriteModelJsonLake(const std::string& lake) {
  // The model.json sits below the lake root (dataflows/crm), and starts with a UTF-8 BOM.
  WriteFile(lake + "/dataflows/crm/model.json", std::string("\xEF\xBB\xBF") + kModelJson);
  WriteFile(lake + "/dataflows/crm/Account/2023.csv",
            "accountid,name,revenue,createdon,active,employees\n"
            "0b9f6f4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b,\"Contoso, \"\"Ltd\"\"\",1234.56,2023-03-04T05:06:07Z,True,12\n"
            "1b9f6f4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b,\"Multi\nline\",0.000001,2023-12-31T23:59:59.1234567Z,False,\n");
  WriteFile(lake + "/dataflows/crm/Account/2024.csv",
            "accountid,name,revenue,createdon,active,employees\n"
            "2b9f6f4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b,\"Fabrikam\",-17,2024-01-01T00:00:00Z,True,9007199254740993\n");
  WriteFile(lake + "/dataflows/crm/Contact/Contact-1.csv", "1,\"Jane \"\"JJ\"\" Doe\"\n2,\"\"\n3,\n");
}

TEST_F(LayoutsE2E, ModelJsonWithUrlsHeadersAndTypes) {
  const std::string lake = Lake("pbi");
  WriteModelJsonLake(lake);
  RunResult r = RunCdmlake({"--lake", lake, "sql", "--format", "json",
                            "SELECT accountid, name, revenue, createdon, active, employees, typeof(accountid) AS t_id, "
                            "typeof(revenue) AS t_rev, typeof(createdon) AS t_created, typeof(active) AS t_active, "
                            "typeof(employees) AS t_emp FROM \"crm\".\"Account\" ORDER BY createdon"});
  ASSERT_TRUE(Succeeded(r));
  nlohmann::json rows;
  ASSERT_NO_THROW(rows = nlohmann::json::parse(r.out)) << r.out;
  ASSERT_EQ(rows.size(), 3u) << r.out;
  EXPECT_EQ(rows[0]["accountid"], "0b9f6f4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b");
  EXPECT_EQ(rows[0]["name"], "Contoso, \"Ltd\"");
  EXPECT_EQ(rows[0]["createdon"], "2023-03-04 05:06:07");
  EXPECT_EQ(rows[0]["active"], true);
  EXPECT_EQ(rows[0]["employees"], 12);
  EXPECT_EQ(rows[1]["name"], "Multi\nline");
  EXPECT_EQ(rows[1]["createdon"], "2023-12-31 23:59:59.123456");
  EXPECT_EQ(rows[1]["active"], false);
  EXPECT_TRUE(rows[1]["employees"].is_null());
  EXPECT_EQ(rows[2]["name"], "Fabrikam");
  EXPECT_EQ(rows[2]["employees"].get<int64_t>(), 9007199254740993) << "int64 beyond double precision";
  EXPECT_EQ(rows[0]["t_id"], "UUID");
  EXPECT_EQ(rows[0]["t_created"], "TIMESTAMP");
  EXPECT_EQ(rows[0]["t_active"], "BOOLEAN");
  EXPECT_EQ(rows[0]["t_emp"], "BIGINT");
  EXPECT_EQ(rows[0]["t_rev"].get<std::string>().rfind("DECIMAL(", 0), 0u) << rows[0]["t_rev"];
  // Exact decimals: the raw text of the JSON numbers.
  EXPECT_TRUE(Contains(r.out, "\"revenue\": 1234.56")) << r.out;
  EXPECT_TRUE(Contains(r.out, "\"revenue\": 0.000001")) << r.out;
  EXPECT_TRUE(Contains(r.out, "\"revenue\": -17")) << r.out;

  // columnHeaders given as the string "false": the first line is data.
  auto contacts = SqlCsv(lake, "SELECT contactid, fullname, fullname IS NULL FROM Contact ORDER BY contactid");
  ASSERT_TRUE(contacts);
  ASSERT_EQ(contacts->size(), 4u);
  EXPECT_EQ((*contacts)[1], (std::vector<std::string>{"1", "Jane \"JJ\" Doe", "false"}));
  EXPECT_EQ((*contacts)[2], (std::vector<std::string>{"2", "", "false"})) << "a quoted empty string is not NULL";
  EXPECT_EQ((*contacts)[3], (std::vector<std::string>{"3", "", "true"}));
}

TEST_F(LayoutsE2E, InspectAModelJson) {
  const std::string lake = Lake("pbi");
  WriteModelJsonLake(lake);
  for (const std::vector<std::string>& extra :
       {std::vector<std::string>{}, std::vector<std::string>{lake + "/dataflows/crm/model.json"}}) {
    RunResult run;
    nlohmann::json report = InspectJson(lake, extra, &run);
    ASSERT_TRUE(Succeeded(run));
    EXPECT_TRUE(report["problems"].empty()) << report["problems"].dump(2);
    ASSERT_EQ(report["entities"].size(), 2u);
    const nlohmann::json* account = FindEntity(report, "Account");
    ASSERT_NE(account, nullptr);
    EXPECT_EQ((*account)["schema"], "crm");
    EXPECT_EQ((*account)["manifest"], "dataflows/crm/model.json");
    EXPECT_EQ((*account)["document"], "");
    ASSERT_EQ((*account)["partitions"].size(), 2u);
    EXPECT_EQ((*account)["partitions"][0]["location"], "dataflows/crm/Account/2023.csv");
    EXPECT_EQ((*account)["partitions"][1]["location"], "dataflows/crm/Account/2024.csv");
    EXPECT_EQ((*account)["partitions"][0]["bytes"].get<int64_t>(),
              static_cast<int64_t>(fs::file_size(lake + "/dataflows/crm/Account/2023.csv")));
    const std::vector<std::pair<std::string, std::string>> types = {
        {"accountid", "UUID"}, {"name", "VARCHAR"}, {"createdon", "TIMESTAMP"},
        {"active", "BOOLEAN"}, {"employees", "BIGINT"}};
    std::map<std::string, std::string> actual;
    for (const auto& c : (*account)["columns"]) actual[c["name"]] = c["sql_type"];
    for (const auto& [name, type] : types) EXPECT_EQ(actual[name], type) << name;
    EXPECT_EQ(actual["revenue"].rfind("DECIMAL(", 0), 0u) << actual["revenue"];
  }
}

// ---------------------------------------------------------------------------------------------------------
// Partition patterns.

void WriteEventsDoc(const std::string& path) {
  WriteEntityDoc(path, "Events", {{"Id", "Int64"}, {"Text", "String"}, {"Added", "String"}, {"Qty", "Int32"}});
}

TEST_F(LayoutsE2E, RegularExpressionPatternWithParameters) {
  const std::string lake = Lake("regex");
  WriteEventsDoc(lake + "/Events.cdm.json");
  nlohmann::ordered_json entity = {
      {"type", "LocalEntity"},
      {"entityName", "Events"},
      {"entityPath", "Events.cdm.json/Events"},
      {"dataPartitionPatterns",
       nlohmann::ordered_json::array({{{"name", "byYear"},
                                       {"rootLocation", "Data"},
                                       {"regularExpression", "/(\\d{4})/data_(\\w+)\\.csv"},
                                       {"parameters", {"year", "company"}}}})}};
  WriteManifest(lake + "/default.manifest.cdm.json", "hist", nlohmann::ordered_json::array({entity}));
  WriteFile(lake + "/Data/2020/data_usmf.csv", "1,\"a\",\"x\",1\n2,\"b\",\"y\",2\n");
  WriteFile(lake + "/Data/2021/data_demf.csv", "3,\"c\",\"z\",3\n");
  WriteFile(lake + "/Data/2021/other.csv", "99,\"not matched\",\"\",0\n");
  WriteFile(lake + "/Data/20211/data_usmf.csv", "98,\"five digits\",\"\",0\n");
  WriteFile(lake + "/Data/2022/data_usmf.csv.bak", "97,\"suffix\",\"\",0\n");

  RunResult run;
  nlohmann::json report = InspectJson(lake, {}, &run);
  ASSERT_TRUE(Succeeded(run));
  const nlohmann::json* e = FindEntity(report, "Events");
  ASSERT_NE(e, nullptr);
  std::map<std::string, nlohmann::json> by_location;
  for (const auto& p : (*e)["partitions"]) by_location[p["location"]] = p;
  ASSERT_EQ(by_location.size(), 2u) << (*e)["partitions"].dump(2);
  ASSERT_TRUE(by_location.count("Data/2020/data_usmf.csv"));
  ASSERT_TRUE(by_location.count("Data/2021/data_demf.csv"));
  EXPECT_EQ(by_location["Data/2020/data_usmf.csv"]["arguments"],
            (nlohmann::json{{"year", "2020"}, {"company", "usmf"}}));
  EXPECT_EQ(by_location["Data/2021/data_demf.csv"]["arguments"],
            (nlohmann::json{{"year", "2021"}, {"company", "demf"}}));
  EXPECT_EQ(by_location["Data/2020/data_usmf.csv"]["pattern"], "byYear");

  EXPECT_EQ(SqlScalar(lake, "SELECT string_agg(Id::VARCHAR, ',' ORDER BY Id) FROM Events"), "1,2,3");
}

TEST_F(LayoutsE2E, GlobPatternsFollowTheCdmRules) {
  // The golden cases of the CDM SDK: a root with testfile.csv and subFolder/testSubFile.csv.
  const std::string lake = Lake("glob");
  WriteFile(lake + "/Data/testfile.csv", "1,\"root\",\"\",1\n");
  WriteFile(lake + "/Data/subFolder/testSubFile.csv", "2,\"sub\",\"\",2\n");
  WriteFile(lake + "/Data/.hidden.csv", "3,\"hidden\",\"\",3\n");
  WriteEventsDoc(lake + "/Events.cdm.json");
  struct Case {
    std::string glob;
    std::string root;
    bool root_file;
    bool sub_file;
  };
  const std::vector<Case> cases = {
      {"*", "Data", true, false},           {"*.csv", "Data", true, false},
      {"/*.csv", "Data/", true, false},     {"/testfile*", "Data", true, false},
      {"/**.csv", "Data", true, false},     {"/test?ile.csv", "Data", true, false},
      {"\\testfile.csv", "Data", true, false}, {"/*/*.csv", "Data", false, true},
      {"**", "Data", true, true},           {"/**", "Data/", true, true},
      {"/**/*.csv", "Data", true, true},    {"**/testSubFile.csv", "Data", false, true},
      {"/subFolder/**", "Data", false, true},
  };
  nlohmann::ordered_json entities = nlohmann::ordered_json::array();
  for (size_t i = 0; i < cases.size(); ++i) {
    entities.push_back({{"type", "LocalEntity"},
                        {"entityName", "G" + std::to_string(i)},
                        {"entityPath", "Events.cdm.json/Events"},
                        {"dataPartitionPatterns",
                         nlohmann::ordered_json::array(
                             {{{"name", "p"}, {"rootLocation", cases[i].root}, {"globPattern", cases[i].glob}}})}});
  }
  WriteManifest(lake + "/default.manifest.cdm.json", "globs", entities);
  RunResult run;
  nlohmann::json report = InspectJson(lake, {}, &run);
  ASSERT_TRUE(Succeeded(run));
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE("glob '" + cases[i].glob + "' rootLocation '" + cases[i].root + "'");
    const nlohmann::json* e = FindEntity(report, "G" + std::to_string(i));
    ASSERT_NE(e, nullptr);
    std::set<std::string> locations;
    for (const auto& p : (*e)["partitions"]) locations.insert(p["location"]);
    std::set<std::string> expected;
    if (cases[i].root_file) expected.insert("Data/testfile.csv");
    if (cases[i].sub_file) expected.insert("Data/subFolder/testSubFile.csv");
    EXPECT_EQ(locations, expected);
  }
  // "**" reads both files (never the hidden one) through SQL as well.
  EXPECT_EQ(SqlScalar(lake, "SELECT string_agg(Text, ',' ORDER BY Id) FROM G8"), "root,sub");
}

// A file both listed explicitly and matched by a pattern is one partition, read once.
TEST_F(LayoutsE2E, ExplicitPartitionsAndPatternsDoNotDoubleCount) {
  const std::string lake = Lake("mixedparts");
  WriteEventsDoc(lake + "/Events.cdm.json");
  nlohmann::ordered_json entity = LocalEntity("Events", "Events.cdm.json/Events", {"Data/a.csv"});
  entity["dataPartitionPatterns"] = nlohmann::ordered_json::array(
      {{{"name", "all"}, {"rootLocation", "Data"}, {"globPattern", "/*.csv"}}});
  WriteManifest(lake + "/default.manifest.cdm.json", "hist", nlohmann::ordered_json::array({entity}));
  WriteFile(lake + "/Data/a.csv", "1,\"a\",\"\",1\n");
  WriteFile(lake + "/Data/b.csv", "2,\"b\",\"\",2\n");
  RunResult run;
  nlohmann::json report = InspectJson(lake, {}, &run);
  ASSERT_TRUE(Succeeded(run));
  const nlohmann::json* e = FindEntity(report, "Events");
  ASSERT_NE(e, nullptr);
  ASSERT_EQ((*e)["partitions"].size(), 2u) << (*e)["partitions"].dump(2);
  EXPECT_EQ((*e)["partitions"][0]["location"], "Data/a.csv");
  EXPECT_EQ((*e)["partitions"][0]["pattern"], "") << "the explicit partition wins";
  EXPECT_EQ((*e)["partitions"][1]["location"], "Data/b.csv");
  EXPECT_EQ((*e)["partitions"][1]["pattern"], "all");
  EXPECT_EQ(SqlScalar(lake, "SELECT string_agg(Id::VARCHAR, ',' ORDER BY Id) FROM Events"), "1,2");
}

// ---------------------------------------------------------------------------------------------------------
// Entity documents, names.

TEST_F(LayoutsE2E, ResolvedEntityDocumentsArePreferred) {
  const std::string lake = Lake("resolved");
  // The manifest names logical documents; the readable, resolved copies sit in resolved/ or beside them as
  // <Entity>-resolved.cdm.json.
  const std::string logical = R"({
  "definitions": [ { "entityName": "Customer", "extendsEntity": "CdmEntity",
    "hasAttributes": [ { "attributeGroupReference": { "attributeGroupName": "attributesAddedAtThisScope" } } ] } ]
})";
  WriteFile(lake + "/Customer.cdm.json", logical);
  WriteEntityDoc(lake + "/resolved/Customer.cdm.json", "Customer", {{"Id", "Int64"}, {"Name", "String"}});
  WriteFile(lake + "/Product.cdm.json", std::string(logical).replace(logical.find("Customer"), 8, "Product"));
  WriteEntityDoc(lake + "/Product-resolved.cdm.json", "Product", {{"Sku", "String"}, {"Price", "Decimal"}});
  WriteManifest(lake + "/default.manifest.cdm.json", "store",
                nlohmann::ordered_json::array({LocalEntity("Customer", "Customer.cdm.json/Customer", {"c.csv"}),
                                               LocalEntity("Product", "Product.cdm.json/Product", {"p.csv"})}));
  WriteFile(lake + "/c.csv", "1,\"Ann\"\n2,\"Bob\"\n");
  WriteFile(lake + "/p.csv", "\"A-1\",9.99\n");
  RunResult run;
  nlohmann::json report = InspectJson(lake, {}, &run);
  ASSERT_TRUE(Succeeded(run));
  const nlohmann::json* customer = FindEntity(report, "Customer");
  const nlohmann::json* product = FindEntity(report, "Product");
  ASSERT_NE(customer, nullptr);
  ASSERT_NE(product, nullptr);
  EXPECT_EQ((*customer)["document"], "resolved/Customer.cdm.json");
  EXPECT_EQ((*product)["document"], "Product-resolved.cdm.json");
  EXPECT_EQ((*customer)["columns"].size(), 2u);
  EXPECT_EQ(SqlScalar(lake, "SELECT string_agg(Name, ',' ORDER BY Id) FROM Customer"), "Ann,Bob");
  EXPECT_EQ(SqlScalar(lake, "SELECT Price FROM Product"), "9.990000");
}

TEST_F(LayoutsE2E, EntityNamesAreCaseInsensitive) {
  const std::string lake = Lake("case");
  // The document defines "customer"; the manifest says "Customer" and points at ".../CUSTOMER".
  WriteEntityDoc(lake + "/Customer.cdm.json", "customer", {{"Id", "int64"}, {"Name", "STRING"}});
  WriteManifest(lake + "/Shop.manifest.cdm.json", "Shop",
                nlohmann::ordered_json::array({LocalEntity("Customer", "Customer.cdm.json/CUSTOMER", {"c.csv"})}));
  WriteFile(lake + "/c.csv", "1,\"Ann\"\n2,\"Bob\"\n");
  for (const std::string table : {"Customer", "CUSTOMER", "customer", "\"Shop\".\"Customer\"", "shop.CUSTOMER",
                                  "\"SHOP\".\"customer\""}) {
    SCOPED_TRACE(table);
    EXPECT_EQ(SqlScalar(lake, "SELECT count(*) FROM " + table), "2");
  }
}

TEST_F(LayoutsE2E, SameEntityNameInTwoRootsNeedsItsSchema) {
  const std::string lake = Lake("tworoots");
  WriteEntityDoc(lake + "/a/Customer.cdm.json", "Customer", {{"Id", "Int64"}});
  WriteManifest(lake + "/a/default.manifest.cdm.json", "alpha",
                nlohmann::ordered_json::array({LocalEntity("Customer", "Customer.cdm.json/Customer", {"c.csv"})}));
  WriteFile(lake + "/a/c.csv", "1\n2\n");
  WriteEntityDoc(lake + "/b/Customer.cdm.json", "Customer", {{"Id", "Int64"}});
  WriteManifest(lake + "/b/default.manifest.cdm.json", "beta",
                nlohmann::ordered_json::array({LocalEntity("Customer", "Customer.cdm.json/Customer", {"c.csv"})}));
  WriteFile(lake + "/b/c.csv", "10\n20\n30\n");
  EXPECT_EQ(SqlScalar(lake, "SELECT sum(Id) FROM alpha.Customer"), "3");
  EXPECT_EQ(SqlScalar(lake, "SELECT sum(Id) FROM \"beta\".\"Customer\""), "60");
  RunResult ambiguous = RunCdmlake({"--lake", lake, "sql", "SELECT * FROM Customer"});
  EXPECT_TRUE(FailedCleanly(ambiguous));
  RunResult run;
  nlohmann::json report = InspectJson(lake, {}, &run);
  EXPECT_TRUE(Succeeded(run)) << "a shared name is a warning, not an error";
  EXPECT_EQ(report["entities"].size(), 2u);
}

// ---------------------------------------------------------------------------------------------------------
// Data files.

TEST_F(LayoutsE2E, RaggedPartitionsReadMissingTrailingColumnsAsNull) {
  const std::string lake = Lake("ragged");
  WriteEventsDoc(lake + "/Events.cdm.json");
  WriteManifest(lake + "/default.manifest.cdm.json", "hist",
                nlohmann::ordered_json::array({LocalEntity(
                    "Events", "Events.cdm.json/Events", {"Data/old.csv", "Data/middle.csv", "Data/new.csv"})}));
  // Written before Added and Qty existed: two fields, with quoted line breaks, quotes and commas.
  WriteFile(lake + "/Data/old.csv", "1,\"first\nline, \"\"two\"\"\"\n2,\"plain\"\n3,\"three\nfour\nfive\"\n");
  WriteFile(lake + "/Data/middle.csv", "4,\"mid\nline\",\"added\"\n");
  WriteFile(lake + "/Data/new.csv", "5,\"new\nrow\",\"x\",7\n6,\"\",\"\",\n");
  auto rows = SqlCsv(lake, "SELECT Id, Text, Added, Qty, Added IS NULL, Qty IS NULL FROM Events ORDER BY Id");
  ASSERT_TRUE(rows);
  const std::vector<std::vector<std::string>> expected = {
      {"Id", "Text", "Added", "Qty", "(Added IS NULL)", "(Qty IS NULL)"},
      {"1", "first\nline, \"two\"", "", "", "true", "true"},
      {"2", "plain", "", "", "true", "true"},
      {"3", "three\nfour\nfive", "", "", "true", "true"},
      {"4", "mid\nline", "added", "", "false", "true"},
      {"5", "new\nrow", "x", "7", "false", "false"},
      {"6", "", "", "", "false", "true"},
  };
  ASSERT_EQ(rows->size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_EQ((*rows)[i], expected[i]) << "row " << i;
}

TEST_F(LayoutsE2E, CrLfFilesWithAByteOrderMark) {
  const std::string lake = Lake("crlf");
  WriteEventsDoc(lake + "/Events.cdm.json");
  WriteManifest(lake + "/default.manifest.cdm.json", "hist",
                nlohmann::ordered_json::array({LocalEntity("Events", "Events.cdm.json/Events", {"e.csv"})}));
  WriteFile(lake + "/e.csv", "\xEF\xBB\xBF" "1,\"a\r\nb\",\"x\",1\r\n2,\"c\",\"y\",2\r\n");
  auto rows = SqlCsv(lake, "SELECT Id, Text, Qty FROM Events ORDER BY Id");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[1], (std::vector<std::string>{"1", "a\r\nb", "1"}));
  EXPECT_EQ((*rows)[2], (std::vector<std::string>{"2", "c", "2"}));
}

// Text typed on Windows keeps its CRLF inside quotes, in files whose records end with LF (RFC 4180 allows
// both; the CDM default newline is LF).
TEST_F(LayoutsE2E, CrLfInsideAQuotedValueOfAnLfFile) {
  const std::string lake = Lake("mixed");
  WriteEventsDoc(lake + "/Events.cdm.json");
  WriteManifest(lake + "/default.manifest.cdm.json", "hist",
                nlohmann::ordered_json::array({LocalEntity("Events", "Events.cdm.json/Events", {"e.csv"})}));
  WriteFile(lake + "/e.csv", "1,\"first line\r\nsecond line\",\"x\",1\n2,\"c\",\"y\",2\n");
  auto rows = SqlCsv(lake, "SELECT Id, Text, Qty FROM Events ORDER BY Id");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[1], (std::vector<std::string>{"1", "first line\r\nsecond line", "1"}));
  EXPECT_EQ((*rows)[2], (std::vector<std::string>{"2", "c", "2"}));
}

// Partition file names are names, not patterns: brackets, '?' and '*' are literal characters.
TEST_F(LayoutsE2E, PartitionFileNamesWithGlobCharacters) {
  const std::string lake = Lake("names");
  WriteEventsDoc(lake + "/Events.cdm.json");
  WriteManifest(lake + "/default.manifest.cdm.json", "hist",
                nlohmann::ordered_json::array({LocalEntity(
                    "Events", "Events.cdm.json/Events",
                    {"Data/events[1].csv", "Data/O'Brien%20export.csv", "Data/what%3F.csv"})}));
  WriteFile(lake + "/Data/events[1].csv", "1,\"bracketed\",\"\",1\n");
  WriteFile(lake + "/Data/O'Brien export.csv", "2,\"apostrophe and space\",\"\",2\n");
  WriteFile(lake + "/Data/what?.csv", "3,\"question mark\",\"\",3\n");
  // Files that the names would match as glob patterns; they are not partitions.
  WriteFile(lake + "/Data/events1.csv", "91,\"not a partition\",\"\",0\n");
  WriteFile(lake + "/Data/whatX.csv", "93,\"not a partition\",\"\",0\n");
  EXPECT_EQ(SqlScalar(lake, "SELECT string_agg(Id::VARCHAR, ',' ORDER BY Id) FROM Events"), "1,2,3");
}

}  // namespace
}  // namespace cdmlake_e2e
