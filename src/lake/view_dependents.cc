#include "lake/view_dependents.h"

#include <algorithm>

#include "engine/quote.h"
#include "util/error.h"
#include "util/strings.h"

namespace cdmlake::lake {

std::string ColumnTypes(engine::Connection& connection, const std::string& schema, const std::string& name) {
  return connection
      .Query("SELECT coalesce(string_agg(data_type, ',' ORDER BY column_index), '') FROM duckdb_columns() "
             "WHERE database_name = current_database() AND schema_name = " + engine::QuoteLiteral(schema) +
             " AND table_name = " + engine::QuoteLiteral(name))
      .ScalarText();
}

void RebindDependentViews(engine::Connection& connection, const LakeSession& session, const cdm::Entity& entity) {
  std::string qualified = engine::QuoteQualified(entity.schema, entity.name);
  // The alias LakeSession::Attach creates for a name that is unique across schemas.
  std::string alias_sql = connection
                              .Query("SELECT sql FROM duckdb_views() WHERE database_name = current_database() "
                                     "AND schema_name = 'main' AND view_name = " + engine::QuoteLiteral(entity.name))
                              .ScalarText();
  // DuckDB stores the SQL normalized (identifiers quoted only where needed), hence the loose comparison.
  std::string lower_alias = ToLower(alias_sql);
  if (ToLower(entity.schema) != "main" && lower_alias.find("select * from") != std::string::npos &&
      lower_alias.find(ToLower(entity.schema)) != std::string::npos) {
    connection.Execute("CREATE OR REPLACE VIEW main." + engine::QuoteIdentifier(entity.name) + " AS SELECT * FROM " +
                       qualified);
  }

  // Every other view of the database.
  struct View {
    std::string schema, name, sql, lower_sql;
  };
  std::vector<View> views;
  for (const auto& row : connection
                             .Query("SELECT schema_name, view_name, sql FROM duckdb_views() WHERE NOT internal "
                                    "AND NOT temporary AND database_name = current_database() ORDER BY ALL")
                             .FetchAllText()) {
    View v{row[0].value_or(""), row[1].value_or(""), row[2].value_or(""), ""};
    if (session.IsEntityView(v.schema, v.name) || v.sql.rfind("CREATE VIEW", 0) != 0) continue;
    v.lower_sql = ToLower(v.sql);
    views.push_back(std::move(v));
  }
  // The affected views: those naming the entity, or an affected view, transitively. Naming is judged on the text
  // (a view may name the entity in a string too, which only costs creating it again).
  std::vector<bool> affected(views.size(), false);
  std::vector<std::string> names = {ToLower(entity.name)};
  for (bool grew = true; grew;) {
    grew = false;
    for (size_t i = 0; i < views.size(); ++i) {
      if (affected[i]) continue;
      for (const std::string& name : names) {
        if (views[i].lower_sql.find(name) == std::string::npos) continue;
        affected[i] = grew = true;
        names.push_back(ToLower(views[i].name));
        break;
      }
    }
  }
  // Created again in dependency order: a view after the affected views it names. The caller may hold a
  // transaction, where a failed statement ends it, so the order is worked out instead of tried.
  std::vector<bool> done(views.size(), false);
  auto waits_for = [&](size_t i) {
    for (size_t j = 0; j < views.size(); ++j) {
      if (j != i && affected[j] && !done[j] && views[i].lower_sql.find(ToLower(views[j].name)) != std::string::npos) {
        return true;
      }
    }
    return false;
  };
  for (size_t remaining = std::count(affected.begin(), affected.end(), true); remaining > 0; --remaining) {
    size_t next = views.size();
    for (size_t i = 0; i < views.size() && next == views.size(); ++i) {
      if (affected[i] && !done[i] && !waits_for(i)) next = i;
    }
    if (next == views.size()) {  // names that only look like a cycle: take the first one left
      for (size_t i = 0; i < views.size() && next == views.size(); ++i) {
        if (affected[i] && !done[i]) next = i;
      }
    }
    try {
      connection.Execute("CREATE OR REPLACE VIEW" + views[next].sql.substr(11));
    } catch (const std::exception& e) {
      throw Error(ErrorKind::kData,
                  "view " + views[next].schema + "." + views[next].name + " reads " + entity.schema + "." +
                      entity.name + " and cannot be created again over its new column types: " + e.what());
    }
    done[next] = true;
  }
}

}  // namespace cdmlake::lake
