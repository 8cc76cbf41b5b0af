#include "server/table_cache.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace cdmlake::server {
namespace {

namespace fs = std::filesystem;

// A one-table CSV lake; the cache must serve exactly what the raw view serves, and follow changes of the files.
class TableCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("cdmlake_cache_" + std::to_string(::getpid()) + "_" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    Write("Tables/Tables.manifest.cdm.json", R"({"manifestName": "Tables", "entities": [
      {"entityName": "Orders", "entityPath": "Orders.cdm.json/Orders",
       "dataPartitionPatterns": [{"name": "p", "rootLocation": "Orders", "globPattern": "*.csv"}]}]})");
    Write("Tables/Orders.cdm.json", R"({"definitions": [{"entityName": "Orders", "hasAttributes": [
      {"name": "RECID", "dataFormat": "Int64", "isPrimaryKey": true}, {"name": "NAME", "dataFormat": "String"},
      {"name": "SHIPPED", "dataFormat": "DateTime"}, {"name": "AMOUNT", "dataFormat": "Decimal"}]}]})");
    Write("Tables/Orders/ORDERS_00001.csv",
          "1,\"Contoso \"\"Retail\"\"\",\"2021-03-04T05:06:07.0000000Z\",12.5\n"
          "2,\"two\nlines\",\"1900-01-01T00:00:00.0000000\",\n");
    // Listed first, so the files hold the keys out of order.
    Write("Tables/Orders/ORDERS_00000.csv", "9,\"nine\",\"2020-01-01T00:00:00.0000000Z\",1\n");
    catalog_ = std::make_unique<lake::Catalog>(lake::Catalog::Open(*DefaultFileSystem(), root_.string(), {false, false}));
    session_ = std::make_unique<lake::LakeSession>(db_, *catalog_, lake::OnError::kFail);
    session_->AttachAll();
  }
  void TearDown() override {
    session_.reset();
    fs::remove_all(root_);
  }
  void Write(const std::string& rel, const std::string& text) {
    fs::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel, std::ios::binary) << text;
  }
  std::vector<std::vector<std::optional<std::string>>> Rows() {
    engine::Connection c(db_);
    return c.Query("SELECT RECID, NAME, SHIPPED::VARCHAR, AMOUNT::VARCHAR FROM Orders ORDER BY RECID").FetchAllText();
  }
  std::string ViewSql() {
    engine::Connection c(db_);
    return c.Query("SELECT sql FROM duckdb_views() WHERE schema_name = 'Tables' AND view_name = 'Orders'").ScalarText();
  }
  size_t CacheFiles() {
    size_t n = 0;
    if (!fs::exists(CacheDir())) return 0;
    for (const auto& f : fs::recursive_directory_iterator(CacheDir())) n += f.is_regular_file();
    return n;
  }
  std::string CacheDir() const { return (root_ / "_cdmlake/cache/tables").string(); }

  fs::path root_;
  engine::Database db_{engine::Settings{2, "512MB", "", {}}};
  std::unique_ptr<lake::Catalog> catalog_;
  std::unique_ptr<lake::LakeSession> session_;
};

TEST_F(TableCacheTest, ServesTheSameRowsFromParquet) {
  auto raw = Rows();
  ASSERT_EQ(raw.size(), 3u);
  TableCache cache(db_, *catalog_, *session_, CacheDir());
  CacheReport report = cache.Refresh();
  EXPECT_TRUE(report.problems.empty()) << report.problems[0];
  EXPECT_EQ(report.built, 1);
  EXPECT_EQ(report.rows, 3);
  EXPECT_NE(ViewSql().find("read_parquet"), std::string::npos) << ViewSql();
  EXPECT_EQ(Rows(), raw) << "types, quoted values, D365 empty dates and NULLs survive the cache";
  engine::Connection c(db_);
  EXPECT_EQ(c.Query("SELECT string_agg(RECID::VARCHAR, ',') FROM \"Tables\".\"Orders\"").ScalarText(), "1,2,9")
      << "stored in primary-key order";
  // Nothing changed: nothing is rebuilt.
  report = cache.Refresh();
  EXPECT_EQ(report.built, 0);
  EXPECT_EQ(report.reused, 1);
}

TEST_F(TableCacheTest, RebuildsFromTheFilesWhenTheyChangeAndRetiresTheOldFile) {
  TableCache cache(db_, *catalog_, *session_, CacheDir());
  cache.Refresh();
  Write("Tables/Orders/ORDERS_00002.csv", "3,\"three\",\"2022-01-01T00:00:00.0000000Z\",1.25\n");
  CacheReport report = cache.Refresh();
  EXPECT_EQ(report.built, 1);
  ASSERT_EQ(Rows().size(), 4u) << "the new file is read from the raw files, not from the old cache";
  EXPECT_EQ(CacheFiles(), 2u) << "the old file stays one more period for queries that still read it";
  cache.Refresh();
  EXPECT_EQ(CacheFiles(), 1u);
}

TEST_F(TableCacheTest, ARestartReusesTheCacheFile) {
  {
    TableCache cache(db_, *catalog_, *session_, CacheDir());
    cache.Refresh();
  }
  TableCache again(db_, *catalog_, *session_, CacheDir());
  CacheReport report = again.Refresh();
  EXPECT_EQ(report.built, 0);
  EXPECT_EQ(report.reused, 1);
  EXPECT_EQ(Rows().size(), 3u);
}

TEST_F(TableCacheTest, AnUnreadableFileIsReportedAndTheTableKeepsItsFiles) {
  TableCache cache(db_, *catalog_, *session_, CacheDir());
  Write("Tables/Orders/ORDERS_00003.csv", "not a number,x,y,z\n");
  CacheReport report = cache.Refresh();
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_NE(report.problems[0].find("Tables.Orders"), std::string::npos);
  EXPECT_EQ(report.built, 0);
  EXPECT_EQ(ViewSql().find("read_parquet"), std::string::npos) << "still the raw view";
  EXPECT_EQ(CacheFiles(), 0u) << "no half-written cache file is left";
}

}  // namespace
}  // namespace cdmlake::server
