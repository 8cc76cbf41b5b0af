// PostgreSQL's names of unaliased select items (FigureColname), computed from DuckDB's parse trees. The expected
// names are PostgreSQL 15's (checked against a real server by tests/server_differential_test.cc as well).
#include "server/pg_column_names.h"

#include <gtest/gtest.h>

#include "engine/database.h"

namespace cdmlake::server {
namespace {

using Names = std::vector<std::string>;

class PgColumnNamesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = new engine::Database(engine::Settings{});
    connection_ = new engine::Connection(*database_);
    connection_->Execute("CREATE TABLE t (x INTEGER, y VARCHAR, a INTEGER, b INTEGER, s STRUCT(f INTEGER), "
                         "l INTEGER[])");
  }
  static void TearDownTestSuite() {
    delete connection_;
    delete database_;
  }

  // DuckDB's names of the prepared statement's columns.
  static Names DuckDbNames(const std::string& sql) {
    engine::PreparedStatement prepared = connection_->Prepare(sql);
    Names duckdb;
    idx_t count = duckdb_prepared_statement_column_count(prepared.raw());
    for (idx_t i = 0; i < count; ++i) {
      const char* name = duckdb_prepared_statement_column_name(prepared.raw(), i);
      duckdb.push_back(name ? name : "");
      if (name) duckdb_free(const_cast<char*>(name));
    }
    return duckdb;
  }
  // The names the server gives the statement's columns.
  static Names Of(const std::string& sql) { return PgColumnNamesFor(connection_->raw(), sql, DuckDbNames(sql)); }

  static engine::Database* database_;
  static engine::Connection* connection_;
};

engine::Database* PgColumnNamesTest::database_ = nullptr;
engine::Connection* PgColumnNamesTest::connection_ = nullptr;

TEST_F(PgColumnNamesTest, TheBriefsExample) {
  EXPECT_EQ(Of("SELECT sum(x), count(*), x::int, 1+1, CASE WHEN x > 0 THEN 1 END, t.y FROM t GROUP BY x, t.y"),
            (Names{"sum", "count", "x", "?column?", "case", "y"}));
}

TEST_F(PgColumnNamesTest, ColumnReferencesAndFunctions) {
  EXPECT_EQ(Of("SELECT x, t.a, main.t.b, \"y\", max(x), count(DISTINCT x), sum(x) FILTER (WHERE x > 1), "
               "upper(y), count(*) OVER (), row_number() OVER (ORDER BY x) FROM t GROUP BY x, a, b, y"),
            (Names{"x", "a", "b", "y", "max", "count", "sum", "upper", "count", "row_number"}));
}

TEST_F(PgColumnNamesTest, CastsNameTheOperandElseTheType) {
  EXPECT_EQ(Of("SELECT CAST(x AS integer), y::text, 1::int, 'a'::text, 'a'::varchar(3), "
               "CAST(1 AS double precision), CAST('1' AS numeric(10,2)), '2024-01-01'::timestamp with time zone, "
               "'1'::timestamp(3), 'x'::char(3), CAST(1 AS bigint), '1'::float(10), "
               "'t'::boolean, DATE '2024-01-01', INTERVAL '1 day', '1'::boolean::int FROM t"),
            (Names{"x", "y", "int4", "text", "varchar", "float8", "numeric", "timestamptz", "timestamp", "bpchar",
                   "int8", "float4", "bool", "date", "interval", "int4"}));
}

TEST_F(PgColumnNamesTest, ExpressionsWithoutANameAreQuestionMarkColumn) {
  EXPECT_EQ(Of("SELECT 1, 'a', NULL, 1.5, true, FALSE, -x, x + 1, x = 1, x IS NULL, NOT (x > 1), x BETWEEN 1 AND 2, "
               "y LIKE 'a%', y || 'b', x IN (1, 2), x IN (SELECT 1), y ~ 'a', [x], {'k': x} FROM t"),
            Names(19, "?column?"));
}

TEST_F(PgColumnNamesTest, SpecialForms) {
  EXPECT_EQ(Of("SELECT coalesce(x, 0), nullif(x, 1), greatest(x, a), least(x, a), ARRAY[1, 2], ROW(1, 2), "
               "EXISTS (SELECT 1), (SELECT max(x) FROM t), (SELECT 1), (SELECT x AS inner_name FROM t LIMIT 1), "
               "current_date, now(), extract(year FROM DATE '2024-01-01'), trim(y), substring(y FROM 1 FOR 2), "
               "position('a' IN y), l[1], (s).f, y COLLATE \"C\" FROM t"),
            (Names{"coalesce", "nullif", "greatest", "least", "array", "row", "exists", "max", "?column?",
                   "inner_name", "current_date", "now", "extract", "btrim", "substring", "position", "l", "f",
                   "y"}));
}

TEST_F(PgColumnNamesTest, CaseTakesTheElseBranchsName) {
  EXPECT_EQ(Of("SELECT CASE WHEN x > 0 THEN a ELSE b END, CASE WHEN x > 0 THEN 1 ELSE 2 END, "
               "CASE WHEN x > 0 THEN 'a' ELSE 'b'::text END, CASE x WHEN 1 THEN a END FROM t"),
            (Names{"b", "case", "case", "case"}));
}

TEST_F(PgColumnNamesTest, AliasesKeepTheirNames) {
  EXPECT_EQ(Of("SELECT x AS \"Count\", sum(x) total, count(*) AS \"count_star()\" FROM t GROUP BY x"),
            (Names{"Count", "total", "count_star()"}));
}

TEST_F(PgColumnNamesTest, OneStarIsMappedFromBothEnds) {
  EXPECT_EQ(Of("SELECT x + 1, *, count(*) OVER () FROM t"),
            (Names{"?column?", "x", "y", "a", "b", "s", "l", "count"}));
  EXPECT_EQ(Of("SELECT sum(x), * EXCLUDE (s, l) FROM t GROUP BY ALL"), (Names{"sum", "x", "y", "a", "b"}));
}

TEST_F(PgColumnNamesTest, SeveralStarsKeepDuckDbsNames) {
  const char* sql = "SELECT *, count(*) OVER (), t.* FROM t";
  EXPECT_EQ(Of(sql), DuckDbNames(sql));
  EXPECT_NE(DuckDbNames(sql)[6], "count");
}

TEST_F(PgColumnNamesTest, SetOperationsTakeTheFirstBranch) {
  EXPECT_EQ(Of("SELECT sum(x), 1 FROM t UNION ALL SELECT count(*), max(a) FROM t"), (Names{"sum", "?column?"}));
  EXPECT_EQ(Of("SELECT 1 AS one EXCEPT SELECT max(x) FROM t"), (Names{"one"}));
  EXPECT_EQ(Of("WITH c AS (SELECT x FROM t) SELECT count(*) FROM c"), (Names{"count"}));
}

TEST_F(PgColumnNamesTest, StatementsWithoutAParseTreeKeepDuckDbsNames) {
  Names explain = Of("EXPLAIN SELECT sum(x) FROM t");
  EXPECT_EQ(explain, (Names{"explain_key", "explain_value"}));
  EXPECT_EQ(PgColumnNames("not json", "SELECT sum(x) FROM t", {"sum(x)"}), (Names{"sum(x)"}));
  EXPECT_EQ(PgColumnNames(R"({"error":true})", "SELECT sum(x) FROM t", {"sum(x)"}), (Names{"sum(x)"}));
  // A tree whose select list does not fit the columns (another statement's) changes nothing.
  EXPECT_EQ(PgColumnNames(R"({"error":false,"statements":[{"node":{"type":"SELECT_NODE","select_list":[]}}]})",
                          "SELECT 1", {"1"}),
            (Names{"1"}));
}

TEST(PgTypeNameOf, GrammarSpellings) {
  EXPECT_EQ(PgTypeNameOf("integer"), "int4");
  EXPECT_EQ(PgTypeNameOf("INT"), "int4");
  EXPECT_EQ(PgTypeNameOf("smallint"), "int2");
  EXPECT_EQ(PgTypeNameOf("double precision"), "float8");
  EXPECT_EQ(PgTypeNameOf("real"), "float4");
  EXPECT_EQ(PgTypeNameOf("character varying(10)"), "varchar");
  EXPECT_EQ(PgTypeNameOf("national character(2)"), "bpchar");
  EXPECT_EQ(PgTypeNameOf("decimal(10, 2)"), "numeric");
  EXPECT_EQ(PgTypeNameOf("boolean"), "bool");
  EXPECT_EQ(PgTypeNameOf("time with time zone"), "timetz");
  EXPECT_EQ(PgTypeNameOf("timestamp(6) without time zone"), "timestamp");
  EXPECT_EQ(PgTypeNameOf("pg_catalog.int4"), "int4");
  EXPECT_EQ(PgTypeNameOf("regclass"), "regclass");
  EXPECT_EQ(PgTypeNameOf("\"MyType\""), "MyType");
  EXPECT_EQ(PgTypeNameOf("int[]"), "int4");
  EXPECT_EQ(PgTypeNameOf("(1)"), "");
}

}  // namespace
}  // namespace cdmlake::server
