#include "unify/match.h"

#include <algorithm>
#include <unordered_map>
#include <utility>
#include <vector>

#include "util/error.h"

namespace cdmlake::unify {

namespace {

constexpr double kAlwaysMatchScore = 2.0;  // sorts before any rule's score

struct Candidate {
  bool found = false;
  double score = 0;
  uint32_t record = 0;         // own row
  uint32_t target_source = 0;  // the target row's source (its rank)
  uint32_t target_record = 0;  // target row
};

// Never-match partners of a group: the records (source rank, row) that may not end up in its profile.
using NeverPartners = std::unordered_map<uint32_t, std::vector<std::pair<uint32_t, uint32_t>>>;

class Matcher {
 public:
  Matcher(const UnifyConfig& config, const std::vector<size_t>& sources, const std::vector<DedupResult>& dedups,
          KeyStore& keys, const BlockingOptions& blocking)
      : config_(config), sources_(sources), dedups_(dedups), keys_(keys), blocking_(blocking) {
    for (size_t i = 0; i < sources.size(); ++i) {
      rank_[keys.table(sources[i]).name] = i;
      result_.profile_of_group.emplace_back(dedups[i].groups.size(), -1);
      index_.emplace_back();  // filled when a custom pair needs it (Record)
    }
    result_.dropped_groups.assign(sources.size(), 0);
  }

  MatchResult Run() {
    if (sources_.empty()) return std::move(result_);
    for (uint32_t g = 0; g < dedups_[0].groups.size(); ++g) NewProfile(0, g);
    for (uint32_t i = 1; i < sources_.size(); ++i) MatchSource(i);
    DropUnmatchedPrimaryProfiles();
    return std::move(result_);
  }

 private:
  const ProfileTable& Table(uint32_t i) const { return keys_.table(sources_[i]); }
  std::string_view Key(uint32_t i, uint32_t record) const { return Table(i).Key(record); }
  int32_t ProfileOfRecord(uint32_t i, uint32_t record) const {
    return result_.profile_of_group[i][dedups_[i].group[record]];
  }
  bool IncludeAll(uint32_t i) const {
    const Source* s = config_.FindSource(Table(i).name);
    return s && s->include_all;
  }
  std::optional<uint32_t> Record(uint32_t i, const std::string& key) {
    if (index_[i].empty()) {
      const ProfileTable& table = Table(i);
      index_[i].reserve(table.size());
      for (uint32_t r = 0; r < table.size(); ++r) index_[i].emplace(table.Key(r), r);
    }
    auto it = index_[i].find(key);
    if (it == index_[i].end()) return std::nullopt;
    return it->second;
  }

  void NewProfile(uint32_t i, uint32_t g) {
    Attachment first;
    first.group = {i, g};
    first.record = dedups_[i].winner[g];
    first.target = first.group;
    first.target_record = first.record;
    result_.profile_of_group[i][g] = static_cast<int32_t>(result_.profiles.size());
    result_.profiles.push_back(Profile{{first}});
  }

  void Attach(uint32_t i, uint32_t g, const Candidate& c, const std::string& rule) {
    const uint32_t j = c.target_source;
    int32_t p = ProfileOfRecord(j, c.target_record);
    Attachment a{{i, g}, rule, std::min(c.score, 1.0), c.record, {j, dedups_[j].group[c.target_record]},
                 c.target_record};
    result_.profile_of_group[i][g] = p;
    result_.profiles[p].groups.push_back(a);
  }

  // Whether candidate c beats the best so far: the higher score, then the higher-ranked target source, then the
  // smaller target key, then the smaller own key (each key compared within its own source).
  bool Better(uint32_t i, const Candidate& c, const Candidate& best) const {
    if (!best.found) return true;
    if (c.score != best.score) return c.score > best.score;
    if (c.target_source != best.target_source) return c.target_source < best.target_source;
    int t = CompareKeys(Key(c.target_source, c.target_record), Key(best.target_source, best.target_record));
    if (t != 0) return t < 0;
    return CompareKeys(Key(i, c.record), Key(i, best.record)) < 0;
  }

  // Whether group g of source i may not join `profile`: it would hold both records of a never-match pair. Checks
  // the partners placed so far; a partner placed later is checked when it is.
  bool Vetoed(const NeverPartners& never, uint32_t g, int32_t profile) const {
    auto it = never.find(g);
    if (it == never.end()) return false;
    for (auto [source, record] : it->second) {
      if (ProfileOfRecord(source, record) == profile) return true;
    }
    return false;
  }

  void MatchSource(uint32_t i) {
    const std::string& name = Table(i).name;
    std::vector<bool> pending(dedups_[i].groups.size(), true);

    // Custom pairs: always-match attaches first; never-match pairs veto any candidate that would put both of
    // their records into one profile (through the groups' other records too), whatever the rule.
    NeverPartners never;
    std::vector<Candidate> forced(pending.size());
    auto custom = [&](const CustomPair& p, bool always) {
      for (auto [own, other] : {std::pair{&p.source1, &p.source2}, std::pair{&p.source2, &p.source1}}) {
        if (own->name != name) continue;
        auto rank = rank_.find(other->name);
        if (rank == rank_.end() || rank->second > i || (always && rank->second == i)) continue;
        uint32_t j = static_cast<uint32_t>(rank->second);
        auto r = Record(i, own == &p.source1 ? p.key1 : p.key2);
        auto t = Record(j, own == &p.source1 ? p.key2 : p.key1);
        if (!r || !t) continue;
        const uint32_t g = dedups_[i].group[*r];
        if (!always) {
          never[g].emplace_back(j, *t);
        } else if (ProfileOfRecord(j, *t) >= 0) {
          Candidate c{true, kAlwaysMatchScore, *r, j, *t};
          if (Better(i, c, forced[g])) forced[g] = c;
        }
      }
    };
    for (const CustomPair& p : config_.never_match) custom(p, false);
    for (const CustomPair& p : config_.always_match) custom(p, true);
    for (uint32_t g = 0; g < pending.size(); ++g) {
      if (forced[g].found && !Vetoed(never, g, ProfileOfRecord(forced[g].target_source, forced[g].target_record))) {
        Attach(i, g, forced[g], "Always match");
        pending[g] = false;
      }
    }

    size_t rule_index = 0;
    for (const SourceRules& source_rules : config_.match.rules) {
      if (source_rules.source.name != name) continue;
      for (const Rule& rule : source_rules.rules) {
        std::string target = rule.target.empty() ? Table(0).name : rule.target.name;
        auto rank = rank_.find(target);
        if (rank == rank_.end() || rank->second >= i) {
          throw Error(ErrorKind::kUser, "match rule of " + name + " targets " + target +
                                            ", which does not rank above it", Location{config_.file, rule.mark.line, name});
        }
        RunRule(i, static_cast<uint32_t>(rank->second), rule, rule_index++, &pending, never);
        result_.rules.back().profiles_after = ProfilesIfStoppedNow(i, pending);
      }
    }
    for (uint32_t g = 0; g < pending.size(); ++g) {
      if (!pending[g]) continue;
      if (IncludeAll(i)) {
        NewProfile(i, g);
      } else {
        ++result_.dropped_groups[i];
      }
    }
  }

  // RuleStats::profiles_after, while source i is matched with `pending` groups left.
  uint64_t ProfilesIfStoppedNow(uint32_t i, const std::vector<bool>& pending) const {
    uint64_t n = result_.profiles.size();
    if (IncludeAll(i)) n += static_cast<uint64_t>(std::count(pending.begin(), pending.end(), true));
    for (uint32_t k = i + 1; k < sources_.size(); ++k) {
      if (IncludeAll(k)) n += dedups_[k].groups.size();
    }
    return n;
  }

  void RunRule(uint32_t i, uint32_t j, const Rule& config_rule, size_t index, std::vector<bool>* pending,
               const NeverPartners& never) {
    CompiledRule rule = CompileRule(config_rule, index, sources_[j], sources_[i], keys_);
    RuleStats stats;
    stats.source = Table(i).name;
    stats.rule = rule.name;
    stats.target = Table(j).name;
    std::vector<Candidate> best(pending->size());
    auto consider = [&](uint32_t l, uint32_t r) {
      ++stats.candidate_pairs;
      uint32_t g = dedups_[i].group[r];
      if (!never.empty() && Vetoed(never, g, ProfileOfRecord(j, l))) return;
      std::optional<double> score = ScorePair(rule, l, r);
      if (!score) return;
      ++stats.links;
      Candidate c{true, *score, r, j, l};
      if (Better(i, c, best[g])) best[g] = c;
    };
    auto left_live = [&](uint32_t l) { return ProfileOfRecord(j, l) >= 0; };
    auto right_pending = [&](uint32_t r) { return (*pending)[dedups_[i].group[r]]; };

    if (!rule.exact.empty()) {
      SideKeys left = BlockingKeys(rule, true), right = BlockingKeys(rule, false);
      for (uint32_t l = 0; l < left.views.size(); ++l) {
        if (!left_live(l)) left.views[l].reset();
      }
      for (uint32_t r = 0; r < right.views.size(); ++r) {
        if (!right_pending(r)) right.views[r].reset();
      }
      CrossBlocking blocks(left.views, right.views, blocking_);
      stats.warnings = blocks.warnings();
      blocks.ForEachPair(consider);
    } else if (!rule.fuzzy.empty()) {
      // No exact condition: q-gram candidates over both sides at once, keeping the pairs that cross.
      const CompiledCondition& first = rule.fuzzy[0];
      const uint32_t n_left = static_cast<uint32_t>(first.left->views.size());
      std::vector<BlockingKey> values;
      for (uint32_t l = 0; l < n_left; ++l) values.push_back(left_live(l) ? first.left->views[l] : BlockingKey());
      for (uint32_t r = 0; r < first.right->views.size(); ++r) {
        values.push_back(right_pending(r) ? first.right->views[r] : BlockingKey());
      }
      QGramResult qgrams = QGramCandidates(values, first.precision, QGramOptionsFor(blocking_),
                                           [&](uint32_t a, uint32_t b) {
                                             uint32_t lo = std::min(a, b), hi = std::max(a, b);
                                             if (lo < n_left && hi >= n_left) consider(lo, hi - n_left);
                                           });
      stats.warnings = QGramBlockWarnings(qgrams);
    }
    for (uint32_t g = 0; g < best.size(); ++g) {
      if (!best[g].found) continue;
      // Again, now that this rule's earlier groups have joined: a never-match partner of the same source may have
      // joined that profile just now.
      if (!never.empty() && Vetoed(never, g, ProfileOfRecord(j, best[g].target_record))) continue;
      Attach(i, g, best[g], rule.name);
      (*pending)[g] = false;
      ++stats.records_matched;
    }
    result_.rules.push_back(std::move(stats));
  }

  // The primary source's profiles that nothing attached to, unless it includes all records.
  void DropUnmatchedPrimaryProfiles() {
    if (IncludeAll(0)) return;
    std::vector<int32_t> remap(result_.profiles.size(), -1);
    std::vector<Profile> kept;
    for (size_t p = 0; p < result_.profiles.size(); ++p) {
      bool matched = false;
      for (const Attachment& a : result_.profiles[p].groups) matched = matched || a.group.source != 0;
      if (!matched) {
        ++result_.dropped_groups[0];
        continue;
      }
      remap[p] = static_cast<int32_t>(kept.size());
      kept.push_back(std::move(result_.profiles[p]));
    }
    result_.profiles = std::move(kept);
    for (auto& groups : result_.profile_of_group) {
      for (auto& p : groups) p = p < 0 ? -1 : remap[p];
    }
  }

  const UnifyConfig& config_;
  const std::vector<size_t>& sources_;
  const std::vector<DedupResult>& dedups_;
  KeyStore& keys_;
  BlockingOptions blocking_;
  std::unordered_map<std::string, size_t> rank_;
  std::vector<std::unordered_map<std::string_view, uint32_t>> index_;
  MatchResult result_;
};

}  // namespace

MatchResult MatchSources(const UnifyConfig& config, const std::vector<size_t>& sources,
                         const std::vector<DedupResult>& dedups, KeyStore& keys, const BlockingOptions& blocking) {
  return Matcher(config, sources, dedups, keys, blocking).Run();
}

}  // namespace cdmlake::unify
