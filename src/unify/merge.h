// Merge: the unified fields of every profile (spec unification.md §1.7, docs/unify.md "Merge").
//
// A field's candidates are, for each of its origins (source, column) in rank order, the values of the winner rows
// of the profile's groups from that source (in the order they attached). Importance takes the first non-null
// candidate; most recent and least recent take the candidate whose row has the latest (earliest) recency value,
// candidates without one last, ties in importance order. A group of fields (an address) is chosen as a unit: the
// first source row whose group fields are not all null (importance), or the most or least recent such row.
// Pure function of its inputs; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "unify/config.h"
#include "unify/match.h"
#include "unify/source_data.h"

namespace cdmlake::unify {

// Where a merged value came from.
struct ValueOrigin {
  int32_t source = -1;  // match-order index; -1 when the value is null
  uint32_t record = 0;
};

struct MergeResult {
  std::vector<UnifiedField> fields;
  std::vector<std::vector<TextView>> values;      // values[field][profile]: views into the profile tables
  std::vector<std::vector<ValueOrigin>> origins;  // origins[field][profile]
};

// tables: the profile tables in match order (tables[i] belongs to dedups[i]); the result views their values, so
// they must outlive it.
MergeResult MergeProfiles(const UnifyConfig& config, const std::vector<const ProfileTable*>& tables,
                          const std::vector<DedupResult>& dedups, const MatchResult& match);

}  // namespace cdmlake::unify
