// Deduplication of one source (spec unification.md §1.5, docs/unify.md "Deduplication").
//
// Every dedup rule runs against every record (blocking on its exact conditions, q-grams when it has none); the
// links of all rules, plus the always-match pairs, are closed transitively with never-match pairs as cannot-link
// constraints (union_find.h). A source without dedup rules is deduplicated on exact equality of the normalized
// values of every column its match rules use. Each group gets a winner row: the most filled (default), the most
// recent or the least recent by a recency column; ties go to the largest primary key. Other rows of the group are
// its alternates: they still take part in cross-table matching.
// Not thread-safe (the KeyStore computes keys on first use).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "unify/blocking.h"
#include "unify/config.h"
#include "unify/rule_matcher.h"
#include "unify/union_find.h"

namespace cdmlake::unify {

// What one rule of a run (dedup or match) did.
struct RuleStats {
  std::string source;
  std::string rule;
  std::string target;             // match rules: the higher-ranked source
  uint64_t candidate_pairs = 0;   // pairs compared
  uint64_t links = 0;             // pairs the rule accepted
  uint64_t records_matched = 0;   // match rules: groups of the source attached by this rule
  // Match rules: the unique profiles if matching stopped after this rule, i.e. the profiles so far plus the groups
  // not matched yet that include_all makes profiles of (this source's and the later sources'), before the
  // primary source's unmatched profiles are dropped (when it does not include all).
  uint64_t profiles_after = 0;
  std::vector<BlockWarning> warnings;  // capped or skewed blocks
};

// The strongest evidence that joined a record to its group.
struct LinkEvidence {
  int rule = -1;  // index into DedupResult::rule_names; -1: none (a group's first record), -2: always-match
  double score = 0;
  uint32_t other = 0;  // the record on the other side of that link
};

struct DedupResult {
  std::string source;
  std::vector<uint32_t> group;   // per record: its group (0..groups.size()-1, ordered by smallest record)
  Groups groups;                 // members of each group, ascending
  std::vector<uint32_t> winner;  // per group: the winner record
  std::vector<LinkEvidence> evidence;  // per record
  std::vector<std::string> rule_names;
  std::vector<RuleStats> rules;
  std::vector<RefusedLink> refused;    // links dropped by never-match pairs
  // The dedup's `columns` (CI-D's "advanced" winner): per configured column, the row each group takes that
  // column's value from, chosen by the column's own policy among the rows that have a value.
  struct ColumnWinnerRows {
    int column = -1;            // index among the table's mapped columns
    std::vector<uint32_t> row;  // per group
  };
  std::vector<ColumnWinnerRows> column_winners;

  uint64_t duplicates() const { return group.size() - groups.size(); }
  // The row whose value of mapped column `column` represents group g: its column winner, else the group's winner.
  uint32_t ValueRow(int column, uint32_t g) const {
    for (const ColumnWinnerRows& c : column_winners) {
      if (c.column == column) return c.row[g];
    }
    return winner[g];
  }
};

// Compares primary keys as the winner tie-break and the match tie-break do: numerically when both are integers,
// else as text. Returns <0, 0, >0.
int CompareKeys(std::string_view a, std::string_view b);

// Compares two values of a recency column (the most-recent and least-recent policies of dedup winners and merge):
// numerically when both are numbers, integers or decimals ("9.0" < "10.0", "-2" < "1"), else as text, which
// orders ISO dates and timestamps. Returns <0, 0, >0.
int CompareRecency(std::string_view a, std::string_view b);

// The rules that deduplicate a source: its dedup rules, or (none configured) one exact rule over every column its
// match rules use, with those conditions' normalizations (spec §1.5 point 2, [our choice]).
std::vector<Rule> DedupRules(const UnifyConfig& config, const std::string& source);

DedupResult Deduplicate(const UnifyConfig& config, size_t source, KeyStore& keys, const BlockingOptions& blocking);

}  // namespace cdmlake::unify
