// The `cdmlake` command line: parses arguments with CLI11, runs a subcommand, and turns errors into messages and
// exit codes (0 success, 1 user or data error, 2 internal error). Each subcommand lives in its own file and
// registers itself through the functions below; the work itself is done by the library modules.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "engine/database.h"

namespace cdmlake::cli {

// Options shared by every command.
struct GlobalOptions {
  std::string lake;          // --lake; empty: $CDMLAKE_LAKE, then the working directory
  int threads = 0;           // --threads
  std::string memory_limit;  // --memory-limit
  bool quiet = false;        // --quiet: no warnings, no text summaries (JSON and query results still print)

  // The absolute, normalized lake root.
  std::string LakeRoot() const;
  engine::Settings EngineSettings() const;
};

void RegisterGenerateCommand(CLI::App& app, GlobalOptions& global);
void RegisterLakeCommands(CLI::App& app, GlobalOptions& global);
void RegisterSqlCommand(CLI::App& app, GlobalOptions& global);
void RegisterExportCommand(CLI::App& app, GlobalOptions& global);
void RegisterRefreshCommand(CLI::App& app, GlobalOptions& global);
void RegisterEntityStoreCommands(CLI::App& app, GlobalOptions& global);
void RegisterUnifyCommands(CLI::App& app, GlobalOptions& global);
void RegisterServeCommand(CLI::App& app, GlobalOptions& global);

// Runs the command line; returns the process exit code.
int Main(int argc, char** argv);

// Prints a warning on stderr unless --quiet.
void Warn(const GlobalOptions& global, const std::string& message);

}  // namespace cdmlake::cli
