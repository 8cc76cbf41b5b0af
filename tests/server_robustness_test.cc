// Robustness of `cdmlake serve` (issue 6, item 6), end to end: the server runs as a child process over a small
// generated lake and is spoken to through a raw-socket PostgreSQL v3 client written here (and pgbench and psql
// when installed). Covered: many concurrent clients with mixed simple and extended queries, malformed, truncated
// and oversized messages, wrong protocol versions, garbage, failed authentication, a client leaving mid-query,
// statement timeout, CancelRequest, the connection limit and graceful shutdown on SIGTERM. Every test ends the
// server with SIGTERM and expects exit status 0 within a few seconds and no sanitizer report on its stderr (in
// the sanitizer build the binary is the ASan/UBSan one, so these tests also catch leaks and memory errors).
//
// CDMLAKE_ROBUSTNESS_QUERIES sets the queries per client of the concurrency tests (default 1000, as the issue
// asks; 100 in the sanitizer build, where 64 x 1000 takes about 20 minutes on 2 cores);
// CDMLAKE_ROBUSTNESS_CLIENTS the number of clients (default 64).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "test_support.h"

extern char** environ;

namespace cdmlake_e2e {
namespace {

using Clock = std::chrono::steady_clock;
using Row = std::vector<std::optional<std::string>>;

constexpr int64_t kScale = 2000;  // SalesLine rows of the generated lake
// A query that runs far longer than any test waits (10^10 rows), and can be interrupted.
constexpr const char* kEndlessQuery =
    "SELECT count(*) FROM range(100000) a, range(100000) b WHERE a.range + b.range = -1";

#if defined(__SANITIZE_ADDRESS__)
constexpr int kDefaultQueries = 100;
// How long a SIGTERM'd server may take to exit: up to its 5 s grace for a statement still running, then teardown
// and, in the sanitizer build, the leak check, which on a loaded 2-core CI machine took more than the 5 s left once
// (a client's abandoned 16-million-row join ran through the grace).
constexpr double kStopSeconds = 30;
#else
constexpr int kDefaultQueries = 1000;
constexpr double kStopSeconds = 10;
#endif

int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  return std::atoi(v);
}

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// ---- a raw PostgreSQL v3 client ----------------------------------------------------------------------------------

void PutInt32(std::string* out, int32_t v) {
  uint32_t u = static_cast<uint32_t>(v);
  for (int shift : {24, 16, 8, 0}) out->push_back(static_cast<char>((u >> shift) & 0xff));
}
void PutInt16(std::string* out, int16_t v) {
  uint16_t u = static_cast<uint16_t>(v);
  out->push_back(static_cast<char>(u >> 8));
  out->push_back(static_cast<char>(u & 0xff));
}
int32_t GetInt32(const std::string& s, size_t at) {
  const auto* u = reinterpret_cast<const unsigned char*>(s.data() + at);
  return static_cast<int32_t>((uint32_t{u[0]} << 24) | (uint32_t{u[1]} << 16) | (uint32_t{u[2]} << 8) | u[3]);
}
int16_t GetInt16(const std::string& s, size_t at) {
  const auto* u = reinterpret_cast<const unsigned char*>(s.data() + at);
  return static_cast<int16_t>((u[0] << 8) | u[1]);
}
std::string CStr(const std::string& s) { return s + std::string(1, '\0'); }

struct Message {
  char type = 0;
  std::string body;
};

// The fields of an ErrorResponse or NoticeResponse.
struct PgErrorFields {
  std::string severity;
  std::string sqlstate;
  std::string message;
  std::string Describe() const { return severity + " " + sqlstate + " " + message; }
};

PgErrorFields ParseError(const std::string& body) {
  PgErrorFields e;
  size_t at = 0;
  while (at < body.size() && body[at] != '\0') {
    char code = body[at++];
    size_t nul = body.find('\0', at);
    if (nul == std::string::npos) break;
    std::string value = body.substr(at, nul - at);
    at = nul + 1;
    if (code == 'V' || (code == 'S' && e.severity.empty())) e.severity = value;
    if (code == 'C') e.sqlstate = value;
    if (code == 'M') e.message = value;
  }
  return e;
}

// What one query (up to its ReadyForQuery) returned.
struct QueryResult {
  std::vector<Row> rows;
  std::vector<std::string> tags;  // CommandComplete tags
  std::optional<PgErrorFields> error;
  bool ready = false;   // ReadyForQuery arrived
  bool closed = false;  // the connection ended (or timed out) before it
  bool suspended = false;
  std::string Describe() const {
    std::string s = "rows=" + std::to_string(rows.size()) + " tags=";
    for (const std::string& t : tags) s += "[" + t + "]";
    if (error) s += " error=" + error->Describe();
    if (!ready) s += closed ? " (connection ended)" : " (no ReadyForQuery)";
    return s;
  }
};

class PgConnection {
 public:
  PgConnection() = default;
  ~PgConnection() { Close(); }
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  bool Connect(int port, int timeout_seconds = 120) {
    Close();
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return false;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      Close();
      return false;
    }
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    timeval tv{timeout_seconds, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    buffer_.clear();
    return true;
  }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  int fd() const { return fd_; }
  int32_t pid() const { return pid_; }
  int32_t secret() const { return secret_; }

  bool SendRaw(const std::string& bytes) {
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      done += static_cast<size_t>(n);
    }
    return true;
  }
  bool Send(char type, const std::string& body) {
    std::string m(1, type);
    PutInt32(&m, static_cast<int32_t>(body.size() + 4));
    return SendRaw(m + body);
  }
  static std::string StartupPacket(const std::map<std::string, std::string>& params, int32_t version = 196608) {
    std::string body;
    PutInt32(&body, version);
    for (const auto& [k, v] : params) body += CStr(k) + CStr(v);
    body.push_back('\0');
    std::string m;
    PutInt32(&m, static_cast<int32_t>(body.size() + 4));
    return m + body;
  }
  bool SendStartup(const std::string& user = "robust", const std::string& database = "lake") {
    return SendRaw(StartupPacket({{"user", user}, {"database", database}, {"application_name", "robustness"}}));
  }

  // Reads one message; false at the end of the connection or on the receive timeout.
  bool Read(Message* m) {
    if (!Fill(5)) return false;
    m->type = buffer_[0];
    int32_t length = GetInt32(buffer_, 1);
    if (length < 4) return false;
    if (!Fill(static_cast<size_t>(length) + 1)) return false;
    m->body = buffer_.substr(5, static_cast<size_t>(length) - 4);
    buffer_.erase(0, static_cast<size_t>(length) + 1);
    return true;
  }
  // Reads one raw byte (SSLRequest answers); -1 at the end.
  int ReadByte() {
    if (!Fill(1)) return -1;
    int b = static_cast<unsigned char>(buffer_[0]);
    buffer_.erase(0, 1);
    return b;
  }
  // Whether the server closed the connection (EOF, or a reset) within the receive timeout, reading and dropping
  // anything that still arrives.
  bool WaitClosed() {
    char chunk[4096];
    while (true) {
      ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n == 0) return true;
      if (n < 0) return errno == ECONNRESET || errno == EPIPE;
    }
  }
  // Reads messages until the connection ends; returns them.
  std::vector<Message> ReadAll() {
    std::vector<Message> all;
    Message m;
    while (Read(&m)) all.push_back(m);
    return all;
  }

  // Startup as a trusted user and read up to ReadyForQuery. On failure, *error says why.
  bool Login(std::string* error, const std::string& user = "robust") {
    if (!SendStartup(user)) {
      *error = "cannot send the startup packet";
      return false;
    }
    Message m;
    while (Read(&m)) {
      if (m.type == 'E') {
        *error = ParseError(m.body).Describe();
        last_error_ = ParseError(m.body);
        return false;
      }
      if (m.type == 'R' && GetInt32(m.body, 0) != 0) {
        *error = "the server asks for a password";
        return false;
      }
      if (m.type == 'K') {
        pid_ = GetInt32(m.body, 0);
        secret_ = GetInt32(m.body, 4);
      }
      if (m.type == 'Z') return true;
    }
    *error = "the connection ended during startup";
    return false;
  }
  const PgErrorFields& last_error() const { return last_error_; }

  // Reads up to ReadyForQuery, collecting rows, tags and the first error.
  QueryResult ReadResult() {
    QueryResult r;
    Message m;
    while (true) {
      if (!Read(&m)) {
        r.closed = true;
        return r;
      }
      switch (m.type) {
        case 'D': r.rows.push_back(ParseRow(m.body)); break;
        case 'C': r.tags.push_back(m.body.substr(0, m.body.find('\0'))); break;
        case 'E':
          if (!r.error) r.error = ParseError(m.body);
          if (r.error->severity == "FATAL") {
            r.closed = WaitClosed();
            return r;
          }
          break;
        case 's': r.suspended = true; break;
        case 'Z': r.ready = true; return r;
        default: break;
      }
    }
  }
  QueryResult Query(const std::string& sql) {
    if (!Send('Q', CStr(sql))) {
      QueryResult r;
      r.closed = true;
      return r;
    }
    return ReadResult();
  }
  // Parse (unnamed or named), Bind with text parameters (nullopt = NULL), Describe, Execute, Sync.
  QueryResult Extended(const std::string& sql, const std::vector<std::optional<std::string>>& params,
                       int32_t max_rows = 0, const std::string& statement = "", bool parse = true) {
    std::string batch;
    auto add = [&batch](char type, const std::string& body) {
      batch.push_back(type);
      PutInt32(&batch, static_cast<int32_t>(body.size() + 4));
      batch += body;
    };
    if (parse) {
      std::string p = CStr(statement) + CStr(sql);
      PutInt16(&p, 0);
      add('P', p);
    }
    std::string b = CStr("") + CStr(statement);
    PutInt16(&b, 0);
    PutInt16(&b, static_cast<int16_t>(params.size()));
    for (const auto& v : params) {
      PutInt32(&b, v ? static_cast<int32_t>(v->size()) : -1);
      if (v) b += *v;
    }
    PutInt16(&b, 0);
    add('B', b);
    add('D', "P" + CStr(""));
    std::string e = CStr("");
    PutInt32(&e, max_rows);
    add('E', e);
    add('S', "");
    if (!SendRaw(batch)) {
      QueryResult r;
      r.closed = true;
      return r;
    }
    return ReadResult();
  }

 private:
  static Row ParseRow(const std::string& body) {
    Row row;
    int16_t n = GetInt16(body, 0);
    size_t at = 2;
    for (int16_t i = 0; i < n; ++i) {
      int32_t len = GetInt32(body, at);
      at += 4;
      if (len < 0) {
        row.push_back(std::nullopt);
      } else {
        row.push_back(body.substr(at, static_cast<size_t>(len)));
        at += static_cast<size_t>(len);
      }
    }
    return row;
  }
  bool Fill(size_t n) {
    char chunk[65536];
    while (buffer_.size() < n) {
      ssize_t got = ::recv(fd_, chunk, sizeof chunk, 0);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) return false;
      buffer_.append(chunk, static_cast<size_t>(got));
    }
    return true;
  }
  int fd_ = -1;
  std::string buffer_;
  int32_t pid_ = 0;
  int32_t secret_ = 0;
  PgErrorFields last_error_;
};

// A CancelRequest on a new socket; the server answers by closing it.
bool SendCancel(int port, int32_t pid, int32_t secret) {
  PgConnection c;
  if (!c.Connect(port)) return false;
  std::string m;
  PutInt32(&m, 16);
  PutInt32(&m, 80877102);
  PutInt32(&m, pid);
  PutInt32(&m, secret);
  if (!c.SendRaw(m)) return false;
  return c.WaitClosed();
}

// ---- the server as a child process -----------------------------------------------------------------------------

int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

// Sanitizer reports in a child's stderr.
::testing::AssertionResult NoSanitizerReport(const std::string& err) {
  for (const char* marker : {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:", "ThreadSanitizer"}) {
    if (err.find(marker) != std::string::npos) {
      return ::testing::AssertionFailure() << "sanitizer report (" << marker << ") in the server's stderr:\n" << err;
    }
  }
  return ::testing::AssertionSuccess();
}

// `cdmlake --lake LAKE serve --port P ARGS...`, killed with SIGKILL by the destructor if still running. Its
// stdout and stderr go to a temporary file that failure messages include.
class ServerProcess {
 public:
  ServerProcess(const std::string& lake, const std::vector<std::string>& args) {
    char name[] = "/tmp/cdmlake-e2e-serve-XXXXXX";
    int out = ::mkstemp(name);
    log_ = name;
    port_ = FreePort();
    std::vector<std::string> argv = {CDMLAKE_BINARY, "--lake", lake, "serve", "--port", std::to_string(port_)};
    argv.insert(argv.end(), args.begin(), args.end());
    command_ = "";
    for (const std::string& a : argv) command_ += a + " ";
    std::vector<char*> cargv;
    for (std::string& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    std::vector<std::string> env_strings = {"CDMLAKE_PROGRESS=0"};
    for (char** e = environ; *e != nullptr; ++e) {
      if (std::strncmp(*e, "CDMLAKE_LAKE=", 13) != 0 && std::strncmp(*e, "CDMLAKE_PROGRESS=", 17) != 0) {
        env_strings.emplace_back(*e);
      }
    }
    std::vector<char*> cenv;
    for (std::string& e : env_strings) cenv.push_back(e.data());
    cenv.push_back(nullptr);
    int devnull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(devnull, 0);
      ::dup2(out, 1);
      ::dup2(out, 2);
      ::execve(cargv[0], cargv.data(), cenv.data());
      ::_exit(127);
    }
    ::close(devnull);
    ::close(out);
  }
  ~ServerProcess() {
    if (running()) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
    ::unlink(log_.c_str());
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  bool running() const { return pid_ > 0 && !exited_; }
  std::string Log() const { return ReadFile(log_); }
  std::string Describe() const { return "server: " + command_ + "\n--- server output ---\n" + Log(); }

  // Waits until the server accepts connections (or has exited).
  ::testing::AssertionResult WaitReady(double seconds = 120) {
    auto start = Clock::now();
    while (SecondsSince(start) < seconds) {
      if (Poll()) return ::testing::AssertionFailure() << "the server exited early\n" << Describe();
      PgConnection probe;
      if (probe.Connect(port_)) {
        // A connection that sends nothing is simply closed; the server is up.
        return ::testing::AssertionSuccess();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return ::testing::AssertionFailure() << "the server did not accept connections within " << seconds << " s\n"
                                         << Describe();
  }

  // SIGTERM, then expects exit status 0 within `seconds`, and no sanitizer report.
  ::testing::AssertionResult Stop(double seconds = kStopSeconds) {
    if (!running()) return ::testing::AssertionFailure() << "the server was not running\n" << Describe();
    ::kill(pid_, SIGTERM);
    auto start = Clock::now();
    while (!Poll()) {
      if (SecondsSince(start) > seconds) {
        ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        exited_ = true;
        return ::testing::AssertionFailure() << "the server did not exit within " << seconds << " s of SIGTERM\n"
                                             << Describe();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    stop_seconds_ = SecondsSince(start);
    std::string log = Log();
    if (!WIFEXITED(status_) || WEXITSTATUS(status_) != 0) {
      return ::testing::AssertionFailure()
             << "the server ended with "
             << (WIFEXITED(status_) ? "exit status " + std::to_string(WEXITSTATUS(status_))
                                    : "signal " + std::to_string(WTERMSIG(status_)))
             << " after SIGTERM\n" << Describe();
    }
    return NoSanitizerReport(log);
  }
  double stop_seconds() const { return stop_seconds_; }

 private:
  // Whether the child has exited (reaps it).
  bool Poll() {
    if (exited_) return true;
    if (::waitpid(pid_, &status_, WNOHANG) == pid_) exited_ = true;
    return exited_;
  }
  pid_t pid_ = -1;
  int port_ = 0;
  int status_ = 0;
  bool exited_ = false;
  double stop_seconds_ = 0;
  std::string log_;
  std::string command_;
};

// ---- a well-behaved client that keeps querying on its own thread ------------------------------------------------

class SteadyClient {
 public:
  SteadyClient(int port, int64_t expected_count) : port_(port), expected_(expected_count) {
    thread_ = std::thread([this] { Loop(); });
  }
  ~SteadyClient() { Finish(); }
  void Finish() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  int successes() const { return successes_; }
  std::string failure() {
    std::lock_guard<std::mutex> lock(mutex_);
    return failure_;
  }

 private:
  void Fail(const std::string& what) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (failure_.empty()) failure_ = what;
    stop_ = true;
  }
  void Loop() {
    PgConnection c;
    std::string error;
    if (!c.Connect(port_) || !c.Login(&error)) return Fail("login: " + error);
    for (int i = 0; !stop_; ++i) {
      QueryResult r = i % 2 == 0 ? c.Query("SELECT count(*) FROM SalesLine")
                                 : c.Extended("SELECT count(*) FROM SalesLine WHERE RECID >= $1", {"0"});
      if (!r.ready || r.error || r.rows.size() != 1 || r.rows[0][0] != std::to_string(expected_)) {
        return Fail("query " + std::to_string(i) + ": " + r.Describe());
      }
      ++successes_;
    }
  }
  int port_;
  int64_t expected_;
  std::atomic<bool> stop_{false};
  std::atomic<int> successes_{0};
  std::mutex mutex_;
  std::string failure_;
  std::thread thread_;
};

// ---- fixture ---------------------------------------------------------------------------------------------------

class ServerRobustness : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("cdmlake-e2e-robust");
    lake_ = dir_->path() + "/lake";
    ready_ = GenerateLake(lake_, kScale, 11);
    if (ready_) {
      first_recid_ = std::stoll(SqlScalar(lake_, "SELECT min(RECID) FROM SalesLine"));
    }
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(ready_) << "the lake could not be generated"; }

  // Starts a server and waits for it; on failure the test ends (fatal assertion inside).
  std::unique_ptr<ServerProcess> Start(const std::vector<std::string>& args = {}) {
    auto server = std::make_unique<ServerProcess>(lake_, args);
    auto ready = server->WaitReady();
    EXPECT_TRUE(ready);
    if (!ready) return nullptr;
    return server;
  }

  static TempDir* dir_;
  static std::string lake_;
  static bool ready_;
  static int64_t first_recid_;
};

TempDir* ServerRobustness::dir_ = nullptr;
std::string ServerRobustness::lake_;
bool ServerRobustness::ready_ = false;
int64_t ServerRobustness::first_recid_ = 0;

std::string FindTool(const std::string& name) {
  for (const std::string& dir : {std::string("/usr/lib/postgresql/15/bin/"), std::string("/usr/bin/")}) {
    if (::access((dir + name).c_str(), X_OK) == 0) return dir + name;
  }
  return "";
}

// ---- 1. many concurrent clients --------------------------------------------------------------------------------

// Each client runs `queries` mixed queries: simple and extended protocol, result sizes from 0 to 3,000 rows,
// parameters, a lake table, row-limited Execute, and an intended error every 50th query (a syntax error, a
// failed conversion or a missing table), checking every result.
TEST_F(ServerRobustness, ConcurrentClientsMixedQueries) {
  const int clients = EnvInt("CDMLAKE_ROBUSTNESS_CLIENTS", 64);
  const int queries = EnvInt("CDMLAKE_ROBUSTNESS_QUERIES", kDefaultQueries);
  auto server = Start({"--max-connections", std::to_string(clients + 4)});
  ASSERT_TRUE(server);
  const int port = server->port();
  const int64_t first = first_recid_;

  std::mutex mutex;
  std::vector<std::string> failures;
  std::atomic<int> intended_errors{0};
  std::atomic<int> completed{0};
  auto start = Clock::now();
  auto client = [&](int id) {
    auto fail = [&](const std::string& what) {
      std::lock_guard<std::mutex> lock(mutex);
      failures.push_back("client " + std::to_string(id) + ": " + what);
    };
    PgConnection c;
    std::string error;
    if (!c.Connect(port, 300) || !c.Login(&error)) return fail("login: " + error);
    uint32_t state = 2654435761u * static_cast<uint32_t>(id + 1);
    auto next = [&state] {
      state = state * 1664525u + 1013904223u;
      return state >> 8;
    };
    for (int i = 0; i < queries; ++i) {
      uint32_t r = next();
      int n = static_cast<int>(r % 3000);
      std::string where = "query " + std::to_string(i) + " (kind " + std::to_string(i % 10) + ")";
      if (i % 50 == 49) {
        // Intended errors, each with its SQLSTATE; the session must stay usable (checked by the next query).
        static const std::pair<const char*, const char*> kErrors[] = {
            {"SELEC 1", "42601"}, {"SELECT 'abc'::INTEGER", "22P02"}, {"SELECT * FROM no_such_table", "42P01"}};
        const auto& [sql, state_expected] = kErrors[(i / 50) % 3];
        QueryResult q = (i / 50) % 2 == 0 ? c.Query(sql) : c.Extended(sql, {});
        if (!q.ready || !q.error || q.error->sqlstate != state_expected || q.error->severity != "ERROR") {
          return fail(where + " expected " + state_expected + ": " + q.Describe());
        }
        ++intended_errors;
        continue;
      }
      QueryResult q;
      std::function<bool()> check;
      switch (i % 10) {
        case 0:
          q = c.Query("SELECT 1");
          check = [&] {
            return q.rows.size() == 1 && q.rows[0][0] == "1" && q.tags == std::vector<std::string>{"SELECT 1"};
          };
          break;
        case 1:
          q = c.Extended("SELECT $1::INTEGER + 1 AS v, $2::VARCHAR AS s", {std::to_string(n), std::nullopt});
          check = [&] { return q.rows.size() == 1 && q.rows[0][0] == std::to_string(n + 1) && !q.rows[0][1]; };
          break;
        case 2:
          q = c.Query("SELECT i, i * 2 AS twice, 'row ' || i AS label FROM range(" + std::to_string(n) + ") t(i)");
          check = [&] {
            if (q.rows.size() != static_cast<size_t>(n)) return false;
            for (int k = 0; k < n; ++k) {
              if (q.rows[k][0] != std::to_string(k) || q.rows[k][1] != std::to_string(2 * k)) return false;
            }
            return true;
          };
          break;
        case 3:
          q = c.Extended("SELECT i FROM range($1::BIGINT) t(i) ORDER BY i", {std::to_string(n)});
          check = [&] {
            return q.rows.size() == static_cast<size_t>(n) && (n == 0 || q.rows.back()[0] == std::to_string(n - 1));
          };
          break;
        case 4: {
          int64_t recid = first + static_cast<int64_t>(r % kScale);
          q = c.Extended("SELECT RECID, SALESID FROM SalesLine WHERE RECID = $1", {std::to_string(recid)});
          check = [&, recid] { return q.rows.size() == 1 && q.rows[0][0] == std::to_string(recid) && q.rows[0][1]; };
          break;
        }
        case 5:
          q = c.Query("SELECT count(*) FROM SalesLine");
          check = [&] { return q.rows.size() == 1 && q.rows[0][0] == std::to_string(kScale); };
          break;
        case 6:
          q = c.Extended("SELECT i FROM range(1000) t(i)", {}, 100);  // row limit: PortalSuspended
          check = [&] { return q.rows.size() == 100 && q.suspended && q.tags.empty(); };
          break;
        case 7:
          q = c.Query("SELECT 1 AS a; SELECT 'two' AS b; SET application_name = 'c" + std::to_string(id) + "'");
          check = [&] {
            return q.rows.size() == 2 && q.rows[1][0] == "two" && q.tags.size() == 3 && q.tags[2] == "SET";
          };
          break;
        case 8:
          q = c.Query("SELECT count(*) FROM SalesLine WHERE SALESSTATUS = " + std::to_string(r % 5));
          check = [&] { return q.rows.size() == 1 && std::stoll(q.rows[0][0].value_or("-1")) >= 0; };
          break;
        default:
          q = c.Extended("SELECT $1::TEXT AS t", {std::string(n, 'x')});
          check = [&] { return q.rows.size() == 1 && q.rows[0][0] == std::string(n, 'x'); };
          break;
      }
      if (!q.ready || q.error || !check()) return fail(where + ": " + q.Describe());
      ++completed;
    }
    QueryResult last = c.Query("SELECT 42");
    if (!last.ready || last.error || last.rows.size() != 1) fail("final query: " + last.Describe());
    c.Send('X', "");
  };
  std::vector<std::thread> threads;
  for (int id = 0; id < clients; ++id) threads.emplace_back(client, id);
  for (std::thread& t : threads) t.join();
  double seconds = SecondsSince(start);
  std::printf("[ info ] %d clients x %d queries: %d correct results, %d intended errors, %.1f s\n", clients, queries,
              completed.load(), intended_errors.load(), seconds);
  std::string all;
  for (size_t k = 0; k < failures.size() && k < 10; ++k) all += failures[k] + "\n";
  EXPECT_TRUE(failures.empty()) << failures.size() << " clients failed:\n" << all << server->Describe();
  EXPECT_EQ(completed.load() + intended_errors.load(), clients * queries);
  EXPECT_TRUE(server->Stop());
}

// pgbench -M prepared (named statements, Bind/Execute/Sync) with a script that checks its own results: a wrong
// value raises error(), which aborts the client and fails the run. (Parameters stay out of range(): the server
// cannot describe such a statement's columns before binding, see the issue 6 notes.)
TEST_F(ServerRobustness, PgbenchPreparedConcurrentClients) {
  std::string pgbench = FindTool("pgbench");
  if (pgbench.empty()) GTEST_SKIP() << "pgbench is not installed (postgresql-15)";
  const int clients = EnvInt("CDMLAKE_ROBUSTNESS_CLIENTS", 64);
  const int queries = EnvInt("CDMLAKE_ROBUSTNESS_QUERIES", kDefaultQueries);
  auto server = Start({"--max-connections", std::to_string(clients + 4)});
  ASSERT_TRUE(server);
  TempDir work("cdmlake-e2e-pgbench");
  const int64_t first = first_recid_;
  const int64_t last = first + kScale - 1;
  WriteFile(work / "script.sql",
            "\\set id random(" + std::to_string(first) + ", " + std::to_string(last) + ")\n"
            "\\set n random(0, 500)\n"
            "SELECT RECID AS r FROM SalesLine WHERE RECID = :id \\gset\n"
            "SELECT CASE WHEN :r::BIGINT = :id::BIGINT THEN 1 ELSE error('wrong row') END;\n"
            "SELECT count(*) AS c FROM range(500) t(i) WHERE i < :n \\gset\n"
            "SELECT CASE WHEN :c::BIGINT = :n::BIGINT THEN 1 ELSE error('wrong count') END;\n"
            "SELECT i, 'label ' || i FROM range(500) t(i) WHERE i < :n;\n");
  std::string out = work / "pgbench.out";
  std::string cmd = pgbench + " -n -h 127.0.0.1 -p " + std::to_string(server->port()) + " -U robust -c " +
                    std::to_string(clients) + " -j 2 -t " + std::to_string(queries) + " -M prepared -f " +
                    (work / "script.sql") + " lake > " + out + " 2>&1";
  auto start = Clock::now();
  int status = std::system(cmd.c_str());
  std::string output = ReadFile(out);
  std::printf("[ info ] pgbench %d clients x %d transactions (5 queries each): %.1f s\n", clients, queries,
              SecondsSince(start));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << cmd << "\n" << output << server->Describe();
  std::string processed = "number of transactions actually processed: " + std::to_string(clients * queries) + "/" +
                          std::to_string(clients * queries);
  EXPECT_TRUE(Contains(output, processed)) << output;
  EXPECT_TRUE(server->Stop());
}

// ---- 2. malformed input, failed authentication, clients that leave --------------------------------------------

struct BadCase {
  std::string name;
  bool login_first;       // send this after a successful login, else instead of the startup packet
  std::string bytes;      // what the client sends
  std::string sqlstate;   // the expected FATAL error ("" = no answer expected, only the close)
};

std::vector<BadCase> BadCases() {
  auto message = [](char type, const std::string& body) {
    std::string m(1, type);
    PutInt32(&m, static_cast<int32_t>(body.size() + 4));
    return m + body;
  };
  auto header = [](char type, int32_t length) {
    std::string m(1, type);
    PutInt32(&m, length);
    return m;
  };
  std::vector<BadCase> cases;
  cases.push_back({"protocol 2.0", false, PgConnection::StartupPacket({{"user", "x"}}, 2 << 16), "0A000"});
  cases.push_back({"protocol 4.0", false, PgConnection::StartupPacket({{"user", "x"}}, 4 << 16), "0A000"});
  cases.push_back({"protocol 9.1", false, PgConnection::StartupPacket({{"user", "x"}}, (9 << 16) | 1), "0A000"});
  {
    std::string tiny;
    PutInt32(&tiny, 5);
    tiny += "abcd";
    cases.push_back({"startup length 5", false, tiny, "08P01"});
  }
  {
    std::string huge;
    PutInt32(&huge, 1000000);
    huge += std::string(64, 'a');
    cases.push_back({"startup length 1000000", false, huge, "08P01"});
  }
  {
    std::string negative;
    PutInt32(&negative, -1);
    cases.push_back({"startup length -1", false, negative + "xxxx", "08P01"});
  }
  cases.push_back({"HTTP request", false, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n", "08P01"});
  {
    // A v3 startup packet whose parameter list never ends.
    std::string body;
    PutInt32(&body, 196608);
    body += std::string("user\0robust\0database", 20);
    std::string m;
    PutInt32(&m, static_cast<int32_t>(body.size() + 4));
    cases.push_back({"startup parameters not terminated", false, m + body, "08P01"});
  }
  {
    std::string garbage;
    uint32_t x = 12345;
    for (int i = 0; i < 4096; ++i) {
      x = x * 1103515245u + 12345u;
      garbage.push_back(static_cast<char>(x >> 16));
    }
    garbage[0] = 0;  // a length the server reads as too large (0x00xxxxxx > 10000)
    garbage[1] = 0x7f;
    cases.push_back({"random bytes", false, garbage, "08P01"});
  }
  cases.push_back({"unknown message type", true, message('y', "hello"), "08P01"});
  cases.push_back({"message length 3", true, header('Q', 3), "08P01"});
  cases.push_back({"message length -7", true, header('Q', -7), "08P01"});
  cases.push_back({"oversized Query (2 GB announced)", true, header('Q', 0x7fffff00) + "SELECT 1", "08P01"});
  cases.push_back({"Query without its NUL", true, message('Q', "SELECT 1"), "08P01"});
  cases.push_back({"Parse cut short", true, message('P', std::string("s1\0SELECT", 9)), "08P01"});
  {
    std::string body = std::string("\0\0", 2);
    PutInt16(&body, -3);
    cases.push_back({"Bind with -3 parameter formats", true, message('B', body), "08P01"});
  }
  {
    std::string body = std::string("\0\0", 2);
    PutInt16(&body, 0);
    PutInt16(&body, 1);
    PutInt32(&body, 1000);  // a parameter longer than the message
    body += "abc";
    cases.push_back({"Bind parameter overrunning its message", true, message('B', body), "08P01"});
  }
  cases.push_back({"Describe with subtype X", true, message('D', std::string("X\0", 2)), "08P01"});
  cases.push_back({"Execute with trailing bytes", true, message('E', std::string("\0\0\0\0\0extra", 10)), "08P01"});
  cases.push_back({"Close cut short", true, message('C', ""), "08P01"});
  // Truncated messages followed by a disconnect: nobody is left to tell, the server must just clean up.
  cases.push_back({"truncated Query then disconnect", true, header('Q', 100) + "SELECT", ""});
  cases.push_back({"truncated startup then disconnect", false, std::string("\0\0\0\x20\0\x03", 6), ""});
  // Read as a message of type 0 whose length (0x00001?00) is not there yet: the client gives up and leaves.
  cases.push_back({"startup packet again after login", true, PgConnection::StartupPacket({{"user", "x"}}), ""});
  return cases;
}

TEST_F(ServerRobustness, MalformedMessagesEndOnlyThatConnection) {
  auto server = Start();
  ASSERT_TRUE(server);
  const int port = server->port();
  SteadyClient steady(port, kScale);

  for (const BadCase& bad : BadCases()) {
    SCOPED_TRACE(bad.name);
    PgConnection c;
    ASSERT_TRUE(c.Connect(port, 30));
    if (bad.login_first) {
      std::string error;
      ASSERT_TRUE(c.Login(&error)) << error;
    }
    ASSERT_TRUE(c.SendRaw(bad.bytes));
    if (bad.sqlstate.empty()) {
      ::shutdown(c.fd(), SHUT_WR);  // the client leaves
      EXPECT_TRUE(c.WaitClosed()) << "the server did not close the connection";
      continue;
    }
    std::vector<Message> got = c.ReadAll();
    std::string seen;
    for (const Message& m : got) {
      seen += std::string(1, m.type) + (m.type == 'E' ? "(" + ParseError(m.body).Describe() + ")" : "") + " ";
    }
    ASSERT_FALSE(got.empty()) << "no answer before the connection ended";
    const Message& last = got.back();
    ASSERT_EQ(last.type, 'E') << "the last message before the close is not an ErrorResponse: " << seen;
    PgErrorFields e = ParseError(last.body);
    EXPECT_EQ(e.severity, "FATAL") << seen;
    EXPECT_EQ(e.sqlstate, bad.sqlstate) << seen;
    EXPECT_FALSE(e.message.empty());
  }

  // A client that disconnects in the middle of a query: its statement is abandoned, everyone else goes on.
  {
    PgConnection c;
    ASSERT_TRUE(c.Connect(port));
    std::string error;
    ASSERT_TRUE(c.Login(&error)) << error;
    ASSERT_TRUE(c.Send('Q', CStr("SELECT count(*) FROM range(4000) a, range(4000) b WHERE a.range + b.range = -1")));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  // A client that disconnects while receiving a large result.
  {
    PgConnection c;
    ASSERT_TRUE(c.Connect(port));
    std::string error;
    ASSERT_TRUE(c.Login(&error)) << error;
    ASSERT_TRUE(c.Send('Q', CStr("SELECT i, repeat('x', 100) FROM range(2000000) t(i)")));
    Message m;
    ASSERT_TRUE(c.Read(&m));
  }
  // SSLRequest answered 'N' (no TLS configured), then a bad protocol version on the same connection.
  {
    PgConnection c;
    ASSERT_TRUE(c.Connect(port));
    std::string ssl;
    PutInt32(&ssl, 8);
    PutInt32(&ssl, 80877103);
    ASSERT_TRUE(c.SendRaw(ssl));
    EXPECT_EQ(c.ReadByte(), 'N');
    ASSERT_TRUE(c.SendRaw(PgConnection::StartupPacket({{"user", "x"}}, 2 << 16)));
    std::vector<Message> got = c.ReadAll();
    ASSERT_FALSE(got.empty());
    EXPECT_EQ(ParseError(got.back().body).sqlstate, "0A000");
  }
  // Many connections that leave at once without a word.
  for (int i = 0; i < 50; ++i) {
    PgConnection c;
    ASSERT_TRUE(c.Connect(port));
  }

  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  int before = steady.successes();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  steady.Finish();
  EXPECT_EQ(steady.failure(), "");
  EXPECT_GT(steady.successes(), before) << "the well-behaved client stopped making progress";
  // A new client still gets in and is served.
  PgConnection fresh;
  ASSERT_TRUE(fresh.Connect(port));
  std::string error;
  ASSERT_TRUE(fresh.Login(&error)) << error;
  QueryResult r = fresh.Query("SELECT count(*) FROM SalesLine");
  EXPECT_TRUE(r.ready && !r.error && r.rows.size() == 1 && r.rows[0][0] == std::to_string(kScale)) << r.Describe();
  fresh.Close();
  EXPECT_TRUE(server->Stop());
}

// SCRAM with a wrong password, and an unknown user, end with FATAL 28P01; the right password (through psql,
// when installed) gets in.
TEST_F(ServerRobustness, FailedAuthentication) {
  TempDir work("cdmlake-e2e-auth");
  std::string users = work / "users";
  {
    std::string cmd = std::string("printf 'right-password\\n' | ") + CDMLAKE_BINARY + " serve adduser --users " +
                      users + " alice >/dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  }
  EXPECT_EQ(ReadFile(users).find("right-password"), std::string::npos) << "the password is stored in clear";
  auto server = Start({"--users", users});
  ASSERT_TRUE(server);
  const int port = server->port();

  for (const std::string& user : {std::string("alice"), std::string("mallory")}) {
    SCOPED_TRACE(user);
    PgConnection c;
    ASSERT_TRUE(c.Connect(port));
    ASSERT_TRUE(c.SendStartup(user));
    Message m;
    ASSERT_TRUE(c.Read(&m));
    ASSERT_EQ(m.type, 'R');
    ASSERT_EQ(GetInt32(m.body, 0), 10) << "not a SASL request";
    EXPECT_NE(m.body.find("SCRAM-SHA-256"), std::string::npos);
    std::string client_first = "n,,n=,r=rOprNGfwEbeRWgbNEkqO";
    std::string initial = CStr("SCRAM-SHA-256");
    PutInt32(&initial, static_cast<int32_t>(client_first.size()));
    ASSERT_TRUE(c.Send('p', initial + client_first));
    ASSERT_TRUE(c.Read(&m));
    ASSERT_EQ(m.type, 'R');
    ASSERT_EQ(GetInt32(m.body, 0), 11) << "not SASLContinue";
    std::string server_first = m.body.substr(4);
    size_t r = server_first.find("r=");
    ASSERT_NE(r, std::string::npos) << server_first;
    std::string nonce = server_first.substr(r + 2, server_first.find(',', r) - r - 2);
    // A well-formed final message with a proof that cannot be right (32 zero bytes).
    std::string final_message = "c=biws,r=" + nonce + ",p=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    ASSERT_TRUE(c.Send('p', final_message));
    std::vector<Message> rest = c.ReadAll();
    ASSERT_FALSE(rest.empty()) << "no answer to a wrong proof";
    ASSERT_EQ(rest.back().type, 'E');
    PgErrorFields e = ParseError(rest.back().body);
    EXPECT_EQ(e.severity, "FATAL");
    EXPECT_EQ(e.sqlstate, "28P01") << e.Describe();
  }
  // A client that answers the SASL request with something else.
  {
    PgConnection c;
    ASSERT_TRUE(c.Connect(port));
    ASSERT_TRUE(c.SendStartup("alice"));
    Message m;
    ASSERT_TRUE(c.Read(&m));
    ASSERT_TRUE(c.Send('Q', CStr("SELECT 1")));
    std::vector<Message> rest = c.ReadAll();
    ASSERT_FALSE(rest.empty());
    EXPECT_EQ(ParseError(rest.back().body).sqlstate, "08P01");
  }

  std::string psql = FindTool("psql");
  if (!psql.empty()) {
    for (const auto& [password, ok] : {std::pair<std::string, bool>{"right-password", true}, {"wrong", false}}) {
      std::string out = work / "psql.out";
      std::string cmd = "PGPASSWORD=" + password + " PGCONNECT_TIMEOUT=30 " + psql + " -X -At -h 127.0.0.1 -p " +
                        std::to_string(port) + " -U alice -d lake -c 'SELECT count(*) FROM SalesLine' > " + out +
                        " 2>&1";
      int status = std::system(cmd.c_str());
      std::string output = ReadFile(out);
      if (ok) {
        EXPECT_EQ(status, 0) << output;
        EXPECT_EQ(output, std::to_string(kScale) + "\n");
      } else {
        EXPECT_NE(status, 0) << output;
        EXPECT_TRUE(Contains(output, "password authentication failed")) << output;
      }
    }
  }
  EXPECT_TRUE(server->Stop());
}

// ---- 3. statement timeout ----------------------------------------------------------------------------------------

TEST_F(ServerRobustness, StatementTimeout) {
  auto server = Start({"--statement-timeout", "1"});
  ASSERT_TRUE(server);
  PgConnection c;
  ASSERT_TRUE(c.Connect(server->port()));
  std::string error;
  ASSERT_TRUE(c.Login(&error)) << error;

  auto start = Clock::now();
  QueryResult r = c.Query(kEndlessQuery);
  double server_default = SecondsSince(start);
  ASSERT_TRUE(r.ready && r.error) << r.Describe();
  EXPECT_EQ(r.error->sqlstate, "57014");
  EXPECT_EQ(r.error->message, "canceling statement due to statement timeout");
  EXPECT_GE(server_default, 0.9);
  EXPECT_LT(server_default, 30);

  r = c.Query("SELECT 1");
  EXPECT_TRUE(r.ready && !r.error && r.rows.size() == 1) << r.Describe();

  r = c.Query("SET statement_timeout = '200ms'");
  ASSERT_TRUE(r.ready && !r.error) << r.Describe();
  start = Clock::now();
  r = c.Extended(kEndlessQuery, {});
  double session = SecondsSince(start);
  ASSERT_TRUE(r.ready && r.error) << r.Describe();
  EXPECT_EQ(r.error->sqlstate, "57014");
  EXPECT_EQ(r.error->message, "canceling statement due to statement timeout");
  EXPECT_GE(session, 0.15);
  EXPECT_LT(session, server_default - 0.3) << "the session's 200ms did not replace the server's 1 s";

  // Usable afterwards, through both protocols, and a statement within the limit is not canceled.
  r = c.Query("SELECT count(*) FROM SalesLine");
  EXPECT_TRUE(r.ready && !r.error && r.rows.size() == 1 && r.rows[0][0] == std::to_string(kScale)) << r.Describe();
  r = c.Extended("SELECT $1::INTEGER * 2", {"21"});
  EXPECT_TRUE(r.ready && !r.error && r.rows.size() == 1 && r.rows[0][0] == "42") << r.Describe();
  // 0 turns it off: a query longer than 200ms then completes.
  r = c.Query("SET statement_timeout = 0");
  ASSERT_TRUE(r.ready && !r.error) << r.Describe();
  r = c.Query("SELECT count(*) FROM range(3000) a, range(3000) b WHERE a.range + b.range = -1");
  EXPECT_TRUE(r.ready && !r.error && r.rows.size() == 1 && r.rows[0][0] == "0") << r.Describe();
  c.Send('X', "");
  EXPECT_TRUE(server->Stop());
}

// ---- 4. CancelRequest --------------------------------------------------------------------------------------------

TEST_F(ServerRobustness, CancelRequest) {
  auto server = Start();
  ASSERT_TRUE(server);
  const int port = server->port();
  PgConnection c;
  ASSERT_TRUE(c.Connect(port));
  std::string error;
  ASSERT_TRUE(c.Login(&error)) << error;
  ASSERT_NE(c.pid(), 0) << "no BackendKeyData";

  for (bool extended : {false, true}) {
    SCOPED_TRACE(extended ? "extended protocol" : "simple query");
    QueryResult r;
    std::thread runner([&] { r = extended ? c.Extended(kEndlessQuery, {}) : c.Query(kEndlessQuery); });
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    // A wrong secret is ignored.
    EXPECT_TRUE(SendCancel(port, c.pid(), c.secret() ^ 0x5a5a5a5a));
    EXPECT_TRUE(SendCancel(port, c.pid() + 1000, c.secret()));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    auto start = Clock::now();
    EXPECT_TRUE(SendCancel(port, c.pid(), c.secret()));
    runner.join();
    EXPECT_LT(SecondsSince(start), 20);
    ASSERT_TRUE(r.ready) << r.Describe();
    ASSERT_TRUE(r.error) << r.Describe();
    EXPECT_EQ(r.error->sqlstate, "57014");
    EXPECT_EQ(r.error->message, "canceling statement due to user request") << r.error->Describe();
    r = c.Query("SELECT 2");
    EXPECT_TRUE(r.ready && !r.error && r.rows.size() == 1 && r.rows[0][0] == "2") << r.Describe();
  }
  // A cancel while idle does nothing to the next statement.
  EXPECT_TRUE(SendCancel(port, c.pid(), c.secret()));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  QueryResult r = c.Query("SELECT count(*) FROM SalesLine");
  EXPECT_TRUE(r.ready && !r.error && r.rows.size() == 1) << r.Describe();
  c.Send('X', "");
  EXPECT_TRUE(server->Stop());
}

// ---- 5. connection limit -----------------------------------------------------------------------------------------

TEST_F(ServerRobustness, ConnectionLimit) {
  auto server = Start({"--max-connections", "2"});
  ASSERT_TRUE(server);
  const int port = server->port();
  std::string error;
  PgConnection a, b;
  ASSERT_TRUE(a.Connect(port) && a.Login(&error)) << error;
  ASSERT_TRUE(b.Connect(port) && b.Login(&error)) << error;
  for (int i = 0; i < 3; ++i) {
    PgConnection c;
    ASSERT_TRUE(c.Connect(port));
    EXPECT_FALSE(c.Login(&error));
    EXPECT_EQ(c.last_error().severity, "FATAL");
    EXPECT_EQ(c.last_error().sqlstate, "53300") << error;
    EXPECT_TRUE(c.WaitClosed());
  }
  // The two sessions are unaffected.
  EXPECT_TRUE(a.Query("SELECT 1").ready);
  EXPECT_TRUE(b.Query("SELECT 1").ready);
  a.Send('X', "");
  a.Close();
  // After one leaves, a new client gets in (its slot is freed when its session ends, shortly after).
  bool in = false;
  auto start = Clock::now();
  PgConnection d;
  while (!in && SecondsSince(start) < 10) {
    ASSERT_TRUE(d.Connect(port));
    in = d.Login(&error);
    if (!in) {
      ASSERT_EQ(d.last_error().sqlstate, "53300") << error;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ASSERT_TRUE(in) << "no slot freed within 10 s: " << error;
  QueryResult r = d.Query("SELECT count(*) FROM SalesLine");
  EXPECT_TRUE(r.ready && !r.error && r.rows.size() == 1) << r.Describe();
  // An abrupt disconnect (no Terminate) frees the slot too.
  b.Close();
  in = false;
  start = Clock::now();
  PgConnection e;
  while (!in && SecondsSince(start) < 10) {
    ASSERT_TRUE(e.Connect(port));
    in = e.Login(&error);
    if (!in) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(in) << error;
  EXPECT_TRUE(server->Stop());
}

// ---- 6. graceful shutdown ----------------------------------------------------------------------------------------

// SIGTERM: an idle session gets FATAL 57P01 at once; a running statement completes (within --grace) and its
// client gets the whole result; then the server exits 0.
TEST_F(ServerRobustness, GracefulShutdown) {
  auto server = Start({"--grace", "20"});
  ASSERT_TRUE(server);
  const int port = server->port();
  std::string error;
  PgConnection idle, busy, in_transaction;
  ASSERT_TRUE(idle.Connect(port) && idle.Login(&error)) << error;
  ASSERT_TRUE(in_transaction.Connect(port) && in_transaction.Login(&error)) << error;
  ASSERT_TRUE(in_transaction.Query("BEGIN").ready);
  ASSERT_TRUE(busy.Connect(port) && busy.Login(&error)) << error;
  // About a second of work (1.6*10^7 pairs through a nested-loop join), well inside the grace period.
  const char* finite = "SELECT count(*) FROM range(4000) a, range(4000) b WHERE a.range + b.range = -1";
  auto query_start = Clock::now();
  QueryResult r = busy.Query(finite);
  double alone = SecondsSince(query_start);
  ASSERT_TRUE(r.ready && !r.error) << r.Describe();
  std::printf("[ info ] the finite query takes %.2f s alone\n", alone);

  ASSERT_TRUE(busy.Send('Q', CStr(finite)));
  std::this_thread::sleep_for(std::chrono::milliseconds(std::min(300, static_cast<int>(alone * 300))));
  auto stop_start = Clock::now();
  std::thread stopper([&] { EXPECT_TRUE(server->Stop(60)); });

  for (PgConnection* c : {&idle, &in_transaction}) {
    std::vector<Message> got = c->ReadAll();
    double seconds = SecondsSince(stop_start);
    ASSERT_FALSE(got.empty()) << "an idle session got nothing before its connection ended";
    EXPECT_EQ(got.back().type, 'E');
    PgErrorFields e = ParseError(got.back().body);
    EXPECT_EQ(e.severity, "FATAL");
    EXPECT_EQ(e.sqlstate, "57P01") << e.Describe();
    EXPECT_LT(seconds, 5) << "the idle session was not told at once";
  }
  // The running statement completes with its result, then that session ends with 57P01 too.
  r = busy.ReadResult();
  EXPECT_TRUE(r.ready && !r.error && r.rows.size() == 1 && r.rows[0][0] == "0") << r.Describe();
  std::vector<Message> rest = busy.ReadAll();
  if (!rest.empty()) {
    EXPECT_EQ(ParseError(rest.back().body).sqlstate, "57P01");
  }
  stopper.join();
  EXPECT_LT(server->stop_seconds(), alone + 10) << "the server did not exit soon after the statement ended";
  // A new connection is refused once the server is gone.
  PgConnection late;
  EXPECT_FALSE(late.Connect(port));
}

// The grace period ends: a statement still running is interrupted and the server exits 0 soon after.
TEST_F(ServerRobustness, ShutdownAfterGracePeriod) {
  auto server = Start({"--grace", "1"});
  ASSERT_TRUE(server);
  PgConnection busy;
  std::string error;
  ASSERT_TRUE(busy.Connect(server->port()) && busy.Login(&error)) << error;
  ASSERT_TRUE(busy.Send('Q', CStr(kEndlessQuery)));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_TRUE(server->Stop(15));
  EXPECT_GE(server->stop_seconds(), 0.9);
  QueryResult r = busy.ReadResult();
  EXPECT_FALSE(r.ready && !r.error) << "the endless statement completed?" << r.Describe();
}

}  // namespace
}  // namespace cdmlake_e2e
