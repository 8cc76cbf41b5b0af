// Helpers for the end-to-end tests: run the cdmlake binary as a child process (stdout, stderr and the exit code
// captured separately), temporary folders, small file helpers, and an independent RFC 4180 CSV parser used to
// compute expected values without the code under test.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace cdmlake_e2e {

// What a cdmlake run produced.
struct RunResult {
  int exit_code = -1;     // the exit status, or 128 + signal when the child was killed by a signal
  bool signaled = false;  // killed by a signal (a crash)
  std::string out;
  std::string err;
  std::string command;  // for messages

  // "command\nexit N\nstdout...\nstderr..." for assertion messages.
  std::string Describe() const;
};

// Runs the cdmlake binary with args. The child runs in `cwd` (default: a fresh empty temporary folder, so
// nothing depends on the caller's working directory), with CDMLAKE_PROGRESS=0 and without CDMLAKE_LAKE (unless
// `env` sets it). Stdout and stderr go to temporary files; stdin is /dev/null.
RunResult RunCdmlake(const std::vector<std::string>& args, const std::string& cwd = "",
                     const std::map<std::string, std::string>& env = {});

// A temporary folder under /tmp (mkdtemp), removed recursively when destroyed.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "cdmlake-e2e");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& relative) const { return path_ + "/" + relative; }

 private:
  std::string path_;
};

// File helpers (std::filesystem based). WriteFile creates the parent folders.
std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& content);
bool FileExists(const std::string& path);
// Every regular file below dir, as sorted paths relative to dir.
std::vector<std::string> ListFilesRecursive(const std::string& dir);
// The regular files directly in dir whose names end with suffix, sorted, as absolute paths.
std::vector<std::string> ListFiles(const std::string& dir, const std::string& suffix);
void CopyTree(const std::string& from, const std::string& to);

// One parsed CSV field: its text (quotes removed, doubled quotes undone) and whether it was quoted.
struct CsvCell {
  std::string text;
  bool quoted = false;
  bool operator==(const CsvCell&) const = default;
};
struct CsvRecord {
  std::vector<CsvCell> cells;
  int64_t line = 0;  // physical line where the record starts (1-based)
};

// An RFC 4180 parser: ',' separated, '"' quoted, '""' inside quotes is one quote, CR/LF inside quotes belong to
// the value, records end at LF or CRLF. A final line break is optional. Throws std::runtime_error on a quote in
// an unquoted field or an unterminated quote.
std::vector<CsvRecord> ParseCsvRecords(const std::string& text);
// The fields' texts only.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text);
// Parses all files in order and concatenates their records.
std::vector<CsvRecord> ParseCsvFiles(const std::vector<std::string>& files);

// Exact decimals: "12.5", "-3", "0.000100" as an integer number of 10^-scale units. Throws when the text is
// not a plain decimal or has more fractional digits than scale (non-zero ones).
int64_t DecimalUnits(const std::string& text, int scale);

// "2021-03-04T05:06:07.0000000Z" (or without Z, or with fewer fractional digits) as DuckDB prints a TIMESTAMP:
// "2021-03-04 05:06:07" (fraction kept without trailing zeros).
std::string IsoToDuckTimestamp(const std::string& iso);

// A query through `cdmlake --lake lake sql --format csv`; on failure records a test failure and returns
// nullopt. The header row is included as the first row.
std::optional<std::vector<std::vector<std::string>>> SqlCsv(const std::string& lake, const std::string& query,
                                                              const std::vector<std::string>& extra_args = {});
// A single value (first column of the first data row) through SqlCsv; "" on failure.
std::string SqlScalar(const std::string& lake, const std::string& query);

// Runs `cdmlake --lake lake lake inspect [path] --format json`, parses stdout; records a failure and returns a
// null json when stdout is not JSON.
nlohmann::json InspectJson(const std::string& lake, const std::vector<std::string>& extra_args = {},
                           RunResult* run = nullptr);
// The entity object named `name` in an inspect report, or nullptr.
const nlohmann::json* FindEntity(const nlohmann::json& report, const std::string& name);

// Generates a D365 lake with `cdmlake generate`; records a failure on error.
bool GenerateLake(const std::string& out, int64_t scale, uint64_t seed);

// True when text contains needle (for EXPECT_PRED2 style messages).
bool Contains(const std::string& text, const std::string& needle);

// Asserts that a run failed cleanly: exit code 1 (not a crash, not an internal error) and a message on stderr.
::testing::AssertionResult FailedCleanly(const RunResult& r);
::testing::AssertionResult Succeeded(const RunResult& r);

// Paths of the generated D365 lake (relative to its root).
struct GeneratedTableInfo {
  std::string name;
  std::string manifest_folder;  // folder of the leaf manifest
  size_t columns;
};
const std::vector<GeneratedTableInfo>& GeneratedTables();
// The data folder of a generated table (absolute).
std::string GeneratedDataFolder(const std::string& lake, const std::string& table);
// All records of a generated table, read from its CSV files in file order.
std::vector<CsvRecord> GeneratedRecords(const std::string& lake, const std::string& table);

// Small CDM documents for hand-made lakes (written with nlohmann::ordered_json, two-space indent).
using Attributes = std::vector<std::pair<std::string, std::string>>;  // (name, dataFormat)
// An entity document with one resolved entity definition.
void WriteEntityDoc(const std::string& path, const std::string& entity, const Attributes& attributes);
// A LocalEntity declaration with explicit CSV partitions (headerless, comma).
nlohmann::ordered_json LocalEntity(const std::string& name, const std::string& entity_path,
                                   const std::vector<std::string>& locations);
// A manifest document; sub_manifests are (manifestName, definition) pairs.
void WriteManifest(const std::string& path, const std::string& name, const nlohmann::ordered_json& entities,
                   const std::vector<std::pair<std::string, std::string>>& sub_manifests = {});

// Writes a zip archive holding `entries` (name, content) in order, stored without compression (method 0), for
// hand-made packages; names are written as given (e.g. with backslashes, as EMEX does).
void WriteStoredZip(const std::string& path, const std::vector<std::pair<std::string, std::string>>& entries);

// Starts cdmlake with args (and env added to the environment), kills it with SIGKILL after `delay` unless it
// finished first; returns true when it was killed. Its output goes to /dev/null.
bool RunAndKill(const std::vector<std::string>& args, std::chrono::microseconds delay,
                const std::map<std::string, std::string>& env = {});

}  // namespace cdmlake_e2e
