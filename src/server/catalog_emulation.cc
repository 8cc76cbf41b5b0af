// Builds the catalog emulation (see catalog_emulation.h): the two schemas, the tables of things DuckDB's catalog
// cannot tell (PostgreSQL's types and their I/O functions, the PostgreSQL type of each DuckDB column type, the
// OIDs PostgreSQL gives its own catalog relations), the views and macros of catalog_views.cc, and the "public"
// schema of aliases.
#include "server/catalog_emulation.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/quote.h"
#include "server/catalog_internal.h"
#include "server/pg_types.h"

namespace cdmlake::server {

namespace {

using engine::QuoteIdentifier;
using engine::QuoteLiteral;

// PostgreSQL's base types as pg_type describes them: the ones PgTypeOf reports plus the few catalog queries name.
struct BaseType {
  int32_t oid;
  const char* typname;
  char category;
  bool preferred;
};

constexpr BaseType kBaseTypes[] = {
    {pgoid::kBool, "bool", 'B', true},           {pgoid::kBytea, "bytea", 'U', false},
    {pgoid::kChar, "char", 'Z', false},          {pgoid::kName, "name", 'S', false},
    {pgoid::kInt8, "int8", 'N', false},          {pgoid::kInt2, "int2", 'N', false},
    {pgoid::kInt4, "int4", 'N', false},          {pgoid::kRegproc, "regproc", 'N', false},
    {pgoid::kText, "text", 'S', true},           {pgoid::kOid, "oid", 'N', true},
    {pgoid::kJson, "json", 'U', false},          {pgoid::kFloat4, "float4", 'N', false},
    {pgoid::kFloat8, "float8", 'N', true},       {pgoid::kBpchar, "bpchar", 'S', false},
    {pgoid::kVarchar, "varchar", 'S', false},    {pgoid::kDate, "date", 'D', false},
    {pgoid::kTime, "time", 'D', false},          {pgoid::kTimestamp, "timestamp", 'D', false},
    {pgoid::kTimestamptz, "timestamptz", 'D', true}, {pgoid::kInterval, "interval", 'T', true},
    {pgoid::kTimetz, "timetz", 'D', false},      {pgoid::kNumeric, "numeric", 'N', false},
    {pgoid::kRegclass, "regclass", 'N', false},  {pgoid::kRegtype, "regtype", 'N', false},
    {pgoid::kUuid, "uuid", 'U', false},          {pgoid::kJsonb, "jsonb", 'U', false},
};

// Pseudo-types Npgsql loads by name.
constexpr std::pair<int32_t, const char*> kPseudoTypes[] = {{2249, "record"}, {2278, "void"}, {705, "unknown"}};

// PostgreSQL's own OIDs of its catalog relations, which clients compare against ('pg_class'::regclass = 1259).
constexpr std::pair<const char*, int32_t> kSystemRelations[] = {
    {"pg_type", 1247},       {"pg_attribute", 1249},  {"pg_proc", 1255},       {"pg_class", 1259},
    {"pg_authid", 1260},     {"pg_database", 1262},   {"pg_tablespace", 1213}, {"pg_namespace", 2615},
    {"pg_constraint", 2606}, {"pg_index", 2610},      {"pg_description", 2609}, {"pg_attrdef", 2604},
    {"pg_inherits", 2611},   {"pg_rewrite", 2618},    {"pg_trigger", 2620},    {"pg_am", 2601},
    {"pg_collation", 3456},  {"pg_enum", 3501},       {"pg_range", 3541},      {"pg_extension", 3079},
    {"pg_language", 2612},   {"pg_depend", 2608},     {"pg_policy", 3256},     {"pg_statistic_ext", 3381},
    {"pg_publication", 6104}, {"pg_publication_rel", 6106}, {"pg_publication_namespace", 6237},
    {"pg_shdescription", 2396}, {"pg_sequence", 2224}, {"pg_partitioned_table", 3350},
    {"pg_foreign_table", 3118}, {"pg_event_trigger", 3466}, {"pg_auth_members", 1261},
};

char Align(int16_t len) {
  switch (len) {
    case 1: return 'c';
    case 2: return 's';
    case 4: return 'i';
    case 8: return 'd';
    case -1: return 'i';
    default: return len == 64 || len == 16 ? 'c' : 'd';
  }
}

struct TypeRow {
  int32_t oid;
  std::string typname;
  int16_t typlen;
  char typtype;
  char category;
  bool preferred;
  int32_t elem;
  int32_t array;
  std::string io;  // prefix of the I/O function names ("int4" → int4in, int4recv…; "array" → array_in…)
};

std::vector<TypeRow> TypeRows() {
  std::vector<TypeRow> rows;
  for (const BaseType& t : kBaseTypes) {
    rows.push_back({t.oid, t.typname, TypeLength(t.oid), 'b', t.category, t.preferred, 0, ArrayOidOf(t.oid),
                    t.typname});
  }
  for (const BaseType& t : kBaseTypes) {
    int32_t array = ArrayOidOf(t.oid);
    if (array != 0) rows.push_back({array, std::string("_") + t.typname, -1, 'b', 'A', false, t.oid, 0, "array_"});
  }
  for (const auto& [oid, name] : kPseudoTypes) {
    rows.push_back({oid, name, oid == 2278 ? int16_t{4} : int16_t{-1}, 'p', oid == 705 ? 'X' : 'P', false, 0, 0,
                    oid == 2249 ? "record_" : std::string(name) + "_"});
  }
  return rows;
}

// The I/O function names of a type, PostgreSQL-style: input, output, receive, send (int4in…, array_recv…).
std::vector<std::string> IoFunctions(const TypeRow& t) {
  return {t.io + "in", t.io + "out", t.io + "recv", t.io + "send"};
}

class Runner {
 public:
  explicit Runner(engine::Database& database) : connection_(database) {}
  void Run(const std::string& sql) { connection_.Execute(sql); }
  std::vector<std::vector<std::optional<std::string>>> Rows(const std::string& sql) {
    return connection_.Query(sql).FetchAllText();
  }
  duckdb_connection raw() { return connection_.raw(); }

 private:
  engine::Connection connection_;
};

std::string Bool(bool b) { return b ? "true" : "false"; }

// pg_type's rows, with I/O functions pointing at pg_proc's rows by OID.
void CreateTypes(Runner& run, const std::string& s) {
  run.Run("CREATE TABLE " + s +
          "._pg_proc_base (oid BIGINT, proname VARCHAR, pronamespace BIGINT, proowner BIGINT, prolang BIGINT, "
          "procost FLOAT, prorows FLOAT, provariadic BIGINT, prosupport BIGINT, prokind VARCHAR, prosecdef BOOLEAN, "
          "proleakproof BOOLEAN, proisstrict BOOLEAN, proretset BOOLEAN, provolatile VARCHAR, proparallel VARCHAR, "
          "pronargs SMALLINT, pronargdefaults SMALLINT, prorettype BIGINT, proargtypes BIGINT[], "
          "proallargtypes BIGINT[], proargmodes VARCHAR[], proargnames VARCHAR[], proargdefaults VARCHAR, "
          "protrftypes BIGINT[], prosrc VARCHAR, probin VARCHAR, prosqlbody VARCHAR, proconfig VARCHAR[], "
          "proacl VARCHAR[], _result VARCHAR, _arguments VARCHAR)");
  run.Run("CREATE TABLE " + s +
          "._pg_type_base (oid BIGINT, typname VARCHAR, typnamespace BIGINT, typowner BIGINT, typlen SMALLINT, "
          "typbyval BOOLEAN, typtype VARCHAR, typcategory VARCHAR, typispreferred BOOLEAN, typisdefined BOOLEAN, "
          "typdelim VARCHAR, typrelid BIGINT, typsubscript BIGINT, typelem BIGINT, typarray BIGINT, "
          "typinput BIGINT, typoutput BIGINT, typreceive BIGINT, typsend BIGINT, typmodin BIGINT, "
          "typmodout BIGINT, typanalyze BIGINT, typalign VARCHAR, typstorage VARCHAR, typnotnull BOOLEAN, "
          "typbasetype BIGINT, typtypmod INTEGER, typndims INTEGER, typcollation BIGINT, typdefaultbin VARCHAR, "
          "typdefault VARCHAR, typacl VARCHAR[])");
  std::vector<TypeRow> rows = TypeRows();
  std::vector<std::string> procs;
  std::string type_values;
  for (const TypeRow& t : rows) {
    std::vector<std::string> io = IoFunctions(t);
    for (const std::string& f : io) {
      if (std::find(procs.begin(), procs.end(), f) == procs.end()) procs.push_back(f);
    }
    auto proc = [&](const std::string& f) { return s + "._oid('p', 'pg_catalog', " + QuoteLiteral(f) + ")"; };
    bool byval = t.typlen == 1 || t.typlen == 2 || t.typlen == 4 || t.typlen == 8;
    char storage = t.typlen != -1 ? 'p' : (t.oid == pgoid::kNumeric ? 'm' : 'x');
    bool collatable = t.category == 'S';  // text, varchar, bpchar, name: typcollation "default"
    if (!type_values.empty()) type_values += ", ";
    type_values += "(" + std::to_string(t.oid) + ", " + QuoteLiteral(t.typname) + ", 11, 10, " +
                   std::to_string(t.typlen) + ", " + Bool(byval) + ", " + QuoteLiteral(std::string(1, t.typtype)) +
                   ", " + QuoteLiteral(std::string(1, t.category)) + ", " + Bool(t.preferred) + ", true, ',', 0, 0, " +
                   std::to_string(t.elem) + ", " + std::to_string(t.array) + ", " + proc(io[0]) + ", " +
                   proc(io[1]) + ", " + proc(io[2]) + ", " + proc(io[3]) + ", 0, 0, 0, " +
                   QuoteLiteral(std::string(1, Align(t.typlen))) + ", " + QuoteLiteral(std::string(1, storage)) +
                   ", false, 0, -1, 0, " + (collatable ? "100" : "0") + ", NULL, NULL, NULL)";
  }
  run.Run("INSERT INTO " + s + "._pg_type_base VALUES " + type_values);
  std::string proc_values;
  for (const std::string& f : procs) {
    if (!proc_values.empty()) proc_values += ", ";
    proc_values += "(" + s + "._oid('p', 'pg_catalog', " + QuoteLiteral(f) + "), " + QuoteLiteral(f) +
                   ", 11, 10, 12, 1, 0, 0, 0, 'f', false, false, true, false, 'i', 's', 1, 0, 0, [], NULL, NULL, "
                   "NULL, NULL, NULL, " + QuoteLiteral(f) + ", NULL, NULL, NULL, NULL, NULL, NULL)";
  }
  run.Run("INSERT INTO " + s + "._pg_proc_base VALUES " + proc_values);
}

// The PostgreSQL type of every DuckDB column type in the database (_coltype), and format_type's text for each
// type and typmod (_format_type). DuckDB names a column's type in text; preparing a NULL cast to it gives the
// logical type PgTypeOf maps, so the catalog and RowDescription always agree.
void FillColumnTypes(Runner& run, const std::string& s, const std::string& db) {
  run.Run("DELETE FROM " + s + "._coltype");
  run.Run("DELETE FROM " + s + "._format_type");
  std::vector<std::pair<int32_t, int32_t>> formats;
  for (const TypeRow& t : TypeRows()) formats.push_back({t.oid, -1});
  std::string values;
  for (const auto& row :
       run.Rows("SELECT DISTINCT data_type FROM duckdb_columns() WHERE database_name = " + db + " ORDER BY 1")) {
    if (!row[0]) continue;
    const std::string& data_type = *row[0];
    duckdb_prepared_statement statement = nullptr;
    PgType pg;
    std::string probe = "SELECT CAST(NULL AS " + data_type + ")";
    if (duckdb_prepare(run.raw(), probe.c_str(), &statement) == DuckDBSuccess) {
      duckdb_logical_type type = duckdb_prepared_statement_column_logical_type(statement, 0);
      pg = PgTypeOf(type);
      duckdb_destroy_logical_type(&type);
    }
    duckdb_destroy_prepare(&statement);
    if (!values.empty()) values += ", ";
    values += "(" + QuoteLiteral(data_type) + ", " + std::to_string(pg.oid) + ", " + std::to_string(pg.typmod) + ")";
    if (pg.typmod != -1) formats.push_back({pg.oid, pg.typmod});
  }
  if (!values.empty()) run.Run("INSERT INTO " + s + "._coltype VALUES " + values);
  std::string format_values;
  for (const auto& [oid, typmod] : formats) {
    if (!format_values.empty()) format_values += ", ";
    format_values += "(" + std::to_string(oid) + ", " + std::to_string(typmod) + ", " +
                     QuoteLiteral(PgTypeName(PgType{oid, TypeLength(oid), typmod})) + ")";
  }
  run.Run("INSERT INTO " + s + "._format_type SELECT DISTINCT * FROM (VALUES " + format_values + ")");
}

void CreateSystemOids(Runner& run, const std::string& s) {
  run.Run("CREATE TABLE " + s + "._system_oid (relname VARCHAR, oid BIGINT)");
  std::string values;
  for (const auto& [name, oid] : kSystemRelations) {
    if (!values.empty()) values += ", ";
    values += "(" + QuoteLiteral(name) + ", " + std::to_string(oid) + ")";
  }
  run.Run("INSERT INTO " + s + "._system_oid VALUES " + values);
}

// Schema "public": one view per table and view of main, so public."X" (what clients build from the catalog)
// resolves to main's X.
void CreatePublicAliases(Runner& run, const std::string& db) {
  run.Run("CREATE SCHEMA IF NOT EXISTS public");
  for (const auto& row : run.Rows("SELECT table_name FROM duckdb_tables() WHERE database_name = " + db +
                                  " AND schema_name = 'main' AND NOT temporary UNION "
                                  "SELECT view_name FROM duckdb_views() WHERE database_name = " + db +
                                  " AND schema_name = 'main' AND NOT internal AND NOT temporary ORDER BY 1")) {
    if (!row[0]) continue;
    run.Run("CREATE OR REPLACE VIEW public." + QuoteIdentifier(*row[0]) + " AS SELECT * FROM main." +
            QuoteIdentifier(*row[0]));
  }
}

// The emulation's objects in `schema`, as the rewrite looks them up: relations by name, macros as "name()".
std::set<std::string> ObjectNames(Runner& run, const std::string& db, const char* schema, bool call_suffix) {
  std::set<std::string> names;
  std::string lit = QuoteLiteral(schema);
  for (const auto& row : run.Rows("SELECT view_name, false FROM duckdb_views() WHERE database_name = " + db +
                                  " AND schema_name = " + lit +
                                  " UNION SELECT table_name, false FROM duckdb_tables() WHERE database_name = " + db +
                                  " AND schema_name = " + lit +
                                  " UNION SELECT function_name, true FROM duckdb_functions() WHERE database_name = " +
                                  db + " AND schema_name = " + lit)) {
    if (!row[0] || row[0]->empty()) continue;
    bool function = row[1] && *row[1] == "true";
    if ((*row[0])[0] == '_' && !function) continue;
    names.insert(*row[0] + (function && call_suffix ? "()" : ""));
  }
  return names;
}

}  // namespace

CatalogEmulation::CatalogEmulation(engine::Database& database, std::string database_name)
    : database_name_(std::move(database_name)) {
  Runner run(database);
  catalog::CatalogNames names;
  names.schema_name = QuoteLiteral(kPgCatalogSchema);
  names.info_name = QuoteLiteral(kInformationSchema);
  names.schema = QuoteIdentifier(kPgCatalogSchema);
  names.info_schema = QuoteIdentifier(kInformationSchema);
  std::string duck_database = *run.Rows("SELECT current_database()").at(0).at(0);
  names.duck_database = QuoteLiteral(duck_database);
  names.database_name = QuoteLiteral(database_name_);
  std::string duckdb_version = duckdb_library_version();
  // Clients parse the leading "PostgreSQL <major>.<minor>" (Npgsql, pgJDBC); the rest says what answers.
  names.version = QuoteLiteral("PostgreSQL 15.0 (cdmlake over DuckDB " + duckdb_version +
                               ") on x86_64-pc-linux-gnu, compiled by g++, 64-bit");

  run.Run("CREATE SCHEMA " + names.schema);
  run.Run("CREATE SCHEMA " + names.info_schema);
  for (const std::string& sql : catalog::CatalogHelperDefinitions(names)) run.Run(sql);
  CreateTypes(run, names.schema);
  CreateSystemOids(run, names.schema);
  CreatePublicAliases(run, names.duck_database);
  run.Run("CREATE TABLE " + names.schema + "._coltype (data_type VARCHAR, typid BIGINT, typmod INTEGER)");
  run.Run("CREATE TABLE " + names.schema + "._format_type (oid BIGINT, typmod INTEGER, name VARCHAR)");
  for (const std::string& sql : catalog::CatalogDefinitions(names)) run.Run(sql);
  // Filled last, so that the catalog's own column types (pg_attribute of pg_catalog relations) are in.
  FillColumnTypes(run, names.schema, names.duck_database);
  snapshot_fills_ = catalog::SnapshotFills(names);
  schema_ = names.schema;
  duck_database_ = names.duck_database;
  for (const std::string& sql : snapshot_fills_) run.Run(sql);
  catalog_names_ = ObjectNames(run, names.duck_database, kPgCatalogSchema, true);
  information_names_ = ObjectNames(run, names.duck_database, kInformationSchema, false);
}

void CatalogEmulation::RefreshSnapshots(engine::Database& database) {
  Runner run(database);
  run.Run("BEGIN TRANSACTION");
  try {
    // Saved views added or dropped while serving: public mirrors main.
    for (const auto& row : run.Rows("SELECT view_name FROM duckdb_views() WHERE database_name = " + duck_database_ +
                                    " AND schema_name = 'public' AND NOT internal AND NOT temporary EXCEPT "
                                    "SELECT view_name FROM duckdb_views() WHERE database_name = " + duck_database_ +
                                    " AND schema_name = 'main' EXCEPT SELECT table_name FROM duckdb_tables() "
                                    "WHERE database_name = " + duck_database_ + " AND schema_name = 'main'")) {
      if (row[0]) run.Run("DROP VIEW public." + QuoteIdentifier(*row[0]));
    }
    CreatePublicAliases(run, duck_database_);
    FillColumnTypes(run, schema_, duck_database_);
    for (const std::string& fill : snapshot_fills_) {
      // "INSERT INTO <table> SELECT * FROM <live view>": empty the table first.
      size_t select = fill.find(" SELECT ");
      run.Run("DELETE FROM " + fill.substr(std::string_view("INSERT INTO ").size(),
                                            select - std::string_view("INSERT INTO ").size()));
      run.Run(fill);
    }
    run.Run("COMMIT");
  } catch (...) {
    run.Run("ROLLBACK");
    throw;
  }
}

std::string CatalogEmulation::Rewrite(const std::string& sql) const {
  if (!catalog::MayTouchCatalog(sql)) return sql;
  return catalog::RewriteCatalogSql(sql, catalog_names_, information_names_, QuoteIdentifier(kPgCatalogSchema),
                                    QuoteIdentifier(kInformationSchema));
}

void CatalogEmulation::PrepareConnection(duckdb_connection connection) const { (void)connection; }

}  // namespace cdmlake::server
