// The sources of a measurement's star schema: the lake tables it reads and the D365 SQL views between them,
// translated from T-SQL (tsql/) and created in dependency order.
//
// Analysis comes first and reports every problem at once, before any work starts: each missing source table,
// each view whose T-SQL cannot be translated (with the construct and its line), each cycle between views. A view
// that exists in the lake as a table (an exported entity) is read from the lake instead of being created, as
// ESYN skips views that exist (spec §3.1).
// Thread-compatible.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "entitystore/metadata.h"
#include "lake/catalog.h"
#include "lake/session.h"
#include "tsql/translator.h"

namespace cdmlake::entitystore {

struct SourceView {
  std::string name;  // upper case
  tsql::Translation translation;
  const ViewDefinition* definition = nullptr;
};

class SourcePlan {
 public:
  // Works out what `roots` (the fact and dimension sources, by name) need. Throws Error(kData) listing every
  // problem (missing tables, untranslatable views, cycles) when there is any.
  SourcePlan(const MetadataPackage& package, const lake::Catalog& catalog, const std::vector<std::string>& roots);

  // The D365 views to create, dependencies first.
  const std::vector<SourceView>& views() const { return views_; }
  // The lake tables read (catalog names, upper case), sorted.
  const std::vector<std::string>& tables() const { return tables_; }

  // The lake tables that `root` (a fact or dimension source) reads, directly or through views; sorted.
  std::vector<std::string> TablesUnder(const std::string& root) const;

  // Makes the tables queryable in the session and creates the views (in main, as DuckDB views). Returns the
  // DuckDB query of each view as created, by upper-case name.
  std::map<std::string, std::string> CreateIn(lake::LakeSession& session) const;

 private:
  void Visit(const std::string& name, std::vector<std::string>* path);

  const MetadataPackage& package_;
  const lake::Catalog& catalog_;
  std::map<std::string, const ViewDefinition*> definitions_;  // by upper-cased view name, first row wins
  std::vector<SourceView> views_;
  std::vector<std::string> tables_;
  std::vector<std::string> done_;
  std::vector<std::string> problems_;
};

// The column names (upper case) of a table or view visible to the connection, or nullopt when there is none.
std::optional<std::vector<std::string>> RelationColumns(engine::Connection& connection, const std::string& name);

}  // namespace cdmlake::entitystore
