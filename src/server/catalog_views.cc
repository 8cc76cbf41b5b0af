// The SQL of the catalog emulation: relations named like PostgreSQL 15's catalog relations, computed from
// DuckDB's duckdb_schemas()/duckdb_tables()/duckdb_views()/duckdb_columns()/duckdb_constraints(), and macros for
// the catalog functions clients call. "CREATE SNAPSHOT s.x AS q" defines a view s._live_x AS q and a table s.x
// filled from it once everything exists (SnapshotFills): the lake's objects are fixed while the server runs,
// and psql's \d queries evaluate pg_table_is_visible and friends per row, which over live views of
// duckdb_views()' SQL text took a second per query. Columns follow PostgreSQL 15's
// definitions in name and order; regproc columns hold OIDs of rows of the emulated pg_proc. Placeholders @S@
// (pg_catalog's stand-in), @I@ (information_schema's), @SN@/@IN@ (their names as literals), @DB@ (the DuckDB
// database), @NAME@ (the database clients see) and @VERSION@ are replaced by CatalogDefinitions.
#include <string>
#include <string_view>
#include <vector>

#include "server/catalog_internal.h"

namespace cdmlake::server::catalog {

namespace {

// Helpers first: OIDs, the relations and schemas of the lake, the identifier quoting of regclass output.
const char* const kHelpers[] = {
    // Stable OIDs: an MD5 of kind, schema and name into [16384, 2^31) — the range PostgreSQL leaves to user
    // objects — so they survive restarts and agree between sessions.
    "CREATE MACRO @S@._oid(kind, sch, name) AS "
    "CAST(16384 + md5_number(kind || '/' || sch || '/' || name) % 2147467263 AS BIGINT)",
    // PostgreSQL's quote_ident: lower-case plain names stay bare.
    "CREATE MACRO @S@.quote_ident(x) AS "
    "CASE WHEN regexp_full_match(x, '[a-z_][a-z0-9_$]*') THEN x ELSE '\"' || replace(x, '\"', '\"\"') || '\"' END",
    // Schemas of the lake; main is public, the emulation schemas are pg_catalog and information_schema.
    "CREATE SNAPSHOT @S@._ns AS "
    "SELECT schema_name AS duck_schema, "
    "  CASE schema_name WHEN 'main' THEN 'public' WHEN @SN@ THEN 'pg_catalog' WHEN @IN@ THEN 'information_schema' "
    "  ELSE schema_name END AS nspname, "
    "  CASE schema_name WHEN 'main' THEN 2200 WHEN @SN@ THEN 11 WHEN @IN@ THEN 13183 "
    "  ELSE @S@._oid('n', schema_name, '') END::BIGINT AS oid "
    "FROM duckdb_schemas() WHERE database_name = @DB@ AND schema_name NOT IN ('public', 'pg_catalog', "
    "'information_schema')",
    // Relations: tables, and views. A view is shown as a table when the lake defined it over its files (it reads
    // read_csv/read_parquet/read_json, a temporary table or the server's table cache, server/table_cache.h) or it
    // is main's alias of such a view.
    "CREATE VIEW @S@._lake_view AS "
    "SELECT schema_name, view_name, sql FROM duckdb_views() "
    "WHERE database_name = @DB@ AND NOT internal AND NOT temporary "
    "  AND schema_name NOT IN ('public', 'pg_catalog', 'information_schema')",
    "CREATE SNAPSHOT @S@._rel AS "
    "SELECT schema_name AS duck_schema, table_name AS relname, 'r' AS relkind, NULL::VARCHAR AS viewdef, "
    "  comment, estimated_size::DOUBLE AS reltuples, column_count::SMALLINT AS relnatts, "
    "  has_primary_key OR index_count > 0 AS relhasindex "
    "FROM duckdb_tables() WHERE database_name = @DB@ AND NOT temporary "
    "  AND schema_name NOT IN ('public', 'pg_catalog', 'information_schema') "
    "  AND (schema_name NOT IN (@SN@, @IN@) OR NOT starts_with(table_name, '_')) "
    "UNION ALL "
    "SELECT v.schema_name, v.view_name, "
    "  CASE WHEN regexp_matches(v.sql, '(read_csv|read_parquet|read_json[a-z_]*)\\(|FROM (temp|cdmlake_cache)\\.') "
    "         OR (v.schema_name = 'main' AND regexp_matches(v.sql, '^CREATE VIEW .* AS SELECT \\* FROM [^ ;]+;?$') "
    "             AND EXISTS (SELECT 1 FROM @S@._lake_view w WHERE w.schema_name <> 'main' "
    "                         AND lower(w.view_name) = lower(v.view_name))) "
    "       THEN 'r' ELSE 'v' END, "
    "  regexp_replace(regexp_replace(d.sql, '^CREATE (OR REPLACE )?(TEMP |TEMPORARY )?VIEW .*? AS ', ''), ';\\s*$', ''), "
    "  d.comment, 0, d.column_count::SMALLINT, false "
    "FROM @S@._lake_view v JOIN duckdb_views() d ON d.database_name = @DB@ AND d.schema_name = v.schema_name "
    "  AND d.view_name = v.view_name "
    "WHERE v.schema_name <> @SN@ AND v.schema_name <> @IN@ OR NOT starts_with(v.view_name, '_')",
    // Primary keys and unique constraints, as the indexes PostgreSQL would make for them.
    "CREATE SNAPSHOT @S@._idx AS "
    "SELECT schema_name AS duck_schema, table_name, "
    "  CASE constraint_type WHEN 'PRIMARY KEY' THEN table_name || '_pkey' "
    "    ELSE table_name || '_' || array_to_string(constraint_column_names, '_') || '_key' END AS relname, "
    "  constraint_type = 'PRIMARY KEY' AS isprimary, constraint_column_names AS colnames, "
    "  list_transform(constraint_column_indexes, i -> (i + 1)::SMALLINT) AS indkey "
    "FROM duckdb_constraints() WHERE database_name = @DB@ AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')",
};

// The relations of pg_catalog.
const char* const kRelations[] = {
    "CREATE SNAPSHOT @S@.pg_namespace AS "
    "SELECT oid, nspname, 10::BIGINT AS nspowner, NULL::VARCHAR[] AS nspacl FROM @S@._ns "
    "UNION ALL SELECT 99, 'pg_toast', 10, NULL",
    "CREATE VIEW @S@.pg_am AS "
    "SELECT * FROM (VALUES (2::BIGINT, 'heap', 'heapam_handler', 't'), (403, 'btree', 'bthandler', 'i')) "
    "  t(oid, amname, amhandler, amtype)",
    "CREATE SNAPSHOT @S@.pg_class AS "
    "SELECT CASE WHEN r.duck_schema = @SN@ THEN COALESCE(s.oid, @S@._oid('r', r.duck_schema, r.relname)) "
    "    ELSE @S@._oid('r', r.duck_schema, r.relname) END AS oid, "
    "  r.relname, n.oid AS relnamespace, 0::BIGINT AS reltype, 0::BIGINT AS reloftype, 10::BIGINT AS relowner, "
    "  CASE r.relkind WHEN 'r' THEN 2 ELSE 0 END::BIGINT AS relam, 0::BIGINT AS relfilenode, "
    "  0::BIGINT AS reltablespace, 0 AS relpages, r.reltuples::FLOAT AS reltuples, 0 AS relallvisible, "
    "  0::BIGINT AS reltoastrelid, r.relhasindex, false AS relisshared, 'p' AS relpersistence, r.relkind, "
    "  r.relnatts, 0::SMALLINT AS relchecks, false AS relhasrules, false AS relhastriggers, "
    "  false AS relhassubclass, false AS relrowsecurity, false AS relforcerowsecurity, true AS relispopulated, "
    "  'd' AS relreplident, false AS relispartition, 0::BIGINT AS relrewrite, 0::BIGINT AS relfrozenxid, "
    "  0::BIGINT AS relminmxid, NULL::VARCHAR[] AS relacl, NULL::VARCHAR[] AS reloptions, "
    "  NULL::VARCHAR AS relpartbound "
    "FROM @S@._rel r JOIN @S@._ns n ON n.duck_schema = r.duck_schema "
    "LEFT JOIN @S@._system_oid s ON r.duck_schema = @SN@ AND s.relname = r.relname "
    "UNION ALL "
    "SELECT @S@._oid('i', i.duck_schema, i.relname), i.relname, n.oid, 0, 0, 10, 403, 0, 0, 0, 0, 0, 0, false, "
    "  false, 'p', 'i', len(i.indkey)::SMALLINT, 0, false, false, false, false, false, true, 'n', false, 0, 0, 0, "
    "  NULL, NULL, NULL "
    "FROM @S@._idx i JOIN @S@._ns n ON n.duck_schema = i.duck_schema",
    "CREATE VIEW @S@.pg_type AS SELECT * FROM @S@._pg_type_base",
    // Columns of relations, then those of indexes (psqlODBC's SQLPrimaryKeys reads them).
    "CREATE SNAPSHOT @S@.pg_attribute AS "
    "WITH base AS ("
    "SELECT @S@._oid('r', c.schema_name, c.table_name) AS attrelid, c.column_name AS attname, "
    "  COALESCE(ct.typid, 25) AS atttypid, -1 AS attstattarget, t.typlen AS attlen, "
    "  c.column_index::SMALLINT AS attnum, CASE WHEN t.typcategory = 'A' THEN 1 ELSE 0 END AS attndims, "
    "  -1 AS attcacheoff, COALESCE(ct.typmod, -1) AS atttypmod, t.typbyval AS attbyval, "
    "  t.typstorage AS attstorage, t.typalign AS attalign, NOT c.is_nullable AS attnotnull, "
    "  c.column_default IS NOT NULL AS atthasdef, false AS atthasmissing, '' AS attidentity, "
    "  '' AS attgenerated, false AS attisdropped, true AS attislocal, 0 AS attinhcount, "
    "  t.typcollation AS attcollation, NULL::VARCHAR[] AS attacl, NULL::VARCHAR[] AS attoptions, "
    "  NULL::VARCHAR[] AS attfdwoptions, NULL::VARCHAR AS attmissingval, "
    "  NULL::VARCHAR AS attcompression "
    "FROM duckdb_columns() c "
    "JOIN @S@._rel r ON r.duck_schema = c.schema_name AND r.relname = c.table_name "
    "LEFT JOIN @S@._coltype ct ON ct.data_type = c.data_type "
    "JOIN @S@._pg_type_base t ON t.oid = COALESCE(ct.typid, 25) "
    "WHERE c.database_name = @DB@) "
    "SELECT * FROM base UNION ALL "
    "SELECT @S@._oid('i', x.duck_schema, x.relname), a.attname, a.atttypid, a.attstattarget, a.attlen, "
    "  x.k::SMALLINT, a.attndims, a.attcacheoff, a.atttypmod, a.attbyval, a.attstorage, a.attalign, "
    "  a.attnotnull, false, false, '', '', false, true, 0, a.attcollation, NULL, NULL, NULL, NULL, NULL "
    "FROM (SELECT duck_schema, relname, table_name, unnest(indkey) AS col, generate_subscripts(indkey, 1) AS k "
    "      FROM @S@._idx) x "
    "JOIN base a ON a.attrelid = @S@._oid('r', x.duck_schema, x.table_name) AND a.attnum = x.col",
    "CREATE SNAPSHOT @S@.pg_attrdef AS "
    "SELECT @S@._oid('d', c.schema_name, c.table_name || '.' || c.column_name) AS oid, "
    "  @S@._oid('r', c.schema_name, c.table_name) AS adrelid, c.column_index::SMALLINT AS adnum, "
    "  c.column_default AS adbin "
    "FROM duckdb_columns() c JOIN @S@._rel r ON r.duck_schema = c.schema_name AND r.relname = c.table_name "
    "WHERE c.database_name = @DB@ AND c.column_default IS NOT NULL",
    "CREATE SNAPSHOT @S@.pg_index AS "
    "SELECT @S@._oid('i', duck_schema, relname) AS indexrelid, @S@._oid('r', duck_schema, table_name) AS indrelid, "
    "  len(indkey)::SMALLINT AS indnatts, len(indkey)::SMALLINT AS indnkeyatts, true AS indisunique, "
    "  false AS indnullsnotdistinct, isprimary AS indisprimary, false AS indisexclusion, true AS indimmediate, "
    "  false AS indisclustered, true AS indisvalid, false AS indcheckxmin, true AS indisready, "
    "  true AS indislive, false AS indisreplident, indkey, "
    "  list_transform(indkey, k -> 0::BIGINT) AS indcollation, list_transform(indkey, k -> 0::BIGINT) AS indclass, "
    "  list_transform(indkey, k -> 0::SMALLINT) AS indoption, NULL::VARCHAR AS indexprs, NULL::VARCHAR AS indpred "
    "FROM @S@._idx",
    // Constraints with the text pg_get_constraintdef prints (_def), kept beside PostgreSQL's columns.
    "CREATE SNAPSHOT @S@._con AS "
    "SELECT @S@._oid('c', c.schema_name, c.table_name || '.' || c.constraint_name) AS oid, "
    "  CASE c.constraint_type WHEN 'PRIMARY KEY' THEN c.table_name || '_pkey' "
    "    WHEN 'UNIQUE' THEN c.table_name || '_' || array_to_string(c.constraint_column_names, '_') || '_key' "
    "    WHEN 'FOREIGN KEY' THEN c.table_name || '_' || array_to_string(c.constraint_column_names, '_') || '_fkey' "
    "    ELSE c.table_name || '_check' || c.constraint_index END AS conname, "
    "  n.oid AS connamespace, "
    "  CASE c.constraint_type WHEN 'PRIMARY KEY' THEN 'p' WHEN 'UNIQUE' THEN 'u' WHEN 'FOREIGN KEY' THEN 'f' "
    "    ELSE 'c' END AS contype, "
    "  @S@._oid('r', c.schema_name, c.table_name) AS conrelid, "
    "  CASE WHEN c.constraint_type IN ('PRIMARY KEY', 'UNIQUE') THEN @S@._oid('i', c.schema_name, "
    "    CASE c.constraint_type WHEN 'PRIMARY KEY' THEN c.table_name || '_pkey' "
    "    ELSE c.table_name || '_' || array_to_string(c.constraint_column_names, '_') || '_key' END) "
    "    ELSE 0 END AS conindid, "
    "  CASE WHEN c.constraint_type = 'FOREIGN KEY' THEN @S@._oid('r', c.schema_name, c.referenced_table) "
    "    ELSE 0 END AS confrelid, "
    "  list_transform(c.constraint_column_indexes, i -> (i + 1)::SMALLINT) AS conkey, "
    "  c.referenced_column_names AS _refcols, c.schema_name AS _schema, c.referenced_table AS _reftable, "
    "  CASE c.constraint_type WHEN 'CHECK' THEN 'CHECK (' || c.expression || ')' "
    "    ELSE c.constraint_type || ' (' || array_to_string(list_transform(c.constraint_column_names, "
    "      x -> @S@.quote_ident(x)), ', ') || ')' || CASE WHEN c.constraint_type = 'FOREIGN KEY' THEN "
    "      ' REFERENCES ' || @S@.quote_ident(c.referenced_table) || '(' || array_to_string(list_transform("
    "      c.referenced_column_names, x -> @S@.quote_ident(x)), ', ') || ')' ELSE '' END END AS _def "
    "FROM duckdb_constraints() c JOIN @S@._ns n ON n.duck_schema = c.schema_name "
    "WHERE c.database_name = @DB@ AND c.constraint_type IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY', 'CHECK')",
    "CREATE SNAPSHOT @S@.pg_constraint AS "
    "SELECT c.oid, c.conname, c.connamespace, c.contype, false AS condeferrable, false AS condeferred, "
    "  true AS convalidated, c.conrelid, 0::BIGINT AS contypid, c.conindid, 0::BIGINT AS conparentid, "
    "  c.confrelid, 'a' AS confupdtype, 'a' AS confdeltype, 's' AS confmatchtype, true AS conislocal, "
    "  0 AS coninhcount, true AS connoinherit, c.conkey, "
    "  CASE WHEN c.contype = 'f' THEN (SELECT list(k.column_index::SMALLINT ORDER BY "
    "    list_position(c._refcols, k.column_name)) FROM duckdb_columns() k WHERE k.database_name = @DB@ "
    "    AND k.schema_name = c._schema AND k.table_name = c._reftable AND list_contains(c._refcols, k.column_name)) "
    "    END AS confkey, "
    "  NULL::BIGINT[] AS conpfeqop, NULL::BIGINT[] AS conppeqop, NULL::BIGINT[] AS conffeqop, "
    "  NULL::SMALLINT[] AS confdelsetcols, NULL::BIGINT[] AS conexclop, "
    "  CASE WHEN c.contype = 'c' THEN c._def END AS conbin "
    "FROM @S@._con c",
    "CREATE SNAPSHOT @S@.pg_description AS "
    "SELECT @S@._oid('r', duck_schema, relname) AS objoid, 1259::BIGINT AS classoid, 0 AS objsubid, "
    "  comment AS description FROM @S@._rel WHERE comment IS NOT NULL AND comment <> '' "
    "UNION ALL "
    "SELECT @S@._oid('r', c.schema_name, c.table_name), 1259, c.column_index, c.comment "
    "FROM duckdb_columns() c JOIN @S@._rel r ON r.duck_schema = c.schema_name AND r.relname = c.table_name "
    "WHERE c.database_name = @DB@ AND c.comment IS NOT NULL AND c.comment <> ''",
    "CREATE VIEW @S@.pg_shdescription AS "
    "SELECT NULL::BIGINT AS objoid, NULL::BIGINT AS classoid, NULL::VARCHAR AS description WHERE false",
    "CREATE VIEW @S@.pg_database AS "
    "SELECT @S@._oid('db', '', @NAME@) AS oid, @NAME@ AS datname, 10::BIGINT AS datdba, 6 AS encoding, "
    "  'c' AS datlocprovider, false AS datistemplate, true AS datallowconn, -1 AS datconnlimit, "
    "  0::BIGINT AS datfrozenxid, 0::BIGINT AS datminmxid, 1663::BIGINT AS dattablespace, "
    "  'C.UTF-8' AS datcollate, 'C.UTF-8' AS datctype, NULL::VARCHAR AS daticulocale, "
    "  NULL::VARCHAR AS datcollversion, NULL::VARCHAR[] AS datacl",
    // One role owns everything: the lake's owner. Connecting users are not listed (the users file is the
    // server's, not the catalog's).
    "CREATE VIEW @S@.pg_roles AS "
    "SELECT 'cdmlake' AS rolname, true AS rolsuper, true AS rolinherit, false AS rolcreaterole, "
    "  false AS rolcreatedb, true AS rolcanlogin, false AS rolreplication, -1 AS rolconnlimit, "
    "  '********' AS rolpassword, NULL::TIMESTAMPTZ AS rolvaliduntil, false AS rolbypassrls, "
    "  NULL::VARCHAR[] AS rolconfig, 10::BIGINT AS oid",
    "CREATE VIEW @S@.pg_authid AS "
    "SELECT oid, rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication, "
    "  rolbypassrls, rolconnlimit, NULL::VARCHAR AS rolpassword, rolvaliduntil FROM @S@.pg_roles",
    "CREATE VIEW @S@.pg_user AS "
    "SELECT rolname AS usename, oid AS usesysid, rolcreatedb AS usecreatedb, rolsuper AS usesuper, "
    "  rolreplication AS userepl, rolbypassrls AS usebypassrls, rolpassword AS passwd, "
    "  rolvaliduntil AS valuntil, rolconfig AS useconfig FROM @S@.pg_roles",
    "CREATE VIEW @S@.pg_auth_members AS "
    "SELECT NULL::BIGINT AS roleid, NULL::BIGINT AS member, NULL::BIGINT AS grantor, "
    "  NULL::BOOLEAN AS admin_option WHERE false",
    "CREATE SNAPSHOT @S@.pg_proc AS SELECT * FROM @S@._pg_proc_base "
    "UNION ALL "
    "SELECT @S@._oid('p', f.schema_name, f.function_name || '(' || array_to_string(f.parameters, ',') || ')'), "
    "  f.function_name, n.oid, 10, 14, 100, 0, 0, 0, 'f', false, false, false, false, 'v', 'u', "
    "  len(f.parameters)::SMALLINT, 0, 25, list_transform(f.parameters, x -> 25::BIGINT), NULL, NULL, "
    "  f.parameters, NULL, NULL, f.macro_definition, NULL, NULL, NULL, NULL, "
    "  'text', array_to_string(list_transform(f.parameters, x -> x || ' text'), ', ') "
    "FROM duckdb_functions() f JOIN @S@._ns n ON n.duck_schema = f.schema_name "
    "WHERE f.database_name = @DB@ AND NOT f.internal AND f.function_type IN ('macro', 'table_macro') "
    "  AND f.schema_name NOT IN (@SN@, @IN@)",
    "CREATE VIEW @S@.pg_collation AS "
    "SELECT * FROM (VALUES (100::BIGINT, 'default', 11::BIGINT, 10::BIGINT, 'd', true, -1, NULL::VARCHAR, "
    "  NULL::VARCHAR), (950, 'C', 11, 10, 'c', true, -1, 'C', 'C'), (951, 'POSIX', 11, 10, 'c', true, -1, "
    "  'POSIX', 'POSIX')) t(oid, collname, collnamespace, collowner, collprovider, collisdeterministic, "
    "  collencoding, collcollate, collctype)",
    "CREATE VIEW @S@.pg_tablespace AS "
    "SELECT * FROM (VALUES (1663::BIGINT, 'pg_default', 10::BIGINT, NULL::VARCHAR[], NULL::VARCHAR[]), "
    "  (1664, 'pg_global', 10, NULL, NULL)) t(oid, spcname, spcowner, spcacl, spcoptions)",
    "CREATE VIEW @S@.pg_language AS "
    "SELECT * FROM (VALUES (12::BIGINT, 'internal', 10::BIGINT, false, false, 0::BIGINT, 0::BIGINT, 0::BIGINT), "
    "  (13, 'c', 10, false, false, 0, 0, 0), (14, 'sql', 10, false, true, 0, 0, 0)) "
    "  t(oid, lanname, lanowner, lanispl, lanpltrusted, lanplcallfoid, laninline, lanvalidator)",
    "CREATE VIEW @S@.pg_extension AS "
    "SELECT 13500::BIGINT AS oid, 'plpgsql' AS extname, 10::BIGINT AS extowner, 11::BIGINT AS extnamespace, "
    "  false AS extrelocatable, '1.0' AS extversion, NULL::BIGINT[] AS extconfig, NULL::VARCHAR[] AS extcondition "
    "WHERE false",
    "CREATE VIEW @S@.pg_settings AS "
    "SELECT name, setting, NULL::VARCHAR AS unit, 'Preset Options' AS category, '' AS short_desc, "
    "  NULL::VARCHAR AS extra_desc, 'internal' AS context, vartype, 'default' AS source, "
    "  NULL::VARCHAR AS min_val, NULL::VARCHAR AS max_val, NULL::VARCHAR[] AS enumvals, setting AS boot_val, "
    "  setting AS reset_val, NULL::VARCHAR AS sourcefile, NULL::INTEGER AS sourceline, "
    "  false AS pending_restart "
    "FROM (VALUES ('max_index_keys', '32', 'integer'), ('max_identifier_length', '63', 'integer'), "
    "  ('block_size', '8192', 'integer'), ('server_version', '15.0', 'string'), "
    "  ('server_version_num', '150000', 'integer'), ('server_encoding', 'UTF8', 'string'), "
    "  ('client_encoding', 'UTF8', 'string'), ('standard_conforming_strings', 'on', 'bool'), "
    "  ('integer_datetimes', 'on', 'bool'), ('datestyle', 'ISO, MDY', 'string'), "
    "  ('intervalstyle', 'postgres', 'string'), ('timezone', 'UTC', 'string'), "
    "  ('default_transaction_read_only', 'on', 'bool'), ('transaction_read_only', 'on', 'bool'), "
    "  ('search_path', '\"$user\", public', 'string'), ('lc_collate', 'C.UTF-8', 'string'), "
    "  ('lc_ctype', 'C.UTF-8', 'string'), ('is_superuser', 'off', 'bool'), "
    "  ('transaction_isolation', 'read committed', 'enum'), ('default_transaction_isolation', 'read committed', "
    "  'enum'), ('max_connections', '100', 'integer')) t(name, setting, vartype)",
    // Relations that are always empty here: the lake has no inheritance, policies, rules, triggers, extended
    // statistics, publications, ranges, enums, sequences or dependencies to show.
    "CREATE VIEW @S@.pg_inherits AS SELECT NULL::BIGINT AS inhrelid, NULL::BIGINT AS inhparent, "
    "  NULL::INTEGER AS inhseqno, NULL::BOOLEAN AS inhdetachpending WHERE false",
    "CREATE VIEW @S@.pg_policy AS SELECT NULL::BIGINT AS oid, NULL::VARCHAR AS polname, NULL::BIGINT AS polrelid, "
    "  NULL::VARCHAR AS polcmd, NULL::BOOLEAN AS polpermissive, NULL::BIGINT[] AS polroles, "
    "  NULL::VARCHAR AS polqual, NULL::VARCHAR AS polwithcheck WHERE false",
    "CREATE VIEW @S@.pg_rewrite AS SELECT NULL::BIGINT AS oid, NULL::VARCHAR AS rulename, NULL::BIGINT AS ev_class, "
    "  NULL::VARCHAR AS ev_type, NULL::VARCHAR AS ev_enabled, NULL::BOOLEAN AS is_instead, "
    "  NULL::VARCHAR AS ev_qual, NULL::VARCHAR AS ev_action WHERE false",
    "CREATE VIEW @S@.pg_trigger AS SELECT NULL::BIGINT AS oid, NULL::BIGINT AS tgrelid, NULL::BIGINT AS tgparentid, "
    "  NULL::VARCHAR AS tgname, NULL::BIGINT AS tgfoid, NULL::SMALLINT AS tgtype, NULL::VARCHAR AS tgenabled, "
    "  NULL::BOOLEAN AS tgisinternal, NULL::BIGINT AS tgconstrrelid, NULL::BIGINT AS tgconstrindid, "
    "  NULL::BIGINT AS tgconstraint, NULL::BOOLEAN AS tgdeferrable, NULL::BOOLEAN AS tginitdeferred, "
    "  NULL::SMALLINT AS tgnargs, NULL::SMALLINT[] AS tgattr, NULL::BLOB AS tgargs, NULL::VARCHAR AS tgqual, "
    "  NULL::VARCHAR AS tgoldtable, NULL::VARCHAR AS tgnewtable WHERE false",
    "CREATE VIEW @S@.pg_statistic_ext AS SELECT NULL::BIGINT AS oid, NULL::BIGINT AS stxrelid, "
    "  NULL::VARCHAR AS stxname, NULL::BIGINT AS stxnamespace, NULL::BIGINT AS stxowner, "
    "  NULL::INTEGER AS stxstattarget, NULL::SMALLINT[] AS stxkeys, NULL::VARCHAR[] AS stxkind, "
    "  NULL::VARCHAR AS stxexprs WHERE false",
    "CREATE VIEW @S@.pg_publication AS SELECT NULL::BIGINT AS oid, NULL::VARCHAR AS pubname, "
    "  NULL::BIGINT AS pubowner, NULL::BOOLEAN AS puballtables, NULL::BOOLEAN AS pubinsert, "
    "  NULL::BOOLEAN AS pubupdate, NULL::BOOLEAN AS pubdelete, NULL::BOOLEAN AS pubtruncate, "
    "  NULL::BOOLEAN AS pubviaroot WHERE false",
    "CREATE VIEW @S@.pg_publication_namespace AS SELECT NULL::BIGINT AS oid, NULL::BIGINT AS pnpubid, "
    "  NULL::BIGINT AS pnnspid WHERE false",
    "CREATE VIEW @S@.pg_publication_rel AS SELECT NULL::BIGINT AS oid, NULL::BIGINT AS prpubid, "
    "  NULL::BIGINT AS prrelid, NULL::VARCHAR AS prqual, NULL::SMALLINT[] AS prattrs WHERE false",
    "CREATE VIEW @S@.pg_range AS SELECT NULL::BIGINT AS rngtypid, NULL::BIGINT AS rngsubtype, "
    "  NULL::BIGINT AS rngmultitypid, NULL::BIGINT AS rngcollation, NULL::BIGINT AS rngsubopc, "
    "  NULL::BIGINT AS rngcanonical, NULL::BIGINT AS rngsubdiff WHERE false",
    // Without pg_enum's oid column: Npgsql's "ORDER BY oid" over pg_enum ⋈ pg_type must name pg_type's.
    "CREATE VIEW @S@.pg_enum AS SELECT NULL::BIGINT AS enumtypid, "
    "  NULL::FLOAT AS enumsortorder, NULL::VARCHAR AS enumlabel WHERE false",
    "CREATE VIEW @S@.pg_sequence AS SELECT NULL::BIGINT AS seqrelid, NULL::BIGINT AS seqtypid, "
    "  NULL::BIGINT AS seqstart, NULL::BIGINT AS seqincrement, NULL::BIGINT AS seqmax, NULL::BIGINT AS seqmin, "
    "  NULL::BIGINT AS seqcache, NULL::BOOLEAN AS seqcycle WHERE false",
    "CREATE VIEW @S@.pg_depend AS SELECT NULL::BIGINT AS classid, NULL::BIGINT AS objid, "
    "  NULL::INTEGER AS objsubid, NULL::BIGINT AS refclassid, NULL::BIGINT AS refobjid, "
    "  NULL::INTEGER AS refobjsubid, NULL::VARCHAR AS deptype WHERE false",
    "CREATE VIEW @S@.pg_partitioned_table AS SELECT NULL::BIGINT AS partrelid, NULL::VARCHAR AS partstrat, "
    "  NULL::SMALLINT AS partnatts, NULL::BIGINT AS partdefid, NULL::SMALLINT[] AS partattrs WHERE false",
    "CREATE VIEW @S@.pg_foreign_table AS SELECT NULL::BIGINT AS ftrelid, NULL::BIGINT AS ftserver, "
    "  NULL::VARCHAR[] AS ftoptions WHERE false",
    "CREATE VIEW @S@.pg_event_trigger AS SELECT NULL::BIGINT AS oid, NULL::VARCHAR AS evtname WHERE false",
    "CREATE VIEW @S@.pg_matviews AS SELECT NULL::VARCHAR AS schemaname, NULL::VARCHAR AS matviewname, "
    "  NULL::VARCHAR AS matviewowner, NULL::VARCHAR AS definition WHERE false",
    "CREATE VIEW @S@.pg_tables AS "
    "SELECT n.nspname AS schemaname, c.relname AS tablename, 'cdmlake' AS tableowner, "
    "  NULL::VARCHAR AS tablespace, c.relhasindex AS hasindexes, false AS hasrules, false AS hastriggers, "
    "  false AS rowsecurity "
    "FROM @S@.pg_class c JOIN @S@.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p')",
    "CREATE VIEW @S@.pg_views AS "
    "SELECT n.duck_schema AS _schema, n.nspname AS schemaname, r.relname AS viewname, 'cdmlake' AS viewowner, "
    "  r.viewdef AS definition "
    "FROM @S@._rel r JOIN @S@._ns n ON n.duck_schema = r.duck_schema WHERE r.relkind = 'v'",
    "CREATE VIEW @S@.pg_stat_activity AS "
    "SELECT @S@._oid('db', '', @NAME@) AS datid, @NAME@ AS datname, NULL::INTEGER AS pid, "
    "  NULL::VARCHAR AS usename, NULL::VARCHAR AS application_name, NULL::VARCHAR AS state, "
    "  NULL::VARCHAR AS query WHERE false",
};

// The catalog functions (PostgreSQL names and arities).
const char* const kFunctions[] = {
    "CREATE MACRO @S@.pg_get_userbyid(role) AS "
    "COALESCE((SELECT rolname FROM @S@.pg_roles WHERE oid = role), 'unknown (OID=' || role || ')')",
    // Visible means: on the search path (public, then pg_catalog).
    "CREATE MACRO @S@.pg_table_is_visible(rel) AS "
    "COALESCE((SELECT relnamespace IN (11, 2200) FROM @S@.pg_class WHERE oid = rel), false)",
    "CREATE MACRO @S@.pg_function_is_visible(fn) AS "
    "COALESCE((SELECT pronamespace IN (11, 2200) FROM @S@.pg_proc WHERE oid = fn), false)",
    "CREATE MACRO @S@.pg_type_is_visible(typ) AS true",
    "CREATE MACRO @S@.format_type(type_oid, type_mod) AS "
    "CASE WHEN type_oid IS NULL THEN NULL ELSE COALESCE("
    "  (SELECT f.name FROM @S@._format_type f WHERE f.oid = type_oid AND f.typmod = COALESCE(type_mod, -1)), "
    // Typmods no column has: lengths of character types and precision/scale of numeric, as PostgreSQL prints.
    "  CASE WHEN type_mod > 4 AND type_oid IN (1042, 1043, 1014, 1015, 1700, 1231) THEN "
    "    (SELECT regexp_replace(f.name, '(\\[\\])?$', CASE WHEN type_oid IN (1700, 1231) THEN "
    "      '(' || ((type_mod - 4) >> 16) || ',' || ((type_mod - 4) & 65535) || ')' ELSE '(' || (type_mod - 4) || ')' "
    "      END || '\\1') FROM @S@._format_type f WHERE f.oid = type_oid AND f.typmod = -1) END, "
    "  (SELECT f.name FROM @S@._format_type f WHERE f.oid = type_oid AND f.typmod = -1), repeat('?', 3)) END",
    "CREATE MACRO @S@.pg_get_expr(expr, rel) AS expr, (expr, rel, pretty) AS expr",
    "CREATE MACRO @S@.pg_get_viewdef(rel) AS "
    "(SELECT r.viewdef FROM @S@._rel r WHERE @S@._oid('r', r.duck_schema, r.relname) = rel), "
    "(rel, pretty) AS "
    "(SELECT r.viewdef FROM @S@._rel r WHERE @S@._oid('r', r.duck_schema, r.relname) = rel)",
    "CREATE MACRO @S@.pg_get_indexdef(idx) AS "
    "(SELECT 'CREATE UNIQUE INDEX ' || @S@.quote_ident(i.relname) || ' ON ' || @S@.quote_ident(n.nspname) || '.' "
    "  || @S@.quote_ident(i.table_name) || ' USING btree (' || array_to_string(list_transform(i.colnames, "
    "  x -> @S@.quote_ident(x)), ', ') || ')' "
    " FROM @S@._idx i JOIN @S@._ns n ON n.duck_schema = i.duck_schema "
    " WHERE @S@._oid('i', i.duck_schema, i.relname) = idx), "
    "(idx, col, pretty) AS "
    "(SELECT CASE WHEN col = 0 THEN 'CREATE UNIQUE INDEX ' || @S@.quote_ident(i.relname) || ' ON ' "
    "  || @S@.quote_ident(n.nspname) || '.' || @S@.quote_ident(i.table_name) || ' USING btree (' "
    "  || array_to_string(list_transform(i.colnames, x -> @S@.quote_ident(x)), ', ') || ')' "
    "  ELSE @S@.quote_ident(i.colnames[col]) END "
    " FROM @S@._idx i JOIN @S@._ns n ON n.duck_schema = i.duck_schema "
    " WHERE @S@._oid('i', i.duck_schema, i.relname) = idx)",
    "CREATE MACRO @S@.pg_get_constraintdef(con) AS (SELECT _def FROM @S@._con WHERE oid = con), "
    "(con, pretty) AS (SELECT _def FROM @S@._con WHERE oid = con)",
    "CREATE MACRO @S@.pg_get_ruledef(rule) AS NULL::VARCHAR, (rule, pretty) AS NULL::VARCHAR",
    "CREATE MACRO @S@.pg_get_triggerdef(trig) AS NULL::VARCHAR, (trig, pretty) AS NULL::VARCHAR",
    "CREATE MACRO @S@.pg_get_statisticsobjdef_columns(stat) AS NULL::VARCHAR",
    "CREATE MACRO @S@.pg_get_partkeydef(rel) AS NULL::VARCHAR",
    "CREATE MACRO @S@.pg_relation_is_publishable(rel) AS false",
    "CREATE MACRO @S@.pg_encoding_to_char(enc) AS CASE enc WHEN 6 THEN 'UTF8' WHEN 0 THEN 'SQL_ASCII' ELSE '' END",
    "CREATE MACRO @S@.pg_char_to_encoding(name) AS CASE upper(name) WHEN 'UTF8' THEN 6 WHEN 'SQL_ASCII' THEN 0 "
    "  ELSE -1 END",
    "CREATE MACRO @S@.col_description(rel, col) AS "
    "(SELECT description FROM @S@.pg_description WHERE objoid = rel AND objsubid = col AND classoid = 1259)",
    "CREATE MACRO @S@.obj_description(obj) AS "
    "(SELECT description FROM @S@.pg_description WHERE objoid = obj AND objsubid = 0 LIMIT 1), "
    "(obj, cat) AS "
    "(SELECT description FROM @S@.pg_description WHERE objoid = obj AND objsubid = 0 AND classoid = CASE cat "
    "  WHEN 'pg_class' THEN 1259 ELSE -1 END LIMIT 1)",
    "CREATE MACRO @S@.shobj_description(obj, cat) AS NULL::VARCHAR",
    "CREATE MACRO @S@.pg_get_function_result(fn) AS (SELECT _result FROM @S@.pg_proc WHERE oid = fn)",
    "CREATE MACRO @S@.pg_get_function_arguments(fn) AS (SELECT _arguments FROM @S@.pg_proc WHERE oid = fn)",
    "CREATE MACRO @S@.pg_get_function_identity_arguments(fn) AS "
    "(SELECT _arguments FROM @S@.pg_proc WHERE oid = fn)",
    "CREATE MACRO @S@.current_schemas(implicit) AS "
    "CASE WHEN implicit THEN ['pg_catalog', 'public'] ELSE ['public'] END",
    "CREATE MACRO @S@.current_schema() AS 'public'",
    "CREATE MACRO @S@.current_database() AS @NAME@",
    "CREATE MACRO @S@.current_catalog() AS @NAME@",
    "CREATE MACRO @S@.version() AS @VERSION@",
    "CREATE MACRO @S@.current_setting(setting_name) AS "
    "(SELECT s.setting FROM @S@.pg_settings s WHERE s.name = lower(setting_name)), "
    "(setting_name, missing_ok) AS (SELECT s.setting FROM @S@.pg_settings s WHERE s.name = lower(setting_name))",
    "CREATE MACRO @S@.array_upper(arr, dim) AS CASE WHEN dim = 1 AND len(arr) > 0 THEN len(arr) END",
    "CREATE MACRO @S@.array_lower(arr, dim) AS CASE WHEN dim = 1 AND len(arr) > 0 THEN 1 END",
    "CREATE MACRO @S@.has_table_privilege(tab, priv) AS true, (usr, tab, priv) AS true",
    "CREATE MACRO @S@.has_schema_privilege(sch, priv) AS true, (usr, sch, priv) AS true",
    "CREATE MACRO @S@.has_database_privilege(db, priv) AS true, (usr, db, priv) AS true",
    "CREATE MACRO @S@.has_column_privilege(tab, col, priv) AS true, (usr, tab, col, priv) AS true",
    "CREATE MACRO @S@.has_function_privilege(fn, priv) AS true, (usr, fn, priv) AS true",
    "CREATE MACRO @S@.has_any_column_privilege(tab, priv) AS true, (usr, tab, priv) AS true",
    "CREATE MACRO @S@.pg_has_role(role, priv) AS true, (usr, role, priv) AS true",
    "CREATE MACRO @S@.pg_backend_pid() AS 0",
    "CREATE MACRO @S@.pg_is_in_recovery() AS false",
    "CREATE MACRO @S@.pg_postmaster_start_time() AS NULL::TIMESTAMPTZ",
    "CREATE MACRO @S@.pg_total_relation_size(rel) AS 0::BIGINT",
    "CREATE MACRO @S@.pg_relation_size(rel) AS 0::BIGINT",
    "CREATE MACRO @S@.pg_size_pretty(n) AS format_bytes(n::BIGINT)",
    // Casts to and from the reg* types (the rewrite turns 'name'::regclass into _oid lookups and
    // oid::regclass into names). Names may be schema-qualified and quoted; bare names follow the search path.
    "CREATE MACRO @S@.regclass_oid(name) AS "
    "COALESCE(TRY_CAST(name AS BIGINT), (SELECT c.oid FROM @S@.pg_class c JOIN @S@.pg_namespace n "
    "  ON n.oid = c.relnamespace WHERE CASE WHEN contains(replace(name, '\"', ''), '.') "
    "  THEN n.nspname = split_part(replace(name, '\"', ''), '.', 1) AND c.relname = split_part(replace(name, "
    "  '\"', ''), '.', 2) ELSE c.relname = replace(name, '\"', '') AND n.oid IN (11, 2200) END "
    "  ORDER BY n.oid = 11 DESC LIMIT 1))",
    "CREATE MACRO @S@.regclass_name(rel) AS "
    "COALESCE((SELECT CASE WHEN n.oid IN (11, 2200) THEN @S@.quote_ident(c.relname) "
    "  ELSE @S@.quote_ident(n.nspname) || '.' || @S@.quote_ident(c.relname) END "
    "  FROM @S@.pg_class c JOIN @S@.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = rel), rel::VARCHAR)",
    "CREATE MACRO @S@.regtype_oid(type_name) AS "
    "COALESCE(TRY_CAST(type_name AS BIGINT), (SELECT t.oid FROM @S@.pg_type t WHERE t.typname = "
    "  regexp_replace(type_name, '^pg_catalog\\.', '') LIMIT 1), (SELECT f.oid FROM @S@._format_type f "
    "  WHERE f.name = regexp_replace(type_name, '^pg_catalog\\.', '') LIMIT 1))",
    "CREATE MACRO @S@.regtype_name(typ) AS CASE WHEN typ = 0 THEN '-' ELSE @S@.format_type(typ, NULL) END",
    "CREATE MACRO @S@.regproc_oid(name) AS "
    "COALESCE(TRY_CAST(name AS BIGINT), (SELECT oid FROM @S@.pg_proc WHERE proname = "
    "  regexp_replace(name, '^pg_catalog\\.', '') LIMIT 1))",
    "CREATE MACRO @S@.regproc_name(fn) AS "
    "CASE WHEN fn = 0 THEN '-' ELSE COALESCE((SELECT proname FROM @S@.pg_proc WHERE oid = fn), fn::VARCHAR) END",
    "CREATE MACRO @S@.regnamespace_oid(name) AS "
    "COALESCE(TRY_CAST(name AS BIGINT), (SELECT oid FROM @S@.pg_namespace WHERE nspname = replace(name, '\"', '')))",
    "CREATE MACRO @S@.regnamespace_name(nsp) AS "
    "COALESCE((SELECT @S@.quote_ident(nspname) FROM @S@.pg_namespace WHERE oid = nsp), nsp::VARCHAR)",
    "CREATE MACRO @S@.regrole_name(role) AS @S@.pg_get_userbyid(role)",
    "CREATE MACRO @S@.regrole_oid(name) AS COALESCE(TRY_CAST(name AS BIGINT), "
    "  (SELECT oid FROM @S@.pg_roles WHERE rolname = name))",
};

// information_schema: PostgreSQL's names and catalog/schema naming (table_catalog = the database clients see,
// main = public), from the emulated pg_catalog so both agree.
const char* const kInformationSchemaViews[] = {
    // pgJDBC's getPrimaryKeys/getIndexInfo expand index key arrays with this set-returning function.
    "CREATE MACRO @I@._pg_expandarray(arr) AS "
    "unnest(list_transform(range(1, len(arr) + 1), i -> {'x': arr[i], 'n': i}))",
    "CREATE VIEW @I@.schemata AS "
    "SELECT @NAME@ AS catalog_name, nspname AS schema_name, 'cdmlake' AS schema_owner, "
    "  NULL::VARCHAR AS default_character_set_catalog, NULL::VARCHAR AS default_character_set_schema, "
    "  NULL::VARCHAR AS default_character_set_name, NULL::VARCHAR AS sql_path FROM @S@.pg_namespace",
    "CREATE VIEW @I@.tables AS "
    "SELECT @NAME@ AS table_catalog, n.nspname AS table_schema, c.relname AS table_name, "
    "  CASE WHEN n.oid IN (11, 13183) AND c.relkind = 'v' THEN 'VIEW' WHEN c.relkind = 'v' THEN 'VIEW' "
    "    ELSE 'BASE TABLE' END AS table_type, "
    "  NULL::VARCHAR AS self_referencing_column_name, NULL::VARCHAR AS reference_generation, "
    "  NULL::VARCHAR AS user_defined_type_catalog, NULL::VARCHAR AS user_defined_type_schema, "
    "  NULL::VARCHAR AS user_defined_type_name, 'NO' AS is_insertable_into, 'NO' AS is_typed, "
    "  NULL::VARCHAR AS commit_action "
    "FROM @S@.pg_class c JOIN @S@.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'v', 'p')",
    "CREATE VIEW @I@.views AS "
    "SELECT @NAME@ AS table_catalog, schemaname AS table_schema, viewname AS table_name, "
    "  definition AS view_definition, 'NONE' AS check_option, 'NO' AS is_updatable, 'NO' AS is_insertable_into, "
    "  'NO' AS is_trigger_updatable, 'NO' AS is_trigger_deletable, 'NO' AS is_trigger_insertable_into "
    "FROM @S@.pg_views",
    "CREATE VIEW @I@.columns AS "
    "SELECT @NAME@ AS table_catalog, n.nspname AS table_schema, c.relname AS table_name, "
    "  a.attname AS column_name, a.attnum::INTEGER AS ordinal_position, d.adbin AS column_default, "
    "  CASE WHEN a.attnotnull THEN 'NO' ELSE 'YES' END AS is_nullable, "
    "  CASE WHEN t.typcategory = 'A' THEN 'ARRAY' "
    "    ELSE regexp_replace(@S@.format_type(a.atttypid, NULL), '\\[\\]$', '') END AS data_type, "
    "  CASE WHEN a.atttypid IN (1042, 1043) AND a.atttypmod > 4 THEN a.atttypmod - 4 END "
    "    AS character_maximum_length, "
    "  CASE WHEN a.atttypid IN (25, 1042, 1043) THEN 1073741824 END AS character_octet_length, "
    "  CASE a.atttypid WHEN 21 THEN 16 WHEN 23 THEN 32 WHEN 20 THEN 64 WHEN 700 THEN 24 WHEN 701 THEN 53 "
    "    WHEN 1700 THEN CASE WHEN a.atttypmod > 4 THEN ((a.atttypmod - 4) >> 16) & 65535 END END "
    "    AS numeric_precision, "
    "  CASE WHEN a.atttypid IN (21, 23, 20, 700, 701) THEN 2 WHEN a.atttypid = 1700 THEN 10 END "
    "    AS numeric_precision_radix, "
    "  CASE WHEN a.atttypid IN (21, 23, 20) THEN 0 "
    "    WHEN a.atttypid = 1700 AND a.atttypmod > 4 THEN (a.atttypmod - 4) & 65535 END AS numeric_scale, "
    "  CASE WHEN a.atttypid IN (1082) THEN 0 WHEN a.atttypid IN (1083, 1114, 1184, 1266, 1186) THEN 6 END "
    "    AS datetime_precision, "
    "  NULL::VARCHAR AS interval_type, NULL::INTEGER AS interval_precision, "
    "  NULL::VARCHAR AS character_set_catalog, NULL::VARCHAR AS character_set_schema, "
    "  NULL::VARCHAR AS character_set_name, NULL::VARCHAR AS collation_catalog, "
    "  NULL::VARCHAR AS collation_schema, NULL::VARCHAR AS collation_name, "
    "  NULL::VARCHAR AS domain_catalog, NULL::VARCHAR AS domain_schema, NULL::VARCHAR AS domain_name, "
    "  @NAME@ AS udt_catalog, 'pg_catalog' AS udt_schema, t.typname AS udt_name, "
    "  NULL::VARCHAR AS scope_catalog, NULL::VARCHAR AS scope_schema, NULL::VARCHAR AS scope_name, "
    "  NULL::INTEGER AS maximum_cardinality, a.attnum::VARCHAR AS dtd_identifier, 'NO' AS is_self_referencing, "
    "  'NO' AS is_identity, NULL::VARCHAR AS identity_generation, NULL::VARCHAR AS identity_start, "
    "  NULL::VARCHAR AS identity_increment, NULL::VARCHAR AS identity_maximum, "
    "  NULL::VARCHAR AS identity_minimum, NULL::VARCHAR AS identity_cycle, 'NEVER' AS is_generated, "
    "  NULL::VARCHAR AS generation_expression, 'NO' AS is_updatable "
    "FROM @S@.pg_attribute a JOIN @S@.pg_class c ON c.oid = a.attrelid "
    "JOIN @S@.pg_namespace n ON n.oid = c.relnamespace JOIN @S@.pg_type t ON t.oid = a.atttypid "
    "LEFT JOIN @S@.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
    "WHERE c.relkind IN ('r', 'v', 'p')",
    "CREATE VIEW @I@.table_constraints AS "
    "SELECT @NAME@ AS constraint_catalog, n.nspname AS constraint_schema, c.conname AS constraint_name, "
    "  @NAME@ AS table_catalog, n.nspname AS table_schema, r.relname AS table_name, "
    "  CASE c.contype WHEN 'p' THEN 'PRIMARY KEY' WHEN 'u' THEN 'UNIQUE' WHEN 'f' THEN 'FOREIGN KEY' "
    "    ELSE 'CHECK' END AS constraint_type, 'NO' AS is_deferrable, 'NO' AS initially_deferred, "
    "  'YES' AS enforced, CASE WHEN c.contype = 'u' THEN 'YES' END AS nulls_distinct "
    "FROM @S@.pg_constraint c JOIN @S@.pg_namespace n ON n.oid = c.connamespace "
    "JOIN @S@.pg_class r ON r.oid = c.conrelid",
    "CREATE VIEW @I@.key_column_usage AS "
    "SELECT @NAME@ AS constraint_catalog, n.nspname AS constraint_schema, c.conname AS constraint_name, "
    "  @NAME@ AS table_catalog, n.nspname AS table_schema, r.relname AS table_name, a.attname AS column_name, "
    "  k.n::INTEGER AS ordinal_position, "
    "  CASE WHEN c.contype = 'f' THEN k.n::INTEGER END AS position_in_unique_constraint "
    "FROM @S@.pg_constraint c JOIN @S@.pg_namespace n ON n.oid = c.connamespace "
    "JOIN @S@.pg_class r ON r.oid = c.conrelid "
    "CROSS JOIN LATERAL (SELECT unnest(c.conkey) AS x, generate_subscripts(c.conkey, 1) AS n) k "
    "JOIN @S@.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.x "
    "WHERE c.contype IN ('p', 'u', 'f')",
    "CREATE VIEW @I@.referential_constraints AS "
    "SELECT @NAME@ AS constraint_catalog, n.nspname AS constraint_schema, c.conname AS constraint_name, "
    "  @NAME@ AS unique_constraint_catalog, n.nspname AS unique_constraint_schema, "
    "  (SELECT u.conname FROM @S@.pg_constraint u WHERE u.conrelid = c.confrelid AND u.contype = 'p' LIMIT 1) "
    "    AS unique_constraint_name, 'NONE' AS match_option, 'NO ACTION' AS update_rule, "
    "  'NO ACTION' AS delete_rule "
    "FROM @S@.pg_constraint c JOIN @S@.pg_namespace n ON n.oid = c.connamespace WHERE c.contype = 'f'",
    "CREATE VIEW @I@.constraint_column_usage AS "
    "SELECT @NAME@ AS table_catalog, n.nspname AS table_schema, r.relname AS table_name, "
    "  a.attname AS column_name, @NAME@ AS constraint_catalog, n.nspname AS constraint_schema, "
    "  c.conname AS constraint_name "
    "FROM @S@.pg_constraint c JOIN @S@.pg_namespace n ON n.oid = c.connamespace "
    "JOIN @S@.pg_class r ON r.oid = CASE WHEN c.contype = 'f' THEN c.confrelid ELSE c.conrelid END "
    "JOIN @S@.pg_attribute a ON a.attrelid = r.oid AND list_contains(CASE WHEN c.contype = 'f' "
    "  THEN c.confkey ELSE c.conkey END, a.attnum)",
    "CREATE VIEW @I@.character_sets AS "
    "SELECT NULL::VARCHAR AS character_set_catalog, NULL::VARCHAR AS character_set_schema, "
    "  'UTF8' AS character_set_name, 'UCS' AS character_repertoire, 'UTF8' AS form_of_use, "
    "  @NAME@ AS default_collate_catalog, 'pg_catalog' AS default_collate_schema, "
    "  'C.UTF-8' AS default_collate_name",
    "CREATE VIEW @I@.routines AS "
    "SELECT @NAME@ AS specific_catalog, n.nspname AS specific_schema, p.proname || '_' || p.oid AS specific_name, "
    "  @NAME@ AS routine_catalog, n.nspname AS routine_schema, p.proname AS routine_name, "
    "  'FUNCTION' AS routine_type, 'text' AS data_type, p.prosrc AS routine_definition "
    "FROM @S@.pg_proc p JOIN @S@.pg_namespace n ON n.oid = p.pronamespace WHERE p.pronamespace <> 11",
};

std::string Instantiate(std::string text, const CatalogNames& names) {
  const std::pair<const char*, const std::string*> subs[] = {
      {"@SN@", &names.schema_name}, {"@IN@", &names.info_name},          {"@S@", &names.schema},
      {"@I@", &names.info_schema},  {"@DB@", &names.duck_database},      {"@NAME@", &names.database_name},
      {"@VERSION@", &names.version}};
  for (const auto& [key, value] : subs) {
    std::string out;
    size_t pos = 0, hit;
    std::string k(key);
    while ((hit = text.find(k, pos)) != std::string::npos) {
      out.append(text, pos, hit - pos).append(*value);
      pos = hit + k.size();
    }
    out.append(text, pos, std::string::npos);
    text = std::move(out);
  }
  return text;
}

constexpr std::string_view kSnapshot = "CREATE SNAPSHOT ";

// The schema-qualified name a snapshot definition defines ("s", "x"), or false for other definitions.
bool SnapshotName(const std::string& sql, std::string* schema, std::string* name, size_t* as) {
  if (sql.rfind(kSnapshot, 0) != 0) return false;
  *as = sql.find(" AS ");
  size_t dot = sql.rfind('.', *as);
  *schema = sql.substr(kSnapshot.size(), dot - kSnapshot.size());
  *name = sql.substr(dot + 1, *as - dot - 1);
  return true;
}

// Appends the statements of one definition: snapshots become their live view and the (empty) table.
void Add(const char* definition, const CatalogNames& names, std::vector<std::string>* out) {
  std::string sql = Instantiate(definition, names);
  std::string schema, name;
  size_t as;
  if (!SnapshotName(sql, &schema, &name, &as)) {
    out->push_back(sql);
    return;
  }
  std::string live = schema + "._live_" + name;
  out->push_back("CREATE VIEW " + live + sql.substr(as));
  out->push_back("CREATE TABLE " + schema + "." + name + " AS SELECT * FROM " + live + " LIMIT 0");
}

}  // namespace

std::vector<std::string> CatalogHelperDefinitions(const CatalogNames& names) {
  std::vector<std::string> out;
  for (const char* s : kHelpers) Add(s, names, &out);
  return out;
}

std::vector<std::string> CatalogDefinitions(const CatalogNames& names) {
  std::vector<std::string> out;
  for (const char* s : kRelations) Add(s, names, &out);
  for (const char* s : kFunctions) Add(s, names, &out);
  for (const char* s : kInformationSchemaViews) Add(s, names, &out);
  return out;
}

std::vector<std::string> SnapshotFills(const CatalogNames& names) {
  std::vector<std::string> out;
  for (const char* definition : kHelpers) {
    std::string schema, name;
    size_t as;
    if (SnapshotName(Instantiate(definition, names), &schema, &name, &as)) {
      out.push_back("INSERT INTO " + schema + "." + name + " SELECT * FROM " + schema + "._live_" + name);
    }
  }
  for (const char* definition : kRelations) {
    std::string schema, name;
    size_t as;
    if (SnapshotName(Instantiate(definition, names), &schema, &name, &as)) {
      out.push_back("INSERT INTO " + schema + "." + name + " SELECT * FROM " + schema + "._live_" + name);
    }
  }
  return out;
}

}  // namespace cdmlake::server::catalog
