// The processing plan of a measurement: partition-wise steps (dimensions; per fact partition the rows and a
// partial aggregate; a merge per fact) kept apart from their execution, so the same plan can later run its
// partition steps on several machines (dist/) and its merge steps where the results meet.
//
// Facts are partitioned by a hash of the cube's grain (the dimension keys and degenerate attributes), so every
// aggregate group lives in exactly one partition: merging partial aggregates is a concatenation, which keeps
// DistinctCount exact. Pure functions; thread-safe.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "entitystore/star_schema.h"

namespace cdmlake::entitystore {

enum class StepKind {
  kDimension,         // materialize one dimension table
  kFactPartition,     // the fact rows of one partition
  kAggregatePartition,// the partial aggregate of one fact partition
  kMerge,             // union the partitions of one fact and of its aggregate
};

struct PlanStep {
  StepKind kind = StepKind::kDimension;
  std::string entity;  // the output entity the step contributes to
  int partition = -1;  // for partition steps
  std::string sql;     // DuckDB statements; read the star-schema sources, write temp tables
  std::string result;  // the temp table or view the step leaves (qualified, quoted)
};

struct PlanOutput {
  std::string entity;  // the lake entity name
  std::string relation;  // the temp relation holding its rows once the plan ran
  // What the writer writes when not every row is (lake::OutputEntity): the rows of some partitions ("" = all of
  // `relation`) and the previous files carried over for the other partitions.
  std::string written;
  std::vector<std::string> carried_files;
};

struct ProcessPlan {
  std::vector<PlanStep> steps;
  std::vector<PlanOutput> outputs;
};

// The aggregate entity of a fact table: "<M>_<MG>_AGG".
std::string AggregateEntityName(const FactTable& fact);
// The column of an aggregate table holding a measure's partial state (AverageOfChildren keeps a sum and a count).
std::string AggregateSumColumn(const FactMeasure& measure);
std::string AggregateCountColumn(const FactMeasure& measure);
// The grouping columns of a fact's aggregate: its dimension keys, then its degenerate attributes.
std::vector<std::string> AggregateKeys(const FactTable& fact);

// The aggregate of the fact rows in `from` (a relation), grouped by AggregateKeys: one partition's, or the
// recomputed groups of an incremental run.
std::string AggregateSelect(const FactTable& fact, const std::string& from);

// Plans the entities named in `build` (fact, aggregate and dimension names). An aggregate is always built with
// its fact, and a generated calendar with every fact related to it (its dates come from the materialized facts,
// after them in the plan). partitions >= 1.
ProcessPlan BuildProcessPlan(const StarSchema& schema, int partitions, const std::set<std::string>& build);

// Plans the generated calendars named in `calendars` over `dates_sql` (a query with one DATE column `d`). A
// calendar depends only on the smallest and largest date, so an incremental run passes the recorded range of
// each fact instead of rebuilding the facts (processor.cc).
ProcessPlan PlanCalendars(const StarSchema& schema, const std::set<std::string>& calendars,
                          const std::string& dates_sql);

}  // namespace cdmlake::entitystore
