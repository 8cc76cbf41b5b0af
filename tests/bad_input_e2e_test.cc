// Bad input of every kind: each must end with exit code 1 and a message naming the file (and line or entity),
// never with a crash, an internal error or a wrong answer. Also the quarantine mode and the command line.
#include <unistd.h>

#include <filesystem>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.h"

namespace cdmlake_e2e {
namespace {

namespace fs = std::filesystem;

// The 1-based line of the first occurrence of needle in text (0 when absent).
int64_t LineOf(const std::string& text, const std::string& needle) {
  size_t at = text.find(needle);
  if (at == std::string::npos) return 0;
  return 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n');
}

// The problems of an inspect report that match file (exactly) and, when given, the entity.
std::vector<nlohmann::json> ProblemsOf(const nlohmann::json& report, const std::string& file,
                                       const std::string& entity = "") {
  std::vector<nlohmann::json> out;
  if (!report.is_object() || !report.contains("problems")) return out;
  for (const auto& p : report["problems"]) {
    if (p.value("file", "") == file && (entity.empty() || p.value("entity", "") == entity)) out.push_back(p);
  }
  return out;
}

std::string DumpProblems(const nlohmann::json& report) {
  return report.is_object() && report.contains("problems") ? report["problems"].dump(2) : report.dump();
}

const char* const kWorksheetLine = "Tables/SupplyChain/SalesAndMarketing/WorksheetLine/WorksheetLine.manifest.cdm.json";

class BadInputE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    template_dir_ = new TempDir("cdmlake-e2e-bad-template");
    template_lake_ = template_dir_->path() + "/lake";
    ready_ = GenerateLake(template_lake_, 2000, 21);
  }
  static void TearDownTestSuite() {
    delete template_dir_;
    template_dir_ = nullptr;
  }

  // A private copy of the generated lake (without its catalog cache).
  std::string CopyGenerated() {
    EXPECT_TRUE(ready_);
    std::string lake = dir_.path() + "/d365";
    CopyTree(template_lake_, lake);
    fs::remove_all(lake + "/_cdmlake");
    return lake;
  }

  // A small hand-made lake: manifest "shop" with entity Orders (Id Int64, Note String, Amount Decimal) over
  // Data/orders1.csv and Data/orders2.csv.
  std::string ShopLake(const std::string& orders2 = "3,\"multi\nline\nnote\",3\n4,\"ok\",4\n5,\"fine\",5\n",
                       const std::string& manifest_name = "shop", const std::string& lake_dir = "shop") {
    std::string lake = dir_.path() + "/" + lake_dir;
    WriteEntityDoc(lake + "/Orders.cdm.json", "Orders", {{"Id", "Int64"}, {"Note", "String"}, {"Amount", "Decimal"}});
    WriteManifest(lake + "/default.manifest.cdm.json", manifest_name,
                  nlohmann::ordered_json::array(
                      {LocalEntity("Orders", "Orders.cdm.json/Orders", {"Data/orders1.csv", "Data/orders2.csv"})}));
    WriteFile(lake + "/Data/orders1.csv", "1,\"a\nb\",1.5\n2,\"x\",2\n");
    WriteFile(lake + "/Data/orders2.csv", orders2);
    return lake;
  }

  RunResult Sql(const std::string& lake, const std::string& query, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"--lake", lake, "sql", "--format", "csv"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(query);
    return RunCdmlake(args);
  }

  TempDir dir_{"cdmlake-e2e-bad"};
  static TempDir* template_dir_;
  static std::string template_lake_;
  static bool ready_;
};

TempDir* BadInputE2E::template_dir_ = nullptr;
std::string BadInputE2E::template_lake_;
bool BadInputE2E::ready_ = false;

TEST_F(BadInputE2E, ShopLakeIsGood) {
  std::string lake = ShopLake();
  RunResult r = Sql(lake, "SELECT count(*), sum(Id), sum(Amount) FROM Orders");
  ASSERT_TRUE(Succeeded(r));
  EXPECT_EQ(r.out, "count_star(),sum(Id),sum(Amount)\n5,15,15.500000\n");
  RunResult inspect;
  nlohmann::json report = InspectJson(lake, {}, &inspect);
  EXPECT_TRUE(Succeeded(inspect));
  EXPECT_TRUE(report["problems"].empty()) << DumpProblems(report);
}

// ---------------------------------------------------------------------------------------------------------
// Metadata.

TEST_F(BadInputE2E, MalformedJsonInASubManifest) {
  std::string lake = CopyGenerated();
  const std::string path = lake + "/" + kWorksheetLine;
  std::string text = ReadFile(path);
  const std::string name_line = "\"manifestName\": \"WorksheetLine\",";
  int64_t line = LineOf(text, name_line);
  ASSERT_GT(line, 0);
  text.replace(text.find(name_line), name_line.size(), "\"manifestName\": \"WorksheetLine\",,");
  WriteFile(path, text);

  RunResult run;
  nlohmann::json report = InspectJson(lake, {}, &run);
  EXPECT_TRUE(FailedCleanly(run));
  auto problems = ProblemsOf(report, kWorksheetLine);
  ASSERT_EQ(problems.size(), 1u) << DumpProblems(report);
  EXPECT_EQ(problems[0]["severity"], "error");
  EXPECT_EQ(problems[0]["line"], line);
  EXPECT_EQ(report["entities"].size(), 7u) << "the other sub-manifests are still read";
  EXPECT_EQ(FindEntity(report, "SalesLine"), nullptr);

  RunResult text_report = RunCdmlake({"--lake", lake, "lake", "inspect"});
  EXPECT_TRUE(FailedCleanly(text_report));
  EXPECT_TRUE(Contains(text_report.out, std::string(kWorksheetLine) + ":" + std::to_string(line))) << text_report.out;

  RunResult sql = Sql(lake, "SELECT count(*) FROM SalesLine");
  EXPECT_TRUE(FailedCleanly(sql));
  EXPECT_TRUE(Contains(sql.err, std::string(kWorksheetLine) + ":" + std::to_string(line))) << sql.err;
  EXPECT_TRUE(Contains(sql.err, "could not be read")) << sql.err;
  EXPECT_TRUE(sql.out.empty()) << sql.out;

  // Tables declared elsewhere still answer.
  RunResult other = Sql(lake, "SELECT count(*) FROM SalesTable");
  EXPECT_TRUE(Succeeded(other));
  EXPECT_EQ(other.out, "count_star()\n500\n");
  EXPECT_TRUE(Contains(other.err, "warning")) << "the unread document is mentioned: " << other.err;
  RunResult quiet = RunCdmlake({"-q", "--lake", lake, "sql", "--format", "csv", "SELECT count(*) FROM SalesTable"});
  EXPECT_TRUE(Succeeded(quiet));
  EXPECT_EQ(quiet.err, "") << "-q prints no warnings";
}

TEST_F(BadInputE2E, MalformedEntityDocument) {
  std::string lake = CopyGenerated();
  const std::string doc = "Tables/SupplyChain/SalesAndMarketing/WorksheetLine/SalesLine.cdm.json";
  std::string text = ReadFile(lake + "/" + doc);
  WriteFile(lake + "/" + doc, text.substr(0, text.size() / 2));
  RunResult run;
  nlohmann::json report = InspectJson(lake, {}, &run);
  EXPECT_TRUE(FailedCleanly(run));
  auto problems = ProblemsOf(report, doc);
  ASSERT_FALSE(problems.empty()) << DumpProblems(report);
  EXPECT_GT(problems[0]["line"].get<int64_t>(), 0);
  const nlohmann::json* e = FindEntity(report, "SalesLine");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ((*e)["readable"], false);
  RunResult sql = Sql(lake, "SELECT count(*) FROM SalesLine");
  EXPECT_TRUE(FailedCleanly(sql));
  EXPECT_TRUE(Contains(sql.err, doc)) << sql.err;
  EXPECT_TRUE(Contains(sql.err, "SalesLine")) << sql.err;
}

TEST_F(BadInputE2E, TruncatedRootManifest) {
  std::string lake = CopyGenerated();
  const std::string root = "Tables/Tables.manifest.cdm.json";
  std::string text = ReadFile(lake + "/" + root);
  WriteFile(lake + "/" + root, text.substr(0, text.size() / 2));
  RunResult run;
  nlohmann::json report = InspectJson(lake, {}, &run);
  EXPECT_TRUE(FailedCleanly(run));
  auto problems = ProblemsOf(report, root);
  ASSERT_FALSE(problems.empty()) << DumpProblems(report);
  EXPECT_EQ(problems[0]["severity"], "error");
  EXPECT_GT(problems[0]["line"].get<int64_t>(), 0);
  RunResult sql = Sql(lake, "SELECT count(*) FROM CustGroup");
  EXPECT_TRUE(FailedCleanly(sql));
  EXPECT_TRUE(Contains(sql.err, root)) << sql.err;
}

TEST_F(BadInputE2E, EmptyRootManifest) {
  std::string lake = CopyGenerated();
  const std::string root = "Tables/Tables.manifest.cdm.json";
  WriteFile(lake + "/" + root, "");
  RunResult run;
  nlohmann::json report = InspectJson(lake, {}, &run);
  EXPECT_TRUE(FailedCleanly(run));
  EXPECT_FALSE(ProblemsOf(report, root).empty()) << DumpProblems(report);
  RunResult sql = Sql(lake, "SELECT count(*) FROM CustGroup");
  EXPECT_TRUE(FailedCleanly(sql));
  EXPECT_TRUE(Contains(sql.err, root)) << sql.err;
  // Inspecting the empty document itself.
  RunResult one = RunCdmlake({"--lake", lake, "lake", "inspect", lake + "/" + root});
  EXPECT_TRUE(FailedCleanly(one));
  EXPECT_TRUE(Contains(one.out + one.err, root)) << one.Describe();
}

TEST_F(BadInputE2E, ManifestThatIsJsonButNotAnObject) {
  std::string lake = CopyGenerated();
  const std::string root = "Tables/Tables.manifest.cdm.json";
  WriteFile(lake + "/" + root, "[1, 2, 3]\n");
  RunResult run;
  nlohmann::json report = InspectJson(lake, {}, &run);
  EXPECT_TRUE(FailedCleanly(run));
  auto problems = ProblemsOf(report, root);
  ASSERT_FALSE(problems.empty()) << DumpProblems(report);
  EXPECT_TRUE(Contains(problems[0]["message"], "not a JSON object")) << problems[0].dump();
  RunResult sql = Sql(lake, "SELECT count(*) FROM CustGroup");
  EXPECT_TRUE(FailedCleanly(sql));
  EXPECT_TRUE(Contains(sql.err, root)) << sql.err;

  // A sub-manifest that is a JSON string.
  std::string lake2 = dir_.path() + "/d365b";
  CopyTree(template_lake_, lake2);
  fs::remove_all(lake2 + "/_cdmlake");
  WriteFile(lake2 + "/" + kWorksheetLine, "\"just a string\"");
  nlohmann::json report2 = InspectJson(lake2, {}, &run);
  EXPECT_TRUE(FailedCleanly(run));
  EXPECT_FALSE(ProblemsOf(report2, kWorksheetLine).empty()) << DumpProblems(report2);
  RunResult sql2 = Sql(lake2, "SELECT * FROM SalesLine");
  EXPECT_TRUE(FailedCleanly(sql2));
  EXPECT_TRUE(Contains(sql2.err, kWorksheetLine)) << sql2.err;
}

TEST_F(BadInputE2E, MissingPartitionFile) {
  std::string lake = CopyGenerated();
  const std::string folder = GeneratedDataFolder(lake, "SalesLine");
  ASSERT_TRUE(fs::remove(folder + "/SALESLINE_00002.csv"));
  RunResult sql = Sql(lake, "SELECT count(*) FROM SalesLine");
  EXPECT_TRUE(FailedCleanly(sql));
  EXPECT_TRUE(Contains(sql.err, "SALESLINE_00002.csv")) << sql.err;
  EXPECT_TRUE(Contains(sql.err, "SalesLine")) << sql.err;
  EXPECT_TRUE(sql.out.empty()) << "no partial answer: " << sql.out;
  RunResult run;
  nlohmann::json report = InspectJson(lake, {}, &run);
  EXPECT_TRUE(FailedCleanly(run));
  bool found = false;
  for (const auto& p : report["problems"]) {
    if (p["entity"] == "SalesLine" && Contains(p["message"], "SALESLINE_00002.csv")) found = p["severity"] == "error";
  }
  EXPECT_TRUE(found) << DumpProblems(report);
  EXPECT_TRUE(Succeeded(Sql(lake, "SELECT count(*) FROM SalesTable")));
}

TEST_F(BadInputE2E, UnknownDataFormatInAnEntityDocument) {
  std::string lake = ShopLake();
  WriteEntityDoc(lake + "/Orders.cdm.json", "Orders", {{"Id", "Int64"}, {"Note", "String"}, {"Amount", "Int128"}});
  int64_t line = LineOf(ReadFile(lake + "/Orders.cdm.json"), "\"name\": \"Amount\"");
  RunResult run;
  nlohmann::json report = InspectJson(lake, {}, &run);
  EXPECT_TRUE(FailedCleanly(run));
  auto problems = ProblemsOf(report, "Orders.cdm.json", "Orders");
  ASSERT_EQ(problems.size(), 1u) << DumpProblems(report);
  EXPECT_EQ(problems[0]["line"], line);
  EXPECT_TRUE(Contains(problems[0]["message"], "Int128")) << problems[0].dump();
  RunResult sql = Sql(lake, "SELECT * FROM Orders");
  EXPECT_TRUE(FailedCleanly(sql));
  EXPECT_TRUE(Contains(sql.err, "Orders.cdm.json:" + std::to_string(line))) << sql.err;
  EXPECT_TRUE(Contains(sql.err, "Int128")) << sql.err;
}

TEST_F(BadInputE2E, UnknownDataTypeInModelJson) {
  std::string lake = dir_.path() + "/pbi";
  const std::string model = R"({
  "name": "crm",
  "version": "1.0",
  "entities": [
    {
      "$type": "LocalEntity",
      "name": "Account",
      "attributes": [
        { "name": "id", "dataType": "int64" },
        { "name": "balance", "dataType": "money" }
      ],
      "partitions": [ { "name": "p1", "location": "https://acct.dfs.core.windows.net/crm/Account/p1.csv" } ]
    }
  ]
}
)";
  WriteFile(lake + "/model.json", model);
  WriteFile(lake + "/Account/p1.csv", "1,2\n");
  RunResult run;
  nlohmann::json report = InspectJson(lake, {}, &run);
  EXPECT_TRUE(FailedCleanly(run));
  auto problems = ProblemsOf(report, "model.json", "Account");
  ASSERT_FALSE(problems.empty()) << DumpProblems(report);
  EXPECT_EQ(problems[0]["line"], LineOf(model, "\"balance\""));
  EXPECT_TRUE(Contains(problems[0]["message"], "money"));
  RunResult sql = Sql(lake, "SELECT * FROM Account");
  EXPECT_TRUE(FailedCleanly(sql));
  EXPECT_TRUE(Contains(sql.err, "model.json:" + std::to_string(LineOf(model, "\"balance\"")))) << sql.err;
}

TEST_F(BadInputE2E, InvalidRegularExpressionInAPattern) {
  std::string lake = ShopLake();
  nlohmann::ordered_json entity = {
      {"type", "LocalEntity"},
      {"entityName", "Orders"},
      {"entityPath", "Orders.cdm.json/Orders"},
      {"dataPartitionPatterns",
       nlohmann::ordered_json::array(
           {{{"name", "broken"}, {"rootLocation", "Data"}, {"regularExpression", "/(\\d{4}/orders.csv"}}})}};
  WriteManifest(lake + "/default.manifest.cdm.json", "shop", nlohmann::ordered_json::array({entity}));
  RunResult run;
  nlohmann::json report = InspectJson(lake, {}, &run);
  EXPECT_TRUE(FailedCleanly(run));
  auto problems = ProblemsOf(report, "default.manifest.cdm.json", "Orders");
  ASSERT_FALSE(problems.empty()) << DumpProblems(report);
  EXPECT_TRUE(Contains(problems[0]["message"], "regularExpression")) << problems[0].dump();
  RunResult sql = Sql(lake, "SELECT * FROM Orders");
  EXPECT_TRUE(FailedCleanly(sql));
  EXPECT_TRUE(Contains(sql.err, "default.manifest.cdm.json")) << sql.err;
  EXPECT_TRUE(Contains(sql.err, "Orders")) << sql.err;
}

// Problems point at the line of the offending value, also when the value is written with JSON escapes (every
// regular expression with \d, \w or \. is).
TEST_F(BadInputE2E, ProblemLineOfAValueWithJsonEscapes) {
  std::string lake = ShopLake();
  nlohmann::ordered_json entity = {
      {"type", "LocalEntity"},
      {"entityName", "Orders"},
      {"entityPath", "Orders.cdm.json/Orders"},
      {"dataPartitionPatterns",
       nlohmann::ordered_json::array(
           {{{"name", "broken"}, {"rootLocation", "Data"}, {"regularExpression", "/(\\d{4}/orders\\.csv"}}})}};
  WriteManifest(lake + "/default.manifest.cdm.json", "shop", nlohmann::ordered_json::array({entity}));
  const std::string text = ReadFile(lake + "/default.manifest.cdm.json");
  ASSERT_TRUE(Contains(text, "\"/(\\\\d{4}/orders\\\\.csv\"")) << text;
  RunResult run;
  nlohmann::json report = InspectJson(lake, {}, &run);
  EXPECT_TRUE(FailedCleanly(run));
  auto problems = ProblemsOf(report, "default.manifest.cdm.json", "Orders");
  ASSERT_FALSE(problems.empty()) << DumpProblems(report);
  EXPECT_EQ(problems[0]["line"], LineOf(text, "regularExpression")) << problems[0].dump();
  RunResult sql = Sql(lake, "SELECT * FROM Orders");
  EXPECT_TRUE(FailedCleanly(sql));
  EXPECT_TRUE(Contains(sql.err, "default.manifest.cdm.json:" + std::to_string(LineOf(text, "regularExpression"))))
      << sql.err;
}

TEST_F(BadInputE2E, PartitionLocationsOutsideTheLakeRoot) {
  std::string lake = ShopLake();
  const std::vector<std::pair<std::string, std::string>> escapes = {
      {"Up", "../../etc/passwd"},
      {"Absolute", "/etc/passwd"},
      {"Url", "https://acct.dfs.core.windows.net/container/../../etc/passwd"},
      {"Encoded", "..%2F..%2F..%2Fetc%2Fpasswd"},
      {"Nested", "Data/../../../../etc/passwd"},
  };
  nlohmann::ordered_json entities = nlohmann::ordered_json::array(
      {LocalEntity("Orders", "Orders.cdm.json/Orders", {"Data/orders1.csv", "Data/orders2.csv"})});
  for (const auto& [name, location] : escapes) {
    entities.push_back(LocalEntity(name, "Orders.cdm.json/Orders", {location}));
  }
  WriteManifest(lake + "/default.manifest.cdm.json", "shop", entities);

  RunResult run;
  nlohmann::json report = InspectJson(lake, {}, &run);
  EXPECT_TRUE(FailedCleanly(run));
  for (const auto& [name, location] : escapes) {
    SCOPED_TRACE(location);
    auto problems = ProblemsOf(report, "default.manifest.cdm.json", name);
    ASSERT_FALSE(problems.empty()) << DumpProblems(report);
    EXPECT_EQ(problems[0]["severity"], "error");
    EXPECT_TRUE(Contains(problems[0]["message"], "outside the lake root")) << problems[0].dump();
    const nlohmann::json* e = FindEntity(report, name);
    ASSERT_NE(e, nullptr);
    for (const auto& p : (*e)["partitions"]) EXPECT_FALSE(Contains(p["location"], "passwd")) << p.dump();

    RunResult sql = Sql(lake, "SELECT * FROM \"" + name + "\"");
    EXPECT_TRUE(FailedCleanly(sql));
    EXPECT_TRUE(Contains(sql.err, "outside the lake")) << sql.err;
    EXPECT_TRUE(Contains(sql.err, name)) << sql.err;
    EXPECT_FALSE(Contains(sql.out + sql.err, "root:x:0")) << "the file was read";
  }
  EXPECT_TRUE(Succeeded(Sql(lake, "SELECT count(*) FROM Orders"))) << "good entities still answer";
}

TEST_F(BadInputE2E, SymlinksOutOfTheLakeAreRefused) {
  std::string lake = ShopLake();
  const std::string outside = dir_.path() + "/outside";
  WriteFile(outside + "/secret.csv", "42,\"top secret\",1\n");
  fs::create_symlink(outside + "/secret.csv", lake + "/Data/link.csv");
  fs::create_symlink("../../outside/secret.csv", lake + "/Data/relative-link.csv");
  fs::create_symlink(outside, lake + "/Linked");
  fs::create_symlink("orders1.csv", lake + "/Data/alias.csv");  // stays inside: fine
  nlohmann::ordered_json pattern = {
      {"type", "LocalEntity"},
      {"entityName", "Folder"},
      {"entityPath", "Orders.cdm.json/Orders"},
      {"dataPartitionPatterns",
       nlohmann::ordered_json::array({{{"name", "all"}, {"rootLocation", "Linked"}, {"globPattern", "*.csv"}}})}};
  WriteManifest(lake + "/default.manifest.cdm.json", "shop",
                nlohmann::ordered_json::array(
                    {LocalEntity("Orders", "Orders.cdm.json/Orders", {"Data/orders1.csv", "Data/orders2.csv"}),
                     LocalEntity("Secret", "Orders.cdm.json/Orders", {"Data/link.csv"}),
                     LocalEntity("Relative", "Orders.cdm.json/Orders", {"Data/relative-link.csv"}), pattern,
                     LocalEntity("Alias", "Orders.cdm.json/Orders", {"Data/alias.csv"})}));
  for (const std::string name : {"Secret", "Relative", "Folder"}) {
    SCOPED_TRACE(name);
    RunResult sql = Sql(lake, "SELECT * FROM " + name);
    EXPECT_TRUE(FailedCleanly(sql));
    EXPECT_TRUE(Contains(sql.err, "outside the lake")) << sql.err;
    EXPECT_TRUE(Contains(sql.err, name)) << sql.err;
    EXPECT_FALSE(Contains(sql.out, "secret")) << sql.out;
  }
  RunResult secret = Sql(lake, "SELECT * FROM Secret");
  EXPECT_TRUE(Contains(secret.err, "Data/link.csv")) << secret.err;
  RunResult alias = Sql(lake, "SELECT count(*) FROM Alias");
  EXPECT_TRUE(Succeeded(alias));
  EXPECT_EQ(alias.out, "count_star()\n2\n");
}

TEST_F(BadInputE2E, SubManifestCycleEndsWithAnError) {
  std::string lake = ShopLake();
  // The root includes sub/sub.manifest.cdm.json, which includes the root again.
  WriteManifest(lake + "/default.manifest.cdm.json", "shop",
                nlohmann::ordered_json::array(
                    {LocalEntity("Orders", "Orders.cdm.json/Orders", {"Data/orders1.csv", "Data/orders2.csv"})}),
                {{"sub", "sub/sub.manifest.cdm.json"}});
  WriteManifest(lake + "/sub/sub.manifest.cdm.json", "sub", nlohmann::ordered_json::array(),
                {{"shop", "../default.manifest.cdm.json"}});
  RunResult run;
  nlohmann::json report = InspectJson(lake, {}, &run);
  EXPECT_FALSE(run.signaled) << run.Describe();
  EXPECT_EQ(run.exit_code, 1) << run.Describe();
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report["entities"].size(), 1u) << "each document is read once";
  bool named = false;
  for (const auto& p : report["problems"]) named |= Contains(p["message"], "default.manifest.cdm.json");
  EXPECT_TRUE(named) << DumpProblems(report);
}

// A query uses only the entities it names: a broken entity elsewhere must not make it fail.
TEST_F(BadInputE2E, BrokenEntityOfTheSameNameInAnotherSchemaIsNotUsed) {
  const std::string lake = dir_.path() + "/tworoots";
  for (const std::string schema : {"alpha", "beta"}) {
    WriteEntityDoc(lake + "/" + schema + "/Customer.cdm.json", "Customer", {{"Id", "Int64"}});
    WriteManifest(lake + "/" + schema + "/default.manifest.cdm.json", schema,
                  nlohmann::ordered_json::array({LocalEntity("Customer", "Customer.cdm.json/Customer", {"c.csv"})}));
  }
  WriteFile(lake + "/alpha/c.csv", "1\n2\n");  // beta/c.csv is missing
  RunResult alpha = Sql(lake, "SELECT sum(Id) FROM alpha.Customer");
  EXPECT_TRUE(Succeeded(alpha)) << "beta.Customer is broken, but the query reads alpha.Customer";
  EXPECT_EQ(alpha.out, "sum(Id)\n3\n");
  RunResult beta = Sql(lake, "SELECT sum(Id) FROM beta.Customer");
  EXPECT_TRUE(FailedCleanly(beta));
  EXPECT_TRUE(Contains(beta.err, "beta/c.csv")) << beta.err;
}

TEST_F(BadInputE2E, BrokenEntityNamedLikeAColumnIsNotUsed) {
  std::string lake = ShopLake();
  WriteManifest(lake + "/default.manifest.cdm.json", "shop",
                nlohmann::ordered_json::array(
                    {LocalEntity("Orders", "Orders.cdm.json/Orders", {"Data/orders1.csv", "Data/orders2.csv"}),
                     LocalEntity("Note", "Orders.cdm.json/Orders", {"Data/missing.csv"})}));
  RunResult r = Sql(lake, "SELECT count(Note) FROM Orders");
  EXPECT_TRUE(Succeeded(r)) << "the query uses the column Orders.Note, not the (broken) entity Note";
  EXPECT_EQ(r.out, "count(Note)\n5\n");
}

// ---------------------------------------------------------------------------------------------------------
// Data rows.

TEST_F(BadInputE2E, BadRowInAFileWithAHeaderRow) {
  const std::string lake = dir_.path() + "/pbi";
  WriteFile(lake + "/model.json", R"({
  "name": "crm",
  "version": "1.0",
  "entities": [ { "$type": "LocalEntity", "name": "Account",
    "attributes": [ { "name": "id", "dataType": "int64" }, { "name": "name", "dataType": "string" },
                    { "name": "revenue", "dataType": "decimal" } ],
    "partitions": [ { "name": "p", "location": "https://acct.dfs.core.windows.net/crm/Account/p.csv",
                      "fileFormatSettings": { "$type": "CsvFormatSettings", "columnHeaders": true } } ] } ]
}
)");
  // Physical lines: 1 header, 2 row, 3-4 a two-line row, 5 the bad row.
  WriteFile(lake + "/Account/p.csv", "id,name,revenue\n1,\"a\",1\n2,\"two\nlines\",2\n3,\"c\",lots\n4,\"d\",4\n");
  RunResult r = Sql(lake, "SELECT * FROM Account");
  EXPECT_TRUE(FailedCleanly(r));
  EXPECT_TRUE(Contains(r.err, "Account/p.csv:5")) << r.err;
  EXPECT_TRUE(Contains(r.err, "revenue")) << r.err;
  EXPECT_TRUE(Contains(r.err, "Account")) << r.err;
}

TEST_F(BadInputE2E, RowWithMoreColumnsThanTheSchema) {
  // Record 2 of the file starts on physical line 4 (record 1 spans three lines).
  std::string lake = ShopLake("3,\"multi\nline\nnote\",3\n4,\"ok\",4,extra\n5,\"fine\",5\n");
  for (const std::string query : {"SELECT * FROM Orders", "SELECT count(*) FROM Orders"}) {
    SCOPED_TRACE(query);
    RunResult sql = Sql(lake, query);
    EXPECT_TRUE(FailedCleanly(sql));
    EXPECT_TRUE(Contains(sql.err, "Data/orders2.csv:4")) << sql.err;
    EXPECT_TRUE(Contains(sql.err, "Orders")) << sql.err;
    EXPECT_TRUE(Contains(sql.err, "quarantine")) << "hint at --on-error quarantine: " << sql.err;
    EXPECT_TRUE(sql.out.empty()) << sql.out;
  }
}

TEST_F(BadInputE2E, ValueThatDoesNotParseAsItsType) {
  std::string lake = ShopLake("3,\"multi\nline\nnote\",3\n4,\"ok\",4\n5,\"bad amount\",abc\n");
  RunResult sql = Sql(lake, "SELECT * FROM Orders");
  EXPECT_TRUE(FailedCleanly(sql));
  EXPECT_TRUE(Contains(sql.err, "Data/orders2.csv:5")) << sql.err;
  EXPECT_TRUE(Contains(sql.err, "Amount")) << "names the column: " << sql.err;
  EXPECT_TRUE(Contains(sql.err, "Orders")) << sql.err;
  EXPECT_TRUE(Contains(sql.err, "quarantine")) << sql.err;
  // A bad integer key in the first file, first line.
  std::string lake2 = ShopLake("3,\"x\",3\n", "shop", "shop2");
  WriteFile(lake2 + "/Data/orders1.csv", "one,\"a\",1\n2,\"b\",2\n");
  RunResult sql2 = Sql(lake2, "SELECT Id FROM Orders");
  EXPECT_TRUE(FailedCleanly(sql2));
  EXPECT_TRUE(Contains(sql2.err, "Data/orders1.csv:1")) << sql2.err;
  EXPECT_TRUE(Contains(sql2.err, "Id")) << sql2.err;
}

const char* const kTwoBadRows = "3,\"multi\nline\nnote\",3\n4,\"ok\",4,extra\n5,\"fine\",5\n6,\"bad amount\",abc\n7,\"z\",7\n";

TEST_F(BadInputE2E, QuarantineMovesBadRowsAside) {
  std::string lake = ShopLake(kTwoBadRows);
  RunResult q = Sql(lake, "SELECT count(*) AS n, sum(Id) AS ids FROM Orders", {"--on-error", "quarantine"});
  ASSERT_TRUE(Succeeded(q));
  EXPECT_EQ(q.out, "n,ids\n5,18\n") << "the good rows 1, 2, 3, 5 and 7";
  EXPECT_TRUE(Contains(q.err, "quarantined 2 rows of shop.Orders (5 read)")) << q.err;
  // -q hides the notice, as it hides warnings; the result is the same.
  RunResult quiet = RunCdmlake({"-q", "--lake", lake, "sql", "--format", "csv", "--on-error", "quarantine",
                                "SELECT count(*) AS n, sum(Id) AS ids FROM Orders"});
  ASSERT_TRUE(Succeeded(quiet)) << quiet.Describe();
  EXPECT_EQ(quiet.out, q.out);
  EXPECT_FALSE(Contains(quiet.err, "quarantined")) << quiet.err;

  RunResult corrupt = Sql(lake, "SELECT file, column_name, error_type, reason, original_line FROM Orders_Corrupt "
                                "ORDER BY original_line",
                          {"--on-error", "quarantine"});
  ASSERT_TRUE(Succeeded(corrupt));
  auto rows = ParseCsv(corrupt.out);
  ASSERT_EQ(rows.size(), 3u) << corrupt.out;
  EXPECT_EQ(rows[1][0], "Data/orders2.csv");
  EXPECT_EQ(rows[1][1], "");
  EXPECT_FALSE(rows[1][2].empty());
  EXPECT_FALSE(rows[1][3].empty());
  EXPECT_EQ(rows[1][4], "4,\"ok\",4,extra");
  EXPECT_EQ(rows[2][0], "Data/orders2.csv");
  EXPECT_EQ(rows[2][1], "Amount");
  EXPECT_TRUE(Contains(rows[2][3], "Amount")) << rows[2][3];
  EXPECT_EQ(rows[2][4], "6,\"bad amount\",abc");

  // The copy in the lake, readable as CSV and by later runs without --on-error.
  const std::string copy = lake + "/_cdmlake/quarantine/shop/Orders_Corrupt.csv";
  ASSERT_TRUE(FileExists(copy));
  auto saved = ParseCsv(ReadFile(copy));
  ASSERT_EQ(saved.size(), 3u);
  EXPECT_EQ(saved[0], (std::vector<std::string>{"file", "line", "record", "column_name", "error_type", "reason",
                                                "original_line"}));
  std::set<std::string> originals{saved[1][6], saved[2][6]};
  std::set<std::string> lines{saved[1][1], saved[2][1]};
  EXPECT_EQ(lines, (std::set<std::string>{"4", "6"})) << "physical lines";
  EXPECT_EQ(originals, (std::set<std::string>{"4,\"ok\",4,extra", "6,\"bad amount\",abc"}));

  RunResult later = Sql(lake, "SELECT file, column_name, error_type, reason, original_line FROM Orders_Corrupt "
                              "ORDER BY original_line");
  ASSERT_TRUE(Succeeded(later));
  EXPECT_EQ(later.out, corrupt.out);
  RunResult qualified = Sql(lake, "SELECT count(*) FROM \"shop\".\"Orders_Corrupt\"");
  ASSERT_TRUE(Succeeded(qualified));
  EXPECT_EQ(qualified.out, "count_star()\n2\n");
  // The data itself is still refused without --on-error quarantine.
  EXPECT_TRUE(FailedCleanly(Sql(lake, "SELECT * FROM Orders")));
}

// The quarantine table's line is the line a person finds the row at: the same physical line the default mode
// reports (records spanning several lines count all their lines).
TEST_F(BadInputE2E, QuarantineLinesMatchTheLinesOfTheErrorMessages) {
  std::string lake = ShopLake(kTwoBadRows);
  RunResult fail = Sql(lake, "SELECT * FROM Orders");
  ASSERT_TRUE(FailedCleanly(fail));
  std::smatch m;
  ASSERT_TRUE(std::regex_search(fail.err, m, std::regex("Data/orders2\\.csv:(\\d+)"))) << fail.err;
  EXPECT_EQ(m[1].str(), "4");
  RunResult corrupt = Sql(lake, "SELECT line, original_line FROM Orders_Corrupt ORDER BY original_line",
                          {"--on-error", "quarantine"});
  ASSERT_TRUE(Succeeded(corrupt));
  auto rows = ParseCsv(corrupt.out);
  ASSERT_EQ(rows.size(), 3u) << corrupt.out;
  EXPECT_EQ(rows[1][0], m[1].str()) << "row '" << rows[1][1] << "': the error message says line " << m[1]
                                    << ", the quarantine table says line " << rows[1][0];
  EXPECT_EQ(rows[2][0], "6") << "row '" << rows[2][1] << "' starts on physical line 6 of Data/orders2.csv";
}

TEST_F(BadInputE2E, QuarantineCopyIsRemovedWhenTheDataIsFixed) {
  std::string lake = ShopLake(kTwoBadRows);
  ASSERT_TRUE(Succeeded(Sql(lake, "SELECT count(*) FROM Orders", {"--on-error", "quarantine"})));
  const std::string copy = lake + "/_cdmlake/quarantine/shop/Orders_Corrupt.csv";
  ASSERT_TRUE(FileExists(copy));
  WriteFile(lake + "/Data/orders2.csv", "3,\"multi\nline\nnote\",3\n4,\"ok\",4\n");
  RunResult q = Sql(lake, "SELECT count(*) FROM Orders", {"--on-error", "quarantine"});
  ASSERT_TRUE(Succeeded(q));
  EXPECT_EQ(q.out, "count_star()\n4\n");
  EXPECT_FALSE(Contains(q.err, "quarantined")) << q.err;
  EXPECT_FALSE(FileExists(copy));
  RunResult empty = Sql(lake, "SELECT count(*) FROM Orders_Corrupt", {"--on-error", "quarantine"});
  ASSERT_TRUE(Succeeded(empty));
  EXPECT_EQ(empty.out, "count_star()\n0\n");
}

TEST_F(BadInputE2E, QuarantineCopyStaysInsideTheLake) {
  // A manifest name is data from the lake, not a path: it must not steer where files are written.
  std::string lake = ShopLake(kTwoBadRows, "../../../escaped", "a/b/lake");
  RunResult q = Sql(lake, "SELECT count(*) FROM Orders", {"--on-error", "quarantine"});
  EXPECT_FALSE(q.signaled) << q.Describe();
  for (const std::string& file : ListFilesRecursive(dir_.path())) {
    EXPECT_EQ(file.rfind("a/b/lake/", 0), 0u) << "cdmlake wrote " << dir_.path() << "/" << file
                                              << ", outside the lake " << lake << "\n"
                                              << q.Describe();
  }
}

// ---------------------------------------------------------------------------------------------------------
// The command line.

TEST_F(BadInputE2E, NonexistentLakeFolder) {
  const std::string missing = dir_.path() + "/no-such-lake";
  for (const std::vector<std::string>& command :
       {std::vector<std::string>{"sql", "SELECT 1"}, std::vector<std::string>{"lake", "inspect"}}) {
    std::vector<std::string> args{"--lake", missing};
    args.insert(args.end(), command.begin(), command.end());
    RunResult r = RunCdmlake(args);
    EXPECT_TRUE(FailedCleanly(r));
    EXPECT_TRUE(Contains(r.err, missing)) << r.err;
  }
  // A file is not a lake either.
  WriteFile(dir_.path() + "/file.txt", "x");
  RunResult file = RunCdmlake({"--lake", dir_.path() + "/file.txt", "sql", "SELECT 1"});
  EXPECT_TRUE(FailedCleanly(file));
  EXPECT_TRUE(Contains(file.err, "file.txt")) << file.err;
}

TEST_F(BadInputE2E, SqlSyntaxError) {
  std::string lake = ShopLake();
  RunResult r = Sql(lake, "SELEC count(*) FROM Orders");
  EXPECT_TRUE(FailedCleanly(r));
  EXPECT_TRUE(Contains(r.err, "syntax error")) << r.err;
  RunResult unknown = Sql(lake, "SELECT * FROM NoSuchTable");
  EXPECT_TRUE(FailedCleanly(unknown));
  EXPECT_TRUE(Contains(unknown.err, "NoSuchTable")) << unknown.err;
  RunResult column = Sql(lake, "SELECT NoSuchColumn FROM Orders");
  EXPECT_TRUE(FailedCleanly(column));
  EXPECT_TRUE(Contains(column.err, "NoSuchColumn")) << column.err;
}

TEST(CliE2E, UnknownSubcommandIsNamed) {
  RunResult r = RunCdmlake({"frobnicate"});
  EXPECT_TRUE(FailedCleanly(r));
  EXPECT_TRUE(Contains(r.err, "frobnicate")) << "the message should name the unknown command:\n" << r.err;
  RunResult nested = RunCdmlake({"lake", "frobnicate"});
  EXPECT_TRUE(FailedCleanly(nested));
  EXPECT_TRUE(Contains(nested.err, "frobnicate")) << nested.err;
}

TEST(CliE2E, BadOptionsAreUserErrors) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"sql", "--format", "xml", "SELECT 1"},
        std::vector<std::string>{"sql", "--on-error", "ignore", "SELECT 1"},
        std::vector<std::string>{"sql", "--bogus", "SELECT 1"}, std::vector<std::string>{"sql"},
        std::vector<std::string>{"--threads", "many", "sql", "SELECT 1"},
        std::vector<std::string>{"generate", "--scale", "0", "--out", "/tmp/never-written-by-cdmlake-e2e"},
        std::vector<std::string>{"generate"}, std::vector<std::string>{}}) {
    RunResult r = RunCdmlake(args);
    EXPECT_TRUE(FailedCleanly(r)) << r.command;
  }
  EXPECT_FALSE(FileExists("/tmp/never-written-by-cdmlake-e2e"));
}

TEST(CliE2E, HelpOnEveryCommand) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--help"}, std::vector<std::string>{"generate", "--help"},
        std::vector<std::string>{"lake", "--help"}, std::vector<std::string>{"lake", "inspect", "--help"},
        std::vector<std::string>{"sql", "--help"}}) {
    RunResult r = RunCdmlake(args);
    EXPECT_EQ(r.exit_code, 0) << r.Describe();
    EXPECT_TRUE(Contains(r.out, "Usage") || Contains(r.out, "usage")) << r.Describe();
  }
  RunResult version = RunCdmlake({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_TRUE(Contains(version.out, "cdmlake")) << version.out;
}

// A thread count in the environment that means nothing is an error, not a setting silently ignored.
TEST_F(BadInputE2E, UnreadableThreadCountInTheEnvironment) {
  std::string lake = ShopLake();
  RunResult bad = RunCdmlake({"--lake", lake, "sql", "SELECT 1"}, "", {{"CDMLAKE_THREADS", "abc"}});
  EXPECT_EQ(bad.exit_code, 1) << bad.Describe();
  EXPECT_TRUE(Contains(bad.err, "CDMLAKE_THREADS is 'abc', not a positive whole number")) << bad.Describe();
  EXPECT_TRUE(Contains(bad.err, "hint: set it to a count such as 2")) << bad.Describe();
  EXPECT_TRUE(bad.out.empty()) << bad.Describe();
  RunResult good = RunCdmlake({"--lake", lake, "sql", "--format", "csv", "SELECT 1 AS one"}, "", {{"CDMLAKE_THREADS", "1"}});
  ASSERT_TRUE(Succeeded(good));
  EXPECT_EQ(good.out, "one\n1\n");
}

}  // namespace
}  // namespace cdmlake_e2e
