// Match rules compiled against loaded sources: the comparison keys of every condition column, computed once, the
// blocking keys of a rule, and the test of one candidate pair (docs/unify.md "Rules", spec unification.md §1.4).
//
// A rule is an AND of conditions. Its exact conditions form the blocking key (the normalized values joined by a
// separator that normalized values cannot hold), so only records that agree on all of them are compared; its
// fuzzy conditions are then checked pair by pair, and the pair's score is the lowest fuzzy score (1.0 when the
// rule is exact). An exception vetoes a pair when all of its conditions hold; an exception condition with
// `when: different` holds when both values are present and do not match. A null or empty value on either side
// makes a condition false.
// KeyStore::Get may be called from several threads (one computes a column while the others wait for it); a
// compiled rule is read-only.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "unify/blocking.h"
#include "unify/config.h"
#include "unify/normalize_nicknames.h"
#include "unify/source_data.h"

namespace cdmlake::unify {

// One key per record, made on all threads (make(r, &text) appends record r's key to text and returns false when
// the record has none). Each thread's keys are packed into one buffer of `buffers` (a million keys would be a
// million allocations otherwise), and views[r] points into them: nullopt for a record without a key.
void PackKeys(size_t n, const std::function<bool(size_t, std::string*)>& make, std::vector<std::string>* buffers,
              std::vector<BlockingKey>* views);

// The comparison keys of one column of one source under one set of normalizations.
struct KeyColumn {
  std::string source;
  std::string column;
  std::vector<std::string> buffers;  // the keys' text (PackKeys)
  std::vector<BlockingKey> views;    // per record: its key, nullopt when null or bypassed
};

// Computes and keeps comparison keys, so a column used by several rules is normalized once.
class KeyStore {
 public:
  KeyStore(const UnifyConfig& config, const std::vector<ProfileTable>& tables,
           std::shared_ptr<const NicknameTable> nicknames);

  // The keys of `column` of source `source` under the normalizations, alias and bypass lists of `condition`.
  const KeyColumn& Get(size_t source, const std::string& column, const Condition& condition);
  // Frees every computed key (hundreds of MB at a million records) once matching is done; Get computes them again
  // when asked (explain). Invalidates the KeyColumns handed out before, and the rules compiled from them.
  void Release() {
    std::lock_guard lock(mutex_);
    cache_.clear();
  }
  const ProfileTable& table(size_t source) const { return (*tables_)[source]; }
  // The tables moved (with the object that owns them and this store): read them there from now on.
  void Rebind(const std::vector<ProfileTable>& tables) { tables_ = &tables; }
  size_t SourceIndex(const std::string& name) const;  // throws Error(kInternal) for an unknown source

 private:
  const UnifyConfig& config_;
  const std::vector<ProfileTable>* tables_;
  std::shared_ptr<const NicknameTable> nicknames_;
  std::mutex mutex_;  // guards cache_
  std::map<std::string, std::unique_ptr<KeyColumn>> cache_;
};

struct CompiledCondition {
  const KeyColumn* left = nullptr;   // the target source's (dedup: the source's)
  const KeyColumn* right = nullptr;  // the rule's own source's
  Precision precision;
  ConditionWhen when = ConditionWhen::kSame;
  std::string description;  // "EMail = EMail (lowercase, whitespace; exact)"
};

struct CompiledRule {
  std::string name;  // the configured name, or "Rule <n>"
  size_t left_source = 0;
  size_t right_source = 0;
  std::vector<CompiledCondition> exact;
  std::vector<CompiledCondition> fuzzy;
  std::vector<std::vector<CompiledCondition>> exceptions;
};

// Compiles `rule`; for dedup rules left_source == right_source.
CompiledRule CompileRule(const Rule& rule, size_t index, size_t left_source, size_t right_source, KeyStore& keys);

// The blocking keys of one side of a rule (its exact conditions), one per record; nullopt when a record lacks one.
// Keeps the joined keys; views point into them (or, for a single exact condition, into its KeyColumn).
struct SideKeys {
  std::vector<std::string> storage;  // the joined keys' text (PackKeys)
  std::vector<BlockingKey> views;
};
SideKeys BlockingKeys(const CompiledRule& rule, bool left_side);

// The score of the pair (left record l, right record r) under the rule, or nullopt when a condition fails or an
// exception vetoes it. The exact conditions are assumed to hold (blocking found the pair).
std::optional<double> ScorePair(const CompiledRule& rule, uint32_t l, uint32_t r);

// Whether one condition holds for the pair (used by ScorePair and by explain).
bool ConditionHolds(const CompiledCondition& condition, uint32_t l, uint32_t r, double* score = nullptr);

}  // namespace cdmlake::unify
