// Sub-table incremental processing of one fact: the new fact and aggregate from the previous output and the
// rows of one source table that changed (source_delta.h), instead of recomputing them whole.
//
// It rests on linearity. When the fact's source reads the changed table T once, through views that only
// select, project, filter and inner-join (no aggregation, DISTINCT, window, set operation, subquery, outer join
// or LIMIT on the path to T), the fact is linear in T: fact(T_old - R + A) = fact(T_old) - fact(R) + fact(A) as
// bags, so the fact rows that disappeared are the fact's SQL over the removed rows R and the new ones its SQL
// over the added rows A, with every other table as it is (it did not change). That holds for the table driving
// the fact (SalesLine) and for inner-joined tables alike; a table that is outer-joined, aggregated or read twice
// fails the check and the fact is rebuilt whole.
//
// Applying it per aggregate group keeps the aggregate exact for every DefaultAggregate (Min, Max and
// DistinctCount included): the groups G touched by fact(R) or fact(A) are removed from both the previous fact
// and the previous aggregate, and added back from their recomputed rows, (previous fact rows in G) - fact(R) +
// fact(A), a small set. The output is written by month (FactPartitionBy): the other rows of the months holding a
// touched group are read from the previous output and written again, and the other months' files are carried.
// Thread-compatible.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "entitystore/source_delta.h"
#include "entitystore/source_views.h"
#include "entitystore/star_schema.h"
#include "lake/session.h"

namespace cdmlake::entitystore {

// The DuckDB query of each view of the plan, by upper-case name.
std::map<std::string, std::string> ViewQueries(const SourcePlan& plan);

// Why the fact over `root` cannot take the changes of `table` as a delta, or "" when it can (see above).
// `views` holds the query of each view by upper-case name; any other name is a table.
std::string LinearityProblem(const std::map<std::string, std::string>& views, const std::string& root,
                             const std::string& table);

// The smallest and largest date (yyyy-mm-dd, nullopt when there is none) of a fact's calendar key columns.
using DateRange = std::pair<std::optional<std::string>, std::optional<std::string>>;

// The rows of the view `source` (upper case) over the changed table T read from `marked_rows` (T's columns plus
// "__cdmlake_side") instead of T, with that column passed on to the output: the views between `source` and T
// (`views`, DuckDB queries by upper-case name) are copied as temp views named `prefix` + view name, each with the
// column added to its select list. Returns the relation, or nullopt when a view on the path cannot be copied
// so (a `*` select list, the relation leading to T not at the top level of its FROM clause).
std::optional<std::string> MarkedSource(engine::Connection& connection, const std::map<std::string, std::string>& views,
                                        const std::string& table, const std::string& marked_rows,
                                        const std::string& prefix, const std::string& source);
inline constexpr const char* kMarkedSideColumn = "__cdmlake_side";

// The date range of the calendar key columns of `fact` in `relation`.
DateRange FactDateRange(engine::Connection& connection, const StarSchema& schema, const FactTable& fact,
                        const std::string& relation);

// The expression a fact and its aggregate are partitioned by in the lake: the month ("yyyy-mm", "none" for no
// date) of the fact's first calendar key, or "" when it has none. Each aggregate group lies in one partition
// (the calendar keys are aggregate keys), and D365 changes mostly touch recent lines, so an update from changed
// rows rewrites the months it touches and carries the others over (processor.cc).
std::string FactPartitionBy(const StarSchema& schema, const FactTable& fact);
// The calendar key column FactPartitionBy reads, or "".
std::string FactPartitionKey(const StarSchema& schema, const FactTable& fact);
// FactPartitionBy's expression over a relation with the key column `key`.
std::string MonthOf(const std::string& key);

// The previous output of a fact and its aggregate, by partition.
struct PreviousFactOutput {
  std::string partition_by;  // FactPartitionBy, or "" when the output is not partitioned
  // The previous rows of `entity` in the partitions `values` (others = false), or in every other partition
  // (others = true); when not partitioned, (entity, {}, true) is every row.
  std::function<std::string(const std::string& entity, const std::vector<std::string>& values, bool others)> rows;
};

struct FactDeltaResult {
  std::string fact;       // temp view of the new fact rows, typed as a full process types them
  std::string aggregate;  // temp view of the new aggregate
  // What to write: the rows of the partitions rewritten (`partitions`; the others are as they were), or, for an
  // output that is not partitioned, the same as fact and aggregate.
  std::string written_fact;
  std::string written_aggregate;
  std::string aggregate_cast;  // the select list typing the previous aggregate's rows (as "p") as the new ones
  std::vector<std::string> partitions;
  int64_t groups = 0;     // aggregate groups recomputed
  int64_t removed = 0;    // fact rows of fact(R)
  int64_t added = 0;      // fact rows of fact(A)
  DateRange dates;        // of the new fact (only when the fact has calendar keys)
  // The touched aggregate groups, for updating the rollup per group (rollup.h): their previous aggregate rows
  // (typed as the new ones) and their new rows (a group whose fact rows were all removed has none); temp tables.
  std::string touched_before;
  std::string touched_after;
  bool one_pass = false;  // fact(R) and fact(A) came from one query (the other tables read once)
};

// Applies `delta` to the fact. `previous` gives the previous output's rows by partition (only the partitions of
// the touched groups are read), `previous_dates` the range recorded with it. The table's session view
// ("<table>" in main, as the D365 views read it) is pointed at the removed and the added rows in turn and
// restored before returning, also on error. `views` (the DuckDB query of each view as the session created it,
// by upper-case name; may be empty) lets it compute fact(R) and fact(A) in one query over R and A marked by side,
// so the other tables the fact reads are read once (see MarkedChain in the .cc); without it, or when the views
// cannot carry the marker, the fact's SQL runs once per side.
FactDeltaResult ApplyFactDelta(lake::LakeSession& session, const lake::Catalog& catalog, const StarSchema& schema,
                               const FactTable& fact, const SourceDelta& delta, const PreviousFactOutput& previous,
                               const DateRange& previous_dates, const std::map<std::string, std::string>& views = {});

}  // namespace cdmlake::entitystore
