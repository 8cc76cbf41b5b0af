// `cdmlake lake refresh`: applies change feeds and incremental folders to current-state tables.
#include <cstdio>

#include <nlohmann/json.hpp>

#include "cli/app.h"
#include "lake/catalog.h"
#include "lake/refresh.h"
#include "util/error.h"

namespace cdmlake::cli {

namespace {

struct RefreshCommandOptions {
  std::vector<std::string> tables;
  std::string format = "table";
};

nlohmann::ordered_json ResultJson(const lake::TableRefreshResult& r) {
  nlohmann::ordered_json j;
  j["table"] = r.schema + "." + r.entity;
  j["layout"] = r.layout;
  j["status"] = lake::RefreshStatusName(r.status);
  j["rows_before"] = r.rows_before;
  j["rows_after"] = r.rows_after;
  j["inserted"] = r.inserted;
  j["updated"] = r.updated;
  j["deleted"] = r.deleted;
  j["change_files"] = r.change_files;
  j["change_rows"] = r.change_rows;
  j["watermark"] = r.watermark;
  j["seconds"] = r.seconds;
  j["notes"] = r.notes;
  if (r.error) {
    j["error"] = {{"message", r.error->message()},
                  {"file", r.error->location().file},
                  {"line", r.error->location().line},
                  {"hint", r.error->hint()}};
  }
  return j;
}

void PrintTable(const std::vector<lake::TableRefreshResult>& results) {
  std::printf("%-32s %-22s %-10s %10s %10s %9s %9s %9s  %-8s %s\n", "table", "layout", "status", "before", "after",
              "inserted", "updated", "deleted", "time", "watermark");
  for (const auto& r : results) {
    std::string name = r.schema + "." + r.entity;
    if (r.status == lake::RefreshStatus::kFailed) {
      std::printf("%-32s %-22s %-10s %7.2fs\n    error: %s\n", name.c_str(), r.layout.c_str(), "failed", r.seconds,
                  r.error ? r.error->what() : "?");
      continue;
    }
    std::printf("%-32s %-22s %-10s %10lld %10lld %9lld %9lld %9lld  %7.2fs %s\n", name.c_str(), r.layout.c_str(),
                lake::RefreshStatusName(r.status), static_cast<long long>(r.rows_before),
                static_cast<long long>(r.rows_after), static_cast<long long>(r.inserted),
                static_cast<long long>(r.updated), static_cast<long long>(r.deleted), r.seconds,
                r.watermark.empty() ? "-" : r.watermark.c_str());
    for (const std::string& note : r.notes) std::printf("    note: %s\n", note.c_str());
  }
  if (results.empty()) std::printf("(no table of the lake has a change feed or incremental folders)\n");
}

void Run(const GlobalOptions& global, const RefreshCommandOptions& options) {
  lake::Catalog catalog = lake::Catalog::Open(*DefaultFileSystem(), global.LakeRoot(), {});
  engine::Database database(global.EngineSettings());
  engine::Connection connection(database);
  lake::RefreshOptions refresh;
  refresh.tables = options.tables;
  std::vector<lake::TableRefreshResult> results = lake::RefreshLake(connection, catalog, refresh);
  if (options.format == "json") {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& r : results) out.push_back(ResultJson(r));
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    PrintTable(results);
  }
  std::fflush(stdout);
  // The first failure decides the exit code; its message names the file and line.
  for (const auto& r : results) {
    if (r.error) throw *r.error;
  }
}

}  // namespace

void RegisterRefreshCommand(CLI::App& app, GlobalOptions& global) {
  CLI::App* lake = app.get_subcommand("lake");
  auto options = std::make_shared<RefreshCommandOptions>();
  CLI::App* cmd = lake->add_subcommand(
      "refresh",
      "Apply incremental sources to current-state tables: a D365 Finance & Operations ChangeFeed/ to its Tables/\n"
      "snapshot, Synapse Link incremental folders, and incremental partitions (Customer Insights style). The state\n"
      "is kept in <lake>/_cdmlake/refresh/ and read by every later query instead of the raw files. Each table is\n"
      "refreshed all or nothing; a table with nothing new is not touched. Exits with 1 when a table failed.");
  cmd->add_option("--table", options->tables, "Refresh only this table, [SCHEMA.]NAME (repeatable)")->type_name("TABLE");
  cmd->add_option("--format", options->format, "Output: table or json")->check(CLI::IsMember({"table", "json"}));
  cmd->callback([options, &global] { Run(global, *options); });
}

}  // namespace cdmlake::cli
