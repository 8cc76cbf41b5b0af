// `unify explain`: why a profile holds the records it holds, as readable text (docs/unify.md "Explain").
//
// For each source record of the profile: whether it is its dedup group's winner or an alternate (and by which rule
// and score it joined the group); for each group that joined the profile, the match rule, its score, the two rows
// that matched and, condition by condition, the normalized values compared and their score; then each unified
// field's value and the record it came from. Pure function of a run; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "unify/unify_run.h"

namespace cdmlake::unify {

// The profile named by `target`: a CustomerId, or "SOURCE:KEY" of one of its records. Throws Error(kUser) when
// there is none (naming what was looked for, and why a record may be in no profile).
int32_t FindProfile(const UnifyResult& run, const std::string& target);

std::string ExplainProfile(const UnifyResult& run, int32_t profile);

}  // namespace cdmlake::unify
