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
  size_t CacheTables() {
    engine::Connection c(db_);
    return std::stoul(
        c.Query("SELECT count(*) FROM duckdb_tables() WHERE database_name = 'cdmlake_cache'").ScalarText());
  }
  std::string AmountType() {
    engine::Connection c(db_);
    return c.Query("SELECT typeof(AMOUNT) FROM Orders LIMIT 1").ScalarText();
  }
  std::string CacheDir() const { return (root_ / "_cdmlake/cache/tables").string(); }

  fs::path root_;
  engine::Database db_{engine::Settings{2, "512MB", "", {}}};
  std::unique_ptr<lake::Catalog> catalog_;
  std::unique_ptr<lake::LakeSession> session_;
};

TEST_F(TableCacheTest, ServesTheSameRowsFromItsDatabase) {
  auto raw = Rows();
  ASSERT_EQ(raw.size(), 3u);
  TableCache cache(db_, *catalog_, *session_, CacheDir());
  CacheReport report = cache.Refresh();
  EXPECT_TRUE(report.problems.empty()) << report.problems[0];
  EXPECT_EQ(report.built, 1);
  EXPECT_EQ(report.rows, 3);
  EXPECT_EQ(ViewSql().find("read_csv"), std::string::npos) << ViewSql();
  EXPECT_TRUE(fs::exists(CacheDir() + "/tables.duckdb"));
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
  EXPECT_EQ(CacheTables(), 2u) << "the old table stays one more period for queries that still read it";
  cache.Refresh();
  EXPECT_EQ(CacheTables(), 1u);
}

TEST_F(TableCacheTest, ARestartReusesTheCacheTableWithoutBuilding) {
  {
    TableCache cache(db_, *catalog_, *session_, CacheDir());
    CacheReport report = cache.Refresh(/*build=*/false);
    EXPECT_EQ(report.built + report.reused + report.moved, 0) << "nothing cached yet, and nothing built";
    EXPECT_NE(ViewSql().find("read_csv"), std::string::npos);
    cache.Refresh();
  }
  TableCache again(db_, *catalog_, *session_, CacheDir());
  CacheReport report = again.Refresh(/*build=*/false);
  EXPECT_EQ(report.built, 0);
  EXPECT_EQ(report.reused, 1);
  EXPECT_EQ(report.moved, 1);
  EXPECT_EQ(Rows().size(), 3u);
  EXPECT_EQ(again.Refresh().moved, 0) << "already current";
}

TEST_F(TableCacheTest, ViewsOverViewsAreCreatedAgainInDependencyOrder) {
  engine::Connection c(db_);
  // "a_total" sorts before "orders_amounts" but reads it: created again in the order of their names, it would
  // fail (and, in the switch's transaction, undo the switch).
  c.Execute("CREATE VIEW orders_amounts AS SELECT AMOUNT FROM Orders");
  c.Execute("CREATE VIEW a_total AS SELECT sum(AMOUNT) AS total, count(*) AS n FROM orders_amounts");
  TableCache cache(db_, *catalog_, *session_, CacheDir());
  CacheReport report = cache.Refresh();
  EXPECT_TRUE(report.problems.empty()) << report.problems[0];
  EXPECT_EQ(report.moved, 1);
  EXPECT_EQ(c.Query("SELECT total::VARCHAR || '/' || n FROM a_total").ScalarText(), "13.500000/3");
  EXPECT_EQ(c.Query("SELECT typeof(AMOUNT) FROM orders_amounts LIMIT 1").ScalarText(), "DECIMAL(18,6)");
}

TEST_F(TableCacheTest, AnUnreadableFileIsReportedAndTheTableKeepsItsFiles) {
  TableCache cache(db_, *catalog_, *session_, CacheDir());
  Write("Tables/Orders/ORDERS_00003.csv", "not a number,x,y,z\n");
  CacheReport report = cache.Refresh();
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_NE(report.problems[0].find("Tables.Orders"), std::string::npos);
  EXPECT_EQ(report.built, 0);
  EXPECT_NE(ViewSql().find("read_csv"), std::string::npos) << "still the raw view: " << ViewSql();
  EXPECT_EQ(CacheTables(), 0u) << "no half-written cache table is left";
}

TEST_F(TableCacheTest, WideDecimalsAreStoredNarrowWhenEveryValueFits) {
  engine::Connection c(db_);
  EXPECT_EQ(AmountType(), "DECIMAL(38,6)") << "the lake's type for a CDM Decimal";
  // A view of the logical data warehouse over the table: it must keep working when the types change.
  c.Execute("CREATE VIEW big_orders AS SELECT RECID, AMOUNT FROM Orders WHERE AMOUNT > 2");
  c.Execute("CREATE VIEW big_order_total AS SELECT sum(AMOUNT) AS total FROM big_orders");
  auto raw = Rows();
  TableCache cache(db_, *catalog_, *session_, CacheDir());
  CacheReport report = cache.Refresh();
  ASSERT_TRUE(report.problems.empty()) << report.problems[0];
  EXPECT_EQ(report.narrowed, 1);
  EXPECT_EQ(AmountType(), "DECIMAL(18,6)");
  EXPECT_EQ(Rows(), raw) << "the same values";
  EXPECT_EQ(c.Query("SELECT total::VARCHAR FROM big_order_total").ScalarText(), "12.500000")
      << "views over the table are created again with the new types";
}

TEST_F(TableCacheTest, AValueWiderThanEighteenDigitsKeepsTheDeclaredType) {
  Write("Tables/Orders/ORDERS_00002.csv", "4,\"huge\",,12345678901234567.5\n");
  TableCache cache(db_, *catalog_, *session_, CacheDir());
  CacheReport report = cache.Refresh();
  ASSERT_TRUE(report.problems.empty()) << report.problems[0];
  EXPECT_EQ(report.built, 1);
  EXPECT_EQ(report.narrowed, 0);
  EXPECT_EQ(AmountType(), "DECIMAL(38,6)");
  auto rows = Rows();
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[2][3].value_or(""), "12345678901234567.500000");
  EXPECT_EQ(CacheTables(), 1u) << "the failed narrow copy left nothing behind";
}

}  // namespace
}  // namespace cdmlake::server
