// Union-find over record indices 0..n-1 with cannot-link constraints, and the deterministic clustering of match
// links built on it (spec unification.md §1.5: dedup groups are the transitive closure of every rule's links;
// never-match pairs are cannot-link constraints). Not thread-safe: one instance per thread.
#pragma once

#include <cstdint>
#include <span>
#include <unordered_map>
#include <utility>
#include <vector>

namespace cdmlake::unify {

enum class UnionOutcome {
  kMerged,           // the two sets became one
  kAlreadyTogether,  // nothing to do
  kRefused,          // a cannot-link pair has one record in each set
};

// The cannot-link pair that refused a union.
struct CannotLinkPair {
  uint32_t a = 0;
  uint32_t b = 0;
};

class UnionFind {
 public:
  explicit UnionFind(uint32_t size);

  uint32_t size() const { return static_cast<uint32_t>(parent_.size()); }
  uint32_t set_count() const { return set_count_; }

  // The representative of x's set: its smallest record index. It depends only on the set, never on the order of
  // unions, so group ids are reproducible.
  uint32_t Find(uint32_t x) { return min_[Root(x)]; }
  bool Connected(uint32_t a, uint32_t b) { return Root(a) == Root(b); }
  uint32_t SetSize(uint32_t x) { return size_[Root(x)]; }

  // Forbids a and b from ever being in one set. The constraint follows both sets as they merge. Returns false,
  // recording nothing, when a and b are in one set already (the caller reports that conflict).
  bool AddCannotLink(uint32_t a, uint32_t b);

  // Merges the sets of a and b unless a cannot-link pair would end up inside one set; then nothing changes and
  // *blocking (when given) receives that pair.
  UnionOutcome Union(uint32_t a, uint32_t b, CannotLinkPair* blocking = nullptr);

  // Find of every record.
  std::vector<uint32_t> Representatives();

 private:
  uint32_t Root(uint32_t x);

  std::vector<uint32_t> parent_;
  std::vector<uint32_t> size_;  // valid at roots
  std::vector<uint32_t> min_;   // valid at roots: the smallest member
  // Root -> the cannot-link pairs (member of this set, record outside it). Only sets with constraints have an
  // entry, so the common case (no never-match pairs) costs one empty() test per union.
  std::unordered_map<uint32_t, std::vector<CannotLinkPair>> cannot_link_;
  uint32_t set_count_;
};

// A match between two records found by a rule, with its score (1.0 for exact rules).
struct Link {
  uint32_t a = 0;
  uint32_t b = 0;
  uint32_t rule = 0;
  double score = 1.0;
};

struct RefusedLink {
  Link link;
  CannotLinkPair because;
};

struct Clustering {
  std::vector<uint32_t> group;       // per record: the smallest record index of its group
  uint32_t group_count = 0;
  std::vector<RefusedLink> refused;  // links dropped by cannot-link pairs, in the order they were tried
  std::vector<CannotLinkPair> unsatisfiable;  // cannot-link pairs given twice the same record (a == b)
};

// The transitive closure of `links` under `cannot_links`. Links are tried in a canonical order, score descending,
// then rule ascending, then by (smaller index, larger index), so the result does not depend on the order of the
// input even when constraints make the order matter: the strongest evidence is kept. Links naming a record
// outside 0..size-1 are a caller bug and throw Error(kInternal).
Clustering Cluster(uint32_t size, std::vector<Link> links, std::span<const CannotLinkPair> cannot_links = {});

// Groups as lists: group g's members are members[offsets[g] .. offsets[g + 1]), ascending; groups are ordered by
// their smallest member. Built from `group` (Clustering::group or UnionFind::Representatives).
struct Groups {
  std::vector<uint32_t> offsets;
  std::vector<uint32_t> members;

  size_t size() const { return offsets.empty() ? 0 : offsets.size() - 1; }
  std::span<const uint32_t> operator[](size_t g) const {
    return std::span<const uint32_t>(members).subspan(offsets[g], offsets[g + 1] - offsets[g]);
  }
};
Groups GroupMembers(std::span<const uint32_t> group);

}  // namespace cdmlake::unify
