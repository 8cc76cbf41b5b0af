#include "generate/changes.h"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "generate/change_format.h"
#include "util/error.h"

namespace cdmlake::generate {
namespace {

constexpr const char* kRoot = "/lake";

D365LakeSummary MakeLake(MemoryFileSystem& fs, int64_t scale = 1000, uint64_t seed = 7) {
  return GenerateD365Lake(fs, D365LakeOptions{kRoot, scale, seed}, nullptr);
}

std::map<std::string, std::string> FilesBelow(const MemoryFileSystem& fs, const std::string& prefix) {
  std::map<std::string, std::string> out;
  for (const auto& [path, bytes] : fs.files()) {
    if (path.rfind(prefix, 0) == 0) out[path] = bytes;
  }
  return out;
}

TEST(ChangeFormatTest, SplitsRawRecordsKeepingQuotes) {
  auto records = SplitRawCsv("1,\"a,\"\"b\"\"\nc\",x\r\n2,,\"\"\n3");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0], (std::vector<std::string>{"1", "\"a,\"\"b\"\"\nc\"", "x"}));
  EXPECT_EQ(records[1], (std::vector<std::string>{"2", "", "\"\""}));
  EXPECT_EQ(records[2], (std::vector<std::string>{"3"}));
  EXPECT_EQ(QuoteCsv("say \"hi\", ok"), "\"say \"\"hi\"\", ok\"");
}

TEST(ChangeFormatTest, FormatsTimesLsnsAndGuids) {
  const int64_t t = UnixSeconds(2025, 2, 3, 21, 52, 15);
  EXPECT_EQ(IsoDateTime(t), "\"2025-02-03T21:52:15.0000000Z\"");
  EXPECT_EQ(IsoDateTimeOffset(t), "\"2025-02-03T21:52:15.0000000+00:00\"");
  EXPECT_EQ(UsDateTime(t), "2/3/2025 9:52:15 PM");
  EXPECT_EQ(UsDateTime(UnixSeconds(2025, 12, 31, 0, 5, 0)), "12/31/2025 12:05:00 AM");
  EXPECT_EQ(HexText(0x1E9F00000FB00001ULL, 20), "0X00001E9F00000FB00001");
  EXPECT_EQ(HexText(255, 4, true), "0x00ff");
  EXPECT_EQ(GuidText(0, 0), "00000000-0000-4000-8000-000000000000");
  EXPECT_EQ(DecimalText(1250), "12.5");
  EXPECT_EQ(DecimalText(-300), "-3");
  EXPECT_EQ(DecimalText(123456), "1234.56");
}

TEST(ChangesTest, PlansValidChangesWithReinsertsAndRepeatedKeys) {
  MemoryFileSystem fs;
  D365LakeSummary lake = MakeLake(fs);
  const GeneratedTable& lines = lake.tables[5];
  ASSERT_EQ(lines.name, "SalesLine");
  TableSnapshot table = ReadGeneratedTable(fs, kRoot, lines);
  EXPECT_EQ(table.rows.size(), 1000u);
  EXPECT_EQ(table.columns.size(), 17u);
  EXPECT_EQ(table.key, 0);
  ChangeScript script = PlanChanges(table, 20, 7);
  EXPECT_GE(script.events.size(), 200u);
  // Replaying the events: updates and deletes hit live keys, inserts new or deleted ones.
  std::set<int64_t> live;
  for (const auto& row : table.rows) live.insert(table.KeyOf(row));
  std::map<int, int> kinds;
  std::map<int64_t, int> changes_per_key;
  bool reinserted = false, batch_two = false;
  std::set<int64_t> deleted;
  for (const ChangeEvent& e : script.events) {
    ++kinds[static_cast<int>(e.kind)];
    ++changes_per_key[e.key];
    EXPECT_EQ(table.KeyOf(e.row), e.key);
    if (e.batch == 2) batch_two = true;
    if (e.kind == ChangeKind::kInsert) {
      EXPECT_FALSE(live.count(e.key));
      reinserted |= deleted.count(e.key) > 0;
      live.insert(e.key);
    } else {
      EXPECT_TRUE(live.count(e.key));
      if (e.kind == ChangeKind::kDelete) {
        live.erase(e.key);
        deleted.insert(e.key);
      }
    }
  }
  EXPECT_GT(kinds[static_cast<int>(ChangeKind::kInsert)], 0);
  EXPECT_GT(kinds[static_cast<int>(ChangeKind::kUpdate)], 0);
  EXPECT_GT(kinds[static_cast<int>(ChangeKind::kDelete)], 0);
  EXPECT_TRUE(reinserted);
  EXPECT_TRUE(batch_two);
  int repeated = 0;
  for (const auto& [key, n] : changes_per_key) repeated += n > 1;
  EXPECT_GT(repeated, 5);
  std::vector<std::vector<std::string>> final_rows = FinalRows(script);
  EXPECT_EQ(final_rows.size(), live.size());
}

TEST(ChangesTest, WritesTheFeedWithDisorderDuplicatesAndTruth) {
  MemoryFileSystem fs;
  D365LakeSummary lake = MakeLake(fs);
  const auto tables_before = FilesBelow(fs, "/lake/Tables/");
  ChangeFeedSummary summary = GenerateChangeFeed(fs, kRoot, lake, ChangeOptions{10, 7, {"SalesLine", "SalesTable", "CustTable"}});
  EXPECT_EQ(FilesBelow(fs, "/lake/Tables/"), tables_before) << "the snapshot is not touched";
  ASSERT_EQ(summary.tables.size(), 3u);
  for (const char* name : {"SALESLINE", "SALESTABLE", "CUSTTABLE"}) {
    EXPECT_TRUE(fs.Stat(std::string("/lake/ChangeFeed/") + name + ".cdm.json")) << name;
  }
  auto manifest = nlohmann::json::parse(fs.ReadFile("/lake/ChangeFeed/ChangeFeed.manifest.cdm.json"));
  EXPECT_EQ(manifest["entities"].size(), 3u);
  auto doc = nlohmann::json::parse(fs.ReadFile("/lake/ChangeFeed/SALESLINE.cdm.json"));
  const auto& attributes = doc["definitions"][0]["hasAttributes"];
  ASSERT_EQ(attributes.size(), 17u + 7u);
  EXPECT_EQ(attributes[0]["name"], "Start_LSN");
  EXPECT_EQ(attributes[5]["name"], "RECID");
  EXPECT_EQ(attributes[23]["name"], "DataLakeModified_DateTime");

  // SalesLine's rows: LSNs out of order within a file, exact duplicates, BEFORE_UPDATE rows, and every LSN of
  // batch 2 above every LSN of batch 1.
  std::vector<std::string> batch_lsns[2];
  int out_of_order = 0, before_update = 0, rows = 0;
  std::set<std::string> seen;
  int duplicates = 0;
  for (const auto& [path, bytes] : FilesBelow(fs, "/lake/ChangeFeed/SALESLINE/")) {
    const int batch = path.find("_002_") != std::string::npos ? 1 : 0;
    std::string previous;
    for (const auto& record : SplitRawCsv(bytes)) {
      ASSERT_EQ(record.size(), 24u) << path;
      std::string lsn = record[0];
      for (char& c : lsn) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      out_of_order += !previous.empty() && lsn < previous;
      previous = lsn;
      batch_lsns[batch].push_back(lsn);
      before_update += record[2] == "BEFORE_UPDATE";
      duplicates += !seen.insert(CsvRecord(record)).second;
      ++rows;
    }
  }
  EXPECT_EQ(rows, summary.tables[0].change_rows);
  EXPECT_GT(out_of_order, 0);
  EXPECT_GT(duplicates, 0);
  EXPECT_GT(before_update, 0);
  ASSERT_FALSE(batch_lsns[0].empty());
  ASSERT_FALSE(batch_lsns[1].empty());
  EXPECT_LT(*std::max_element(batch_lsns[0].begin(), batch_lsns[0].end()),
            *std::min_element(batch_lsns[1].begin(), batch_lsns[1].end()));
  // The truth is the table after the script, sorted by RECID.
  ChangeScript script = PlanChanges(ReadGeneratedTable(fs, kRoot, lake.tables[5]), 10, 7);
  std::string truth;
  for (const auto& row : FinalRows(script)) truth += CsvRecord(row);
  EXPECT_EQ(fs.ReadFile("/lake/_truth/SalesLine.csv"), truth);
  EXPECT_EQ(static_cast<int64_t>(SplitRawCsv(truth).size()), summary.tables[0].final_rows);
}

TEST(ChangesTest, SameSeedSameBytesOtherSeedOtherChanges) {
  auto run = [](uint64_t change_seed) {
    MemoryFileSystem fs;
    D365LakeSummary lake = MakeLake(fs, 500, 3);
    GenerateChangeFeed(fs, kRoot, lake, ChangeOptions{5, change_seed, {"SalesLine", "CustTable"}});
    return FilesBelow(fs, "/lake/");
  };
  auto a = run(1), b = run(1), c = run(2);
  EXPECT_EQ(a, b);
  EXPECT_NE(a.at("/lake/ChangeFeed/SALESLINE/SALESLINE_001_01.csv"), c.at("/lake/ChangeFeed/SALESLINE/SALESLINE_001_01.csv"));
}

TEST(ChangesTest, RejectsBadOptions) {
  MemoryFileSystem fs;
  D365LakeSummary lake = MakeLake(fs, 100);
  EXPECT_THROW(GenerateChangeFeed(fs, kRoot, lake, ChangeOptions{0, 1, {"SalesLine"}}), Error);
  EXPECT_THROW(GenerateChangeFeed(fs, kRoot, lake, ChangeOptions{10, 1, {"NoSuchTable"}}), Error);
}

}  // namespace
}  // namespace cdmlake::generate
