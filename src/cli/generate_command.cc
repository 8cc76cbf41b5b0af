// `cdmlake generate`: writes a synthetic D365 Finance & Operations lake.
#include <cstdio>

#include "cli/app.h"
#include "generate/d365_lake.h"
#include "util/path.h"
#include "util/progress.h"

namespace cdmlake::cli {

void RegisterGenerateCommand(CLI::App& app, GlobalOptions& global) {
  struct Options {
    std::string out;
    int64_t scale = 10000;
    uint64_t seed = 42;
  };
  auto options = std::make_shared<Options>();
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
  cmd->callback([options, &global] {
    generate::D365LakeOptions o{AbsolutePath(options->out), options->scale, options->seed};
    Progress progress("generating", static_cast<uint64_t>(generate::D365LakeRowCount(o.scale)));
    generate::D365LakeSummary summary = generate::GenerateD365Lake(*DefaultFileSystem(), o, &progress);
    progress.Finish();
    if (global.quiet) return;
    int64_t rows = 0;
    for (const auto& t : summary.tables) {
      std::fprintf(stdout, "%-24s %12lld rows %4d partitions  %s\n", t.name.c_str(), static_cast<long long>(t.rows),
                   t.partitions, t.folder.c_str());
      rows += t.rows;
    }
    std::fprintf(stdout, "wrote %lld rows, %.1f MB to %s\n", static_cast<long long>(rows),
                 static_cast<double>(summary.bytes_written) / 1e6, o.out_dir.c_str());
  });
}

}  // namespace cdmlake::cli
