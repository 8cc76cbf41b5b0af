#include "unify/dedup.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <span>
#include <unordered_map>

#include "util/error.h"
#include "util/strings.h"

namespace cdmlake::unify {

std::vector<Rule> DedupRules(const UnifyConfig& config, const std::string& source) {
  for (const Dedup& d : config.dedup) {
    if (d.source.name == source && !d.rules.empty()) return d.rules;
  }
  Rule implicit;
  implicit.name = "Match-rule columns";
  std::vector<std::string> seen;
  auto add = [&](const std::string& column, const Condition& from) {
    for (const auto& s : seen) {
      if (EqualsIgnoreCase(s, column)) return;
    }
    seen.push_back(column);
    Condition c;
    c.left.name = column;
    c.right.name = column;
    c.normalize = from.normalize;
    c.aliases = from.aliases;
    c.bypass = from.bypass;
    implicit.conditions.push_back(std::move(c));
  };
  for (const SourceRules& rules : config.match.rules) {
    for (const Rule& rule : rules.rules) {
      std::string target = rule.target.empty() && !config.match.order.empty() ? config.match.order[0].name
                                                                               : rule.target.name;
      for (const Condition& c : rule.conditions) {
        if (rules.source.name == source) add(c.right.name, c);
        if (target == source) add(c.left.name, c);
      }
    }
  }
  if (implicit.conditions.empty()) return {};
  return {implicit};
}

namespace {

const Dedup* FindDedup(const UnifyConfig& config, const std::string& source) {
  for (const Dedup& d : config.dedup) {
    if (d.source.name == source) return &d;
  }
  return nullptr;
}

// Where the links of a source's rules go, in the order they are found. Clustering under never-match pairs needs
// them all, strongest first (union_find.h), so they are kept then; without such pairs each link is folded into
// the evidence and the union-find at once, and memory does not grow with the number of links (a source with many
// blocks just under the size cap links hundreds of millions of pairs). Both give the same groups and evidence.
class LinkSink {
 public:
  LinkSink(uint32_t size, bool keep, uint32_t always_rule)
      : size_(size), keep_(keep), always_rule_(always_rule), evidence_(size) {
    if (!keep_) sets_.emplace(size);
  }

  void Add(const Link& l) {
    // Evidence per record: the strongest link touching it, the first found among equals (always-match scores
    // 2.0 so that it wins).
    for (auto [self, other] : {std::pair{l.a, l.b}, std::pair{l.b, l.a}}) {
      LinkEvidence& e = evidence_[self];
      if (e.rule == -1 || l.score > e.score) {
        e = {l.rule == always_rule_ ? -2 : static_cast<int>(l.rule), std::min(l.score, 1.0), other};
      }
    }
    if (keep_) {
      links_.push_back(l);
    } else {
      sets_->Union(l.a, l.b);
    }
  }

  Clustering Finish(std::span<const CannotLinkPair> never) {
    if (keep_) return Cluster(size_, std::move(links_), never);
    Clustering out;
    out.group = sets_->Representatives();
    out.group_count = sets_->set_count();
    return out;
  }
  std::vector<LinkEvidence> TakeEvidence() { return std::move(evidence_); }

 private:
  uint32_t size_;
  bool keep_;
  uint32_t always_rule_;
  std::vector<LinkEvidence> evidence_;
  std::vector<Link> links_;         // keep_ only
  std::optional<UnionFind> sets_;   // !keep_ only
};

// Links of one rule: candidate pairs from blocking, each scored.
void RunRule(const CompiledRule& rule, uint32_t index, const BlockingOptions& blocking, LinkSink* links,
             RuleStats* stats) {
  auto accept = [&](uint32_t a, uint32_t b) {
    ++stats->candidate_pairs;
    if (auto score = ScorePair(rule, a, b)) {
      links->Add({a, b, index, *score});
      ++stats->links;
    }
  };
  if (!rule.exact.empty()) {
    SideKeys keys = BlockingKeys(rule, false);
    ExactBlocking blocks(keys.views, blocking);
    stats->warnings = blocks.warnings();
    blocks.ForEachPair(accept);
    return;
  }
  if (rule.fuzzy.empty()) return;
  const CompiledCondition& first = rule.fuzzy[0];
  QGramResult result = QGramCandidates(first.right->views, first.precision, QGramOptionsFor(blocking),
                                       [&](uint32_t i, uint32_t j) { accept(std::min(i, j), std::max(i, j)); });
  stats->warnings = QGramBlockWarnings(result);
}

// Non-null mapped values of a record.
int Filled(const ProfileTable& table, uint32_t record) {
  int n = 0;
  for (const TextColumn& column : table.values) n += column.IsNull(record) ? 0 : 1;
  return n;
}

// Whether record a wins over record b under the policy (ties: the larger key).
bool Wins(const ProfileTable& table, const Winner& winner, int recency, uint32_t a, uint32_t b) {
  if (winner.policy == WinnerPolicy::kMostFilled) {
    int fa = Filled(table, a), fb = Filled(table, b);
    if (fa != fb) return fa > fb;
  } else if (recency >= 0) {
    const TextView va = table.Value(recency, a);
    const TextView vb = table.Value(recency, b);
    if (va.has_value() != vb.has_value()) return va.has_value();  // a known date beats none
    if (va && vb && *va != *vb) {
      bool later = CompareRecency(*va, *vb) > 0;
      return winner.policy == WinnerPolicy::kMostRecent ? later : !later;
    }
  }
  return CompareKeys(table.Key(a), table.Key(b)) > 0;
}

}  // namespace

int CompareKeys(std::string_view a, std::string_view b) {
  int64_t x = 0, y = 0;
  if (ParseInt64(a, &x) && ParseInt64(b, &y)) return x < y ? -1 : (x > y ? 1 : 0);
  return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

namespace {

// The whole text as a finite number, or nullopt.
std::optional<double> ParseNumber(std::string_view text) {
  double value = 0;
  const char* end = text.data() + text.size();
  if (text.empty()) return std::nullopt;
  auto [ptr, error] = std::from_chars(text.data() + (text[0] == '+' ? 1 : 0), end, value);
  if (error != std::errc() || ptr != end || !std::isfinite(value)) return std::nullopt;
  return value;
}

}  // namespace

int CompareRecency(std::string_view a, std::string_view b) {
  int64_t x = 0, y = 0;
  if (ParseInt64(a, &x) && ParseInt64(b, &y)) return x < y ? -1 : (x > y ? 1 : 0);
  const std::optional<double> u = ParseNumber(a), v = ParseNumber(b);
  if (u && v) return *u < *v ? -1 : (*u > *v ? 1 : 0);
  return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

DedupResult Deduplicate(const UnifyConfig& config, size_t source, KeyStore& keys, const BlockingOptions& blocking) {
  const ProfileTable& table = keys.table(source);
  DedupResult result;
  result.source = table.name;
  std::vector<Rule> rules = DedupRules(config, table.name);

  // Custom pairs within this source, by primary key.
  // Indexed only when a custom pair names this source (an index of a million keys is not free).
  std::unordered_map<std::string_view, uint32_t> index;
  auto record = [&](const std::string& key) -> std::optional<uint32_t> {
    if (index.empty()) {
      index.reserve(table.size());
      for (uint32_t r = 0; r < table.size(); ++r) index.emplace(table.Key(r), r);
    }
    auto it = index.find(key);
    if (it == index.end()) return std::nullopt;
    return it->second;
  };
  std::vector<CannotLinkPair> never;
  for (const CustomPair& p : config.never_match) {
    if (p.source1.name != table.name || p.source2.name != table.name) continue;
    auto a = record(p.key1), b = record(p.key2);
    if (a && b && *a != *b) never.push_back({*a, *b});
  }

  const uint32_t always_rule = static_cast<uint32_t>(rules.size());
  LinkSink links(static_cast<uint32_t>(table.size()), /*keep=*/!never.empty(), always_rule);
  for (size_t i = 0; i < rules.size(); ++i) {
    CompiledRule rule = CompileRule(rules[i], i, source, source, keys);
    result.rule_names.push_back(rule.name);
    RuleStats stats;
    stats.source = table.name;
    stats.rule = rule.name;
    RunRule(rule, static_cast<uint32_t>(i), blocking, &links, &stats);
    result.rules.push_back(std::move(stats));
  }
  for (const CustomPair& p : config.always_match) {
    if (p.source1.name != table.name || p.source2.name != table.name) continue;
    auto a = record(p.key1), b = record(p.key2);
    if (a && b && *a != *b) links.Add({std::min(*a, *b), std::max(*a, *b), always_rule, 2.0});
  }

  Clustering clustering = links.Finish(never);
  result.evidence = links.TakeEvidence();
  result.refused = std::move(clustering.refused);
  result.groups = GroupMembers(clustering.group);
  result.group.assign(table.size(), 0);
  for (uint32_t g = 0; g < result.groups.size(); ++g) {
    for (uint32_t r : result.groups[g]) result.group[r] = g;
  }

  const Dedup* dedup = FindDedup(config, table.name);
  Winner winner = dedup ? dedup->winner : Winner{};
  int recency = winner.recency.empty() ? -1 : table.ColumnIndex(winner.recency.name);
  result.winner.resize(result.groups.size());
  for (uint32_t g = 0; g < result.groups.size(); ++g) {
    uint32_t best = result.groups[g][0];
    for (uint32_t r : result.groups[g]) {
      if (r != best && Wins(table, winner, recency, r, best)) best = r;
    }
    result.winner[g] = best;
    // A singleton's record, and the record the others joined, carry no evidence.
    if (result.groups[g].size() == 1) result.evidence[best] = LinkEvidence{};
  }
  // The advanced winner: per configured column, the best row by that column's policy among the rows with a value
  // (the group's winner when none has one).
  for (const ColumnWinner& c : dedup ? std::span<const ColumnWinner>(dedup->column_winners)
                                     : std::span<const ColumnWinner>()) {
    DedupResult::ColumnWinnerRows rows;
    rows.column = table.ColumnIndex(c.column.name);
    if (rows.column < 0) continue;  // the validator reports it
    const int column_recency = c.winner.recency.empty() ? -1 : table.ColumnIndex(c.winner.recency.name);
    rows.row = result.winner;
    for (uint32_t g = 0; g < result.groups.size(); ++g) {
      if (result.groups[g].size() == 1) continue;
      std::optional<uint32_t> best;
      for (uint32_t r : result.groups[g]) {
        const TextView value = table.Value(rows.column, r);
        if (!value || Trim(*value).empty()) continue;
        if (!best || Wins(table, c.winner, column_recency, r, *best)) best = r;
      }
      if (best) rows.row[g] = *best;
    }
    result.column_winners.push_back(std::move(rows));
  }
  return result;
}

}  // namespace cdmlake::unify
