#include "unify/lake_tables.h"

#include "util/strings.h"

namespace cdmlake::unify {

namespace {

std::string Qualified(const cdm::Entity& e) { return e.schema + "." + e.name; }

// Resolves one `table:` value; on success returns the entity and may rewrite `table` to its unqualified name.
const cdm::Entity* Resolve(const lake::Catalog& catalog, const std::string& owner, std::string* table,
                           const ConfigMark& mark, std::vector<ConfigProblem>* problems) {
  auto error = [&](std::string message, std::string hint) {
    problems->push_back({ProblemSeverity::kError, mark, std::move(message), std::move(hint)});
  };
  const size_t dot = table->find('.');
  const std::string schema = dot == std::string::npos ? "" : table->substr(0, dot);
  const std::string name = dot == std::string::npos ? *table : table->substr(dot + 1);
  std::vector<const cdm::Entity*> named;  // the tables of that name, in the schema written (any without one)
  std::vector<std::string> same_name;     // every table of that name, qualified, whatever the schema written
  std::vector<std::string> all_names;     // for "did you mean"
  for (const cdm::Entity* e : catalog.entities()) {
    all_names.push_back(dot == std::string::npos ? e->name : Qualified(*e));
    if (!EqualsIgnoreCase(e->name, name)) continue;
    same_name.push_back(Qualified(*e));
    if (schema.empty() || EqualsIgnoreCase(e->schema, schema)) named.push_back(e);
  }
  if (named.empty()) {
    const std::string closest = ClosestName(*table, all_names);
    error("the lake has no table " + Quote(*table) + " (" + owner + ")",
          (closest.empty() ? std::string() : "did you mean " + Quote(closest) + "? ") +
              "`cdmlake lake inspect` lists the lake's tables; or read a file with csv: instead of table:");
    return nullptr;
  }
  if (const cdm::Entity* e = schema.empty() ? catalog.Find(name) : named.front(); e && catalog.IsUnqualifiedName(*e)) {
    *table = e->name;
    return e;
  }
  error("the lake has more than one table named " + Quote(name) + " (" + Join(same_name, ", ") + "), and " + owner +
            " cannot tell them apart",
        "open only the manifest that holds the table you mean with --lake, or read its files with csv:");
  return nullptr;
}

}  // namespace

std::vector<ConfigProblem> ResolveLakeTables(UnifyConfig* config, const lake::Catalog& catalog,
                                             SourceColumns* columns) {
  std::vector<ConfigProblem> problems;
  auto add = [&](const std::string& owner_name, const std::string& owner, std::string* table,
                 const ConfigMark& mark) {
    if (table->empty()) return;
    const cdm::Entity* entity = Resolve(catalog, owner, table, mark, &problems);
    if (!entity) return;
    for (const auto& a : entity->attributes) (*columns)[owner_name].push_back({a.name, a.SqlType()});
  };
  for (Source& s : config->sources) add(s.name, "source " + s.name, &s.table, s.table_mark);
  for (Activity& a : config->activities) add(a.name, "activity " + a.name, &a.table, a.table_mark);
  return problems;
}

}  // namespace cdmlake::unify
