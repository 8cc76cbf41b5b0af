// Helpers for the end-to-end tests of `cdmlake serve` with real PostgreSQL clients (psql, psycopg2, psycopg 3,
// pgJDBC, psqlODBC) and for the differential tests against a throwaway PostgreSQL 15 cluster: child processes with
// a time limit, the server as an RAII child (stopped with SIGTERM, killed if it will not stop), the cluster as an
// RAII child (initdb + pg_ctl as the postgres user, stopped and removed when destroyed), and lookups of the
// clients installed from Debian so that a missing one skips its test with a reason.
//
// Every child started here is killed when its guard is destroyed, also when an assertion ends a test early.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cdmlake_e2e {

// What a client process produced.
struct ProcessResult {
  int exit_code = -1;  // exit status, 128 + signal when killed
  bool timed_out = false;
  std::string out;
  std::string err;
  std::string command;
  // "command\nexit N\n--- stdout ---\n...\n--- stderr ---\n..." for assertion messages.
  std::string Describe() const;
};

// Runs argv[0] (looked up on PATH when it has no '/') with env added to the environment and `input` on stdin; kills
// its whole process group after `timeout`. Never throws for a failing child; the result says what happened.
ProcessResult RunProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {},
                         const std::string& input = "",
                         std::chrono::milliseconds timeout = std::chrono::seconds(60));

// The absolute path of an executable found on PATH or in PostgreSQL 15's bin folder, or "".
std::string FindExecutable(const std::string& name);

// The Debian interpreter (/usr/bin/python3): a pyenv python3 on PATH does not see Debian's python3-* modules.
constexpr const char* kPython = "/usr/bin/python3";
// Empty when /usr/bin/python3 can import every module; else why not (a skip reason naming the Debian package).
std::string MissingPythonModules(const std::vector<std::string>& modules, const std::string& package);

// Folder of the client scripts (tests/server_clients/), from this source file's location.
std::string ClientScriptsDir();

// `cdmlake --lake LAKE serve --port 0 ARGS...` as a child: Start waits until the server has printed the port it
// listens on; Stop sends SIGTERM and returns the exit status (or -1 when it had to be killed). The destructor
// kills a server still running.
class ServeProcess {
 public:
  ServeProcess() = default;
  ~ServeProcess();
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  // Returns "" on success, else what went wrong (with the server's stderr).
  std::string Start(const std::string& lake, const std::vector<std::string>& args = {});
  int port() const { return port_; }
  int Stop(std::chrono::milliseconds patience = std::chrono::seconds(20));
  std::string Stderr() const;

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string err_path_;
};

// A throwaway PostgreSQL 15 cluster on 127.0.0.1 (trust authentication, user postgres, C locale, UTC), run as the
// postgres user from a folder under /tmp. Start returns "" on success or the reason it cannot run (not root, no
// postgres user, no PostgreSQL 15 server) for GTEST_SKIP, and sets *failed when it could run but did not start.
class PostgresCluster {
 public:
  PostgresCluster() = default;
  ~PostgresCluster();
  PostgresCluster(const PostgresCluster&) = delete;
  PostgresCluster& operator=(const PostgresCluster&) = delete;

  std::string Start(bool* failed);
  int port() const { return port_; }
  // Runs psql as a client of the cluster (user postgres, database postgres) with ON_ERROR_STOP.
  ProcessResult Psql(const std::vector<std::string>& args, const std::string& input = "") const;
  void Stop();

 private:
  std::string dir_;
  std::string bin_;
  int port_ = 0;
  bool running_ = false;
};

// A TCP port on 127.0.0.1 that was free a moment ago.
int FreePort();

}  // namespace cdmlake_e2e
