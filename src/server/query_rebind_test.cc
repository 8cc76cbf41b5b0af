// A statement prepared before the catalog changed under it: DuckDB re-binds it, and the server checks that the
// columns keep the PostgreSQL types the client was told at Describe (Portal::CheckResultTypes).
#include <gtest/gtest.h>

#include "engine/database.h"
#include "server/pg_error.h"
#include "server/query.h"
#include "server/session_test_util.h"

namespace cdmlake::server {
namespace {

using ::cdmlake::server::testing::MemoryStream;
using ::cdmlake::server::testing::ParseServerMessages;
using ::cdmlake::server::testing::ServerMessage;

class QueryRebindTest : public ::testing::Test {
 protected:
  QueryRebindTest() : database_(engine::Settings{1, "256MB", "", {}}), connection_(database_) {
    connection_.Execute(
        "CREATE TABLE wide AS SELECT 1.5::DECIMAL(32,6) AS amount, 'a' AS name;"
        "CREATE TABLE narrow AS SELECT 2.5::DECIMAL(18,6) AS amount, 'b' AS name;"
        "CREATE TABLE texts AS SELECT '3.5' AS amount, 'c' AS name;"
        "CREATE VIEW lines AS SELECT * FROM wide");
  }
  // Runs the portal to its end; the DataRows' values.
  std::vector<std::vector<std::string>> Run(const std::shared_ptr<PreparedQuery>& query) {
    std::string output;
    MemoryStream stream("", &output);
    MessageWriter out(&stream);
    Portal portal(query, {}, {});
    int64_t rows = 0;
    portal.Execute(connection_.raw(), out, 0, TextSettings{}, &rows);
    out.Flush();
    std::vector<std::vector<std::string>> values;
    for (const ServerMessage& m : ParseServerMessages(output)) values.push_back(m.Values());
    return values;
  }

  engine::Database database_;
  engine::Connection connection_;
};

TEST_F(QueryRebindTest, NarrowerDecimalsKeepTheStatementRunning) {
  auto query = PreparedQuery::Prepare(connection_.raw(), "SELECT amount, name AS n FROM lines", {}, nullptr);
  EXPECT_EQ(Run(query), (std::vector<std::vector<std::string>>{{"1.500000", "a"}}));
  connection_.Execute("CREATE OR REPLACE VIEW lines AS SELECT * FROM narrow");
  EXPECT_EQ(Run(query), (std::vector<std::vector<std::string>>{{"2.500000", "b"}}));
  EXPECT_EQ(query->column_name(1), "n") << "the names stay";
}

TEST_F(QueryRebindTest, AnotherPostgreSqlTypeIsPostgreSqlsCachedPlanError) {
  auto query = PreparedQuery::Prepare(connection_.raw(), "SELECT amount FROM lines", {}, nullptr);
  connection_.Execute("CREATE OR REPLACE VIEW lines AS SELECT * FROM texts");
  try {
    Run(query);
    FAIL() << "numeric became text";
  } catch (const PgError& e) {
    EXPECT_EQ(e.sqlstate(), "0A000");
    EXPECT_STREQ(e.what(), "cached plan must not change result type");
  }
}

}  // namespace
}  // namespace cdmlake::server
