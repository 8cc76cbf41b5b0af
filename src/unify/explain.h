// `unify explain`: why a profile holds the records it holds (docs/unify.md "Explain").
//
// For each source record of the profile: whether it is its dedup group's winner or an alternate (and by which rule
// and score it joined the group); for each group that joined the profile, the match rule, its score, the two rows
// that matched and, condition by condition, the normalized values compared and their score; then each unified
// field's value and the record it came from. ExplainProfile gathers that once; ExplanationText and ExplanationJson
// only print it, so the two formats cannot tell different stories. Pure functions of a run; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "unify/unify_run.h"

namespace cdmlake::unify {

// The profile named by `target`: a CustomerId, or "SOURCE:KEY" of one of its records. Throws Error(kUser) when
// there is none (naming what was looked for, and why a record may be in no profile).
int32_t FindProfile(const UnifyResult& run, const std::string& target);

// One condition of a rule, checked again for the pair that the rule linked.
struct ConditionCheck {
  std::string description;  // "EMail = EMail (lowercase, whitespace; exact)"
  bool exception = false;   // a condition of one of the rule's exceptions
  std::optional<std::string> left, right;  // the normalized values compared; nullopt: empty
  bool holds = false;
  std::optional<double> score;  // when it holds and compares values (not for "different" conditions)
};

// A record of the profile that is not its dedup group's winner.
struct DuplicateExplanation {
  std::string record;        // "SOURCE:KEY"
  std::string duplicate_of;  // the record on the other side of its link
  enum class Link { kRule, kAlwaysMatch, kThroughGroup } link = Link::kThroughGroup;
  std::string rule;  // kRule: the dedup rule
  double score = 0;
  std::string winner_key;  // kRule: the key of the group's winner
  std::vector<ConditionCheck> conditions;
};

// A dedup group of the profile: its winner, how the group joined the profile, and its other records.
struct GroupExplanation {
  std::string source;
  std::string winner;  // "SOURCE:KEY"
  bool first = false;  // the profile's first group (its anchor)
  bool primary = false;  // first: its source is the primary one (else it includes all records)
  std::string rule;    // !first: the match rule
  double score = 0;
  std::string record;  // !first: the group's record that matched
  std::string target;  // !first: the record it matched
  std::vector<ConditionCheck> conditions;
  std::vector<DuplicateExplanation> duplicates;
};

struct FieldExplanation {
  std::string name;
  std::optional<std::string> value;
  std::optional<std::string> from;  // "SOURCE:KEY" of the record the value came from
};

struct Explanation {
  std::string customer_id;
  std::string previous_customer_id;  // "" when none
  std::vector<GroupExplanation> groups;
  std::vector<FieldExplanation> fields;
};

Explanation ExplainProfile(const UnifyResult& run, int32_t profile);

// The readable text `unify explain` prints.
std::string ExplanationText(const Explanation& explanation);
// `unify explain --format json` (keys in docs/unify.md "Explain").
nlohmann::ordered_json ExplanationJson(const Explanation& explanation);

}  // namespace cdmlake::unify
