// `cdmlake generate`: writes a synthetic D365 Finance & Operations lake, optionally with a change feed and with
// customer sources for unification (--customers), or the same kind of data in Synapse Link's incremental-folder
// layout.
#include <cstdio>

#include "cli/app.h"
#include "generate/changes.h"
#include "generate/customers.h"
#include "generate/d365_lake.h"
#include "generate/sample_measurement.h"
#include "generate/synapse_link.h"
#include "util/error.h"
#include "util/path.h"
#include "util/progress.h"
#include "util/staged_folder.h"

namespace cdmlake::cli {

namespace {

struct GenerateOptions {
  std::string out;    // where the files are written: the staging folder of `shown` (util/staged_folder.h)
  std::string shown;  // --out as an absolute path, for messages
  int64_t scale = 10000;
  uint64_t seed = 42;
  int changes = 0;  // 0: no change data
  std::string layout = "d365";
  bool no_measurement = false;  // skip the sample Entity Store measurement (d365 layout)
  int64_t customers = 0;        // 0: no customer sources
  std::string noise = "medium";
};

void GenerateCustomerSources(const GlobalOptions& global, const GenerateOptions& options) {
  generate::CustomerOptions o;
  o.out_dir = AbsolutePath(options.out);
  o.customers = options.customers;
  o.noise = generate::ParseNoiseLevel(options.noise);
  o.seed = options.seed;
  Progress progress("generating customers", static_cast<uint64_t>(o.customers));
  generate::CustomerSummary summary = generate::GenerateCustomers(*DefaultFileSystem(), o, &progress);
  progress.Finish();
  if (global.quiet) return;
  std::fprintf(stdout,
               "customers: %lld entities (%lld organizations, %lld households of %lld people), %s noise, "
               "%lld profile records\n",
               static_cast<long long>(summary.entities), static_cast<long long>(summary.organizations),
               static_cast<long long>(summary.households), static_cast<long long>(summary.household_members),
               generate::NoiseLevelName(o.noise), static_cast<long long>(summary.profile_records));
  for (const auto& t : summary.tables) {
    std::fprintf(stdout, "%-24s %12lld rows %4d files  %s/%s (%s)\n", t.name.c_str(), static_cast<long long>(t.rows),
                 t.files, generate::kCustomersFolder, t.name.c_str(), t.profile ? "customer source" : "activities");
  }
  std::fprintf(stdout, "customer truth (source,key,entity): %s\n",
               JoinPath(NormalizePath(options.shown), generate::kCustomersTruth).c_str());
}

constexpr int kDefaultSynapseChanges = 10;

// `path`, written below the staging folder `written`, as it will be found below `shown` after the commit.
std::string ShownPath(const std::string& path, const std::string& written, const std::string& shown) {
  const std::string normal = NormalizePath(path), staging = NormalizePath(written);
  return IsWithin(staging, normal) ? JoinPath(shown, RelativePath(staging, normal)) : path;
}

void PrintD365Summary(const GenerateOptions& options, const generate::D365LakeSummary& summary,
                      const generate::ChangeFeedSummary& feed, const generate::SampleMeasurementSummary* measurement) {
  const std::string& shown = options.shown;
  int64_t rows = 0;
  for (const auto& t : summary.tables) {
    std::fprintf(stdout, "%-24s %12lld rows %4d partitions  %s\n", t.name.c_str(), static_cast<long long>(t.rows),
                 t.partitions, t.folder.c_str());
    rows += t.rows;
  }
  std::fprintf(stdout, "wrote %lld rows, %.1f MB to %s\n", static_cast<long long>(rows),
               static_cast<double>(summary.bytes_written) / 1e6, shown.c_str());
  for (const auto& t : feed.tables) {
    std::fprintf(stdout, "change feed %-12s %8lld changes %8lld rows %2d files, %lld rows after them (_truth/%s.csv)\n",
                 t.name.c_str(), static_cast<long long>(t.events), static_cast<long long>(t.change_rows), t.files,
                 static_cast<long long>(t.final_rows), t.name.c_str());
  }
  if (measurement != nullptr) {
    std::fprintf(stdout, "sample measurement %s: %s (EMEX), %s/ and %s (AOT XML)\n", generate::kSampleMeasurementName,
                 ShownPath(measurement->package_path, options.out, shown).c_str(),
                 ShownPath(measurement->aot_dir, options.out, shown).c_str(),
                 ShownPath(measurement->axpp_path, options.out, shown).c_str());
  }
}

void GenerateD365(const GlobalOptions& global, const GenerateOptions& options) {
  generate::D365LakeOptions o{AbsolutePath(options.out), options.scale, options.seed};
  Progress progress("generating", static_cast<uint64_t>(generate::D365LakeRowCount(o.scale)));
  generate::D365LakeSummary summary = generate::GenerateD365Lake(*DefaultFileSystem(), o, &progress);
  progress.Finish();
  generate::ChangeFeedSummary feed;
  if (options.changes > 0) {
    generate::ChangeOptions changes;
    changes.percent = options.changes;
    changes.seed = options.seed;
    feed = generate::GenerateChangeFeed(*DefaultFileSystem(), NormalizePath(o.out_dir), summary, changes);
  }
  generate::SampleMeasurementSummary measurement;
  if (!options.no_measurement) {
    measurement = generate::WriteSampleMeasurement(*DefaultFileSystem(), {o.out_dir, options.seed});
  }
  if (!global.quiet) PrintD365Summary(options, summary, feed, options.no_measurement ? nullptr : &measurement);
  if (options.customers > 0) GenerateCustomerSources(global, options);
}

void GenerateSynapseLink(const GlobalOptions& global, const GenerateOptions& options) {
  generate::SynapseLinkOptions o;
  o.out_dir = AbsolutePath(options.out);
  o.scale = options.scale;
  o.seed = options.seed;
  o.changes.percent = options.changes > 0 ? options.changes : kDefaultSynapseChanges;
  o.changes.seed = options.seed;
  Progress progress("generating", static_cast<uint64_t>(generate::D365LakeRowCount(o.scale)));
  generate::SynapseLinkSummary summary = generate::GenerateSynapseLinkLake(*DefaultFileSystem(), o, &progress);
  progress.Finish();
  if (global.quiet) return;
  for (const auto& t : summary.tables) {
    std::fprintf(stdout, "%-24s %12lld rows written, %lld rows after them (_truth/%s.csv)\n", t.name.c_str(),
                 static_cast<long long>(t.rows_written), static_cast<long long>(t.final_rows), t.name.c_str());
  }
  std::fprintf(stdout, "wrote %zu timestamp folders (%s in progress), %.1f MB to %s\n", summary.folders.size(),
               summary.in_progress.c_str(), static_cast<double>(summary.bytes_written) / 1e6, options.shown.c_str());
}

}  // namespace

void RegisterGenerateCommand(CLI::App& app, GlobalOptions& global) {
  auto options = std::make_shared<GenerateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "generate",
      "Write a synthetic Dynamics 365 Finance & Operations Export-to-Data-Lake lake (CDM manifests, resolved entity\n"
      "documents and headerless CSV partitions for CustTable, DirPartyTable, LogisticsPostalAddress, SalesTable,\n"
      "SalesLine, InventTable, EcoResProduct and CustGroup). The same seed gives byte-identical files.");
  cmd->add_option("--out", options->out, "Folder to write the lake into (created if missing)")
      ->required()
      ->type_name("DIR");
  cmd->add_option("--scale", options->scale, "Approximate number of SalesLine rows; other tables scale with it")
      ->check(CLI::Range(int64_t{1}, generate::kMaxD365LakeScale));
  cmd->add_option("--seed", options->seed, "Seed of the pseudo-random data");
  cmd->add_option("--changes", options->changes,
                  "Also write inserts, updates and deletes over PCT percent of the rows of SalesLine, SalesTable\n"
                  "and CustTable (a ChangeFeed/ beside Tables/), with the expected final state under _truth/")
      ->check(CLI::Range(1, 100))
      ->type_name("PCT");
  cmd->add_option("--layout", options->layout,
                  "d365 (default): Export to Data Lake; synapse-link: Synapse Link incremental folders (root\n"
                  "model.json, timestamp folders, Changelog/changelog.info) holding the same tables and changes\n"
                  "(--changes defaults to 10)")
      ->check(CLI::IsMember({"d365", "synapse-link"}));
  cmd->add_flag("--no-measurement", options->no_measurement,
                "d365 layout: do not write the sample Entity Store measurement SalesAnalysis (an EMEX package\n"
                "EntityStore/SalesAnalysis.zip and the same as AOT XML in EntityStore/SalesAnalysis-aot/ and .axpp)");
  CLI::Option* customers =
      cmd->add_option("--customers", options->customers,
                      "Also write customer sources for unification below Customers/: ERP customers, CRM contacts\n"
                      "and POS loyalty members describing N true people and organizations with noise, their\n"
                      "purchases, and the true entity of every record in Customers/_truth/customers_truth.csv")
          ->check(CLI::Range(int64_t{1}, generate::kMaxCustomers))
          ->type_name("N");
  cmd->add_option("--noise", options->noise,
                  "Noise of the customer sources: low, medium (default) or high (typos, nicknames, swapped\n"
                  "names, phone and date formats, missing and dummy values, duplicates; docs/customer-generator.md)")
      ->check(CLI::IsMember({"low", "medium", "high"}))
      ->needs(customers)
      ->type_name("LEVEL");
  cmd->callback([options, &global] {
    if (options->customers > 0 && options->layout == "synapse-link") {
      throw Error(ErrorKind::kUser,
                  "--customers needs the d365 layout: a Synapse Link lake's root model.json would hide Customers/");
    }
    // Written beside --out and moved in at the end, so that a failure leaves --out as it was.
    StagedFolder staged(options->out.empty() ? "" : AbsolutePath(options->out));
    GenerateOptions staged_options = *options;
    staged_options.out = staged.dir();
    staged_options.shown = staged.target();
    if (options->layout == "synapse-link") {
      GenerateSynapseLink(global, staged_options);
    } else {
      GenerateD365(global, staged_options);
    }
    staged.Commit();
  });
}

}  // namespace cdmlake::cli
