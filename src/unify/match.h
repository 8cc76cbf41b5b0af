// Cross-table matching (spec unification.md §1.6, docs/unify.md "Matching"): attach the deduplicated groups of
// each source, in match order, to the profiles built from the sources ranked above it.
//
// - The primary source's groups are the first profiles.
// - For source Ti, its rules run in order; rule k only sees the groups that rules 1..k-1 left unmatched. A group is
//   compared through every member row (winner or alternate) with every row of the rule's target source that
//   already belongs to a profile, so old phones and e-mails still link.
// - Attach-to-one: a group attaches to exactly one profile, the one of its best candidate (highest score; ties:
//   the smaller primary key of the target row, then the smaller key of the group's row). Many groups may attach to
//   one profile (duplicates of Ti collapse), but two profiles are never merged through Ti.
// - Always-match pairs attach first and override the rules; never-match pairs veto candidates.
// - A group left unmatched becomes a profile of its own when its source has include_all, and is dropped
//   otherwise. The primary source's profiles that nothing attached to are dropped at the end unless the primary
//   source has include_all; a lower source's unmatched groups without include_all are dropped at once, so later
//   sources cannot match them.
// Not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "unify/dedup.h"

namespace cdmlake::unify {

// A deduplicated group of a source.
struct GroupRef {
  uint32_t source = 0;  // index into the sources (match order)
  uint32_t group = 0;   // index into that source's DedupResult::groups
};

// How a group came into its profile.
struct Attachment {
  GroupRef group;
  std::string rule;    // the match rule; "" for the profile's first group; "Always match" for custom pairs
  double score = 0;
  uint32_t record = 0;         // the group's row that matched
  GroupRef target;             // the group of the target row
  uint32_t target_record = 0;  // the target row
};

struct Profile {
  std::vector<Attachment> groups;  // the first is the profile's anchor
};

struct MatchResult {
  std::vector<Profile> profiles;
  std::vector<std::vector<int32_t>> profile_of_group;  // [source][group] -> profile, -1 when dropped
  std::vector<RuleStats> rules;
  std::vector<uint64_t> dropped_groups;  // per source: groups not in any profile
};

// sources: indices of the KeyStore's tables in match order; dedups: their dedup results, in the same order.
MatchResult MatchSources(const UnifyConfig& config, const std::vector<size_t>& sources,
                         const std::vector<DedupResult>& dedups, KeyStore& keys, const BlockingOptions& blocking);

}  // namespace cdmlake::unify
