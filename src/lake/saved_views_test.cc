#include "lake/saved_views.h"
#include "lake/saved_views_watcher.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

namespace cdmlake::lake {
namespace {

namespace fs = std::filesystem;

class SavedViewsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("cdmlake_views_" + std::to_string(::getpid()) + "_" +
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
  fs::path root_;
  std::unique_ptr<Catalog> catalog_;
  engine::Database db_{engine::Settings{1, "256MB", "", {}}};
};

TEST_F(SavedViewsTest, StatementsChangeTheSavedSetButEntityViewsAreNeverSaved) {
  LakeSession session(db_, *catalog_, OnError::kFail);
  std::vector<SavedView> saved;
  session.PrepareFor("SELECT * FROM Orders");
  ViewSnapshot before = SnapshotViews(session.connection());
  session.connection().Execute("CREATE VIEW big AS SELECT * FROM Orders WHERE AMOUNT > 100");
  session.PrepareFor("SELECT * FROM Tables.Orders");  // entity views made during the statement do not count
  EXPECT_TRUE(ApplyViewChanges(before, SnapshotViews(session.connection()), session, &saved));
  ASSERT_EQ(saved.size(), 1u);
  EXPECT_EQ(saved[0].schema, "main");
  EXPECT_EQ(saved[0].name, "big");

  before = SnapshotViews(session.connection());
  session.connection().Execute("CREATE OR REPLACE VIEW big AS SELECT * FROM Orders WHERE AMOUNT > 250");
  EXPECT_TRUE(ApplyViewChanges(before, SnapshotViews(session.connection()), session, &saved));
  ASSERT_EQ(saved.size(), 1u);
  EXPECT_NE(saved[0].sql.find("250"), std::string::npos);

  before = SnapshotViews(session.connection());
  EXPECT_FALSE(ApplyViewChanges(before, SnapshotViews(session.connection()), session, &saved)) << "no change";
  session.connection().Execute("DROP VIEW big");
  EXPECT_TRUE(ApplyViewChanges(before, SnapshotViews(session.connection()), session, &saved));
  EXPECT_TRUE(saved.empty());
}

TEST_F(SavedViewsTest, StoredViewsComeBackInANewDatabaseInDependencyOrder) {
  std::vector<SavedView> views = {
      {"rpt", "total", "CREATE VIEW rpt.total AS SELECT sum(AMOUNT) AS s FROM big;"},  // reads the next one
      {"main", "big", "CREATE VIEW big AS SELECT * FROM Orders WHERE (AMOUNT > 100);"},
      {"main", "broken", "CREATE VIEW broken AS SELECT * FROM NoSuchTable;"},
  };
  StoreSavedViews(*DefaultFileSystem(), root_.string(), views);
  std::vector<SavedView> loaded = LoadSavedViews(*DefaultFileSystem(), root_.string());
  EXPECT_EQ(loaded, views);

  LakeSession session(db_, *catalog_, OnError::kFail);
  std::vector<std::string> problems = CreateSavedViews(session, loaded);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("main.broken"), std::string::npos) << problems[0];
  EXPECT_EQ(session.connection().Query("SELECT s::DOUBLE::VARCHAR FROM rpt.total").ScalarText(), "500.0");
}

TEST_F(SavedViewsTest, ABrokenFileNamesItself) {
  Write("_cdmlake/views.json", "{\"views\": [{\"schema\": 1}]}");
  try {
    LoadSavedViews(*DefaultFileSystem(), root_.string());
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(e.location().file.find("views.json"), std::string::npos);
  }
  fs::remove(root_ / "_cdmlake/views.json");
  EXPECT_TRUE(LoadSavedViews(*DefaultFileSystem(), root_.string()).empty());
}

// A running server's watcher (saved_views_watcher.h): another process (`cdmlake sql "CREATE VIEW …"`) rewrites the
// views file while the server serves.
class SavedViewsWatcherTest : public SavedViewsTest {
 protected:
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
  // The server's side: its session with the saved views created, and the watcher over them.
  void StartServing() {
    session_ = std::make_unique<LakeSession>(db_, *catalog_, OnError::kFail);
    session_->AttachAll();
    std::vector<SavedView> views = LoadSavedViews(*DefaultFileSystem(), root_.string());
    CreateSavedViews(*session_, views);
    watcher_ = std::make_unique<SavedViewsWatcher>(*DefaultFileSystem(), *session_, root_.string(), views);
  }
  std::string Query(const std::string& sql) {
    engine::Connection c(db_);
    try {
      return c.Query(sql).ScalarText();
    } catch (const std::exception& e) {
      return std::string("error: ") + e.what();
    }
  }
  int ticks_ = 0;
  std::unique_ptr<LakeSession> session_;
  std::unique_ptr<SavedViewsWatcher> watcher_;
};

TEST_F(SavedViewsWatcherTest, ViewsSavedElsewhereAppearChangeAndDisappear) {
  Save("CREATE VIEW big AS SELECT * FROM Orders WHERE AMOUNT > 100");
  StartServing();
  std::vector<std::string> problems;
  EXPECT_FALSE(watcher_->Poll(&problems)) << "nothing changed";

  Save("CREATE VIEW small AS SELECT * FROM Orders WHERE AMOUNT < 100");
  EXPECT_TRUE(watcher_->Poll(&problems));
  EXPECT_EQ(Query("SELECT count(*) FROM small"), "1");

  Save("CREATE OR REPLACE VIEW big AS SELECT * FROM Orders WHERE AMOUNT > 250");
  EXPECT_TRUE(watcher_->Poll(&problems));
  EXPECT_EQ(Query("SELECT count(*) FROM big"), "1") << "replaced";

  Save("DROP VIEW small");
  EXPECT_TRUE(watcher_->Poll(&problems));
  EXPECT_NE(Query("SELECT count(*) FROM small").find("error"), std::string::npos) << "dropped";
  EXPECT_EQ(Query("SELECT count(*) FROM big"), "1");
  EXPECT_TRUE(problems.empty()) << problems[0];
}

TEST_F(SavedViewsWatcherTest, ABrokenFileIsReportedOnceAndTheViewsStay) {
  Save("CREATE VIEW big AS SELECT * FROM Orders WHERE AMOUNT > 100");
  StartServing();
  Write(kSavedViewsFile, "{not json");
  std::vector<std::string> problems;
  EXPECT_FALSE(watcher_->Poll(&problems));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("views.json"), std::string::npos) << problems[0];
  EXPECT_FALSE(watcher_->Poll(&problems));
  EXPECT_EQ(problems.size(), 1u) << "reported once";
  EXPECT_EQ(Query("SELECT count(*) FROM big"), "2");
}

}  // namespace
}  // namespace cdmlake::lake
