#include "entitystore/process_plan.h"

#include "engine/quote.h"
#include "entitystore/star_sql.h"
#include "util/strings.h"

namespace cdmlake::entitystore {

namespace {

using engine::QuoteIdentifier;

std::string Temp(const std::string& name) { return "temp." + QuoteIdentifier(name); }

std::string PartitionName(const std::string& prefix, const std::string& entity, int partition) {
  return "__cdmlake_" + prefix + "_" + entity + "_p" + std::to_string(partition);
}

bool HasColumn(const FactTable& fact, const std::string& name) {
  for (const auto& c : fact.columns) {
    if (EqualsIgnoreCase(c.name, name)) return true;
  }
  return false;
}

}  // namespace

std::string AggregateSelect(const FactTable& fact, const std::string& from) {
  std::vector<std::string> keys;
  for (const auto& k : AggregateKeys(fact)) keys.push_back(QuoteIdentifier(k));
  std::string select = "SELECT " + Join(keys, ", ") + (keys.empty() ? "" : ", ");
  select += "count(*) AS " + QuoteIdentifier("__ROWS");
  for (const FactMeasure& m : fact.measures) {
    std::string column = QuoteIdentifier(m.column);
    std::string name = QuoteIdentifier(m.column);
    switch (m.aggregate) {
      case Aggregate::kSum:
        select += ", sum(" + column + ") AS " + name;
        break;
      case Aggregate::kCount:
        select += ", count(" + column + ") AS " + name;
        break;
      case Aggregate::kDistinctCount:
        select += ", count(DISTINCT " + column + ") AS " + name;
        break;
      case Aggregate::kMin:
        select += ", min(" + column + ") AS " + name;
        break;
      case Aggregate::kMax:
        select += ", max(" + column + ") AS " + name;
        break;
      case Aggregate::kAverageOfChildren:
        select += ", avg(" + column + ") AS " + name + ", sum(" + column + ") AS " +
                  QuoteIdentifier(AggregateSumColumn(m)) + ", count(" + column + ") AS " +
                  QuoteIdentifier(AggregateCountColumn(m));
        break;
    }
  }
  select += " FROM " + from;
  if (!keys.empty()) select += " GROUP BY " + Join(keys, ", ");
  return select;
}


std::string AggregateEntityName(const FactTable& fact) { return fact.name + "_AGG"; }
std::string AggregateSumColumn(const FactMeasure& measure) { return measure.column + "__SUM"; }
std::string AggregateCountColumn(const FactMeasure& measure) { return measure.column + "__COUNT"; }

std::vector<std::string> AggregateKeys(const FactTable& fact) {
  std::vector<std::string> keys;
  for (const auto& d : fact.dimensions) keys.push_back(d.key_column);
  for (const auto& a : fact.attributes) {
    keys.push_back(a);
    if (HasColumn(fact, a + "_VALUE")) keys.push_back(a + "_VALUE");
  }
  return keys;
}

namespace {

bool IsCalendar(const StarSchema& schema, const std::string& table) {
  for (const auto& d : schema.dimensions) {
    if (d.name == table) return d.kind == DimensionKind::kCalendar;
  }
  return false;
}

bool HasCalendarKey(const StarSchema& schema, const FactTable& fact) {
  for (const auto& d : fact.dimensions) {
    if (IsCalendar(schema, d.dimension_table)) return true;
  }
  return false;
}

void AddDimensionStep(const DimensionTable& dimension, const std::string& select, ProcessPlan* plan) {
  std::string table = "__cdmlake_dim_" + dimension.name;
  plan->steps.push_back({StepKind::kDimension, dimension.name, -1,
                         "CREATE OR REPLACE TEMP TABLE " + QuoteIdentifier(table) + " AS " + select, Temp(table)});
  plan->outputs.push_back({dimension.name, Temp(table)});
}

}  // namespace

ProcessPlan BuildProcessPlan(const StarSchema& schema, int partitions, const std::set<std::string>& requested) {
  // A generated calendar covers the dates of every fact related to it, read from the materialized facts (not
  // from the source views again), so rebuilding one rebuilds those facts.
  std::set<std::string> build = requested;
  bool calendar = false;
  for (const auto& d : schema.dimensions) calendar = calendar || (d.kind == DimensionKind::kCalendar && build.count(d.name));
  for (const auto& f : schema.facts) {
    if (calendar && HasCalendarKey(schema, f)) build.insert(f.name);
    if (build.count(AggregateEntityName(f))) build.insert(f.name);
  }
  ProcessPlan plan;
  for (const DimensionTable& dimension : schema.dimensions) {
    if (!build.count(dimension.name) || dimension.kind == DimensionKind::kCalendar) continue;
    AddDimensionStep(dimension, DimensionSelect(dimension, schema, Dialect::kDuckDb), &plan);
  }
  std::vector<std::string> calendar_dates;
  for (const FactTable& fact : schema.facts) {
    if (!build.count(fact.name) && !build.count(AggregateEntityName(fact))) continue;
    std::vector<std::string> keys;
    for (const auto& k : AggregateKeys(fact)) keys.push_back(QuoteIdentifier(k));
    std::vector<std::string> fact_parts, aggregate_parts;
    for (int p = 0; p < partitions; ++p) {
      std::string rows = PartitionName("fact", fact.name, p);
      std::string where;
      if (partitions > 1) {
        where = " WHERE hash(" + (keys.empty() ? std::string("0") : Join(keys, ", ")) + ") % " +
                std::to_string(partitions) + " = " + std::to_string(p);
      }
      plan.steps.push_back({StepKind::kFactPartition, fact.name, p,
                            "CREATE OR REPLACE TEMP TABLE " + QuoteIdentifier(rows) + " AS SELECT * FROM (" +
                                FactSelect(fact, Dialect::kDuckDb) + ") AS f" + where,
                            Temp(rows)});
      std::string aggregate = PartitionName("agg", fact.name, p);
      plan.steps.push_back({StepKind::kAggregatePartition, AggregateEntityName(fact), p,
                            "CREATE OR REPLACE TEMP TABLE " + QuoteIdentifier(aggregate) + " AS " +
                                AggregateSelect(fact, Temp(rows)),
                            Temp(aggregate)});
      fact_parts.push_back("SELECT * FROM " + Temp(rows));
      aggregate_parts.push_back("SELECT * FROM " + Temp(aggregate));
    }
    std::string fact_view = "__cdmlake_fact_" + fact.name;
    std::string aggregate_view = "__cdmlake_agg_" + fact.name;
    plan.steps.push_back({StepKind::kMerge, fact.name, -1,
                          "CREATE OR REPLACE TEMP VIEW " + QuoteIdentifier(fact_view) + " AS " +
                              Join(fact_parts, " UNION ALL ") + ";\nCREATE OR REPLACE TEMP VIEW " +
                              QuoteIdentifier(aggregate_view) + " AS " + Join(aggregate_parts, " UNION ALL "),
                          Temp(fact_view)});
    plan.outputs.push_back({fact.name, Temp(fact_view)});
    plan.outputs.push_back({AggregateEntityName(fact), Temp(aggregate_view)});
    for (const auto& d : fact.dimensions) {
      if (IsCalendar(schema, d.dimension_table)) {
        calendar_dates.push_back("SELECT " + QuoteIdentifier(d.key_column) + " AS d FROM " + Temp(fact_view));
      }
    }
  }
  for (const DimensionTable& dimension : schema.dimensions) {
    if (!build.count(dimension.name) || dimension.kind != DimensionKind::kCalendar) continue;
    AddDimensionStep(dimension, DimensionSelect(dimension, Dialect::kDuckDb, Join(calendar_dates, " UNION ALL ")),
                     &plan);
  }
  return plan;
}

ProcessPlan PlanCalendars(const StarSchema& schema, const std::set<std::string>& calendars,
                          const std::string& dates_sql) {
  ProcessPlan plan;
  for (const DimensionTable& dimension : schema.dimensions) {
    if (!calendars.count(dimension.name) || dimension.kind != DimensionKind::kCalendar) continue;
    AddDimensionStep(dimension, DimensionSelect(dimension, Dialect::kDuckDb, dates_sql), &plan);
  }
  return plan;
}

}  // namespace cdmlake::entitystore
