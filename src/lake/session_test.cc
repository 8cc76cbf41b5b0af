#include "lake/session.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace cdmlake::lake {
namespace {

namespace fs = std::filesystem;

TEST(SqlIdentifiersTest, FindsWordsAndQuotedNamesButNotLiterals) {
  auto ids = SqlIdentifiers(R"(SELECT a."Sales Line", x FROM "Tables".CustTable -- CommentTable
    WHERE s = 'NotATable' /* Hidden */ AND "we""ird" = 1)");
  EXPECT_TRUE(ids.count("sales line"));
  EXPECT_TRUE(ids.count("tables"));
  EXPECT_TRUE(ids.count("custtable"));
  EXPECT_TRUE(ids.count("we\"ird"));
  EXPECT_FALSE(ids.count("notatable"));
  EXPECT_FALSE(ids.count("commenttable"));
  EXPECT_FALSE(ids.count("hidden"));
}

// A small D365-style lake on disk, read through DuckDB.
class SessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("cdmlake_session_" + std::to_string(::getpid()) + "_" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    Write("Tables/Tables.manifest.cdm.json", R"({"manifestName": "Tables", "entities": [
      {"entityName": "Orders", "entityPath": "Orders.cdm.json/Orders",
       "dataPartitions": [{"location": "Orders/ORDERS_00001.csv"}, {"location": "Orders/ORDERS_00002.csv"}]}]})");
    Write("Tables/Orders.cdm.json", R"({"definitions": [{"entityName": "Orders", "hasAttributes": [
      {"name": "RECID", "dataFormat": "Int64"}, {"name": "NAME", "dataFormat": "String"},
      {"name": "SHIPPED", "dataFormat": "DateTime"}, {"name": "AMOUNT", "dataFormat": "Decimal"},
      {"name": "ADDED_LATER", "dataFormat": "Int32"}]}]})");
    // Written before ADDED_LATER existed: four fields, with a line break inside a quoted value.
    Write("Tables/Orders/ORDERS_00001.csv",
          "1,\"Contoso \"\"Retail\"\", Ltd.\",\"2021-03-04T05:06:07.0000000Z\",12.5\n"
          "2,\"two\nlines\",\"1900-01-01T00:00:00.0000000\",\n");
    Write("Tables/Orders/ORDERS_00002.csv", "3,\"\",\"2022-01-01T00:00:00.0000000Z\",1.25,7\n");
    catalog_ = std::make_unique<Catalog>(Catalog::Open(*DefaultFileSystem(), root_.string(), {false, false}));
  }
  void TearDown() override { fs::remove_all(root_); }
  void Write(const std::string& rel, const std::string& text) {
    fs::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel, std::ios::binary) << text;
  }
  std::vector<std::vector<std::optional<std::string>>> Query(LakeSession& s, const std::string& sql) {
    s.PrepareFor(sql);
    return s.connection().Query(sql).FetchAllText();
  }
  fs::path root_;
  std::unique_ptr<Catalog> catalog_;
  engine::Database db_{engine::Settings{2, "512MB", "", {}}};
};

TEST_F(SessionTest, ReadsD365CsvFaithfully) {
  LakeSession session(db_, *catalog_, OnError::kFail);
  auto rows = Query(session, "SELECT RECID, NAME, SHIPPED, AMOUNT, ADDED_LATER FROM Orders ORDER BY RECID");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(*rows[0][1], "Contoso \"Retail\", Ltd.");
  EXPECT_EQ(*rows[0][2], "2021-03-04 05:06:07");
  EXPECT_EQ(*rows[0][3], "12.500000");
  EXPECT_FALSE(rows[0][4].has_value()) << "the older file has no ADDED_LATER column";
  EXPECT_EQ(*rows[1][1], "two\nlines");
  EXPECT_FALSE(rows[1][2].has_value()) << "F&O's 1900-01-01 means no date";
  EXPECT_FALSE(rows[1][3].has_value()) << "an unquoted empty field is NULL";
  ASSERT_TRUE(rows[2][1].has_value()) << "a quoted empty string stays a string";
  EXPECT_EQ(*rows[2][1], "");
  EXPECT_EQ(*rows[2][4], "7");
  auto qualified = Query(session, R"(SELECT count(*) FROM "Tables"."Orders")");
  EXPECT_EQ(*qualified[0][0], "3");
}

TEST_F(SessionTest, BadRowsFailWithFileAndPhysicalLine) {
  Write("Tables/Orders/ORDERS_00002.csv", "3,\"a\nb\",\"2022-01-01T00:00:00Z\",1.25,7\n4,\"x\",\"not a date\",1,1\n");
  LakeSession session(db_, *catalog_, OnError::kFail);
  session.PrepareFor("SELECT SHIPPED FROM Orders");
  try {
    session.connection().Run("SELECT count(SHIPPED) FROM Orders").FetchAllText();
    FAIL() << "the bad date must fail";
  } catch (const engine::EngineError& e) {
    Error explained = session.Explain(e);
    EXPECT_EQ(explained.kind(), ErrorKind::kData);
    EXPECT_EQ(explained.location().file, "Tables/Orders/ORDERS_00002.csv");
    EXPECT_EQ(explained.location().line, 3) << "record 2 starts on line 3";
    EXPECT_EQ(explained.location().entity, "Tables.Orders");
    EXPECT_NE(explained.message().find("SHIPPED"), std::string::npos) << explained.message();
    EXPECT_NE(explained.hint().find("quarantine"), std::string::npos);
  }
}

TEST_F(SessionTest, QuarantineKeepsGoodRowsAndRecordsBadOnes) {
  Write("Tables/Orders/ORDERS_00002.csv", "3,\"o\nk\",\"2022-01-01T00:00:00Z\",1.25,7\n4,\"x\",\"not a date\",1,1\n5,\"y\",,1,1,EXTRA\n");
  LakeSession session(db_, *catalog_, OnError::kQuarantine);
  auto rows = Query(session, "SELECT count(*) FROM Orders");
  EXPECT_EQ(*rows[0][0], "3");
  ASSERT_EQ(session.quarantine_reports().size(), 1u);
  const QuarantineReport& r = session.quarantine_reports()[0];
  EXPECT_EQ(r.rows_read, 3);
  EXPECT_EQ(r.rows_quarantined, 2);
  EXPECT_EQ(r.file, "_cdmlake/quarantine/Tables/Orders_Corrupt.csv");
  auto bad = session.connection().Query("SELECT file, line, record, error_type FROM Orders_Corrupt ORDER BY line").FetchAllText();
  ASSERT_EQ(bad.size(), 2u);
  EXPECT_EQ(*bad[0][0], "Tables/Orders/ORDERS_00002.csv");
  EXPECT_EQ(*bad[0][1], "3") << "the physical line: the record before it spans two lines";
  EXPECT_EQ(*bad[0][2], "2");
  EXPECT_EQ(*bad[1][3], "TOO MANY COLUMNS");
  // A later session without quarantine still sees the saved rows.
  LakeSession later(db_, *catalog_, OnError::kFail);
  auto saved = Query(later, "SELECT count(*) FROM Orders_Corrupt");
  EXPECT_EQ(*saved[0][0], "2");
}

// The error of an entity that cannot be attached, as a statement reading it gets it.
Error ReadError(LakeSession& session, const std::string& sql) {
  session.PrepareFor(sql);
  try {
    session.connection().Query(sql);
  } catch (const engine::EngineError& e) {
    return session.Explain(e);
  }
  ADD_FAILURE() << "reading must fail: " << sql;
  return Error(ErrorKind::kInternal, "");
}

TEST_F(SessionTest, MissingFilesAndUnreadableEntitiesNameTheirSource) {
  fs::remove(root_ / "Tables/Orders/ORDERS_00002.csv");
  LakeSession session(db_, *catalog_, OnError::kFail);
  // Naming the entity as a column does not read it.
  EXPECT_NO_THROW(session.PrepareFor("SELECT 1 AS Orders"));
  EXPECT_NO_THROW(session.connection().Query("SELECT 1 AS Orders"));
  Error e = ReadError(session, "SELECT * FROM Orders");
  EXPECT_EQ(e.location().file, "Tables/Tables.manifest.cdm.json");
  EXPECT_EQ(e.location().entity, "Orders");
  EXPECT_NE(e.message().find("ORDERS_00002.csv"), std::string::npos);
}

TEST_F(SessionTest, SymlinksMustNotLeaveTheLake) {
  fs::remove(root_ / "Tables/Orders/ORDERS_00002.csv");
  fs::create_symlink("/etc/hostname", root_ / "Tables/Orders/ORDERS_00002.csv");
  LakeSession session(db_, *catalog_, OnError::kFail);
  Error e = ReadError(session, "SELECT * FROM Orders");
  EXPECT_NE(e.message().find("outside the lake root"), std::string::npos);
}

}  // namespace
}  // namespace cdmlake::lake
