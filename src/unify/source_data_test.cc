#include "unify/source_data.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>

#include "lake/catalog.h"
#include "util/error.h"

namespace cdmlake::unify {
namespace {

namespace fs = std::filesystem;

// A lake table in plain CDM CSV is read by cdmlake's own reader (lake/csv_text_reader.h): its values must be
// those of a DuckDB read, formats parsed by DuckDB, and a table the reader declines still read or reported by DuckDB.
class LakeSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("cdmlake_lake_source_" + std::to_string(::getpid()) + "_" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    Write("Crm/Crm.manifest.cdm.json", R"({"manifestName": "Crm", "entities": [
      {"entityName": "Member", "entityPath": "Member.cdm.json/Member", "dataPartitions": [{"location": "Member/M1.csv",
       "exhibitsTraits": [{"traitReference": "is.partition.format.CSV", "arguments": [
         {"name": "columnHeaders", "value": "false"}, {"name": "newline", "value": "\n"}]}]}]}]})");
    Write("Crm/Member.cdm.json", R"({"definitions": [{"entityName": "Member", "hasAttributes": [
      {"name": "Id", "dataFormat": "Guid"}, {"name": "Name", "dataFormat": "String"},
      {"name": "Modified", "dataFormat": "DateTime"}, {"name": "Born", "dataFormat": "String"},
      {"name": "Points", "dataFormat": "Decimal"}]}]})");
  }
  void TearDown() override { fs::remove_all(root_); }
  void Write(const std::string& rel, const std::string& text) {
    fs::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel, std::ios::binary) << text;
  }
  LoadedTable Read(const std::vector<ColumnRead>& columns) {
    lake::Catalog catalog = lake::Catalog::Open(*DefaultFileSystem(), root_.string(), {false, false});
    SourceReader reader(db_, &catalog);
    return reader.Read("Member", "Member", "", columns);
  }
  static std::vector<std::optional<std::string>> Column(const LoadedTable& table, size_t c) {
    std::vector<std::optional<std::string>> out;
    for (size_t r = 0; r < table.rows(); ++r) out.push_back(table.values[c].Value(r));
    return out;
  }

  fs::path root_;
  engine::Database db_{engine::Settings{2, "512MB", "", {}}};
};

using Values = std::vector<std::optional<std::string>>;

TEST_F(LakeSourceTest, PlainCsvReadsAsDuckDbReadsIt) {
  Write("Crm/Member/M1.csv",
        "094182BF-4A6E-433A-86F0-26FCA6146F7E,\"Lopez, Betty\",2023-06-21T02:12:07.0000000Z,4/20/1956,1.50\n"
        "d4635c0f-e341-46d9-be05-3e329935cf6e,\"\",2023-06-21T02:12:07.25Z,31/31/1956,\n"
        ",Moore,,,2\n");
  const LoadedTable table = Read({{"Id", ""}, {"Name", ""}, {"Modified", ""}, {"Born", "%m/%d/%Y"}, {"Points", "", true}});
  EXPECT_EQ(Column(table, 0), (Values{"094182bf-4a6e-433a-86f0-26fca6146f7e", "d4635c0f-e341-46d9-be05-3e329935cf6e",
                                      std::nullopt}));
  EXPECT_EQ(Column(table, 1), (Values{"Lopez, Betty", "", "Moore"}));
  EXPECT_EQ(Column(table, 2), (Values{"2023-06-21 02:12:07", "2023-06-21 02:12:07.25", std::nullopt}));
  // The format is DuckDB's try_strptime: a date it cannot read becomes null and is counted.
  EXPECT_EQ(Column(table, 3), (Values{"1956-04-20", std::nullopt, std::nullopt}));
  EXPECT_EQ(table.unparsed, (std::vector<int64_t>{0, 0, 0, 1, 0}));
  EXPECT_EQ(table.first_unparsed, (std::vector<int64_t>{0, 0, 0, 2, 0}));  // 31/31/1956 is in the second row
  // A decimal read as written keeps the file's text.
  EXPECT_EQ(Column(table, 4), (Values{"1.50", std::nullopt, "2"}));
}

TEST_F(LakeSourceTest, NumbersReadAsOneTextPerNumber) {
  // format: number gives each number one text, whole numbers without ".0": 10, 10.0 and 1e1 agree.
  Write("Crm/Member/M1.csv",
        "094182bf-4a6e-433a-86f0-26fca6146f7e,10,,,\n"
        "d4635c0f-e341-46d9-be05-3e329935cf6e,10.0,,,\n"
        "a4635c0f-e341-46d9-be05-3e329935cf6e,1e1,,,\n"
        "b4635c0f-e341-46d9-be05-3e329935cf6e,-9.50,,,\n"
        "c4635c0f-e341-46d9-be05-3e329935cf6e,ten,,,\n"
        "e4635c0f-e341-46d9-be05-3e329935cf6e,,,,\n");
  const LoadedTable table = Read({{"Id", ""}, {"Name", "number"}});
  EXPECT_EQ(Column(table, 1), (Values{"10", "10", "10", "-9.5", std::nullopt, std::nullopt}));
  EXPECT_EQ(table.unparsed, (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(table.first_unparsed, (std::vector<int64_t>{0, 5}));
}

TEST_F(LakeSourceTest, ATableTheReaderDeclinesIsReadByDuckDb) {
  // A Guid in braces is not the plain form the reader converts: DuckDB reads it.
  Write("Crm/Member/M1.csv", "{094182BF-4A6E-433A-86F0-26FCA6146F7E},Ann,,,\n");
  const LoadedTable table = Read({{"Id", ""}, {"Name", ""}});
  EXPECT_EQ(Column(table, 0), (Values{"094182bf-4a6e-433a-86f0-26fca6146f7e"}));
  EXPECT_EQ(Column(table, 1), (Values{"Ann"}));
}

TEST_F(LakeSourceTest, AMalformedRecordIsDuckDbsErrorNamingTheFile) {
  Write("Crm/Member/M1.csv",
        "094182bf-4a6e-433a-86f0-26fca6146f7e,Ann,,,\n"
        "d4635c0f-e341-46d9-be05-3e329935cf6e,\"Bob\"x,,,\n");
  try {
    Read({{"Id", ""}, {"Name", ""}});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("Member"), std::string::npos) << e.what();
    EXPECT_NE(e.location().file.find("M1.csv"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace cdmlake::unify
