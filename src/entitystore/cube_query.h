// `entitystore query`: measures of a processed measurement grouped by dimension attributes.
//
// A query is answered from the aggregate table (<M>_<MG>_AGG, one row per combination of dimension keys and
// degenerate attributes) when that gives the exact answer, and from the star schema (the fact table joined to
// its dimensions) when it does not:
//  - Sum and Count re-aggregate by summing, Min and Max by min and max;
//  - AverageOfChildren is the sum of the partial sums over the sum of the partial counts (never an average of
//    averages);
//  - DistinctCount is not additive across groups, so a query with one reads the fact table;
//  - a filter on fact columns that are not aggregate keys also reads the fact table.
// Before both, the fact's rollup (rollup.h) answers a query when every attribute it groups or filters by belongs
// to at most two rollup members and is kept there, and no measure is a distinct count.
// Dimensions are joined under their reference (role) name, so `--by ShippingDate.YEAR` and
// `--where "Customer.COUNTRY = 'DE'"` read naturally; degenerate attributes are named `<MG>.<Attribute>` or
// just `<Attribute>`. Pure functions; thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "entitystore/rollup.h"
#include "entitystore/star_schema.h"

namespace cdmlake::entitystore {

struct CubeQuery {
  std::vector<std::string> measures;  // measure names (case-insensitive), all from one measure group
  std::vector<std::string> by;        // "Reference.Attribute", "Group.Attribute" or "Attribute"
  std::string where;                  // a SQL condition over the same names, or ""
};

struct CubePlan {
  std::string sql;
  bool from_aggregate = false;        // the aggregate table or the rollup answers it
  bool from_rollup = false;           // the rollup answers it
  std::string rollup_set;             // the rollup's __SET read
  std::string reason;                 // why the fact table is read, when it is
  std::vector<std::string> entities;  // the lake entities the SQL reads
};

// Throws Error(kUser) naming an unknown measure or attribute (and listing the known ones), or measures from
// several measure groups.
// `rollups`: the designs of the rollups written for the facts (by fact table name), read back from the processed
// entities with RollupDesignFromColumns; a fact without one is answered from its aggregate or fact table.
CubePlan PlanCubeQuery(const StarSchema& schema, const CubeQuery& query,
                       const std::map<std::string, RollupDesign>& rollups = {});

}  // namespace cdmlake::entitystore
