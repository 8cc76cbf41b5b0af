// `cdmlake generate`: the same seed writes byte-identical lakes, another seed other data.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "test_support.h"

namespace cdmlake_e2e {
namespace {

TEST(GenerateE2E, SameSeedGivesIdenticalFilesAndOtherSeedsDiffer) {
  TempDir dir("cdmlake-e2e-generate");
  const std::string a = dir / "a", b = dir / "b", c = dir / "c";
  ASSERT_TRUE(GenerateLake(a, 3000, 1234));
  // The same options from another working directory, with a relative --out.
  RunResult rel = RunCdmlake({"-q", "generate", "--out", "b", "--scale", "3000", "--seed", "1234"}, dir.path());
  ASSERT_TRUE(Succeeded(rel));
  ASSERT_TRUE(GenerateLake(c, 3000, 1235));

  std::vector<std::string> files_a = ListFilesRecursive(a);
  ASSERT_EQ(files_a, ListFilesRecursive(b));
  ASSERT_EQ(files_a, ListFilesRecursive(c)) << "the layout does not depend on the seed";
  int csv = 0, json = 0, differing = 0;
  for (const std::string& f : files_a) {
    SCOPED_TRACE(f);
    std::string bytes_a = ReadFile(a + "/" + f);
    EXPECT_TRUE(bytes_a == ReadFile(b + "/" + f)) << "same seed, different bytes";
    bool is_csv = f.size() > 4 && f.compare(f.size() - 4, 4, ".csv") == 0;
    csv += is_csv;
    json += !is_csv;
    // Every data file except the fixed customer groups depends on the seed.
    if (is_csv && f.find("CUSTGROUP") == std::string::npos) {
      bool differs = bytes_a != ReadFile(c + "/" + f);
      differing += differs;
      EXPECT_TRUE(differs) << "seed 1234 and 1235 wrote the same data";
    }
  }
  EXPECT_GE(csv, 10);
  EXPECT_GE(json, 15);
  EXPECT_GT(differing, 0);

  // Regenerating over an existing lake gives the same bytes again.
  ASSERT_TRUE(GenerateLake(a, 3000, 1234));
  for (const std::string& f : ListFilesRecursive(a)) {
    EXPECT_TRUE(ReadFile(a + "/" + f) == ReadFile(b + "/" + f)) << f;
  }
}

TEST(GenerateE2E, SummaryNamesEveryTable) {
  TempDir dir("cdmlake-e2e-generate");
  RunResult r = RunCdmlake({"generate", "--out", dir / "lake", "--scale", "2000"});
  ASSERT_TRUE(Succeeded(r));
  for (const auto& t : GeneratedTables()) EXPECT_TRUE(Contains(r.out, t.name)) << r.out;
  EXPECT_TRUE(Contains(r.out, "SalesLine")) << r.out;
  EXPECT_EQ(ParseCsvFiles(ListFiles(GeneratedDataFolder(dir / "lake", "SalesLine"), ".csv")).size(), 2000u);
  RunResult quiet = RunCdmlake({"-q", "generate", "--out", dir / "lake2", "--scale", "2000"});
  ASSERT_TRUE(Succeeded(quiet));
  EXPECT_EQ(quiet.out, "");
}

}  // namespace
}  // namespace cdmlake_e2e
