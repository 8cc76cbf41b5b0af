// `cdmlake unify`: customer unification (docs/unify.md): run it into the lake, explain a profile, evaluate it
// against known truth.

#include <cstdio>
#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "cli/app.h"
#include "lake/catalog.h"
#include "unify/config_loader.h"
#include "unify/config_validate.h"
#include "unify/evaluation.h"
#include "unify/explain.h"
#include "unify/lake_tables.h"
#include "unify/unify_output.h"
#include "unify/unify_run.h"
#include "util/cpu_time.h"
#include "util/error.h"
#include "util/exit_memory.h"
#include "util/path.h"
#include "util/progress.h"
#include "util/strings.h"

namespace cdmlake::cli {

namespace {

struct UnifyOptions {
  std::string config;
  std::string format = "table";
  std::string truth;
  std::string target;
};

bool UsesLakeTables(const unify::UnifyConfig& config) {
  for (const auto& s : config.sources) {
    if (!s.table.empty()) return true;
  }
  for (const auto& a : config.activities) {
    if (!a.table.empty()) return true;
  }
  return false;
}

// The configuration, checked against the columns of its sources: every problem is reported at once.
struct LoadedConfig {
  unify::UnifyConfig config;
  std::optional<lake::Catalog> catalog;  // only when a source is a lake table
};

std::unique_ptr<LoadedConfig> LoadConfig(const GlobalOptions& global, const std::string& path) {
  auto loaded = std::make_unique<LoadedConfig>();
  loaded->config = unify::LoadUnifyConfig(AbsolutePath(path));
  unify::SourceColumns columns = unify::CsvSourceColumns(loaded->config);
  std::vector<unify::ConfigProblem> problems;
  if (UsesLakeTables(loaded->config)) {
    loaded->catalog.emplace(lake::Catalog::Open(*DefaultFileSystem(), global.LakeRoot(), {}));
    problems = unify::ResolveLakeTables(&loaded->config, *loaded->catalog, &columns);
  }
  for (auto& p : unify::ValidateUnifyConfig(loaded->config, columns)) problems.push_back(std::move(p));
  unify::ThrowIfErrors(problems, loaded->config.file);
  for (const auto& p : problems) Warn(global, p.ToString(/*with_severity=*/false));
  return loaded;
}

const lake::Catalog* CatalogOf(const LoadedConfig& loaded) {
  return loaded.catalog ? &*loaded.catalog : nullptr;
}

unify::UnifyResult Unify(const GlobalOptions& global, const LoadedConfig& loaded, engine::Database& database,
                         const std::string& what, const unify::AfterDedup* after_dedup = nullptr) {
  std::vector<unify::PreviousKey> previous =
      unify::ReadPreviousKeys(database, *DefaultFileSystem(), global.LakeRoot(), loaded.config);
  Progress progress(what, 0);
  unify::UnifyResult run =
      unify::RunUnification(loaded.config, database, CatalogOf(loaded), previous, &progress, after_dedup);
  progress.Finish();
  for (const auto& w : run.warnings) Warn(global, w);
  return run;
}

nlohmann::ordered_json RunJson(const unify::UnifyResult& run, const unify::OutputReport& output,
                               double write_cpu_seconds) {
  nlohmann::ordered_json j;
  j["manifest"] = output.manifest;
  j["profiles"] = run.match.profiles.size();
  j["sources"] = nlohmann::ordered_json::array();
  for (size_t i = 0; i < run.tables.size(); ++i) {
    const auto& t = run.tables[i];
    const auto& d = run.dedups[i];
    j["sources"].push_back({{"name", t.name},
                            {"rows_read", t.rows_read},
                            {"records", t.size()},
                            {"quarantined", t.quarantined.size()},
                            {"duplicate_keys", t.duplicate_keys},
                            {"dedup_groups", d.groups.size()},
                            {"duplicates", d.duplicates()},
                            {"dropped_groups", run.match.dropped_groups[i]}});
  }
  j["rules"] = nlohmann::ordered_json::array();
  auto rule_json = [](const unify::RuleStats& r, const char* step) {
    return nlohmann::ordered_json{{"step", step},           {"source", r.source},
                                  {"rule", r.rule},         {"target", r.target},
                                  {"candidate_pairs", r.candidate_pairs}, {"links", r.links},
                                  {"records_matched", r.records_matched}, {"warnings", r.warnings.size()}};
  };
  auto match_rule_json = [&rule_json](const unify::RuleStats& r) {
    nlohmann::ordered_json rule = rule_json(r, "match");
    rule["profiles_after"] = r.profiles_after;
    return rule;
  };
  for (const auto& d : run.dedups) {
    for (const auto& r : d.rules) j["rules"].push_back(rule_json(r, "dedup"));
  }
  for (const auto& r : run.match.rules) j["rules"].push_back(match_rule_json(r));
  j["customer_ids"] = {{"stable", run.id_stats.stable},       {"inherited", run.id_stats.inherited},
                       {"split", run.id_stats.split},         {"new", run.id_stats.fresh},
                       {"merged", run.id_stats.merged},       {"vanished", run.id_stats.vanished}};
  j["seconds"] = nlohmann::ordered_json::object();
  for (const auto& [step, seconds] : run.timings) j["seconds"][step] = seconds;
  j["seconds"]["write"] = output.seconds;
  j["cpu_seconds"] = nlohmann::ordered_json::object();
  for (const auto& [step, seconds] : run.cpu_timings) j["cpu_seconds"][step] = seconds;
  j["cpu_seconds"]["write"] = write_cpu_seconds;
  j["rows"] = output.rows;
  j["activities"] = nlohmann::ordered_json::array();
  for (const auto& a : output.activities) {
    j["activities"].push_back({{"name", a.name},
                               {"rows", a.rows},
                               {"linked", a.linked},
                               {"unlinked", a.unlinked},
                               {"no_key", a.no_key},
                               {"duplicate_keys", a.duplicate_keys}});
  }
  return j;
}

void PrintRun(const unify::UnifyResult& run, const unify::OutputReport& output) {
  std::printf("%-28s %10s %10s %11s %10s %10s\n", "source", "records", "dedup", "quarantined", "dup. keys",
              "dropped");
  for (size_t i = 0; i < run.tables.size(); ++i) {
    const auto& t = run.tables[i];
    std::printf("%-28s %10zu %10zu %11zu %10lld %10llu\n", t.name.c_str(), t.size(), run.dedups[i].groups.size(),
                t.quarantined.size(), static_cast<long long>(t.duplicate_keys),
                static_cast<unsigned long long>(run.match.dropped_groups[i]));
  }
  std::printf("\n%-6s %-24s %-28s %14s %10s %10s %10s\n", "step", "source", "rule", "pairs compared", "links",
              "matched", "profiles");
  auto print_rule = [](const unify::RuleStats& r, const char* step) {
    std::string rule = r.target.empty() ? r.rule : r.rule + " -> " + r.target;
    // Dedup rules run together, so only match rules have a count of their own for these two columns.
    std::printf("%-6s %-24s %-28s %14llu %10llu %10s %10s\n", step, r.source.c_str(), rule.c_str(),
                static_cast<unsigned long long>(r.candidate_pairs), static_cast<unsigned long long>(r.links),
                r.target.empty() ? "" : std::to_string(r.records_matched).c_str(),
                r.target.empty() ? "" : std::to_string(r.profiles_after).c_str());
  };
  for (const auto& d : run.dedups) {
    for (const auto& r : d.rules) print_rule(r, "dedup");
  }
  for (const auto& r : run.match.rules) print_rule(r, "match");
  std::printf("\n%zu unified customer profiles (ids: %lld kept, %lld new, %lld split, %lld merged)\n",
              run.match.profiles.size(), static_cast<long long>(run.id_stats.inherited + run.id_stats.stable),
              static_cast<long long>(run.id_stats.fresh), static_cast<long long>(run.id_stats.split),
              static_cast<long long>(run.id_stats.merged));
  for (const auto& a : output.activities) {
    std::printf("activity %-24s %10lld rows, %lld linked, %lld without a customer", a.name.c_str(),
                static_cast<long long>(a.rows), static_cast<long long>(a.linked), static_cast<long long>(a.unlinked));
    if (const int64_t left_out = a.no_key + a.duplicate_keys; left_out > 0) {
      std::printf(", %lld left out (no key, or a repeated one)", static_cast<long long>(left_out));
    }
    std::printf("\n");
  }
  std::printf("committed %s\n", output.manifest.c_str());
}

void Run(const GlobalOptions& global, const UnifyOptions& options) {
  auto loaded = LoadConfig(global, options.config);
  engine::Database database(global.EngineSettings());
  // The run is declared before the writer, so it is destroyed after it: a write-ahead never outlives what it reads.
  std::optional<unify::UnifyResult> run;
  unify::UnificationWriter writer(loaded->config, database, CatalogOf(*loaded), *DefaultFileSystem(),
                                  global.LakeRoot());
  // The Deduplication tables are written while matching runs (their time counts in match's).
  const unify::AfterDedup after_dedup{[&writer](const unify::UnifyResult& r) { writer.WriteDeduplicationAhead(r); },
                                      [&writer] { writer.Abandon(); }};
  run.emplace(Unify(global, *loaded, database, "unifying", &after_dedup));
  const double write_started = ProcessCpuSeconds();
  unify::OutputReport output = writer.Finish(*run);
  const double write_cpu = ProcessCpuSeconds() - write_started;
  for (const auto& w : output.warnings) Warn(global, w);
  if (options.format == "json") {
    std::printf("%s\n", RunJson(*run, output, write_cpu).dump(2).c_str());
  } else if (!global.quiet) {
    PrintRun(*run, output);
  }
  KeepUntilExit(std::move(*run));  // the command ends here: no need to free a million profiles value by value
}

void Explain(const GlobalOptions& global, const UnifyOptions& options) {
  auto loaded = LoadConfig(global, options.config);
  engine::Database database(global.EngineSettings());
  unify::UnifyResult run = Unify(global, *loaded, database, "unifying");
  int32_t profile = unify::FindProfile(run, options.target);
  const unify::Explanation explanation = unify::ExplainProfile(run, profile);
  if (options.format == "json") {
    std::printf("%s\n", unify::ExplanationJson(explanation).dump(2).c_str());
  } else {
    std::printf("%s", unify::ExplanationText(explanation).c_str());
  }
}

// Every record of every source with the CustomerId of its profile ("" when its group was dropped), against the
// truth file.
void Evaluate(const GlobalOptions& global, const UnifyOptions& options) {
  auto loaded = LoadConfig(global, options.config);
  std::vector<unify::TruthRecord> truth = unify::LoadTruthCsv(AbsolutePath(options.truth), *DefaultFileSystem());
  engine::Database database(global.EngineSettings());
  unify::UnifyResult run = Unify(global, *loaded, database, "unifying");
  std::vector<unify::PredictedRecord> predicted;
  for (size_t s = 0; s < run.tables.size(); ++s) {
    for (uint32_t r = 0; r < run.tables[s].size(); ++r) {
      int32_t p = run.ProfileOf(s, r);
      predicted.push_back({run.tables[s].name, std::string(run.tables[s].Key(r)), p >= 0 ? run.customer_ids[p] : ""});
    }
  }
  std::vector<std::string> sources;
  for (const auto& t : run.tables) sources.push_back(t.name);
  if (std::vector<std::string> unknown = unify::UnknownTruthSources(truth, sources); !unknown.empty()) {
    Warn(global, AbsolutePath(options.truth) + ": the truth names sources the configuration does not have (" + Join(unknown, ", ") +
                     "; it has " + Join(sources, ", ") + "): their records are not evaluated. The source column " +
                     "must hold the configuration's source names");
  }
  unify::Evaluation evaluation = unify::Evaluate(predicted, truth);
  if (options.format == "json") {
    std::printf("%s\n", unify::EvaluationJson(evaluation).dump(2).c_str());
  } else {
    std::printf("%s", unify::EvaluationText(evaluation).c_str());
  }
}

}  // namespace

void RegisterUnifyCommands(CLI::App& app, GlobalOptions& global) {
  CLI::App* unify = app.add_subcommand(
      "unify",
      "Customer unification (Customer Insights semantics): deduplicate, match and merge customer records of several\n"
      "sources into profiles with stable CustomerIds, written to the lake as CDM (docs/unify.md).");
  unify->require_subcommand(1);
  auto options = std::make_shared<UnifyOptions>();

  CLI::App* run = unify->add_subcommand(
      "run", "Unify the sources of a configuration and write Customer, AlternateKey, ConflationMatchPairs,\n"
             "Deduplication_<Source>, <Source>_Corrupt and UnifiedActivity to <lake>/<output folder>/.");
  run->add_option("--config", options->config, "The unify.yaml configuration")->required();
  run->add_option("--format", options->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  run->callback([options, &global] { Run(global, *options); });

  CLI::App* explain = unify->add_subcommand(
      "explain", "Why records were merged into one profile: its records, the rules and scores that linked them,\n"
                 "the normalized values compared, and where each unified field came from.");
  explain->add_option("--config", options->config, "The unify.yaml configuration")->required();
  explain->add_option("TARGET", options->target, "A CustomerId, or SOURCE:KEY of a source record")->required();
  explain->add_option("--format", options->format, "table (readable text) or json")
      ->check(CLI::IsMember({"table", "json"}));
  explain->callback([options, &global] { Explain(global, *options); });

  CLI::App* evaluate = unify->add_subcommand(
      "evaluate", "Accuracy against known truth: pairwise and B-cubed precision, recall and F1 of the profiles.\n"
                  "The truth is a CSV file with the header source,key,entity (the true entity of each record).");
  evaluate->add_option("--config", options->config, "The unify.yaml configuration")->required();
  evaluate->add_option("--truth", options->truth, "CSV file: source,key,entity")->required();
  evaluate->add_option("--format", options->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  evaluate->callback([options, &global] { Evaluate(global, *options); });
}

}  // namespace cdmlake::cli
