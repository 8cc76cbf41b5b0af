#include "cli/app.h"

#include <cstdio>
#include <cstdlib>
#include <functional>

#include "engine/sql_trace.h"
#include "util/error.h"
#include "util/parallel.h"
#include "util/path.h"
#include "util/strings.h"

namespace cdmlake::cli {

std::string GlobalOptions::LakeRoot() const {
  std::string root = lake;
  if (root.empty()) {
    const char* env = std::getenv("CDMLAKE_LAKE");
    root = env && *env ? env : ".";
  }
  return AbsolutePath(root);
}

engine::Settings GlobalOptions::EngineSettings() const {
  engine::Settings s;
  s.threads = threads;
  s.memory_limit = memory_limit;
  return s;
}

void Warn(const GlobalOptions& global, const std::string& message) {
  if (!global.quiet) std::fprintf(stderr, "cdmlake: warning: %s\n", message.c_str());
}

namespace {

// CLI11 says only "A subcommand is required" for a mistyped command; name the word it did not know.
void CheckCommandNames(const CLI::App& app, int argc, char** argv) {
  const CLI::App* level = &app;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") return;
    if (!arg.empty() && arg[0] == '-') {
      // Skip the value of an option that takes one ("--lake DIR"), as CLI11 will.
      if (arg.find('=') == std::string::npos) {
        const CLI::Option* option = level->get_option_no_throw(arg);
        if (option != nullptr && option->get_expected_min() > 0) ++i;
      }
      continue;
    }
    // Option groups are kept as subcommands by CLI11; only named commands count.
    std::vector<const CLI::App*> commands = level->get_subcommands([](const CLI::App* sub) {
      return dynamic_cast<const CLI::Option_group*>(sub) == nullptr;
    });
    if (commands.empty()) return;  // the command's own positional arguments follow
    const CLI::App* next = nullptr;
    std::vector<std::string> names;
    for (const CLI::App* sub : commands) {
      names.push_back(sub->get_name());
      if (sub->get_name() == arg) next = sub;
    }
    if (!next) {
      std::string where = level == &app ? "cdmlake" : "cdmlake " + level->get_name();
      throw Error(ErrorKind::kUser, "unknown command '" + arg + "' for " + where + " (commands: " + Join(names, ", ") + ")",
                  {}, "run `" + where + " --help`");
    }
    level = next;
  }
}

// A thread count in the environment that cannot be read would otherwise be ignored without a word, and the user
// would wonder why the setting did nothing.
void CheckThreadsVariable() {
  const char* value = std::getenv("CDMLAKE_THREADS");
  if (value == nullptr || ParseThreadCount(value)) return;
  throw Error(ErrorKind::kUser,
              "CDMLAKE_THREADS is '" + std::string(value) + "', not a positive whole number of threads", {},
              "set it to a count such as 2, or unset it to use one thread per core");
}

}  // namespace

int Main(int argc, char** argv) {
  GlobalOptions global;
  CLI::App app{
      "cdmlake turns a Dynamics 365 data lake (CDM folders) into analytics you can query.\n"
      "It reads model.json and *.manifest.cdm.json folders in place and answers SQL over them.",
      "cdmlake"};
  app.set_version_flag("--version", "cdmlake 0.1.0 (DuckDB 1.4.4)");
  app.require_subcommand(1);
  app.fallthrough();
  app.option_defaults()->always_capture_default();
  app.add_option("--lake", global.lake, "The lake root folder (default: $CDMLAKE_LAKE, then the current folder)")
      ->type_name("DIR");
  app.add_option("--threads", global.threads,
                 "Threads for query work and for cdmlake's own parallel steps (default: one per core)")
      ->check(CLI::Range(0, 1024));
  app.add_option("--memory-limit", global.memory_limit,
                 "Memory for query work, e.g. 4GB (default: 60% of RAM); more spills to a temporary folder")
      ->type_name("SIZE");
  app.add_flag("-q,--quiet", global.quiet, "Print no warnings, and no summaries in text format (JSON output and query results are still printed)");
  std::string trace_sql;
  app.add_option("--trace-sql", trace_sql,
                 "Write every SQL statement cdmlake runs, with its time in seconds, to FILE (JSON lines)")
      ->type_name("FILE");
  // Before any command runs: unification's own loops use as many threads as DuckDB is given, and the SQL trace
  // sees the first statement.
  app.parse_complete_callback([&global, &trace_sql] {
    CheckThreadsVariable();
    SetWorkerThreads(static_cast<size_t>(global.threads));
    if (!trace_sql.empty()) engine::StartSqlTrace(AbsolutePath(trace_sql));
  });
  app.footer(
      "\nExit codes: 0 success, 1 user or data error (the message names the file, line or entity), "
      "2 internal error.\nRun `cdmlake COMMAND --help` for the options of a command.");

  RegisterGenerateCommand(app, global);
  RegisterLakeCommands(app, global);
  RegisterRefreshCommand(app, global);
  RegisterSqlCommand(app, global);
  RegisterExportCommand(app, global);
  RegisterEntityStoreCommands(app, global);
  RegisterUnifyCommands(app, global);
  RegisterServeCommand(app, global);

  try {
    CheckCommandNames(app, argc, argv);
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "cdmlake: %s\nRun `cdmlake --help` for usage.\n", e.what());
    return 1;
  } catch (const Error& e) {
    std::fprintf(stderr, "cdmlake: error: %s\n", e.what());
    return e.ExitCode();
  } catch (const std::bad_alloc&) {
    // Memory cdmlake's own steps asked for (DuckDB's queries spill to disk under --memory-limit instead).
    std::fprintf(stderr,
                 "cdmlake: error: out of memory: the process could not get more from the system\n"
                 "  hint: run where more memory is free (or under a higher ulimit), or give the command less work\n");
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cdmlake: internal error: %s\n", e.what());
    return 2;
  }
  return 0;
}

}  // namespace cdmlake::cli
