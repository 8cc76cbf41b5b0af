#include "lake/csv_text_reader.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "engine/database.h"
#include "engine/quote.h"
#include "lake/catalog.h"
#include "lake/entity_files.h"
#include "lake/entity_sql.h"
#include "util/parallel.h"

namespace cdmlake::lake {
namespace {

namespace fs = std::filesystem;

using Rows = std::vector<std::vector<std::optional<std::string>>>;

// Every case is checked against DuckDB's own scan of the entity (BuildEntityScan) with each column cast to
// VARCHAR: the reader must give that text or decline.
class CsvTextReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("cdmlake_csvtext_" + std::to_string(::getpid()) + "_" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  void Write(const std::string& rel, const std::string& text) {
    fs::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel, std::ios::binary) << text;
  }

  // An entity "E" with the given attributes ("name": "Format" pairs) and CSV files, in a manifest that is a D365
  // export's (Tables/Tables.manifest.cdm.json: 1900-01-01 reads as NULL) or not.
  void Lake(const std::vector<std::pair<std::string, std::string>>& attributes, const std::vector<std::string>& files,
            bool header = false, bool d365 = false) {
    const std::string folder = d365 ? "Tables" : "Sales";
    std::string partitions;
    for (size_t i = 0; i < files.size(); ++i) {
      const std::string location = "E/E_" + std::to_string(i + 1) + ".csv";
      Write(folder + "/" + location, files[i]);
      if (i > 0) partitions += ", ";
      partitions += R"({"location": ")" + location +
                    R"(", "exhibitsTraits": [{"traitReference": "is.partition.format.CSV", "arguments": [)"
                    R"({"name": "columnHeaders", "value": ")" + std::string(header ? "true" : "false") +
                    R"("}, {"name": "delimiter", "value": ","}, {"name": "newline", "value": "\n"}]}]})";
    }
    Write(folder + "/" + folder + ".manifest.cdm.json",
          R"({"manifestName": ")" + folder + R"(", "entities": [{"entityName": "E", "entityPath": "E.cdm.json/E",
             "dataPartitions": [)" + partitions + "]}]}");
    std::string attrs;
    for (size_t i = 0; i < attributes.size(); ++i) {
      if (i > 0) attrs += ", ";
      attrs += R"({"name": ")" + attributes[i].first + R"(", "dataFormat": ")" + attributes[i].second + R"("})";
    }
    Write(folder + "/E.cdm.json", R"({"definitions": [{"entityName": "E", "hasAttributes": [)" + attrs + "]}]}");
    catalog_ = std::make_unique<Catalog>(Catalog::Open(*DefaultFileSystem(), root_.string(), {false, false}));
    entity_ = catalog_->Find("E");
    ASSERT_NE(entity_, nullptr);
    partitions_ = PrepareEntityFiles(*catalog_, *entity_);
  }

  // The reader's columns as rows, or nullopt when it declined (the reason in declined_).
  std::optional<Rows> Fast(const std::vector<std::string>& columns) {
    std::optional<std::vector<TextColumn>> read =
        ReadCsvAsText(*DefaultFileSystem(), *entity_, partitions_, root_.string(), columns, &declined_);
    if (!read) return std::nullopt;
    Rows rows;
    for (size_t c = 0; c < read->size(); ++c) {
      EXPECT_EQ((*read)[c].size(), (*read)[0].size()) << "column " << columns[c];
    }
    for (size_t r = 0; r < (read->empty() ? 0 : (*read)[0].size()); ++r) {
      std::vector<std::optional<std::string>> row;
      for (const TextColumn& column : *read) row.push_back(column.Value(r));
      rows.push_back(std::move(row));
    }
    return rows;
  }

  // DuckDB's scan of the same columns, as text.
  Rows Duck(const std::vector<std::string>& columns) {
    std::string select;
    for (const std::string& c : columns) {
      if (!select.empty()) select += ", ";
      select += "CAST(" + engine::QuoteIdentifier(c) + " AS VARCHAR)";
    }
    const std::string scan = BuildEntityScan(*entity_, partitions_, root_.string(), {}).sql;
    engine::Connection connection(db_);
    return connection.Query("SELECT " + select + " FROM (" + scan + ")").FetchAllText();
  }

  // The reader gives exactly DuckDB's rows.
  void ExpectSameAsDuckDb(const std::vector<std::string>& columns) {
    std::optional<Rows> fast = Fast(columns);
    ASSERT_TRUE(fast.has_value()) << "declined: " << declined_;
    EXPECT_EQ(*fast, Duck(columns));
  }

  fs::path root_;
  std::unique_ptr<Catalog> catalog_;
  const cdm::Entity* entity_ = nullptr;
  std::vector<cdm::Partition> partitions_;
  std::string declined_;
  engine::Database db_{engine::Settings{2, "512MB", "", {}}};
};

TEST_F(CsvTextReaderTest, ReadsD365ExportsAsDuckDbDoes) {
  Lake({{"ID", "Guid"}, {"NAME", "String"}, {"BORN", "Date"}, {"MODIFIED", "DateTime"}, {"RECID", "Int64"},
        {"QTY", "Int32"}, {"AMOUNT", "Decimal"}},
       {"094182BF-4A6E-433A-86F0-26FCA6146F7E,\"Contoso \"\"Retail\"\", Ltd.\",1967-12-24,"
        "\"2021-03-04T05:06:07.0000000Z\",5637144576,-12,1.50\n"
        "d4635c0f-e341-46d9-be05-3e329935cf6e,\"two\nlines, and a comma\",1900-01-01,1900-01-01T00:00:00.0000000,"
        "-9223372036854775808,2147483647,\n"
        "de1e27f8-8db7-439c-9f1f-b8262ade4acb,,2000-02-29,2024-02-29 23:59:59.120000,0,0,3\n"
        "2376a57a-be22-4939-a961-5a282f1344da,\"\",,2023-06-21T02:12:07Z,9223372036854775807,,2\n"
        ",James Gómez — 東京,1999-12-31,2023-06-21T02:12:07.000120Z,,-2147483648,0\n"
        "0f0f0f0f-0000-4000-8000-00000000000a, leading and trailing  ,2020-01-01,2020-01-01T00:00:00.5,1,1,1\n"
        "0f0f0f0f-0000-4000-8000-00000000000b,early,0099-01-01,0001-01-01T00:00:00Z,2,2,2\n"
        "0f0f0f0f-0000-4000-8000-00000000000c,late,9999-12-31,2023-06-21T02:12:07.000000000Z,3,3,3"},
       false, true);
  ExpectSameAsDuckDb({"ID", "NAME", "BORN", "MODIFIED", "RECID", "QTY"});
  // Columns in another order, in another case, and a subset: the decimal column is not read, so not refused.
  ExpectSameAsDuckDb({"modified", "id"});
  const std::optional<Rows> fast = Fast({"born", "modified"});
  ASSERT_TRUE(fast);
  EXPECT_EQ((*fast)[1][0], std::nullopt) << "F&O's empty date reads as NULL in an export";
  EXPECT_EQ((*fast)[1][1], std::nullopt);
}

TEST_F(CsvTextReaderTest, KeepsTheEmptyDateOutsideD365Exports) {
  Lake({{"BORN", "Date"}, {"MODIFIED", "DateTime"}}, {"1900-01-01,1900-01-01T00:00:00Z\n"});
  ExpectSameAsDuckDb({"BORN", "MODIFIED"});
  EXPECT_EQ((*Fast({"BORN"}))[0][0], std::optional<std::string>("1900-01-01"));
}

TEST_F(CsvTextReaderTest, SkipsTheHeaderAndReadsSeveralFilesInOrder) {
  Lake({{"LoyaltyId", "String"}, {"Name", "String"}, {"Points", "Int32"}},
       {"LoyaltyId,Name,Points\nLOY1,\"Lopez, Betty\",10\nLOY2,Watson,\n", "LoyaltyId,Name,Points\nLOY3,Moore,7\n"},
       true);
  ExpectSameAsDuckDb({"LoyaltyId", "Name", "Points"});
  EXPECT_EQ(Fast({"LoyaltyId"})->size(), 3u);
}

TEST_F(CsvTextReaderTest, ColumnsMissingFromNarrowerFilesAreNull) {
  // Written before C existed: two fields per record.
  Lake({{"A", "String"}, {"B", "Int64"}, {"C", "String"}}, {"x,1\ny,2\n"});
  ASSERT_EQ(partitions_[0].columns, 2);
  ExpectSameAsDuckDb({"C", "A", "B"});
  EXPECT_EQ((*Fast({"C"}))[1][0], std::nullopt);
}

// Records of three fields from a random mix of the characters that matter to a CSV reader, quoted where needed.
std::string RandomCsv(int rows, unsigned seed, bool line_breaks) {
  std::mt19937 random(seed);
  std::vector<std::string> pieces = {"a", "B", " ", ",", "\"", "é", "💡", "x y", "0", "#", "'", "\\", "\t"};
  if (line_breaks) pieces.push_back("\n");
  std::string file;
  for (int row = 0; row < rows; ++row) {
    for (int field = 0; field < 3; ++field) {
      if (field > 0) file += ',';
      const int length = static_cast<int>(random() % 6);
      std::string value;
      for (int i = 0; i < length; ++i) value += pieces[random() % pieces.size()];
      // Most line breaks of such a file are then inside values, where a guess of a record start is wrong.
      if (line_breaks && field == 1) value += "\n\n\n\n";
      const bool quote = value.empty() ? random() % 2 == 0
                                       : value.find_first_of(",\"\n") != std::string::npos || random() % 4 == 0;
      if (!quote) {
        file += value;
        continue;
      }
      file += '"';
      for (char c : value) file += c == '"' ? std::string("\"\"") : std::string(1, c);
      file += '"';
    }
    file += '\n';
  }
  return file;
}

TEST_F(CsvTextReaderTest, RandomTextReadsAsDuckDbReadsIt) {
  Lake({{"A", "String"}, {"B", "String"}, {"C", "String"}}, {RandomCsv(3000, 7, true)});
  ExpectSameAsDuckDb({"A", "B", "C"});
  ExpectSameAsDuckDb({"C"});
}

// Files of 4 MB and more are read in pieces on several threads, each piece guessing that a record starts after
// its first line break; a guess inside a quoted value must not change the result.
class CsvTextReaderPiecesTest : public CsvTextReaderTest {
 protected:
  void SetUp() override {
    CsvTextReaderTest::SetUp();
    SetWorkerThreads(4);
  }
  void TearDown() override {
    SetWorkerThreads(0);
    CsvTextReaderTest::TearDown();
  }
};

TEST_F(CsvTextReaderPiecesTest, LargeFilesReadAsDuckDbReadsThem) {
  for (bool line_breaks : {false, true}) {
    SCOPED_TRACE(line_breaks ? "values with line breaks" : "no line breaks in values");
    fs::remove_all(root_);
    const std::string text = RandomCsv(300000, 11, line_breaks);
    ASSERT_GT(text.size(), size_t{5} << 20);
    Lake({{"A", "String"}, {"B", "String"}, {"C", "String"}}, {text, "x,y,z\n"});
    ExpectSameAsDuckDb({"A", "B", "C"});
  }
}

TEST_F(CsvTextReaderPiecesTest, ARefusalInALaterPieceCounts) {
  // The malformed record sits near the end, in the last piece.
  Lake({{"A", "String"}, {"B", "String"}, {"C", "String"}}, {RandomCsv(300000, 12, false) + "a,\"b\"c,d\n"});
  EXPECT_FALSE(Fast({"A", "B", "C"}).has_value());
  EXPECT_NE(declined_.find("after a closing quote"), std::string::npos) << declined_;
}

TEST_F(CsvTextReaderPiecesTest, TheHeaderIsSkippedOnce) {
  Lake({{"A", "String"}, {"B", "String"}, {"C", "String"}}, {"A,B,C\n" + RandomCsv(300000, 13, true)}, true);
  ExpectSameAsDuckDb({"A", "B", "C"});
}

TEST_F(CsvTextReaderTest, DeclinesWhatItDoesNotReadTheWayDuckDbDoes) {
  struct Case {
    std::string format;
    std::string file;
    std::string reason;  // a part of the reason given
  };
  const std::vector<Case> cases = {
      {"String", "a,1\r\nb,2\r\n", "carriage return"},
      {"String", "\xEF\xBB\xBF" "a,1\n", "byte-order mark"},
      {"String", "a,1\n\nb,2\n", "empty line"},
      {"String", "a,1\nb\n", "fewer fields"},
      {"String", "a,1,2\n", "more fields"},
      {"String", "ab\"c,1\n", "quote inside an unquoted field"},
      {"String", "\"ab\"c,1\n", "after a closing quote"},
      {"String", "\"ab,1\n", "left open"},
      {"String", "a\xFF" "b,1\n", "UTF-8"},
      {"String", "", "empty file"},
      {"Guid", "{094182bf-4a6e-433a-86f0-26fca6146f7e},1\n", "plain one"},
      {"Guid", "094182bf4a6e433a86f026fca6146f7e,1\n", "plain one"},
      {"Guid", "\"\",1\n", "quoted empty"},
      {"Date", "2023-02-29,1\n", "plain one"},
      {"Date", "2023-1-5,1\n", "plain one"},
      {"DateTime", "2023-06-21T02:12:07.1234567Z,1\n", "plain one"},
      {"DateTime", "2023-06-21T02:12:07+02:00,1\n", "plain one"},
      {"DateTime", "2023-06-21,1\n", "plain one"},
      {"Int64", "007,1\n", "plain one"},
      {"Int64", "+7,1\n", "plain one"},
      {"Int32", "2147483648,1\n", "plain one"},
      {"Int64", " 7,1\n", "plain one"},
      {"Decimal", "1.5,1\n", "type"},
      {"Boolean", "true,1\n", "type"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.format + " " + c.file);
    fs::remove_all(root_);
    Lake({{"A", c.format}, {"B", "String"}}, {c.file});
    declined_.clear();
    EXPECT_FALSE(Fast({"A", "B"}).has_value());
    EXPECT_NE(declined_.find(c.reason), std::string::npos) << declined_;
  }
}

TEST_F(CsvTextReaderTest, ColumnsNotReadAreNotChecked) {
  // DuckDB does not cast or check the columns a query leaves out, nor does the reader.
  Lake({{"A", "String"}, {"B", "Int32"}, {"C", "String"}}, {"x,not a number,\xFF\n"});
  ExpectSameAsDuckDb({"A"});
}

TEST_F(CsvTextReaderTest, AnUnknownColumnIsDeclinedForDuckDbToReport) {
  Lake({{"A", "String"}}, {"x\n"});
  EXPECT_FALSE(Fast({"Missing"}).has_value());
  EXPECT_NE(declined_.find("Missing"), std::string::npos);
}

}  // namespace
}  // namespace cdmlake::lake
