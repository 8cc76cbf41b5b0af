#include "unify/union_find.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "util/error.h"

namespace cdmlake::unify {
namespace {

TEST(UnionFindTest, TransitiveClosureAcrossRules) {
  // Rule 1 links 1-2, rule 2 links 2-3: 1, 2 and 3 are one group (spec §1.5).
  const Clustering c = Cluster(5, {{1, 2, 1, 1.0}, {2, 3, 2, 1.0}});
  EXPECT_EQ(c.group, (std::vector<uint32_t>{0, 1, 1, 1, 4}));
  EXPECT_EQ(c.group_count, 3u);
  EXPECT_TRUE(c.refused.empty());
}

TEST(UnionFindTest, RepresentativeIsTheSmallestMember) {
  UnionFind sets(6);
  EXPECT_EQ(sets.Union(5, 4), UnionOutcome::kMerged);
  EXPECT_EQ(sets.Union(4, 3), UnionOutcome::kMerged);
  EXPECT_EQ(sets.Find(5), 3u);
  EXPECT_EQ(sets.Union(0, 0), UnionOutcome::kAlreadyTogether);
  EXPECT_EQ(sets.Union(3, 1), UnionOutcome::kMerged);
  EXPECT_EQ(sets.Union(5, 1), UnionOutcome::kAlreadyTogether);
  EXPECT_EQ(sets.Find(4), 1u);
  EXPECT_EQ(sets.SetSize(5), 4u);
  EXPECT_EQ(sets.set_count(), 3u);
  EXPECT_TRUE(sets.Connected(1, 5));
  EXPECT_FALSE(sets.Connected(0, 5));
  EXPECT_EQ(sets.Representatives(), (std::vector<uint32_t>{0, 1, 2, 1, 1, 1}));
}

TEST(UnionFindTest, CannotLinkBlocksAChain) {
  // Never-match 1-3: the chain 1-2-3 cannot close; the weaker link is the one refused.
  const std::vector<CannotLinkPair> never = {{3, 1}};
  const Clustering c = Cluster(4, {{1, 2, 0, 0.9}, {2, 3, 0, 0.8}}, never);
  EXPECT_EQ(c.group, (std::vector<uint32_t>{0, 1, 1, 3}));
  ASSERT_EQ(c.refused.size(), 1u);
  EXPECT_EQ(c.refused[0].link.a, 2u);
  EXPECT_EQ(c.refused[0].link.b, 3u);
  EXPECT_EQ(c.refused[0].because.a, 1u);
  EXPECT_EQ(c.refused[0].because.b, 3u);
}

TEST(UnionFindTest, ConstraintsFollowMergedSets) {
  UnionFind sets(6);
  ASSERT_TRUE(sets.AddCannotLink(0, 5));
  EXPECT_EQ(sets.Union(0, 1), UnionOutcome::kMerged);
  EXPECT_EQ(sets.Union(4, 5), UnionOutcome::kMerged);
  EXPECT_EQ(sets.Union(2, 3), UnionOutcome::kMerged);
  EXPECT_EQ(sets.Union(1, 2), UnionOutcome::kMerged);  // {0,1,2,3} and {4,5}
  CannotLinkPair because;
  EXPECT_EQ(sets.Union(3, 4, &because), UnionOutcome::kRefused);
  EXPECT_EQ(because.a, 0u);
  EXPECT_EQ(because.b, 5u);
  EXPECT_FALSE(sets.Connected(3, 4));
  EXPECT_EQ(sets.set_count(), 2u);
  // A constraint on records already together cannot be honoured.
  EXPECT_FALSE(sets.AddCannotLink(1, 3));
  const Clustering c = Cluster(2, {{0, 1}}, std::vector<CannotLinkPair>{{1, 1}});
  EXPECT_EQ(c.unsatisfiable.size(), 1u);
}

TEST(UnionFindTest, DeterministicWhateverTheLinkOrder) {
  // Random graphs with never-match pairs: every shuffle of the links gives the same groups and the same refusals.
  std::mt19937 rng(17);
  for (int round = 0; round < 50; ++round) {
    const uint32_t n = 60;
    std::vector<Link> links;
    for (int i = 0; i < 80; ++i) {
      links.push_back({static_cast<uint32_t>(rng() % n), static_cast<uint32_t>(rng() % n),
                       static_cast<uint32_t>(rng() % 3), static_cast<double>(rng() % 4) / 4.0});
    }
    std::vector<CannotLinkPair> never;
    for (int i = 0; i < 6; ++i) {
      const auto a = static_cast<uint32_t>(rng() % n);
      const auto b = static_cast<uint32_t>(rng() % n);
      if (a != b) never.push_back({a, b});
    }
    const Clustering first = Cluster(n, links, never);
    for (int shuffle = 0; shuffle < 5; ++shuffle) {
      std::shuffle(links.begin(), links.end(), rng);
      for (Link& link : links) {
        if (rng() % 2) std::swap(link.a, link.b);
      }
      const Clustering again = Cluster(n, links, never);
      ASSERT_EQ(again.group, first.group);
      ASSERT_EQ(again.refused.size(), first.refused.size());
    }
    // No group holds both records of a never-match pair.
    for (const auto& pair : never) EXPECT_NE(first.group[pair.a], first.group[pair.b]);
  }
}

TEST(UnionFindTest, WithoutConstraintsTheClosureIsConnectedComponents) {
  std::mt19937 rng(3);
  const uint32_t n = 200;
  std::vector<Link> links;
  for (int i = 0; i < 150; ++i) links.push_back({static_cast<uint32_t>(rng() % n), static_cast<uint32_t>(rng() % n)});
  const Clustering c = Cluster(n, links);
  // Reference: label propagation until stable.
  std::vector<uint32_t> label(n);
  for (uint32_t i = 0; i < n; ++i) label[i] = i;
  for (bool changed = true; changed;) {
    changed = false;
    for (const Link& l : links) {
      const uint32_t m = std::min(label[l.a], label[l.b]);
      if (label[l.a] != m || label[l.b] != m) changed = true;
      label[l.a] = label[l.b] = m;
    }
  }
  EXPECT_EQ(c.group, label);
}

TEST(UnionFindTest, GroupMembersListsGroupsBySmallestMember) {
  const Clustering c = Cluster(7, {{6, 2}, {4, 0}, {2, 5}});
  const Groups groups = GroupMembers(c.group);
  ASSERT_EQ(groups.size(), 4u);
  EXPECT_EQ(std::vector<uint32_t>(groups[0].begin(), groups[0].end()), (std::vector<uint32_t>{0, 4}));
  EXPECT_EQ(std::vector<uint32_t>(groups[1].begin(), groups[1].end()), (std::vector<uint32_t>{1}));
  EXPECT_EQ(std::vector<uint32_t>(groups[2].begin(), groups[2].end()), (std::vector<uint32_t>{2, 5, 6}));
  EXPECT_EQ(std::vector<uint32_t>(groups[3].begin(), groups[3].end()), (std::vector<uint32_t>{3}));
  EXPECT_THROW(GroupMembers(std::vector<uint32_t>{1, 1}), Error);
  EXPECT_EQ(GroupMembers(std::vector<uint32_t>{}).size(), 0u);
  EXPECT_THROW(Cluster(2, {{0, 2}}), Error);
  EXPECT_THROW(Cluster(2, {{0, 1, 0, std::nan("")}}), Error);
}

}  // namespace
}  // namespace cdmlake::unify
