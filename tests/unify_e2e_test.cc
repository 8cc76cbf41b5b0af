// End-to-end tests of `cdmlake unify`: generated customer sources with known truth (accuracy at medium noise),
// the outputs in the lake and the catalog, CustomerIds across reruns, explain, and bad input. The ci-tutorial run
// reads ../shared/data and is skipped when it is absent.

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <limits>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "test_support.h"

namespace cdmlake_e2e {
namespace {

namespace fs = std::filesystem;

// The repository's root (this file is <repo>/tests/unify_e2e_test.cc).
std::string Repository() { return fs::path(__FILE__).parent_path().parent_path().string(); }
std::string GeneratedConfig() { return Repository() + "/examples/generated/unify.yaml"; }

class UnifyGeneratedE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("cdmlake-e2e-unify");
    RunResult r = RunCdmlake({"generate", "--out", *dir_ / "lake", "--customers", "4000", "--noise", "medium",
                              "--scale", "500", "--seed", "7"});
    ASSERT_TRUE(Succeeded(r)) << r.Describe();
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static std::string lake() { return *dir_ / "lake"; }
  static std::string truth() { return lake() + "/Customers/_truth/customers_truth.csv"; }
  static TempDir* dir_;
};
TempDir* UnifyGeneratedE2E::dir_ = nullptr;

TEST_F(UnifyGeneratedE2E, MediumNoiseIsUnifiedWithF1AboveTarget) {
  RunResult r = RunCdmlake({"--lake", lake(), "unify", "evaluate", "--config", GeneratedConfig(), "--truth", truth(),
                            "--format", "json"});
  ASSERT_TRUE(Succeeded(r)) << r.Describe();
  nlohmann::json j = nlohmann::json::parse(r.out);
  RecordProperty("pairwise_f1", j["pairwise"]["f1"].dump());
  RecordProperty("bcubed_f1", j["bcubed"]["f1"].dump());
  EXPECT_GE(j["pairwise"]["f1"].get<double>(), 0.95) << r.out;
  EXPECT_GE(j["pairwise"]["precision"].get<double>(), 0.98) << r.out;
  EXPECT_GE(j["bcubed"]["f1"].get<double>(), 0.95) << r.out;
  EXPECT_GT(j["profiles"].get<int64_t>(), 3500) << r.out;
  EXPECT_EQ(j["missing_in_truth"].get<int64_t>(), 0) << r.out;
}

TEST_F(UnifyGeneratedE2E, OutputsAreInTheLakeAndIdsSurviveAnUnchangedRerun) {
  TempDir copy("cdmlake-e2e-unify-run");
  CopyTree(lake(), copy.path());
  RunResult first = RunCdmlake({"--lake", copy.path(), "unify", "run", "--config", GeneratedConfig(), "--format",
                                "json"});
  ASSERT_TRUE(Succeeded(first)) << first.Describe();
  nlohmann::json j = nlohmann::json::parse(first.out);
  const int64_t profiles = j["profiles"].get<int64_t>();
  EXPECT_EQ(j["customer_ids"]["new"].get<int64_t>(), profiles);
  // Every table is readable through the catalog; the counts agree with each other.
  EXPECT_EQ(SqlScalar(copy.path(), "SELECT count(*) FROM Customer"), std::to_string(profiles));
  EXPECT_EQ(SqlScalar(copy.path(), "SELECT count(DISTINCT CustomerId) FROM Customer"), std::to_string(profiles));
  EXPECT_EQ(SqlScalar(copy.path(), "SELECT count(*) FROM AlternateKey"),
            SqlScalar(copy.path(), "SELECT (SELECT count(*) FROM contact) + (SELECT count(*) FROM "
                                   "CustCustomerV3Entity) + (SELECT count(*) FROM LoyaltyMember)"));
  EXPECT_EQ(SqlScalar(copy.path(), "SELECT count(*) FROM AlternateKey a LEFT JOIN Customer c USING (CustomerId) "
                                   "WHERE c.CustomerId IS NULL"),
            "0");
  EXPECT_EQ(SqlScalar(copy.path(), "SELECT count(*) FROM UnifiedActivity"),
            SqlScalar(copy.path(), "SELECT (SELECT count(*) FROM OnlinePurchase) + (SELECT count(*) FROM PosPurchase) "
                                   "+ (SELECT count(*) FROM SalesOrderHeaderV2Entity)"));
  EXPECT_EQ(SqlScalar(copy.path(), "SELECT count(*) FROM Deduplication_LoyaltyMember"),
            std::to_string(j["sources"][2]["dedup_groups"].get<int64_t>()));
  // Unique profiles per match rule: never more after a rule than before it, and after the last one (the primary
  // source includes all) the run's profiles.
  int64_t before = std::numeric_limits<int64_t>::max();
  for (const auto& rule : j["rules"]) {
    if (rule["step"] != "match") continue;
    const int64_t after = rule["profiles_after"].get<int64_t>();
    EXPECT_LE(after, before) << rule.dump();
    before = after;
  }
  EXPECT_EQ(before, j["profiles"].get<int64_t>());
  const std::string ids = SqlScalar(copy.path(), "SELECT sum(hash(DataSourceName, AlternateValue, CustomerId)) "
                                                 "FROM AlternateKey");

  // The same data again: every id is kept, nothing is new.
  RunResult second = RunCdmlake({"--lake", copy.path(), "unify", "run", "--config", GeneratedConfig(), "--format",
                                 "json"});
  ASSERT_TRUE(Succeeded(second)) << second.Describe();
  nlohmann::json k = nlohmann::json::parse(second.out);
  EXPECT_EQ(k["customer_ids"]["inherited"].get<int64_t>(), profiles) << second.out;
  EXPECT_EQ(k["customer_ids"]["new"].get<int64_t>(), 0);
  EXPECT_EQ(SqlScalar(copy.path(), "SELECT sum(hash(DataSourceName, AlternateValue, CustomerId)) FROM AlternateKey"),
            ids);

  // explain of a record that was matched across sources names the rule and the values compared.
  const std::string record = SqlScalar(copy.path(), "SELECT SourceName || ':' || SourceKey FROM ConflationMatchPairs "
                                                    "WHERE Rule = 'email' ORDER BY 1 LIMIT 1");
  RunResult explain = RunCdmlake({"--lake", copy.path(), "unify", "explain", "--config", GeneratedConfig(), record});
  ASSERT_TRUE(Succeeded(explain)) << explain.Describe();
  EXPECT_NE(explain.out.find("joined by email (score 1.000)"), std::string::npos) << explain.out;
  EXPECT_NE(explain.out.find("Unified fields:"), std::string::npos) << explain.out;
  RunResult json = RunCdmlake({"--lake", copy.path(), "unify", "explain", "--config", GeneratedConfig(), record,
                               "--format", "json"});
  ASSERT_TRUE(Succeeded(json)) << json.Describe();
  nlohmann::json e = nlohmann::json::parse(json.out);
  bool joined = false;
  for (const auto& g : e["groups"]) {
    if (g["record"] == record) {
      joined = true;
      EXPECT_EQ(g["rule"], "email") << g.dump(2);
      EXPECT_DOUBLE_EQ(g["score"].get<double>(), 1.0);
    }
  }
  EXPECT_TRUE(joined) << json.out;
  EXPECT_FALSE(e["fields"].empty()) << json.out;
}

// One CSV source, people.csv (Id, Name, Email), every record its own profile: the start of the small
// configurations below.
const std::string kPeopleSource =
    "sources:\n"
    "  - name: People\n"
    "    csv: people.csv\n"
    "    primary_key: Id\n"
    "    include_all: true\n"
    "    columns: {Name: Person.FullName, Email: Identity.Service.Email}\n"
    "match:\n"
    "  order: [People]\n";

TEST_F(UnifyGeneratedE2E, LakeTablesAreCheckedAgainstTheCatalogAndMayBeQualified) {
  TempDir copy("cdmlake-e2e-unify-tables");
  CopyTree(lake(), copy / "lake");
  const std::string config =
      "sources:\n"
      "  - name: C\n"
      "    table: Customers.contact\n"  // qualified, as `cdmlake sql` shows it
      "    primary_key: contactid\n"
      "    include_all: true\n"
      "    columns: {fullname: Person.FullName, emailaddress1: Identity.Service.Email}\n"
      "  - name: L\n"
      "    table: LoyaltyMembr\n"
      "    primary_key: LoyaltyId\n"
      "    columns: {Email: Identity.Service.Email}\n"
      "match:\n"
      "  order: [C, L]\n"
      "  rules:\n"
      "    L:\n"
      "      - conditions: [{left: emailaddress1, right: Email, normalize: [lowercase]}]\n";
  WriteFile(copy / "unify.yaml", config);
  RunResult misspelt = RunCdmlake({"--lake", copy / "lake", "unify", "run", "--config", copy / "unify.yaml"});
  EXPECT_TRUE(FailedCleanly(misspelt)) << misspelt.Describe();
  EXPECT_NE(misspelt.err.find("unify.yaml:8:12: sources[1].table: the lake has no table 'LoyaltyMembr' (source L)"),
            std::string::npos)
      << misspelt.err;
  EXPECT_NE(misspelt.err.find("did you mean 'LoyaltyMember'?"), std::string::npos) << misspelt.err;
  EXPECT_FALSE(fs::exists(copy / "lake/Unified")) << "nothing is written when the configuration is wrong";

  std::string fixed = config;
  fixed.replace(fixed.find("LoyaltyMembr"), 12, "Customers.LoyaltyMember");
  WriteFile(copy / "unify.yaml", fixed);
  RunResult r = RunCdmlake({"--lake", copy / "lake", "unify", "run", "--config", copy / "unify.yaml", "--format",
                            "json"});
  ASSERT_TRUE(Succeeded(r)) << r.Describe();
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["sources"][0]["rows_read"].get<int64_t>(),
            std::stoll(SqlScalar(copy / "lake", "SELECT count(*) FROM Customers.contact")));
  EXPECT_GT(j["rules"].back()["links"].get<int64_t>(), 0) << r.out;  // loyalty members found their contacts
}

TEST(UnifyBadInputE2E, ActivityValuesThatCannotBeReadAreCountedAndWrittenEmpty) {
  TempDir dir("cdmlake-e2e-unify-activity");
  WriteFile(dir / "people.csv", "Id,Name,Email\n1,Ann,ann@x.com\n2,Bob,bob@x.com\n");
  WriteFile(dir / "orders.csv",
            "OrderId,PersonId,OrderedOn,Total\n"
            "O1,1,01/02/2024,10.50\n"
            "O2,1,01/03/2024,abc\n"        // not a number
            "O3,2,notadate, 7 \n"           // not a date; spaces around a number are fine
            "O4,2,01/05/2024,\n"
            "O1,2,01/06/2024,3\n"           // the key of an earlier row: left out, the first row wins
            ",1,01/07/2024,4\n");           // no key: left out
  WriteFile(dir / "unify.yaml",
            kPeopleSource +
            "activities:\n"
            "  - name: Orders\n"
            "    csv: orders.csv\n"
            "    key: OrderId\n"
            "    link: {source: People, column: PersonId}\n"
            "    timestamp: {column: OrderedOn, format: '%m/%d/%Y'}\n"
            "    type: SalesOrder\n"
            "    amount: Total\n");
  RunResult r = RunCdmlake({"--lake", dir.path(), "unify", "run", "--config", dir / "unify.yaml"});
  ASSERT_TRUE(Succeeded(r)) << r.Describe();
  EXPECT_NE(r.err.find("Orders.Total: 1 value is not a number and counts as empty"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Orders: 1 row has no OrderId and is left out of UnifiedActivity"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Orders: 1 row repeats the OrderId of an earlier row and is left out (the first row wins)"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.out.find("6 rows, 4 linked, 0 without a customer, 2 left out"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("Orders.OrderedOn: 1 value does not fit the format '%m/%d/%Y' and counts as empty"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(SqlScalar(dir.path(), "SELECT string_agg(SourceActivityId || '=' || coalesce(CAST(Amount AS VARCHAR), "
                                  "'null') || '@' || coalesce(CAST(ActivityTimeStamp AS VARCHAR), 'null'), ' ' "
                                  "ORDER BY SourceActivityId) FROM UnifiedActivity"),
            "O1=10.5@2024-01-02 00:00:00 O2=null@2024-01-03 00:00:00 O3=7.0@null O4=null@2024-01-05 00:00:00");
}

TEST(UnifyBadInputE2E, ConfigurationErrorsAreReportedTogetherWithLines) {
  TempDir dir("cdmlake-e2e-unify-bad");
  WriteFile(dir / "people.csv", "Id,Name,Email\n1,Ann,ann@x.com\n");
  WriteFile(dir / "unify.yaml",
            "sources:\n"
            "  - name: People\n"
            "    csv: people.csv\n"
            "    primary_key: Id\n"
            "    columns: {Name: Person.FullName, Emial: Identity.Service.Email}\n"
            "match:\n"
            "  order: [People]\n"
            "  rules:\n"
            "    Nobody:\n"
            "      - conditions: [{column: Email}]\n");
  RunResult r = RunCdmlake({"--lake", dir.path(), "unify", "run", "--config", dir / "unify.yaml"});
  EXPECT_TRUE(FailedCleanly(r)) << r.Describe();
  EXPECT_NE(r.err.find("unify.yaml:5:"), std::string::npos) << r.err;   // the unknown column, with its line
  EXPECT_NE(r.err.find("Emial"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Nobody"), std::string::npos) << r.err;          // a rule on a source that is not mapped
  EXPECT_FALSE(fs::exists(dir / "Unified")) << "nothing is written when the configuration is wrong";
}

TEST(UnifyBadInputE2E, AnOutputFolderLinkedOutOfTheLakeIsRefused) {
  TempDir dir("cdmlake-e2e-unify-link");
  fs::create_directories(dir / "lake");
  fs::create_directories(dir / "elsewhere");
  fs::create_directory_symlink(dir / "elsewhere", dir / "lake/Out");
  WriteFile(dir / "people.csv", "Id,Name,Email\n1,Ann,ann@x.com\n");
  WriteFile(dir / "unify.yaml", kPeopleSource + "output: {folder: Out/Unified}\n");
  RunResult r = RunCdmlake({"--lake", dir / "lake", "unify", "run", "--config", dir / "unify.yaml"});
  EXPECT_TRUE(FailedCleanly(r)) << r.Describe();
  EXPECT_NE(r.err.find("the output folder Out/Unified leads out of the lake"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::is_empty(dir / "elsewhere")) << "nothing is written outside the lake";

  // A link that stays inside the lake is fine.
  fs::remove(dir / "lake/Out");
  fs::create_directories(dir / "lake/Real");
  fs::create_directory_symlink(dir / "lake/Real", dir / "lake/Out");
  RunResult inside = RunCdmlake({"--lake", dir / "lake", "unify", "run", "--config", dir / "unify.yaml"});
  EXPECT_TRUE(Succeeded(inside)) << inside.Describe();
  EXPECT_TRUE(fs::exists(dir / "lake/Real/Unified/Unified.manifest.cdm.json"));
}

TEST(UnifyCiTutorialE2E, TheExampleRunsAndAttachesActivities) {
  const std::string data = Repository() + "/../shared/data/ci-tutorial/Contact.txt";
  if (!fs::exists(data)) GTEST_SKIP() << "no ../shared/data (the tutorial data is absent)";
  TempDir dir("cdmlake-e2e-unify-ci");
  RunResult r = RunCdmlake({"--lake", dir.path(), "unify", "run", "--config",
                            Repository() + "/examples/ci-tutorial/unify.yaml", "--format", "json"});
  ASSERT_TRUE(Succeeded(r)) << r.Describe();
  nlohmann::json j = nlohmann::json::parse(r.out);
  // 5,000 contacts; the loyalty and Contoso records attach to them (a few have no contact of their own).
  EXPECT_GE(j["profiles"].get<int64_t>(), 5000);
  EXPECT_LE(j["profiles"].get<int64_t>(), 5010);
  for (const auto& a : j["activities"]) {
    EXPECT_GE(a["linked"].get<double>(), 0.99 * a["rows"].get<double>()) << a.dump();
  }
  EXPECT_EQ(SqlScalar(dir.path(), "SELECT count(*) FROM UnifiedActivity WHERE SourceTableName = 'POSPurchase'"),
            "20024");
}

// Splink's fake_1000 (one source, 251 people in 1,000 noisy records): dedup only. The truth file is written from
// its `cluster` column (which the configuration does not map); the F1 is reported in the test's properties.
TEST(UnifyFake1000E2E, DedupF1IsReported) {
  const std::string data = Repository() + "/../shared/data/fake_1000/fake_1000.csv";
  if (!fs::exists(data)) GTEST_SKIP() << "no ../shared/data (fake_1000 is absent)";
  TempDir dir("cdmlake-e2e-unify-fake");
  std::string truth = "source,key,entity\n";
  std::istringstream lines(ReadFile(data));
  std::string line;
  std::getline(lines, line);  // unique_id,first_name,surname,dob,city,email,cluster
  int records = 0;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    std::string id = line.substr(0, line.find(','));
    std::string cluster = line.substr(line.rfind(',') + 1);
    truth += "fake_1000," + id + "," + cluster + "\n";
    ++records;
  }
  ASSERT_EQ(records, 1000);
  WriteFile(dir / "truth.csv", truth);
  RunResult r = RunCdmlake({"--lake", dir.path(), "unify", "evaluate", "--config",
                            Repository() + "/examples/fake_1000/unify.yaml", "--truth", dir / "truth.csv", "--format",
                            "json"});
  ASSERT_TRUE(Succeeded(r)) << r.Describe();
  nlohmann::json j = nlohmann::json::parse(r.out);
  RecordProperty("pairwise_f1", j["pairwise"]["f1"].dump());
  RecordProperty("bcubed_f1", j["bcubed"]["f1"].dump());
  std::printf("fake_1000 dedup: pairwise P %.4f R %.4f F1 %.4f; B-cubed F1 %.4f; %d profiles\n",
              j["pairwise"]["precision"].get<double>(), j["pairwise"]["recall"].get<double>(),
              j["pairwise"]["f1"].get<double>(), j["bcubed"]["f1"].get<double>(), j["profiles"].get<int>());
  EXPECT_EQ(j["records"].get<int>(), 1000);
  EXPECT_GE(j["pairwise"]["f1"].get<double>(), 0.85) << r.out;  // 0.918 when written; a floor against regressions
}

}  // namespace
}  // namespace cdmlake_e2e
