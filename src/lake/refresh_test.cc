// `lake refresh` of a D365 change feed, and what holds for every layout: the commit protocol, idempotence and
// all-or-nothing failures.
#include "lake/refresh.h"

#include <gtest/gtest.h>

#include "engine/quote.h"
#include "lake/refresh_state.h"
#include "lake/refresh_test_util.h"
#include "util/error.h"

namespace cdmlake::lake {
namespace {

class ChangeFeedRefreshTest : public testing::RefreshTestBase {
 protected:
  void SetUp() override {
    RefreshTestBase::SetUp();
    Write("Tables/Tables.manifest.cdm.json", R"({"manifestName": "Tables", "entities": [
      {"entityName": "Orders", "entityPath": "Orders.cdm.json/Orders",
       "dataPartitions": [{"location": "Orders/ORDERS_00001.csv"}]},
      {"entityName": "Plain", "entityPath": "Plain.cdm.json/Plain", "dataPartitions": [{"location": "Plain/P.csv"}]}]})");
    Write("Tables/Orders.cdm.json", R"({"definitions": [{"entityName": "Orders", "hasAttributes": [
      {"name": "RECID", "dataFormat": "Int64"}, {"name": "NAME", "dataFormat": "String"},
      {"name": "SHIPPED", "dataFormat": "DateTime"}, {"name": "AMOUNT", "dataFormat": "Decimal"}]}]})");
    Write("Tables/Plain.cdm.json", R"({"definitions": [{"entityName": "Plain", "hasAttributes": [
      {"name": "RECID", "dataFormat": "Int64"}]}]})");
    Write("Tables/Plain/P.csv", "7\n");
    Write("Tables/Orders/ORDERS_00001.csv",
          "1,\"one\",\"2021-03-04T05:06:07.0000000Z\",1\n"
          "2,\"two\",\"1900-01-01T00:00:00.0000000\",2\n"
          "3,\"three\",,3\n");
    Write("ChangeFeed/ChangeFeed.manifest.cdm.json", R"({"manifestName": "ChangeFeed", "entities": [
      {"entityName": "ORDERS", "entityPath": "ORDERS.cdm.json/ORDERS",
       "dataPartitionPatterns": [{"name": "ORDERS", "rootLocation": "ORDERS", "globPattern": "*.csv"}]}]})");
    Write("ChangeFeed/ORDERS.cdm.json", R"({"definitions": [{"entityName": "ORDERS", "hasAttributes": [
      {"name": "Start_LSN", "dataFormat": "String"}, {"name": "End_LSN", "dataFormat": "String"},
      {"name": "DML_Action", "dataFormat": "String"}, {"name": "Seq_Val", "dataFormat": "String"},
      {"name": "Update_Mask", "dataFormat": "String"},
      {"name": "RECID", "dataFormat": "Int64"}, {"name": "NAME", "dataFormat": "String"},
      {"name": "SHIPPED", "dataFormat": "DateTime"}, {"name": "AMOUNT", "dataFormat": "Decimal"},
      {"name": "LastProcessedChange_DateTime", "dataFormat": "DateTime"},
      {"name": "DataLakeModified_DateTime", "dataFormat": "DateTime"}]}]})");
  }

  // One change row. lsn and seq are numbers written as 0X-hex (20 digits) unless given as text.
  static std::string Row(const std::string& lsn, const std::string& action, const std::string& seq, int64_t recid,
                         const std::string& name, const std::string& amount,
                         const std::string& modified = "2024-01-01T00:00:00.0000000Z") {
    return lsn + ",," + action + "," + seq + ",0X0F," + std::to_string(recid) + ",\"" + name + "\",," + amount +
           ",\"2024-01-01T00:00:00.0000000Z\",\"" + modified + "\"\n";
  }
  static std::string Lsn(int n) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "0X%020X", n);
    return buffer;
  }

  std::string Orders() { return Query("SELECT RECID, NAME, AMOUNT FROM Tables.Orders ORDER BY RECID"); }
};

TEST_F(ChangeFeedRefreshTest, OutOfOrderAndDuplicateRowsGiveTheLatestChangePerKey) {
  // In LSN order: 2 updated twice, 3 deleted, 4 inserted then updated, 5 inserted then deleted. The files hold the
  // rows shuffled, some twice.
  Write("ChangeFeed/ORDERS/b.csv", Row(Lsn(12), "AFTER_UPDATE", Lsn(1), 4, "four v2", "44") +
                                       Row(Lsn(10), "4", Lsn(1), 2, "two v1", "20") +
                                       Row(Lsn(13), "DELETE", Lsn(1), 5, "five", "5") +
                                       Row(Lsn(11), "2", Lsn(2), 4, "four", "4"));
  Write("ChangeFeed/ORDERS/a.csv", Row(Lsn(11), "Delete", Lsn(1), 3, "three", "3") +
                                       Row(Lsn(13), "insert", Lsn(0), 5, "five", "5") +
                                       Row(Lsn(12), "AFTER_UPDATE", Lsn(2), 2, "two v2", "22") +
                                       Row(Lsn(10), "4", Lsn(1), 2, "two v1", "20") +
                                       Row(Lsn(12), "AFTER_UPDATE", Lsn(2), 2, "two v2", "22"));
  TableRefreshResult r = RefreshOne();
  EXPECT_EQ(r.status, RefreshStatus::kRebuilt);
  EXPECT_EQ(r.rows_before, 3);
  EXPECT_EQ(r.rows_after, 3);
  EXPECT_EQ(r.inserted, 1);
  EXPECT_EQ(r.updated, 1);
  EXPECT_EQ(r.deleted, 1);
  EXPECT_EQ(r.change_rows, 9);
  EXPECT_EQ(r.watermark, Lsn(13) + " seq " + Lsn(1));
  EXPECT_EQ(Orders(), "1|one|1.000000\n2|two v2|22.000000\n4|four v2|44.000000\n");
  // The other table of Tables/ has no change entity and reads its raw files.
  EXPECT_EQ(Query("SELECT * FROM Tables.Plain"), "7\n");
}

TEST_F(ChangeFeedRefreshTest, SeqValThenTimestampBreakTiesAndBeforeUpdateRowsAreIgnored) {
  // Same LSN: the higher Seq_Val wins (decimal and hex Seq_Val compare by value, hex digits in any case); same
  // LSN and Seq_Val: the later DataLakeModified_DateTime. A BEFORE_UPDATE row shares its AFTER_UPDATE's LSN.
  Write("ChangeFeed/ORDERS/a.csv",
        Row("0x0000000000000000000a", "AFTER_UPDATE", "0x000000000000000000ff", 1, "one seq 255", "11") +
            Row(Lsn(10), "AFTER_UPDATE", "16", 1, "one seq 16", "10") +
            Row(Lsn(10), "AFTER_UPDATE", "1", 2, "two older", "20", "2024-01-01T00:00:00.0000000Z") +
            Row(Lsn(10), "AFTER_UPDATE", "1", 2, "two newer", "21", "2024-01-02T00:00:00.0000000Z") +
            Row(Lsn(11), "BEFORE_UPDATE", Lsn(5), 3, "three before", "3") +
            Row(Lsn(11), "AFTER_UPDATE", Lsn(5), 3, "three after", "33") +
            Row(Lsn(12), "3", Lsn(5), 1, "one before again", "0"));
  TableRefreshResult r = RefreshOne();
  EXPECT_EQ(Orders(), "1|one seq 255|11.000000\n2|two newer|21.000000\n3|three after|33.000000\n");
  EXPECT_EQ(r.updated, 3);
}

TEST_F(ChangeFeedRefreshTest, DeleteThenInsertAgainAcrossRefreshes) {
  Write("ChangeFeed/ORDERS/a.csv", Row(Lsn(10), "DELETE", Lsn(1), 1, "one", "1"));
  RefreshOne();
  EXPECT_EQ(Orders(), "2|two|2.000000\n3|three|3.000000\n");
  Write("ChangeFeed/ORDERS/b.csv", Row(Lsn(11), "INSERT", Lsn(1), 1, "one again", "100"));
  TableRefreshResult r = RefreshOne();
  EXPECT_EQ(r.status, RefreshStatus::kRefreshed);
  EXPECT_EQ(r.rows_before, 2);
  EXPECT_EQ(r.inserted, 1);
  EXPECT_EQ(r.change_files, 1) << "only the new file is read";
  EXPECT_EQ(Orders(), "1|one again|100.000000\n2|two|2.000000\n3|three|3.000000\n");
}

TEST_F(ChangeFeedRefreshTest, AppendedRowsOfAGrowingFileAreApplied) {
  Write("ChangeFeed/ORDERS/a.csv", Row(Lsn(10), "AFTER_UPDATE", Lsn(1), 1, "one v1", "10"));
  RefreshOne();
  Append("ChangeFeed/ORDERS/a.csv", Row(Lsn(11), "AFTER_UPDATE", Lsn(1), 1, "one v2", "11"));
  TableRefreshResult r = RefreshOne();
  EXPECT_EQ(r.status, RefreshStatus::kRefreshed);
  EXPECT_EQ(r.updated, 1);
  EXPECT_EQ(r.change_rows, 2);
  EXPECT_EQ(Orders(), "1|one v2|11.000000\n2|two|2.000000\n3|three|3.000000\n");
}

TEST_F(ChangeFeedRefreshTest, IncrementalAndFullRefreshAgree) {
  const std::string first = Row(Lsn(10), "AFTER_UPDATE", Lsn(1), 1, "one v1", "10") + Row(Lsn(11), "DELETE", Lsn(1), 2, "", "");
  const std::string second = Row(Lsn(12), "INSERT", Lsn(1), 2, "two again", "2") + Row(Lsn(13), "INSERT", Lsn(1), 9, "nine", "9");
  Write("ChangeFeed/ORDERS/a.csv", first);
  RefreshOne();
  Write("ChangeFeed/ORDERS/b.csv", second);
  RefreshOne();
  const std::string incremental = Orders();
  Remove("_cdmlake/refresh");
  EXPECT_EQ(RefreshOne().status, RefreshStatus::kRebuilt);
  EXPECT_EQ(Orders(), incremental);
  EXPECT_EQ(incremental, "1|one v1|10.000000\n2|two again|2.000000\n3|three|3.000000\n9|nine|9.000000\n");
}

TEST_F(ChangeFeedRefreshTest, NothingNewChangesNothing) {
  Write("ChangeFeed/ORDERS/a.csv", Row(Lsn(10), "AFTER_UPDATE", Lsn(1), 1, "one v1", "10"));
  RefreshOne();
  auto before = StateFiles();
  auto mtime = std::filesystem::last_write_time(root_ / "_cdmlake/refresh/Tables/Orders/state.json");
  TableRefreshResult r = RefreshOne();
  EXPECT_EQ(r.status, RefreshStatus::kUpToDate);
  EXPECT_EQ(r.rows_after, 3);
  EXPECT_EQ(r.watermark, Lsn(10) + " seq " + Lsn(1));
  EXPECT_EQ(StateFiles(), before);
  EXPECT_EQ(std::filesystem::last_write_time(root_ / "_cdmlake/refresh/Tables/Orders/state.json"), mtime);
}

TEST_F(ChangeFeedRefreshTest, ACommitReplacesTheTableFileAndRemovesTheOldOne) {
  Write("ChangeFeed/ORDERS/a.csv", Row(Lsn(10), "AFTER_UPDATE", Lsn(1), 1, "one v1", "10"));
  RefreshOne();
  Write("_cdmlake/refresh/Tables/Orders/current-000007.parquet", "left by a killed refresh");
  Write("ChangeFeed/ORDERS/b.csv", Row(Lsn(11), "AFTER_UPDATE", Lsn(1), 1, "one v2", "11"));
  RefreshOne();
  std::vector<std::string> files;
  for (const auto& [path, bytes] : StateFiles()) files.push_back(path);
  EXPECT_EQ(files, (std::vector<std::string>{"_cdmlake/refresh/Tables/Orders/current-000002.parquet",
                                             "_cdmlake/refresh/Tables/Orders/keys-000002.parquet",
                                             "_cdmlake/refresh/Tables/Orders/state.json"}));
  auto state = LoadRefreshState(*DefaultFileSystem(), Root() + "/_cdmlake/refresh/Tables/Orders");
  ASSERT_TRUE(state);
  EXPECT_EQ(state->layout, "d365-change-feed");
  EXPECT_EQ(state->generation, 2);
  EXPECT_EQ(state->rows, 3);
  ASSERT_EQ(state->applied.size(), 2u);
  EXPECT_EQ(state->applied[1].path, "ChangeFeed/ORDERS/b.csv");
  EXPECT_EQ(state->applied[1].rows, 1);
  EXPECT_EQ(state->base.size(), 1u);
}

TEST_F(ChangeFeedRefreshTest, TheChangeLogNamesTheKeysOfEachIncrementalRefresh) {
  const std::string folder = Root() + "/_cdmlake/refresh/Tables/Orders";
  auto keys = [&](const std::vector<std::string>& files) {
    return Query("SELECT DISTINCT RECID FROM read_parquet(" + engine::QuoteFilePathList(files) + ") ORDER BY 1");
  };
  Write("ChangeFeed/ORDERS/a.csv", Row(Lsn(10), "AFTER_UPDATE", Lsn(1), 1, "one v1", "10"));
  EXPECT_EQ(RefreshOne().status, RefreshStatus::kRebuilt);
  auto first = LoadRefreshState(*DefaultFileSystem(), folder);
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->changes.empty()) << "a rebuild starts a new log";
  ASSERT_FALSE(first->change_log.empty());
  EXPECT_EQ(ChangedKeyFiles(*first, folder, first->change_log, 1), std::vector<std::string>{});

  Write("ChangeFeed/ORDERS/b.csv", Row(Lsn(11), "AFTER_UPDATE", Lsn(1), 2, "two v2", "22") +
                                       Row(Lsn(11), "DELETE", Lsn(2), 3, "", "") +
                                       Row(Lsn(11), "INSERT", Lsn(3), 9, "nine", "9"));
  RefreshOne();
  Write("ChangeFeed/ORDERS/c.csv", Row(Lsn(12), "AFTER_UPDATE", Lsn(1), 1, "one v3", "13"));
  RefreshOne();
  auto third = LoadRefreshState(*DefaultFileSystem(), folder);
  ASSERT_TRUE(third);
  EXPECT_EQ(third->generation, 3);
  EXPECT_EQ(third->change_log, first->change_log);
  auto since_first = ChangedKeyFiles(*third, folder, first->change_log, 1);
  ASSERT_TRUE(since_first);
  EXPECT_EQ(since_first->size(), 2u);
  EXPECT_EQ(keys(*since_first), "1\n2\n3\n9\n");
  auto since_second = ChangedKeyFiles(*third, folder, first->change_log, 2);
  ASSERT_TRUE(since_second);
  EXPECT_EQ(keys(*since_second), "1\n");
  EXPECT_EQ(ChangedKeyFiles(*third, folder, first->change_log, 3), std::vector<std::string>{});
  EXPECT_FALSE(ChangedKeyFiles(*third, folder, "another log", 1));
  EXPECT_FALSE(ChangedKeyFiles(*third, folder, first->change_log, 0)) << "generation 1 was a rebuild";
  EXPECT_FALSE(ChangedKeyFiles(*third, folder, first->change_log, 4));

  // A rebuild from scratch numbers its generations anew: a consumer of the old log gets no change set.
  Remove("_cdmlake/refresh");
  EXPECT_EQ(RefreshOne().status, RefreshStatus::kRebuilt);
  auto rebuilt = LoadRefreshState(*DefaultFileSystem(), folder);
  ASSERT_TRUE(rebuilt);
  EXPECT_NE(rebuilt->change_log, first->change_log);
  EXPECT_FALSE(ChangedKeyFiles(*rebuilt, folder, first->change_log, 1));
}

TEST_F(ChangeFeedRefreshTest, ANewSnapshotRebuildsFromItAndTheWholeFeed) {
  Write("ChangeFeed/ORDERS/a.csv", Row(Lsn(10), "AFTER_UPDATE", Lsn(1), 1, "one v1", "10"));
  RefreshOne();
  Write("Tables/Orders/ORDERS_00001.csv", "1,\"one\",,1\n8,\"eight\",,8\n");
  TableRefreshResult r = RefreshOne();
  EXPECT_EQ(r.status, RefreshStatus::kRebuilt);
  EXPECT_EQ(Orders(), "1|one v1|10.000000\n8|eight|8.000000\n");
}

TEST_F(ChangeFeedRefreshTest, LsnsGoingBackwardsAreAnErrorAndChangeNothing) {
  Write("ChangeFeed/ORDERS/a.csv", Row(Lsn(10), "AFTER_UPDATE", Lsn(2), 1, "one v1", "10"));
  RefreshOne();
  auto before = StateFiles();
  Write("ChangeFeed/ORDERS/b.csv", Row(Lsn(11), "AFTER_UPDATE", Lsn(1), 2, "fine", "1") +
                                       Row(Lsn(10), "AFTER_UPDATE", Lsn(2), 3, "same as the watermark", "1"));
  Error e = RefreshError();
  EXPECT_EQ(e.kind(), ErrorKind::kData);
  EXPECT_EQ(e.location().file, "ChangeFeed/ORDERS/b.csv");
  EXPECT_EQ(e.location().line, 2);
  EXPECT_NE(e.message().find("went backwards"), std::string::npos) << e.message();
  EXPECT_EQ(StateFiles(), before);
  EXPECT_EQ(Orders(), "1|one v1|10.000000\n2|two|2.000000\n3|three|3.000000\n");
}

TEST_F(ChangeFeedRefreshTest, BadChangeRowsNameTheFileAndLine) {
  struct Case {
    std::string rows;
    int64_t line;
    std::string message;
  };
  const std::string good = Row(Lsn(10), "AFTER_UPDATE", Lsn(1), 1, "multi\nline", "10");
  const std::vector<Case> cases = {
      {good + Row(Lsn(11), "UPSERT", Lsn(1), 2, "x", "1"), 3, "unknown DML_Action 'UPSERT'"},
      {good + Row("12345", "INSERT", Lsn(1), 2, "x", "1"), 3, "Start_LSN '12345' is not a hexadecimal LSN"},
      {good + Row(Lsn(11), "INSERT", "0Xzz", 2, "x", "1"), 3, "Seq_Val '0Xzz'"},
      {good + Row(Lsn(11), "INSERT", Lsn(1), 2, "x", "1", "yesterday"), 3, "DataLakeModified_DateTime 'yesterday'"},
      {good + Lsn(11) + ",,INSERT," + Lsn(1) + ",,,\"no key\",,1,,\n", 3, "has no RECID"},
      {good + Lsn(11) + ",,INSERT," + Lsn(1) + ",,5,\"x\",,1,,,extra\n", 3, "Expected Number of Columns"},
      {good + Lsn(11) + ",,INSERT," + Lsn(1) + ",,5,\"x\",,not a number,,\n", 3, "not a number"},
  };
  Write("ChangeFeed/ORDERS/a.csv", Row(Lsn(1), "AFTER_UPDATE", Lsn(1), 1, "first", "1"));
  RefreshOne();
  const auto before = StateFiles();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.message);
    Write("ChangeFeed/ORDERS/b.csv", c.rows);
    Error e = RefreshError();
    EXPECT_EQ(e.location().file, "ChangeFeed/ORDERS/b.csv");
    EXPECT_EQ(e.location().line, c.line);
    EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos) << e.what();
    EXPECT_EQ(StateFiles(), before) << "a failed refresh leaves the state as it was";
  }
  Remove("ChangeFeed/ORDERS/b.csv");
  EXPECT_EQ(RefreshOne().status, RefreshStatus::kUpToDate);
}

// A file system that fails (as a full disk would) when state.json is written.
class FullDiskFileSystem : public FileSystem {
 public:
  std::string ReadFile(const std::string& p) override { return base_->ReadFile(p); }
  std::string ReadFilePrefix(const std::string& p, size_t n) override { return base_->ReadFilePrefix(p, n); }
  std::optional<FileInfo> Stat(const std::string& p) override { return base_->Stat(p); }
  std::vector<FileInfo> ListDirectory(const std::string& p) override { return base_->ListDirectory(p); }
  std::unique_ptr<WritableFile> NewWritableFile(const std::string& p) override {
    if (p.find("state.json") != std::string::npos) throw Error(ErrorKind::kIo, "cannot write file: No space left on device", Location{p});
    return base_->NewWritableFile(p);
  }
  void Rename(const std::string& a, const std::string& b) override { base_->Rename(a, b); }
  void LinkFile(const std::string& a, const std::string& b) override { base_->LinkFile(a, b); }
  void RemoveFile(const std::string& p) override { base_->RemoveFile(p); }
  void CreateDirectories(const std::string& p) override { base_->CreateDirectories(p); }
  void RemoveAll(const std::string& p) override { base_->RemoveAll(p); }
  void SyncPath(const std::string& p) override { base_->SyncPath(p); }

 private:
  FileSystem* base_ = DefaultFileSystem();
};

TEST_F(ChangeFeedRefreshTest, AFailedStateWriteLeavesThePreviousState) {
  Write("ChangeFeed/ORDERS/a.csv", Row(Lsn(10), "AFTER_UPDATE", Lsn(1), 1, "one v1", "10"));
  RefreshOne();
  const auto before = StateFiles();
  Write("ChangeFeed/ORDERS/b.csv", Row(Lsn(11), "DELETE", Lsn(1), 1, "", ""));
  FullDiskFileSystem full;
  auto results = Refresh({}, &full);
  ASSERT_EQ(results.size(), 1u);
  ASSERT_TRUE(results[0].error);
  EXPECT_EQ(results[0].error->kind(), ErrorKind::kIo);
  EXPECT_NE(results[0].error->message().find("No space left"), std::string::npos);
  EXPECT_EQ(StateFiles(), before) << "the new table file is removed, state.json is untouched";
  EXPECT_EQ(Orders(), "1|one v1|10.000000\n2|two|2.000000\n3|three|3.000000\n");
  EXPECT_EQ(RefreshOne().deleted, 1) << "a later refresh applies the change";
}

TEST_F(ChangeFeedRefreshTest, TableOptionSelectsAndRejectsUnknownNames) {
  Write("ChangeFeed/ORDERS/a.csv", Row(Lsn(10), "AFTER_UPDATE", Lsn(1), 1, "one v1", "10"));
  RefreshOptions options;
  options.tables = {"tables.orders"};
  EXPECT_EQ(RefreshOne(options).entity, "Orders");
  options.tables = {"Plain"};
  try {
    Refresh(options);
    ADD_FAILURE() << "Plain has no change feed";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUser);
    EXPECT_NE(e.hint().find("Tables.Orders"), std::string::npos) << e.hint();
  }
}

TEST_F(ChangeFeedRefreshTest, ACorruptStateIsRebuilt) {
  Write("ChangeFeed/ORDERS/a.csv", Row(Lsn(10), "AFTER_UPDATE", Lsn(1), 1, "one v1", "10"));
  RefreshOne();
  Write("_cdmlake/refresh/Tables/Orders/state.json", "{not json");
  TableRefreshResult r = RefreshOne();
  EXPECT_EQ(r.status, RefreshStatus::kRebuilt);
  ASSERT_FALSE(r.notes.empty());
  EXPECT_NE(r.notes[0].find("cannot be read"), std::string::npos);
  EXPECT_EQ(Orders(), "1|one v1|10.000000\n2|two|2.000000\n3|three|3.000000\n");
}

}  // namespace
}  // namespace cdmlake::lake
