// A DuckDB connection on which a lake's entities are queryable as SQL tables.
//
// Entities become views "<schema>"."<entity>" over their data files (plus "<entity>" alone when the name is
// unique in the lake), created on demand for the names a statement mentions, so a query on a lake of thousands
// of entities pays only for the ones it uses. Before a view is made, the entity's metadata and every data file are
// checked, so a broken entity fails with a message naming its manifest and file instead of a DuckDB error.
//
// An entity that `cdmlake lake refresh` keeps up to date (change feeds, incremental folders) is read from its
// current state, <lake>/_cdmlake/refresh/<schema>/<entity>/state.json naming a Parquet file beside it, instead
// of its raw files.
//
// With OnError::kQuarantine a used entity is read completely once: rows that cannot be parsed go to a table
// "<entity>_Corrupt" (file, line, column, reason, original text), which is also kept as a CSV file under
// <lake>/_cdmlake/quarantine/<schema>/, and the counts are reported. Thread-compatible.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/database.h"
#include "lake/catalog.h"

namespace cdmlake::lake {

enum class OnError { kFail, kQuarantine };

struct QuarantineReport {
  std::string schema;
  std::string entity;
  int64_t rows_read = 0;         // rows that were read successfully
  int64_t rows_quarantined = 0;  // rows that went to the _Corrupt table
  std::string table;             // "<entity>_Corrupt"
  std::string file;              // lake-relative CSV copy ("" when nothing was quarantined)
};

class LakeSession {
 public:
  LakeSession(engine::Database& database, const Catalog& catalog, OnError on_error);

  // Makes every entity that `sql` may use queryable (matched by the identifiers it contains). An entity that
  // cannot be read becomes a view that fails when it is read, so a name that is really a column, or the same
  // name in another schema, does not fail the statement; Explain then gives the entity's own error.
  void PrepareFor(std::string_view sql);
  // Makes one entity queryable (see PrepareFor).
  void Attach(const cdm::Entity& entity);
  // Makes every readable entity queryable; returns the problems of those that could not be attached.
  std::vector<cdm::Problem> AttachAll();

  engine::Connection& connection() { return connection_; }
  // Whether schema.name is a view this session makes for an entity (its alias in main and its _Corrupt table
  // included), as opposed to a view a user made.
  bool IsEntityView(const std::string& schema, const std::string& name) const;
  // The current-state Parquet file kept by `cdmlake lake refresh` for this entity, or "" when there is none.
  // Throws Error(kData) naming state.json when the state cannot be read.
  std::string CurrentStateFile(const cdm::Entity& entity) const;
  const std::vector<QuarantineReport>& quarantine_reports() const { return reports_; }

  // Rewrites a DuckDB error met while reading lake files ("CSV Error on Line: ...") into an Error naming the
  // entity, the lake-relative file and the line, with what to do about it. Other errors are returned as they are.
  Error Explain(const engine::EngineError& error) const;

 private:
  void AttachOrDefer(const cdm::Entity& entity);
  void Quarantine(const cdm::Entity& entity, const std::vector<cdm::Partition>& partitions,
                  const std::string& scan_sql, int csv_reads);
  void AttachPreviousQuarantine(const cdm::Entity& entity);
  std::string QuarantineFile(const cdm::Entity& entity) const;

  engine::Connection connection_;
  const Catalog& catalog_;
  OnError on_error_;
  std::set<const cdm::Entity*> attached_;
  std::set<std::string> schemas_;
  std::map<std::string, std::string> entity_of_file_;  // absolute data file -> "schema.entity"
  std::vector<QuarantineReport> reports_;
  std::vector<Error> deferred_;  // attach errors of entities a statement named, raised if it reads them
  int next_id_ = 0;
};

// The identifiers (lower case) in a SQL text: bare words and double-quoted names; string literals and
// comments are skipped.
std::set<std::string> SqlIdentifiers(std::string_view sql);

}  // namespace cdmlake::lake
