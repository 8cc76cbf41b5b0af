// `cdmlake serve`: the logical data warehouse. Every catalog table of the lake (D365 tables, processed
// measurements, the unified customer dimension) becomes queryable over the PostgreSQL wire protocol, read-only.
// `cdmlake serve adduser` keeps the users file.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <cstdio>
#include <mutex>
#include <thread>
#include <iostream>
#include <memory>

#include "cli/app.h"
#include "lake/catalog.h"
#include "lake/saved_views.h"
#include "lake/saved_views_watcher.h"
#include "lake/session.h"
#include "server/catalog_emulation.h"
#include "server/server.h"
#include "server/table_cache.h"
#include "server/tls.h"
#include "server/users_file.h"
#include "util/error.h"

namespace cdmlake::cli {

namespace {

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 5433;
  std::string users;
  std::string tls_cert;
  std::string tls_key;
  int max_connections = 100;
  double statement_timeout = 0;
  std::string database = "lake";
  double grace = 5;
  std::string cache = "on";
  std::string cache_dir;
  double cache_refresh = 30;
};

// Keeps what the server serves in step with the lake, on its own thread: once at start, then every `period`
// until stopped. It refreshes the table cache (when there is one) and applies changes of the saved views
// (`cdmlake sql "CREATE VIEW …"` run while the server serves); after either, `changed` refreshes the catalog
// emulation's snapshots (views moved to narrower types, views added or dropped).
class LakeWatcher {
 public:
  LakeWatcher(server::TableCache* cache, lake::SavedViewsWatcher& views, double period, const GlobalOptions& global,
              std::function<void()> changed)
      : cache_(cache),
        views_(views),
        period_(period),
        global_(global),
        changed_(std::move(changed)),
        thread_([this] { Loop(); }) {}
  ~LakeWatcher() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    if (cache_) cache_->Stop();  // a long copy must not hold up shutdown
    wake_.notify_all();
    thread_.join();
  }

 private:
  void Loop() {
    bool first = true;
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stop_) {
      lock.unlock();
      bool moved = false;
      // Said once the catalog is refreshed too, so that what a client reads after the message is current.
      std::vector<std::string> said;
      std::vector<std::string> problems;
      if (cache_) {
        auto start = std::chrono::steady_clock::now();
        server::CacheReport report = cache_->Refresh();
        double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (first || report.built > 0 || report.followed > 0) {
          char line[256];
          std::snprintf(line, sizeof line,
                        "table cache: %d built (%lld rows, %d decimal columns narrowed), %d current, "
                        "%d followed refreshes in %.1f s",
                        report.built, static_cast<long long>(report.rows), report.narrowed, report.reused,
                        report.followed, seconds);
          said.push_back(line);
        }
        for (const std::string& problem : report.problems) {
          problems.push_back("not cached, served from its files: " + problem);
        }
        moved = report.moved > 0;
      }
      try {
        std::vector<std::string> view_problems;
        if (views_.Poll(&view_problems)) {
          moved = true;
          said.push_back("saved views changed; serving the new set");
        }
        for (const std::string& problem : view_problems) problems.push_back(problem + "; not served");
      } catch (const std::exception& e) {
        problems.push_back(std::string(e.what()) + "; not served");
      }
      if (moved) {
        try {
          changed_();
        } catch (const std::exception& e) {
          problems.push_back(std::string("the catalog emulation was not refreshed: ") + e.what());
        }
      }
      for (const std::string& problem : problems) Warn(global_, problem);
      if (!global_.quiet) {
        for (const std::string& line : said) std::fprintf(stderr, "cdmlake: %s\n", line.c_str());
      }
      first = false;
      lock.lock();
      if (period_ <= 0) break;
      wake_.wait_for(lock, std::chrono::duration<double>(period_), [this] { return stop_; });
    }
  }

  server::TableCache* cache_;
  lake::SavedViewsWatcher& views_;
  double period_;
  const GlobalOptions& global_;
  std::function<void()> changed_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

struct AddUserOptions {
  std::string users;
  std::string name;
};

server::Server* g_server = nullptr;

extern "C" void StopOnSignal(int) {
  if (g_server) g_server->Stop();
}

bool IsLoopback(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

void Serve(const GlobalOptions& global, const ServeOptions& options) {
  if (options.users.empty() && !IsLoopback(options.host)) {
    throw Error(ErrorKind::kUser, "serving on " + options.host + " without a users file would let anyone in", {},
                "create one with `cdmlake serve adduser --users FILE NAME` and pass --users FILE");
  }
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    throw Error(ErrorKind::kUser, "--tls-cert and --tls-key go together", {}, "give both files, or neither");
  }
  std::unique_ptr<server::UsersFile> users;
  if (!options.users.empty()) users = std::make_unique<server::UsersFile>(server::UsersFile::Load(options.users));
  std::unique_ptr<server::TlsContext> tls;
  if (!options.tls_cert.empty()) tls = server::TlsContext::Load(options.tls_cert, options.tls_key);

  std::string root = global.LakeRoot();
  lake::Catalog catalog = lake::Catalog::Open(*DefaultFileSystem(), root, {});
  engine::Settings settings = global.EngineSettings();
  // Sessions may read the lake and nothing else; the configuration is locked before any client connects.
  settings.allowed_directories = {root};
  // NULLs sort as PostgreSQL sorts them (larger than every value: first when descending), which BI tools rely on
  // for paging; / of two integers is integer division as in PostgreSQL (7 / 2 = 3), which BI tools' generated SQL
  // relies on. DuckDB applies the latter when it parses, so saved views, parsed here, divide this way here too.
  settings.options = {{"default_null_order", "nulls_last_on_asc_first_on_desc"}, {"integer_division", "true"}};
  std::string cache_dir = options.cache_dir.empty() ? root + "/_cdmlake/cache/tables" : options.cache_dir;
  if (options.cache == "on" && !options.cache_dir.empty()) settings.allowed_directories.push_back(cache_dir);
  engine::Database database(settings);
  lake::LakeSession lake_session(database, catalog, lake::OnError::kFail);
  std::vector<cdm::Problem> problems = lake_session.AttachAll();
  for (const cdm::Problem& p : problems) {
    Warn(global, "table " + p.entity + " is not served: " + p.file + (p.line > 0 ? ":" + std::to_string(p.line) : "") +
                     ": " + p.message);
  }
  std::vector<lake::SavedView> views = lake::LoadSavedViews(*DefaultFileSystem(), root);
  for (const std::string& problem : lake::CreateSavedViews(lake_session, views)) Warn(global, problem + "; not served");
  std::unique_ptr<server::TableCache> cache;
  if (options.cache == "on") {
    cache = std::make_unique<server::TableCache>(database, catalog, lake_session, cache_dir);
    // Tables cached by an earlier run are served from the first connection on, so clients never see their
    // column types change under them (the cache stores wide decimals narrower); the rest is built while serving.
    for (const std::string& problem : cache->Refresh(/*build=*/false).problems) {
      Warn(global, "not cached, served from its files: " + problem);
    }
  }
  server::CatalogEmulation emulation(database, options.database);

  server::SessionContext context;
  context.database = &database;
  context.database_name = options.database;
  if (users) context.find_verifier = [&users](const std::string& name) { return users->Find(name); };
  if (tls) context.start_tls = [&tls](int fd) { return tls->Accept(fd); };
  context.rewrite = [&emulation](const std::string& sql) { return emulation.Rewrite(sql); };
  context.prepare_connection = [&emulation](duckdb_connection connection) { emulation.PrepareConnection(connection); };
  context.default_statement_timeout_ms = static_cast<int64_t>(options.statement_timeout * 1000);

  server::ServerOptions server_options;
  server_options.host = options.host;
  server_options.port = options.port;
  server_options.max_connections = options.max_connections;
  server_options.grace = std::chrono::milliseconds(static_cast<int64_t>(options.grace * 1000));
  server::Server server(server_options, context);
  server.Listen();

  if (!users) Warn(global, "no --users file: every connection from this machine is trusted");
  std::fprintf(stderr, "cdmlake: serving %zu tables of %s as database \"%s\" on %s:%d%s\n",
               catalog.entities().size() - problems.size(), root.c_str(), options.database.c_str(),
               options.host.c_str(), server.port(), tls ? " (TLS available)" : "");
  std::fflush(stderr);

  lake::SavedViewsWatcher views_watcher(*DefaultFileSystem(), lake_session, root, views);
  // The catalog describes the cached tables' types (narrowed decimals) and the current saved views.
  auto watcher = std::make_unique<LakeWatcher>(cache.get(), views_watcher, options.cache_refresh, global,
                                               [&emulation, &database] { emulation.RefreshSnapshots(database); });

  g_server = &server;
  struct sigaction action {};
  action.sa_handler = StopOnSignal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  signal(SIGPIPE, SIG_IGN);
  server.Serve();
  g_server = nullptr;
  watcher.reset();
  if (!global.quiet) std::fprintf(stderr, "cdmlake: server stopped\n");
}

void AddUser(const AddUserOptions& options) {
  if (isatty(STDIN_FILENO)) std::fprintf(stderr, "Password for %s: ", options.name.c_str());
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.empty()) {
    throw Error(ErrorKind::kUser, "no password given on standard input", {},
                "e.g. `printf '%s\\n' \"$PASSWORD\" | cdmlake serve adduser --users FILE NAME`");
  }
  server::AddUser(options.users, options.name, password);
  std::fprintf(stderr, "cdmlake: %s can log in with SCRAM-SHA-256 (verifier stored in %s)\n", options.name.c_str(),
               options.users.c_str());
}

}  // namespace

void RegisterServeCommand(CLI::App& app, GlobalOptions& global) {
  auto options = std::make_shared<ServeOptions>();
  CLI::App* cmd = app.add_subcommand(
      "serve",
      "Serve the lake over the PostgreSQL wire protocol (psql, JDBC, ODBC, Power BI, Tableau, DBeaver…).\n"
      "Every table of the lake is a read-only table \"<schema>\".\"<entity>\" (and \"<entity>\" when the name is\n"
      "unique), and so is every view saved with `cdmlake sql \"CREATE VIEW …\"`; SQL is DuckDB's dialect with PostgreSQL's catalog emulated for clients. Without --users only\n"
      "loopback connections are accepted, without a password. Stops on SIGTERM or Ctrl-C.");
  cmd->add_option("--host", options->host, "Address to listen on (default 127.0.0.1)");
  cmd->add_option("--port", options->port, "TCP port (default 5433; 0 = any free port)")->check(CLI::Range(0, 65535));
  cmd->add_option("--users", options->users,
                  "Users file of SCRAM-SHA-256 verifiers (see `serve adduser`); required unless --host is loopback");
  cmd->add_option("--tls-cert", options->tls_cert, "PEM certificate (chain) for TLS; clients choose sslmode");
  cmd->add_option("--tls-key", options->tls_key, "PEM private key of --tls-cert");
  cmd->add_option("--max-connections", options->max_connections, "Sessions at once (default 100); more get 53300")
      ->check(CLI::Range(1, 10000));
  cmd->add_option("--statement-timeout", options->statement_timeout,
                  "Seconds a statement may run before it is canceled (57014); 0 = no limit. Sessions may SET\n"
                  "statement_timeout themselves")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--database", options->database, "The database name clients connect to (default lake)");
  cmd->add_option("--cache", options->cache,
                  "on (default): copy each CSV table once into a DuckDB database file (100x faster scans than\n"
                  "CSV) and serve it from there, rebuilt when its files change; off: read the CSV files on every\n"
                  "query. One server at a time can use a cache directory")
      ->check(CLI::IsMember({"on", "off"}));
  cmd->add_option("--cache-dir", options->cache_dir, "Where the cache database goes (default <lake>/_cdmlake/cache/tables)");
  cmd->add_option("--cache-refresh", options->cache_refresh,
                  "Seconds between checks of the lake for changed files and saved views (default 30; 0 = only\n"
                  "at start). New or removed tables need a restart")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--grace", options->grace, "Seconds running statements may finish at shutdown (default 5)")
      ->check(CLI::NonNegativeNumber);

  auto add = std::make_shared<AddUserOptions>();
  CLI::App* adduser = cmd->add_subcommand(
      "adduser", "Add a user to a users file, or change its password. The password is read from standard input;\n"
                 "only a salted SCRAM-SHA-256 verifier is stored. The file is created with mode 0600.");
  adduser->add_option("--users", add->users, "The users file")->required();
  adduser->add_option("name", add->name, "The user name")->required();
  adduser->callback([add] { AddUser(*add); });
  cmd->callback([options, &global, adduser] {
    if (adduser->parsed()) return;
    Serve(global, *options);
  });
}

}  // namespace cdmlake::cli
