#include "server/table_cache.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "engine/quote.h"
#include "lake/entity_files.h"
#include "lake/entity_sql.h"
#include "lake/view_dependents.h"
#include "util/error.h"
#include "util/strings.h"

namespace cdmlake::server {

namespace {

std::string Sha256Hex(const std::string& text, size_t hex_digits) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length && out.size() < hex_digits; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

// Bumped when the way cache tables are written changes, so old tables are not reused.
constexpr const char* kCacheFormat = "cdmlake-table-cache-2";

// DuckDB stores DECIMAL(p,s) with p <= 18 as a 64-bit integer, wider ones as 128-bit integers.
constexpr int kNarrowPrecision = 18;

// "DECIMAL(32,6)" -> {32, 6}; {0, 0} for any other type.
std::pair<int, int> DecimalWidth(const std::string& type) {
  int precision = 0, scale = 0;
  if (std::sscanf(type.c_str(), "DECIMAL(%d,%d)", &precision, &scale) != 2) return {0, 0};
  return {precision, scale};
}

}  // namespace

TableCache::TableCache(engine::Database& database, const lake::Catalog& catalog, lake::LakeSession& session,
                       std::string directory)
    : connection_(database), catalog_(catalog), session_(session), directory_(std::move(directory)) {
  std::filesystem::create_directories(directory_);
  std::string file = directory_ + "/tables.duckdb";
  try {
    connection_.Execute("ATTACH IF NOT EXISTS " + engine::QuoteFilePath(file) + " AS " +
                        engine::QuoteIdentifier(kDatabase));
  } catch (const engine::EngineError& e) {
    throw Error(ErrorKind::kUser, "cannot open the table cache " + file + ": " + e.what(), {},
                "another `cdmlake serve` may be using it: give each server its own --cache-dir, or --cache off");
  }
}

std::string TableCache::Fingerprint(const cdm::Entity& entity, const std::vector<lake::EntityFile>& files) const {
  std::string key = std::string(kCacheFormat) + "\n" + entity.schema + "\n" + entity.name + "\n" +
                    (entity.d365_empty_dates ? "d365-dates\n" : "\n");
  for (const cdm::Attribute& a : entity.attributes) {
    key += a.name + ":" + a.declared_type + "(" + std::to_string(a.precision) + "," + std::to_string(a.scale) + ")\n";
  }
  for (const lake::EntityFile& f : files) {
    key += f.absolute + "|" + std::to_string(f.info.size) + "|" + std::to_string(f.info.mtime_ns) + "\n";
  }
  return Sha256Hex(key, 24);
}

std::vector<std::string> TableCache::CacheTables(const cdm::Entity& entity) {
  std::string prefix = entity.schema + "." + entity.name + "@";
  engine::Result result = connection_.Query(
      "SELECT table_name FROM duckdb_tables() WHERE database_name = " + engine::QuoteLiteral(kDatabase) +
      " AND starts_with(table_name, " + engine::QuoteLiteral(prefix) + ") ORDER BY table_name");
  std::vector<std::string> tables;
  for (const auto& row : result.FetchAllText()) tables.push_back(row[0].value_or(""));
  return tables;
}

void TableCache::PointView(const cdm::Entity& entity, const std::string& source, const std::string& select_from) {
  // One transaction: sessions see the old view and its dependents, or the new ones, never a view whose
  // dependents are not yet created again (DuckDB would refuse them).
  connection_.Execute("BEGIN TRANSACTION");
  try {
    std::string types_before = lake::ColumnTypes(connection_, entity.schema, entity.name);
    // The unqualified alias in main selects from this view, so replacing it moves both names.
    connection_.Execute("CREATE OR REPLACE VIEW " + engine::QuoteQualified(entity.schema, entity.name) +
                        " AS SELECT * FROM " + select_from);
    // Narrowed decimals change the view's types; views built on it would refuse to run until created again.
    if (lake::ColumnTypes(connection_, entity.schema, entity.name) != types_before) {
      lake::RebindDependentViews(connection_, session_, entity);
    }
    connection_.Execute("COMMIT");
  } catch (...) {
    connection_.Execute("ROLLBACK");
    throw;
  }
  auto it = current_.find(&entity);
  if (it != current_.end() && it->second != source && it->second.rfind("@", 0) == 0) {
    retired_.insert(it->second.substr(1));
  }
  current_[&entity] = source;
}

int64_t TableCache::Build(const cdm::Entity& entity, const std::vector<cdm::Partition>& partitions,
                          const std::string& table, int* narrowed) {
  // The same scan the lake session's view runs over the files (typed, D365 empty dates as NULL), so the cache
  // holds exactly what the view returned; never the view itself, which may already read an older cache.
  lake::EntityScan scan = lake::BuildEntityScan(entity, partitions, catalog_.lake_root(), {});
  std::string columns, narrow_columns;
  int narrowable = 0;
  for (const auto& row : connection_.Query("SELECT column_name, column_type FROM (DESCRIBE " + scan.sql + ")")
                             .FetchAllText()) {
    std::string name = engine::QuoteIdentifier(row[0].value_or(""));
    auto [precision, scale] = DecimalWidth(row[1].value_or(""));
    columns += (columns.empty() ? "" : ", ") + name;
    narrow_columns += narrow_columns.empty() ? "" : ", ";
    if (precision > kNarrowPrecision && scale < kNarrowPrecision) {
      narrow_columns += "CAST(" + name + " AS DECIMAL(" + std::to_string(kNarrowPrecision) + "," +
                        std::to_string(scale) + ")) AS " + name;
      ++narrowable;
    } else {
      narrow_columns += name;
    }
  }
  // Sorted by the primary key, a point lookup reads one row group (zone maps prune the others) instead of
  // scanning the table.
  std::string order;
  for (const cdm::Attribute& a : entity.attributes) {
    if (a.primary_key) order += (order.empty() ? " ORDER BY " : ", ") + engine::QuoteIdentifier(a.name);
  }
  // One statement, one transaction: an interrupted or failed copy leaves no table behind.
  auto copy = [&](const std::string& select_list) {
    // CREATE TABLE … AS answers with the number of rows it wrote.
    return std::stoll(connection_
                          .Query("CREATE TABLE " + engine::QuoteIdentifier(kDatabase) + ".main." +
                                 engine::QuoteIdentifier(table) + " AS SELECT " + select_list + " FROM (" + scan.sql +
                                 ")" + order)
                          .ScalarText());
  };
  if (narrowable > 0) {
    try {
      int64_t rows = copy(narrow_columns);
      *narrowed += narrowable;
      return rows;
    } catch (const engine::EngineError& e) {
      // A value wider than 18 digits: keep the declared types. Anything else fails again below, and is reported.
      if (e.type() != DUCKDB_ERROR_CONVERSION || stopped_) throw;
    }
  }
  return copy(columns);
}

void TableCache::Stop() {
  stopped_ = true;
  connection_.Interrupt();
}

CacheReport TableCache::Refresh(bool build) {
  CacheReport report;
  // Tables retired by the previous refresh have had a whole period for their queries to finish.
  std::set<std::string> droppable;
  droppable.swap(retired_);
  for (const std::string& table : droppable) {
    try {
      connection_.Execute("DROP TABLE IF EXISTS " + engine::QuoteIdentifier(kDatabase) + ".main." +
                          engine::QuoteIdentifier(table));
    } catch (const std::exception& e) {
      report.problems.push_back("cache table " + table + " not dropped: " + e.what());
    }
  }
  for (const cdm::Entity* entity : catalog_.entities()) {
    if (stopped_) break;
    if (!entity->readable) continue;
    try {
      std::string state = session_.CurrentStateFile(*entity);
      if (!state.empty()) {
        // Already columnar: follow the refresh's newest state file (it names a new file per version).
        auto it = current_.find(entity);
        if (it == current_.end()) {
          current_[entity] = state;
        } else if (it->second != state) {
          PointView(*entity, state, "read_parquet(" + engine::QuoteFilePath(state) + ")");
          ++report.moved;
          ++report.followed;
        }
        continue;
      }
      std::vector<lake::EntityFile> files;
      std::vector<cdm::Partition> partitions = lake::PrepareEntityFiles(catalog_, *entity, &files);
      std::string table = entity->schema + "." + entity->name + "@" + Fingerprint(*entity, files);
      std::string source = "@" + table;
      auto it = current_.find(entity);
      if (it != current_.end() && it->second == source) {
        ++report.reused;
        continue;
      }
      std::vector<std::string> existing = CacheTables(*entity);
      if (std::find(existing.begin(), existing.end(), table) != existing.end()) {
        ++report.reused;
      } else if (!build) {
        continue;
      } else {
        report.rows += Build(*entity, partitions, table, &report.narrowed);
        ++report.built;
      }
      PointView(*entity, source, engine::QuoteIdentifier(kDatabase) + ".main." + engine::QuoteIdentifier(table));
      ++report.moved;
      // Tables of earlier lake versions (from before a restart, say) are no longer used by anyone.
      for (const std::string& old : existing) {
        if (old != table) retired_.insert(old);
      }
    } catch (const std::exception& e) {
      if (stopped_) break;  // interrupted on purpose: not a problem of the table
      report.problems.push_back(entity->schema + "." + entity->name + ": " + e.what());
    }
  }
  return report;
}

}  // namespace cdmlake::server
