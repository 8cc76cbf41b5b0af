#include "lake/saved_views.h"

#include <nlohmann/json.hpp>

#include "engine/quote.h"
#include "lake/discovery.h"
#include "util/error.h"
#include "util/path.h"

namespace cdmlake::lake {

std::vector<SavedView> LoadSavedViews(FileSystem& fs, const std::string& lake_root) {
  std::string path = JoinPath(lake_root, kSavedViewsFile);
  if (!fs.Stat(path)) return {};
  std::vector<SavedView> views;
  try {
    nlohmann::json doc = nlohmann::json::parse(fs.ReadFile(path));
    for (const nlohmann::json& v : doc.at("views")) {
      views.push_back({v.at("schema").get<std::string>(), v.at("name").get<std::string>(), v.at("sql").get<std::string>()});
    }
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorKind::kData, std::string("the saved views cannot be read: ") + e.what(), Location{path},
                "fix the file, or remove it and create the views again with `cdmlake sql \"CREATE VIEW …\"`");
  }
  return views;
}

void StoreSavedViews(FileSystem& fs, const std::string& lake_root, const std::vector<SavedView>& views) {
  nlohmann::json list = nlohmann::json::array();
  for (const SavedView& v : views) list.push_back({{"schema", v.schema}, {"name", v.name}, {"sql", v.sql}});
  nlohmann::json doc = {{"views", list}};
  std::string path = JoinPath(lake_root, kSavedViewsFile);
  fs.CreateDirectories(JoinPath(lake_root, kStateFolder));
  fs.WriteFileAtomic(path, doc.dump(2) + "\n");
}

ViewSnapshot SnapshotViews(engine::Connection& connection) {
  ViewSnapshot snapshot;
  engine::Result result = connection.Query(
      "SELECT schema_name, view_name, sql FROM duckdb_views() WHERE NOT internal AND NOT temporary "
      "AND database_name = current_database()");
  for (const auto& row : result.FetchAllText()) {
    if (!row[0] || !row[1] || !row[2]) continue;
    snapshot[{*row[0], *row[1]}] = *row[2];
  }
  return snapshot;
}

bool ApplyViewChanges(const ViewSnapshot& before, const ViewSnapshot& after, const LakeSession& session,
                      std::vector<SavedView>* views) {
  bool changed = false;
  auto find = [views](const std::string& schema, const std::string& name) {
    for (auto it = views->begin(); it != views->end(); ++it) {
      if (it->schema == schema && it->name == name) return it;
    }
    return views->end();
  };
  for (const auto& [key, sql] : after) {
    auto old = before.find(key);
    if (old != before.end() && old->second == sql) continue;
    if (session.IsEntityView(key.first, key.second)) continue;
    auto it = find(key.first, key.second);
    if (it != views->end()) {
      it->sql = sql;
    } else {
      views->push_back({key.first, key.second, sql});
    }
    changed = true;
  }
  for (const auto& [key, sql] : before) {
    if (after.count(key)) continue;
    auto it = find(key.first, key.second);
    if (it == views->end()) continue;
    views->erase(it);
    changed = true;
  }
  return changed;
}

std::vector<std::string> CreateSavedViews(LakeSession& session, const std::vector<SavedView>& views) {
  std::vector<std::string> problems;
  // Views may read other views: create in rounds until no more succeed.
  std::vector<const SavedView*> pending;
  for (const SavedView& v : views) pending.push_back(&v);
  std::map<const SavedView*, std::string> errors;
  bool progress = true;
  while (!pending.empty() && progress) {
    progress = false;
    std::vector<const SavedView*> next;
    for (const SavedView* v : pending) {
      try {
        session.PrepareFor(v->sql);
        session.connection().Execute("CREATE SCHEMA IF NOT EXISTS " + engine::QuoteIdentifier(v->schema));
        std::string sql = v->sql;
        // Saved as "CREATE VIEW"; replacing keeps a re-run idempotent.
        if (sql.rfind("CREATE VIEW", 0) == 0) sql = "CREATE OR REPLACE VIEW" + sql.substr(11);
        session.connection().Execute(sql);
        progress = true;
      } catch (const std::exception& e) {
        errors[v] = e.what();
        next.push_back(v);
      }
    }
    pending = std::move(next);
  }
  for (const SavedView* v : pending) {
    problems.push_back("view " + v->schema + "." + v->name + " (saved in " + kSavedViewsFile + "): " + errors[v]);
  }
  return problems;
}

}  // namespace cdmlake::lake
