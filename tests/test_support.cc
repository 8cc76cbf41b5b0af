#include "test_support.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace cdmlake_e2e {

namespace fs = std::filesystem;

namespace {

constexpr unsigned kChildTimeoutSeconds = 120;

// An empty folder that children run in by default, so no test depends on the caller's working directory.
const std::string& NeutralCwd() {
  static TempDir dir("cdmlake-e2e-cwd");
  return dir.path();
}

std::string MakeTempFile() {
  char name[] = "/tmp/cdmlake-e2e-out-XXXXXX";
  int fd = ::mkstemp(name);
  if (fd < 0) throw std::runtime_error(std::string("mkstemp: ") + std::strerror(errno));
  ::close(fd);
  return name;
}

std::string ShellQuote(const std::string& s) {
  if (!s.empty() && s.find_first_of(" \t\n'\"\\$`*?;&|<>()") == std::string::npos) return s;
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string Clip(const std::string& s, size_t max) {
  return s.size() <= max ? s : s.substr(0, max) + "\n...(" + std::to_string(s.size() - max) + " more bytes)";
}

}  // namespace

std::string RunResult::Describe() const {
  std::string out_text = "command: " + command + "\nexit code: " + std::to_string(exit_code) +
                         (signaled ? " (killed by a signal)" : "") + "\n--- stdout ---\n" + Clip(out, 3000) +
                         "\n--- stderr ---\n" + Clip(err, 3000) + "\n";
  return out_text;
}

RunResult RunCdmlake(const std::vector<std::string>& args, const std::string& cwd,
                     const std::map<std::string, std::string>& env) {
  RunResult result;
  result.command = CDMLAKE_BINARY;
  for (const auto& a : args) result.command += " " + ShellQuote(a);
  const std::string dir = cwd.empty() ? NeutralCwd() : cwd;
  const std::string out_path = MakeTempFile();
  const std::string err_path = MakeTempFile();

  // Everything the child needs is prepared before fork: only async-signal-safe calls after it.
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) {
    std::string entry = *e;
    std::string key = entry.substr(0, entry.find('='));
    if (key == "CDMLAKE_LAKE" || key == "CDMLAKE_PROGRESS" || env.count(key)) continue;
    env_strings.push_back(entry);
  }
  env_strings.push_back("CDMLAKE_PROGRESS=0");
  for (const auto& [k, v] : env) {
    if (k != "CDMLAKE_PROGRESS") env_strings.push_back(k + "=" + v);
  }
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_strings{CDMLAKE_BINARY};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);

  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    int in = ::open("/dev/null", O_RDONLY);
    int out = ::open(out_path.c_str(), O_WRONLY | O_TRUNC);
    int err = ::open(err_path.c_str(), O_WRONLY | O_TRUNC);
    if (in < 0 || out < 0 || err < 0 || ::dup2(in, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0) _exit(126);
    if (::chdir(dir.c_str()) != 0) _exit(126);
    ::alarm(kChildTimeoutSeconds);  // survives exec: a hanging child is killed by SIGALRM
    ::execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw std::runtime_error(std::string("waitpid: ") + std::strerror(errno));
  }
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signaled = true;
    result.exit_code = 128 + WTERMSIG(status);
  }
  result.out = ReadFile(out_path);
  result.err = ReadFile(err_path);
  ::unlink(out_path.c_str());
  ::unlink(err_path.c_str());
  return result;
}

TempDir::TempDir(const std::string& prefix) {
  std::string pattern = "/tmp/" + prefix + "-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (!::mkdtemp(buffer.data())) throw std::runtime_error(std::string("mkdtemp: ") + std::strerror(errno));
  path_ = buffer.data();
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFile(const std::string& path, const std::string& content) {
  fs::path p(path);
  if (p.has_parent_path()) fs::create_directories(p.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + path);
  out << content;
  if (!out.flush()) throw std::runtime_error("cannot write " + path);
}

bool FileExists(const std::string& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

std::vector<std::string> ListFilesRecursive(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) out.push_back(fs::relative(entry.path(), dir).generic_string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> ListFiles(const std::string& dir, const std::string& suffix) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.size() >= suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      out.push_back(entry.path().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

void CopyTree(const std::string& from, const std::string& to) {
  fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
}

std::vector<CsvRecord> ParseCsvRecords(const std::string& text) {
  std::vector<CsvRecord> records;
  size_t i = 0;
  int64_t line = 1;
  const size_t n = text.size();
  while (i < n) {
    CsvRecord record;
    record.line = line;
    while (true) {
      CsvCell cell;
      if (i < n && text[i] == '"') {
        cell.quoted = true;
        ++i;
        while (true) {
          if (i >= n) throw std::runtime_error("unterminated quote in record at line " + std::to_string(record.line));
          char c = text[i];
          if (c == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              cell.text += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (c == '\n') ++line;
          cell.text += c;
          ++i;
        }
        if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          throw std::runtime_error("text after a closing quote at line " + std::to_string(line));
        }
      } else {
        while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          if (text[i] == '"') throw std::runtime_error("quote in an unquoted field at line " + std::to_string(line));
          cell.text += text[i++];
        }
      }
      record.cells.push_back(std::move(cell));
      if (i < n && text[i] == ',') {
        ++i;
        continue;
      }
      // End of record: CRLF, LF or end of text.
      if (i < n && text[i] == '\r') ++i;
      if (i < n && text[i] == '\n') {
        ++i;
        ++line;
      }
      break;
    }
    records.push_back(std::move(record));
  }
  return records;
}

std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> out;
  for (const auto& r : ParseCsvRecords(text)) {
    std::vector<std::string> row;
    for (const auto& c : r.cells) row.push_back(c.text);
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<CsvRecord> ParseCsvFiles(const std::vector<std::string>& files) {
  std::vector<CsvRecord> out;
  for (const auto& f : files) {
    auto records = ParseCsvRecords(ReadFile(f));
    out.insert(out.end(), std::make_move_iterator(records.begin()), std::make_move_iterator(records.end()));
  }
  return out;
}

int64_t DecimalUnits(const std::string& text, int scale) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  if (i >= text.size()) throw std::runtime_error("not a decimal: '" + text + "'");
  int64_t units = 0;
  bool digits = false;
  for (; i < text.size() && text[i] != '.'; ++i) {
    if (text[i] < '0' || text[i] > '9') throw std::runtime_error("not a decimal: '" + text + "'");
    units = units * 10 + (text[i] - '0');
    digits = true;
  }
  int fraction_digits = 0;
  if (i < text.size()) {
    for (++i; i < text.size(); ++i) {
      if (text[i] < '0' || text[i] > '9') throw std::runtime_error("not a decimal: '" + text + "'");
      if (fraction_digits < scale) {
        units = units * 10 + (text[i] - '0');
        ++fraction_digits;
      } else if (text[i] != '0') {
        throw std::runtime_error("decimal '" + text + "' has more than " + std::to_string(scale) + " decimals");
      }
      digits = true;
    }
  }
  if (!digits) throw std::runtime_error("not a decimal: '" + text + "'");
  for (; fraction_digits < scale; ++fraction_digits) units *= 10;
  return negative ? -units : units;
}

std::string IsoToDuckTimestamp(const std::string& iso) {
  std::string s = iso;
  if (!s.empty() && s.back() == 'Z') s.pop_back();
  if (s.size() < 19 || s[10] != 'T') throw std::runtime_error("not an ISO timestamp: '" + iso + "'");
  std::string out = s.substr(0, 10) + " " + s.substr(11, 8);
  if (s.size() > 20 && s[19] == '.') {
    std::string fraction = s.substr(20);
    if (fraction.size() > 6) fraction = fraction.substr(0, 6);  // DuckDB keeps microseconds
    while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
    if (!fraction.empty()) out += "." + fraction;
  }
  return out;
}

std::optional<std::vector<std::vector<std::string>>> SqlCsv(const std::string& lake, const std::string& query,
                                                              const std::vector<std::string>& extra_args) {
  std::vector<std::string> args{"--lake", lake, "sql", "--format", "csv"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  args.push_back(query);
  RunResult r = RunCdmlake(args);
  if (r.exit_code != 0) {
    ADD_FAILURE() << "query failed\n" << r.Describe();
    return std::nullopt;
  }
  try {
    return ParseCsv(r.out);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "the csv output does not parse: " << e.what() << "\n" << r.Describe();
    return std::nullopt;
  }
}

std::string SqlScalar(const std::string& lake, const std::string& query) {
  auto rows = SqlCsv(lake, query);
  if (!rows) return "";
  if (rows->size() < 2 || (*rows)[1].empty()) {
    ADD_FAILURE() << "query returned no rows: " << query;
    return "";
  }
  return (*rows)[1][0];
}

nlohmann::json InspectJson(const std::string& lake, const std::vector<std::string>& extra_args, RunResult* run) {
  std::vector<std::string> args{"--lake", lake, "lake", "inspect", "--format", "json"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  RunResult r = RunCdmlake(args);
  if (run) *run = r;
  try {
    return nlohmann::json::parse(r.out);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "inspect output is not JSON: " << e.what() << "\n" << r.Describe();
    return nlohmann::json();
  }
}

const nlohmann::json* FindEntity(const nlohmann::json& report, const std::string& name) {
  if (!report.is_object() || !report.contains("entities") || !report["entities"].is_array()) return nullptr;
  for (const auto& e : report["entities"]) {
    if (e.value("name", "") == name) return &e;
  }
  return nullptr;
}

bool GenerateLake(const std::string& out, int64_t scale, uint64_t seed) {
  RunResult r = RunCdmlake({"-q", "generate", "--out", out, "--scale", std::to_string(scale), "--seed",
                            std::to_string(seed)});
  if (r.exit_code != 0) {
    ADD_FAILURE() << "generate failed\n" << r.Describe();
    return false;
  }
  return true;
}

bool Contains(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

::testing::AssertionResult FailedCleanly(const RunResult& r) {
  if (r.signaled) return ::testing::AssertionFailure() << "cdmlake crashed\n" << r.Describe();
  if (r.exit_code != 1) return ::testing::AssertionFailure() << "expected exit code 1\n" << r.Describe();
  if (r.err.empty()) return ::testing::AssertionFailure() << "expected a message on stderr\n" << r.Describe();
  if (Contains(r.err, "internal error")) {
    return ::testing::AssertionFailure() << "a user/data error is reported as an internal error\n" << r.Describe();
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult Succeeded(const RunResult& r) {
  if (r.exit_code != 0 || r.signaled) return ::testing::AssertionFailure() << "expected success\n" << r.Describe();
  return ::testing::AssertionSuccess();
}

const std::vector<GeneratedTableInfo>& GeneratedTables() {
  static const std::vector<GeneratedTableInfo> tables = {
      {"DirPartyTable", "Tables/CommonCore/GlobalAddressBook/Main", 9},
      {"LogisticsPostalAddress", "Tables/CommonCore/GlobalAddressBook/Main", 12},
      {"CustTable", "Tables/Finance/AccountsReceivable/Main", 12},
      {"CustGroup", "Tables/Finance/AccountsReceivable/Group", 7},
      {"SalesTable", "Tables/SupplyChain/SalesAndMarketing/Main", 13},
      {"SalesLine", "Tables/SupplyChain/SalesAndMarketing/WorksheetLine", 17},
      {"InventTable", "Tables/SupplyChain/ProductInformationManagement/Main", 9},
      {"EcoResProduct", "Tables/SupplyChain/ProductInformationManagement/Main", 7},
  };
  return tables;
}

std::string GeneratedDataFolder(const std::string& lake, const std::string& table) {
  for (const auto& t : GeneratedTables()) {
    if (t.name == table) return lake + "/" + t.manifest_folder + "/" + t.name;
  }
  throw std::runtime_error("unknown generated table " + table);
}

std::vector<CsvRecord> GeneratedRecords(const std::string& lake, const std::string& table) {
  return ParseCsvFiles(ListFiles(GeneratedDataFolder(lake, table), ".csv"));
}

void WriteEntityDoc(const std::string& path, const std::string& entity, const Attributes& attributes) {
  nlohmann::ordered_json attrs = nlohmann::ordered_json::array();
  for (const auto& [name, format] : attributes) attrs.push_back({{"name", name}, {"dataFormat", format}});
  nlohmann::ordered_json doc = {
      {"jsonSchemaSemanticVersion", "1.0.0"},
      {"imports", nlohmann::ordered_json::array({{{"corpusPath", "cdm:/foundations.cdm.json"}}})},
      {"definitions", nlohmann::ordered_json::array({{{"entityName", entity}, {"hasAttributes", attrs}}})}};
  WriteFile(path, doc.dump(2) + "\n");
}

nlohmann::ordered_json LocalEntity(const std::string& name, const std::string& entity_path,
                                   const std::vector<std::string>& locations) {
  nlohmann::ordered_json partitions = nlohmann::ordered_json::array();
  for (const auto& l : locations) {
    partitions.push_back(
        {{"location", l},
         {"exhibitsTraits",
          nlohmann::ordered_json::array({{{"traitReference", "is.partition.format.CSV"},
                                          {"arguments", nlohmann::ordered_json::array(
                                                            {{{"name", "columnHeaders"}, {"value", "false"}},
                                                             {{"name", "delimiter"}, {"value", ","}}})}}})}});
  }
  return {{"type", "LocalEntity"}, {"entityName", name}, {"entityPath", entity_path}, {"dataPartitions", partitions}};
}

void WriteManifest(const std::string& path, const std::string& name, const nlohmann::ordered_json& entities,
                   const std::vector<std::pair<std::string, std::string>>& sub_manifests) {
  nlohmann::ordered_json subs = nlohmann::ordered_json::array();
  for (const auto& [sub, definition] : sub_manifests) subs.push_back({{"manifestName", sub}, {"definition", definition}});
  nlohmann::ordered_json m = {{"jsonSchemaSemanticVersion", "1.0.0"},
                              {"manifestName", name},
                              {"entities", entities},
                              {"subManifests", subs}};
  WriteFile(path, m.dump(2) + "\n");
}

namespace {

uint32_t Crc32(const std::string& data) {
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char byte : data) {
    crc ^= byte;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

void PutLe(std::string* out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

}  // namespace

void WriteStoredZip(const std::string& path, const std::vector<std::pair<std::string, std::string>>& entries) {
  constexpr uint16_t kDosDate = (1 << 5) | 1;  // 1980-01-01
  std::string out, central;
  for (const auto& [name, content] : entries) {
    const uint32_t crc = Crc32(content);
    const uint64_t offset = out.size();
    PutLe(&out, 0x04034b50, 4);  // local file header
    PutLe(&out, 20, 2);          // version needed
    PutLe(&out, 0, 2);           // flags
    PutLe(&out, 0, 2);           // stored
    PutLe(&out, 0, 2);           // time
    PutLe(&out, kDosDate, 2);
    PutLe(&out, crc, 4);
    PutLe(&out, content.size(), 4);
    PutLe(&out, content.size(), 4);
    PutLe(&out, name.size(), 2);
    PutLe(&out, 0, 2);  // extra length
    out += name;
    out += content;
    PutLe(&central, 0x02014b50, 4);  // central directory header
    PutLe(&central, 20, 2);          // version made by
    PutLe(&central, 20, 2);          // version needed
    PutLe(&central, 0, 2);
    PutLe(&central, 0, 2);
    PutLe(&central, 0, 2);
    PutLe(&central, kDosDate, 2);
    PutLe(&central, crc, 4);
    PutLe(&central, content.size(), 4);
    PutLe(&central, content.size(), 4);
    PutLe(&central, name.size(), 2);
    PutLe(&central, 0, 2);  // extra
    PutLe(&central, 0, 2);  // comment
    PutLe(&central, 0, 2);  // disk
    PutLe(&central, 0, 2);  // internal attributes
    PutLe(&central, 0, 4);  // external attributes
    PutLe(&central, offset, 4);
    central += name;
  }
  const uint64_t central_offset = out.size();
  out += central;
  PutLe(&out, 0x06054b50, 4);  // end of central directory
  PutLe(&out, 0, 2);
  PutLe(&out, 0, 2);
  PutLe(&out, entries.size(), 2);
  PutLe(&out, entries.size(), 2);
  PutLe(&out, central.size(), 4);
  PutLe(&out, central_offset, 4);
  PutLe(&out, 0, 2);
  WriteFile(path, out);
}

// Starts cdmlake with args, kills it with SIGKILL after `delay` (unless it finished); true when it was killed.
bool RunAndKill(const std::vector<std::string>& args, std::chrono::microseconds delay,
                const std::map<std::string, std::string>& env) {
  pid_t pid = fork();
  if (pid == 0) {
    int null_fd = ::open("/dev/null", O_RDWR);
    ::dup2(null_fd, 1);
    ::dup2(null_fd, 2);
    ::setenv("CDMLAKE_PROGRESS", "0", 1);
    for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> argv{const_cast<char*>(CDMLAKE_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(CDMLAKE_BINARY, argv.data());
    ::_exit(127);
  }
  auto deadline = std::chrono::steady_clock::now() + delay;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (::waitpid(pid, &status, WNOHANG) == pid) return WIFSIGNALED(status);
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

}  // namespace cdmlake_e2e
