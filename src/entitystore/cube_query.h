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
// Dimensions are joined under their reference (role) name, so `--by ShippingDate.YEAR` and
// `--where "Customer.COUNTRY = 'DE'"` read naturally; degenerate attributes are named `<MG>.<Attribute>` or
// just `<Attribute>`. Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "entitystore/star_schema.h"

namespace cdmlake::entitystore {

struct CubeQuery {
  std::vector<std::string> measures;  // measure names (case-insensitive), all from one measure group
  std::vector<std::string> by;        // "Reference.Attribute", "Group.Attribute" or "Attribute"
  std::string where;                  // a SQL condition over the same names, or ""
};

struct CubePlan {
  std::string sql;
  bool from_aggregate = false;
  std::string reason;                 // why the fact table is read, when it is
  std::vector<std::string> entities;  // the lake entities the SQL reads
};

// Throws Error(kUser) naming an unknown measure or attribute (and listing the known ones), or measures from
// several measure groups.
CubePlan PlanCubeQuery(const StarSchema& schema, const CubeQuery& query);

}  // namespace cdmlake::entitystore
