#include "lake/catalog.h"

#include <algorithm>
#include <map>
#include <set>

#include "cdm/manifest_reader.h"
#include "cdm/model_codec.h"
#include "cdm/model_json_reader.h"
#include "lake/discovery.h"
#include "util/error.h"
#include "util/path.h"
#include "util/strings.h"

namespace cdmlake::lake {

namespace {

const char* const kCacheFile = "catalog.bin";

cdm::RootDocument ReadRoot(const cdm::LocationResolver& resolver, const std::string& path) {
  return EndsWithIgnoreCase(path, "model.json") ? cdm::ReadModelJson(resolver, path)
                                                : cdm::ReadManifestTree(resolver, path);
}

bool StampsMatch(FileSystem& fs, const std::string& lake_root, const cdm::RootDocument& root) {
  for (const cdm::DocumentStamp& stamp : root.documents) {
    auto info = fs.Stat(JoinPath(lake_root, stamp.path));
    if (stamp.size < 0) {
      if (info) return false;
      continue;
    }
    if (!info || static_cast<int64_t>(info->size) != stamp.size || info->mtime_ns != stamp.mtime_ns) return false;
  }
  return true;
}

std::map<std::string, cdm::RootDocument> LoadCache(FileSystem& fs, const std::string& path) {
  std::map<std::string, cdm::RootDocument> out;
  if (!fs.Stat(path)) return out;
  std::vector<cdm::RootDocument> roots;
  try {
    if (!cdm::DecodeRoots(fs.ReadFile(path), &roots)) return out;  // damaged or another version: rebuilt
  } catch (const Error&) {
    return out;
  }
  for (cdm::RootDocument& root : roots) {
    std::string key = root.path;
    out.emplace(std::move(key), std::move(root));
  }
  return out;
}

void SaveCache(FileSystem& fs, const std::string& lake_root, const std::vector<cdm::RootDocument>& roots) {
  std::string dir = JoinPath(lake_root, kStateFolder);
  try {
    fs.CreateDirectories(dir);
    fs.WriteFileAtomic(JoinPath(dir, kCacheFile), cdm::EncodeRoots(roots));
  } catch (const Error&) {
    // A read-only lake is fine: the next command reads the metadata again.
  }
}

// Roots that another root reads as a sub-manifest are not roots.
std::vector<cdm::RootDocument> DropIncludedRoots(std::vector<cdm::RootDocument> roots) {
  std::set<std::string> included;
  for (const auto& r : roots) {
    for (const auto& d : r.documents) {
      if (d.path != r.path) included.insert(d.path);
    }
  }
  std::vector<cdm::RootDocument> out;
  for (auto& r : roots) {
    if (!included.count(r.path)) out.push_back(std::move(r));
  }
  return out;
}

std::string SchemaBaseName(const cdm::RootDocument& root) {
  std::string name(Trim(root.name));
  // "default" is the conventional manifest name, not a name for the data: the folder says more.
  if (name.empty() || EqualsIgnoreCase(name, "default")) name = BaseName(DirName(root.path));
  if (name.empty()) name = "lake";
  for (const char* reserved : {"main", "information_schema", "pg_catalog", "temp", "memory", "system"}) {
    if (EqualsIgnoreCase(name, reserved)) return name + "_cdm";
  }
  return name;
}

bool IsChangeFeedEntity(const cdm::Entity& entity) {
  return EndsWithIgnoreCase(entity.manifest, "ChangeFeed.manifest.cdm.json");
}

}  // namespace

Catalog Catalog::Open(FileSystem& fs, const std::string& lake_root, const CatalogOptions& options) {
  auto info = fs.Stat(lake_root);
  if (!info || !info->is_directory) {
    throw Error(ErrorKind::kUser, "the lake root " + lake_root + " is not a directory", {},
                "give the lake with --lake DIR or the CDMLAKE_LAKE environment variable");
  }
  Catalog catalog;
  catalog.fs_ = &fs;
  catalog.lake_root_ = lake_root;
  cdm::LocationResolver resolver(fs, lake_root);
  std::string cache_path = JoinPath(JoinPath(lake_root, kStateFolder), kCacheFile);
  std::map<std::string, cdm::RootDocument> cached;
  if (options.use_cache) cached = LoadCache(fs, cache_path);

  std::vector<std::string> paths = FindRootDocuments(fs, lake_root);
  bool changed = paths.size() != cached.size();
  std::vector<cdm::RootDocument> roots;
  for (const std::string& path : paths) {
    auto it = cached.find(path);
    if (it != cached.end() && StampsMatch(fs, lake_root, it->second)) {
      roots.push_back(std::move(it->second));
      catalog.stats_.roots_from_cache++;
    } else {
      roots.push_back(ReadRoot(resolver, path));
      changed = true;
    }
  }
  if (changed && options.write_cache) SaveCache(fs, lake_root, roots);
  catalog.roots_ = DropIncludedRoots(std::move(roots));
  catalog.stats_.roots = static_cast<int>(catalog.roots_.size());
  catalog.AssignSchemas();
  return catalog;
}

Catalog Catalog::OpenDocument(FileSystem& fs, const std::string& lake_root, const std::string& document) {
  Catalog catalog;
  catalog.fs_ = &fs;
  catalog.lake_root_ = lake_root;
  catalog.roots_.push_back(ReadRoot(cdm::LocationResolver(fs, lake_root), document));
  catalog.stats_.roots = 1;
  catalog.AssignSchemas();
  return catalog;
}

void Catalog::AssignSchemas() {
  own_problems_.clear();
  std::set<std::string> used;
  for (cdm::RootDocument& root : roots_) {
    std::string base = SchemaBaseName(root);
    std::string schema = base;
    for (int n = 2; used.count(ToLower(schema)); ++n) schema = base + "_" + std::to_string(n);
    used.insert(ToLower(schema));
    std::map<std::string, const cdm::Entity*> names;
    for (cdm::Entity& entity : root.entities) {
      entity.schema = schema;
      auto [it, inserted] = names.emplace(ToLower(entity.name), &entity);
      if (!inserted) {
        own_problems_.push_back(cdm::Problem{cdm::Severity::kError, entity.manifest, 0, entity.name,
                                             "entity " + entity.name + " is declared again (first in " +
                                                 it->second->manifest + "); the second declaration is ignored"});
        entity.readable = false;
      }
      std::set<std::string> columns;
      for (const cdm::Attribute& a : entity.attributes) {
        if (!columns.insert(ToLower(a.name)).second) {
          own_problems_.push_back(cdm::Problem{cdm::Severity::kError, entity.document.empty() ? entity.manifest : entity.document,
                                               0, entity.name, "attribute " + a.name + " is declared twice"});
          entity.readable = false;
        }
      }
    }
  }
  // Names in several schemas must be qualified, except that a D365 change feed entity gives way to the table whose
  // changes it holds: "SalesLine" is the table, "ChangeFeed"."SalesLine" its change log.
  std::map<std::string, std::vector<const cdm::Entity*>> by_name;
  for (const cdm::Entity* e : entities()) by_name[ToLower(e->name)].push_back(e);
  unqualified_.clear();
  for (auto& [name, list] : by_name) {
    if (list.size() > 1) {
      std::vector<const cdm::Entity*> tables;
      for (const cdm::Entity* e : list) {
        if (!IsChangeFeedEntity(*e)) tables.push_back(e);
      }
      if (tables.size() == 1) list = tables;
    }
    if (list.size() == 1) {
      unqualified_[name] = list[0];
      continue;
    }
    std::vector<std::string> schemas;
    for (const cdm::Entity* e : list) schemas.push_back(e->schema);
    own_problems_.push_back(cdm::Problem{cdm::Severity::kWarning, list[1]->manifest, 0, list[1]->name,
                                         "entity " + list[0]->name + " exists in schemas " + Join(schemas, ", ") +
                                             "; qualify it with its schema in SQL"});
  }
}

std::vector<const cdm::Entity*> Catalog::entities() const {
  std::vector<const cdm::Entity*> out;
  for (const auto& root : roots_) {
    for (const auto& e : root.entities) out.push_back(&e);
  }
  return out;
}

std::vector<cdm::Problem> Catalog::problems() const {
  std::vector<cdm::Problem> out;
  for (const auto& root : roots_) out.insert(out.end(), root.problems.begin(), root.problems.end());
  out.insert(out.end(), own_problems_.begin(), own_problems_.end());
  return out;
}

bool Catalog::has_errors() const {
  for (const auto& p : problems()) {
    if (p.severity == cdm::Severity::kError) return true;
  }
  return false;
}

bool Catalog::IsUnique(std::string_view name) const { return Find(name) != nullptr; }

bool Catalog::IsUnqualifiedName(const cdm::Entity& entity) const { return Find(entity.name) == &entity; }

const cdm::Entity* Catalog::Find(std::string_view name) const {
  auto it = unqualified_.find(ToLower(name));
  return it == unqualified_.end() ? nullptr : it->second;
}

const cdm::Entity* Catalog::Find(std::string_view schema, std::string_view name) const {
  for (const cdm::Entity* e : entities()) {
    if (EqualsIgnoreCase(e->schema, schema) && EqualsIgnoreCase(e->name, name)) return e;
  }
  return nullptr;
}

std::vector<std::string> Catalog::schemas() const {
  std::vector<std::string> out;
  for (const auto& root : roots_) {
    if (!root.entities.empty()) out.push_back(root.entities.front().schema);
  }
  return out;
}

}  // namespace cdmlake::lake
