// The catalog: every entity of a lake, with the SQL schema and name it is queried by, and every problem found.
//
// Each root document becomes one SQL schema (named after the manifest or model, made unique); an entity whose
// name is unique across the lake can also be used without its schema. Reading a large lake is dominated by
// parsing metadata, so the catalog keeps what it read in <lake>/_cdmlake/catalog.bin with the size and
// modification time of every document it read, and re-reads only roots whose documents changed. When the lake
// is read-only the cache is simply not written. Thread-compatible.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cdm/location.h"
#include "cdm/model.h"
#include "util/file_system.h"

namespace cdmlake::lake {

struct CatalogOptions {
  bool use_cache = true;    // read <lake>/_cdmlake/catalog.bin
  bool write_cache = true;  // write it when something was re-read
};

struct CatalogStats {
  int roots = 0;
  int roots_from_cache = 0;
};

class Catalog {
 public:
  // Move-only: the name index points into the catalog's own roots.
  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;
  Catalog(Catalog&&) = default;
  Catalog& operator=(Catalog&&) = default;

  // Discovers and reads the lake at lake_root (absolute, normalized). Throws Error(kUser) when lake_root is not
  // a readable directory; metadata problems are collected, never thrown.
  static Catalog Open(FileSystem& fs, const std::string& lake_root, const CatalogOptions& options);
  // Reads a single root document (a manifest or a model.json at lake-relative path), without the cache.
  static Catalog OpenDocument(FileSystem& fs, const std::string& lake_root, const std::string& document);

  const std::string& lake_root() const { return lake_root_; }
  const std::vector<cdm::RootDocument>& roots() const { return roots_; }
  // All entities, in root order then declaration order.
  std::vector<const cdm::Entity*> entities() const;
  // Every problem: the roots' and the catalog's own (duplicate names...).
  std::vector<cdm::Problem> problems() const;
  bool has_errors() const;
  const CatalogStats& stats() const { return stats_; }

  // The entity an unqualified name (case-insensitive) stands for: the only entity with that name, or the table
  // when the others are D365 change feeds of it; nullptr when the name is unknown or ambiguous.
  const cdm::Entity* Find(std::string_view name) const;
  const cdm::Entity* Find(std::string_view schema, std::string_view name) const;
  // Whether the unqualified name is usable (Find finds it).
  bool IsUnique(std::string_view name) const;
  // Whether this entity is the one its unqualified name stands for.
  bool IsUnqualifiedName(const cdm::Entity& entity) const;
  std::vector<std::string> schemas() const;

  cdm::LocationResolver resolver() const { return cdm::LocationResolver(*fs_, lake_root_); }
  FileSystem& fs() const { return *fs_; }

 private:
  Catalog() = default;
  void AssignSchemas();
  FileSystem* fs_ = nullptr;
  std::string lake_root_;
  std::vector<cdm::RootDocument> roots_;
  std::vector<cdm::Problem> own_problems_;
  std::map<std::string, const cdm::Entity*> unqualified_;  // lower-case name -> entity
  CatalogStats stats_;
};

}  // namespace cdmlake::lake
