#include "lake/csv_file_writer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>

#include "engine/database.h"
#include "engine/quote.h"

namespace cdmlake::lake {
namespace {

namespace fs = std::filesystem;

std::string Field(std::string_view value) {
  std::string out;
  AppendCsvField(&out, value);
  return out;
}

std::string Row(const std::vector<std::optional<std::string>>& values) {
  RowCells cells(values.size());
  for (size_t c = 0; c < values.size(); ++c) cells.Set(c, values[c]);
  std::string out;
  AppendCsvRow(&out, cells);
  return out;
}

TEST(CsvFormatTest, FieldsAreQuotedOnlyWhenDuckDbQuotesThem) {
  EXPECT_EQ(Field("plain"), "plain");
  EXPECT_EQ(Field(""), "\"\"") << "the empty string, told apart from NULL";
  EXPECT_EQ(Field("a,b"), "\"a,b\"");
  EXPECT_EQ(Field("q\"x"), "\"q\"\"x\"");
  EXPECT_EQ(Field("\""), "\"\"\"\"");
  EXPECT_EQ(Field("\"\""), "\"\"\"\"\"\"");
  EXPECT_EQ(Field("l1\nl2"), "\"l1\nl2\"");
  EXPECT_EQ(Field("cr\r"), "\"cr\r\"");
  EXPECT_EQ(Field("#c"), "\"#c\"");
  EXPECT_EQ(Field("x#y"), "\"x#y\"");
  // Not quoted by DuckDB either: spaces, tabs, other punctuation, non-ASCII text, the text NULL.
  EXPECT_EQ(Field(" lead"), " lead");
  EXPECT_EQ(Field("trail "), "trail ");
  EXPECT_EQ(Field(" "), " ");
  EXPECT_EQ(Field("tab\tx"), "tab\tx");
  EXPECT_EQ(Field("'s;\\b=f"), "'s;\\b=f");
  EXPECT_EQ(Field("é日本"), "é日本");
  EXPECT_EQ(Field("NULL"), "NULL");
}

// The scan looks at 16 or 8 bytes at a time and at the end of a value with an overlapping load: every byte at
// every position of values of every length up to 40 covers all its paths.
TEST(CsvFormatTest, EveryByteAtEveryPositionOfValuesOfEveryLength) {
  for (size_t length = 1; length <= 40; ++length) {
    EXPECT_FALSE(CsvNeedsQuotes(std::string(length, 'a'))) << length;
    EXPECT_FALSE(CsvNeedsQuotes(std::string(length, '\x80'))) << length;
    for (int b = 1; b < 256; ++b) {
      const char c = static_cast<char>(b);
      const bool quoted = c == ',' || c == '"' || c == '\n' || c == '\r' || c == '#';
      for (size_t at = 0; at < length; ++at) {
        std::string value(length, 'a');
        value[at] = c;
        ASSERT_EQ(CsvNeedsQuotes(value), quoted) << "byte " << b << " at " << at << " of " << length;
      }
    }
  }
}

TEST(CsvFormatTest, RowsWriteNullAsAnEmptyField) {
  EXPECT_EQ(Row({"a", std::nullopt, "", "b c"}), "a,,\"\",b c\n");
  EXPECT_EQ(Row({std::nullopt}), "\n");
  EXPECT_EQ(Row({std::nullopt, std::nullopt}), ",\n");
  RowCells cells(2);
  cells.SetCopy(0, "x\"y");
  cells.Set(1, std::string_view("ü,"));
  std::string out;
  AppendCsvRow(&out, cells);
  EXPECT_EQ(out, "\"x\"\"y\",\"ü,\"\n");
  std::string header;
  AppendCsvHeader(&header, {"id", "a b", "c,d"});
  EXPECT_EQ(header, "id,a b,\"c,d\"\n");
}

class CsvPartitionWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("cdmlake_csv_writer_" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  fs::path root_;
};

// The strongest check of the dialect: the same rows written by DuckDB's COPY and by CsvPartitionWriter give the
// same bytes.
TEST_F(CsvPartitionWriterTest, FilesAreByteIdenticalToDuckDbCopy) {
  const std::vector<std::string> columns = {"id", "a b", "c,d", "q\"h"};
  const std::vector<std::vector<std::optional<std::string>>> rows = {
      {"1", "plain", std::nullopt, ""},
      {"2", "", " lead", "trail "},
      {"3", "a,b", "q\"x", "l1\nl2"},
      {"4", "cr\r", "cr\r\nlf", "tab\tx"},
      {"5", "NULL", "é日本", "\""},
      {"6", " ", "'s", "\\b"},
      {"7", "#c", "x#y", "=f;"},
      {std::nullopt, std::nullopt, std::nullopt, std::nullopt},
  };
  engine::Database db(engine::Settings{1, "1GB", "", {}});
  engine::Connection connection(db);
  std::string values;
  for (const auto& row : rows) {
    values += values.empty() ? "(" : ", (";
    for (size_t c = 0; c < row.size(); ++c) {
      values += (c > 0 ? ", " : "") + (row[c] ? engine::QuoteLiteral(*row[c]) : std::string("NULL::VARCHAR"));
    }
    values += ")";
  }
  std::string names;
  for (const auto& c : columns) names += (names.empty() ? "" : ", ") + engine::QuoteIdentifier(c);
  const fs::path duck = root_ / "duck";
  connection.Execute("COPY (SELECT * FROM (VALUES " + values + ") t(" + names + ")) TO " +
                     engine::QuoteLiteral(duck.string()) +
                     " (FORMAT csv, FILE_SIZE_BYTES 1000000, FILENAME_PATTERN 'x-{i}', HEADER true, DELIMITER ',', "
                     "QUOTE '\"', ESCAPE '\"')");
  fs::create_directories(root_ / "mine");
  CsvPartitionWriter writer(*DefaultFileSystem(), (root_ / "mine").string(), "x", columns, 1000000);
  RowCells cells(columns.size());
  for (const auto& row : rows) {
    cells.Clear();
    for (size_t c = 0; c < row.size(); ++c) cells.Set(c, row[c]);
    writer.Append(cells);
  }
  EXPECT_EQ(writer.Finish(), std::vector<std::string>{"x-0.csv"});
  EXPECT_EQ(writer.rows(), static_cast<int64_t>(rows.size()));
  const std::string expected = DefaultFileSystem()->ReadFile((duck / "x-0.csv").string());
  EXPECT_EQ(DefaultFileSystem()->ReadFile((root_ / "mine/x-0.csv").string()), expected);
}

TEST(CsvPartitionWriterMemoryTest, FilesAreSplitAtTheSizeLimitEachWithTheHeader) {
  MemoryFileSystem memory;
  memory.CreateDirectories("/out");
  CsvPartitionWriter writer(memory, "/out", "big", {"n"}, 20);  // "n\n" and 3 rows of "row k\n": 20 bytes
  RowCells cells(1);
  for (int i = 0; i < 10; ++i) {
    cells.Clear();
    cells.SetCopy(0, "row " + std::to_string(i));
    writer.Append(cells);
  }
  const std::vector<std::string> files = writer.Finish();
  ASSERT_EQ(files, (std::vector<std::string>{"big-0.csv", "big-1.csv", "big-2.csv", "big-3.csv"}));
  EXPECT_EQ(memory.ReadFile("/out/big-0.csv"), "n\nrow 0\nrow 1\nrow 2\n") << "the row that reaches the limit ends a file";
  EXPECT_EQ(memory.ReadFile("/out/big-1.csv"), "n\nrow 3\nrow 4\nrow 5\n");
  EXPECT_EQ(memory.ReadFile("/out/big-3.csv"), "n\nrow 9\n");
  EXPECT_EQ(writer.rows(), 10);
}

TEST(CsvPartitionWriterMemoryTest, NoRowsWriteOneFileWithTheHeaderAndARowLargerThanTheLimitItsOwnFile) {
  MemoryFileSystem memory;
  memory.CreateDirectories("/out");
  {
    CsvPartitionWriter empty(memory, "/out", "empty", {"a", "b"}, 10);
    EXPECT_EQ(empty.Finish(), std::vector<std::string>{"empty-0.csv"});
    EXPECT_EQ(memory.ReadFile("/out/empty-0.csv"), "a,b\n");
  }
  CsvPartitionWriter writer(memory, "/out", "wide", {}, 4);  // no header
  RowCells cells(1);
  for (const char* value : {"0123456789", "x"}) {
    cells.Clear();
    cells.Set(0, std::string_view(value));
    writer.Append(cells);
  }
  EXPECT_EQ(writer.Finish(), (std::vector<std::string>{"wide-0.csv", "wide-1.csv"}));
  EXPECT_EQ(memory.ReadFile("/out/wide-0.csv"), "0123456789\n");
  EXPECT_EQ(memory.ReadFile("/out/wide-1.csv"), "x\n");
}

TEST(CsvPartitionWriterMemoryTest, AFullDiskThrowsIo) {
  MemoryFileSystem memory;
  memory.CreateDirectories("/out");
  memory.set_write_budget(100);
  CsvPartitionWriter writer(memory, "/out", "full", {"v"}, 1 << 30);
  RowCells cells(1);
  const std::string value(50, 'x');
  try {
    for (int i = 0; i < 10; ++i) {
      cells.Clear();
      cells.Set(0, value);
      writer.Append(cells);
    }
    writer.Finish();
    FAIL() << "the write budget was not enforced";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIo);
  }
}

}  // namespace
}  // namespace cdmlake::lake
