// `cdmlake sql`: answers SQL over the lake's entities.
#include <cstdio>

#include "cli/app.h"
#include "cli/result_printer.h"
#include "engine/quote.h"
#include "lake/catalog.h"
#include "lake/saved_views.h"
#include "lake/session.h"
#include "util/error.h"
#include "util/progress.h"
#include "util/strings.h"

namespace cdmlake::cli {

namespace {

struct SqlOptions {
  std::string query;
  std::string format = "table";
  std::string on_error = "fail";
};

// A lake whose root documents cannot be read may be missing tables: refuse rather than answer from a part.
void RequireReadableRoots(const lake::Catalog& catalog) {
  for (const cdm::RootDocument& root : catalog.roots()) {
    if (!root.failed) continue;
    for (const cdm::Problem& p : root.problems) {
      if (p.severity == cdm::Severity::kError) {
        throw Error(ErrorKind::kData, p.message, Location{p.file, p.line, p.entity},
                    "the entities of " + root.path + " cannot be listed; fix the document or move it out of the lake");
      }
    }
  }
}

// A table that is not in the catalog may be declared in a document that could not be read: say so, since
// DuckDB can only say the table does not exist.
void ExplainUnknownTable(const lake::Catalog& catalog, std::string_view query, const engine::EngineError& error) {
  for (const std::string& name : lake::SqlIdentifiers(query)) {
    if (catalog.Find(name) != nullptr) continue;
    std::vector<std::string> qualified;
    for (const cdm::Entity* e : catalog.entities()) {
      if (ToLower(e->name) == name) qualified.push_back(engine::QuoteQualified(e->schema, e->name));
    }
    if (qualified.size() > 1) {
      throw Error(ErrorKind::kUser, "the table name " + name + " is in several schemas: " + Join(qualified, ", "),
                  {}, "qualify it with its schema, e.g. " + qualified[0]);
    }
  }
  for (const cdm::Problem& p : catalog.problems()) {
    if (p.severity != cdm::Severity::kError || !p.entity.empty()) continue;
    throw Error(ErrorKind::kData,
                error.message() + "\nA metadata document of the lake could not be read, and the table may be declared "
                                  "there:\n  " + p.file + (p.line > 0 ? ":" + std::to_string(p.line) : "") + ": " + p.message,
                {}, "fix the document, or run `cdmlake lake inspect` to see every problem");
  }
}

void Run(const GlobalOptions& global, const SqlOptions& options) {
  OutputFormat format = ParseOutputFormat(options.format);
  lake::Catalog catalog = lake::Catalog::Open(*DefaultFileSystem(), global.LakeRoot(), {});
  RequireReadableRoots(catalog);
  engine::Database database(global.EngineSettings());
  lake::LakeSession session(database, catalog,
                            options.on_error == "quarantine" ? lake::OnError::kQuarantine : lake::OnError::kFail);
  std::vector<lake::SavedView> saved = lake::LoadSavedViews(*DefaultFileSystem(), catalog.lake_root());
  for (const std::string& problem : lake::CreateSavedViews(session, saved)) Warn(global, problem);
  try {
    session.PrepareFor(options.query);
    lake::ViewSnapshot before = lake::SnapshotViews(session.connection());
    for (const lake::QuarantineReport& r : session.quarantine_reports()) {
      if (r.rows_quarantined == 0 || global.quiet) continue;  // a notice like a warning: -q hides it
      std::fprintf(stderr, "cdmlake: quarantined %lld rows of %s.%s (%lld read) into %s, saved as %s\n",
                   static_cast<long long>(r.rows_quarantined), r.schema.c_str(), r.entity.c_str(),
                   static_cast<long long>(r.rows_read), r.table.c_str(), r.file.c_str());
    }
    Progress progress("query", 0);
    engine::Result result = session.connection().Run(options.query, [&progress](double fraction) {
      if (fraction >= 0) progress.SetFraction(fraction);
    });
    progress.Finish();
    PrintResult(result, format, stdout);
    // CREATE VIEW and DROP VIEW change the lake's saved views, which every later command and `serve` sees.
    if (lake::ApplyViewChanges(before, lake::SnapshotViews(session.connection()), session, &saved)) {
      lake::StoreSavedViews(*DefaultFileSystem(), catalog.lake_root(), saved);
      if (!global.quiet) std::fprintf(stderr, "cdmlake: saved views updated in %s\n", lake::kSavedViewsFile);
    }
  } catch (const engine::EngineError& e) {
    if (e.type() == DUCKDB_ERROR_CATALOG) ExplainUnknownTable(catalog, options.query, e);
    throw session.Explain(e);
  }
  if (catalog.has_errors()) {
    Warn(global, "the lake has metadata problems in entities this query did not use; run `cdmlake lake inspect`");
  }
}

}  // namespace

void RegisterSqlCommand(CLI::App& app, GlobalOptions& global) {
  auto options = std::make_shared<SqlOptions>();
  CLI::App* cmd = app.add_subcommand(
      "sql",
      "Run SQL (DuckDB dialect) over the lake. Every entity is a table \"<schema>\".\"<entity>\", where the schema is\n"
      "the root manifest's name (e.g. Tables for a D365 export); entities with a unique name can be used without it.\n"
      "Several statements may be given; the result of the last one is printed. CREATE VIEW and DROP VIEW are\n"
      "saved in the lake (_cdmlake/views.json): the views of the logical data warehouse, seen by later commands\n"
      "and by `cdmlake serve`.");
  cmd->add_option("query", options->query, "The SQL to run")->required();
  cmd->add_option("--format", options->format, "Output: table (aligned), csv (with header) or json (array of objects)")
      ->check(CLI::IsMember({"table", "csv", "json"}));
  cmd->add_option("--on-error", options->on_error,
                  "Rows that cannot be read: fail (default: stop and name the file and line) or quarantine (read\n"
                  "the tables used completely, move bad rows to <Entity>_Corrupt with the reason, print counts)")
      ->check(CLI::IsMember({"fail", "quarantine"}));
  cmd->callback([options, &global] { Run(global, *options); });
}

}  // namespace cdmlake::cli
