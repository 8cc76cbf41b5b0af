// `cdmlake lake refresh` on generated lakes: the refreshed tables equal the expected final state that the
// generator wrote under _truth/ (read here as a plain CDM table, not through refresh), a second refresh changes
// nothing, changes delivered in two parts give the same result, and bad input or a killed refresh leave the
// previous state intact.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.h"

namespace cdmlake_e2e {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kChangedTables = {"SalesLine", "SalesTable", "CustTable"};

RunResult Refresh(const std::string& lake, std::vector<std::string> extra = {},
                  const std::map<std::string, std::string>& env = {}) {
  std::vector<std::string> args{"--lake", lake, "lake", "refresh"};
  args.insert(args.end(), extra.begin(), extra.end());
  return RunCdmlake(args, "", env);
}

// Runs a refresh that must succeed and returns its JSON report.
nlohmann::json RefreshJson(const std::string& lake) {
  RunResult r = Refresh(lake, {"--format", "json"});
  EXPECT_TRUE(Succeeded(r)) << r.Describe();
  try {
    return nlohmann::json::parse(r.out);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not JSON: " << e.what() << "\n" << r.Describe();
    return nlohmann::json::array();
  }
}

std::map<std::string, std::string> Statuses(const nlohmann::json& report) {
  std::map<std::string, std::string> out;
  for (const auto& t : report) out[t["table"].get<std::string>()] = t["status"].get<std::string>();
  return out;
}

// Every file of the refresh state with its bytes.
std::map<std::string, std::string> StateFiles(const std::string& lake) {
  std::map<std::string, std::string> out;
  const std::string dir = lake + "/_cdmlake/refresh";
  if (!FileExists(dir)) return out;
  for (const std::string& f : ListFilesRecursive(dir)) out[f] = ReadFile(dir + "/" + f);
  return out;
}

const GeneratedTableInfo& TableInfo(const std::string& name) {
  for (const auto& t : GeneratedTables()) {
    if (t.name == name) return t;
  }
  throw std::runtime_error("unknown table " + name);
}

// A lake holding only the expected final state of a generated D365 table, read as a plain Tables/ entity.
void MakeD365TruthLake(const std::string& lake, const std::string& table, const std::string& truth) {
  const std::string doc = lake + "/" + TableInfo(table).manifest_folder + "/" + table + ".cdm.json";
  WriteFile(truth + "/Tables/" + table + ".cdm.json", ReadFile(doc));
  WriteFile(truth + "/Tables/" + table + "/truth.csv", ReadFile(lake + "/_truth/" + table + ".csv"));
  WriteManifest(truth + "/Tables/Tables.manifest.cdm.json", "Tables",
                nlohmann::ordered_json::array({LocalEntity(table, table + ".cdm.json/" + table, {table + "/truth.csv"})}));
}

// The same for a Synapse Link table: the root model.json's entity with the truth file as its partition.
void MakeSynapseTruthLake(const std::string& lake, const std::string& table, const std::string& truth) {
  nlohmann::json model = nlohmann::json::parse(ReadFile(lake + "/model.json"));
  nlohmann::json entities = nlohmann::json::array();
  for (auto& e : model["entities"]) {
    if (e["name"] != table) continue;
    e["partitions"] = nlohmann::json::array(
        {{{"name", "truth"}, {"location", "https://account.dfs.core.windows.net/container/truth/" + table + ".csv"}}});
    entities.push_back(e);
  }
  model["entities"] = entities;
  WriteFile(truth + "/model.json", model.dump(2));
  WriteFile(truth + "/truth/" + table + ".csv", ReadFile(lake + "/_truth/" + table + ".csv"));
}

void ExpectSameRows(const std::string& lake, const std::string& truth, const std::string& query) {
  auto actual = SqlCsv(lake, query);
  auto expected = SqlCsv(truth, query);
  ASSERT_TRUE(actual && expected);
  EXPECT_GT(expected->size(), 10u) << query;
  ASSERT_EQ(actual->size(), expected->size()) << query;
  for (size_t i = 0; i < actual->size(); ++i) ASSERT_EQ((*actual)[i], (*expected)[i]) << query << ", row " << i;
}

void ExpectD365MatchesTruth(const std::string& lake, const std::string& scratch) {
  for (const std::string& table : kChangedTables) {
    SCOPED_TRACE(table);
    const std::string truth = scratch + "/truth-" + table;
    fs::remove_all(truth);
    MakeD365TruthLake(lake, table, truth);
    ExpectSameRows(lake, truth, "SELECT * FROM Tables." + table + " ORDER BY RECID");
  }
}

bool GenerateWithChanges(const std::string& out, const std::vector<std::string>& extra) {
  std::vector<std::string> args{"-q", "generate", "--out", out, "--scale", "2000", "--seed", "11"};
  args.insert(args.end(), extra.begin(), extra.end());
  RunResult r = RunCdmlake(args);
  EXPECT_TRUE(Succeeded(r)) << r.Describe();
  return r.exit_code == 0;
}

TEST(RefreshE2E, D365ChangeFeedGivesTheExpectedStateAndASecondRefreshChangesNothing) {
  TempDir dir("cdmlake-e2e-refresh");
  const std::string lake = dir / "lake";
  ASSERT_TRUE(GenerateWithChanges(lake, {"--changes", "10"}));
  nlohmann::json report = RefreshJson(lake);
  EXPECT_EQ(Statuses(report), (std::map<std::string, std::string>{
                                  {"Tables.CustTable", "rebuilt"}, {"Tables.SalesLine", "rebuilt"}, {"Tables.SalesTable", "rebuilt"}}));
  for (const auto& t : report) {
    EXPECT_EQ(t["layout"], "d365-change-feed");
    EXPECT_GT(t["updated"].get<int64_t>() + t["inserted"].get<int64_t>() + t["deleted"].get<int64_t>(), 0);
    EXPECT_EQ(t["rows_after"].get<int64_t>(),
              static_cast<int64_t>(ParseCsv(ReadFile(lake + "/_truth/" + t["table"].get<std::string>().substr(7) + ".csv")).size()));
  }
  ExpectD365MatchesTruth(lake, dir.path());
  // Tables without a change feed read their raw files as before.
  EXPECT_EQ(SqlScalar(lake, "SELECT count(*) FROM Tables.CustGroup"), "6");

  const auto state = StateFiles(lake);
  EXPECT_EQ(state.size(), 6u) << "state.json and one Parquet file per table";
  RunResult again = Refresh(lake);
  ASSERT_TRUE(Succeeded(again));
  EXPECT_TRUE(Contains(again.out, "up to date")) << again.out;
  EXPECT_FALSE(Contains(again.out, "refreshed")) << again.out;
  EXPECT_EQ(StateFiles(lake), state) << "a refresh with nothing new writes nothing";
}

TEST(RefreshE2E, D365ChangesDeliveredInTwoPartsGiveTheSameState) {
  TempDir dir("cdmlake-e2e-refresh");
  const std::string lake = dir / "lake";
  ASSERT_TRUE(GenerateWithChanges(lake, {"--changes", "10"}));
  // Hold back the newer batch of every change feed.
  const std::string held = dir / "held";
  for (std::string table : {"SALESLINE", "SALESTABLE", "CUSTTABLE"}) {
    for (const std::string& f : ListFiles(lake + "/ChangeFeed/" + table, ".csv")) {
      if (!Contains(fs::path(f).filename().string(), "_002_")) continue;
      fs::create_directories(held + "/" + table);
      fs::rename(f, held + "/" + table + "/" + fs::path(f).filename().string());
    }
  }
  EXPECT_EQ(Statuses(RefreshJson(lake)).at("Tables.SalesLine"), "rebuilt");
  CopyTree(held, lake + "/ChangeFeed");
  nlohmann::json report = RefreshJson(lake);
  for (const auto& t : report) {
    EXPECT_EQ(t["status"], "refreshed") << t.dump();
    EXPECT_EQ(t["change_files"], 2) << "only the new files are read";
  }
  ExpectD365MatchesTruth(lake, dir.path());
}

TEST(RefreshE2E, SynapseLinkFoldersGiveTheExpectedStateAlsoFolderByFolder) {
  TempDir dir("cdmlake-e2e-refresh");
  const std::string lake = dir / "lake";
  ASSERT_TRUE(GenerateWithChanges(lake, {"--layout", "synapse-link", "--changes", "10"}));
  // First as if the third folder were still being written, then after it was finalized.
  const std::string changelog = lake + "/Changelog/changelog.info";
  const std::string in_progress = ReadFile(changelog);
  WriteFile(changelog, "2024-06-15T12.00.00Z");
  nlohmann::json first = RefreshJson(lake);
  ASSERT_EQ(first.size(), 3u);
  for (const auto& t : first) {
    EXPECT_EQ(t["status"], "rebuilt");
    EXPECT_EQ(t["watermark"], "2024-06-15T11.00.00Z");
  }
  WriteFile(changelog, in_progress);
  nlohmann::json second = RefreshJson(lake);
  for (const auto& t : second) {
    EXPECT_EQ(t["status"], "refreshed");
    EXPECT_EQ(t["watermark"], "2024-06-15T12.00.00Z");
    ASSERT_EQ(t["notes"].size(), 1u);
    EXPECT_TRUE(Contains(t["notes"][0].get<std::string>(), "2024-06-15T13.00.00Z (in progress")) << t.dump();
  }
  for (std::string table : {"salesline", "salestable", "custtable"}) {
    SCOPED_TRACE(table);
    MakeSynapseTruthLake(lake, table, dir / ("truth-" + table));
    ExpectSameRows(lake, dir / ("truth-" + table), "SELECT * FROM cdm." + table + " ORDER BY Id");
  }
  // Rebuilt from every folder at once, the state is the same.
  const std::string once = dir / "once";
  CopyTree(lake, once);
  fs::remove_all(once + "/_cdmlake");
  EXPECT_EQ(Statuses(RefreshJson(once)).at("cdm.salesline"), "rebuilt");
  ExpectSameRows(once, dir / "truth-salesline", "SELECT * FROM cdm.salesline ORDER BY Id");
}

TEST(RefreshE2E, BadChangeRowsFailNamingTheFileAndLineAndChangeNothing) {
  TempDir dir("cdmlake-e2e-refresh");
  const std::string lake = dir / "lake";
  ASSERT_TRUE(GenerateWithChanges(lake, {"--changes", "5"}));
  ASSERT_TRUE(Succeeded(Refresh(lake)));
  const auto state = StateFiles(lake);
  const std::string before = ReadFile(lake + "/_cdmlake/refresh/Tables/CustTable/state.json");
  const std::string file = lake + "/ChangeFeed/CUSTTABLE/CUSTTABLE_003_01.csv";
  // ACCOUNTNUM, ten empty columns, LastProcessedChange_DateTime and DataLakeModified_DateTime.
  const std::string row = ",\"x\"" + std::string(11, ',') + "\"2024-07-09T00:00:00.0000000Z\",\"2024-07-09T00:00:00.0000000Z\"\n";

  // An unknown DML_Action on line 2.
  WriteFile(file, "0X0000FFFF000000000001,,AFTER_UPDATE,0X0001,,5637144576" + row +
                      "0X0000FFFF000000000002,,MERGE,0X0001,,5637144577" + row);
  RunResult bad = Refresh(lake);
  EXPECT_TRUE(FailedCleanly(bad)) << bad.Describe();
  EXPECT_TRUE(Contains(bad.err, "ChangeFeed/CUSTTABLE/CUSTTABLE_003_01.csv:2")) << bad.err;
  EXPECT_TRUE(Contains(bad.err, "unknown DML_Action 'MERGE'")) << bad.err;
  EXPECT_TRUE(Contains(bad.out, "Tables.SalesLine")) << "the other tables are still reported\n" << bad.out;
  EXPECT_EQ(StateFiles(lake), state);

  // LSNs below the watermark of the last refresh.
  WriteFile(file, "0X00000000000000000001,,AFTER_UPDATE,0X0001,,5637144576" + row);
  bad = Refresh(lake, {"--table", "Tables.CustTable"});
  EXPECT_TRUE(FailedCleanly(bad)) << bad.Describe();
  EXPECT_TRUE(Contains(bad.err, "CUSTTABLE_003_01.csv:1")) << bad.err;
  EXPECT_TRUE(Contains(bad.err, "went backwards")) << bad.err;
  EXPECT_EQ(StateFiles(lake), state);
  EXPECT_EQ(ReadFile(lake + "/_cdmlake/refresh/Tables/CustTable/state.json"), before);

  fs::remove(file);
  RunResult fine = Refresh(lake);
  EXPECT_TRUE(Succeeded(fine)) << fine.Describe();
  EXPECT_EQ(StateFiles(lake), state);
}

TEST(RefreshE2E, AFinalizedSynapseFolderWithoutModelJsonIsAnError) {
  TempDir dir("cdmlake-e2e-refresh");
  const std::string lake = dir / "lake";
  ASSERT_TRUE(GenerateWithChanges(lake, {"--layout", "synapse-link", "--changes", "5"}));
  fs::remove(lake + "/2024-06-15T11.00.00Z/model.json");
  RunResult r = Refresh(lake, {"--table", "cdm.custtable"});
  EXPECT_TRUE(FailedCleanly(r)) << r.Describe();
  EXPECT_TRUE(Contains(r.err, "2024-06-15T11.00.00Z")) << r.err;
  EXPECT_TRUE(Contains(r.err, "no model.json")) << r.err;
  EXPECT_TRUE(StateFiles(lake).empty());
}

TEST(RefreshE2E, AKilledRefreshLeavesThePreviousStateAndARerunCompletes) {
  TempDir dir("cdmlake-e2e-refresh");
  const std::string lake = dir / "lake";
  ASSERT_TRUE(GenerateWithChanges(lake, {"--changes", "10"}));
  // The newer batch arrives after the first refresh.
  for (const char* f : {"SALESLINE_002_01.csv", "SALESLINE_002_02.csv"}) {
    fs::rename(lake + "/ChangeFeed/SALESLINE/" + f, dir / f);
  }
  ASSERT_TRUE(Succeeded(Refresh(lake, {"--table", "SalesLine"})));
  const auto state = StateFiles(lake);
  const std::string count = SqlScalar(lake, "SELECT count(*) FROM Tables.SalesLine");
  for (const char* f : {"SALESLINE_002_01.csv", "SALESLINE_002_02.csv"}) {
    fs::rename(dir / f, lake + "/ChangeFeed/SALESLINE/" + f);
  }

  RunResult killed = Refresh(lake, {"--table", "SalesLine"}, {{"CDMLAKE_CRASH_AT", "refresh-after-table"}});
  EXPECT_TRUE(killed.signaled) << killed.Describe();
  EXPECT_EQ(SqlScalar(lake, "SELECT count(*) FROM Tables.SalesLine"), count) << "readers see the previous state";
  for (const auto& [file, bytes] : state) EXPECT_TRUE(StateFiles(lake).at(file) == bytes) << file;

  RunResult rerun = Refresh(lake, {"--table", "SalesLine"});
  ASSERT_TRUE(Succeeded(rerun)) << rerun.Describe();
  EXPECT_TRUE(Contains(rerun.out, "refreshed")) << rerun.out;
  // current-000002.parquet, its change log keys-000002.parquet and state.json.
  EXPECT_EQ(StateFiles(lake).size(), 3u) << "the leftover of the killed refresh is gone";
  const std::string truth = dir / "truth";
  MakeD365TruthLake(lake, "SalesLine", truth);
  ExpectSameRows(lake, truth, "SELECT * FROM Tables.SalesLine ORDER BY RECID");
}

TEST(RefreshE2E, CommandLine) {
  TempDir dir("cdmlake-e2e-refresh");
  const std::string lake = dir / "lake";
  ASSERT_TRUE(GenerateLake(lake, 300, 1));
  EXPECT_FALSE(FileExists(lake + "/ChangeFeed")) << "without --changes the lake is as before";
  EXPECT_FALSE(FileExists(lake + "/_truth"));
  RunResult none = Refresh(lake);
  EXPECT_TRUE(Succeeded(none)) << none.Describe();
  EXPECT_TRUE(Contains(none.out, "no table of the lake")) << none.out;
  RunResult unknown = Refresh(lake, {"--table", "Tables.SalesLine"});
  EXPECT_TRUE(FailedCleanly(unknown)) << unknown.Describe();
  EXPECT_TRUE(Contains(unknown.err, "no incremental source")) << unknown.err;

  ASSERT_TRUE(GenerateWithChanges(lake, {"--changes", "3"}));
  RunResult table = Refresh(lake, {"--table", "SalesTable"});
  ASSERT_TRUE(Succeeded(table)) << table.Describe();
  for (const char* column : {"before", "after", "inserted", "updated", "deleted", "watermark", "Tables.SalesTable"}) {
    EXPECT_TRUE(Contains(table.out, column)) << table.out;
  }
  EXPECT_FALSE(Contains(table.out, "Tables.SalesLine")) << table.out;
}

}  // namespace
}  // namespace cdmlake_e2e
