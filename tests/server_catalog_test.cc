// `cdmlake serve`'s catalog emulation seen through psql: the backslash commands (\l, \dn, \dt, \dv, \d, \d+, \df,
// \dt schema.*), information_schema, and OIDs that stay the same when the server restarts. Each test starts the
// server on a free loopback port over a small generated lake with one saved view; without psql the tests skip.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <cctype>
#include <string>
#include <vector>

#include "server_clients_support.h"
#include "test_support.h"

namespace cdmlake_e2e {
namespace {

class ServerCatalog : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("cdmlake-e2e-catalog");
    lake_ = dir_->path() + "/lake";
    ready_ = GenerateLake(lake_, 200, 11) &&
             // A view of the logical data warehouse, saved in the lake: the one view psql lists.
             SqlCsv(lake_, R"(CREATE VIEW big_lines AS SELECT "SALESID", "LINEAMOUNT" FROM SalesLine
                              WHERE "LINEAMOUNT" > 100)")
                 .has_value();
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (FindExecutable("psql").empty()) GTEST_SKIP() << "psql not installed (postgresql-client-15)";
    ASSERT_TRUE(ready_) << "the lake could not be generated";
    std::string problem = server_.Start(lake_);
    ASSERT_EQ(problem, "") << "cdmlake serve did not start";
    // The catalog as clients see it once the table cache holds the tables (decimals narrowed, views created
    // again): the state a server is in for all but its first minutes.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!Contains(server_.Stderr(), "table cache:") && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_TRUE(Contains(server_.Stderr(), "table cache:")) << server_.Stderr();
  }
  void TearDown() override {
    if (server_.port() != 0) {
      EXPECT_EQ(server_.Stop(), 0) << server_.Stderr();
    }
  }

  ProcessResult Psql(const std::vector<std::string>& args) {
    std::vector<std::string> argv{"psql", "-X", "-v", "ON_ERROR_STOP=1"};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunProcess(argv,
                      {{"PGHOST", "127.0.0.1"}, {"PGPORT", std::to_string(server_.port())}, {"PGUSER", "tester"},
                       {"PGDATABASE", "lake"}, {"PGCONNECT_TIMEOUT", "10"}, {"PSQLRC", "/dev/null"}},
                      "", std::chrono::seconds(60));
  }

  // Runs one psql command; it must succeed without messages on stderr and print every expected text.
  void ExpectCommand(const std::string& command, const std::vector<std::string>& expected) {
    ProcessResult r = Psql({"-c", command});
    EXPECT_EQ(r.exit_code, 0) << r.Describe();
    EXPECT_EQ(r.err, "") << r.Describe();
    for (const std::string& text : expected) EXPECT_TRUE(Contains(r.out, text)) << text << "\n" << r.Describe();
  }

  static TempDir* dir_;
  static std::string lake_;
  static bool ready_;
  ServeProcess server_;
};

TempDir* ServerCatalog::dir_ = nullptr;
std::string ServerCatalog::lake_;
bool ServerCatalog::ready_ = false;

TEST_F(ServerCatalog, PsqlListCommands) {
  ExpectCommand("\\l", {"List of databases", " lake ", "UTF8"});
  ExpectCommand("\\dn", {"List of schemas", " public ", " Tables "});
  // Unique entity names of the lake are in public (DuckDB's main), shown as tables.
  ExpectCommand("\\dt", {"List of relations", " public | SalesLine ", " public | CustTable ", "| table |"});
  ExpectCommand("\\d", {" public | SalesTable "});
  ExpectCommand("\\dt tables.*", {" Tables | SalesLine ", " Tables | InventTable "});
  ExpectCommand("\\dt \"Tables\".*", {" Tables | SalesLine "});
  // The lake's entities are tables; the saved view is the one view.
  ExpectCommand("\\dv", {" public | big_lines | view "});
  ExpectCommand("\\df", {"List of functions"});
}

TEST_F(ServerCatalog, PsqlDescribeTable) {
  // Unquoted names fold to lower case in psql; DuckDB's names are case-insensitive, so this finds SalesLine.
  ExpectCommand("\\d salesline", {"Table \"public.SalesLine\"", "RECID", "bigint", "LINEAMOUNT", "numeric(18,6)",
                                  "SHIPPINGDATEREQUESTED", "timestamp without time zone"});
  ExpectCommand("\\d+ \"Tables\".\"SalesLine\"", {"Table \"Tables.SalesLine\"", "Storage", "extended", "main",
                                                  "Access method: heap"});
  ExpectCommand("\\d+ big_lines", {"View \"public.big_lines\"", "LINEAMOUNT", "numeric(18,6)", "View definition:",
                                     "FROM SalesLine"});
  ProcessResult r = Psql({"-c", "\\d no_such_table"});
  EXPECT_TRUE(Contains(r.err, "Did not find any relation named \"no_such_table\"")) << r.Describe();
}

TEST_F(ServerCatalog, InformationSchema) {
  ProcessResult r = Psql({"-At", "-F", "|", "-c",
                          "SELECT table_catalog, table_schema, table_name, table_type FROM information_schema.tables "
                          "WHERE table_name = 'SalesLine' ORDER BY table_schema"});
  EXPECT_EQ(r.out, "lake|Tables|SalesLine|BASE TABLE\nlake|public|SalesLine|BASE TABLE\n") << r.Describe();
  r = Psql({"-At", "-F", "|", "-c",
            "SELECT column_name, data_type, numeric_precision, numeric_scale FROM information_schema.columns "
            "WHERE table_schema = 'public' AND table_name = 'SalesLine' AND column_name IN ('RECID', 'LINEAMOUNT') "
            "ORDER BY ordinal_position"});
  // DECIMAL(32,6) in the lake, stored as DECIMAL(18,6) by the table cache (every value fits).
  EXPECT_EQ(r.out, "RECID|bigint|64|0\nLINEAMOUNT|numeric|18|6\n") << r.Describe();
  // The names the catalog reports resolve in queries: public."SalesLine" is main's SalesLine.
  r = Psql({"-At", "-c", "SELECT count(*) > 0 FROM public.\"SalesLine\""});
  EXPECT_EQ(r.out, "t\n") << r.Describe();
}

TEST_F(ServerCatalog, OidsSurviveRestart) {
  const std::string query =
      "SELECT c.oid, n.oid, count(a.attname) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
      "ON n.oid = c.relnamespace JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid "
      "WHERE c.relname = 'SalesLine' GROUP BY 1, 2 ORDER BY 1";
  ProcessResult first = Psql({"-At", "-c", query});
  ASSERT_EQ(first.exit_code, 0) << first.Describe();
  ASSERT_EQ(std::count(first.out.begin(), first.out.end(), '\n'), 2) << first.out;  // Tables and public
  ASSERT_EQ(server_.Stop(), 0) << server_.Stderr();
  ASSERT_EQ(server_.Start(lake_), "");
  ProcessResult second = Psql({"-At", "-c", query});
  EXPECT_EQ(second.out, first.out);
  // regclass casts agree with pg_class.
  ProcessResult cast = Psql({"-At", "-c", "SELECT '\"SalesLine\"'::regclass::oid = (SELECT oid FROM pg_class "
                                          "WHERE relname = 'SalesLine' AND relnamespace = 2200)"});
  EXPECT_EQ(cast.out, "t\n") << cast.Describe();
}

// `cdmlake sql "CREATE VIEW …"` while the server runs: the server picks the view up at its next check of the lake
// (--cache-refresh seconds), for every session and in the catalog; DROP VIEW takes it away again.
TEST_F(ServerCatalog, ViewsSavedWhileServingAppearWithoutARestart) {
  ASSERT_EQ(server_.Stop(), 0) << server_.Stderr();
  ASSERT_EQ(server_.Start(lake_, {"--cache-refresh", "0.2"}), "");
  ASSERT_TRUE(SqlCsv(lake_, R"(CREATE VIEW small_lines AS SELECT "SALESID" FROM SalesLine WHERE "LINEAMOUNT" < 10)")
                  .has_value());
  auto listed = [&] {
    ProcessResult r = Psql({"-At", "-c", "SELECT count(*) FROM pg_catalog.pg_class WHERE relname = 'small_lines'"});
    return r.out;
  };
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (listed() != "1\n" && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(listed(), "1\n") << server_.Stderr();
  std::string expected = SqlScalar(lake_, "SELECT count(*) FROM small_lines");
  ProcessResult count = Psql({"-At", "-c", "SELECT count(*) FROM small_lines"});
  EXPECT_EQ(count.out, expected + "\n") << count.Describe();
  ExpectCommand("\\dv", {" public | small_lines | view "});

  ASSERT_TRUE(SqlCsv(lake_, "DROP VIEW small_lines").has_value());
  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (listed() != "0\n" && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(listed(), "0\n") << server_.Stderr();
  EXPECT_NE(Psql({"-At", "-c", "SELECT count(*) FROM small_lines"}).exit_code, 0) << "dropped for every session";
}

}  // namespace
}  // namespace cdmlake_e2e
