// Tests of the catalog emulation: golden rewrites of client SQL, and the catalog queries real clients send —
// psql 15's backslash commands (captured with psql -E against PostgreSQL 15), pgJDBC's DatabaseMetaData, psqlODBC
// and Npgsql 4.0's type loading — run against an in-memory database with a table (primary key, comment), a
// view, a table with a foreign key, a table in a second schema and a macro. Each query must run and return the
// rows PostgreSQL would for the same objects.
#include "server/catalog_emulation.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "engine/database.h"
#include "server/catalog_internal.h"

namespace cdmlake::server {
namespace {

using Rows = std::vector<std::vector<std::optional<std::string>>>;

// psql 15's queries, verbatim but for the object OID and name placeholders (@OID@, @NAME@).
constexpr const char* kListDatabases = R"sql(SELECT d.datname as "Name",
       pg_catalog.pg_get_userbyid(d.datdba) as "Owner",
       pg_catalog.pg_encoding_to_char(d.encoding) as "Encoding",
       d.datcollate as "Collate",
       d.datctype as "Ctype",
       d.daticulocale as "ICU Locale",
       CASE d.datlocprovider WHEN 'c' THEN 'libc' WHEN 'i' THEN 'icu' END AS "Locale Provider",
       pg_catalog.array_to_string(d.datacl, E'\n') AS "Access privileges"
FROM pg_catalog.pg_database d
ORDER BY 1;)sql";

constexpr const char* kListSchemas = R"sql(SELECT n.nspname AS "Name",
  pg_catalog.pg_get_userbyid(n.nspowner) AS "Owner"
FROM pg_catalog.pg_namespace n
WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
ORDER BY 1;)sql";

constexpr const char* kListTables = R"sql(SELECT n.nspname as "Schema",
  c.relname as "Name",
  CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'i' THEN 'index' WHEN 'S' THEN 'sequence' WHEN 't' THEN 'TOAST table' WHEN 'f' THEN 'foreign table' WHEN 'p' THEN 'partitioned table' WHEN 'I' THEN 'partitioned index' END as "Type",
  pg_catalog.pg_get_userbyid(c.relowner) as "Owner"
FROM pg_catalog.pg_class c
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam
WHERE c.relkind IN ('r','p','')
      AND n.nspname <> 'pg_catalog'
      AND n.nspname !~ '^pg_toast'
      AND n.nspname <> 'information_schema'
  AND pg_catalog.pg_table_is_visible(c.oid)
ORDER BY 1,2;)sql";

constexpr const char* kListViews = R"sql(SELECT n.nspname as "Schema",
  c.relname as "Name",
  CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'i' THEN 'index' WHEN 'S' THEN 'sequence' WHEN 't' THEN 'TOAST table' WHEN 'f' THEN 'foreign table' WHEN 'p' THEN 'partitioned table' WHEN 'I' THEN 'partitioned index' END as "Type",
  pg_catalog.pg_get_userbyid(c.relowner) as "Owner"
FROM pg_catalog.pg_class c
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v','')
      AND n.nspname <> 'pg_catalog'
      AND n.nspname !~ '^pg_toast'
      AND n.nspname <> 'information_schema'
  AND pg_catalog.pg_table_is_visible(c.oid)
ORDER BY 1,2;)sql";

constexpr const char* kFindRelation = R"sql(SELECT c.oid,
  n.nspname,
  c.relname
FROM pg_catalog.pg_class c
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relname OPERATOR(pg_catalog.~) '^(@NAME@)$' COLLATE pg_catalog.default
  AND pg_catalog.pg_table_is_visible(c.oid)
ORDER BY 2, 3;)sql";

constexpr const char* kRelationInfo = R"sql(SELECT c.relchecks, c.relkind, c.relhasindex, c.relhasrules, c.relhastriggers, c.relrowsecurity, c.relforcerowsecurity, false AS relhasoids, c.relispartition, '', c.reltablespace, CASE WHEN c.reloftype = 0 THEN '' ELSE c.reloftype::pg_catalog.regtype::pg_catalog.text END, c.relpersistence, c.relreplident, am.amname
FROM pg_catalog.pg_class c
 LEFT JOIN pg_catalog.pg_class tc ON (c.reltoastrelid = tc.oid)
LEFT JOIN pg_catalog.pg_am am ON (c.relam = am.oid)
WHERE c.oid = '@OID@';)sql";

constexpr const char* kColumns = R"sql(SELECT a.attname,
  pg_catalog.format_type(a.atttypid, a.atttypmod),
  (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid, true)
   FROM pg_catalog.pg_attrdef d
   WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef),
  a.attnotnull,
  (SELECT c.collname FROM pg_catalog.pg_collation c, pg_catalog.pg_type t
   WHERE c.oid = a.attcollation AND t.oid = a.atttypid AND a.attcollation <> t.typcollation) AS attcollation,
  a.attidentity,
  a.attgenerated
FROM pg_catalog.pg_attribute a
WHERE a.attrelid = '@OID@' AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum;)sql";

constexpr const char* kIndexes = R"sql(SELECT c2.relname, i.indisprimary, i.indisunique, i.indisclustered, i.indisvalid, pg_catalog.pg_get_indexdef(i.indexrelid, 0, true),
  pg_catalog.pg_get_constraintdef(con.oid, true), contype, condeferrable, condeferred, i.indisreplident, c2.reltablespace
FROM pg_catalog.pg_class c, pg_catalog.pg_class c2, pg_catalog.pg_index i
  LEFT JOIN pg_catalog.pg_constraint con ON (conrelid = i.indrelid AND conindid = i.indexrelid AND contype IN ('p','u','x'))
WHERE c.oid = '@OID@' AND c.oid = i.indrelid AND i.indexrelid = c2.oid
ORDER BY i.indisprimary DESC, c2.relname;)sql";

constexpr const char* kPolicies = R"sql(SELECT pol.polname, pol.polpermissive,
  CASE WHEN pol.polroles = '{0}' THEN NULL ELSE pg_catalog.array_to_string(array(select rolname from pg_catalog.pg_roles where oid = any (pol.polroles) order by 1),',') END,
  pg_catalog.pg_get_expr(pol.polqual, pol.polrelid),
  pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid),
  CASE pol.polcmd
    WHEN 'r' THEN 'SELECT'
    WHEN 'a' THEN 'INSERT'
    WHEN 'w' THEN 'UPDATE'
    WHEN 'd' THEN 'DELETE'
    END AS cmd
FROM pg_catalog.pg_policy pol
WHERE pol.polrelid = '@OID@' ORDER BY 1;)sql";

constexpr const char* kStatistics = R"sql(SELECT oid, stxrelid::pg_catalog.regclass, stxnamespace::pg_catalog.regnamespace::pg_catalog.text AS nsp, stxname,
pg_catalog.pg_get_statisticsobjdef_columns(oid) AS columns,
  'd' = any(stxkind) AS ndist_enabled,
  'f' = any(stxkind) AS deps_enabled,
  'm' = any(stxkind) AS mcv_enabled,
stxstattarget
FROM pg_catalog.pg_statistic_ext
WHERE stxrelid = '@OID@'
ORDER BY nsp, stxname;)sql";

constexpr const char* kPublications = R"sql(SELECT pubname
     , NULL
     , NULL
FROM pg_catalog.pg_publication p
     JOIN pg_catalog.pg_publication_namespace pn ON p.oid = pn.pnpubid
     JOIN pg_catalog.pg_class pc ON pc.relnamespace = pn.pnnspid
WHERE pc.oid ='@OID@' and pg_catalog.pg_relation_is_publishable('@OID@')
UNION
SELECT pubname
     , pg_get_expr(pr.prqual, c.oid)
     , (CASE WHEN pr.prattrs IS NOT NULL THEN
         (SELECT string_agg(attname, ', ')
           FROM pg_catalog.generate_series(0, pg_catalog.array_upper(pr.prattrs::pg_catalog.int2[], 1)) s,
                pg_catalog.pg_attribute
          WHERE attrelid = pr.prrelid AND attnum = prattrs[s])
        ELSE NULL END) FROM pg_catalog.pg_publication p
     JOIN pg_catalog.pg_publication_rel pr ON p.oid = pr.prpubid
     JOIN pg_catalog.pg_class c ON c.oid = pr.prrelid
WHERE pr.prrelid = '@OID@'
UNION
SELECT pubname
     , NULL
     , NULL
FROM pg_catalog.pg_publication p
WHERE p.puballtables AND pg_catalog.pg_relation_is_publishable('@OID@')
ORDER BY 1;)sql";

constexpr const char* kInheritsParents = R"sql(SELECT c.oid::pg_catalog.regclass
FROM pg_catalog.pg_class c, pg_catalog.pg_inherits i
WHERE c.oid = i.inhparent AND i.inhrelid = '@OID@'
  AND c.relkind != 'p' AND c.relkind != 'I'
ORDER BY inhseqno;)sql";

constexpr const char* kInheritsChildren = R"sql(SELECT c.oid::pg_catalog.regclass, c.relkind, inhdetachpending, pg_catalog.pg_get_expr(c.relpartbound, c.oid)
FROM pg_catalog.pg_class c, pg_catalog.pg_inherits i
WHERE c.oid = i.inhrelid AND i.inhparent = '@OID@'
ORDER BY pg_catalog.pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT', c.oid::pg_catalog.regclass::pg_catalog.text;)sql";

constexpr const char* kRelationInfoVerbose = R"sql(SELECT c.relchecks, c.relkind, c.relhasindex, c.relhasrules, c.relhastriggers, c.relrowsecurity, c.relforcerowsecurity, false AS relhasoids, c.relispartition, pg_catalog.array_to_string(c.reloptions || array(select 'toast.' || x from pg_catalog.unnest(tc.reloptions) x), ', ')
, c.reltablespace, CASE WHEN c.reloftype = 0 THEN '' ELSE c.reloftype::pg_catalog.regtype::pg_catalog.text END, c.relpersistence, c.relreplident, am.amname
FROM pg_catalog.pg_class c
 LEFT JOIN pg_catalog.pg_class tc ON (c.reltoastrelid = tc.oid)
LEFT JOIN pg_catalog.pg_am am ON (c.relam = am.oid)
WHERE c.oid = '@OID@';)sql";

constexpr const char* kViewColumns = R"sql(SELECT a.attname,
  pg_catalog.format_type(a.atttypid, a.atttypmod),
  (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid, true)
   FROM pg_catalog.pg_attrdef d
   WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef),
  a.attnotnull,
  (SELECT c.collname FROM pg_catalog.pg_collation c, pg_catalog.pg_type t
   WHERE c.oid = a.attcollation AND t.oid = a.atttypid AND a.attcollation <> t.typcollation) AS attcollation,
  a.attidentity,
  a.attgenerated,
  a.attstorage,
  pg_catalog.col_description(a.attrelid, a.attnum)
FROM pg_catalog.pg_attribute a
WHERE a.attrelid = '@OID@' AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum;)sql";

constexpr const char* kViewDefinition = R"sql(SELECT pg_catalog.pg_get_viewdef('@OID@'::pg_catalog.oid, true);)sql";

constexpr const char* kRules = R"sql(SELECT r.rulename, trim(trailing ';' from pg_catalog.pg_get_ruledef(r.oid, true))
FROM pg_catalog.pg_rewrite r
WHERE r.ev_class = '@OID@' AND r.rulename != '_RETURN' ORDER BY 1;)sql";

constexpr const char* kListFunctions = R"sql(SELECT n.nspname as "Schema",
  p.proname as "Name",
  pg_catalog.pg_get_function_result(p.oid) as "Result data type",
  pg_catalog.pg_get_function_arguments(p.oid) as "Argument data types",
 CASE p.prokind
  WHEN 'a' THEN 'agg'
  WHEN 'w' THEN 'window'
  WHEN 'p' THEN 'proc'
  ELSE 'func'
 END as "Type"
FROM pg_catalog.pg_proc p
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE pg_catalog.pg_function_is_visible(p.oid)
      AND n.nspname <> 'pg_catalog'
      AND n.nspname <> 'information_schema'
ORDER BY 1, 2, 4;)sql";

constexpr const char* kListRelations = R"sql(SELECT n.nspname as "Schema",
  c.relname as "Name",
  CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'i' THEN 'index' WHEN 'S' THEN 'sequence' WHEN 't' THEN 'TOAST table' WHEN 'f' THEN 'foreign table' WHEN 'p' THEN 'partitioned table' WHEN 'I' THEN 'partitioned index' END as "Type",
  pg_catalog.pg_get_userbyid(c.relowner) as "Owner"
FROM pg_catalog.pg_class c
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam
WHERE c.relkind IN ('r','p','v','m','S','f','')
      AND n.nspname <> 'pg_catalog'
      AND n.nspname !~ '^pg_toast'
      AND n.nspname <> 'information_schema'
  AND pg_catalog.pg_table_is_visible(c.oid)
ORDER BY 1,2;)sql";

constexpr const char* kListTablesInSchema = R"sql(SELECT n.nspname as "Schema",
  c.relname as "Name",
  CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'i' THEN 'index' WHEN 'S' THEN 'sequence' WHEN 't' THEN 'TOAST table' WHEN 'f' THEN 'foreign table' WHEN 'p' THEN 'partitioned table' WHEN 'I' THEN 'partitioned index' END as "Type",
  pg_catalog.pg_get_userbyid(c.relowner) as "Owner"
FROM pg_catalog.pg_class c
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam
WHERE c.relkind IN ('r','p','t','s','')
  AND n.nspname OPERATOR(pg_catalog.~) '^(Tables)$' COLLATE pg_catalog.default
ORDER BY 1,2;)sql";

constexpr const char* kColumnsVerbose = R"sql(SELECT a.attname,
  pg_catalog.format_type(a.atttypid, a.atttypmod),
  (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid, true)
   FROM pg_catalog.pg_attrdef d
   WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef),
  a.attnotnull,
  (SELECT c.collname FROM pg_catalog.pg_collation c, pg_catalog.pg_type t
   WHERE c.oid = a.attcollation AND t.oid = a.atttypid AND a.attcollation <> t.typcollation) AS attcollation,
  a.attidentity,
  a.attgenerated,
  a.attstorage,
  a.attcompression AS attcompression,
  CASE WHEN a.attstattarget=-1 THEN NULL ELSE a.attstattarget END AS attstattarget,
  pg_catalog.col_description(a.attrelid, a.attnum)
FROM pg_catalog.pg_attribute a
WHERE a.attrelid = '@OID@' AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum;)sql";

std::string Replace(std::string text, const std::string& key, const std::string& value) {
  for (size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size())) {
    text.replace(at, key.size(), value);
  }
  return text;
}

class CatalogEmulationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = new engine::Database(engine::Settings{});
    engine::Connection setup(*database_);
    setup.Execute(
        "CREATE TABLE sales (id INTEGER PRIMARY KEY, amount DECIMAL(18,2), name VARCHAR NOT NULL, d DATE);"
        "COMMENT ON TABLE sales IS 'Sales orders';"
        "COMMENT ON COLUMN sales.amount IS 'Net amount';"
        "CREATE TABLE lines (id INTEGER, sale INTEGER REFERENCES sales (id), qty DOUBLE, tags VARCHAR[], "
        "  sold_at TIMESTAMPTZ);"
        "CREATE VIEW v_sales AS SELECT id, amount FROM sales;"
        "CREATE SCHEMA \"Tables\";"
        "CREATE TABLE \"Tables\".\"Account\" (accountid UUID, \"Name\" VARCHAR);"
        "CREATE MACRO add_one(x) AS x + 1;");
    emulation_ = new CatalogEmulation(*database_, "lake");
  }
  static void TearDownTestSuite() {
    delete emulation_;
    delete database_;
  }
  void SetUp() override { connection_ = std::make_unique<engine::Connection>(*database_); }

  Rows Query(const std::string& sql) {
    std::string rewritten = emulation_->Rewrite(sql);
    try {
      return connection_->Query(rewritten).FetchAllText();
    } catch (const std::exception& e) {
      ADD_FAILURE() << e.what() << "\nin: " << rewritten;
      return {};
    }
  }
  // The OID psql's first \d query finds for a name (pattern '^(name)$').
  std::string FindOid(const std::string& name) {
    Rows rows = Query(Replace(kFindRelation, "@NAME@", name));
    EXPECT_EQ(rows.size(), 1u) << name;
    return rows.empty() ? "0" : *rows[0][0];
  }
  static std::vector<std::string> Column(const Rows& rows, size_t i) {
    std::vector<std::string> out;
    for (const auto& row : rows) out.push_back(row.at(i).value_or("NULL"));
    return out;
  }

  static engine::Database* database_;
  static CatalogEmulation* emulation_;
  std::unique_ptr<engine::Connection> connection_;
};

engine::Database* CatalogEmulationTest::database_ = nullptr;
CatalogEmulation* CatalogEmulationTest::emulation_ = nullptr;

using V = std::vector<std::string>;

// --- Rewrite, golden ---------------------------------------------------------------------------------------

TEST(CatalogRewriteTest, LeavesDataQueriesAlone) {
  std::set<std::string> names = {"pg_class", "format_type()"};
  for (const char* sql : {"SELECT * FROM \"CustTable\" WHERE x > 1", "SELECT a::INTEGER FROM t",
                          "SELECT 'pg_class' FROM t -- pg_class"}) {
    EXPECT_EQ(catalog::RewriteCatalogSql(sql, names, {}, "pg_emul", "pg_emul_info"), sql);
  }
  EXPECT_FALSE(catalog::MayTouchCatalog("SELECT * FROM \"CustTable\" WHERE x::INTEGER > 1"));
  EXPECT_TRUE(catalog::MayTouchCatalog("SELECT * FROM pg_catalog.pg_class"));
}

TEST(CatalogRewriteTest, Golden) {
  std::set<std::string> names = {"pg_class", "pg_namespace", "format_type()", "pg_table_is_visible()",
                                 "version()"};
  std::set<std::string> info = {"tables", "_pg_expandarray"};
  struct Case {
    const char* in;
    const char* out;
  } cases[] = {
      {"SELECT c.relname FROM pg_catalog.pg_class c", "SELECT c.relname FROM pg_emul.pg_class c"},
      {"SELECT * FROM pg_class, pg_namespace n", "SELECT * FROM pg_emul.pg_class, pg_emul.pg_namespace n"},
      {"SELECT pg_class.oid FROM pg_class", "SELECT pg_class.oid FROM pg_emul.pg_class"},
      {"SELECT pg_catalog.array_to_string(x, ',') FROM pg_class", "SELECT array_to_string(x, ',') FROM pg_emul.pg_class"},
      {"SELECT version()", "SELECT pg_emul.version() AS \"version\""},
      {"SELECT pg_catalog.format_type(t, m) AS f", "SELECT pg_emul.format_type(t, m) AS f"},
      {"WHERE c.relname OPERATOR(pg_catalog.~) '^(sales)$' COLLATE pg_catalog.default AND x",
       "WHERE regexp_matches(c.relname, '^(sales)$', 'i') AND x"},
      {"WHERE n.nspname !~ '^pg_' AND a ~* 'X'", "WHERE NOT regexp_matches(n.nspname, '^pg_') AND regexp_matches(a, 'X', 'i')"},
      {"WHERE a ~~ 'x%'", "WHERE a LIKE 'x%'"},
      {"WHERE ta.attnum = i.indkey[ia.attnum-1]", "WHERE ta.attnum = i.indkey[(ia.attnum-1) + 1]"},
      {"SELECT c.oid::pg_catalog.regclass FROM t", "SELECT pg_emul.regclass_name(c.oid) AS \"oid\" FROM t"},
      {"SELECT c.oid::regclass AS r, 'x'::regclass = 1 FROM t", "SELECT pg_emul.regclass_name(c.oid) AS r, pg_emul.regclass_oid('x') = 1 FROM t"},
      {"WHERE d.classoid = 'pg_class'::regclass", "WHERE d.classoid = pg_emul.regclass_oid('pg_class')"},
      {"SELECT x::pg_catalog.regtype::pg_catalog.text", "SELECT pg_emul.regtype_name(x)::VARCHAR AS \"x\""},
      {"SELECT pg_catalog.f('16391'::pg_catalog.oid, true)", "SELECT f('16391'::BIGINT, true)"},
      {"SELECT pr.prattrs::pg_catalog.int2[]", "SELECT pr.prattrs::int2[]"},
      {"SELECT 'sales'::regclass", "SELECT pg_emul.regclass_oid('sales') AS \"regclass\""},
      {"SELECT a.attname::name, t.typname::\"char\" FROM t",
       "SELECT a.attname::VARCHAR AS \"attname\", t.typname::VARCHAR AS \"typname\" FROM t"},
      {"WHERE typinput = 'pg_catalog.array_in'::regproc", "WHERE typinput = pg_emul.regproc_oid('pg_catalog.array_in')"},
      {"WHERE pol.polroles = '{0}'", "WHERE pol.polroles = '[0]'"},
      {"FROM pg_catalog.generate_series(0, 3) s, t", "FROM generate_series(0, 3) s(s), t"},
      {"SELECT generate_series(1, 3) AS i FROM t", "SELECT unnest(generate_series(1, 3)) AS i FROM t"},
      {"SELECT (information_schema._pg_expandarray(i.indkey)).n FROM information_schema.tables",
       "SELECT (pg_emul_info._pg_expandarray(i.indkey)).n FROM pg_emul_info.tables"},
      {"SELECT current_schema, 'pg_class'", "SELECT pg_emul.current_schema(), 'pg_class'"},
      {"SELECT \"pg_catalog\".\"pg_class\".relname FROM x", "SELECT pg_emul.\"pg_class\".relname FROM x"},
      {"/* c */ SELECT 1 FROM pg_class -- pg_class\n", "/* c */ SELECT 1 FROM pg_emul.pg_class -- pg_class\n"},
      {"SELECT E'\\'pg_class' FROM pg_class", "SELECT E'\\'pg_class' FROM pg_emul.pg_class"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(catalog::RewriteCatalogSql(c.in, names, info, "pg_emul", "pg_emul_info"), c.out) << c.in;
  }
}

// --- psql 15 -----------------------------------------------------------------------------------------------

TEST_F(CatalogEmulationTest, PsqlListDatabases) {
  Rows rows = Query(kListDatabases);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "lake");
  EXPECT_EQ(rows[0][2], "UTF8");
}

TEST_F(CatalogEmulationTest, PsqlListSchemasShowsMainAsPublic) {
  EXPECT_EQ(Column(Query(kListSchemas), 0), (V{"Tables", "public"}));
}

TEST_F(CatalogEmulationTest, PsqlListTablesViewsRelations) {
  Rows tables = Query(kListTables);
  EXPECT_EQ(Column(tables, 1), (V{"lines", "sales"}));
  EXPECT_EQ(Column(tables, 0), (V{"public", "public"}));
  EXPECT_EQ(Column(tables, 2), (V{"table", "table"}));
  EXPECT_EQ(Column(Query(kListViews), 1), (V{"v_sales"}));
  EXPECT_EQ(Column(Query(kListRelations), 1), (V{"lines", "sales", "v_sales"}));
  EXPECT_EQ(Column(Query(kListTablesInSchema), 1), (V{"Account"}));
}

TEST_F(CatalogEmulationTest, PsqlDescribeTable) {
  std::string oid = FindOid("sales");
  Rows info = Query(Replace(kRelationInfo, "@OID@", oid));
  ASSERT_EQ(info.size(), 1u);
  EXPECT_EQ(info[0][1], "r");
  EXPECT_EQ(info[0][2], "true");  // relhasindex
  Rows columns = Query(Replace(kColumns, "@OID@", oid));
  EXPECT_EQ(Column(columns, 0), (V{"id", "amount", "name", "d"}));
  EXPECT_EQ(Column(columns, 1), (V{"integer", "numeric(18,2)", "text", "date"}));
  EXPECT_EQ(Column(columns, 3), (V{"true", "false", "true", "false"}));  // id is the key, name NOT NULL
  Rows indexes = Query(Replace(kIndexes, "@OID@", oid));
  ASSERT_EQ(indexes.size(), 1u);
  EXPECT_EQ(indexes[0][0], "sales_pkey");
  EXPECT_EQ(indexes[0][1], "true");
  EXPECT_EQ(indexes[0][5], "CREATE UNIQUE INDEX sales_pkey ON public.sales USING btree (id)");
  EXPECT_EQ(indexes[0][6], "PRIMARY KEY (id)");
  EXPECT_EQ(indexes[0][7], "p");
  for (const char* q : {kPolicies, kStatistics, kPublications, kInheritsParents, kInheritsChildren}) {
    EXPECT_TRUE(Query(Replace(q, "@OID@", oid)).empty()) << q;
  }
  Rows verbose = Query(Replace(kColumnsVerbose, "@OID@", oid));
  ASSERT_EQ(verbose.size(), 4u);
  EXPECT_EQ(verbose[1][7], "m");  // numeric is stored "main"
  EXPECT_EQ(verbose[1][10], "Net amount");
  EXPECT_EQ(Query(Replace(kRelationInfoVerbose, "@OID@", oid)).size(), 1u);
}

TEST_F(CatalogEmulationTest, PsqlDescribeView) {
  std::string oid = FindOid("v_sales");
  EXPECT_EQ(Query(Replace(kRelationInfoVerbose, "@OID@", oid)).at(0).at(1), "v");
  Rows columns = Query(Replace(kViewColumns, "@OID@", oid));
  EXPECT_EQ(Column(columns, 0), (V{"id", "amount"}));
  Rows definition = Query(Replace(kViewDefinition, "@OID@", oid));
  ASSERT_EQ(definition.size(), 1u);
  EXPECT_NE(definition[0][0].value_or("").find("SELECT id, amount FROM sales"), std::string::npos)
      << definition[0][0].value_or("NULL");
  EXPECT_TRUE(Query(Replace(kRules, "@OID@", oid)).empty());
}

TEST_F(CatalogEmulationTest, PsqlNamePatternsIgnoreCase) {
  // psql folds \d SALES to ^(sales)$; DuckDB's names are case-insensitive, so any spelling finds the table.
  EXPECT_EQ(FindOid("SALES"), FindOid("sales"));
  EXPECT_TRUE(Query(Replace(kFindRelation, "@NAME@", "Account")).empty());  // not on the search path
  EXPECT_EQ(Column(Query(Replace(kListTablesInSchema, "^(Tables)$", "^(tables)$")), 1), (V{"Account"}));
}

TEST_F(CatalogEmulationTest, PsqlListFunctions) {
  Rows rows = Query(kListFunctions);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "public");
  EXPECT_EQ(rows[0][1], "add_one");
  EXPECT_EQ(rows[0][3], "x text");
}

// --- stable OIDs --------------------------------------------------------------------------------------------

TEST_F(CatalogEmulationTest, OidsAreStableAndConsistent) {
  std::string oid = FindOid("sales");
  // Derived from names only: a second database with the same objects gives the same OID.
  engine::Database other(engine::Settings{});
  engine::Connection(other).Execute("CREATE TABLE sales (id INTEGER PRIMARY KEY)");
  CatalogEmulation other_emulation(other, "lake");
  engine::Connection other_connection(other);
  EXPECT_EQ(other_connection.Query(other_emulation.Rewrite("SELECT 'sales'::regclass::oid")).ScalarText(), oid);
  EXPECT_GE(std::stoll(oid), 16384);
  EXPECT_EQ(Query("SELECT count(*) FROM pg_catalog.pg_attribute WHERE attrelid = " + oid)[0][0], "4");
  EXPECT_EQ(Query("SELECT n.nspname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
                  "ON n.oid = c.relnamespace WHERE c.oid = " + oid)[0][0], "public");
  EXPECT_EQ(Query("SELECT 'pg_class'::regclass::oid, 'pg_catalog.pg_type'::regclass::oid")[0], (Rows::value_type{
      std::string("1259"), std::string("1247")}));
  EXPECT_EQ(Query("SELECT oid FROM pg_namespace WHERE nspname IN ('public', 'pg_catalog') ORDER BY 1"),
            (Rows{{std::string("11")}, {std::string("2200")}}));
  // Every attribute's type is in pg_type.
  EXPECT_EQ(Query("SELECT count(*) FROM pg_attribute a LEFT JOIN pg_type t ON t.oid = a.atttypid "
                  "WHERE t.oid IS NULL")[0][0], "0");
}

TEST_F(CatalogEmulationTest, PublicSchemaResolves) {
  EXPECT_EQ(connection_->Query("SELECT count(*) FROM public.sales").ScalarText(), "0");
  EXPECT_EQ(connection_->Query("SELECT count(*) FROM \"public\".\"v_sales\"").ScalarText(), "0");
}

TEST_F(CatalogEmulationTest, Functions) {
  Rows rows = Query("SELECT version(), current_database(), current_schema(), current_setting('max_index_keys'), "
                    "pg_catalog.format_type(1043, 14), format_type(1700, 1179654), format_type(1009, -1), "
                    "pg_get_userbyid(10), pg_encoding_to_char(6), obj_description('sales'::regclass, 'pg_class'), "
                    "has_table_privilege('sales', 'SELECT'), array_upper([1, 2, 3], 1)");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0].value_or("").rfind("PostgreSQL 15.0 (cdmlake", 0), 0u);
  EXPECT_EQ(rows[0][1], "lake");
  EXPECT_EQ(rows[0][2], "public");
  EXPECT_EQ(rows[0][3], "32");
  EXPECT_EQ(rows[0][4], "character varying(10)");
  EXPECT_EQ(rows[0][5], "numeric(18,2)");
  EXPECT_EQ(rows[0][6], "text[]");
  EXPECT_EQ(rows[0][7], "cdmlake");
  EXPECT_EQ(rows[0][8], "UTF8");
  EXPECT_EQ(rows[0][9], "Sales orders");
  EXPECT_EQ(rows[0][10], "true");
  EXPECT_EQ(rows[0][11], "3");
  EXPECT_EQ(Query("SELECT 'a' ~ 'b', 'abc' ~ '^a', 'ABC' ~* 'b', 'abc' !~ 'z'")[0],
            (Rows::value_type{std::string("false"), std::string("true"), std::string("true"), std::string("true")}));
}

// --- pgJDBC 42.5 DatabaseMetaData ---------------------------------------------------------------------------

TEST_F(CatalogEmulationTest, JdbcGetTables) {
  Rows rows = Query(R"sql(SELECT NULL AS TABLE_CAT, n.nspname AS TABLE_SCHEM, c.relname AS TABLE_NAME,  CASE n.nspname ~ '^pg_' OR n.nspname = 'information_schema'  WHEN true THEN CASE  WHEN n.nspname = 'pg_catalog' OR n.nspname = 'information_schema' THEN CASE c.relkind   WHEN 'r' THEN 'SYSTEM TABLE'   WHEN 'v' THEN 'SYSTEM VIEW'   WHEN 'i' THEN 'SYSTEM INDEX'   ELSE NULL   END  WHEN n.nspname = 'pg_toast' THEN CASE c.relkind   WHEN 'r' THEN 'SYSTEM TOAST TABLE'   WHEN 'i' THEN 'SYSTEM TOAST INDEX'   ELSE NULL   END  ELSE CASE c.relkind   WHEN 'r' THEN 'TEMPORARY TABLE'   WHEN 'p' THEN 'TEMPORARY TABLE'   WHEN 'i' THEN 'TEMPORARY INDEX'   WHEN 'S' THEN 'TEMPORARY SEQUENCE'   WHEN 'v' THEN 'TEMPORARY VIEW'   ELSE NULL   END  END  WHEN false THEN CASE c.relkind  WHEN 'r' THEN 'TABLE'  WHEN 'p' THEN 'PARTITIONED TABLE'  WHEN 'i' THEN 'INDEX'  WHEN 'P' then 'PARTITIONED INDEX'  WHEN 'S' THEN 'SEQUENCE'  WHEN 'v' THEN 'VIEW'  WHEN 'c' THEN 'TYPE'  WHEN 'f' THEN 'FOREIGN TABLE'  WHEN 'm' THEN 'MATERIALIZED VIEW'  ELSE NULL  END  ELSE NULL  END  AS TABLE_TYPE, d.description AS REMARKS,  '' as TYPE_CAT, '' as TYPE_SCHEM, '' as TYPE_NAME, '' AS SELF_REFERENCING_COL_NAME, '' AS REF_GENERATION  FROM pg_catalog.pg_namespace n, pg_catalog.pg_class c  LEFT JOIN pg_catalog.pg_description d ON (c.oid = d.objoid AND d.objsubid = 0  and d.classoid = 'pg_class'::regclass)  WHERE c.relnamespace = n.oid  AND n.nspname LIKE 'public' AND c.relname LIKE '%' AND (false  OR ( c.relkind IN ('r','p') AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' )  OR ( c.relkind = 'v' AND n.nspname <> 'pg_catalog' AND n.nspname <> 'information_schema' ) )  ORDER BY TABLE_TYPE,TABLE_SCHEM,TABLE_NAME )sql");
  EXPECT_EQ(Column(rows, 2), (V{"lines", "sales", "v_sales"}));
  EXPECT_EQ(Column(rows, 3), (V{"TABLE", "TABLE", "VIEW"}));
  EXPECT_EQ(Column(rows, 4), (V{"NULL", "Sales orders", "NULL"}));
}

TEST_F(CatalogEmulationTest, JdbcGetColumns) {
  Rows rows = Query(R"sql(SELECT * FROM (SELECT n.nspname,c.relname,a.attname,a.atttypid,a.attnotnull OR (t.typtype = 'd' AND t.typnotnull) AS attnotnull,a.atttypmod,a.attlen,t.typtypmod,row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum) AS attnum, nullif(a.attidentity, '') as attidentity,nullif(a.attgenerated, '') as attgenerated,pg_catalog.pg_get_expr(def.adbin, def.adrelid) AS adsrc,dsc.description,t.typbasetype,t.typtype  FROM pg_catalog.pg_namespace n  JOIN pg_catalog.pg_class c ON (c.relnamespace = n.oid)  JOIN pg_catalog.pg_attribute a ON (a.attrelid=c.oid)  JOIN pg_catalog.pg_type t ON (a.atttypid = t.oid)  LEFT JOIN pg_catalog.pg_attrdef def ON (a.attrelid=def.adrelid AND a.attnum = def.adnum)  LEFT JOIN pg_catalog.pg_description dsc ON (c.oid=dsc.objoid AND a.attnum = dsc.objsubid)  LEFT JOIN pg_catalog.pg_class dc ON (dc.oid=dsc.classoid AND dc.relname='pg_class')  LEFT JOIN pg_catalog.pg_namespace dn ON (dc.relnamespace=dn.oid AND dn.nspname='pg_catalog')  WHERE c.relkind in ('r','p','v','f','m') and a.attnum > 0 AND NOT a.attisdropped  AND n.nspname LIKE 'public' AND c.relname LIKE 'lines') c WHERE true  ORDER BY nspname,c.relname,attnum )sql");
  EXPECT_EQ(Column(rows, 2), (V{"id", "sale", "qty", "tags", "sold_at"}));
  EXPECT_EQ(Column(rows, 3), (V{"23", "23", "701", "1009", "1184"}));
  EXPECT_EQ(Column(rows, 8), (V{"1", "2", "3", "4", "5"}));
}

TEST_F(CatalogEmulationTest, JdbcGetPrimaryKeysAndSchemasAndTypeInfo) {
  Rows keys = Query(R"sql(SELECT result.TABLE_CAT, result.TABLE_SCHEM, result.TABLE_NAME, result.COLUMN_NAME, result.KEY_SEQ, result.PK_NAME FROM (SELECT NULL AS TABLE_CAT, n.nspname AS TABLE_SCHEM,   ct.relname AS TABLE_NAME, a.attname AS COLUMN_NAME,   (information_schema._pg_expandarray(i.indkey)).n AS KEY_SEQ, ci.relname AS PK_NAME,   information_schema._pg_expandarray(i.indkey) AS KEYS, a.attnum AS A_ATTNUM FROM pg_catalog.pg_class ct   JOIN pg_catalog.pg_attribute a ON (ct.oid = a.attrelid)   JOIN pg_catalog.pg_namespace n ON (ct.relnamespace = n.oid)   JOIN pg_catalog.pg_index i ON ( a.attrelid = i.indrelid)   JOIN pg_catalog.pg_class ci ON (ci.oid = i.indexrelid) WHERE true  AND n.nspname = E'public' AND ct.relname = E'sales' AND i.indisprimary  ) result where  result.A_ATTNUM = (result.KEYS).x  ORDER BY result.table_name, result.pk_name, result.key_seq)sql");
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0][3], "id");
  EXPECT_EQ(keys[0][4], "1");
  EXPECT_EQ(keys[0][5], "sales_pkey");
  Rows schemas = Query(R"sql(SELECT nspname AS TABLE_SCHEM, NULL AS TABLE_CATALOG FROM pg_catalog.pg_namespace  WHERE nspname <> 'pg_toast' AND (nspname !~ '^pg_temp_'  OR nspname = (pg_catalog.current_schemas(true))[1]) AND (nspname !~ '^pg_toast_temp_'  OR nspname = replace((pg_catalog.current_schemas(true))[1], 'pg_temp_', 'pg_toast_temp_'))  ORDER BY TABLE_SCHEM)sql");
  EXPECT_EQ(Column(schemas, 0), (V{"Tables", "information_schema", "pg_catalog", "public"}));
  Rows types = Query(R"sql(SELECT t.typname,t.oid FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON (t.typnamespace = n.oid)  WHERE n.nspname  != 'pg_toast' AND  (t.typrelid = 0 OR (SELECT c.relkind = 'c' FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid)))sql");
  EXPECT_GT(types.size(), 40u);
  Rows arrays = Query("SELECT typinput='pg_catalog.array_in'::regproc, typtype   FROM pg_catalog.pg_type   LEFT "
                      "JOIN (select ns.oid as nspoid, ns.nspname, r.r           from pg_namespace as ns           "
                      "join ( select s.r, (current_schemas(false))[s.r] as nspname                    from "
                      "generate_series(1, array_upper(current_schemas(false), 1)) as s(r) ) as r          using ( "
                      "nspname )        ) as sp     ON sp.nspoid = typnamespace  WHERE typname = '_int4'  ORDER BY "
                      "sp.r, pg_type.oid DESC LIMIT 1");
  ASSERT_EQ(arrays.size(), 1u);
  EXPECT_EQ(arrays[0][0], "true");
}

// --- psqlODBC 13 ---------------------------------------------------------------------------------------------

TEST_F(CatalogEmulationTest, OdbcColumnsAndForeignKeys) {
  Rows columns = Query(R"sql(select n.nspname, c.relname, a.attname, a.atttypid, t.typname, a.attnum, a.attlen, a.atttypmod, a.attnotnull, c.relhasrules, c.relkind, c.oid, pg_get_expr(d.adbin, d.adrelid), case t.typtype when 'd' then t.typbasetype else 0 end, t.typtypmod, 0, attidentity, c.relhassubclass from (((pg_catalog.pg_class c inner join pg_catalog.pg_namespace n on n.oid = c.relnamespace and c.relname like 'sales' and n.nspname like 'public') inner join pg_catalog.pg_attribute a on (not a.attisdropped) and a.attnum > 0 and a.attrelid = c.oid) inner join pg_catalog.pg_type t on t.oid = a.atttypid) left outer join pg_attrdef d on a.atthasdef and d.adrelid = a.attrelid and d.adnum = a.attnum order by n.nspname, c.relname, attnum)sql");
  EXPECT_EQ(Column(columns, 4), (V{"int4", "numeric", "text", "date"}));
  Rows keys = Query(R"sql(select	'public'::name as "PKTABLE_SCHEM", 'sales'::name as "PKTABLE_NAME", a2.attname as "PKCOLUMN_NAME", n1.nspname as "FKTABLE_SCHEM", c1.relname as "FKTABLE_NAME", a1.attname as "FKCOLUMN_NAME", i::int2 as "KEY_SEQ" from ((((((( (select cn.oid, conrelid, conkey, confrelid, confkey, generate_series(array_lower(conkey, 1), array_upper(conkey, 1)) as i, confupdtype, confdeltype, conname, condeferrable, condeferred from pg_catalog.pg_constraint cn, pg_catalog.pg_class c, pg_catalog.pg_namespace n where contype = 'f' and confrelid = c.oid and relname = 'sales' and n.oid = c.relnamespace and n.nspname = 'public') ref inner join pg_catalog.pg_class c1 on c1.oid = ref.conrelid) inner join pg_catalog.pg_namespace n1 on n1.oid = c1.relnamespace) inner join pg_catalog.pg_attribute a1 on a1.attrelid = c1.oid and a1.attnum = conkey[i]) inner join pg_catalog.pg_class c2 on c2.oid = ref.confrelid) inner join pg_catalog.pg_namespace n2 on n2.oid = c2.relnamespace) inner join pg_catalog.pg_attribute a2 on a2.attrelid = c2.oid and a2.attnum = confkey[i]) left outer join pg_catalog.pg_constraint cn on cn.conrelid = ref.confrelid and cn.contype = 'p') order by ref.oid, ref.i)sql");
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0][2], "id");
  EXPECT_EQ(keys[0][4], "lines");
  EXPECT_EQ(keys[0][5], "sale");
}

TEST_F(CatalogEmulationTest, OdbcPrimaryKeys) {
  Rows keys = Query(R"sql(select ta.attname, ia.attnum, ic.relname, n.nspname, tc.relname from pg_catalog.pg_attribute ta, pg_catalog.pg_attribute ia, pg_catalog.pg_class tc, pg_catalog.pg_index i, pg_catalog.pg_namespace n, pg_catalog.pg_class ic where tc.relname = 'sales' AND n.nspname = 'public' AND tc.oid = i.indrelid AND n.oid = tc.relnamespace AND i.indisprimary = 't' AND ia.attrelid = i.indexrelid AND ta.attrelid = i.indrelid AND ta.attnum = i.indkey[ia.attnum-1] AND (NOT ta.attisdropped) AND (NOT ia.attisdropped) AND ic.oid = i.indexrelid order by ia.attnum)sql");
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0], (Rows::value_type{std::string("id"), std::string("1"), std::string("sales_pkey"),
                                       std::string("public"), std::string("sales")}));
}

// --- Npgsql 4.0 (Power BI) ----------------------------------------------------------------------------------

TEST_F(CatalogEmulationTest, NpgsqlTypeLoading) {
  Rows types = Query(R"sql(SELECT ns.nspname, a.typname, a.oid, a.typrelid, a.typbasetype,
CASE WHEN pg_proc.proname='array_recv' THEN 'a' ELSE a.typtype END AS type,
CASE
  WHEN pg_proc.proname='array_recv' THEN a.typelem
  WHEN a.typtype='r' THEN rngsubtype
  ELSE 0
END AS elemoid,
CASE
  WHEN pg_proc.proname IN ('array_recv','oidvectorrecv') THEN 3    /* Arrays last */
  WHEN a.typtype='r' THEN 2                                        /* Ranges before */
  WHEN a.typtype='d' THEN 1                                        /* Domains before */
  ELSE 0                                                           /* Base types first */
END AS ord
FROM pg_type AS a
JOIN pg_namespace AS ns ON (ns.oid = a.typnamespace)
JOIN pg_proc ON pg_proc.oid = a.typreceive
LEFT OUTER JOIN pg_class AS cls ON (cls.oid = a.typrelid)
LEFT OUTER JOIN pg_type AS b ON (b.oid = a.typelem)
LEFT OUTER JOIN pg_class AS elemcls ON (elemcls.oid = b.typrelid)
LEFT OUTER JOIN pg_range ON (pg_range.rngtypid = a.oid)
WHERE
  a.typtype IN ('b', 'r', 'e', 'd') OR         /* Base, range, enum, domain */
  (a.typtype = 'c' AND cls.relkind='c') OR /* User-defined free-standing composites (not table composites) by default */
  (pg_proc.proname='array_recv' AND (
    b.typtype IN ('b', 'r', 'e', 'd') OR       /* Array of base, range, enum, domain */
    (b.typtype = 'p' AND b.typname IN ('record', 'void')) OR /* Arrays of special supported pseudo-types */
    (b.typtype = 'c' AND elemcls.relkind='c')  /* Array of user-defined free-standing composites (not table composites) */
  )) OR
  (a.typtype = 'p' AND a.typname IN ('record', 'void'))  /* Some special supported pseudo-types */
ORDER BY ord)sql");
  // Every type a column can have, base types before arrays, each array with its element.
  std::map<std::string, std::pair<std::string, std::string>> by_name;  // typname → (type, elemoid)
  for (const auto& row : types) by_name[*row[1]] = {*row[5], *row[6]};
  for (const char* base : {"bool", "int2", "int4", "int8", "float4", "float8", "numeric", "text", "varchar",
                           "bytea", "date", "time", "timestamp", "timestamptz", "interval", "uuid", "json"}) {
    EXPECT_EQ(by_name[base].first, "b") << base;
  }
  EXPECT_EQ(by_name["_int4"], (std::pair<std::string, std::string>{"a", "23"}));
  EXPECT_EQ(by_name["_text"], (std::pair<std::string, std::string>{"a", "25"}));
  EXPECT_EQ(by_name["record"].first, "p");
  EXPECT_EQ(types.back()[7], "3");
  EXPECT_TRUE(Query("SELECT pg_type.oid, enumlabel FROM pg_enum JOIN pg_type ON pg_type.oid=enumtypid "
                    "ORDER BY oid, enumsortorder").empty());
  EXPECT_TRUE(Query("SELECT typ.oid, att.attname, att.atttypid FROM pg_type AS typ JOIN pg_namespace AS ns ON "
                    "(ns.oid = typ.typnamespace) JOIN pg_class AS cls ON (cls.oid = typ.typrelid) JOIN pg_attribute "
                    "AS att ON (att.attrelid = typ.typrelid) WHERE (typ.typtype = 'c' AND cls.relkind='c') AND "
                    "attnum > 0 AND NOT attisdropped ORDER BY typ.oid, att.attnum").empty());
}

// --- information_schema -------------------------------------------------------------------------------------

TEST_F(CatalogEmulationTest, InformationSchema) {
  Rows tables = Query("SELECT table_catalog, table_schema, table_name, table_type FROM information_schema.tables "
                      "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 2, 3");
  EXPECT_EQ(Column(tables, 0), (V{"lake", "lake", "lake", "lake"}));
  EXPECT_EQ(Column(tables, 1), (V{"Tables", "public", "public", "public"}));
  EXPECT_EQ(Column(tables, 2), (V{"Account", "lines", "sales", "v_sales"}));
  EXPECT_EQ(Column(tables, 3), (V{"BASE TABLE", "BASE TABLE", "BASE TABLE", "VIEW"}));
  Rows columns = Query("SELECT column_name, data_type, is_nullable, numeric_precision, numeric_scale, udt_name "
                       "FROM information_schema.columns WHERE table_name = 'sales' ORDER BY ordinal_position");
  EXPECT_EQ(Column(columns, 1), (V{"integer", "numeric", "text", "date"}));
  EXPECT_EQ(Column(columns, 2), (V{"NO", "YES", "NO", "YES"}));
  EXPECT_EQ(columns.at(1).at(3), "18");
  EXPECT_EQ(columns.at(1).at(4), "2");
  // Power BI's relationship query: constraints joined to their key columns.
  Rows keys = Query("SELECT tc.constraint_type, tc.table_name, kcu.column_name, kcu.ordinal_position "
                    "FROM information_schema.table_constraints tc JOIN information_schema.key_column_usage kcu "
                    "ON tc.constraint_name = kcu.constraint_name AND tc.table_schema = kcu.table_schema "
                    "AND tc.table_name = kcu.table_name ORDER BY 1, 2");
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0], (Rows::value_type{std::string("FOREIGN KEY"), std::string("lines"), std::string("sale"),
                                       std::string("1")}));
  EXPECT_EQ(keys[1], (Rows::value_type{std::string("PRIMARY KEY"), std::string("sales"), std::string("id"),
                                       std::string("1")}));
  EXPECT_EQ(Query("SELECT count(*) FROM information_schema.referential_constraints")[0][0], "1");
  EXPECT_EQ(Query("SELECT character_set_name FROM information_schema.character_sets")[0][0], "UTF8");
}

// The table cache moves a view to a table with narrower types; the catalog must describe the new ones.
TEST(CatalogEmulationRefreshTest, SnapshotsFollowChangedColumnTypes) {
  engine::Database database{engine::Settings{}};
  engine::Connection c(database);
  c.Execute("CREATE TABLE wide (amount DECIMAL(32,6)); CREATE TABLE narrow (amount DECIMAL(18,6));"
            "CREATE VIEW lines AS SELECT * FROM wide");
  CatalogEmulation emulation(database, "lake");
  auto precision = [&] {
    return c.Query(emulation.Rewrite("SELECT numeric_precision FROM information_schema.columns "
                                     "WHERE table_name = 'lines'")).ScalarText();
  };
  EXPECT_EQ(precision(), "32");
  c.Execute("CREATE OR REPLACE VIEW lines AS SELECT * FROM narrow");
  EXPECT_EQ(precision(), "32") << "a snapshot until refreshed";
  emulation.RefreshSnapshots(database);
  EXPECT_EQ(precision(), "18");
  EXPECT_EQ(c.Query(emulation.Rewrite("SELECT format_type(atttypid, atttypmod) FROM pg_catalog.pg_attribute "
                                      "WHERE attrelid = 'lines'::regclass AND attnum = 1")).ScalarText(),
            "numeric(18,6)");
}

}  // namespace
}  // namespace cdmlake::server
