// The commit protocol of `cdmlake export` under kill -9: whenever the writer dies, the folder reads as exactly
// the previous version or exactly the new one, never a mix, and a rerun completes.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <algorithm>
#include <random>
#include <set>
#include <thread>

#include "test_support.h"

namespace cdmlake_e2e {
namespace {

// Two versions that differ in rows, values and a tag, so a mix of them cannot look like either.
const char* kVersionA = "SELECT RECID, LINEAMOUNT, NAME, 'A' AS tag FROM Tables.SalesLine";
const char* kVersionB = "SELECT RECID, LINEAMOUNT * 2 AS LINEAMOUNT, NAME, 'B' AS tag FROM Tables.SalesLine WHERE RECID % 3 <> 0";
const char* kFingerprint =
    "SELECT count(*) || '/' || sum(LINEAMOUNT) || '/' || string_agg(DISTINCT tag, ',') FROM Out.Sales";

std::vector<std::string> ExportArgs(const std::string& lake, const std::string& out, const char* query) {
  return {"--lake", lake, "--threads", "2", "export", "--query", query, "--to", out, "--entity", "Sales"};
}

class ExportCrashE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("cdmlake-e2e-crash");
    ASSERT_TRUE(GenerateLake(lake(), 30000, 7));
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static std::string lake() { return *dir_ / "lake"; }
  static std::string out() { return lake() + "/Out"; }
  static std::string Fingerprint() { return SqlScalar(lake(), kFingerprint); }
  static TempDir* dir_;
};
TempDir* ExportCrashE2E::dir_ = nullptr;

TEST_F(ExportCrashE2E, KilledWritersLeaveOneWholeVersion) {
  ASSERT_TRUE(Succeeded(RunCdmlake(ExportArgs(lake(), out(), kVersionA))));
  const std::string a = Fingerprint();
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(Succeeded(RunCdmlake(ExportArgs(lake(), out(), kVersionB))));
  auto full = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
  const std::string b = Fingerprint();
  ASSERT_NE(a, b);
  ASSERT_TRUE(Contains(a, "/A")) << a;
  ASSERT_TRUE(Contains(b, "/B")) << b;

  std::mt19937 random(20261121);
  int kills = 0;
  std::string current = b;
  // Kill within the run time of the fastest complete run seen (the machine may be busy or not), so that most
  // attempts die somewhere between start and commit.
  int64_t bound = full.count();
  for (int attempt = 0; attempt < 150 && kills < 24; ++attempt) {
    // Write the other version and kill the writer somewhere within its usual run time.
    const bool to_a = current == b;
    std::uniform_int_distribution<int64_t> when(0, bound);
    auto started = std::chrono::steady_clock::now();
    bool killed = RunAndKill(ExportArgs(lake(), out(), to_a ? kVersionA : kVersionB), std::chrono::microseconds(when(random)));
    if (!killed) {
      auto took = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
      bound = std::min(bound, took.count() * 9 / 10);
    }
    kills += killed;
    const std::string seen = Fingerprint();
    ASSERT_TRUE(seen == a || seen == b) << "after " << (killed ? "a kill" : "a finished run") << " the folder reads as "
                                        << seen << ", which is neither version (" << a << " or " << b << ")";
    if (!killed) {
      EXPECT_EQ(seen, to_a ? a : b) << "a finished export commits its version";
    }
    current = seen;
  }
  EXPECT_GE(kills, 20) << "the writer finished before most kills; the test did not exercise the protocol";
  // A rerun completes and leaves one version folder.
  ASSERT_TRUE(Succeeded(RunCdmlake(ExportArgs(lake(), out(), kVersionA))));
  EXPECT_EQ(Fingerprint(), a);
  std::set<std::string> versions;
  for (const std::string& f : ListFilesRecursive(out() + "/Sales")) versions.insert(f.substr(0, f.find('/')));
  EXPECT_EQ(versions.size(), 1u) << "the previous versions and the leftovers of killed writers are removed";
}

// Deterministic crash points of the protocol.
TEST_F(ExportCrashE2E, CrashPointsBeforeAndAfterTheCommit) {
  ASSERT_TRUE(Succeeded(RunCdmlake(ExportArgs(lake(), out(), kVersionA))));
  const std::string a = Fingerprint();
  for (const char* point : {"after-data", "before-manifest"}) {
    RunResult crashed = RunCdmlake(ExportArgs(lake(), out(), kVersionB), "", {{"CDMLAKE_CRASH_AT", point}});
    EXPECT_TRUE(crashed.signaled) << point << ": " << crashed.Describe();
    EXPECT_EQ(Fingerprint(), a) << "killed at " << point << ": the previous version must still be read";
  }
  RunResult crashed = RunCdmlake(ExportArgs(lake(), out(), kVersionB), "", {{"CDMLAKE_CRASH_AT", "after-manifest"}});
  EXPECT_TRUE(crashed.signaled);
  const std::string b = Fingerprint();
  EXPECT_TRUE(Contains(b, "/B")) << "killed after the manifest: the new version is committed";
  ASSERT_TRUE(Succeeded(RunCdmlake(ExportArgs(lake(), out(), kVersionA))));
  EXPECT_EQ(Fingerprint(), a);
}

}  // namespace
}  // namespace cdmlake_e2e
