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

// The columns the base groups a member by: for a dimension member one id per combination of its kept
// attributes ("<Member>__cdmlake_id", see MemberTables), so the base and its grouping sets group by a few
// integers instead of every attribute; the fact's own attributes as they are.
std::vector<std::string> MemberGroupColumns(const RollupMember& m) {
  if (!m.dimension_table.empty()) return {RollupMemberIdColumn(m)};
  std::vector<std::string> out;
  for (const auto& attribute : m.attributes) out.push_back(RollupColumnName(m.name, attribute));
  return out;
}

// The __SET label of a grouping-sets row over the base: the members the row is grouped by.
std::string SetLabel(const RollupDesign& design) {
  std::vector<std::string> labels;
  for (const RollupMember& m : design.members) {
    labels.push_back("CASE WHEN GROUPING(" + QuoteIdentifier(MemberGroupColumns(m)[0]) + ") = 0 THEN " +
                     QuoteLiteral(m.name) + " END");
  }
  return "concat_ws('|', " + Join(labels, ", ") + ")";
}

std::string GroupingSets(const RollupDesign& design) {
  std::vector<std::string> sets;
  for (const auto& [x, y] : RollupSets(design)) {
    std::vector<std::string> set;
    for (size_t i : std::set<size_t>{x, y}) {
      for (const auto& column : MemberGroupColumns(design.members[i])) set.push_back(QuoteIdentifier(column));
    }
    sets.push_back("(" + Join(set, ", ") + ")");
  }
  return "GROUPING SETS (" + Join(sets, ", ") + ")";
}

std::string TuplesName(size_t member) { return QuoteIdentifier("__cdmlake_tuples_" + std::to_string(member)); }
std::string KeysName(size_t member) { return QuoteIdentifier("__cdmlake_keys_" + std::to_string(member)); }

// The common table expressions numbering each dimension member's attribute combinations: "__cdmlake_tuples_<i>"
// (the distinct combinations in the dimension and the all-NULL one, a key's attributes when the dimension lacks
// it, numbered in sort order: the same dimension gives the same ids in every run) and, with `keys`,
// "__cdmlake_keys_<i>" (each dimension key with its combination's id). "" when no member has a dimension.
std::string MemberTables(const RollupDesign& design, const std::map<std::string, std::string>& dimensions, bool keys) {
  std::vector<std::string> ctes;
  for (size_t i = 0; i < design.members.size(); ++i) {
    const RollupMember& m = design.members[i];
    if (m.dimension_table.empty()) continue;
    const std::string& dimension = dimensions.at(m.dimension_table);
    std::vector<std::string> attributes, nulls, order, same;
    for (const auto& attribute : m.attributes) {
      const std::string q = QuoteIdentifier(attribute);
      attributes.push_back(q);
      nulls.push_back("NULL AS " + q);
      order.push_back(q + " ASC NULLS FIRST");
      same.push_back("d." + q + " IS NOT DISTINCT FROM t." + q);
    }
    ctes.push_back(TuplesName(i) + " AS (SELECT " + Join(attributes, ", ") + ", dense_rank() OVER (ORDER BY " +
                   Join(order, ", ") + ") AS " + QuoteIdentifier("__cdmlake_id") + " FROM (SELECT " +
                   Join(attributes, ", ") + " FROM " + dimension + " UNION SELECT " + Join(nulls, ", ") + "))");
    if (keys) {
      const std::string key = QuoteIdentifier(m.key_column);
      ctes.push_back(KeysName(i) + " AS (SELECT d." + key + ", t." + QuoteIdentifier("__cdmlake_id") + " FROM " +
                     dimension + " AS d JOIN " + TuplesName(i) + " AS t ON " + Join(same, " AND ") + ")");
    }
  }
  return ctes.empty() ? "" : "WITH " + Join(ctes, ", ") + " ";
}

// The aggregate (as "a") joined to the members' key ids: the select list of the base's group columns and the
// joins. A key the dimension lacks takes the all-NULL combination's id, as its attributes would be NULL.
std::pair<std::vector<std::string>, std::string> JoinedGroups(const RollupDesign& design) {
  const std::string a = QuoteIdentifier("a"), id = QuoteIdentifier("__cdmlake_id");
  std::vector<std::string> select;
  std::string joins;
  for (size_t i = 0; i < design.members.size(); ++i) {
    const RollupMember& m = design.members[i];
    if (m.dimension_table.empty()) {
      for (const auto& attribute : m.attributes) {
        select.push_back(a + "." + QuoteIdentifier(attribute) + " AS " +
                         QuoteIdentifier(RollupColumnName(m.name, attribute)));
      }
      continue;
    }
    const std::string alias = QuoteIdentifier(m.name), key = QuoteIdentifier(m.key_column);
    joins += " LEFT JOIN " + KeysName(i) + " AS " + alias + " ON " + a + "." + key + " = " + alias + "." + key;
    std::vector<std::string> all_null;
    for (const auto& attribute : m.attributes) all_null.push_back(QuoteIdentifier(attribute) + " IS NULL");
    select.push_back("coalesce(" + alias + "." + id + ", (SELECT " + id + " FROM " + TuplesName(i) + " WHERE " +
                     Join(all_null, " AND ") + ")) AS " + QuoteIdentifier(MemberGroupColumns(m)[0]));
  }
  return {select, joins};
}

}  // namespace

std::string RollupEntityName(const FactTable& fact) { return fact.name + "_ROLLUP"; }

std::string RollupMemberIdColumn(const RollupMember& member) { return member.name + "__cdmlake_id"; }

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

namespace {

// kCount: counts (never NULL in the aggregate); kAdditive: sums (NULL when every value is).
enum class Part { kCount, kAdditive, kMin, kMax };

// The base's measure columns, in order, with how an increment updates them: the additive partial states, and
// Min and Max.
std::vector<std::pair<std::string, Part>> BaseColumns(const FactTable& fact) {
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

// "<col>__cdmlake_<what>": the base's extreme states and the columns of a change or merge.
std::string Side(const std::string& column, const char* what) { return column + "__cdmlake_" + what; }

// The extremes kept of a Min (Max) column's values, sorted from the extreme.
std::string SortFromExtreme(Part part, const std::string& list) {
  return "list_slice(" + std::string(part == Part::kMin ? "list_sort(" : "list_reverse_sort(") + list + "), 1, " +
         std::to_string(kRollupExtremes) + ")";
}

// A merged group that still has rows but lost every extreme it kept.
std::string DirtyCondition() {
  return "coalesce(" + QuoteIdentifier("__ROWS") + " > 0 AND " + QuoteIdentifier("__cdmlake_dirty") + ", false)";
}

// The join condition of two relations holding rows of the base: the same group, NULL included.
std::string SameGroup(const RollupDesign& design, const std::string& x, const std::string& y) {
  std::vector<std::string> on;
  for (const auto& column : RollupBaseGroupColumns(design)) {
    on.push_back(x + "." + QuoteIdentifier(column) + " IS NOT DISTINCT FROM " + y + "." + QuoteIdentifier(column));
  }
  return on.empty() ? "true" : Join(on, " AND ");
}

}  // namespace

std::string RollupBaseSelect(const FactTable& fact, const RollupDesign& design, const std::string& aggregate,
                             const std::map<std::string, std::string>& dimensions, bool state) {
  const std::string a = QuoteIdentifier("a");
  auto [select, joins] = JoinedGroups(design);
  for (const auto& measure : MergedMeasures(fact, a, false)) select.push_back(measure);
  if (state) {
    for (const auto& [column, part] : BaseColumns(fact)) {
      if (part == Part::kCount) continue;  // never NULL
      const std::string value = a + "." + QuoteIdentifier(column);
      select.push_back("count(" + value + ") AS " + QuoteIdentifier(Side(column, "n")));
      if (part == Part::kAdditive) continue;
      select.push_back(SortFromExtreme(part, "list(" + value + ") FILTER (WHERE " + value + " IS NOT NULL)") +
                       " AS " + QuoteIdentifier(Side(column, "k")));
    }
  }
  return MemberTables(design, dimensions, true) + "SELECT " + Join(select, ", ") + " FROM " + aggregate + " AS " + a +
         joins + " GROUP BY ALL";
}

std::string RollupBaseGroupsSelect(const FactTable& fact, const RollupDesign& design, const std::string& aggregate,
                                   const std::map<std::string, std::string>& dimensions, const std::string& groups) {
  // The aggregate rows whose keys belong to a listed group's combination, member by member (a superset of the
  // groups' rows: the combinations are checked per member, not together), before the join and the grouping. A
  // key the dimension lacks belongs to the all-NULL combination, so it always passes; the semi-join at the end
  // keeps exactly the groups listed.
  const std::string x = QuoteIdentifier("x"), id = QuoteIdentifier("__cdmlake_id");
  std::vector<std::string> filters;
  for (size_t i = 0; i < design.members.size(); ++i) {
    const RollupMember& m = design.members[i];
    if (m.dimension_table.empty()) continue;
    const std::string key = QuoteIdentifier(m.key_column);
    filters.push_back("(" + x + "." + key + " IN (SELECT " + key + " FROM " + KeysName(i) + " WHERE " + id +
                      " IN (SELECT " + QuoteIdentifier(MemberGroupColumns(m)[0]) + " FROM " + groups + ")) OR " +
                      x + "." + key + " IS NULL OR " + x + "." + key + " NOT IN (SELECT " + key + " FROM " +
                      KeysName(i) + "))");
  }
  const std::string restricted = "(SELECT * FROM " + aggregate + " AS " + x +
                                 (filters.empty() ? "" : " WHERE " + Join(filters, " AND ")) + ")";
  const std::string r = QuoteIdentifier("r"), d = QuoteIdentifier("d");
  return "SELECT " + r + ".* FROM (" + RollupBaseSelect(fact, design, restricted, dimensions, true) + ") AS " + r +
         " SEMI JOIN " + groups + " AS " + d + " ON " + SameGroup(design, r, d);
}

std::string RollupMemberKeysSelect(const RollupDesign& design, const std::map<std::string, std::string>& dimensions,
                                   size_t member, const std::string& groups) {
  const RollupMember& m = design.members.at(member);
  const std::string key = QuoteIdentifier(m.key_column), id = QuoteIdentifier("__cdmlake_id");
  const std::string listed = id + " IN (SELECT " + QuoteIdentifier(MemberGroupColumns(m)[0]) + " FROM " + groups + ")";
  std::vector<std::string> all_null;
  for (const auto& attribute : m.attributes) all_null.push_back(QuoteIdentifier(attribute) + " IS NULL");
  return MemberTables(design, dimensions, true) + "SELECT " + key + " FROM " + KeysName(member) + " WHERE " + listed +
         " UNION ALL SELECT NULL FROM " + TuplesName(member) + " WHERE " + Join(all_null, " AND ") + " AND " + listed;
}

std::string RollupBaseBucketsSelect(const RollupDesign& design, const std::map<std::string, std::string>& dimensions,
                                    size_t member, const std::string& key_bucket) {
  const RollupMember& m = design.members.at(member);
  const std::string id = QuoteIdentifier("__cdmlake_id"), bucket = QuoteIdentifier("__cdmlake_key_bucket");
  return MemberTables(design, dimensions, true) + "SELECT t." + id + " AS " +
         QuoteIdentifier(MemberGroupColumns(m)[0]) + ", coalesce(min(" + bucket + "), 'none') AS " +
         QuoteIdentifier("__cdmlake_bucket") + " FROM " + TuplesName(member) + " AS t LEFT JOIN (SELECT " +
         key_bucket + " AS " + bucket + ", " + id + " FROM " + KeysName(member) + ") AS k USING (" + id +
         ") GROUP BY t." + id;
}

std::string RollupBaseDirtySelect(const RollupDesign& design, const std::string& merged) {
  std::vector<std::string> groups;
  for (const auto& c : RollupBaseGroupColumns(design)) groups.push_back(QuoteIdentifier(c));
  return "SELECT " + Join(groups, ", ") + " FROM " + merged + " WHERE " + DirtyCondition();
}

std::string RollupBaseRepairedSelect(const FactTable& fact, const RollupDesign& design,
                                     const std::vector<std::pair<std::string, std::string>>& columns,
                                     const std::string& merged, const std::string& dirty, const std::string& aggregate,
                                     const std::map<std::string, std::string>& dimensions) {
  std::vector<std::string> list;
  for (const auto& [name, type] : columns) list.push_back(QuoteIdentifier(name));
  return "SELECT " + Join(list, ", ") + " FROM " + merged + " WHERE NOT " + DirtyCondition() + " UNION ALL SELECT " +
         Join(list, ", ") + " FROM (" + RollupBaseGroupsSelect(fact, design, aggregate, dimensions, dirty) + ")";
}

std::string RollupFromBaseSelect(const FactTable& fact, const RollupDesign& design, const std::string& base,
                                 const std::map<std::string, std::string>& dimensions) {
  const std::string j = QuoteIdentifier(kJoined), g = QuoteIdentifier("g");
  std::vector<std::string> grouped{SetLabel(design) + " AS " + QuoteIdentifier("__SET")};
  for (const auto& c : RollupBaseGroupColumns(design)) grouped.push_back(j + "." + QuoteIdentifier(c));
  for (const auto& measure : MergedMeasures(fact, j, true)) grouped.push_back(measure);
  // The grouping sets by ids, then each id's attributes (a row of a set without the member has no id: NULL).
  std::vector<std::string> out{g + "." + QuoteIdentifier("__SET")}, group_columns{QuoteIdentifier("__SET")};
  std::string joins;
  for (size_t i = 0; i < design.members.size(); ++i) {
    const RollupMember& m = design.members[i];
    for (const auto& c : MemberGroupColumns(m)) group_columns.push_back(QuoteIdentifier(c));
    if (m.dimension_table.empty()) {
      for (const auto& attribute : m.attributes) {
        out.push_back(g + "." + QuoteIdentifier(RollupColumnName(m.name, attribute)));
      }
      continue;
    }
    const std::string t = QuoteIdentifier("t" + std::to_string(i));
    joins += " LEFT JOIN " + TuplesName(i) + " AS " + t + " ON " + g + "." + QuoteIdentifier(MemberGroupColumns(m)[0]) +
             " = " + t + "." + QuoteIdentifier("__cdmlake_id");
    for (const auto& attribute : m.attributes) {
      out.push_back(t + "." + QuoteIdentifier(attribute) + " AS " +
                    QuoteIdentifier(RollupColumnName(m.name, attribute)));
    }
  }
  out.push_back(g + ".* EXCLUDE (" + Join(group_columns, ", ") + ")");
  return MemberTables(design, dimensions, false) + "SELECT " + Join(out, ", ") + " FROM (SELECT " +
         Join(grouped, ", ") + " FROM " + base + " AS " + j + " GROUP BY " + GroupingSets(design) + ") AS " + g +
         joins + " ORDER BY " + g + "." + QuoteIdentifier("__SET");
}

std::string RollupSelect(const FactTable& fact, const RollupDesign& design, const std::string& aggregate,
                         const std::map<std::string, std::string>& dimensions) {
  if (design.members.empty()) {  // no attribute is coarse enough: the grand total only
    const std::string a = QuoteIdentifier("a");
    return "SELECT '' AS " + QuoteIdentifier("__SET") + ", " + Join(MergedMeasures(fact, a, true), ", ") +
           " FROM " + aggregate + " AS " + a;
  }
  // Stage 1, the base, has far fewer rows than the aggregate, so the grouping sets of stage 2 start small.
  return RollupFromBaseSelect(fact, design, "(" + RollupBaseSelect(fact, design, aggregate, dimensions, false) + ")",
                              dimensions);
}

std::vector<std::string> RollupBaseGroupColumns(const RollupDesign& design) {
  std::vector<std::string> out;
  for (const RollupMember& m : design.members) {
    for (const auto& c : MemberGroupColumns(m)) out.push_back(c);
  }
  return out;
}

std::vector<std::string> RollupAttributeColumns(const RollupDesign& design) {
  std::vector<std::string> out;
  for (const RollupMember& m : design.members) {
    for (const auto& attribute : m.attributes) out.push_back(RollupColumnName(m.name, attribute));
  }
  return out;
}

std::vector<std::string> RollupAdditiveColumns(const FactTable& fact) {
  std::vector<std::string> out;
  for (const auto& [column, part] : BaseColumns(fact)) {
    if (part == Part::kAdditive || part == Part::kCount) out.push_back(column);
  }
  return out;
}

std::string RollupBaseChangeSelect(const FactTable& fact, const RollupDesign& design, const std::string& before,
                                   const std::string& after, const std::map<std::string, std::string>& dimensions) {
  const std::string a = QuoteIdentifier("a"), side = QuoteIdentifier("__cdmlake_side");
  auto [select, joins] = JoinedGroups(design);
  for (const auto& [column, part] : BaseColumns(fact)) {
    for (const auto& [s, code] : {std::pair("b", "0"), std::pair("a", "1")}) {
      const std::string on_side = a + "." + side + " = " + code;
      const std::string value = a + "." + QuoteIdentifier(column);
      const std::string count = QuoteIdentifier(Side(column, std::string(s) == "b" ? "bn" : "an"));
      select.push_back("count(" + value + ") FILTER (WHERE " + on_side + ") AS " + count);
      if (part == Part::kAdditive || part == Part::kCount) {
        select.push_back("sum(" + value + ") FILTER (WHERE " + on_side + ") AS " + QuoteIdentifier(Side(column, s)));
      } else {
        const std::string list = std::string(s) == "b" ? "bk" : "ak";
        select.push_back("list(" + value + ") FILTER (WHERE " + on_side + " AND " + value + " IS NOT NULL) AS " +
                         QuoteIdentifier(Side(column, list.c_str())));
      }
    }
  }
  return MemberTables(design, dimensions, true) + "SELECT " + Join(select, ", ") + " FROM (SELECT 0 AS " + side +
         ", * FROM " + before + " UNION ALL BY NAME SELECT 1 AS " + side + ", * FROM " + after + ") AS " + a + joins +
         " GROUP BY ALL";
}

std::string RollupBaseMergeSelect(const FactTable& fact, const RollupDesign& design, const std::string& changes,
                                  const std::string& previous) {
  const std::string c = QuoteIdentifier("c"), p = QuoteIdentifier("p");
  auto col = [](const std::string& alias, const std::string& name) { return alias + "." + QuoteIdentifier(name); };
  auto name = [](const std::string& column, const char* what) { return QuoteIdentifier(Side(column, what)); };
  // Three levels, each naming what the next one reads: (1) the changes beside the previous state, the before
  // values taken out of the kept extremes; (2) the after values added and the list cut; (3) the values.
  std::vector<std::string> groups, level1, level2, level3, dirty;
  for (const auto& column : RollupBaseGroupColumns(design)) groups.push_back(QuoteIdentifier(column));
  for (const auto& group : groups) level1.push_back(c + "." + group);
  level2 = groups;
  level3 = groups;
  for (const auto& [column, part] : BaseColumns(fact)) {
    const std::string prev = col(p, column), b = col(c, Side(column, "b")), a = col(c, Side(column, "a"));
    const std::string quoted = QuoteIdentifier(column);
    if (part == Part::kCount) {
      level1.push_back("coalesce(" + prev + ", 0) - coalesce(" + b + ", 0) + coalesce(" + a + ", 0) AS " + quoted);
      level2.push_back(quoted);
      level3.push_back("CAST(" + quoted + " AS BIGINT) AS " + quoted);
    } else if (part == Part::kAdditive) {
      // NULL exactly when no aggregate row of the group holds a value: counted, so never unknown.
      const std::string n = name(column, "n");
      level1.push_back("coalesce(" + prev + ", 0) - coalesce(" + b + ", 0) + coalesce(" + a + ", 0) AS " + quoted);
      level1.push_back("coalesce(" + col(p, Side(column, "n")) + ", 0) - coalesce(" + col(c, Side(column, "bn")) +
                       ", 0) + coalesce(" + col(c, Side(column, "an")) + ", 0) AS " + n);
      level2.push_back(quoted);
      level2.push_back(n);
      level3.push_back("CASE WHEN " + n + " > 0 THEN " + quoted + " END AS " + quoted);
      level3.push_back(n);
    } else {
      // The kept extremes L (a prefix of the group's values sorted from the extreme) without the before values:
      // an occurrence of x is removed while the before side holds more x than L did before it. What stays is
      // still a prefix (the before values are values of the group), of the remaining n - bn values.
      const std::string kept = col(p, Side(column, "k"));
      const std::string removed = "list_filter(" + kept + ", lambda __cdmlake_x, __cdmlake_i: len(list_filter(" +
                                  kept + "[1:__cdmlake_i], lambda __cdmlake_y: __cdmlake_y = __cdmlake_x)) > " +
                                  "coalesce(len(list_filter(" + col(c, Side(column, "bk")) +
                                  ", lambda __cdmlake_y: __cdmlake_y = __cdmlake_x)), 0))";
      level1.push_back(removed + " AS " + name(column, "r"));
      level1.push_back("coalesce(" + col(p, Side(column, "n")) + ", 0) - coalesce(" + col(c, Side(column, "bn")) +
                       ", 0) AS " + name(column, "rn"));
      level1.push_back(col(c, Side(column, "ak")) + " AS " + name(column, "ak"));
      level1.push_back("coalesce(" + col(c, Side(column, "an")) + ", 0) AS " + name(column, "an"));
      level1.push_back(kept + "[-1] AS " + name(column, "t"));
      // After values join the prefix when it holds every remaining value, or when they sort no further than the
      // last value kept before (every value not kept was beyond it, so the list stays a prefix, even emptied).
      const std::string r = name(column, "r"), rn = name(column, "rn");
      const std::string within = part == Part::kMin ? " <= " : " >= ";
      const std::string added = "CASE WHEN coalesce(len(" + r + "), 0) = " + rn + " THEN " + name(column, "ak") +
                                " ELSE list_filter(" + name(column, "ak") + ", lambda __cdmlake_y: __cdmlake_y" +
                                within + name(column, "t") + ") END";
      level2.push_back(SortFromExtreme(part, "list_concat(" + r + ", " + added + ")") + " AS " + name(column, "k"));
      level2.push_back(rn + " + " + name(column, "an") + " AS " + name(column, "n"));
      const std::string k = name(column, "k"), n = name(column, "n");
      level3.push_back(k + "[1] AS " + quoted);
      level3.push_back(n);
      level3.push_back(k);
      dirty.push_back("(" + n + " > 0 AND coalesce(len(" + k + "), 0) = 0)");
    }
  }
  if (dirty.empty()) dirty.push_back("false");  // no Min or Max: every value is known
  level3.push_back("(" + Join(dirty, " OR ") + ") AS " + QuoteIdentifier("__cdmlake_dirty"));
  return "SELECT " + Join(level3, ", ") + " FROM (SELECT " + Join(level2, ", ") + " FROM (SELECT " +
         Join(level1, ", ") + " FROM " + changes + " AS " + c + " LEFT JOIN " + previous + " AS " + p + " ON " +
         SameGroup(design, p, c) + "))";
}

std::string RollupBaseUpdatedSelect(const RollupDesign& design,
                                    const std::vector<std::pair<std::string, std::string>>& columns,
                                    const std::string& previous, const std::string& merged) {
  std::vector<std::string> list, typed;
  for (const auto& [name, type] : columns) {
    list.push_back(QuoteIdentifier(name));
    typed.push_back("CAST(" + QuoteIdentifier(name) + " AS " + type + ") AS " + QuoteIdentifier(name));
  }
  const std::string p = QuoteIdentifier("p"), m = QuoteIdentifier("m");
  return "SELECT " + Join(typed, ", ") + " FROM (SELECT " + Join(list, ", ") + " FROM " + previous + " AS " + p +
         " ANTI JOIN " + merged + " AS " + m + " ON " + SameGroup(design, p, m) + " UNION ALL SELECT " +
         Join(list, ", ") + " FROM " + merged + " WHERE " + QuoteIdentifier("__ROWS") + " > 0)";
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
