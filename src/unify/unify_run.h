// One unification run in memory: load the sources, deduplicate each, match them in order, merge the profiles and
// give them their CustomerIds (docs/unify.md). `unify run` writes the result to the lake (unify_output.h);
// `unify explain` and `unify evaluate` read it without writing.
// Not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "engine/database.h"
#include "lake/catalog.h"
#include "unify/config.h"
#include "unify/customer_id.h"
#include "unify/dedup.h"
#include "unify/match.h"
#include "unify/merge.h"
#include "unify/rule_matcher.h"
#include "unify/source_data.h"
#include "util/progress.h"

namespace cdmlake::unify {

struct UnifyResult {
  UnifyResult() = default;
  // Moving keeps `keys` reading this object's tables (it refers to them, not to copies).
  UnifyResult(UnifyResult&& other) noexcept;
  UnifyResult& operator=(UnifyResult&&) = delete;
  UnifyResult(const UnifyResult&) = delete;

  const UnifyConfig* config = nullptr;
  std::vector<ProfileTable> tables;  // in match order
  std::unique_ptr<KeyStore> keys;    // the comparison keys (explain shows them)
  std::vector<DedupResult> dedups;   // parallel to tables
  MatchResult match;
  MergeResult merge;
  std::vector<std::string> customer_ids;              // per profile
  std::vector<std::string> previous_customer_ids;     // per profile, joined by ';'
  CustomerIdStats id_stats;
  std::vector<std::string> warnings;
  // Seconds per step: load, dedup, match, "merge and customer ids" (they run side by side).
  std::vector<std::pair<std::string, double>> timings;
  std::vector<std::pair<std::string, double>> cpu_timings;  // CPU seconds (all threads) per step, the same steps

  // The profile of a record, or -1 when its group was dropped.
  int32_t ProfileOf(size_t source, uint32_t record) const {
    return match.profile_of_group[source][dedups[source].group[record]];
  }
  // The index of a source in match order, or -1.
  int SourceIndex(const std::string& name) const;
};

// Work that may begin as soon as dedup is done, while the run goes on (`unify run` writes the Deduplication
// tables meanwhile, unify_output.h). No later step changes run.tables or run.dedups, and moving the result keeps
// their elements where they are.
struct AfterDedup {
  std::function<void(const UnifyResult& run)> start;
  // Called when the run fails after `start`, before the run is destroyed: must stop reading it first.
  std::function<void()> stop;
};

// `catalog` may be null when every source is a CSV file; `previous` is the last run's AlternateKey (empty on a
// first run); `after_dedup` may be null. Throws Error naming the source, file or rule at fault.
UnifyResult RunUnification(const UnifyConfig& config, engine::Database& database, const lake::Catalog* catalog,
                           std::span<const PreviousKey> previous, Progress* progress,
                           const AfterDedup* after_dedup = nullptr);

}  // namespace cdmlake::unify
