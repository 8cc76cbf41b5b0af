#include "server/table_cache.h"

#include <openssl/evp.h>

#include <filesystem>

#include "engine/quote.h"
#include "lake/entity_files.h"
#include "lake/entity_sql.h"
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

// Bumped when the way cache files are written changes, so old files are not reused.
constexpr const char* kCacheFormat = "cdmlake-table-cache-1";

}  // namespace

TableCache::TableCache(engine::Database& database, const lake::Catalog& catalog, lake::LakeSession& session,
                       std::string directory)
    : connection_(database), catalog_(catalog), session_(session), directory_(std::move(directory)) {}

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

std::string TableCache::CacheFile(const cdm::Entity& entity, const std::string& fingerprint) const {
  return directory_ + "/" + SafeFileName(entity.schema) + "/" + SafeFileName(entity.name) + "-" + fingerprint +
         ".parquet";
}

void TableCache::PointView(const cdm::Entity& entity, const std::string& parquet_file) {
  // The unqualified alias in main selects from this view, so replacing it moves both names.
  connection_.Execute("CREATE OR REPLACE VIEW " + engine::QuoteQualified(entity.schema, entity.name) +
                      " AS SELECT * FROM read_parquet(" + engine::QuoteFilePath(parquet_file) + ")");
  auto it = current_.find(&entity);
  if (it != current_.end() && it->second != parquet_file && it->second.rfind(directory_ + "/", 0) == 0) {
    retired_.insert(it->second);
  }
  current_[&entity] = parquet_file;
}

void TableCache::Stop() {
  stopped_ = true;
  connection_.Interrupt();
}

CacheReport TableCache::Refresh() {
  CacheReport report;
  // Files retired by the previous refresh have had a whole period for their queries to finish.
  std::set<std::string> deletable;
  deletable.swap(retired_);
  for (const std::string& file : deletable) {
    std::error_code ec;
    std::filesystem::remove(file, ec);
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
          PointView(*entity, state);
          ++report.followed;
        }
        continue;
      }
      std::vector<lake::EntityFile> files;
      std::vector<cdm::Partition> partitions = lake::PrepareEntityFiles(catalog_, *entity, &files);
      std::string fingerprint = Fingerprint(*entity, files);
      std::string file = CacheFile(*entity, fingerprint);
      auto it = current_.find(entity);
      if (it != current_.end() && it->second == file) {
        ++report.reused;
        continue;
      }
      std::error_code ec;
      if (std::filesystem::exists(file, ec)) {
        ++report.reused;
      } else {
        std::filesystem::create_directories(std::filesystem::path(file).parent_path());
        std::string temp = file + ".tmp";
        // The same scan the lake session's view runs over the files (typed, D365 empty dates as NULL), so the
        // cache holds exactly what the view returned; never the view itself, which may already read an older cache.
        lake::EntityScan scan = lake::BuildEntityScan(*entity, partitions, catalog_.lake_root(), {});
        // Sorted by the primary key, a point lookup reads one row group (Parquet's min/max statistics prune the
        // others) instead of scanning the table.
        std::string order;
        for (const cdm::Attribute& a : entity->attributes) {
          if (a.primary_key) order += (order.empty() ? " ORDER BY " : ", ") + engine::QuoteIdentifier(a.name);
        }
        try {
          engine::Result result = connection_.Query(
              "COPY (SELECT * FROM (" + scan.sql + ")" + order + ") TO " + engine::QuoteLiteral(temp) +
              " (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)");
          report.rows += result.rows_changed();
        } catch (...) {
          std::filesystem::remove(temp, ec);  // no half-written file stays behind
          throw;
        }
        std::filesystem::rename(temp, file);
        ++report.built;
      }
      PointView(*entity, file);
      // Older cache files of this entity (from earlier lake versions) are no longer used by anyone.
      std::string prefix = SafeFileName(entity->name) + "-";
      for (const auto& f : std::filesystem::directory_iterator(std::filesystem::path(file).parent_path(), ec)) {
        std::string name = f.path().filename().string();
        if (name.rfind(prefix, 0) == 0 && f.path().string() != file && name.size() == prefix.size() + 24 + 8) {
          retired_.insert(f.path().string());
        }
      }
    } catch (const std::exception& e) {
      if (stopped_) break;  // interrupted on purpose: not a problem of the table
      report.problems.push_back(entity->schema + "." + entity->name + ": " + e.what());
    }
  }
  return report;
}

}  // namespace cdmlake::server
