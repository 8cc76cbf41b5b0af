// The customer generator: determinism, the sources and their keys, the truth file, noise rates per level,
// households and very common values; and the noise edits themselves.
#include "generate/customers.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "generate/customer_names.h"
#include "generate/customer_noise.h"
#include "util/error.h"

namespace cdmlake::generate {
namespace {

using Rows = std::vector<std::vector<std::string>>;

// An RFC 4180 reader (quoted fields, doubled quotes); enough for what the generator writes.
Rows ParseCsv(const std::string& text) {
  Rows rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, any = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
    } else if (c == '"') {
      quoted = any = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
    } else {
      field.push_back(c);
    }
  }
  EXPECT_TRUE(field.empty() && row.empty()) << "the last record has no line break";
  return rows;
}

struct Lake {
  MemoryFileSystem fs;
  CustomerSummary summary;
  nlohmann::json manifest;

  explicit Lake(int64_t customers, NoiseLevel noise = NoiseLevel::kMedium, uint64_t seed = 7) {
    summary = GenerateCustomers(fs, {"/lake", customers, noise, seed}, nullptr);
    manifest = nlohmann::json::parse(fs.ReadFile(std::string("/lake/") + kCustomersManifest));
  }

  // The rows of an entity, from the partitions its manifest lists, without header rows.
  Rows Table(const std::string& name) {
    for (const auto& e : manifest["entities"]) {
      if (e["entityName"] != name) continue;
      Rows rows;
      for (const auto& p : e["dataPartitions"]) {
        Rows part = ParseCsv(fs.ReadFile("/lake/Customers/" + p["location"].get<std::string>()));
        bool header = p["exhibitsTraits"][0]["arguments"][0]["value"] == "true";
        rows.insert(rows.end(), part.begin() + (header ? 1 : 0), part.end());
      }
      return rows;
    }
    ADD_FAILURE() << "no entity " << name;
    return {};
  }

  Rows Truth() {
    Rows rows = ParseCsv(fs.ReadFile(std::string("/lake/") + kCustomersTruth));
    EXPECT_EQ(rows.at(0), (std::vector<std::string>{"source", "key", "entity"}));
    rows.erase(rows.begin());
    return rows;
  }
};

double Share(int64_t part, int64_t whole) { return whole == 0 ? 0 : static_cast<double>(part) / whole; }

TEST(CustomersTest, SameSeedSameBytesOtherSeedOtherData) {
  MemoryFileSystem a, b, c;
  GenerateCustomers(a, {"/lake", 3000, NoiseLevel::kMedium, 11}, nullptr);
  GenerateCustomers(b, {"/lake", 3000, NoiseLevel::kMedium, 11}, nullptr);
  GenerateCustomers(c, {"/lake", 3000, NoiseLevel::kMedium, 12}, nullptr);
  ASSERT_EQ(a.files().size(), b.files().size());
  EXPECT_TRUE(a.files() == b.files());
  int differing = 0;
  for (const auto& [path, bytes] : a.files()) {
    if (path.ends_with(".csv")) differing += c.files().count(path) && c.files().at(path) != bytes;
  }
  EXPECT_EQ(differing, 7) << "six tables and the truth depend on the seed";

  // Regenerating a smaller set over a larger one leaves no stale rows: same bytes as a fresh run.
  MemoryFileSystem fresh;
  GenerateCustomers(a, {"/lake", 500, NoiseLevel::kMedium, 11}, nullptr);
  GenerateCustomers(fresh, {"/lake", 500, NoiseLevel::kMedium, 11}, nullptr);
  EXPECT_TRUE(a.files() == fresh.files());
}

TEST(CustomersTest, EveryProfileRecordIsInTheTruthOnceAndKeysAreUnique) {
  Lake lake(4000);
  std::map<std::pair<std::string, std::string>, std::string> truth;  // (source, key) -> entity
  for (const auto& row : lake.Truth()) {
    ASSERT_EQ(row.size(), 3u);
    EXPECT_TRUE(truth.emplace(std::make_pair(row[0], row[1]), row[2]).second) << row[0] << " " << row[1];
  }
  EXPECT_EQ(static_cast<int64_t>(truth.size()), lake.summary.profile_records);

  std::map<std::string, std::set<std::string>> keys;  // source -> keys
  size_t records = 0;
  for (const char* source : {kErpCustomerSource, kCrmContactSource, kLoyaltySource}) {
    Rows rows = lake.Table(source);
    EXPECT_GT(rows.size(), 400u) << source;
    for (const auto& row : rows) {
      EXPECT_TRUE(keys[source].insert(row.at(0)).second) << "duplicate key " << row[0] << " in " << source;
      EXPECT_TRUE(truth.count({source, row[0]})) << source << " " << row[0] << " is not in the truth";
    }
    records += rows.size();
  }
  EXPECT_EQ(records, truth.size());

  // Entities: some in one source only, some in all three, some twice in one source.
  std::map<std::string, std::set<std::string>> sources_of;
  std::map<std::pair<std::string, std::string>, int> per_source;
  for (const auto& [key, entity] : truth) {
    sources_of[entity].insert(key.first);
    ++per_source[{entity, key.first}];
  }
  EXPECT_EQ(static_cast<int64_t>(sources_of.size()), 4000);
  int only_one = 0, all_three = 0, duplicated = 0;
  for (const auto& [entity, sources] : sources_of) {
    only_one += sources.size() == 1;
    all_three += sources.size() == 3;
  }
  for (const auto& [entity_source, count] : per_source) duplicated += count > 1;
  EXPECT_GT(only_one, 1000);
  EXPECT_GT(all_three, 200);
  EXPECT_GT(duplicated, 100);
  EXPECT_LT(duplicated, 500);

  // Activities point at existing keys of their source.
  struct Activity {
    const char* table;
    size_t key_column;
    const char* source;
  };
  for (const Activity& a : {Activity{"SalesOrderHeaderV2Entity", 2, kErpCustomerSource},
                            Activity{"OnlinePurchase", 1, kCrmContactSource}, Activity{"PosPurchase", 1, kLoyaltySource}}) {
    Rows rows = lake.Table(a.table);
    EXPECT_GT(rows.size(), 1000u) << a.table;
    std::set<std::string> ids;
    for (const auto& row : rows) {
      EXPECT_TRUE(keys[a.source].count(row.at(a.key_column))) << a.table << " " << row[a.key_column];
      EXPECT_TRUE(ids.insert(row[0]).second) << a.table << " " << row[0];
    }
  }
}

TEST(CustomersTest, ManifestDeclaresEveryTableWithItsColumnsButNotTheTruth) {
  Lake lake(200);
  std::set<std::string> names;
  for (const auto& e : lake.manifest["entities"]) {
    std::string name = e["entityName"];
    names.insert(name);
    auto doc = nlohmann::json::parse(lake.fs.ReadFile("/lake/Customers/" + name + ".cdm.json"));
    const auto& attributes = doc["definitions"][0]["hasAttributes"];
    EXPECT_GE(attributes.size(), 5u) << name;
    EXPECT_EQ(attributes[0]["isPrimaryKey"], true) << name;
    EXPECT_EQ(lake.Table(name).front().size(), attributes.size()) << name;
  }
  EXPECT_EQ(names, (std::set<std::string>{"CustCustomerV3Entity", "contact", "LoyaltyMember",
                                          "SalesOrderHeaderV2Entity", "OnlinePurchase", "PosPurchase"}));
  EXPECT_EQ(lake.manifest.dump().find("_truth"), std::string::npos);
  // The POS files carry a header row, the ERP ones do not (as the F&O export).
  EXPECT_TRUE(lake.fs.ReadFile("/lake/Customers/LoyaltyMember/LOYALTYMEMBER_00001.csv").starts_with("LoyaltyId,Name,"));
  EXPECT_TRUE(lake.fs.ReadFile("/lake/Customers/CustCustomerV3Entity/CUSTCUSTOMERV3ENTITY_00001.csv")
                  .starts_with("\"US-0000001\",\"usmf\","));
}

// The drawn rate of every kind is close to the level's rate, and the files show the same rates.
TEST(CustomersTest, NoiseRatesFollowTheLevel) {
  for (NoiseLevel level : {NoiseLevel::kLow, NoiseLevel::kMedium, NoiseLevel::kHigh}) {
    SCOPED_TRACE(NoiseLevelName(level));
    Lake lake(20000, level);
    NoiseRates rates = RatesFor(level);
    const NoiseTally& tally = lake.summary.noise;
    for (int k = 0; k < kNoiseKindCount; ++k) {
      SCOPED_TRACE(NoiseKindName(static_cast<NoiseKind>(k)));
      ASSERT_GT(tally.chances[k], 300);
      double measured = Share(tally.applied[k], tally.chances[k]);
      double expected = rates.rate[k];
      // Four standard deviations of a binomial share, plus a little.
      double tolerance = 4 * std::sqrt(expected * (1 - expected) / static_cast<double>(tally.chances[k])) + 0.002;
      EXPECT_NEAR(measured, expected, tolerance);
    }

    // From the files: missing and dummy e-mails in the CRM contacts.
    Rows contacts = lake.Table(kCrmContactSource);
    int64_t empty = 0, dummy = 0;
    for (const auto& row : contacts) {
      empty += row[4].empty();
      dummy += row[4] == "noemail@example.com" || row[4] == "none@none.com" || row[4] == "na@na.com";
    }
    double missing = rates.rate[kMissing], dummies = rates.rate[kDummyValue];
    double n = static_cast<double>(contacts.size());
    EXPECT_NEAR(Share(empty, static_cast<int64_t>(n)), missing, 4 * std::sqrt(missing / n) + 0.002);
    EXPECT_NEAR(Share(dummy, static_cast<int64_t>(n)), dummies * (1 - missing), 4 * std::sqrt(dummies / n) + 0.002);

    // Phones in another format than the CRM's usual 425-555-0123 (dummy and missing ones aside).
    int64_t phones = 0, other_format = 0;
    for (const auto& row : contacts) {
      const std::string& p = row[5];
      if (p.size() < 10) continue;
      ++phones;
      bool usual = p.size() >= 12 && p[3] == '-' && p[7] == '-' && p[0] != '(' && p.rfind("000-000", 0) != 0;
      other_format += !usual;
    }
    double formats = rates.rate[kPhoneFormat];
    EXPECT_NEAR(Share(other_format, phones), formats, 4 * std::sqrt(formats / static_cast<double>(phones)) + 0.01);
  }
}

TEST(CustomersTest, HouseholdsShareAddressAndPhoneAndCommonValuesRepeat) {
  Lake lake(10000);
  EXPECT_GT(lake.summary.households, 500);
  EXPECT_GT(lake.summary.household_members, 2 * lake.summary.households);
  EXPECT_GT(lake.summary.organizations, 400);

  // Distinct true entities with the same phone digits and street in the CRM: households.
  std::map<std::pair<std::string, std::string>, std::string> truth;
  for (const auto& row : lake.Truth()) truth[{row[0], row[1]}] = row[2];
  std::map<std::string, std::set<std::string>> entities_by_home;
  std::map<std::string, int> last_names;
  for (const auto& row : lake.Table(kCrmContactSource)) {
    std::string digits;
    for (char c : row[5]) {
      if (c >= '0' && c <= '9') digits.push_back(c);
    }
    if (digits.size() == 11) digits.erase(0, 1);  // +1
    if (digits.size() == 10 && !row[6].empty()) entities_by_home[digits + "|" + row[6]].insert(truth[{kCrmContactSource, row[0]}]);
    ++last_names[row[2]];
  }
  int shared_homes = 0;
  for (const auto& [home, entities] : entities_by_home) shared_homes += entities.size() > 1;
  EXPECT_GT(shared_homes, 150);

  // Very common surnames: the most frequent one is on more than 2% of the contacts.
  int top = 0, total = 0;
  for (const auto& [name, count] : last_names) {
    top = std::max(top, count);
    total += count;
  }
  EXPECT_GT(Share(top, total), 0.02);

  // Dummy e-mails are shared by many records of different entities.
  std::set<std::string> entities;
  for (const auto& row : lake.Table(kLoyaltySource)) {
    if (row[2] == "noemail@example.com") entities.insert(truth[{kLoyaltySource, row[0]}]);
  }
  EXPECT_GT(entities.size(), 10u);
}

TEST(CustomersTest, BadOptionsAreUserErrors) {
  MemoryFileSystem fs;
  for (CustomerOptions o : {CustomerOptions{"", 10}, CustomerOptions{"relative", 10}, CustomerOptions{"/lake", 0},
                            CustomerOptions{"/lake", kMaxCustomers + 1}}) {
    try {
      GenerateCustomers(fs, o, nullptr);
      ADD_FAILURE() << "accepted " << o.out_dir << " " << o.customers;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kUser);
    }
  }
  EXPECT_THROW(ParseNoiseLevel("extreme"), Error);
  EXPECT_EQ(ParseNoiseLevel("high"), NoiseLevel::kHigh);
}

int EditDistance(const std::string& a, const std::string& b) {
  std::vector<std::vector<int>> d(a.size() + 1, std::vector<int>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

TEST(CustomerNoiseTest, TyposAreOneEditAndKeepUtf8) {
  Random rng(3);
  for (int i = 0; i < 2000; ++i) {
    std::string original = i % 2 ? "José Müller" : "Alexander";
    std::string s = original;
    ApplyTypo(rng, &s);
    EXPECT_EQ(EditDistance(original, s), 1) << original << " -> " << s;
    if (i % 2) {  // only ASCII letters change: the two-byte letters are intact
      EXPECT_NE(s.find("é"), std::string::npos) << s;
      EXPECT_NE(s.find("ü"), std::string::npos) << s;
    }
  }
  std::string digits = "1234";
  ApplyTypo(rng, &digits);
  EXPECT_EQ(digits, "1234") << "no letter, no typo";
}

TEST(CustomerNoiseTest, FormatsAndVariants) {
  EXPECT_EQ(StripAccents("José Núñez Müller Zoë Española"), "Jose Nunez Muller Zoe Espanola");
  std::string s = "O'Brien José";
  ToUpperAscii(&s);
  EXPECT_EQ(s, "O'BRIEN JOSé");
  auto phone = [](PhoneFormat f) {
    std::string out;
    AppendPhone(&out, 425, 555, 100, f);
    return out;
  };
  EXPECT_EQ(phone(PhoneFormat::kParentheses), "(425) 555-0100");
  EXPECT_EQ(phone(PhoneFormat::kDashes), "425-555-0100");
  EXPECT_EQ(phone(PhoneFormat::kDots), "425.555.0100");
  EXPECT_EQ(phone(PhoneFormat::kE164Spaced), "+1 425 555 0100");
  EXPECT_EQ(phone(PhoneFormat::kDigits), "4255550100");
  auto date = [](DateFormat f) {
    std::string out;
    AppendDate(&out, 1985, 3, 7, f);
    return out;
  };
  EXPECT_EQ(date(DateFormat::kIso), "1985-03-07");
  EXPECT_EQ(date(DateFormat::kUsSlashes), "3/7/1985");
  EXPECT_EQ(date(DateFormat::kEuropeDots), "7.3.1985");
}

TEST(CustomerNamesTest, NicknamesCoverTheCommonFormalNames) {
  EXPECT_GE(NicknamePairs().size(), 100u);
  auto bob = Nicknames("Robert");
  EXPECT_NE(std::find(bob.begin(), bob.end(), "Bob"), bob.end());
  EXPECT_TRUE(Nicknames("Zoë").empty());
  // Every formal name of the table can be drawn, so nickname noise reaches all of them.
  std::set<std::string_view> drawn;
  Random rng(5);
  for (int i = 0; i < 200000; ++i) drawn.insert(PickFirstName(rng));
  for (const auto& [formal, nick] : NicknamePairs()) EXPECT_TRUE(drawn.count(formal)) << formal;
}

}  // namespace
}  // namespace cdmlake::generate
