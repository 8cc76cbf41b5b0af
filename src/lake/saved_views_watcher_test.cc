#include "lake/saved_views_watcher.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace cdmlake::lake {
namespace {

namespace fs = std::filesystem;

// Another process (`cdmlake sql "CREATE VIEW …"`) rewrites the views file while a server runs.
class SavedViewsWatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("cdmlake_watch_" + std::to_string(::getpid()) + "_" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    Write("Tables/Tables.manifest.cdm.json", R"({"manifestName": "Tables", "entities": [
      {"entityName": "Orders", "entityPath": "Orders.cdm.json/Orders",
       "dataPartitions": [{"location": "Orders/ORDERS_00001.csv"}]}]})");
    Write("Tables/Orders.cdm.json", R"({"definitions": [{"entityName": "Orders", "hasAttributes": [
      {"name": "RECID", "dataFormat": "Int64"}, {"name": "AMOUNT", "dataFormat": "Decimal"}]}]})");
    Write("Tables/Orders/ORDERS_00001.csv", "1,12.5\n2,200\n3,300\n");
    catalog_ = std::make_unique<Catalog>(Catalog::Open(*DefaultFileSystem(), root_.string(), {false, false}));
  }
  void TearDown() override { fs::remove_all(root_); }
  void Write(const std::string& rel, const std::string& text) {
    fs::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel, std::ios::binary) << text;
  }
  // What `cdmlake sql` does: a statement in its own database, the difference saved.
  void Save(const std::string& statement) {
    engine::Database db{engine::Settings{1, "256MB", "", {}}};
    LakeSession session(db, *catalog_, OnError::kFail);
    session.AttachAll();
    std::vector<SavedView> views = LoadSavedViews(*DefaultFileSystem(), root_.string());
    for (const std::string& problem : CreateSavedViews(session, views)) ADD_FAILURE() << problem;
    ViewSnapshot before = SnapshotViews(session.connection());
    session.connection().Execute(statement);
    ApplyViewChanges(before, SnapshotViews(session.connection()), session, &views);
    StoreSavedViews(*DefaultFileSystem(), root_.string(), views);
    // The file's stamp must differ even when two saves fall in the same clock tick.
    fs::last_write_time(root_ / kSavedViewsFile, fs::file_time_type::clock::now() + std::chrono::seconds(++ticks_));
  }
  std::string Query(engine::Database& db, const std::string& sql) {
    engine::Connection c(db);
    try {
      return c.Query(sql).ScalarText();
    } catch (const std::exception& e) {
      return std::string("error: ") + e.what();
    }
  }
  fs::path root_;
  int ticks_ = 0;
  std::unique_ptr<Catalog> catalog_;
  engine::Database db_{engine::Settings{1, "256MB", "", {}}};
};

TEST_F(SavedViewsWatcherTest, ViewsSavedElsewhereAppearChangeAndDisappear) {
  Save("CREATE VIEW big AS SELECT * FROM Orders WHERE AMOUNT > 100");
  LakeSession session(db_, *catalog_, OnError::kFail);
  session.AttachAll();
  std::vector<SavedView> views = LoadSavedViews(*DefaultFileSystem(), root_.string());
  CreateSavedViews(session, views);
  SavedViewsWatcher watcher(*DefaultFileSystem(), session, root_.string(), views);
  std::vector<std::string> problems;
  EXPECT_FALSE(watcher.Poll(&problems)) << "nothing changed";

  Save("CREATE VIEW small AS SELECT * FROM Orders WHERE AMOUNT < 100");
  EXPECT_TRUE(watcher.Poll(&problems));
  EXPECT_EQ(Query(db_, "SELECT count(*) FROM small"), "1");

  Save("CREATE OR REPLACE VIEW big AS SELECT * FROM Orders WHERE AMOUNT > 250");
  EXPECT_TRUE(watcher.Poll(&problems));
  EXPECT_EQ(Query(db_, "SELECT count(*) FROM big"), "1") << "replaced";

  Save("DROP VIEW small");
  EXPECT_TRUE(watcher.Poll(&problems));
  EXPECT_NE(Query(db_, "SELECT count(*) FROM small").find("error"), std::string::npos) << "dropped";
  EXPECT_EQ(Query(db_, "SELECT count(*) FROM big"), "1");
  EXPECT_TRUE(problems.empty()) << problems[0];
}

TEST_F(SavedViewsWatcherTest, ABrokenFileIsReportedOnceAndTheViewsStay) {
  Save("CREATE VIEW big AS SELECT * FROM Orders WHERE AMOUNT > 100");
  LakeSession session(db_, *catalog_, OnError::kFail);
  session.AttachAll();
  std::vector<SavedView> views = LoadSavedViews(*DefaultFileSystem(), root_.string());
  CreateSavedViews(session, views);
  SavedViewsWatcher watcher(*DefaultFileSystem(), session, root_.string(), views);
  Write(kSavedViewsFile, "{not json");
  std::vector<std::string> problems;
  EXPECT_FALSE(watcher.Poll(&problems));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("views.json"), std::string::npos) << problems[0];
  EXPECT_FALSE(watcher.Poll(&problems));
  EXPECT_EQ(problems.size(), 1u) << "reported once";
  EXPECT_EQ(Query(db_, "SELECT count(*) FROM big"), "2");
}

}  // namespace
}  // namespace cdmlake::lake
