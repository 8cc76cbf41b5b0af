#include "lake/saved_views.h"

#include <gtest/gtest.h>
#include <unistd.h>

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

}  // namespace
}  // namespace cdmlake::lake
