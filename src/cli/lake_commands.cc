// `cdmlake lake inspect`: what the lake holds and what is wrong with it.
#include <cstdio>

#include "cli/app.h"
#include "cli/result_printer.h"
#include "lake/catalog.h"
#include "lake/inspect.h"
#include "util/error.h"
#include "util/path.h"

namespace cdmlake::cli {

namespace {

struct InspectOptions {
  std::string path;
  std::string format = "table";
  bool no_cache = false;
};

lake::Catalog OpenForInspect(const GlobalOptions& global, const InspectOptions& options) {
  FileSystem& fs = *DefaultFileSystem();
  std::string lake_root = global.LakeRoot();
  if (options.path.empty()) return lake::Catalog::Open(fs, lake_root, {!options.no_cache, !options.no_cache});
  std::string path = AbsolutePath(options.path);
  auto info = fs.Stat(path);
  if (!info) throw Error(ErrorKind::kUser, "nothing to inspect at " + path + ": no such file or folder");
  if (info->is_directory) return lake::Catalog::Open(fs, path, {!options.no_cache, !options.no_cache});
  // One document: relative to the lake when it lies in it, else to its own folder.
  std::string root = IsWithin(lake_root, path) ? lake_root : DirName(path);
  return lake::Catalog::OpenDocument(fs, root, RelativePath(root, path));
}

void PrintText(const nlohmann::ordered_json& report) {
  const auto& entities = report["entities"];
  const auto& problems = report["problems"];
  std::printf("lake %s: %zu entities, %zu problems\n", report["lake"].get<std::string>().c_str(), entities.size(),
              problems.size());
  for (const auto& e : entities) {
    std::printf("\n%s.%s  (%zu columns, %zu partitions%s)\n  manifest %s\n", e["schema"].get<std::string>().c_str(),
                e["name"].get<std::string>().c_str(), e["columns"].size(), e["partitions"].size(),
                e["readable"].get<bool>() ? "" : ", NOT READABLE", e["manifest"].get<std::string>().c_str());
    for (const auto& c : e["columns"]) {
      std::printf("  %-32s %-16s %s%s\n", c["name"].get<std::string>().c_str(), c["cdm_type"].get<std::string>().c_str(),
                  c["sql_type"].get<std::string>().c_str(), c["primary_key"].get<bool>() ? "  key" : "");
    }
  }
  if (!problems.empty()) std::printf("\nproblems:\n");
  for (const auto& p : problems) {
    std::string where = p["file"].get<std::string>();
    if (p["line"].get<int64_t>() > 0) where += ":" + std::to_string(p["line"].get<int64_t>());
    if (!p["entity"].get<std::string>().empty()) where += " (entity " + p["entity"].get<std::string>() + ")";
    std::printf("  %-7s %s: %s\n", p["severity"].get<std::string>().c_str(), where.c_str(),
                p["message"].get<std::string>().c_str());
  }
}

}  // namespace

void RegisterLakeCommands(CLI::App& app, GlobalOptions& global) {
  CLI::App* lake = app.add_subcommand("lake", "Inspect the CDM folders of a lake");
  lake->require_subcommand(1);
  auto options = std::make_shared<InspectOptions>();
  CLI::App* inspect = lake->add_subcommand(
      "inspect",
      "List the lake's entities (schema, source manifest, partitions, columns with CDM and SQL types) and every\n"
      "problem found, each with its file and line or entity. Exits with 1 when there is an error.");
  inspect->add_option("path", options->path,
                      "The lake root (default), one *.manifest.cdm.json or one model.json");
  inspect->add_option("--format", options->format, "Output: table or json")->check(CLI::IsMember({"table", "json"}));
  inspect->add_flag("--no-cache", options->no_cache, "Read every document again instead of using _cdmlake/");
  inspect->callback([options, &global] {
    lake::Catalog catalog = OpenForInspect(global, *options);
    nlohmann::ordered_json report = lake::InspectReport(catalog);
    if (options->format == "json") {
      std::printf("%s\n", report.dump(2).c_str());
    } else {
      PrintText(report);
    }
    for (const auto& p : report["problems"]) {
      if (p["severity"] == "error") {
        throw Error(ErrorKind::kData, "the lake has errors (listed above)");
      }
    }
  });
}

}  // namespace cdmlake::cli
