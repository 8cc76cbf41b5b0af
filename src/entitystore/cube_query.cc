#include "entitystore/cube_query.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "engine/quote.h"
#include "entitystore/process_plan.h"
#include "util/error.h"
#include "util/strings.h"

namespace cdmlake::entitystore {

namespace {

using engine::QuoteIdentifier;

struct ResolvedColumn {
  std::string alias;   // the table alias (reference or group name)
  std::string column;  // the column in that table
  const DimensionTable* dimension = nullptr;  // null for a fact column
};

const FactMeasure* FindMeasure(const FactTable& fact, const std::string& name) {
  for (const auto& m : fact.measures) {
    if (EqualsIgnoreCase(m.name, name) || EqualsIgnoreCase(m.column, name)) return &m;
  }
  return nullptr;
}

std::string KnownMeasures(const StarSchema& schema) {
  std::vector<std::string> names;
  for (const auto& f : schema.facts) {
    for (const auto& m : f.measures) names.push_back(f.measure_group + "." + m.name);
  }
  return Join(names, ", ");
}

const std::string* FindName(const std::vector<std::string>& names, const std::string& name) {
  for (const auto& n : names) {
    if (EqualsIgnoreCase(n, name) || EqualsIgnoreCase(n, OutputName(name))) return &n;
  }
  return nullptr;
}

class Resolver {
 public:
  explicit Resolver(const FactTable& fact, const StarSchema& schema) : fact_(fact), schema_(schema) {}

  ResolvedColumn Resolve(const std::string& name) const {
    size_t dot = name.find('.');
    std::string qualifier = dot == std::string::npos ? "" : name.substr(0, dot);
    std::string attribute = dot == std::string::npos ? name : name.substr(dot + 1);
    if (qualifier.empty() || EqualsIgnoreCase(qualifier, fact_.measure_group)) {
      if (const std::string* column = FindName(fact_.attributes, attribute)) {
        return {fact_.measure_group, *column, nullptr};
      }
      if (qualifier.empty()) {
        throw Error(ErrorKind::kUser, "unknown attribute " + name + "; write Reference.Attribute, one of: " +
                                          KnownAttributes());
      }
    }
    for (const auto& d : fact_.dimensions) {
      if (!EqualsIgnoreCase(d.reference, qualifier)) continue;
      const DimensionTable* table = FindDimension(d.dimension_table);
      if (const std::string* column = table ? FindName(table->attributes, attribute) : nullptr) {
        return {d.reference, *column, table};
      }
    }
    throw Error(ErrorKind::kUser, "unknown attribute " + name + " for measure group " + fact_.measure_group +
                                      "; known: " + KnownAttributes());
  }

  const DimensionTable* FindDimension(const std::string& table) const {
    for (const auto& d : schema_.dimensions) {
      if (d.name == table) return &d;
    }
    return nullptr;
  }

  std::string KnownAttributes() const {
    std::vector<std::string> names;
    for (const auto& a : fact_.attributes) names.push_back(fact_.measure_group + "." + a);
    for (const auto& d : fact_.dimensions) {
      if (const DimensionTable* table = FindDimension(d.dimension_table)) {
        for (const auto& a : table->attributes) names.push_back(d.reference + "." + a);
      }
    }
    return Join(names, ", ");
  }

 private:
  const FactTable& fact_;
  const StarSchema& schema_;
};

// The names written in a condition (outside string literals): `X.Y` as (X, Y), a bare name as ("", name).
std::vector<std::pair<std::string, std::string>> ConditionNames(const std::string& sql) {
  std::vector<std::pair<std::string, std::string>> out;
  auto word_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  size_t i = 0;
  while (i < sql.size()) {
    if (sql[i] == '\'') {
      i = sql.find('\'', i + 1);
      if (i == std::string::npos) break;
      ++i;
      continue;
    }
    if (!word_char(sql[i])) {
      ++i;
      continue;
    }
    size_t start = i;
    while (i < sql.size() && word_char(sql[i])) ++i;
    std::string first = sql.substr(start, i - start);
    if (i + 1 < sql.size() && sql[i] == '.' && word_char(sql[i + 1])) {
      size_t second = i + 1, end = second;
      while (end < sql.size() && word_char(sql[end])) ++end;
      out.emplace_back(first, sql.substr(second, end - second));
      i = end;
    } else {
      out.emplace_back("", first);
    }
  }
  return out;
}

std::string Reaggregate(const FactMeasure& m, const std::string& alias) {
  std::string column = alias + "." + QuoteIdentifier(m.column);
  switch (m.aggregate) {
    case Aggregate::kSum:
      return "sum(" + column + ")";
    case Aggregate::kCount:
      return "coalesce(sum(" + column + "), 0)";
    case Aggregate::kMin:
      return "min(" + column + ")";
    case Aggregate::kMax:
      return "max(" + column + ")";
    case Aggregate::kAverageOfChildren:
      return "sum(" + alias + "." + QuoteIdentifier(AggregateSumColumn(m)) + ") / sum(" + alias + "." +
             QuoteIdentifier(AggregateCountColumn(m)) + ")";
    case Aggregate::kDistinctCount:
      break;
  }
  throw Error(ErrorKind::kInternal, "a distinct count cannot be re-aggregated");
}

std::string FactAggregate(const FactMeasure& m, const std::string& alias) {
  std::string column = alias + "." + QuoteIdentifier(m.column);
  switch (m.aggregate) {
    case Aggregate::kSum:
      return "sum(" + column + ")";
    case Aggregate::kCount:
      return "count(" + column + ")";
    case Aggregate::kDistinctCount:
      return "count(DISTINCT " + column + ")";
    case Aggregate::kMin:
      return "min(" + column + ")";
    case Aggregate::kMax:
      return "max(" + column + ")";
    case Aggregate::kAverageOfChildren:
      return "avg(" + column + ")";
  }
  return "";
}

}  // namespace

CubePlan PlanCubeQuery(const StarSchema& schema, const CubeQuery& query) {
  if (query.measures.empty()) throw Error(ErrorKind::kUser, "name at least one measure (--measure)");
  const FactTable* fact = nullptr;
  std::vector<const FactMeasure*> measures;
  for (const auto& name : query.measures) {
    const FactMeasure* found = nullptr;
    for (const auto& f : schema.facts) {
      if (const FactMeasure* m = FindMeasure(f, name)) {
        if (fact && fact != &f) {
          throw Error(ErrorKind::kUser, "measures " + query.measures[0] + " and " + name +
                                            " belong to different measure groups; query one group at a time");
        }
        fact = &f;
        found = m;
        break;
      }
    }
    if (!found) {
      throw Error(ErrorKind::kUser, "unknown measure " + name + " in measurement " + schema.measurement +
                                        "; known: " + KnownMeasures(schema));
    }
    measures.push_back(found);
  }

  Resolver resolver(*fact, schema);
  std::vector<ResolvedColumn> by;
  for (const auto& name : query.by) by.push_back(resolver.Resolve(name));
  std::set<std::string> joined;  // references whose dimension the query needs
  for (const auto& c : by) {
    if (c.dimension) joined.insert(ToUpper(c.alias));
  }

  CubePlan plan;
  plan.from_aggregate = true;
  for (const FactMeasure* m : measures) {
    if (m->aggregate == Aggregate::kDistinctCount) {
      plan.from_aggregate = false;
      plan.reason = "measure " + m->name + " is a distinct count, which cannot be added up across groups";
    }
  }
  std::vector<std::string> keys = AggregateKeys(*fact);
  for (const auto& [qualifier, column] : ConditionNames(query.where)) {
    if (qualifier.empty()) continue;
    bool is_reference = false;
    for (const auto& d : fact->dimensions) {
      if (EqualsIgnoreCase(d.reference, qualifier)) {
        joined.insert(ToUpper(d.reference));
        is_reference = true;
      }
    }
    if (!is_reference && EqualsIgnoreCase(qualifier, fact->measure_group) && plan.from_aggregate &&
        std::none_of(keys.begin(), keys.end(), [&](const std::string& k) { return EqualsIgnoreCase(k, column); })) {
      plan.from_aggregate = false;
      plan.reason = "the condition reads the fact column " + column + ", which is not an aggregate key";
    }
  }

  // An unqualified name in the condition that is a fact column but not an aggregate key (a measure's field, a
  // view field) filters fact rows, which the aggregate table no longer has.
  if (plan.from_aggregate) {
    for (const auto& [qualifier, word] : ConditionNames(query.where)) {
      if (!qualifier.empty()) continue;
      bool key = std::any_of(keys.begin(), keys.end(), [&](const std::string& k) { return EqualsIgnoreCase(k, word); });
      bool column = std::any_of(fact->columns.begin(), fact->columns.end(),
                                [&](const StarColumn& c) { return EqualsIgnoreCase(c.name, word); });
      if (column && !key) {
        plan.from_aggregate = false;
        plan.reason = "the condition reads the fact column " + word + ", which is not an aggregate key";
        break;
      }
    }
  }

  const std::string fact_alias = QuoteIdentifier(fact->measure_group);
  std::string from_entity = plan.from_aggregate ? AggregateEntityName(*fact) : fact->name;
  plan.entities.push_back(from_entity);
  std::vector<std::string> select, group;
  for (size_t i = 0; i < by.size(); ++i) {
    std::string expr = QuoteIdentifier(by[i].alias) + "." + QuoteIdentifier(by[i].column);
    select.push_back(expr + " AS " + QuoteIdentifier(query.by[i]));
    group.push_back(expr);
  }
  for (const FactMeasure* m : measures) {
    std::string expr = plan.from_aggregate ? Reaggregate(*m, fact_alias) : FactAggregate(*m, fact_alias);
    select.push_back(expr + " AS " + QuoteIdentifier(m->name));
  }
  std::string sql = "SELECT " + Join(select, ", ") + " FROM " + QuoteIdentifier(from_entity) + " AS " + fact_alias;
  for (const auto& d : fact->dimensions) {
    if (!joined.count(ToUpper(d.reference))) continue;
    plan.entities.push_back(d.dimension_table);
    sql += " LEFT JOIN " + QuoteIdentifier(d.dimension_table) + " AS " + QuoteIdentifier(d.reference) + " ON " +
           fact_alias + "." + QuoteIdentifier(d.key_column) + " = " + QuoteIdentifier(d.reference) + "." +
           QuoteIdentifier(d.key_column);
  }
  if (!query.where.empty()) sql += " WHERE " + query.where;
  if (!group.empty()) sql += " GROUP BY " + Join(group, ", ") + " ORDER BY " + Join(group, ", ");
  plan.sql = sql;
  return plan;
}

}  // namespace cdmlake::entitystore
