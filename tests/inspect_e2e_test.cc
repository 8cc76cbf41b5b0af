// `cdmlake lake inspect` over a generated D365 lake: the JSON report, one manifest, the catalog cache.
#include <sys/stat.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.h"

namespace cdmlake_e2e {
namespace {

namespace fs = std::filesystem;

class InspectE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("cdmlake-e2e-inspect");
    lake_ = dir_->path() + "/lake";
    ready_ = GenerateLake(lake_, 2000, 11);
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(ready_) << "the lake could not be generated"; }

  static TempDir* dir_;
  static std::string lake_;
  static bool ready_;
};

TempDir* InspectE2E::dir_ = nullptr;
std::string InspectE2E::lake_;
bool InspectE2E::ready_ = false;

std::set<std::string> Keys(const nlohmann::json& object) {
  std::set<std::string> keys;
  for (auto it = object.begin(); it != object.end(); ++it) keys.insert(it.key());
  return keys;
}

TEST_F(InspectE2E, JsonReportHasTheDocumentedKeys) {
  RunResult run;
  nlohmann::json report = InspectJson(lake_, {}, &run);
  ASSERT_TRUE(Succeeded(run));
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(Keys(report), (std::set<std::string>{"lake", "entities", "problems"}));
  EXPECT_EQ(report["lake"], lake_);
  ASSERT_TRUE(report["problems"].is_array());
  EXPECT_TRUE(report["problems"].empty()) << report["problems"].dump(2);
  ASSERT_TRUE(report["entities"].is_array());
  for (const auto& e : report["entities"]) {
    EXPECT_EQ(Keys(e), (std::set<std::string>{"name", "schema", "manifest", "document", "readable", "partition_count",
                                              "partitions", "columns"}))
        << e.dump();
    EXPECT_EQ(e["partition_count"].get<size_t>(), e["partitions"].size()) << e["name"];
    for (const auto& p : e["partitions"]) {
      EXPECT_EQ(Keys(p), (std::set<std::string>{"location", "format", "pattern", "arguments", "bytes"})) << p.dump();
      EXPECT_TRUE(p["arguments"].is_object()) << p.dump();
    }
    for (const auto& c : e["columns"]) {
      EXPECT_EQ(Keys(c), (std::set<std::string>{"name", "cdm_type", "data_format", "sql_type", "nullable",
                                                "primary_key", "maximum_length", "precision", "scale", "enum_values"}))
          << c.dump();
      EXPECT_TRUE(c["enum_values"].is_array());
    }
  }
}

TEST_F(InspectE2E, ListsTheEightGeneratedEntities) {
  RunResult run;
  nlohmann::json report = InspectJson(lake_, {}, &run);
  ASSERT_TRUE(Succeeded(run));
  ASSERT_EQ(report["entities"].size(), 8u) << report.dump(1).substr(0, 3000);
  for (const auto& t : GeneratedTables()) {
    SCOPED_TRACE(t.name);
    const nlohmann::json* e = FindEntity(report, t.name);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ((*e)["schema"], "Tables");
    std::string leaf = fs::path(t.manifest_folder).filename().string();
    EXPECT_EQ((*e)["manifest"], t.manifest_folder + "/" + leaf + ".manifest.cdm.json");
    bool resolved = t.name == "InventTable" || t.name == "EcoResProduct";
    EXPECT_EQ((*e)["document"], t.manifest_folder + (resolved ? "/resolved/" : "/") + t.name + ".cdm.json");
    EXPECT_EQ((*e)["readable"], true);
    EXPECT_EQ((*e)["columns"].size(), t.columns);
    // The partitions are exactly the table's CSV files, with their sizes.
    std::vector<std::string> files = ListFiles(GeneratedDataFolder(lake_, t.name), ".csv");
    ASSERT_EQ((*e)["partitions"].size(), files.size());
    std::set<std::string> listed;
    for (const auto& p : (*e)["partitions"]) {
      std::string location = p["location"];
      listed.insert(location);
      EXPECT_EQ(p["format"], "csv");
      ASSERT_TRUE(FileExists(lake_ + "/" + location)) << location;
      EXPECT_EQ(p["bytes"].get<int64_t>(), static_cast<int64_t>(fs::file_size(lake_ + "/" + location))) << location;
    }
    std::set<std::string> on_disk;
    for (const auto& f : files) on_disk.insert(f.substr(lake_.size() + 1));
    EXPECT_EQ(listed, on_disk);
  }
}

TEST_F(InspectE2E, SalesLineColumnsTypesAndEnums) {
  nlohmann::json report = InspectJson(lake_);
  const nlohmann::json* e = FindEntity(report, "SalesLine");
  ASSERT_NE(e, nullptr);
  struct Expected {
    const char* name;
    const char* cdm_type;
    const char* sql_type;
  };
  const std::vector<Expected> expected = {
      {"RECID", "Int64", "BIGINT"},
      {"SALESID", "String", "VARCHAR"},
      {"LINENUM", "Decimal", "DECIMAL(32,6)"},
      {"ITEMID", "String", "VARCHAR"},
      {"NAME", "String", "VARCHAR"},
      {"SALESQTY", "Decimal", "DECIMAL(32,6)"},
      {"SALESPRICE", "Decimal", "DECIMAL(32,6)"},
      {"LINEAMOUNT", "Decimal", "DECIMAL(32,6)"},
      {"CURRENCYCODE", "String", "VARCHAR"},
      {"SALESSTATUS", "Int32", "INTEGER"},
      {"CUSTACCOUNT", "String", "VARCHAR"},
      {"SHIPPINGDATEREQUESTED", "DateTime", "TIMESTAMP"},
      {"SHIPPINGDATECONFIRMED", "DateTime", "TIMESTAMP"},
      {"CREATEDDATETIME", "DateTime", "TIMESTAMP"},
      {"DATAAREAID", "String", "VARCHAR"},
      {"PARTITION", "Int64", "BIGINT"},
      {"RECVERSION", "Int32", "INTEGER"},
  };
  const auto& columns = (*e)["columns"];
  ASSERT_EQ(columns.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(columns[i]["name"], expected[i].name) << "column " << i;
    EXPECT_EQ(columns[i]["cdm_type"], expected[i].cdm_type) << expected[i].name;
    EXPECT_EQ(columns[i]["sql_type"], expected[i].sql_type) << expected[i].name;
  }
  EXPECT_EQ(columns[0]["primary_key"], true);
  EXPECT_EQ(columns[0]["nullable"], false);
  EXPECT_EQ(columns[1]["primary_key"], false);
  EXPECT_EQ(columns[1]["nullable"], true);
  EXPECT_EQ(columns[4]["maximum_length"], 1000);
  EXPECT_EQ(columns[7]["precision"], 32);
  EXPECT_EQ(columns[7]["scale"], 6);
  EXPECT_TRUE(columns[7]["enum_values"].empty());
  const auto& status = columns[9]["enum_values"];
  ASSERT_EQ(status.size(), 5u) << status.dump();
  const std::vector<std::tuple<int, std::string, std::string>> statuses = {
      {0, "None", "None"}, {1, "Backorder", "Open order"}, {2, "Delivered", "Delivered"},
      {3, "Invoiced", "Invoiced"}, {4, "Canceled", "Canceled"}};
  for (size_t i = 0; i < statuses.size(); ++i) {
    EXPECT_EQ(status[i]["value"], std::get<0>(statuses[i]));
    EXPECT_EQ(status[i]["symbol"], std::get<1>(statuses[i]));
    EXPECT_EQ(status[i]["label"], std::get<2>(statuses[i]));
  }
  // SalesLine is always split into at least two explicit partitions.
  EXPECT_GE((*e)["partition_count"].get<int>(), 2);
  for (const auto& p : (*e)["partitions"]) EXPECT_EQ(p["pattern"], "") << p.dump();
}

TEST_F(InspectE2E, InventTablePartitionsComeFromAPattern) {
  nlohmann::json report = InspectJson(lake_);
  const nlohmann::json* e = FindEntity(report, "InventTable");
  ASSERT_NE(e, nullptr);
  ASSERT_GE((*e)["partitions"].size(), 1u);
  for (const auto& p : (*e)["partitions"]) {
    EXPECT_EQ(p["pattern"], "InventTable") << p.dump();
    EXPECT_EQ(p["location"].get<std::string>().rfind(
                  "Tables/SupplyChain/ProductInformationManagement/Main/InventTable/INVENTTABLE_", 0),
              0u)
        << p.dump();
  }
  const nlohmann::json* product = FindEntity(report, "EcoResProduct");
  ASSERT_NE(product, nullptr);
  for (const auto& p : (*product)["partitions"]) EXPECT_EQ(p["pattern"], "") << p.dump();
}

TEST_F(InspectE2E, TableFormatSummarizesTheLake) {
  RunResult r = RunCdmlake({"--lake", lake_, "lake", "inspect"});
  ASSERT_TRUE(Succeeded(r));
  EXPECT_TRUE(Contains(r.out, "lake " + lake_ + ": 8 entities, 0 problems")) << r.out.substr(0, 500);
  EXPECT_TRUE(Contains(r.out, "Tables.SalesLine  (17 columns, 2 partitions)")) << r.out;
  EXPECT_TRUE(Contains(r.out, "LINEAMOUNT")) << r.out;
  // The same report with the lake as the positional PATH and as the working directory.
  RunResult by_path = RunCdmlake({"lake", "inspect", lake_});
  ASSERT_TRUE(Succeeded(by_path));
  EXPECT_EQ(by_path.out, r.out);
  RunResult by_cwd = RunCdmlake({"lake", "inspect"}, lake_);
  ASSERT_TRUE(Succeeded(by_cwd));
  EXPECT_EQ(by_cwd.out, r.out);
  RunResult by_env = RunCdmlake({"lake", "inspect"}, "", {{"CDMLAKE_LAKE", lake_}});
  ASSERT_TRUE(Succeeded(by_env));
  EXPECT_EQ(by_env.out, r.out);
}

TEST_F(InspectE2E, OneManifestInsideTheLake) {
  const std::string manifest = lake_ + "/Tables/SupplyChain/SalesAndMarketing/SalesAndMarketing.manifest.cdm.json";
  ASSERT_TRUE(FileExists(manifest));
  RunResult run;
  nlohmann::json report = InspectJson(lake_, {manifest}, &run);
  ASSERT_TRUE(Succeeded(run));
  ASSERT_EQ(report["entities"].size(), 2u) << report.dump(1).substr(0, 2000);
  std::set<std::string> names;
  for (const auto& e : report["entities"]) {
    names.insert(e["name"]);
    EXPECT_EQ(e["schema"], "SalesAndMarketing");
    EXPECT_EQ(e["manifest"].get<std::string>().rfind("Tables/SupplyChain/SalesAndMarketing/", 0), 0u) << e.dump();
    EXPECT_GE(e["partitions"].size(), 2u);
  }
  EXPECT_EQ(names, (std::set<std::string>{"SalesTable", "SalesLine"}));
  EXPECT_TRUE(report["problems"].empty()) << report["problems"].dump(2);
}

TEST_F(InspectE2E, OneLeafManifestOutsideTheLakeRoot) {
  // No --lake: the manifest's own folder becomes the root, and paths are relative to it.
  const std::string folder = lake_ + "/Tables/Finance/AccountsReceivable/Group";
  RunResult r = RunCdmlake({"lake", "inspect", "--format", "json", folder + "/Group.manifest.cdm.json"});
  ASSERT_TRUE(Succeeded(r));
  nlohmann::json report = nlohmann::json::parse(r.out);
  ASSERT_EQ(report["entities"].size(), 1u);
  const auto& e = report["entities"][0];
  EXPECT_EQ(e["name"], "CustGroup");
  EXPECT_EQ(e["manifest"], "Group.manifest.cdm.json");
  EXPECT_EQ(e["document"], "CustGroup.cdm.json");
  ASSERT_EQ(e["partitions"].size(), 1u);
  EXPECT_EQ(e["partitions"][0]["location"], "CustGroup/CUSTGROUP_00001.csv");
  // A relative path is taken from the working directory.
  RunResult relative = RunCdmlake({"lake", "inspect", "--format", "json", "Group.manifest.cdm.json"}, folder);
  ASSERT_TRUE(Succeeded(relative));
  EXPECT_EQ(relative.out, r.out);
}

TEST_F(InspectE2E, MissingPathIsAUserError) {
  RunResult r = RunCdmlake({"--lake", lake_, "lake", "inspect", lake_ + "/no/such.manifest.cdm.json"});
  EXPECT_TRUE(FailedCleanly(r));
  EXPECT_TRUE(Contains(r.err, "no/such.manifest.cdm.json")) << r.err;
}

// ---------------------------------------------------------------------------------------------------------
// The catalog cache: used when nothing changed, and never stale when a document changes.

class InspectCacheE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    lake_ = dir_.path() + "/lake";
    ASSERT_TRUE(GenerateLake(lake_, 2000, 5));
  }
  std::string Cache() const { return lake_ + "/_cdmlake/catalog.bin"; }
  std::set<std::string> EntityNames(RunResult* run = nullptr, const std::vector<std::string>& args = {}) {
    nlohmann::json report = InspectJson(lake_, args, run);
    std::set<std::string> names;
    if (report.is_object()) {
      for (const auto& e : report["entities"]) names.insert(e["name"]);
    }
    return names;
  }
  static int64_t MtimeNs(const std::string& path) {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return -1;
    return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  }
  static void Replace(const std::string& path, const std::string& from, const std::string& to) {
    std::string text = ReadFile(path);
    size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from << " in " << path;
    text.replace(at, from.size(), to);
    WriteFile(path, text);
  }

  TempDir dir_{"cdmlake-e2e-cache"};
  std::string lake_;
};

TEST_F(InspectCacheE2E, SecondRunUsesTheCacheAndGivesTheSameReport) {
  ASSERT_FALSE(FileExists(Cache()));
  RunResult first = RunCdmlake({"--lake", lake_, "lake", "inspect", "--format", "json"});
  ASSERT_TRUE(Succeeded(first));
  ASSERT_TRUE(FileExists(Cache()));
  int64_t written = MtimeNs(Cache());
  RunResult second = RunCdmlake({"--lake", lake_, "lake", "inspect", "--format", "json"});
  ASSERT_TRUE(Succeeded(second));
  EXPECT_EQ(first.out, second.out);
  EXPECT_EQ(MtimeNs(Cache()), written) << "nothing changed: the cache is read, not rewritten";
  RunResult uncached = RunCdmlake({"--lake", lake_, "lake", "inspect", "--format", "json", "--no-cache"});
  ASSERT_TRUE(Succeeded(uncached));
  EXPECT_EQ(uncached.out, first.out);
}

TEST_F(InspectCacheE2E, RenamedEntityInALeafManifestIsPickedUp) {
  ASSERT_EQ(EntityNames().count("CustGroup"), 1u);
  ASSERT_TRUE(FileExists(Cache()));
  const std::string leaf = lake_ + "/Tables/Finance/AccountsReceivable/Group/Group.manifest.cdm.json";
  Replace(leaf, "\"entityName\": \"CustGroup\"", "\"entityName\": \"CustomerGroup\"");
  std::set<std::string> names = EntityNames();
  EXPECT_EQ(names.count("CustomerGroup"), 1u);
  EXPECT_EQ(names.count("CustGroup"), 0u);
  EXPECT_EQ(names.size(), 8u);
  // SQL sees the new name too (the sql command shares the cache).
  EXPECT_EQ(SqlScalar(lake_, "SELECT count(*) FROM \"Tables\".\"CustomerGroup\""), "6");
  // A rename that keeps the file size (only the modification time changes) is picked up as well.
  Replace(leaf, "\"entityName\": \"CustomerGroup\"", "\"entityName\": \"CustomerGrouq\"");
  names = EntityNames();
  EXPECT_EQ(names.count("CustomerGrouq"), 1u) << "same-size edit";
}

TEST_F(InspectCacheE2E, ChangedEntityDocumentAndNewResolvedCopyArePickedUp) {
  nlohmann::json before = InspectJson(lake_);
  ASSERT_NE(FindEntity(before, "CustGroup"), nullptr);
  ASSERT_EQ((*FindEntity(before, "CustGroup"))["columns"].size(), 7u);
  const std::string folder = lake_ + "/Tables/Finance/AccountsReceivable/Group";
  // A resolved copy appears beside the document: it wins over the one the manifest names.
  nlohmann::json doc = nlohmann::json::parse(ReadFile(folder + "/CustGroup.cdm.json"));
  doc["definitions"][0]["hasAttributes"].push_back(
      {{"name", "EXTRACOLUMN"}, {"dataFormat", "String"}, {"isNullable", true}});
  WriteFile(folder + "/resolved/CustGroup.cdm.json", doc.dump(2));
  nlohmann::json after = InspectJson(lake_);
  const nlohmann::json* e = FindEntity(after, "CustGroup");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ((*e)["document"], "Tables/Finance/AccountsReceivable/Group/resolved/CustGroup.cdm.json");
  EXPECT_EQ((*e)["columns"].size(), 8u);
  // Editing that document is picked up.
  doc["definitions"][0]["hasAttributes"].push_back({{"name", "MORE"}, {"dataFormat", "Int32"}});
  WriteFile(folder + "/resolved/CustGroup.cdm.json", doc.dump(2));
  nlohmann::json edited = InspectJson(lake_);
  e = FindEntity(edited, "CustGroup");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ((*e)["columns"].size(), 9u);
  EXPECT_EQ((*e)["columns"][8]["sql_type"], "INTEGER");
}

TEST_F(InspectCacheE2E, NewPartitionFilesOfAPatternAreListed) {
  nlohmann::json before = InspectJson(lake_);
  ASSERT_NE(FindEntity(before, "InventTable"), nullptr);
  size_t count = (*FindEntity(before, "InventTable"))["partitions"].size();
  const std::string folder = GeneratedDataFolder(lake_, "InventTable");
  fs::copy_file(folder + "/INVENTTABLE_00001.csv", folder + "/INVENTTABLE_00002.csv");
  WriteFile(folder + "/notes.txt", "not data\n");
  nlohmann::json after = InspectJson(lake_);
  ASSERT_NE(FindEntity(after, "InventTable"), nullptr);
  EXPECT_EQ((*FindEntity(after, "InventTable"))["partitions"].size(), count + 1);
  EXPECT_EQ(SqlScalar(lake_, "SELECT count(*) FROM InventTable"), std::to_string(GeneratedRecords(lake_, "InventTable").size()));
}

TEST_F(InspectCacheE2E, DamagedCacheIsRebuilt) {
  ASSERT_EQ(EntityNames().size(), 8u);
  WriteFile(Cache(), "this is not CBOR \xff\xfe garbage");
  RunResult run;
  EXPECT_EQ(EntityNames(&run).size(), 8u);
  EXPECT_TRUE(Succeeded(run));
  WriteFile(Cache(), "");
  EXPECT_EQ(EntityNames(&run).size(), 8u);
  EXPECT_TRUE(Succeeded(run));
  EXPECT_EQ(SqlScalar(lake_, "SELECT count(*) FROM CustGroup"), "6");
}

}  // namespace
}  // namespace cdmlake_e2e
