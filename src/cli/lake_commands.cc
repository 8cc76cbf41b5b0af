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

void PrintText(const lake::InspectReport& report) {
  std::string out = "lake " + report.lake + ": " + std::to_string(report.entities.size()) + " entities, " +
                    std::to_string(report.problems.size()) + " problems\n";
  char line[512];
  for (const lake::InspectedEntity& ie : report.entities) {
    const cdm::Entity& e = *ie.entity;
    out += "\n" + e.schema + "." + e.name + "  (" + std::to_string(e.attributes.size()) + " columns, " +
           std::to_string(ie.partitions.size()) + " partitions" + (e.readable ? "" : ", NOT READABLE") + ")\n  manifest " +
           e.manifest + "\n";
    for (const cdm::Attribute& a : e.attributes) {
      std::snprintf(line, sizeof line, "  %-32s %-16s %s%s\n", a.name.c_str(), a.declared_type.c_str(),
                    a.SqlType().c_str(), a.primary_key ? "  key" : "");
      out += line;
    }
  }
  if (!report.problems.empty()) out += "\nproblems:\n";
  for (const cdm::Problem& p : report.problems) {
    std::string where = p.file;
    if (p.line > 0) where += ":" + std::to_string(p.line);
    if (!p.entity.empty()) where += " (entity " + p.entity + ")";
    out += std::string("  ") + (p.severity == cdm::Severity::kError ? "error  " : "warning") + " " + where + ": " +
           p.message + "\n";
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
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
    lake::InspectReport report = lake::Inspect(catalog);
    if (options->format == "json") {
      std::string json = lake::InspectJson(report);
      std::fwrite(json.data(), 1, json.size(), stdout);
    } else {
      PrintText(report);
    }
    if (report.has_errors()) throw Error(ErrorKind::kData, "the lake has errors (listed above)");
  });
}

}  // namespace cdmlake::cli
