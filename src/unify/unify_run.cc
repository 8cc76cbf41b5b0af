#include "unify/unify_run.h"

#include <chrono>
#include <functional>
#include <map>
#include <unordered_set>

#include "unify/normalize_nicknames.h"
#include "util/cpu_time.h"
#include "util/error.h"
#include "util/parallel.h"
#include "util/strings.h"

namespace cdmlake::unify {

namespace {

BlockingOptions Blocking(const UnifyConfig& config) {
  BlockingOptions options;
  options.max_block_size = static_cast<uint32_t>(config.limits.block_size_cap);
  options.skew_share = config.limits.skew_share;
  options.skew_min_rows = static_cast<uint32_t>(config.limits.skew_min_rows);
  options.skip_skewed = config.limits.skip_skewed;
  return options;
}

std::string Records(uint64_t n) { return std::to_string(n) + (n == 1 ? " record" : " records"); }

// A blocking warning of a rule. Blocking's left side is the rule's target (match) or its own source (dedup).
std::string Describe(const RuleStats& rule, const BlockWarning& w) {
  if (w.qgram) {
    return "the q-gram '" + w.key + "' is in " + Records(w.rows) +
           ", more than limits.block_size_cap: it finds no candidates, so those records are compared only " +
           "through their other q-grams and may miss a match";
  }
  std::string what = w.over_cap && w.skewed ? "a block over the size cap and a skewed value"
                     : w.over_cap           ? "a block over the size cap"
                                            : "a skewed value";
  std::string held = rule.target.empty() ? Records(w.rows)
                                         : Records(w.right_rows) + " of " + rule.source + " and " +
                                               std::to_string(w.rows) + " of " + rule.target;
  return what + " '" + w.key + "' held by " + held +
         (w.expanded ? "" : ": its " + std::to_string(w.pairs) + " pairs were not compared");
}

void AddWarnings(const std::vector<RuleStats>& rules, std::vector<std::string>* warnings) {
  for (const RuleStats& r : rules) {
    for (const BlockWarning& w : r.warnings) {
      warnings->push_back(r.source + ", rule " + r.rule + ": " + Describe(r, w));
    }
  }
}

// Custom pairs naming a record that no source holds (a typo, or a record deleted since the list was written) do
// nothing; each list says how many, with the first such pair's place in the configuration.
void AddUnknownPairWarnings(const UnifyConfig& config, const std::vector<ProfileTable>& tables,
                            std::vector<std::string>* warnings) {
  if (config.always_match.empty() && config.never_match.empty()) return;
  std::map<std::string, std::unordered_set<std::string_view>> keys;  // per source named by a pair
  auto holds = [&](const std::string& source, const std::string& key) {
    auto it = keys.find(source);
    if (it == keys.end()) {
      std::unordered_set<std::string_view>& set = keys[source];
      for (const ProfileTable& t : tables) {
        if (t.name != source) continue;
        set.reserve(t.size());
        for (size_t r = 0; r < t.size(); ++r) set.insert(t.Key(r));
      }
      it = keys.find(source);
    }
    return it->second.contains(key);
  };
  for (const auto& [list, pairs] : {std::pair{"always_match", &config.always_match},
                                    std::pair{"never_match", &config.never_match}}) {
    size_t unknown = 0;
    const CustomPair* first = nullptr;
    std::string example;
    for (const CustomPair& p : *pairs) {
      const bool known1 = holds(p.source1.name, p.key1), known2 = holds(p.source2.name, p.key2);
      if (known1 && known2) continue;
      if (unknown++ == 0) {
        first = &p;
        example = known1 ? p.source2.name + ":" + p.key2 : p.source1.name + ":" + p.key1;
      }
    }
    if (unknown == 0) continue;
    warnings->push_back(first->mark.ToString() + ": " + list + ": " + std::to_string(unknown) +
                        (unknown == 1 ? " pair names" : " pairs name") + " a record no source holds (" + example +
                        (unknown == 1 ? ")" : " is the first)") + " and " + (unknown == 1 ? "is" : "are") +
                        " left out");
  }
}

// The stable-id values of a profile: per configured field, the first non-null value of that unified field's
// origins scanning the profile's tables in match order.
// `fields`: UnifiedFields of the configuration (what the merge's fields will be; merge runs at the same time).
std::vector<std::optional<StableIdValue>> StableValues(const UnifyResult& run, const std::vector<UnifiedField>& fields,
                                                       size_t profile) {
  std::vector<std::optional<StableIdValue>> out;
  for (const NameRef& name : run.config->stable_id) {
    std::optional<StableIdValue> value;
    for (const UnifiedField& field : fields) {
      if (!EqualsIgnoreCase(field.name, name.name)) continue;
      for (size_t i = 0; i < run.tables.size() && !value; ++i) {
        for (const auto& [source, column] : field.origins) {
          if (source != run.tables[i].name || value) continue;
          int c = run.tables[i].ColumnIndex(column);
          for (const Attachment& a : run.match.profiles[profile].groups) {
            if (a.group.source != i || c < 0) continue;
            const auto& v = run.tables[i].Value(c, run.dedups[i].ValueRow(c, a.group.group));
            if (v && !Trim(*v).empty()) {
              value = StableIdValue{source, std::string(*v)};
              break;
            }
          }
        }
      }
    }
    out.push_back(std::move(value));
  }
  return out;
}

// Match, merge and CustomerIds: the steps after dedup.
void MatchAndMerge(const UnifyConfig& config, const std::vector<size_t>& order, const BlockingOptions& blocking,
                   std::span<const PreviousKey> previous, Progress* progress,
                   const std::function<void(const char*)>& lap, UnifyResult* result) {
  UnifyResult& run = *result;
  run.match = MatchSources(config, order, run.dedups, *run.keys, blocking);
  run.keys->Release();  // merge and the outputs hold their own memory; explain computes the keys it shows again
  lap("match");
  AddWarnings(run.match.rules, &run.warnings);
  if (progress) progress->SetFraction(0.8);

  // Merge and CustomerIds both read only the match result, so they run side by side (each also in ranges); the
  // step is timed as one.
  std::vector<const ProfileTable*> tables;
  for (const auto& t : run.tables) tables.push_back(&t);
  const std::vector<UnifiedField> fields = UnifiedFields(config);
  CustomerIdResult ids;
  RunTasks(2, [&](size_t task) {
    if (task == 0) {
      run.merge = MergeProfiles(config, tables, run.dedups, run.match);
      return;
    }
    std::vector<EntityRecords> entities(run.match.profiles.size());
    ParallelFor(entities.size(), 16384, [&](size_t begin, size_t end) {
      for (size_t p = begin; p < end; ++p) {
        for (const Attachment& a : run.match.profiles[p].groups) {
          const ProfileTable& t = run.tables[a.group.source];
          const DedupResult& d = run.dedups[a.group.source];
          // The winner first, so the anchor is the first winner key in match order.
          const uint32_t winner = d.winner[a.group.group];
          entities[p].records.push_back({t.name, t.Key(winner)});
          for (uint32_t r : d.groups[a.group.group]) {
            if (r != winner) entities[p].records.push_back({t.name, t.Key(r)});
          }
        }
        entities[p].stable_values = StableValues(run, fields, p);
      }
    });
    ids = AssignCustomerIds(entities, previous);
  });
  run.id_stats = ids.stats;
  for (auto& a : ids.assignments) {
    run.customer_ids.push_back(std::move(a.customer_id));
    run.previous_customer_ids.push_back(Join(a.previous_customer_ids, ";"));
  }
  lap("merge and customer ids");
  if (progress) progress->SetFraction(0.9);
}

}  // namespace

UnifyResult::UnifyResult(UnifyResult&& other) noexcept
    : config(other.config),
      tables(std::move(other.tables)),
      keys(std::move(other.keys)),
      dedups(std::move(other.dedups)),
      match(std::move(other.match)),
      merge(std::move(other.merge)),
      customer_ids(std::move(other.customer_ids)),
      previous_customer_ids(std::move(other.previous_customer_ids)),
      id_stats(other.id_stats),
      warnings(std::move(other.warnings)),
      timings(std::move(other.timings)),
      cpu_timings(std::move(other.cpu_timings)) {
  if (keys) keys->Rebind(tables);
}

int UnifyResult::SourceIndex(const std::string& name) const {
  for (size_t i = 0; i < tables.size(); ++i) {
    if (tables[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

UnifyResult RunUnification(const UnifyConfig& config, engine::Database& database, const lake::Catalog* catalog,
                           std::span<const PreviousKey> previous, Progress* progress, const AfterDedup* after_dedup) {
  UnifyResult run;
  run.config = &config;
  auto started = std::chrono::steady_clock::now();
  double cpu_started = ProcessCpuSeconds();
  auto lap = [&](const char* step) {
    auto now = std::chrono::steady_clock::now();
    const double cpu_now = ProcessCpuSeconds();
    run.timings.emplace_back(step, std::chrono::duration<double>(now - started).count());
    run.cpu_timings.emplace_back(step, cpu_now - cpu_started);
    started = now;
    cpu_started = cpu_now;
  };
  std::vector<const Source*> sources;
  for (const NameRef& name : config.match.order) {
    const Source* source = config.FindSource(name.name);
    if (!source) throw Error(ErrorKind::kUser, "unknown source " + name.name + " in match.order", {config.file});
    sources.push_back(source);
  }
  // The sources are read side by side, each through its own reader and connection (cdmlake's CSV reader for
  // plain lake tables, DuckDB for the rest): one source's reading overlaps another's key checks.
  run.tables.resize(sources.size());
  RunTasks(sources.size(), [&](size_t i) {
    SourceReader reader(database, catalog);
    run.tables[i] = LoadProfileTable(reader, *sources[i]);
  });
  for (const ProfileTable& t : run.tables) {
    if (const int64_t n = t.duplicate_keys; n > 0) {
      run.warnings.push_back(t.name + ": " + std::to_string(n) +
                             (n == 1 ? " row repeats a primary key seen before and was dropped"
                                     : " rows repeat a primary key seen before and were dropped") +
                             " (the first row wins), e.g. " + Join(t.duplicate_examples, ", "));
    }
    if (const size_t n = t.quarantined.size(); n > 0) {
      run.warnings.push_back(t.name + ": " + std::to_string(n) +
                             (n == 1 ? " row without a primary key was" : " rows without a primary key were") +
                             " quarantined (see " + t.name + "_Corrupt)");
    }
    for (const ProfileTable::Unparsed& u : t.unparsed) {
      run.warnings.push_back(t.name + "." + u.column + ": " + UnfitValues(u.values, u.format) + " (" +
                             (u.values == 1 ? "data row " : "the first in data row ") + std::to_string(u.first_row) +
                             ")");
    }
  }
  AddUnknownPairWarnings(config, run.tables, &run.warnings);
  if (progress) progress->SetFraction(0.3);

  lap("load");
  std::shared_ptr<const NicknameTable> nicknames;
  if (!config.resources.nicknames.empty()) {
    nicknames = std::make_shared<const NicknameTable>(LoadNicknameFile(config.resources.nicknames));
  }
  run.keys = std::make_unique<KeyStore>(config, run.tables, nicknames);
  const BlockingOptions blocking = Blocking(config);
  std::vector<size_t> order;
  for (size_t i = 0; i < run.tables.size(); ++i) order.push_back(i);
  // Each source is deduplicated on its own, so the sources run side by side (the KeyStore is shared and locks).
  // Meanwhile one more task computes the comparison keys of the match rules (matching runs rule after rule, and
  // the keys its rules share with dedup rules are computed once either way).
  auto prefetch_match_keys = [&] {
    for (const SourceRules& rules : config.match.rules) {
      const int own = run.SourceIndex(rules.source.name);
      for (size_t k = 0; own >= 0 && k < rules.rules.size(); ++k) {
        const Rule& rule = rules.rules[k];
        const int target = run.SourceIndex(rule.target.empty() ? config.match.order[0].name : rule.target.name);
        if (target >= 0 && target < own) CompileRule(rule, k, target, own, *run.keys);  // else match reports it
      }
    }
  };
  const size_t sources_count = run.tables.size();
  run.dedups.resize(sources_count);
  RunTasks(sources_count + 1, [&](size_t i) {
    if (i == sources_count) {
      prefetch_match_keys();
    } else {
      run.dedups[i] = Deduplicate(config, i, *run.keys, blocking);
    }
  });
  for (const DedupResult& d : run.dedups) AddWarnings(d.rules, &run.warnings);
  if (progress) progress->SetFraction(0.6);
  lap("dedup");
  const bool started_after_dedup = after_dedup && after_dedup->start;
  if (started_after_dedup) after_dedup->start(run);
  try {
    MatchAndMerge(config, order, blocking, previous, progress, lap, &run);
  } catch (...) {
    if (started_after_dedup && after_dedup->stop) after_dedup->stop();
    throw;
  }
  return run;
}

}  // namespace cdmlake::unify
