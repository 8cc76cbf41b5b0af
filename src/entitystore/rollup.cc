#include "entitystore/rollup.h"

#include <algorithm>
#include <set>

#include "engine/quote.h"
#include "entitystore/process_plan.h"
#include "util/strings.h"

namespace cdmlake::entitystore {

namespace {

using engine::QuoteIdentifier;
using engine::QuoteLiteral;

constexpr const char* kJoined = "__cdmlake_rollup_rows";

// The merge of one partial state (`column` of `from`), with the counts' HUGEINT sums narrowed back to BIGINT.
std::string MergeSum(const std::string& from, const std::string& column, bool count) {
  std::string sum = "sum(" + from + "." + QuoteIdentifier(column) + ")";
  return count ? "CAST(" + sum + " AS BIGINT)" : sum;
}

// The additive partial states of the fact's measures, merged from the rows of `from`. The last stage also gives
// AverageOfChildren its average, as the aggregate table has it.
std::vector<std::string> MergedMeasures(const FactTable& fact, const std::string& from, bool last_stage) {
  std::vector<std::string> out;
  out.push_back(MergeSum(from, "__ROWS", true) + " AS " + QuoteIdentifier("__ROWS"));
  for (const FactMeasure& m : fact.measures) {
    std::string column = from + "." + QuoteIdentifier(m.column);
    std::string name = QuoteIdentifier(m.column);
    switch (m.aggregate) {
      case Aggregate::kSum:
        out.push_back(MergeSum(from, m.column, false) + " AS " + name);
        break;
      case Aggregate::kCount:
        out.push_back(MergeSum(from, m.column, true) + " AS " + name);
        break;
      case Aggregate::kMin:
        out.push_back("min(" + column + ") AS " + name);
        break;
      case Aggregate::kMax:
        out.push_back("max(" + column + ") AS " + name);
        break;
      case Aggregate::kAverageOfChildren: {
        std::string sum = MergeSum(from, AggregateSumColumn(m), false);
        std::string count = MergeSum(from, AggregateCountColumn(m), true);
        if (last_stage) out.push_back("CAST(" + sum + " AS DOUBLE) / " + count + " AS " + name);
        out.push_back(sum + " AS " + QuoteIdentifier(AggregateSumColumn(m)));
        out.push_back(count + " AS " + QuoteIdentifier(AggregateCountColumn(m)));
        break;
      }
      case Aggregate::kDistinctCount:
        break;  // not additive: queries with one read the fact table
    }
  }
  return out;
}

// The __SET label of a grouping-sets row over the stage-1 relation: the members the row is grouped by.
std::string SetLabel(const RollupDesign& design) {
  std::vector<std::string> labels;
  for (const RollupMember& m : design.members) {
    labels.push_back("CASE WHEN GROUPING(" + QuoteIdentifier(RollupColumnName(m.name, m.attributes[0])) +
                     ") = 0 THEN " + QuoteLiteral(m.name) + " END");
  }
  return "concat_ws('|', " + Join(labels, ", ") + ")";
}

std::string GroupingSets(const RollupDesign& design) {
  std::vector<std::string> sets;
  for (const auto& [x, y] : RollupSets(design)) {
    std::vector<std::string> set;
    for (size_t i : std::set<size_t>{x, y}) {
      for (const auto& attribute : design.members[i].attributes) {
        set.push_back(QuoteIdentifier(RollupColumnName(design.members[i].name, attribute)));
      }
    }
    sets.push_back("(" + Join(set, ", ") + ")");
  }
  return "GROUPING SETS (" + Join(sets, ", ") + ")";
}

}  // namespace

std::string RollupEntityName(const FactTable& fact) { return fact.name + "_ROLLUP"; }

std::string RollupColumnName(const std::string& member, const std::string& attribute) {
  return member + "__" + attribute;
}

std::string RollupSetLabel(const RollupDesign& design, size_t a, size_t b) {
  if (a == b) return design.members[a].name;
  return design.members[a].name + "|" + design.members[b].name;
}

std::vector<std::pair<size_t, size_t>> RollupSets(const RollupDesign& design) {
  std::vector<std::pair<size_t, size_t>> sets;
  if (design.members.size() == 1) sets.emplace_back(0, 0);
  for (size_t a = 0; a < design.members.size(); ++a) {
    for (size_t b = a + 1; b < design.members.size(); ++b) sets.emplace_back(a, b);
  }
  return sets;
}

std::vector<std::string> ChooseRollupAttributes(
    const std::vector<std::string>& candidates,
    const std::function<int64_t(const std::vector<std::string>&)>& cardinality, int64_t budget) {
  std::vector<std::pair<int64_t, std::string>> ranked;
  for (const auto& c : candidates) {
    int64_t n = cardinality({c});
    if (n <= budget) ranked.emplace_back(n, c);
  }
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::string> kept;
  for (const auto& [n, name] : ranked) {
    std::vector<std::string> trial = kept;
    trial.push_back(name);
    if (kept.empty() || cardinality(trial) <= budget) kept = std::move(trial);
  }
  return kept;
}

std::vector<RollupMember> RollupCandidates(const FactTable& fact, const StarSchema& schema) {
  std::vector<RollupMember> members;
  for (const auto& d : fact.dimensions) {
    for (const auto& table : schema.dimensions) {
      if (table.name != d.dimension_table) continue;
      members.push_back({d.reference, table.name, d.key_column, table.attributes});
    }
  }
  if (!fact.attributes.empty()) members.push_back({fact.measure_group, "", "", fact.attributes});
  return members;
}

std::string RollupSelect(const FactTable& fact, const RollupDesign& design, const std::string& aggregate,
                         const std::map<std::string, std::string>& dimensions) {
  const std::string a = QuoteIdentifier("a");
  if (design.members.empty()) {  // no attribute is coarse enough: the grand total only
    return "SELECT '' AS " + QuoteIdentifier("__SET") + ", " + Join(MergedMeasures(fact, a, true), ", ") +
           " FROM " + aggregate + " AS " + a;
  }
  // Stage 1: the aggregate's rows joined to their dimensions and grouped by every kept attribute at once (far
  // fewer rows than the aggregate: in the sample 1.7 M for 9.7 M), so the grouping sets below start small.
  std::vector<std::string> columns, select, from_joins;
  for (const RollupMember& m : design.members) {
    std::string alias = m.dimension_table.empty() ? a : QuoteIdentifier(m.name);
    if (!m.dimension_table.empty()) {
      from_joins.push_back(" LEFT JOIN " + dimensions.at(m.dimension_table) + " AS " + alias + " ON " + a + "." +
                           QuoteIdentifier(m.key_column) + " = " + alias + "." + QuoteIdentifier(m.key_column));
    }
    for (const auto& attribute : m.attributes) {
      std::string column = QuoteIdentifier(RollupColumnName(m.name, attribute));
      columns.push_back(column);
      select.push_back(alias + "." + QuoteIdentifier(attribute) + " AS " + column);
    }
  }
  for (const auto& measure : MergedMeasures(fact, a, false)) select.push_back(measure);
  std::string joined = "SELECT " + Join(select, ", ") + " FROM " + aggregate + " AS " + a;
  for (const auto& j : from_joins) joined += j;
  joined += " GROUP BY ALL";

  // Stage 2: one grouping set per pair of members; __SET names the members each row is grouped by.
  const std::string j = QuoteIdentifier(kJoined);
  std::vector<std::string> out;
  out.push_back(SetLabel(design) + " AS " + QuoteIdentifier("__SET"));
  for (const auto& c : columns) out.push_back(j + "." + c);
  for (const auto& measure : MergedMeasures(fact, j, true)) out.push_back(measure);
  return "WITH " + j + " AS (" + joined + ") SELECT " + Join(out, ", ") + " FROM " + j +
         " GROUP BY " + GroupingSets(design) + " ORDER BY " + QuoteIdentifier("__SET");
}

namespace {

// kCount: counts (never NULL in the aggregate); kAdditive: sums (NULL when every value is).
enum class Part { kCount, kAdditive, kMin, kMax };

// The rollup's measure columns that deltas update, with how: the additive partial states, and Min and Max.
std::vector<std::pair<std::string, Part>> UpdatedColumns(const FactTable& fact) {
  std::vector<std::pair<std::string, Part>> out{{"__ROWS", Part::kCount}};
  for (const FactMeasure& m : fact.measures) {
    switch (m.aggregate) {
      case Aggregate::kSum:
        out.emplace_back(m.column, Part::kAdditive);
        break;
      case Aggregate::kCount:
        out.emplace_back(m.column, Part::kCount);
        break;
      case Aggregate::kMin:
        out.emplace_back(m.column, Part::kMin);
        break;
      case Aggregate::kMax:
        out.emplace_back(m.column, Part::kMax);
        break;
      case Aggregate::kAverageOfChildren:
        out.emplace_back(AggregateSumColumn(m), Part::kAdditive);
        out.emplace_back(AggregateCountColumn(m), Part::kCount);
        break;
      case Aggregate::kDistinctCount:
        break;
    }
  }
  return out;
}

std::string Side(const std::string& column, const char* side) { return column + "__cdmlake_" + side; }

}  // namespace

std::vector<std::string> RollupAttributeColumns(const RollupDesign& design) {
  std::vector<std::string> out;
  for (const RollupMember& m : design.members) {
    for (const auto& attribute : m.attributes) out.push_back(RollupColumnName(m.name, attribute));
  }
  return out;
}

std::vector<std::string> RollupAdditiveColumns(const FactTable& fact) {
  std::vector<std::string> out;
  for (const auto& [column, part] : UpdatedColumns(fact)) {
    if (part == Part::kAdditive || part == Part::kCount) out.push_back(column);
  }
  return out;
}

std::string RollupChangeSelect(const FactTable& fact, const RollupDesign& design, const std::string& before,
                               const std::string& after, const std::map<std::string, std::string>& dimensions) {
  const std::string a = QuoteIdentifier("a"), side = QuoteIdentifier("__cdmlake_side");
  std::vector<std::string> select, joins;
  for (const RollupMember& m : design.members) {
    std::string alias = m.dimension_table.empty() ? a : QuoteIdentifier(m.name);
    if (!m.dimension_table.empty()) {
      joins.push_back(" LEFT JOIN " + dimensions.at(m.dimension_table) + " AS " + alias + " ON " + a + "." +
                      QuoteIdentifier(m.key_column) + " = " + alias + "." + QuoteIdentifier(m.key_column));
    }
    for (const auto& attribute : m.attributes) {
      select.push_back(alias + "." + QuoteIdentifier(attribute) + " AS " +
                       QuoteIdentifier(RollupColumnName(m.name, attribute)));
    }
  }
  // Stage 1 (grouped by every kept attribute) and stage 2 (the grouping sets) as in RollupSelect, per side.
  std::vector<std::string> stage2;
  for (const auto& [column, part] : UpdatedColumns(fact)) {
    for (const auto& [s, code] : {std::pair("b", "0"), std::pair("a", "1")}) {
      const std::string value = "CASE WHEN " + a + "." + side + " = " + code + " THEN " + a + "." +
                                QuoteIdentifier(column) + " END";
      const std::string name = QuoteIdentifier(Side(column, s));
      const std::string j = QuoteIdentifier(kJoined) + "." + name;
      if (part == Part::kAdditive || part == Part::kCount) {
        const std::string count = QuoteIdentifier(Side(column, std::string(s) == "b" ? "bn" : "an"));
        select.push_back("sum(" + value + ") AS " + name);
        select.push_back("count(" + value + ") AS " + count);
        stage2.push_back("sum(" + j + ") AS " + name);
        stage2.push_back("sum(" + QuoteIdentifier(kJoined) + "." + count + ") AS " + count);
      } else {
        const char* f = part == Part::kMin ? "min" : "max";
        select.push_back(std::string(f) + "(" + value + ") AS " + name);
        stage2.push_back(std::string(f) + "(" + j + ") AS " + name);
      }
    }
  }
  std::string joined = "SELECT " + Join(select, ", ") + " FROM (SELECT 0 AS " + side + ", * FROM " + before +
                       " UNION ALL BY NAME SELECT 1 AS " + side + ", * FROM " + after + ") AS " + a;
  for (const auto& j : joins) joined += j;
  joined += " GROUP BY ALL";
  const std::string j = QuoteIdentifier(kJoined);
  std::vector<std::string> out{SetLabel(design) + " AS " + QuoteIdentifier("__SET")};
  for (const auto& c : RollupAttributeColumns(design)) out.push_back(j + "." + QuoteIdentifier(c));
  out.insert(out.end(), stage2.begin(), stage2.end());
  return "WITH " + j + " AS (" + joined + ") SELECT " + Join(out, ", ") + " FROM " + j + " GROUP BY " +
         GroupingSets(design);
}

std::string RollupMergeSelect(const FactTable& fact, const RollupDesign& design, const std::string& changes,
                              const std::string& previous, const std::vector<std::string>& inexact) {
  const std::string c = QuoteIdentifier("c"), p = QuoteIdentifier("p");
  auto col = [](const std::string& alias, const std::string& name) { return alias + "." + QuoteIdentifier(name); };
  std::vector<std::string> out{col(c, "__SET")}, dirty, on{col(p, "__SET") + " = " + col(c, "__SET")};
  for (const auto& attribute : RollupAttributeColumns(design)) {
    out.push_back(col(c, attribute));
    on.push_back(col(p, attribute) + " IS NOT DISTINCT FROM " + col(c, attribute));
  }
  std::map<std::string, std::string> value;  // new value of each updated column
  for (const auto& [column, part] : UpdatedColumns(fact)) {
    const std::string prev = col(p, column), b = col(c, Side(column, "b")), a = col(c, Side(column, "a"));
    if (part == Part::kCount) {
      value[column] = "coalesce(" + prev + ", 0) - coalesce(" + b + ", 0) + coalesce(" + a + ", 0)";
    } else if (part == Part::kAdditive) {
      const std::string bn = "coalesce(" + col(c, Side(column, "bn")) + ", 0)";
      const std::string an = "coalesce(" + col(c, Side(column, "an")) + ", 0)";
      // Without a previous value nothing outside the touched rows counts; with one, the result stays non-NULL
      // when the after side has a value or the before side had none (then the previous value came from rows
      // outside); only "every non-NULL value removed, none added" is unknown (NULL or the rest's sum).
      value[column] = "CASE WHEN " + prev + " IS NULL THEN " + a + " WHEN " + an + " > 0 OR " + bn + " = 0 THEN " +
                      prev + " - coalesce(" + b + ", 0) + coalesce(" + a + ", 0) END";
      if (std::find(inexact.begin(), inexact.end(), column) != inexact.end()) {
        dirty.push_back("true");
      } else {
        dirty.push_back("(" + prev + " IS NOT NULL AND " + bn + " > 0 AND " + an + " = 0)");
      }
    } else {
      const std::string beats = part == Part::kMin ? " < " : " > ";
      const std::string reaches = part == Part::kMin ? " <= " : " >= ";
      value[column] = "CASE WHEN " + prev + " IS NULL THEN " + a + " WHEN " + a + " IS NULL THEN " + prev +
                      " WHEN " + a + beats + prev + " THEN " + a + " ELSE " + prev + " END";
      // The previous extreme may have been in a removed row, and no added row reaches it: unknown.
      dirty.push_back("(" + b + " IS NOT NULL AND " + prev + " IS NOT NULL AND " + b + reaches + prev +
                      " AND NOT coalesce(" + a + reaches + prev + ", false))");
    }
  }
  out.push_back(value.at("__ROWS") + " AS " + QuoteIdentifier("__ROWS"));
  for (const FactMeasure& m : fact.measures) {
    const std::string name = QuoteIdentifier(m.column);
    switch (m.aggregate) {
      case Aggregate::kSum:
      case Aggregate::kMin:
      case Aggregate::kMax:
        out.push_back(value.at(m.column) + " AS " + name);
        break;
      case Aggregate::kCount:
        out.push_back("CAST(" + value.at(m.column) + " AS BIGINT) AS " + name);
        break;
      case Aggregate::kAverageOfChildren: {
        const std::string sum = value.at(AggregateSumColumn(m));
        const std::string count = "CAST(" + value.at(AggregateCountColumn(m)) + " AS BIGINT)";
        out.push_back("CAST(" + sum + " AS DOUBLE) / " + count + " AS " + name);
        out.push_back(sum + " AS " + QuoteIdentifier(AggregateSumColumn(m)));
        out.push_back(count + " AS " + QuoteIdentifier(AggregateCountColumn(m)));
        break;
      }
      case Aggregate::kDistinctCount:
        break;
    }
  }
  if (dirty.empty()) dirty.push_back("false");  // counts only: every value is known
  out.push_back("(" + Join(dirty, " OR ") + ") AS " + QuoteIdentifier("__cdmlake_dirty"));
  return "SELECT " + Join(out, ", ") + " FROM " + changes + " AS " + c + " LEFT JOIN " + previous + " AS " + p +
         " ON " + Join(on, " AND ");
}

std::string RollupGroupRows(const RollupDesign& design, const std::string& groups, const std::string& aggregate,
                            const std::map<std::string, std::string>& dimensions) {
  const std::vector<std::pair<size_t, size_t>> sets = RollupSets(design);
  if (sets.size() > 62) return "SELECT * FROM " + aggregate;  // one bit per set: too many sets to mark
  const std::string a = QuoteIdentifier("a"), d = QuoteIdentifier("d"), set = QuoteIdentifier("__SET");
  int64_t all = 0;
  for (size_t i = 0; i < sets.size(); ++i) all |= int64_t{1} << i;
  std::vector<std::string> joins, masks;
  for (size_t m = 0; m < design.members.size(); ++m) {
    const RollupMember& member = design.members[m];
    int64_t mine = 0;
    std::string bit = "CASE " + d + "." + set;
    std::vector<std::string> labels;
    for (size_t i = 0; i < sets.size(); ++i) {
      if (sets[i].first != m && sets[i].second != m) continue;
      mine |= int64_t{1} << i;
      const std::string label = QuoteLiteral(RollupSetLabel(design, sets[i].first, sets[i].second));
      labels.push_back(label);
      bit += " WHEN " + label + " THEN " + std::to_string(int64_t{1} << i);
    }
    bit += " ELSE 0 END";
    const std::string others = std::to_string(all & ~mine);
    const std::string alias = QuoteIdentifier("__cdmlake_mask_" + std::to_string(m));
    const std::string mask = QuoteIdentifier("__cdmlake_mask");
    std::vector<std::string> attributes, match;
    for (const auto& attribute : member.attributes) {
      const std::string column = QuoteIdentifier(RollupColumnName(member.name, attribute));
      attributes.push_back(d + "." + column);
    }
    if (member.dimension_table.empty()) {
      // The fact's own attributes are columns of the aggregate: the masks by their values.
      std::vector<std::string> select, on;
      for (size_t i = 0; i < member.attributes.size(); ++i) {
        const std::string column = QuoteIdentifier("__cdmlake_value_" + std::to_string(i));
        select.push_back(attributes[i] + " AS " + column);
        on.push_back(a + "." + QuoteIdentifier(member.attributes[i]) + " IS NOT DISTINCT FROM " + alias + "." + column);
      }
      joins.push_back(" LEFT JOIN (SELECT " + Join(select, ", ") + ", bit_or(" + bit + ") AS " + mask + " FROM " +
                      groups + " AS " + d + " WHERE " + d + "." + set + " IN (" + Join(labels, ", ") +
                      ") GROUP BY ALL) AS " + alias + " ON " + Join(on, " AND "));
      masks.push_back("(coalesce(" + alias + "." + mask + ", 0) | " + others + ")");
      continue;
    }
    // A dimension member: the masks by dimension key. A key the dimension does not have gives NULL attributes,
    // so it may belong to the groups whose attributes of this member are all NULL (over-selecting is harmless:
    // only the groups' own rows are kept in the end).
    const std::string t = QuoteIdentifier("t"), key = QuoteIdentifier(member.key_column);
    std::vector<std::string> on, nulls;
    for (size_t i = 0; i < member.attributes.size(); ++i) {
      on.push_back(t + "." + QuoteIdentifier(member.attributes[i]) + " IS NOT DISTINCT FROM " + attributes[i]);
      nulls.push_back(attributes[i] + " IS NULL");
    }
    joins.push_back(" LEFT JOIN (SELECT " + t + "." + key + ", bit_or(" + bit + ") AS " + mask + " FROM " +
                    dimensions.at(member.dimension_table) + " AS " + t + " JOIN " + groups + " AS " + d + " ON " +
                    d + "." + set + " IN (" + Join(labels, ", ") + ") AND " + Join(on, " AND ") + " GROUP BY ALL) AS " +
                    alias + " ON " + a + "." + key + " = " + alias + "." + key);
    const std::string null_mask = "(SELECT coalesce(bit_or(" + bit + "), 0) FROM " + groups + " AS " + d + " WHERE " +
                                  d + "." + set + " IN (" + Join(labels, ", ") + ") AND " + Join(nulls, " AND ") + ")";
    masks.push_back("(coalesce(" + alias + "." + mask + ", " + null_mask + ") | " + others + ")");
  }
  std::string sql = "SELECT " + a + ".* FROM " + aggregate + " AS " + a;
  for (const auto& j : joins) sql += j;
  return sql + " WHERE (" + Join(masks, " & ") + ") <> 0";
}

namespace {

// The join condition of two relations holding rollup rows: the same set and attribute values (NULL included).
std::string SameGroup(const RollupDesign& design, const std::string& x, const std::string& y) {
  std::string on = x + "." + QuoteIdentifier("__SET") + " = " + y + "." + QuoteIdentifier("__SET");
  for (const auto& column : RollupAttributeColumns(design)) {
    on += " AND " + x + "." + QuoteIdentifier(column) + " IS NOT DISTINCT FROM " + y + "." + QuoteIdentifier(column);
  }
  return on;
}

}  // namespace

std::string RollupDirtySelect(const RollupDesign& design, const std::string& merged) {
  std::vector<std::string> columns{QuoteIdentifier("__SET")};
  for (const auto& c : RollupAttributeColumns(design)) columns.push_back(QuoteIdentifier(c));
  return "SELECT " + Join(columns, ", ") + " FROM " + merged + " WHERE " + QuoteIdentifier("__ROWS") + " > 0 AND " +
         QuoteIdentifier("__cdmlake_dirty");
}

std::string RollupRecomputeSelect(const FactTable& fact, const RollupDesign& design, const std::string& groups,
                                  const std::string& aggregate, const std::map<std::string, std::string>& dimensions,
                                  bool restrict_rows) {
  const std::string rows =
      restrict_rows ? "(" + RollupGroupRows(design, groups, aggregate, dimensions) + ")" : aggregate;
  return "SELECT " + QuoteIdentifier("r") + ".* FROM (" + RollupSelect(fact, design, rows, dimensions) + ") AS " +
         QuoteIdentifier("r") + " SEMI JOIN " + groups + " AS " + QuoteIdentifier("g") + " ON " +
         SameGroup(design, QuoteIdentifier("r"), QuoteIdentifier("g"));
}

std::string RollupUpdatedSelect(const RollupDesign& design,
                                const std::vector<std::pair<std::string, std::string>>& columns,
                                const std::string& previous, const std::string& merged,
                                const std::string& recomputed) {
  std::vector<std::string> list, typed;
  for (const auto& [name, type] : columns) {
    list.push_back(QuoteIdentifier(name));
    typed.push_back("CAST(" + QuoteIdentifier(name) + " AS " + type + ") AS " + QuoteIdentifier(name));
  }
  const std::string p = QuoteIdentifier("p"), m = QuoteIdentifier("m");
  std::string parts = "SELECT " + Join(list, ", ") + " FROM " + previous + " AS " + p + " ANTI JOIN " + merged +
                      " AS " + m + " ON " + SameGroup(design, p, m) + " UNION ALL SELECT " + Join(list, ", ") +
                      " FROM " + merged + " WHERE " + QuoteIdentifier("__ROWS") + " > 0 AND NOT " +
                      QuoteIdentifier("__cdmlake_dirty");
  if (!recomputed.empty()) parts += " UNION ALL SELECT " + Join(list, ", ") + " FROM " + recomputed;
  return "SELECT " + Join(typed, ", ") + " FROM (" + parts + ") ORDER BY " + QuoteIdentifier("__SET");
}

std::optional<RollupDesign> RollupDesignFromColumns(const FactTable& fact, const StarSchema& schema,
                                                    const std::vector<std::string>& columns) {
  std::vector<RollupMember> candidates = RollupCandidates(fact, schema);
  RollupDesign design;
  for (const auto& column : columns) {
    size_t split = column.find("__");
    if (split == std::string::npos || split == 0) continue;  // __SET, __ROWS, measures
    std::string member = column.substr(0, split), attribute = column.substr(split + 2);
    auto candidate = std::find_if(candidates.begin(), candidates.end(),
                                  [&](const RollupMember& m) { return m.name == member; });
    if (candidate == candidates.end()) {
      // A measure's partial state (AVERAGEPRICE__SUM) is not a member column.
      if (attribute == "SUM" || attribute == "COUNT") continue;
      return std::nullopt;
    }
    if (std::find(candidate->attributes.begin(), candidate->attributes.end(), attribute) ==
        candidate->attributes.end()) {
      return std::nullopt;  // written for other metadata: the measurement changed since
    }
    if (design.members.empty() || design.members.back().name != member) {
      design.members.push_back({candidate->name, candidate->dimension_table, candidate->key_column, {}});
    }
    design.members.back().attributes.push_back(attribute);
  }
  if (design.members.empty()) return std::nullopt;
  return design;
}

}  // namespace cdmlake::entitystore
