#include "engine/database.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

namespace cdmlake::engine {
namespace {

Settings TestSettings() { return Settings{2, "512MB", "", {}}; }

std::string Cell(Connection& con, const std::string& sql) { return con.Query(sql).ScalarText(); }

TEST(DatabaseTest, FormatsEveryCommonTypeLikeDuckDB) {
  Database db(TestSettings());
  Connection con(db);
  // Compare our vector formatting with DuckDB's own cast to VARCHAR.
  const char* expressions[] = {
      "TRUE", "42::TINYINT", "-7::SMALLINT", "123456::INTEGER", "(-9223372036854775808)::BIGINT",
      "255::UTINYINT", "18446744073709551615::UBIGINT", "170141183460469231731687303715884105727::HUGEINT",
      "1.5::FLOAT", "0.1::DOUBLE", "123.4500::DECIMAL(10,4)", "-0.05::DECIMAL(4,2)",
      "12345678901234567890.123456::DECIMAL(38,6)", "-1::DECIMAL(18,3)", "'héllo'", "DATE '2024-02-29'",
      "DATE '0001-01-01'", "TIME '13:45:07.25'", "TIMESTAMP '2020-08-24 05:26:03.862264'",
      "TIMESTAMP '1900-01-01 00:00:00'", "'5c8b3e8f-1d2a-4b5c-9e8f-0a1b2c3d4e5f'::UUID",
      "'00000000-0000-0000-0000-000000000000'::UUID", "INTERVAL 14 MONTH + INTERVAL 3 DAY + INTERVAL 90 MINUTE",
      "'infinity'::DATE"};
  for (const char* e : expressions) {
    std::string ours = Cell(con, std::string("SELECT ") + e);
    std::string theirs = Cell(con, std::string("SELECT (") + e + ")::VARCHAR");
    EXPECT_EQ(ours, theirs) << e;
  }
  EXPECT_EQ(Cell(con, "SELECT [1, 2, NULL]"), "[1, 2, NULL]");
  EXPECT_EQ(Cell(con, "SELECT {'a': 1, 'b': 'x'}"), "{'a': 1, 'b': 'x'}");
  EXPECT_EQ(Cell(con, "SELECT MAP {'k': 2}"), "{'k'=2}");
  EXPECT_EQ(Cell(con, "SELECT TIMESTAMPTZ '2020-01-01 10:00:00+02'"), "2020-01-01 08:00:00+00");
}

TEST(DatabaseTest, NullsAndTypedAccess) {
  Database db(TestSettings());
  Connection con(db);
  Result r = con.Query("SELECT NULL::INTEGER AS n, 7::SMALLINT AS s, 2.5 AS d, 'x' AS v, TRUE AS b");
  EXPECT_EQ(r.column_name(0), "n");
  EXPECT_EQ(r.column_type_name(1), "SMALLINT");
  Chunk chunk;
  ASSERT_TRUE(r.Next(&chunk));
  EXPECT_TRUE(chunk.IsNull(0, 0));
  EXPECT_FALSE(chunk.Text(0, 0).has_value());
  EXPECT_EQ(chunk.GetInt64(1, 0), 7);
  EXPECT_EQ(chunk.GetString(3, 0), "x");
  EXPECT_TRUE(chunk.GetBool(4, 0));
  EXPECT_FALSE(r.Next(&chunk));
}

TEST(DatabaseTest, PreparedStatementsBindTypedParameters) {
  Database db(TestSettings());
  Connection con(db);
  PreparedStatement ps = con.Prepare("SELECT $1::BIGINT + 1, $2 || '!', $3::DOUBLE * 2, $4 IS NULL");
  EXPECT_EQ(ps.parameter_count(), 4u);
  ps.Bind(1, int64_t{41}).Bind(2, "hi").Bind(3, 1.25).BindNull(4);
  auto rows = ps.Execute().FetchAllText();
  EXPECT_EQ(*rows[0][0], "42");
  EXPECT_EQ(*rows[0][1], "hi!");
  EXPECT_EQ(*rows[0][2], "2.5");
  EXPECT_EQ(*rows[0][3], "true");
  EXPECT_THROW(ps.Bind(9, int64_t{1}), EngineError);
}

TEST(DatabaseTest, AppenderWritesRows) {
  Database db(TestSettings());
  Connection con(db);
  con.Execute("CREATE TABLE t (id BIGINT, name VARCHAR, amount DOUBLE)");
  {
    Appender app = con.CreateAppender("main", "t");
    for (int64_t i = 0; i < 5000; ++i) {
      app.Append(i).Append(std::string_view(i % 2 ? "odd" : "even")).Append(i * 0.5);
      app.EndRow();
    }
    app.Close();
  }
  EXPECT_EQ(Cell(con, "SELECT count(*) || '/' || sum(amount) FROM t"), "5000/6248750.0");
}

TEST(DatabaseTest, ErrorsKeepDuckDBsType) {
  Database db(TestSettings());
  Connection con(db);
  try {
    con.Execute("SELEC 1");
    FAIL();
  } catch (const EngineError& e) {
    EXPECT_EQ(e.type(), DUCKDB_ERROR_PARSER);
    EXPECT_EQ(e.ExitCode(), 1);
  }
  try {
    con.Query("SELECT * FROM no_such_table");
    FAIL();
  } catch (const EngineError& e) {
    EXPECT_EQ(e.type(), DUCKDB_ERROR_CATALOG);
  }
  try {
    con.Query("SELECT 'abc'::INTEGER");
    FAIL();
  } catch (const EngineError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kData);
  }
}

TEST(DatabaseTest, RunExecutesScriptsAndStreamsTheLastResult) {
  Database db(TestSettings());
  Connection con(db);
  Result r = con.Run("CREATE TABLE a AS SELECT range AS x FROM range(10000); SELECT sum(x) FROM a");
  EXPECT_EQ(r.ScalarText(), "49995000");
  EXPECT_THROW(con.Run("SELECT 1; SELEC 2"), EngineError);
  EXPECT_THROW(con.Run("   "), EngineError);
}

// A streamed result must report errors met while producing later chunks, not end silently.
TEST(DatabaseTest, StreamingErrorsAreReported) {
  Database db(TestSettings());
  Connection con(db);
  auto consume = [&con] {
    Result r = con.Run("SELECT CASE WHEN range < 100000 THEN range::VARCHAR ELSE 'x' END::INTEGER FROM range(200000)");
    Chunk chunk;
    while (r.Next(&chunk)) {
    }
  };
  EXPECT_THROW(consume(), EngineError);
}

TEST(DatabaseTest, InterruptStopsARunningQuery) {
  Database db(TestSettings());
  Connection con(db);
  std::thread stopper([&con] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    con.Interrupt();
  });
  try {
    con.Query("SELECT count(*) FROM range(10000000000) a WHERE hash(a.range) % 7 = 3");
    ADD_FAILURE() << "the query should have been interrupted";
  } catch (const EngineError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInterrupted);
  }
  stopper.join();
}

TEST(DatabaseTest, InvalidSettingIsRejected) {
  EXPECT_THROW(Database(Settings{1, "lots", "", {}}), EngineError);
}

TEST(DatabaseTest, SandboxRestrictsFileAccess) {
  auto dir = std::filesystem::temp_directory_path() / ("cdmlake_sandbox_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "ok.csv") << "a\n1\n";
  Settings settings = TestSettings();
  settings.allowed_directories = {dir.string()};
  Database db(settings);
  Connection con(db);
  EXPECT_EQ(Cell(con, "SELECT count(*) FROM read_csv('" + (dir / "ok.csv").string() + "')"), "1");
  EXPECT_THROW(con.Query("SELECT * FROM read_csv('/etc/passwd')"), EngineError);
  EXPECT_THROW(con.Execute("SET enable_external_access = true"), EngineError);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cdmlake::engine
