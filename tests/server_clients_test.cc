// `cdmlake serve` with the real clients BI tools and scripts use, installed from Debian: psql, psycopg2, psycopg 3,
// pgJDBC and psqlODBC. Every test starts its own server on a free loopback port over a small generated lake, runs
// scripted sessions, and stops the server with SIGTERM, which must end it with exit code 0. Values are checked
// against what `cdmlake sql` computes over the same lake (not through the server). The Python and Java sessions
// live in tests/server_clients/ and report every failed check on stdout. A test whose client is not installed
// skips with the Debian package to install (scripts/install-deps.sh installs them all).
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server_clients_support.h"
#include "test_support.h"

namespace cdmlake_e2e {
namespace {

constexpr int64_t kScale = 300;

class ServerClients : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("cdmlake-e2e-clients");
    lake_ = dir_->path() + "/lake";
    ready_ = GenerateLake(lake_, kScale, 7);
    if (!ready_) return;
    // What the clients must see, computed without the server.
    expect_ = nlohmann::json::object();
    auto totals = SqlCsv(lake_, R"(SELECT count(*), sum("LINEAMOUNT") FROM SalesLine)");
    auto customer = SqlCsv(lake_, R"(SELECT "CUSTACCOUNT" FROM SalesLine ORDER BY "RECID" LIMIT 1)");
    auto recids = SqlCsv(lake_, R"(SELECT "RECID" FROM SalesLine ORDER BY "RECID" LIMIT 3 OFFSET 2)");
    auto first = SqlCsv(lake_, R"(SELECT "RECID" FROM SalesLine ORDER BY "RECID" LIMIT 3)");
    if (!totals || !customer || !recids || !first || totals->size() < 2 || customer->size() < 2) {
      ready_ = false;
      return;
    }
    expect_["sales_count"] = (*totals)[1][0];
    expect_["sales_total"] = (*totals)[1][1];
    std::string account = (*customer)[1][0];
    expect_["customer"] = account;
    auto lines = SqlCsv(lake_, R"(SELECT "SALESID", "LINEAMOUNT", coalesce(strftime("SHIPPINGDATEREQUESTED",
                                  '%Y-%m-%d %H:%M:%S'), '') FROM SalesLine WHERE "CUSTACCOUNT" = ')" +
                                   account + R"(' ORDER BY "RECID")");
    if (!lines) {
      ready_ = false;
      return;
    }
    expect_["customer_lines"] = nlohmann::json::array();
    for (size_t i = 1; i < lines->size(); ++i) expect_["customer_lines"].push_back((*lines)[i]);
    expect_["recids_2_5"] = nlohmann::json::array();
    for (size_t i = 1; i < recids->size(); ++i) expect_["recids_2_5"].push_back((*recids)[i][0]);
    expect_["all_recids_3"] = nlohmann::json::array();
    for (size_t i = 1; i < first->size(); ++i) expect_["all_recids_3"].push_back((*first)[i][0]);
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(ready_) << "the lake could not be generated"; }

  // libpq's environment for a client of `server` (trust: any user name).
  static std::map<std::string, std::string> LibpqEnv(const ServeProcess& server) {
    return {{"PGHOST", "127.0.0.1"},   {"PGPORT", std::to_string(server.port())},
            {"PGUSER", "tester"},      {"PGDATABASE", "lake"},
            {"PGCONNECT_TIMEOUT", "10"}, {"PGSSLMODE", "prefer"},
            {"CDMLAKE_EXPECT", expect_.dump()}, {"PYTHONPATH", ClientScriptsDir()},
            {"PYTHONDONTWRITEBYTECODE", "1"}, {"PGTZ", "UTC"},
            {"PSQLRC", "/dev/null"}};
  }

  static ProcessResult Psql(const ServeProcess& server, const std::vector<std::string>& args,
                            const std::string& input = "") {
    std::vector<std::string> argv{"psql", "-X", "-v", "ON_ERROR_STOP=1"};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunProcess(argv, LibpqEnv(server), input, std::chrono::seconds(60));
  }

  static ProcessResult Python(const ServeProcess& server, const std::string& script,
                              std::map<std::string, std::string> extra_env = {}) {
    std::map<std::string, std::string> env = LibpqEnv(server);
    for (auto& [k, v] : extra_env) env[k] = v;
    return RunProcess({kPython, ClientScriptsDir() + "/" + script}, env, "", std::chrono::seconds(90));
  }

  static TempDir* dir_;
  static std::string lake_;
  static bool ready_;
  static nlohmann::json expect_;
};

TempDir* ServerClients::dir_ = nullptr;
std::string ServerClients::lake_;
bool ServerClients::ready_ = false;
nlohmann::json ServerClients::expect_;

void StartServer(ServeProcess& server, const std::string& lake, const std::vector<std::string>& args = {}) {
  std::string problem = server.Start(lake, args);
  ASSERT_EQ(problem, "") << "cdmlake serve did not start";
}

#define START_SERVER(server) \
  ServeProcess server;       \
  ASSERT_NO_FATAL_FAILURE(StartServer(server, lake_))

#define SKIP_WITHOUT_PSQL()                                                                      \
  if (FindExecutable("psql").empty()) GTEST_SKIP() << "psql not installed (postgresql-client-15)"

TEST_F(ServerClients, PsqlQueries) {
  SKIP_WITHOUT_PSQL();
  START_SERVER(server);
  // Unaligned output: exact values of lake data and typed literals.
  ProcessResult r = Psql(server, {"-At", "-F", "|", "-c",
                                  R"(SELECT count(*), sum("LINEAMOUNT") FROM SalesLine)", "-c",
                                  R"(SELECT "RECID" FROM SalesLine ORDER BY "RECID" LIMIT 3 OFFSET 2)", "-c",
                                  "SELECT 'it''s ☕', CAST(NULL AS integer) IS NULL, DATE '2024-02-29', "
                                  "TIMESTAMP '2021-03-04 05:06:07.5', CAST(1.50 AS numeric(5,2)), true"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  std::string want = expect_["sales_count"].get<std::string>() + "|" + expect_["sales_total"].get<std::string>() +
                     "\n";
  for (const auto& id : expect_["recids_2_5"]) want += id.get<std::string>() + "\n";
  want += "it's ☕|t|2024-02-29|2021-03-04 05:06:07.5|1.50|t\n";
  EXPECT_EQ(r.out, want) << r.Describe();

  // Several statements in one -c string are one simple Query message; psql prints every result.
  r = Psql(server, {"-At", "-c", "SELECT 1 AS a; SELECT 2 AS b; SHOW DateStyle"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(r.out, "1\n2\nISO, MDY\n") << r.Describe();

  // Aligned output with headers, as people read it.
  r = Psql(server, {"-c", R"(SELECT "SALESID" AS id, "LINEAMOUNT" AS amount FROM SalesLine ORDER BY "RECID" LIMIT 1)"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_TRUE(Contains(r.out, " id ")) << r.Describe();
  EXPECT_TRUE(Contains(r.out, "(1 row)")) << r.Describe();

  // A script on stdin: session settings, a transaction, \gset variables, CSV output.
  r = Psql(server, {"-q", "-At", "-f", "-"},
           "SET application_name = 'e2e-psql';\n"
           "SHOW application_name;\n"
           "BEGIN;\n"
           "SELECT count(*) AS n FROM SalesLine \\gset\n"
           "\\echo lines :n\n"
           "COMMIT;\n"
           "\\pset format csv\n"
           "SELECT 'a,b' AS x, 'q\"q' AS y;\n");
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(r.out, "e2e-psql\nlines " + expect_["sales_count"].get<std::string>() + "\n\"a,b\",\"q\"\"q\"\n")
      << r.Describe();

  // Errors carry their SQLSTATE (VERBOSITY verbose prints it) and do not end the session.
  r = Psql(server, {"-v", "ON_ERROR_STOP=0", "-f", "-"},
           "\\set VERBOSITY verbose\n"
           "SELECT * FROM no_such_table;\n"
           "SELEC 1;\n"
           "SELECT CAST('abc' AS integer);\n"
           "CREATE TABLE e2e_t (a integer);\n"
           "SELECT 42 AS still_alive;\n");
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_TRUE(Contains(r.err, "ERROR:  42P01:")) << r.Describe();
  EXPECT_TRUE(Contains(r.err, "ERROR:  42601:")) << r.Describe();
  EXPECT_TRUE(Contains(r.err, "ERROR:  22P02:")) << r.Describe();
  EXPECT_TRUE(Contains(r.err, "ERROR:  25006:")) << r.Describe();
  EXPECT_TRUE(Contains(r.out, "42")) << r.Describe();

  // A failing -c command makes psql exit 1.
  r = Psql(server, {"-c", "SELECT * FROM no_such_table"});
  EXPECT_EQ(r.exit_code, 1) << r.Describe();

  EXPECT_EQ(server.Stop(), 0) << server.Stderr();
}

// psql's backslash commands query pg_catalog, answered by the catalog emulation (src/server/catalog_emulation*).
TEST_F(ServerClients, PsqlCatalogCommands) {
  SKIP_WITHOUT_PSQL();
  START_SERVER(server);
  struct Case {
    std::string command;
    std::vector<std::string> must_contain;
  };
  std::vector<Case> cases = {
      {"\\l", {"lake"}},
      {"\\dn", {"List of schemas"}},
      {"\\dt", {"salesline", "custtable"}},
      {"\\dv", {}},
      // numeric(32,6) from the files, numeric(18,6) once the table cache holds the table (docs/server.md).
      {"\\d \"SalesLine\"", {"RECID", "bigint", "LINEAMOUNT", "numeric(", ",6)", "SHIPPINGDATEREQUESTED"}},
      {"\\df", {}},
  };
  std::vector<std::string> failures;
  for (const Case& c : cases) {
    ProcessResult r = Psql(server, {"-c", c.command});
    // With no views, psql says so on stderr, as it does with PostgreSQL.
    bool ok = r.exit_code == 0 && (r.err.empty() || r.err == "Did not find any relations.\n");
    std::string lower_out = r.out;
    for (char& ch : lower_out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    for (const auto& s : c.must_contain) {
      std::string lower = s;
      for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (!Contains(lower_out, lower)) ok = false;
    }
    if (!ok) failures.push_back(c.command + ":\n" + r.Describe());
  }
  EXPECT_EQ(server.Stop(), 0) << server.Stderr();
  std::string all;
  for (const auto& f : failures) all += f + "\n";
  EXPECT_TRUE(failures.empty()) << all;
}

TEST_F(ServerClients, Psycopg2) {
  std::string missing = MissingPythonModules({"psycopg2"}, "python3-psycopg2");
  if (!missing.empty()) GTEST_SKIP() << missing;
  START_SERVER(server);
  ProcessResult r = Python(server, "psycopg2_session.py");
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(server.Stop(), 0) << server.Stderr();
}

TEST_F(ServerClients, Psycopg3) {
  std::string missing = MissingPythonModules({"psycopg"}, "python3-psycopg");
  if (!missing.empty()) GTEST_SKIP() << missing;
  START_SERVER(server);
  ProcessResult r = Python(server, "psycopg3_session.py");
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(server.Stop(), 0) << server.Stderr();
}

// psycopg's server-side cursors (and psycopg2's named cursors) are SQL: DECLARE name CURSOR FOR ..., FETCH FORWARD n
// FROM name, CLOSE name.
TEST_F(ServerClients, Psycopg3ServerSideCursor) {
  std::string missing = MissingPythonModules({"psycopg"}, "python3-psycopg");
  if (!missing.empty()) GTEST_SKIP() << missing;
  START_SERVER(server);
  ProcessResult r = RunProcess({kPython, ClientScriptsDir() + "/psycopg3_session.py", "server-cursor"},
                               LibpqEnv(server), "", std::chrono::seconds(60));
  EXPECT_EQ(server.Stop(), 0) << server.Stderr();
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
}

// Environment of the Java and ODBC sessions: the expected values as plain variables.
std::map<std::string, std::string> PlainExpectations(const nlohmann::json& expect) {
  std::string first;
  for (const auto& id : expect["all_recids_3"]) first += (first.empty() ? "" : ",") + id.get<std::string>();
  // The customer's total with the scale of LINEAMOUNT (6), summed exactly from the expected lines.
  int64_t units = 0;
  for (const auto& line : expect["customer_lines"]) units += DecimalUnits(line[1].get<std::string>(), 6);
  std::string digits = std::to_string(units < 0 ? -units : units);
  while (digits.size() < 7) digits = "0" + digits;
  std::string total =
      (units < 0 ? "-" : "") + digits.substr(0, digits.size() - 6) + "." + digits.substr(digits.size() - 6);
  return {{"EXPECT_COUNT", expect["sales_count"].get<std::string>()},
          {"EXPECT_TOTAL", expect["sales_total"].get<std::string>()},
          {"EXPECT_CUSTOMER", expect["customer"].get<std::string>()},
          {"EXPECT_CUSTOMER_LINES", std::to_string(expect["customer_lines"].size())},
          {"EXPECT_CUSTOMER_TOTAL", total},
          {"EXPECT_FIRST_RECIDS", first}};
}

// The JDBC session runs from source (java -cp postgresql.jar JdbcSession.java MODE), or a skip reason.
std::string JdbcMissing() {
  if (::access("/usr/share/java/postgresql.jar", R_OK) != 0) {
    return "pgJDBC not installed (libpostgresql-jdbc-java): no /usr/share/java/postgresql.jar";
  }
  if (FindExecutable("java").empty()) return "no Java runtime (default-jre-headless)";
  ProcessResult modules = RunProcess({"java", "--list-modules"});
  if (!Contains(modules.out, "jdk.compiler")) {
    return "the Java runtime lacks jdk.compiler, needed to run JdbcSession.java from source";
  }
  return "";
}

ProcessResult RunJdbc(std::map<std::string, std::string> env, const std::string& mode) {
  env["PGSSLMODE"] = "disable";
  return RunProcess({"java", "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", "/usr/share/java/postgresql.jar",
                     ClientScriptsDir() + "/JdbcSession.java", mode},
                    env, "", std::chrono::seconds(150));
}

TEST_F(ServerClients, Jdbc) {
  std::string missing = JdbcMissing();
  if (!missing.empty()) GTEST_SKIP() << missing;
  START_SERVER(server);
  std::map<std::string, std::string> env = LibpqEnv(server);
  for (const auto& [k, v] : PlainExpectations(expect_)) env[k] = v;
  ProcessResult r = RunJdbc(env, "session");
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(server.Stop(), 0) << server.Stderr();
}

TEST_F(ServerClients, JdbcMetadata) {
  std::string missing = JdbcMissing();
  if (!missing.empty()) GTEST_SKIP() << missing;
  START_SERVER(server);
  ProcessResult r = RunJdbc(LibpqEnv(server), "metadata");
  EXPECT_EQ(server.Stop(), 0) << server.Stderr();
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
}

class OdbcConfig {
 public:
  OdbcConfig() : dir_("cdmlake-e2e-odbc") {
    WriteFile(dir_ / "odbcinst.ini", "[PostgreSQL Unicode]\nDriver=" + Driver() + "\n");
    WriteFile(dir_ / "odbc.ini", "");
  }
  static std::string Driver() {
    for (const char* p :
         {"/usr/lib/x86_64-linux-gnu/odbc/psqlodbcw.so", "/usr/lib/aarch64-linux-gnu/odbc/psqlodbcw.so"}) {
      if (::access(p, R_OK) == 0) return p;
    }
    return "";
  }
  void AddDsn(const std::string& name, int port) {
    WriteFile(dir_ / "odbc.ini", "[" + name + "]\nDriver=PostgreSQL Unicode\nServername=127.0.0.1\nPort=" +
                                     std::to_string(port) + "\nDatabase=lake\nSSLmode=disable\n");
  }
  std::map<std::string, std::string> Env(int port) const {
    return {{"ODBCSYSINI", dir_.path()},
            {"ODBCINI", dir_ / "odbc.ini"},
            {"CDMLAKE_ODBC", "DRIVER={PostgreSQL Unicode};SERVER=127.0.0.1;PORT=" + std::to_string(port) +
                                 ";DATABASE=lake;UID=tester;PWD=none;SSLmode=disable"}};
  }

 private:
  TempDir dir_;
};

std::string OdbcMissing() {
  if (OdbcConfig::Driver().empty()) return "psqlODBC not installed (odbc-postgresql)";
  return MissingPythonModules({"pyodbc"}, "python3-pyodbc");
}

TEST_F(ServerClients, Odbc) {
  std::string missing = OdbcMissing();
  if (!missing.empty()) GTEST_SKIP() << missing;
  OdbcConfig odbc;
  START_SERVER(server);
  ProcessResult r = Python(server, "odbc_session.py", odbc.Env(server.port()));
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  // unixODBC's isql through a DSN: batch mode, one statement per line (the second is two statements in one Query).
  if (!FindExecutable("isql").empty()) {
    odbc.AddDsn("lake", server.port());
    ProcessResult isql = RunProcess({"isql", "-b", "-d|", "lake", "tester", "none"}, odbc.Env(server.port()),
                                    "SELECT count(*) AS n, sum(\"LINEAMOUNT\") AS t FROM SalesLine\n"
                                    "SELECT 1 AS a; SELECT 'x|y' AS b\n");
    EXPECT_EQ(isql.exit_code, 0) << isql.Describe();
    EXPECT_EQ(isql.out, expect_["sales_count"].get<std::string>() + "|" + expect_["sales_total"].get<std::string>() +
                            "\n1\nx|y\n")
        << isql.Describe();
  }
  EXPECT_EQ(server.Stop(), 0) << server.Stderr();
}

// Runs odbc_session.py in `mode` against a fresh server through psqlODBC; skips without the driver.
#define RUN_ODBC_SESSION(mode)                                                                              \
  std::string missing = OdbcMissing();                                                                      \
  if (!missing.empty()) GTEST_SKIP() << missing;                                                            \
  OdbcConfig odbc;                                                                                          \
  START_SERVER(server);                                                                                     \
  std::map<std::string, std::string> env = LibpqEnv(server);                                                \
  for (auto& [k, v] : odbc.Env(server.port())) env[k] = v;                                                  \
  ProcessResult r = RunProcess({kPython, ClientScriptsDir() + "/odbc_session.py", mode}, env, "",           \
                               std::chrono::seconds(60));                                                   \
  EXPECT_EQ(server.Stop(), 0) << server.Stderr();                                                           \
  EXPECT_EQ(r.exit_code, 0) << r.Describe()

TEST_F(ServerClients, OdbcCatalog) { RUN_ODBC_SESSION("catalog"); }

// psqlODBC's UseDeclareFetch: results are read through SQL cursors (DECLARE … CURSOR FOR, FETCH 3 IN …, CLOSE).
TEST_F(ServerClients, OdbcDeclareFetch) { RUN_ODBC_SESSION("declare-fetch"); }

// SCRAM-SHA-256 with a users file written by `cdmlake serve adduser`, and TLS with a self-signed certificate.
TEST_F(ServerClients, ScramAndTls) {
  if (FindExecutable("openssl").empty()) GTEST_SKIP() << "openssl not installed (openssl)";
  std::string missing = MissingPythonModules({"psycopg", "psycopg2"}, "python3-psycopg, python3-psycopg2");
  if (!missing.empty()) GTEST_SKIP() << missing;
  TempDir dir("cdmlake-e2e-scram");
  const std::string users = dir / "users", cert = dir / "cert.pem", key = dir / "key.pem";
  const std::string password = "s3cret pass ☕";
  ProcessResult add = RunProcess({CDMLAKE_BINARY, "serve", "adduser", "--users", users, "alice"}, {},
                                 password + "\n");
  ASSERT_EQ(add.exit_code, 0) << add.Describe();
  std::string stored = ReadFile(users);
  EXPECT_TRUE(Contains(stored, "alice:SCRAM-SHA-256$4096:")) << stored;
  EXPECT_FALSE(Contains(stored, "s3cret")) << "the password itself must not be stored";
  struct stat st {};
  ASSERT_EQ(::stat(users.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ProcessResult no_password = RunProcess({CDMLAKE_BINARY, "serve", "adduser", "--users", users, "bob"}, {}, "");
  EXPECT_EQ(no_password.exit_code, 1) << no_password.Describe();

  ProcessResult req = RunProcess({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out",
                                  cert, "-days", "2", "-subj", "/CN=localhost"},
                                 {}, "", std::chrono::seconds(60));
  ASSERT_EQ(req.exit_code, 0) << req.Describe();

  ServeProcess server;
  ASSERT_NO_FATAL_FAILURE(StartServer(server, lake_, {"--users", users, "--tls-cert", cert, "--tls-key", key}));
  ProcessResult r = Python(server, "scram_tls_session.py", {{"CDMLAKE_USER", "alice"}, {"CDMLAKE_PASSWORD", password}});
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  if (!FindExecutable("psql").empty()) {
    std::map<std::string, std::string> env = LibpqEnv(server);
    env["PGUSER"] = "alice";
    env["PGPASSWORD"] = password;
    env["PGSSLMODE"] = "require";
    ProcessResult ok = RunProcess({"psql", "-X", "-At", "-c", "SELECT 1 + 1"}, env);
    EXPECT_EQ(ok.exit_code, 0) << ok.Describe();
    EXPECT_EQ(ok.out, "2\n") << ok.Describe();
    env["PGPASSWORD"] = "wrong";
    ProcessResult bad = RunProcess({"psql", "-X", "-At", "-c", "SELECT 1"}, env);
    EXPECT_EQ(bad.exit_code, 2) << bad.Describe();
    EXPECT_TRUE(Contains(bad.err, "password authentication failed")) << bad.Describe();
  }
  EXPECT_EQ(server.Stop(), 0) << server.Stderr();
}

}  // namespace
}  // namespace cdmlake_e2e
