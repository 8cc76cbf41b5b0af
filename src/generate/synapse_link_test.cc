#include "generate/synapse_link.h"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "generate/change_format.h"

namespace cdmlake::generate {
namespace {

SynapseLinkOptions Options(int64_t scale = 1000, uint64_t seed = 5) {
  SynapseLinkOptions o;
  o.out_dir = "/syn";
  o.scale = scale;
  o.seed = seed;
  o.changes.percent = 10;
  return o;
}

std::vector<std::vector<std::string>> Records(FileSystem& fs, const std::string& path) {
  return SplitRawCsv(fs.ReadFile(path));
}

TEST(SynapseLinkTest, WritesTheFoldersTheChangelogAndTheTruth) {
  MemoryFileSystem fs;
  SynapseLinkSummary summary = GenerateSynapseLinkLake(fs, Options(), nullptr);
  ASSERT_EQ(summary.folders.size(), 4u);
  EXPECT_EQ(summary.in_progress, "2024-06-15T13.00.00Z");
  EXPECT_EQ(fs.ReadFile("/syn/Changelog/changelog.info"), "2024-06-15T13.00.00Z");
  EXPECT_EQ(fs.ReadFile("/syn/2024-06-15T13.00.00Z/model.json"), "") << "the folder being written";
  auto root = nlohmann::json::parse(fs.ReadFile("/syn/model.json"));
  ASSERT_EQ(root["entities"].size(), 3u);
  EXPECT_EQ(root["entities"][0]["name"], "salesline");
  const auto& attributes = root["entities"][0]["attributes"];
  ASSERT_EQ(attributes.size(), 3u + 17u + 5u);
  EXPECT_EQ(attributes[0]["name"], "Id");
  EXPECT_EQ(attributes[23]["name"], "IsDelete");
  EXPECT_EQ(attributes[24]["name"], "owningbusinessunitname");
  auto older = nlohmann::json::parse(fs.ReadFile("/syn/2024-06-15T11.00.00Z/model.json"));
  EXPECT_EQ(older["entities"][0]["attributes"].size(), 24u) << "the column is added in the third folder";
  EXPECT_EQ(older["entities"][0]["partitions"].size(), 1u);

  // The third folder mixes rows without and with the new column, and ends with stale rows.
  auto rows = Records(fs, "/syn/2024-06-15T12.00.00Z/salesline/2024.csv");
  std::set<size_t> widths;
  for (const auto& r : rows) widths.insert(r.size());
  EXPECT_EQ(widths, (std::set<size_t>{24, 25}));
  // Sink* times are US culture; deletes say True.
  const auto first = Records(fs, "/syn/2024-06-15T10.00.00Z/salesline/2023.csv").front();
  EXPECT_EQ(first[2].substr(0, 11), "\"6/15/2024 ");
  int deletes = 0;
  for (const auto& r : rows) deletes += r[23] == "True";
  EXPECT_GT(deletes, 0);
  EXPECT_EQ(summary.tables[0].final_rows, static_cast<int64_t>(Records(fs, "/syn/_truth/salesline.csv").size()));
}

// The rows Synapse Link writes must converge to the same rows as the change script they come from: stale rows
// and duplicates never change the outcome.
TEST(SynapseLinkTest, TruthMatchesTheChangeScript) {
  MemoryFileSystem fs;
  GenerateSynapseLinkLake(fs, Options(), nullptr);
  MemoryFileSystem d365;
  D365LakeSummary lake = GenerateD365Lake(d365, D365LakeOptions{"/d365", 1000, 5}, nullptr);
  for (const GeneratedTable& t : lake.tables) {
    if (t.name != "SalesLine" && t.name != "CustTable") continue;
    ChangeScript script = PlanChanges(ReadGeneratedTable(d365, "/d365", t), 10, 5);
    std::multiset<std::string> expected, actual;
    for (const auto& row : FinalRows(script)) expected.insert(CsvRecord(row));
    std::string lower = t.name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const auto& r : Records(fs, "/syn/_truth/" + lower + ".csv")) {
      // Id, SinkCreatedOn, SinkModifiedOn, the table's columns, then Synapse Link's own.
      actual.insert(CsvRecord(std::vector<std::string>(r.begin() + 3, r.begin() + 3 + static_cast<long>(script.table.columns.size()))));
    }
    EXPECT_EQ(actual, expected) << t.name;
  }
}

TEST(SynapseLinkTest, SameSeedSameBytes) {
  MemoryFileSystem a, b, c;
  GenerateSynapseLinkLake(a, Options(300, 1), nullptr);
  GenerateSynapseLinkLake(b, Options(300, 1), nullptr);
  GenerateSynapseLinkLake(c, Options(300, 2), nullptr);
  EXPECT_EQ(a.files(), b.files());
  EXPECT_NE(a.files(), c.files());
}

}  // namespace
}  // namespace cdmlake::generate
