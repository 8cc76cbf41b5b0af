#include "entitystore/cube_query.h"

#include <algorithm>
#include <cctype>
#include <optional>
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

// A name written in a condition (outside string literals): `X.Y` as (X, Y), a bare name as ("", name), with its
// position in the text.
struct ConditionName {
  std::string qualifier;
  std::string name;
  size_t begin = 0, end = 0;
};

std::vector<ConditionName> ConditionNames(const std::string& sql) {
  std::vector<ConditionName> out;
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
      out.push_back({first, sql.substr(second, end - second), start, end});
      i = end;
    } else {
      out.push_back({"", first, start, i});
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

bool IsFactColumn(const FactTable& fact, const std::string& name) {
  return std::any_of(fact.columns.begin(), fact.columns.end(),
                     [&](const StarColumn& c) { return EqualsIgnoreCase(c.name, name); });
}

// The plan reading the fact's rollup, or nullopt when the rollup cannot answer the query: an attribute it does not
// keep, more than two members, or a condition it cannot rewrite. The condition's names become rollup columns.
std::optional<CubePlan> PlanFromRollup(const FactTable& fact, const RollupDesign& design, const Resolver& resolver,
                                       const std::vector<ResolvedColumn>& by, const CubeQuery& query,
                                       const std::vector<const FactMeasure*>& measures) {
  if (query.where.find('"') != std::string::npos) return std::nullopt;  // quoted names: not rewritten
  auto member_of = [&](const ResolvedColumn& c) -> std::optional<size_t> {
    for (size_t i = 0; i < design.members.size(); ++i) {
      const RollupMember& m = design.members[i];
      if (EqualsIgnoreCase(m.name, c.alias) &&
          std::find(m.attributes.begin(), m.attributes.end(), c.column) != m.attributes.end()) {
        return i;
      }
    }
    return std::nullopt;
  };
  const std::string alias = QuoteIdentifier(fact.measure_group);
  auto column_of = [&](size_t member, const ResolvedColumn& c) {
    return alias + "." + QuoteIdentifier(RollupColumnName(design.members[member].name, c.column));
  };
  std::set<size_t> members;
  std::vector<std::string> select, group;
  for (size_t i = 0; i < by.size(); ++i) {
    std::optional<size_t> member = member_of(by[i]);
    if (!member) return std::nullopt;
    members.insert(*member);
    select.push_back(column_of(*member, by[i]) + " AS " + QuoteIdentifier(query.by[i]));
    group.push_back(column_of(*member, by[i]));
  }
  std::string where;
  size_t copied = 0;
  for (const ConditionName& name : ConditionNames(query.where)) {
    ResolvedColumn column;
    try {
      if (!name.qualifier.empty()) {
        column = resolver.Resolve(name.qualifier + "." + name.name);
      } else if (IsFactColumn(fact, name.name)) {
        column = resolver.Resolve(name.name);  // only degenerate attributes resolve; other columns throw
      } else {
        continue;  // a keyword, a function, a literal word
      }
    } catch (const Error&) {
      return std::nullopt;  // the fact or aggregate path reports it
    }
    std::optional<size_t> member = member_of(column);
    if (!member) return std::nullopt;
    members.insert(*member);
    where += query.where.substr(copied, name.begin - copied) + column_of(*member, column);
    copied = name.end;
  }
  where += query.where.substr(std::min(copied, query.where.size()));
  if (members.size() > 2) return std::nullopt;

  // The set holding the members; with fewer than two, the one with the fewest attributes (likely the smallest).
  std::vector<std::pair<size_t, size_t>> sets = RollupSets(design);
  auto width = [&](const std::pair<size_t, size_t>& p) {
    return design.members[p.first].attributes.size() + design.members[p.second].attributes.size();
  };
  auto set = sets.end();
  for (auto it = sets.begin(); it != sets.end(); ++it) {
    bool holds = std::all_of(members.begin(), members.end(), [&](size_t m) { return it->first == m || it->second == m; });
    if (holds && (set == sets.end() || width(*it) < width(*set))) set = it;
  }
  if (set == sets.end()) return std::nullopt;

  CubePlan plan;
  plan.from_aggregate = true;
  plan.from_rollup = true;
  plan.rollup_set = RollupSetLabel(design, set->first, set->second);
  plan.entities.push_back(RollupEntityName(fact));
  for (const FactMeasure* m : measures) select.push_back(Reaggregate(*m, alias) + " AS " + QuoteIdentifier(m->name));
  plan.sql = "SELECT " + Join(select, ", ") + " FROM " + QuoteIdentifier(RollupEntityName(fact)) + " AS " + alias +
             " WHERE " + alias + "." + QuoteIdentifier("__SET") + " = " + engine::QuoteLiteral(plan.rollup_set);
  if (!where.empty()) plan.sql += " AND (" + where + ")";
  if (!group.empty()) plan.sql += " GROUP BY " + Join(group, ", ") + " ORDER BY " + Join(group, ", ");
  return plan;
}

}  // namespace

CubePlan PlanCubeQuery(const StarSchema& schema, const CubeQuery& query,
                       const std::map<std::string, RollupDesign>& rollups) {
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
  for (const ConditionName& name : ConditionNames(query.where)) {
    const std::string& qualifier = name.qualifier;
    const std::string& column = name.name;
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
    for (const ConditionName& name : ConditionNames(query.where)) {
      const std::string& word = name.name;
      if (!name.qualifier.empty()) continue;
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

  if (plan.from_aggregate) {
    auto rollup = rollups.find(fact->name);
    if (rollup != rollups.end()) {
      if (auto answer = PlanFromRollup(*fact, rollup->second, resolver, by, query, measures)) return *answer;
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
