// `cdmlake export`: writes a table or a query result to a CDM folder, atomically.
#include <cstdio>

#include "cli/app.h"
#include "engine/quote.h"
#include "lake/catalog.h"
#include "lake/cdm_folder_writer.h"
#include "lake/session.h"
#include "util/error.h"
#include "util/path.h"
#include "util/strings.h"

namespace cdmlake::cli {

namespace {

struct ExportOptions {
  std::string table;
  std::string query;
  std::string to;
  std::string entity;
  std::string format = "csv";
  std::string manifest_name = "default";
  std::string location_base;
  bool model_json = false;
  bool no_header = false;
};

void Run(const GlobalOptions& global, const ExportOptions& options) {
  lake::Catalog catalog = lake::Catalog::Open(*DefaultFileSystem(), global.LakeRoot(), {});
  engine::Database database(global.EngineSettings());
  lake::LakeSession session(database, catalog, lake::OnError::kFail);
  std::string query = options.query;
  std::vector<cdm::Attribute> hints;
  if (!options.table.empty()) {
    size_t dot = options.table.find('.');
    const cdm::Entity* entity = dot == std::string::npos
                                    ? catalog.Find(options.table)
                                    : catalog.Find(options.table.substr(0, dot), options.table.substr(dot + 1));
    if (entity) hints = entity->attributes;
    query = "SELECT * FROM " + (dot == std::string::npos
                                    ? engine::QuoteIdentifier(options.table)
                                    : engine::QuoteQualified(options.table.substr(0, dot), options.table.substr(dot + 1)));
  }
  std::string entity_name = options.entity.empty() ? options.table.substr(options.table.find('.') + 1) : options.entity;
  if (entity_name.empty()) throw Error(ErrorKind::kUser, "give the entity's name with --entity NAME");
  lake::CdmFolderOptions folder;
  folder.manifest_name = options.manifest_name;
  folder.format = options.format == "parquet" ? cdm::FileFormat::kParquet : cdm::FileFormat::kCsv;
  folder.header = !options.no_header;
  folder.model_json = options.model_json;
  folder.location_base = options.location_base;
  lake::CommitResult result;
  try {
    session.PrepareFor(query);
    lake::CdmFolderWriter writer(session.connection(), *DefaultFileSystem(), AbsolutePath(options.to), folder);
    writer.Add(lake::OutputEntity{entity_name, query, "", hints});
    result = writer.Commit();
  } catch (const engine::EngineError& e) {
    throw session.Explain(e);
  }
  if (global.quiet) return;
  for (const auto& e : result.entities) {
    std::fprintf(stdout, "wrote %lld rows of %s in %zu files (version %d)\n", static_cast<long long>(e.rows),
                 e.name.c_str(), e.files.size(), result.version);
  }
  std::fprintf(stdout, "committed %s\n", result.manifest.c_str());
}

}  // namespace

void RegisterExportCommand(CLI::App& app, GlobalOptions& global) {
  auto options = std::make_shared<ExportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "export",
      "Write a table or a query result to a CDM folder (manifest, resolved entity document, CSV or Parquet\n"
      "partitions, optionally model.json) that Synapse, Spark, Power BI and cdmlake read. The folder is replaced\n"
      "atomically: a reader sees the previous or the new version, never a mix, even if the export is killed.");
  auto* source = cmd->add_option_group("source", "what to write");
  source->add_option("--table", options->table, "A table of the lake ([schema.]entity)");
  source->add_option("--query", options->query, "A SQL query over the lake");
  source->require_option(1);
  cmd->add_option("--to", options->to, "The CDM folder to write (created if missing)")->required()->type_name("DIR");
  cmd->add_option("--entity", options->entity, "The entity's name in the folder (default: the table's name)");
  cmd->add_option("--format", options->format, "Partition format: csv or parquet")->check(CLI::IsMember({"csv", "parquet"}));
  cmd->add_option("--manifest-name", options->manifest_name, "The manifest's name (<name>.manifest.cdm.json)");
  cmd->add_flag("--model-json", options->model_json, "Also write model.json (for Power BI, ADF, Customer Insights)");
  cmd->add_option("--location-base", options->location_base,
                  "URL prefix of model.json partition locations, e.g. https://account.dfs.core.windows.net/container/dir/");
  cmd->add_flag("--no-header", options->no_header, "CSV files without a header row");
  cmd->callback([options, &global] { Run(global, *options); });
}

}  // namespace cdmlake::cli
