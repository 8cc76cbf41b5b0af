#include "engine/sql_trace.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "engine/database.h"
#include "util/error.h"

namespace cdmlake::engine {
namespace {

std::vector<std::string> Lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

class SqlTraceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("cdmlake-sql-trace-" + std::to_string(::getpid()) + ".jsonl")).string();
  }
  void TearDown() override {
    StopSqlTrace();
    std::filesystem::remove(path_);
  }
  std::string path_;
};

TEST_F(SqlTraceTest, RecordsEveryStatementWithItsTimeAndErrors) {
  Database db(Settings{1, "256MB", "", {}});
  Connection con(db);
  con.Execute("SELECT 'not traced yet'");
  StartSqlTrace(path_);
  EXPECT_TRUE(SqlTraceEnabled());
  con.Execute("CREATE TEMP TABLE t AS SELECT range AS x FROM range(10)");
  EXPECT_EQ(con.Query("SELECT count(*) FROM t WHERE x <> 3 -- \"quoted\"\n").ScalarText(), "9");
  con.Run("SELECT sum(x) FROM t");
  EXPECT_THROW(con.Execute("SELECT * FROM no_such_table"), Error);
  StopSqlTrace();
  EXPECT_FALSE(SqlTraceEnabled());
  con.Execute("SELECT 'not traced any more'");

  std::vector<std::string> lines = Lines(path_);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].rfind("{\"seconds\": ", 0), 0u) << lines[0];
  EXPECT_NE(lines[0].find("\"sql\": \"CREATE TEMP TABLE t AS SELECT range AS x FROM range(10)\"}"), std::string::npos)
      << lines[0];
  // The statement's quotes and line break are escaped, so every record stays one line of JSON.
  EXPECT_NE(lines[1].find(R"(-- \"quoted\"\n")"), std::string::npos) << lines[1];
  EXPECT_NE(lines[2].find("SELECT sum(x) FROM t"), std::string::npos) << lines[2];
  EXPECT_NE(lines[3].find("\"error\": \"Catalog Error: Table with name no_such_table"), std::string::npos)
      << lines[3];
  for (const std::string& line : lines) EXPECT_EQ(line.find("not traced"), std::string::npos) << line;
}

TEST_F(SqlTraceTest, AnUnwritablePathIsAnIoErrorNamingTheFile) {
  const std::string bad = "/nonexistent-folder-for-cdmlake/trace.jsonl";
  try {
    StartSqlTrace(bad);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIo);
    EXPECT_EQ(e.location().file, bad);
  }
  EXPECT_FALSE(SqlTraceEnabled());
}

}  // namespace
}  // namespace cdmlake::engine
