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

// ---- The rollup's base: what an incremental process updates -------------------------------------------------
//
// The base is stage 1 of RollupSelect: the aggregate's rows joined to their dimensions and grouped by every kept
// attribute at once (through the ids of RollupBaseGroupColumns; in the sample 1.7 M groups for 9.7 M aggregate
// rows), with the additive partial states ("<col>": __ROWS, Sum, Count, and the __SUM and __COUNT of
// AverageOfChildren) and Min and Max. With its state,
// as a full process keeps it beside the rollup (processor.cc), it also holds per Sum "<col>__cdmlake_n", how many
// aggregate rows hold a non-NULL value, and per Min or Max that count and "<col>__cdmlake_k", the kRollupExtremes
// smallest (Min) or largest (Max) of those values, sorted from the extreme. The rollup is the base's grouping
// sets (RollupFromBaseSelect).
//
// After a fact was updated from changed rows (incremental_fact.h), the base is updated per touched group:
//  1. RollupBaseChangeSelect: the previous aggregate rows of the touched aggregate groups (`before`) and their new
//     rows (`after`) grouped as the base is: per additive column the sums and the numbers of non-NULL values of
//     both sides ("<col>__cdmlake_b", "_bn", "_a", "_an"), per Min or Max column the values of both sides
//     ("<col>__cdmlake_bk", "_ak", as lists) and their numbers ("_bn", "_an").
//  2. RollupBaseMergeSelect: those with the previous base rows of the same groups. An additive column is
//     previous - before + after, NULL when its count of values becomes 0 (exact for integers and decimals; the
//     caller recomputes facts whose sums are floating). A Min or Max list is a prefix of the group's values
//     sorted from the extreme (all of them when it holds "<col>__cdmlake_n" values): removing the before values
//     from it keeps it a prefix, after values that sort within what it keeps are added, and it is cut to
//     kRollupExtremes again; its first value is the new Min (Max). A group is flagged __cdmlake_dirty when its
//     list was emptied while values remain (every kept extreme removed, none added within). A group whose
//     __ROWS becomes 0 disappears.
//  3. RollupBaseUpdatedSelect: the previous base rows of untouched groups and the merged ones, the dirty groups
//     among them recomputed from the aggregate (RollupBaseGroupsSelect; a group must lose kRollupExtremes
//     extremes, which changes concentrated on recent lines do to a few groups).
// The new rollup is then RollupFromBaseSelect over the new base: it equals a full process's, row for row.
inline constexpr int kRollupExtremes = 4;

// The base of a design with members, with its state or without (RollupSelect).
std::string RollupBaseSelect(const FactTable& fact, const RollupDesign& design, const std::string& aggregate,
                             const std::map<std::string, std::string>& dimensions, bool state);
// The base rows, with their state, of the groups listed in `groups` (a relation with RollupBaseGroupColumns),
// recomputed from the aggregate: for the few groups an update cannot merge (dirty), reading of the aggregate
// only the rows whose keys belong to those groups' combinations.
std::string RollupBaseGroupsSelect(const FactTable& fact, const RollupDesign& design, const std::string& aggregate,
                                   const std::map<std::string, std::string>& dimensions, const std::string& groups);
// The dimension keys of the member `member` (a dimension member) whose combination is listed in `groups`, and a
// NULL when the all-NULL combination is (it holds every key the dimension lacks, so any value).
std::string RollupMemberKeysSelect(const RollupDesign& design, const std::map<std::string, std::string>& dimensions,
                                   size_t member, const std::string& groups);
// The column of the base holding the id of a dimension member's attribute combination: "<Member>__cdmlake_id".
std::string RollupMemberIdColumn(const RollupMember& member);
// The bucket of every id of the member `member` (a dimension member): the smallest value of `key_bucket` (SQL over
// the dimension's key column, by its name) among the dimension keys holding that combination, 'none' for a
// combination no key holds, as columns "<Member>__cdmlake_id" and "__cdmlake_bucket". A base kept by bucket
// (processor.cc) is one file per bucket, so an increment reads and writes only the buckets of the groups it
// touches. Exact for any function of the id; the month of the calendar the fact is written by keeps changes to
// recent lines in a few files.
std::string RollupBaseBucketsSelect(const RollupDesign& design, const std::map<std::string, std::string>& dimensions,
                                    size_t member, const std::string& key_bucket);
// The group columns of the merged groups that are dirty (RollupBaseMergeSelect), and the merged groups with
// those recomputed from the aggregate (`dirty`: a relation of the former), as `columns` (the base's).
std::string RollupBaseDirtySelect(const RollupDesign& design, const std::string& merged);
std::string RollupBaseRepairedSelect(const FactTable& fact, const RollupDesign& design,
                                     const std::vector<std::pair<std::string, std::string>>& columns,
                                     const std::string& merged, const std::string& dirty, const std::string& aggregate,
                                     const std::map<std::string, std::string>& dimensions);
// The rollup (the grouping sets, ordered by __SET) from a base relation.
std::string RollupFromBaseSelect(const FactTable& fact, const RollupDesign& design, const std::string& base,
                                 const std::map<std::string, std::string>& dimensions);
// The columns the base is grouped by: per dimension member the id of its attribute combination
// ("<Member>__cdmlake_id", numbered in the combinations' sort order, the all-NULL one included, so the same
// dimension gives the same ids in every run), per degenerate attribute the attribute ("<Member>__<Attribute>").
std::vector<std::string> RollupBaseGroupColumns(const RollupDesign& design);
std::string RollupBaseChangeSelect(const FactTable& fact, const RollupDesign& design, const std::string& before,
                                   const std::string& after, const std::map<std::string, std::string>& dimensions);
std::string RollupBaseMergeSelect(const FactTable& fact, const RollupDesign& design, const std::string& changes,
                                  const std::string& previous);
// The updated base as `columns` (name, type: the previous base's).
std::string RollupBaseUpdatedSelect(const RollupDesign& design,
                                    const std::vector<std::pair<std::string, std::string>>& columns,
                                    const std::string& previous, const std::string& merged);
// The rollup's attribute columns in order (without __SET).
std::vector<std::string> RollupAttributeColumns(const RollupDesign& design);
// The names of the rollup's additive columns (sums and counts).
std::vector<std::string> RollupAdditiveColumns(const FactTable& fact);

}  // namespace cdmlake::entitystore
