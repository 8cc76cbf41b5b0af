#include "unify/union_find.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <tuple>

#include "util/error.h"

namespace cdmlake::unify {

UnionFind::UnionFind(uint32_t size) : parent_(size), size_(size, 1), min_(size), set_count_(size) {
  std::iota(parent_.begin(), parent_.end(), 0u);
  std::iota(min_.begin(), min_.end(), 0u);
}

uint32_t UnionFind::Root(uint32_t x) {
  // Path halving: every other node on the path points to its grandparent; iterative, no recursion depth.
  while (parent_[x] != x) {
    parent_[x] = parent_[parent_[x]];
    x = parent_[x];
  }
  return x;
}

bool UnionFind::AddCannotLink(uint32_t a, uint32_t b) {
  const uint32_t ra = Root(a);
  const uint32_t rb = Root(b);
  if (ra == rb) return false;
  cannot_link_[ra].push_back({a, b});
  cannot_link_[rb].push_back({b, a});
  return true;
}

UnionOutcome UnionFind::Union(uint32_t a, uint32_t b, CannotLinkPair* blocking) {
  uint32_t ra = Root(a);
  uint32_t rb = Root(b);
  if (ra == rb) return UnionOutcome::kAlreadyTogether;
  if (!cannot_link_.empty()) {
    auto ia = cannot_link_.find(ra);
    auto ib = cannot_link_.find(rb);
    if (ia != cannot_link_.end() && ib != cannot_link_.end()) {
      // Every pair is stored at both ends, so scanning the shorter list finds any pair spanning the two sets.
      const bool a_shorter = ia->second.size() <= ib->second.size();
      const auto& scan = a_shorter ? ia->second : ib->second;
      const uint32_t other_root = a_shorter ? rb : ra;
      for (const CannotLinkPair& pair : scan) {
        if (Root(pair.b) == other_root) {
          if (blocking) *blocking = {std::min(pair.a, pair.b), std::max(pair.a, pair.b)};
          return UnionOutcome::kRefused;
        }
      }
    }
  }
  // Union by size keeps trees shallow; the representative (the smallest member) is tracked separately, so this
  // choice never shows.
  if (size_[ra] < size_[rb]) std::swap(ra, rb);
  parent_[rb] = ra;
  size_[ra] += size_[rb];
  min_[ra] = std::min(min_[ra], min_[rb]);
  --set_count_;
  if (!cannot_link_.empty()) {
    auto from = cannot_link_.find(rb);
    if (from != cannot_link_.end()) {
      // Move the constraints to the surviving root, the shorter list into the longer one.
      std::vector<CannotLinkPair> moved = std::move(from->second);
      cannot_link_.erase(from);
      std::vector<CannotLinkPair>& to = cannot_link_[ra];
      if (to.size() < moved.size()) std::swap(to, moved);
      to.insert(to.end(), moved.begin(), moved.end());
    }
  }
  return UnionOutcome::kMerged;
}

std::vector<uint32_t> UnionFind::Representatives() {
  std::vector<uint32_t> out(size());
  for (uint32_t x = 0; x < size(); ++x) out[x] = Find(x);
  return out;
}

Clustering Cluster(uint32_t size, std::vector<Link> links, std::span<const CannotLinkPair> cannot_links) {
  const auto check = [size](uint32_t record) {
    if (record >= size) {
      throw Error(ErrorKind::kInternal,
                  "record " + std::to_string(record) + " is out of range (" + std::to_string(size) + " records)");
    }
  };
  UnionFind sets(size);
  Clustering out;
  for (const CannotLinkPair& pair : cannot_links) {
    check(pair.a);
    check(pair.b);
    if (!sets.AddCannotLink(pair.a, pair.b)) out.unsatisfiable.push_back(pair);
  }
  for (Link& link : links) {
    check(link.a);
    check(link.b);
    // A NaN score would break the sort's ordering; scores come from MatchScore, so this is a bug.
    if (std::isnan(link.score)) throw Error(ErrorKind::kInternal, "a link has no score (NaN)");
    if (link.a > link.b) std::swap(link.a, link.b);
  }
  std::sort(links.begin(), links.end(), [](const Link& x, const Link& y) {
    return std::make_tuple(-x.score, x.rule, x.a, x.b) < std::make_tuple(-y.score, y.rule, y.a, y.b);
  });
  for (const Link& link : links) {
    CannotLinkPair because;
    if (sets.Union(link.a, link.b, &because) == UnionOutcome::kRefused) out.refused.push_back({link, because});
  }
  out.group = sets.Representatives();
  out.group_count = sets.set_count();
  return out;
}

Groups GroupMembers(std::span<const uint32_t> group) {
  // Counting sort by group id: members come out ascending, and since a group's id is its smallest member, ordering
  // groups by id orders them by smallest member.
  Groups out;
  std::vector<uint32_t> slot(group.size(), 0);  // group id -> group number + 1
  uint32_t count = 0;
  for (uint32_t x = 0; x < group.size(); ++x) {
    if (group[x] == x) slot[x] = ++count;
  }
  out.offsets.assign(count + 1, 0);
  for (uint32_t x = 0; x < group.size(); ++x) {
    const uint32_t id = group[x];
    if (id > x || slot[id] == 0) {
      throw Error(ErrorKind::kInternal, "group id " + std::to_string(id) + " is not the smallest member of a group");
    }
    ++out.offsets[slot[id]];
  }
  // offsets[g + 1] holds group g's size; a prefix sum turns the sizes into start offsets.
  for (uint32_t g = 1; g <= count; ++g) out.offsets[g] += out.offsets[g - 1];
  out.members.resize(group.size());
  std::vector<uint32_t> next(out.offsets.begin(), out.offsets.end() - 1);
  for (uint32_t x = 0; x < group.size(); ++x) out.members[next[slot[group[x]] - 1]++] = x;
  return out;
}

}  // namespace cdmlake::unify
