#include "lake/refresh_state.h"

#include <chrono>
#include <cstdio>
#include <set>

#include "engine/quote.h"
#include "util/crash_point.h"
#include "util/error.h"
#include "util/path.h"

namespace cdmlake::lake {

namespace {

constexpr int kStateFormat = 1;
constexpr const char* kStateFile = "state.json";

nlohmann::json StampsToJson(const std::vector<FileStamp>& stamps, bool rows) {
  nlohmann::json out = nlohmann::json::array();
  for (const FileStamp& s : stamps) {
    nlohmann::json j = {{"path", s.path}, {"size", s.size}, {"mtime_ns", s.mtime_ns}};
    if (rows) j["rows"] = s.rows;
    out.push_back(std::move(j));
  }
  return out;
}

std::vector<FileStamp> StampsFromJson(const nlohmann::json& json) {
  std::vector<FileStamp> out;
  for (const auto& j : json) {
    out.push_back(FileStamp{j.at("path").get<std::string>(), j.at("size").get<int64_t>(),
                            j.at("mtime_ns").get<int64_t>(), j.value("rows", int64_t{-1})});
  }
  return out;
}

std::string GenerationFile(const char* prefix, int64_t generation) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s-%06lld.parquet", prefix, static_cast<long long>(generation));
  return buffer;
}

// A file name that a commit of this folder may have written: a state generation or a state.json temp file.
bool IsStateFile(const std::string& name) {
  auto ends_with = [&](const char* suffix) {
    std::string s(suffix);
    return name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
  };
  return ((name.rfind("current-", 0) == 0 || name.rfind("tombstones-", 0) == 0 || name.rfind("keys-", 0) == 0) &&
          ends_with(".parquet")) ||
         name.rfind("state.json.tmp.", 0) == 0;
}

// Returns the number of rows written.
int64_t CopyToParquet(engine::Connection& connection, const std::string& sql, const std::string& path) {
  try {
    return std::stoll(connection.Query("COPY (" + sql + ") TO " + engine::QuoteLiteral(path) + " (FORMAT parquet)").ScalarText());
  } catch (const engine::EngineError& e) {
    throw Error(e.kind() == ErrorKind::kInternal ? ErrorKind::kIo : e.kind(),
                "writing the refreshed table failed: " + e.message(), Location{path});
  }
}

}  // namespace

nlohmann::json StateToJson(const RefreshState& state) {
  nlohmann::json j;
  j["format"] = kStateFormat;
  j["layout"] = state.layout;
  j["entity"] = state.entity;
  j["table"] = state.table;
  j["tombstones"] = state.tombstones;
  j["generation"] = state.generation;
  j["rows"] = state.rows;
  j["columns"] = state.columns;
  j["watermark"] = state.watermark;
  j["watermark_text"] = state.watermark_text;
  j["base"] = StampsToJson(state.base, false);
  j["applied"] = StampsToJson(state.applied, true);
  j["changes"] = nlohmann::json::array();
  for (const auto& [generation, file] : state.changes) j["changes"].push_back({{"generation", generation}, {"file", file}});
  j["change_log"] = state.change_log;
  return j;
}

RefreshState StateFromJson(const nlohmann::json& j) {
  if (j.value("format", 0) != kStateFormat) {
    throw Error(ErrorKind::kData, "unknown refresh state format " + j.value("format", nlohmann::json()).dump());
  }
  RefreshState s;
  s.layout = j.at("layout").get<std::string>();
  s.entity = j.value("entity", "");
  s.table = j.at("table").get<std::string>();
  s.tombstones = j.value("tombstones", "");
  s.generation = j.at("generation").get<int64_t>();
  s.rows = j.value("rows", int64_t{0});
  s.columns = j.at("columns").get<std::vector<std::string>>();
  s.watermark = j.value("watermark", nlohmann::json::object());
  s.watermark_text = j.value("watermark_text", "");
  s.base = StampsFromJson(j.at("base"));
  s.applied = StampsFromJson(j.at("applied"));
  for (const auto& c : j.value("changes", nlohmann::json::array())) {
    s.changes.emplace_back(c.at("generation").get<int64_t>(), c.at("file").get<std::string>());
  }
  s.change_log = j.value("change_log", "");
  return s;
}

std::optional<RefreshState> LoadRefreshState(FileSystem& fs, const std::string& folder) {
  const std::string path = JoinPath(folder, kStateFile);
  if (!fs.Stat(path)) return std::nullopt;
  RefreshState state;
  try {
    state = StateFromJson(nlohmann::json::parse(fs.ReadFile(path)));
  } catch (const Error& e) {
    throw Error(ErrorKind::kData, "the refresh state cannot be read: " + e.message(), Location{path});
  } catch (const std::exception& e) {
    throw Error(ErrorKind::kData, std::string("the refresh state cannot be read: ") + e.what(), Location{path});
  }
  auto check = [&](const std::string& file) {
    if (file.empty() || file.find('/') != std::string::npos || !fs.Stat(JoinPath(folder, file))) {
      throw Error(ErrorKind::kData, "the refresh state names the missing file '" + file + "'", Location{path});
    }
  };
  check(state.table);
  if (!state.tombstones.empty()) check(state.tombstones);
  return state;
}

std::vector<std::string> ColumnSignature(const cdm::Entity& entity) {
  std::vector<std::string> out;
  for (const cdm::Attribute& a : entity.attributes) out.push_back(a.name + " " + a.SqlType());
  return out;
}

std::optional<std::vector<std::string>> ChangedKeyFiles(const RefreshState& state, const std::string& folder,
                                                        const std::string& since_log, int64_t since_generation) {
  if (state.change_log.empty() || state.change_log != since_log) return std::nullopt;
  std::vector<std::string> files;
  int64_t next = since_generation + 1;
  for (const auto& [generation, file] : state.changes) {
    if (generation < next) continue;
    if (generation != next) return std::nullopt;  // a generation without keys in between
    files.push_back(JoinPath(folder, file));
    ++next;
  }
  if (next != state.generation + 1 || since_generation > state.generation) return std::nullopt;
  return files;
}

int64_t CommitRefreshState(engine::Connection& connection, FileSystem& fs, const std::string& folder,
                           const std::string& table_sql, const std::string& tombstones_sql, RefreshState* state,
                           const std::string& changed_keys_sql) {
  fs.CreateDirectories(folder);
  state->generation += 1;
  state->table = GenerationFile("current", state->generation);
  state->tombstones = tombstones_sql.empty() ? "" : GenerationFile("tombstones", state->generation);
  const std::string keys = changed_keys_sql.empty() ? "" : GenerationFile("keys", state->generation);
  if (keys.empty() || state->change_log.empty()) {
    // A new log: its first generation is the starting point, and names its keys when it has them.
    state->changes.clear();
    state->change_log = std::to_string(std::chrono::system_clock::now().time_since_epoch().count()) + "-" +
                        std::to_string(state->generation);
  }
  if (!keys.empty()) {
    state->changes.emplace_back(state->generation, keys);
    if (state->changes.size() > kChangeLogLength) {
      state->changes.erase(state->changes.begin(), state->changes.end() - kChangeLogLength);
    }
  }
  std::vector<std::string> written;
  try {
    for (const auto& [name, sql] : {std::pair(state->table, table_sql), std::pair(state->tombstones, tombstones_sql),
                                    std::pair(keys, changed_keys_sql)}) {
      if (name.empty()) continue;
      const std::string path = JoinPath(folder, name);
      fs.RemoveFile(path);  // a leftover of a killed refresh with the same generation
      written.push_back(path);
      int64_t rows = CopyToParquet(connection, sql, path);
      if (name == state->table) state->rows = rows;
      fs.SyncPath(path);
    }
    CrashPoint("refresh-after-table");
    fs.WriteFileAtomic(JoinPath(folder, kStateFile), StateToJson(*state).dump(2) + "\n");
  } catch (...) {
    for (const std::string& path : written) {
      try {
        fs.RemoveFile(path);
      } catch (const Error&) {
        // Best effort: the next commit removes what is not named by state.json.
      }
    }
    throw;
  }
  // Committed: from here on the new generation is the state, whatever happens.
  fs.SyncPath(folder);
  CrashPoint("refresh-after-state");
  std::set<std::string> keep{state->table, state->tombstones};
  for (const auto& [generation, file] : state->changes) keep.insert(file);
  for (const FileInfo& f : fs.ListDirectory(folder)) {
    if (!f.is_directory && IsStateFile(f.name) && !keep.count(f.name)) fs.RemoveFile(JoinPath(folder, f.name));
  }
  return state->rows;
}

}  // namespace cdmlake::lake
