// Candidate generation ("blocking") for match rules (spec unification.md §1.4 and §2 takeaways,
// docs/unify-matching.md).
//
// Records are indices 0..n-1. For a rule with exact conditions, a record's blocking key is the concatenation of its
// normalized exact-condition values; nullopt means the record cannot match under that rule. Only records with
// equal keys are compared, so exact blocking loses no match of the rule. Rules without exact conditions use q-gram
// candidates (with a count filter derived from the edit-distance bound) or sorted neighbourhood.
//
// Memory stays bounded: an index of the keys (about 24 bytes per record) is built once, then pairs are produced
// one block at a time through a callback, never materialized. Blocks above a size cap, and values held by more than
// a share of the records, are not expanded but reported, so a phone shared by 10% of the rows cannot explode a run.
//
// Determinism: blocks are numbered, expanded and reported in order of their smallest record index; inside a block
// pairs come out in ascending (i, j) order. Nothing depends on hash values or on the platform. Each object is
// immutable after construction; Find and ForEach* are safe to call from several threads.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "unify/precision.h"

namespace cdmlake::unify {

using BlockingKey = std::optional<std::string_view>;
// Receives one candidate pair. Self blocking: (i, j) with i < j. Cross-table: (left index, right index).
using PairSink = std::function<void(uint32_t, uint32_t)>;

// Records grouped by equal key: group g holds the records whose key is key(g), ascending; groups are numbered in
// order of their smallest member. Keeps views into `keys`, which must outlive it.
class KeyGroups {
 public:
  static constexpr size_t npos = static_cast<size_t>(-1);

  explicit KeyGroups(std::span<const BlockingKey> keys);

  size_t size() const { return group_hash_.size(); }
  std::span<const uint32_t> members(size_t g) const {
    return std::span<const uint32_t>(members_).subspan(offsets_[g], offsets_[g + 1] - offsets_[g]);
  }
  std::string_view key(size_t g) const { return *keys_[members_[offsets_[g]]]; }
  uint64_t non_null() const { return members_.size(); }
  uint64_t nulls() const { return keys_.size() - members_.size(); }
  // The group whose key is `key`, or npos.
  size_t Find(std::string_view key) const;
  // The same, for a non-empty key whose hash is known (hash(g) of another KeyGroups: both hash alike).
  size_t Find(std::string_view key, uint64_t hash) const;
  uint64_t hash(size_t g) const { return group_hash_[g]; }

 private:
  std::span<const BlockingKey> keys_;
  std::vector<uint32_t> offsets_;     // group g: members_[offsets_[g] .. offsets_[g + 1])
  std::vector<uint32_t> members_;
  std::vector<uint64_t> group_hash_;  // per group
  std::vector<uint32_t> table_;       // open addressing over hashes: group + 1, 0 = empty
  uint64_t mask_ = 0;
};

struct BlockingOptions {
  // A block with more records than this (cross-table: more pairs than such a block has, cap·(cap-1)/2) is not
  // expanded. 1000 records are 499,500 pairs.
  uint32_t max_block_size = 1000;
  // A value held by more than this share of the records with a key (of either side, cross-table) is skewed:
  // reported, and not expanded when skip_skewed is set (spec §1.4 [our choice]).
  double skew_share = 0.10;
  // ... but only when more than this many records hold it: in a table of 20 rows three equal emails are 15% and
  // a genuine duplicate group, not a dummy value.
  uint32_t skew_min_rows = 100;
  bool skip_skewed = true;
};

// A block that was capped or whose value is skewed.
struct BlockWarning {
  std::string key;          // the blocking key, cut to 100 bytes
  uint64_t rows = 0;        // records holding it (cross-table: of the left side)
  uint64_t right_rows = 0;  // cross-table: records of the right side holding it
  double share = 0;         // rows / records with a key (cross-table: the larger share of the two sides)
  uint64_t pairs = 0;       // candidate pairs in the block
  bool over_cap = false;
  bool skewed = false;
  bool expanded = false;    // false: its pairs were not generated (counted in pairs_avoided)
  // A q-gram of a rule without exact conditions (QGramCandidates) held by too many records: not used to find
  // candidates, so its records are compared only through their other q-grams. `rows` holds the records.
  bool qgram = false;
};

// Known when the index is built, before any pair is generated: the comparison-count estimate.
struct BlockingStats {
  uint64_t records = 0;          // records with a key (cross-table: both sides)
  uint64_t null_keys = 0;        // records without one
  uint64_t blocks = 0;           // blocks with at least one pair
  uint64_t expanded_blocks = 0;  // of those, the ones expanded
  uint64_t largest_block = 0;    // records (cross-table: pairs) of the largest block
  uint64_t pairs_total = 0;      // sum over blocks of size·(size-1)/2 (cross-table: left·right), before caps
  uint64_t pairs_expanded = 0;   // the pairs ForEachPair emits
  uint64_t pairs_avoided = 0;    // pairs_total - pairs_expanded
};

// Blocking inside one table (dedup rules).
class ExactBlocking {
 public:
  // Keeps views into `keys`, which must outlive this object.
  explicit ExactBlocking(std::span<const BlockingKey> keys, const BlockingOptions& options = {});

  const BlockingStats& stats() const { return stats_; }
  // Capped or skewed blocks, the largest first (ties: by smallest member).
  const std::vector<BlockWarning>& warnings() const { return warnings_; }
  const KeyGroups& groups() const { return groups_; }
  bool expanded(size_t group) const { return expand_[group] != 0; }

  // Calls sink with the members (ascending) of every expanded block of two or more records, one block at a time.
  void ForEachBlock(const std::function<void(std::span<const uint32_t>)>& sink) const;
  // Calls sink(i, j), i < j, for every pair of every expanded block; returns the number of pairs.
  uint64_t ForEachPair(const PairSink& sink) const;

 private:
  KeyGroups groups_;
  std::vector<uint8_t> expand_;  // per group
  BlockingStats stats_;
  std::vector<BlockWarning> warnings_;
};

// Blocking between two tables (cross-table match rules): a block is a key present on both sides, and its pairs
// are left × right.
class CrossBlocking {
 public:
  // Keeps views into both spans, which must outlive this object.
  CrossBlocking(std::span<const BlockingKey> left, std::span<const BlockingKey> right,
                const BlockingOptions& options = {});

  const BlockingStats& stats() const { return stats_; }
  const std::vector<BlockWarning>& warnings() const { return warnings_; }

  // Calls sink(left members, right members) for every expanded block, in order of the smallest left member.
  void ForEachBlock(const std::function<void(std::span<const uint32_t>, std::span<const uint32_t>)>& sink) const;
  // Calls sink(left index, right index) for every pair of every expanded block; returns the number of pairs.
  uint64_t ForEachPair(const PairSink& sink) const;

 private:
  CrossBlocking(std::pair<KeyGroups, KeyGroups> sides, const BlockingOptions& options);

  struct Block {
    uint32_t left_group;
    uint32_t right_group;
  };
  KeyGroups left_;
  KeyGroups right_;
  std::vector<Block> blocks_;  // expanded blocks only
  BlockingStats stats_;
  std::vector<BlockWarning> warnings_;
};

struct QGramOptions {
  // 2 or 3; the strings are padded with q - 1 boundary marks on each side. Bigrams filter better at the usual
  // precisions: at 80% a pair must share about 60% of its bigrams but only 40% of its trigrams (and at 60% the
  // trigram bound is mostly 0); trigrams are rarer, so their posting lists are shorter.
  int q = 2;
  // A q-gram in the indexed prefixes of more records than this is skipped (and reported): a value that common
  // is a dummy, and scanning its list would cost more than it filters.
  uint32_t max_posting = 2000;
};

struct QGramWarning {
  std::string qgram;        // the q-gram, boundary marks shown as '#'
  uint32_t occurrence = 1;  // its occurrence number inside a value (q-grams are counted as a multiset)
  uint64_t records = 0;     // the records whose prefix holds it
};

struct QGramStats {
  uint64_t records = 0;             // records with a value
  uint64_t null_values = 0;
  uint64_t distinct_qgrams = 0;
  uint64_t skipped_qgrams = 0;      // prefix posting lists above max_posting
  uint64_t postings_scanned = 0;    // work done: posting entries read
  uint64_t incomplete_records = 0;  // records whose candidates may miss a match (below)
  uint64_t pairs_emitted = 0;
};

struct QGramResult {
  QGramStats stats;
  std::vector<QGramWarning> warnings;  // skipped q-grams, the longest posting list first
};

// Candidates for one fuzzy condition of a rule without exact conditions: pairs (i, j), i < j, that can still match
// at `precision` (score against max length, match_score.h).
//
// Count filter: two values within edit distance d share at least max(|a|, |b|) + q - 1 - d·q of their padded
// q-grams (each edit touches at most q of them), d being the largest distance the precision admits at that
// length. Prefix filter: order all q-grams rarest first; values that must share t q-grams share one among the
// first |q-grams| - t + 1 of each, so only those prefixes are indexed and common q-grams are rarely scanned.
// A candidate is an earlier record sharing a prefix q-gram whose length is within d and whose q-grams pass the
// count filter. Lossless except for two cases, counted in incomplete_records: [our choice] a pair must share at
// least one q-gram (for short values at low precision the bound drops to 0 and would make every pair a
// candidate), and records holding a skipped q-gram. Pairs come out ordered by j, then i. Memory: about 24 bytes
// per q-gram of the input while indexing.
QGramResult QGramCandidates(std::span<const BlockingKey> values, Precision precision, const QGramOptions& options,
                            const PairSink& sink);

// The q-gram options of a rule without exact conditions under the configured limits: a q-gram shared by more
// records than a block may hold (max_block_size) is skipped and reported, as such a block would be.
QGramOptions QGramOptionsFor(const BlockingOptions& blocking);
// The skipped q-grams of a result, as the warnings of the rule.
std::vector<BlockWarning> QGramBlockWarnings(const QGramResult& result);

// Sorted neighbourhood, the second strategy for rules without exact conditions: records sorted by value (ties by
// index), each paired with the next window - 1 records. Catches values that agree at the start, cost linear in
// the window. Emits (min, max) pairs in order of sorted position; returns their number. window < 2 emits nothing.
uint64_t SortedNeighbourhoodCandidates(std::span<const BlockingKey> values, uint32_t window, const PairSink& sink);

}  // namespace cdmlake::unify
