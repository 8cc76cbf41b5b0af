// `cdmlake generate --customers N`: the customer sources land beside the D365 tables, the lake catalog reads
// them (schema Customers) with their types, and the truth file names every profile record once.
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "test_support.h"

namespace cdmlake_e2e {
namespace {

TEST(GenerateCustomersE2E, CatalogReadsTheSourcesAndTheTruthCoversThem) {
  TempDir dir("cdmlake-e2e-customers");
  const std::string lake = dir / "lake";
  RunResult r = RunCdmlake({"generate", "--out", lake, "--scale", "1000", "--customers", "2000", "--noise", "high"});
  ASSERT_TRUE(Succeeded(r)) << r.Describe();
  EXPECT_TRUE(Contains(r.out, lake + "/Customers/_truth/customers_truth.csv")) << r.out;
  EXPECT_TRUE(Contains(r.out, "high noise")) << r.out;
  EXPECT_TRUE(Contains(r.out, "SalesLine")) << "the D365 tables are still written: " << r.out;

  std::vector<std::vector<std::string>> truth = ParseCsv(ReadFile(lake + "/Customers/_truth/customers_truth.csv"));
  ASSERT_GT(truth.size(), 2000u);
  EXPECT_EQ(truth[0], (std::vector<std::string>{"source", "key", "entity"}));
  std::set<std::string> contacts_in_truth;
  size_t profile_rows = truth.size() - 1;
  for (size_t i = 1; i < truth.size(); ++i) {
    if (truth[i][0] == "contact") contacts_in_truth.insert(truth[i][1]);
  }

  // Every source through SQL: row counts add up to the truth, keys are unique, typed columns parse.
  std::string total = SqlScalar(lake,
                                "SELECT (SELECT count(*) FROM Customers.CustCustomerV3Entity) + "
                                "(SELECT count(*) FROM Customers.contact) + (SELECT count(*) FROM Customers.LoyaltyMember)");
  EXPECT_EQ(total, std::to_string(profile_rows));
  for (const auto& [table, key] : std::vector<std::pair<std::string, std::string>>{
           {"CustCustomerV3Entity", "CUSTOMERACCOUNT"}, {"contact", "contactid"}, {"LoyaltyMember", "LoyaltyId"}}) {
    EXPECT_EQ(SqlScalar(lake, "SELECT count(*) - count(DISTINCT " + key + ") FROM Customers." + table), "0") << table;
  }
  auto contacts = SqlCsv(lake, "SELECT contactid, year(birthdate) AS y, modifiedon >= createdon AS ordered "
                               "FROM Customers.contact ORDER BY contactid");
  ASSERT_TRUE(contacts.has_value());
  ASSERT_EQ(contacts->size(), contacts_in_truth.size() + 1);
  for (size_t i = 1; i < contacts->size(); ++i) {
    const auto& row = (*contacts)[i];
    EXPECT_TRUE(contacts_in_truth.count(row[0])) << row[0];
    if (!row[1].empty()) {
      EXPECT_GE(std::stoi(row[1]), 1940);
      EXPECT_LE(std::stoi(row[1]), 2006);
    }
    EXPECT_EQ(row[2], "true");
  }
  // Activities join to their sources; D365 dates read as timestamps.
  EXPECT_EQ(SqlScalar(lake, "SELECT count(*) FROM Customers.PosPurchase p LEFT JOIN Customers.LoyaltyMember m "
                            "USING (LoyaltyId) WHERE m.LoyaltyId IS NULL"),
            "0");
  EXPECT_EQ(SqlScalar(lake, "SELECT count(*) FROM Customers.SalesOrderHeaderV2Entity o LEFT JOIN "
                            "Customers.CustCustomerV3Entity c ON o.ORDERINGCUSTOMERACCOUNTNUMBER = c.CUSTOMERACCOUNT "
                            "WHERE c.CUSTOMERACCOUNT IS NULL OR year(o.ORDERCREATIONDATETIME) < 2018"),
            "0");
  EXPECT_NE(SqlScalar(lake, "SELECT count(*) FROM Customers.OnlinePurchase WHERE TotalPrice > 0"), "0");
}

TEST(GenerateCustomersE2E, BadValuesAreClearErrors) {
  TempDir dir("cdmlake-e2e-customers");
  RunResult zero = RunCdmlake({"generate", "--out", dir / "a", "--customers", "0"});
  EXPECT_EQ(zero.exit_code, 1) << zero.Describe();
  EXPECT_TRUE(Contains(zero.err, "--customers")) << zero.Describe();
  RunResult noise = RunCdmlake({"generate", "--out", dir / "b", "--customers", "10", "--noise", "extreme"});
  EXPECT_EQ(noise.exit_code, 1) << noise.Describe();
  EXPECT_TRUE(Contains(noise.err, "--noise")) << noise.Describe();
  RunResult alone = RunCdmlake({"generate", "--out", dir / "c", "--noise", "low"});
  EXPECT_EQ(alone.exit_code, 1) << alone.Describe();
  RunResult synapse = RunCdmlake({"generate", "--out", dir / "d", "--layout", "synapse-link", "--customers", "10"});
  EXPECT_EQ(synapse.exit_code, 1) << synapse.Describe();
  EXPECT_TRUE(Contains(synapse.err, "d365 layout")) << synapse.Describe();
}

}  // namespace
}  // namespace cdmlake_e2e
