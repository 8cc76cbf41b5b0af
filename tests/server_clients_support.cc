#include "server_clients_support.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace cdmlake_e2e {
namespace fs = std::filesystem;

namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string TempFile(const std::string& content = "") {
  char name[] = "/tmp/cdmlake-clients-XXXXXX";
  int fd = ::mkstemp(name);
  if (fd < 0) throw std::runtime_error(std::string("mkstemp: ") + std::strerror(errno));
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  return name;
}

std::string Clip(const std::string& s, size_t n) {
  return s.size() <= n ? s : s.substr(0, n / 2) + "\n[...]\n" + s.substr(s.size() - n / 2);
}

std::string ShellQuote(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,") ==
                        std::string::npos) {
    return s;
  }
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Environment strings for a child: ours, with `env` overriding or adding entries.
std::vector<std::string> ChildEnvironment(const std::map<std::string, std::string>& env) {
  std::vector<std::string> out;
  for (char** e = environ; *e; ++e) {
    std::string entry = *e;
    std::string key = entry.substr(0, entry.find('='));
    if (env.count(key) || key == "CDMLAKE_LAKE") continue;
    out.push_back(entry);
  }
  for (const auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> p;
  for (auto& s : strings) p.push_back(s.data());
  p.push_back(nullptr);
  return p;
}

// fork + exec with stdin/stdout/stderr from/to the given files, in its own process group. Returns the pid.
pid_t Spawn(std::vector<std::string> argv, const std::map<std::string, std::string>& env, const std::string& in_path,
            const std::string& out_path, const std::string& err_path) {
  if (argv.empty()) throw std::runtime_error("Spawn: empty argv");
  if (argv[0].find('/') == std::string::npos) {
    std::string found = FindExecutable(argv[0]);
    if (!found.empty()) argv[0] = found;
  }
  std::vector<std::string> env_strings = ChildEnvironment(env);
  std::vector<char*> envp = Pointers(env_strings);
  std::vector<char*> args = Pointers(argv);
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // a crashed test must not leave servers or clients behind
    int in = ::open(in_path.c_str(), O_RDONLY);
    int out = ::open(out_path.c_str(), O_WRONLY | O_TRUNC);
    int err = ::open(err_path.c_str(), O_WRONLY | O_TRUNC);
    if (in < 0 || out < 0 || err < 0 || ::dup2(in, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0) _exit(126);
    ::execve(args[0], args.data(), envp.data());
    _exit(127);
  }
  ::setpgid(pid, pid);
  return pid;
}

// Waits for pid until `timeout`; returns true with *status when it ended.
bool WaitFor(pid_t pid, std::chrono::milliseconds timeout, int* status) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    pid_t r = ::waitpid(pid, status, WNOHANG);
    if (r == pid) return true;
    if (r < 0 && errno != EINTR) return true;  // not our child any more
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

int ExitCode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

std::string ProcessResult::Describe() const {
  return "command: " + command + "\nexit code: " + std::to_string(exit_code) + (timed_out ? " (timed out)" : "") +
         "\n--- stdout ---\n" + Clip(out, 6000) + "\n--- stderr ---\n" + Clip(err, 6000) + "\n";
}

ProcessResult RunProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                         const std::string& input, std::chrono::milliseconds timeout) {
  ProcessResult result;
  for (const auto& a : argv) result.command += (result.command.empty() ? "" : " ") + ShellQuote(a);
  std::string in_path = TempFile(input), out_path = TempFile(), err_path = TempFile();
  pid_t pid = Spawn(argv, env, in_path, out_path, err_path);
  int status = 0;
  if (!WaitFor(pid, timeout, &status)) {
    result.timed_out = true;
    ::kill(-pid, SIGKILL);
    ::kill(pid, SIGKILL);
    WaitFor(pid, std::chrono::seconds(10), &status);
  }
  ::kill(-pid, SIGKILL);  // anything the child left behind in its group
  result.exit_code = ExitCode(status);
  result.out = Slurp(out_path);
  result.err = Slurp(err_path);
  ::unlink(in_path.c_str());
  ::unlink(out_path.c_str());
  ::unlink(err_path.c_str());
  return result;
}

std::string FindExecutable(const std::string& name) {
  std::vector<std::string> dirs;
  if (const char* path = std::getenv("PATH")) {
    std::stringstream s(path);
    std::string d;
    while (std::getline(s, d, ':')) {
      if (!d.empty()) dirs.push_back(d);
    }
  }
  dirs.push_back("/usr/lib/postgresql/15/bin");
  dirs.push_back("/usr/bin");
  for (const auto& d : dirs) {
    std::string p = d + "/" + name;
    if (::access(p.c_str(), X_OK) == 0 && !fs::is_directory(p)) return p;
  }
  return "";
}

std::string MissingPythonModules(const std::vector<std::string>& modules, const std::string& package) {
  if (::access(kPython, X_OK) != 0) return std::string(kPython) + " is missing (Debian package python3)";
  std::string code;
  for (const auto& m : modules) code += "import " + m + "\n";
  ProcessResult r = RunProcess({kPython, "-c", code});
  if (r.exit_code == 0) return "";
  return "Python modules missing for " + std::string(kPython) + " (Debian package " + package + "): " + r.err;
}

std::string ClientScriptsDir() { return (fs::path(__FILE__).parent_path() / "server_clients").string(); }

int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

// ---------------------------------------------------------------------------------------------------------------

ServeProcess::~ServeProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    WaitFor(pid_, std::chrono::seconds(10), &status);
  }
  if (!err_path_.empty()) ::unlink(err_path_.c_str());
}

std::string ServeProcess::Start(const std::string& lake, const std::vector<std::string>& args) {
  std::vector<std::string> argv{CDMLAKE_BINARY, "--lake", lake, "serve", "--port", "0"};
  argv.insert(argv.end(), args.begin(), args.end());
  err_path_ = TempFile();
  std::string in_path = "/dev/null", out_path = "/dev/null";
  pid_ = Spawn(argv, {{"CDMLAKE_PROGRESS", "0"}}, in_path, out_path, err_path_);
  static const std::regex listening(R"(serving .* on [0-9.]+:(\d+))");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    std::string err = Slurp(err_path_);
    std::smatch m;
    if (std::regex_search(err, m, listening)) {
      port_ = std::stoi(m[1]);
      return "";
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return "cdmlake serve exited with " + std::to_string(ExitCode(status)) + " before listening:\n" + err;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return "cdmlake serve did not report its port within 60 s:\n" + Slurp(err_path_);
}

int ServeProcess::Stop(std::chrono::milliseconds patience) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  bool ended = WaitFor(pid_, patience, &status);
  if (!ended) {
    ::kill(pid_, SIGKILL);
    WaitFor(pid_, std::chrono::seconds(10), &status);
  }
  pid_ = -1;
  return ended ? ExitCode(status) : -1;
}

std::string ServeProcess::Stderr() const { return err_path_.empty() ? "" : Slurp(err_path_); }

// ---------------------------------------------------------------------------------------------------------------

PostgresCluster::~PostgresCluster() { Stop(); }

std::string PostgresCluster::Start(bool* failed) {
  *failed = false;
  bin_ = "/usr/lib/postgresql/15/bin";
  if (::access((bin_ + "/initdb").c_str(), X_OK) != 0 || ::access((bin_ + "/pg_ctl").c_str(), X_OK) != 0) {
    return "PostgreSQL 15 server not installed (Debian package postgresql-15): no " + bin_ + "/initdb";
  }
  if (FindExecutable("psql").empty()) return "psql not installed (Debian package postgresql-client-15)";
  struct passwd* pw = ::getpwnam("postgres");
  if (!pw) return "no postgres user to run the cluster as (installed by the Debian package postgresql-15)";
  if (::geteuid() != 0) return "not root: cannot start a cluster as the postgres user";
  if (FindExecutable("runuser").empty()) return "runuser not found";

  char name[] = "/tmp/cdmlake-pg15-XXXXXX";
  if (!::mkdtemp(name)) {
    *failed = true;
    return std::string("mkdtemp: ") + std::strerror(errno);
  }
  dir_ = name;
  if (::chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0 || ::chmod(dir_.c_str(), 0700) != 0) {
    *failed = true;
    return std::string("chown of the cluster folder: ") + std::strerror(errno);
  }
  ProcessResult init = RunProcess({"runuser", "-u", "postgres", "--", bin_ + "/initdb", "-D", dir_ + "/data", "-A",
                                   "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"},
                                  {{"TZ", "UTC"}}, "", std::chrono::seconds(120));
  if (init.exit_code != 0) {
    *failed = true;
    return "initdb failed:\n" + init.Describe();
  }
  for (int attempt = 0; attempt < 3 && !running_; ++attempt) {
    port_ = FreePort();
    std::string options = "-p " + std::to_string(port_) + " -k " + dir_ +
                          " -c listen_addresses=127.0.0.1 -c fsync=off -c TimeZone=UTC -c max_connections=20"
                          " -c shared_buffers=16MB";
    ProcessResult start = RunProcess({"runuser", "-u", "postgres", "--", bin_ + "/pg_ctl", "-D", dir_ + "/data", "-o",
                                      options, "-l", dir_ + "/log", "-w", "-t", "60", "start"},
                                     {}, "", std::chrono::seconds(90));
    if (start.exit_code == 0) {
      running_ = true;
    } else if (attempt == 2) {
      *failed = true;
      return "pg_ctl start failed:\n" + start.Describe() + "\n--- log ---\n" + Slurp(dir_ + "/log");
    }
  }
  return "";
}

ProcessResult PostgresCluster::Psql(const std::vector<std::string>& args, const std::string& input) const {
  std::vector<std::string> argv{"psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p",
                                std::to_string(port_), "-U", "postgres", "-d", "postgres"};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProcess(argv, {{"PGCONNECT_TIMEOUT", "10"}}, input, std::chrono::seconds(120));
}

void PostgresCluster::Stop() {
  if (running_) {
    ProcessResult stop = RunProcess({"runuser", "-u", "postgres", "--", bin_ + "/pg_ctl", "-D", dir_ + "/data", "-m",
                                     "immediate", "-w", "stop"},
                                    {}, "", std::chrono::seconds(60));
    if (stop.exit_code != 0) {  // never leave a postmaster behind
      std::istringstream pid_file(Slurp(dir_ + "/data/postmaster.pid"));
      long pid = 0;
      if (pid_file >> pid && pid > 1) ::kill(static_cast<pid_t>(pid), SIGKILL);
    }
    running_ = false;
  }
  if (!dir_.empty()) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
    dir_.clear();
  }
}

}  // namespace cdmlake_e2e
