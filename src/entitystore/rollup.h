// Rollups: coarse pre-aggregates of a fact that answer the common cube queries ("sales by year and country") in
// milliseconds, where the aggregate table (<M>_<MG>_AGG, grouped by every dimension key) is often as large as the
// fact itself (in the sample, 9.70 M groups for 9.70 M lines).
//
// Design (like an SSAS aggregation design, chosen from the data at processing time):
//  - A *member* is a dimension reference (role) of the fact, or the fact's own degenerate attributes (named by the
//    measure group). For each member, the attributes kept are chosen greedily by ascending cardinality while the
//    member's distinct combinations of them stay within a budget (kRollupMemberBudget): YEAR, QUARTER, MONTH and
//    DAYOFWEEK of a calendar, COUNTRY and CUSTOMERGROUP of a customer; never a key-like attribute.
//  - The rollup entity <M>_<MG>_ROLLUP holds one grouping set per pair of members (every member alone when there
//    is only one), each grouped by the kept attributes of its two members; the column __SET names the set
//    ("CreatedDate|Customer", members in design order). Columns are "<Member>__<Attribute>", then __ROWS and the
//    additive measures in the aggregate table's form (sums, counts, min, max, and AverageOfChildren as __SUM and
//    __COUNT). DistinctCount measures are not in it: they are not additive.
// A query grouped or filtered by attributes of at most two members, all kept, with additive measures, is answered
// from the one set that holds those members (cube_query.h). Rows are ordered by __SET, so Parquet readers skip the
// other sets by their row-group statistics.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "entitystore/star_schema.h"

namespace cdmlake::entitystore {

// The largest number of distinct attribute combinations a member may keep.
inline constexpr int64_t kRollupMemberBudget = 1000;

struct RollupMember {
  std::string name;                     // the dimension reference, or the measure group for degenerate attributes
  std::string dimension_table;          // "" for the fact's degenerate attributes
  std::string key_column;               // the FK column joining the dimension ("" for degenerate attributes)
  std::vector<std::string> attributes;  // the attributes kept, in the order chosen
};

struct RollupDesign {
  std::vector<RollupMember> members;  // only members that keep at least one attribute
};

// "<M>_<MG>_ROLLUP".
std::string RollupEntityName(const FactTable& fact);
// "<Member>__<Attribute>".
std::string RollupColumnName(const std::string& member, const std::string& attribute);
// The value of __SET for the set of members a and b (indices into design.members, a <= b; a == b for a design of
// one member).
std::string RollupSetLabel(const RollupDesign& design, size_t a, size_t b);
// The sets of a design as index pairs, in the order they are written.
std::vector<std::pair<size_t, size_t>> RollupSets(const RollupDesign& design);

// Chooses one member's attributes. `cardinality(attrs)` returns the number of distinct combinations of the given
// attributes in the member's table (NULL counts as a value). Candidates are tried by ascending single-attribute
// cardinality, then name; one is kept when the combination with those already kept stays within `budget`.
std::vector<std::string> ChooseRollupAttributes(
    const std::vector<std::string>& candidates,
    const std::function<int64_t(const std::vector<std::string>&)>& cardinality, int64_t budget);

// The members a fact could have, with every candidate attribute (before ChooseRollupAttributes): its dimension
// references in order, then its degenerate attributes.
std::vector<RollupMember> RollupCandidates(const FactTable& fact, const StarSchema& schema);

// The SQL (one SELECT) computing the rollup from the fact's aggregate table `aggregate` and its dimension tables
// (`dimensions`: dimension table name -> relation). A design without members gives the grand total alone (set "").
std::string RollupSelect(const FactTable& fact, const RollupDesign& design, const std::string& aggregate,
                         const std::map<std::string, std::string>& dimensions);

// Reads a design back from the columns of a written rollup entity (for queries); nullopt when the columns do not
// belong to this fact's rollup.
std::optional<RollupDesign> RollupDesignFromColumns(const FactTable& fact, const StarSchema& schema,
                                                    const std::vector<std::string>& columns);

// Updating a rollup per touched group (processor.cc, after a fact was updated from changed rows). The previous
// rollup's design is kept (RollupDesignFromColumns); the caller checks that the increment would not choose
// another one (no dimension of the fact rewritten, the degenerate attributes chosen alike from the new aggregate).
//
//  1. RollupChangeSelect: the previous aggregate rows of the touched aggregate groups (`before`) and their new
//     rows (`after`; a group whose rows were all deleted has none) joined to the dimensions and grouped by the
//     rollup's grouping sets. Per rollup group it gives, for each additive column (__ROWS, Sum, Count, the
//     __SUM/__COUNT of AverageOfChildren) the sums and the numbers of non-NULL values on both sides
//     ("<col>__cdmlake_b", "_bn", "_a", "_an"), and for Min and Max the extremes of both sides.
//  2. RollupMergeSelect: those rows with the previous rollup rows of the same groups. An additive column is
//     previous - before + after (exact for integers and decimals; a NULL previous value means no non-NULL value
//     outside the touched rows). A Min (Max) stays exact as min(previous, after) unless the before side held
//     the previous extreme and the after side does not reach it; such groups, a Sum whose only non-NULL values
//     were removed, and every touched group of a column listed in `inexact` (floating sums, whose deltas do not
//     give the full process's bits) are flagged __cdmlake_dirty and recomputed from the new aggregate. A group
//     whose __ROWS becomes 0 disappears, as in a full process; a group without a previous row is new.
// Both give "<Member>__<Attribute>" columns as the rollup does (NULL outside the row's set).
std::string RollupChangeSelect(const FactTable& fact, const RollupDesign& design, const std::string& before,
                               const std::string& after, const std::map<std::string, std::string>& dimensions);
std::string RollupMergeSelect(const FactTable& fact, const RollupDesign& design, const std::string& changes,
                              const std::string& previous, const std::vector<std::string>& inexact);
// The rows of `aggregate` that belong to one of `groups` (rows of a rollup: __SET and the attribute columns),
// or to a few more: each member's dimension keys are marked with the sets of the groups their attributes
// match, and a row is kept when both members of one set marked it. Recomputing the groups from these rows is
// exact and reads the aggregate once with small joins, instead of grouping all of it.
std::string RollupGroupRows(const RollupDesign& design, const std::string& groups, const std::string& aggregate,
                            const std::map<std::string, std::string>& dimensions);
// The groups of `merged` (a RollupMergeSelect) that must be recomputed: __SET and the attribute columns.
std::string RollupDirtySelect(const RollupDesign& design, const std::string& merged);
// The rollup rows of `groups` (a RollupDirtySelect), recomputed from the new aggregate, first restricted to the
// rows of those groups (RollupGroupRows) when `restrict_rows` (worth it when the groups hold few of the rows).
std::string RollupRecomputeSelect(const FactTable& fact, const RollupDesign& design, const std::string& groups,
                                  const std::string& aggregate, const std::map<std::string, std::string>& dimensions,
                                  bool restrict_rows = true);
// The updated rollup: the previous rows of untouched groups, the merged rows that are known, the recomputed
// ones ("" when there are none), as `columns` (name, type: the full process's), ordered by __SET.
std::string RollupUpdatedSelect(const RollupDesign& design,
                                const std::vector<std::pair<std::string, std::string>>& columns,
                                const std::string& previous, const std::string& merged, const std::string& recomputed);
// The rollup's attribute columns in order (without __SET).
std::vector<std::string> RollupAttributeColumns(const RollupDesign& design);
// The names of the rollup's additive columns (the ones updated by deltas).
std::vector<std::string> RollupAdditiveColumns(const FactTable& fact);

}  // namespace cdmlake::entitystore
