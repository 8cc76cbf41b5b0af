#include "entitystore/source_views.h"

#include <algorithm>
#include <map>

#include "engine/quote.h"
#include "util/error.h"
#include "util/strings.h"

namespace cdmlake::entitystore {

namespace {

bool Contains(const std::vector<std::string>& list, const std::string& name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

// The first definition of each view (dependencies.csv repeats a view under each root; ESYN skips repeats).
std::map<std::string, const ViewDefinition*> DefinitionsByName(const MetadataPackage& package) {
  std::map<std::string, const ViewDefinition*> out;
  for (const auto& d : package.view_definitions) out.emplace(ToUpper(d.view_name), &d);
  return out;
}

// The columns of a relation whose DuckDB type is a date or a timestamp.
std::vector<std::string> DateColumns(engine::Connection& connection, const std::string& relation) {
  std::vector<std::string> out;
  try {
    engine::Result result = connection.Query("SELECT * FROM " + engine::QuoteIdentifier(relation) + " LIMIT 0");
    for (idx_t i = 0; i < result.column_count(); ++i) {
      switch (result.column_type(i)) {
        case DUCKDB_TYPE_DATE:
        case DUCKDB_TYPE_TIMESTAMP:
        case DUCKDB_TYPE_TIMESTAMP_S:
        case DUCKDB_TYPE_TIMESTAMP_MS:
        case DUCKDB_TYPE_TIMESTAMP_NS:
        case DUCKDB_TYPE_TIMESTAMP_TZ:
          out.push_back(result.column_name(i));
          break;
        default:
          break;
      }
    }
  } catch (const engine::EngineError&) {
    // An unreadable relation fails later, when the view is created, with a better message.
  }
  return out;
}

}  // namespace

SourcePlan::SourcePlan(const MetadataPackage& package, const lake::Catalog& catalog,
                       const std::vector<std::string>& roots)
    : package_(package), catalog_(catalog), definitions_(DefinitionsByName(package)) {
  for (const auto& root : roots) {
    std::vector<std::string> path;
    Visit(ToUpper(root), &path);
  }
  std::sort(tables_.begin(), tables_.end());
  if (!problems_.empty()) {
    std::string message = "measurement " + package.measurement.name + " cannot be processed; " +
                          std::to_string(problems_.size()) + " problem(s):";
    for (const auto& p : problems_) message += "\n  - " + p;
    throw Error(ErrorKind::kData, message, Location{package.origin, 0, package.measurement.name},
                "sync the missing tables to the lake (F&O: Export to Data Lake > add tables), or fix the view "
                "definitions in the package");
  }
}

void SourcePlan::Visit(const std::string& name, std::vector<std::string>* path) {
  if (Contains(done_, name)) return;
  if (Contains(*path, name)) {
    std::string cycle;
    auto start = std::find(path->begin(), path->end(), name);
    for (auto it = start; it != path->end(); ++it) cycle += *it + " -> ";
    problems_.push_back("views depend on each other in a cycle: " + cycle + name);
    done_.push_back(name);
    return;
  }
  // A lake table (or a view exported to the lake) wins over a definition of the same name.
  if (const cdm::Entity* entity = catalog_.Find(name)) {
    done_.push_back(name);
    if (!entity->readable) {
      // Declared in a manifest, but its metadata cannot be read (a missing entity document...): say why here,
      // not as a binder error of the first view that reads it.
      std::string why;
      for (const auto& p : catalog_.problems()) {
        if (p.severity == cdm::Severity::kError && EqualsIgnoreCase(p.entity, entity->name)) {
          why += (why.empty() ? "" : "; ") + p.file + (p.line ? ":" + std::to_string(p.line) : "") + ": " + p.message;
        }
      }
      problems_.push_back("table " + name + " cannot be read" + (why.empty() ? "" : ": " + why));
      return;
    }
    tables_.push_back(name);
    return;
  }
  auto it = definitions_.find(name);
  if (it == definitions_.end()) {
    done_.push_back(name);
    std::string what = package_.FindView(name) ? "view " + name + " has no SQL definition in the package and is not"
                                                 : "table " + name + " is not";
    problems_.push_back(what + " in the lake");
    return;
  }
  SourceView view;
  view.name = name;
  view.definition = it->second;
  view.translation = tsql::TranslateView(it->second->definition, {});
  for (const auto& u : view.translation.unsupported) {
    problems_.push_back("view " + name + " (" + it->second->source.file + ":" +
                        std::to_string(it->second->source.line + u.line - 1) + "): cannot translate " + u.construct +
                        (u.message.empty() ? "" : ": " + u.message));
  }
  path->push_back(name);
  for (const auto& reference : view.translation.references) Visit(ToUpper(reference), path);
  path->pop_back();
  done_.push_back(name);
  views_.push_back(std::move(view));
}

std::vector<std::string> SourcePlan::TablesUnder(const std::string& root) const {
  std::vector<std::string> out, stack{ToUpper(root)}, seen;
  while (!stack.empty()) {
    std::string name = stack.back();
    stack.pop_back();
    if (Contains(seen, name)) continue;
    seen.push_back(name);
    if (Contains(tables_, name)) {
      out.push_back(name);
      continue;
    }
    for (const auto& view : views_) {
      if (view.name != name) continue;
      for (const auto& r : view.translation.references) stack.push_back(ToUpper(r));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::map<std::string, std::string> SourcePlan::CreateIn(lake::LakeSession& session) const {
  std::map<std::string, std::string> created;
  for (const auto& table : tables_) session.PrepareFor(engine::QuoteIdentifier(table));
  for (const auto& view : views_) {
    // `date - 1` needs to know which columns are dates; the relations a view reads exist by now, so ask them.
    tsql::TranslateOptions options;
    for (const auto& reference : view.translation.references) {
      for (const auto& column : DateColumns(session.connection(), reference)) options.date_columns.push_back(column);
    }
    tsql::Translation translation = tsql::TranslateView(view.definition->definition, options);
    try {
      session.connection().Execute("CREATE OR REPLACE VIEW main." + engine::QuoteIdentifier(view.name) + " AS " +
                                   translation.query);
    } catch (const engine::EngineError& e) {
      throw Error(ErrorKind::kData,
                  "view " + view.name + " (translated from T-SQL) is not valid DuckDB SQL: " + std::string(e.what()),
                  Location{view.definition->source.file, view.definition->source.line, view.name},
                  "run `cdmlake entitystore ddl` to see the translated statement");
    }
    created[view.name] = translation.query;
  }
  return created;
}

std::optional<std::vector<std::string>> RelationColumns(engine::Connection& connection, const std::string& name) {
  std::vector<std::string> columns;
  try {
    engine::Result result = connection.Query("SELECT * FROM " + engine::QuoteIdentifier(name) + " LIMIT 0");
    for (idx_t i = 0; i < result.column_count(); ++i) columns.push_back(ToUpper(result.column_name(i)));
  } catch (const engine::EngineError&) {
    return std::nullopt;
  }
  return columns;
}

}  // namespace cdmlake::entitystore
