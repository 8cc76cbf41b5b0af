#include "unify/config_validate.h"

#include <gtest/gtest.h>

#include "unify/config_loader.h"
#include "unify/config_test_util.h"
#include "util/path.h"

namespace cdmlake::unify {
namespace {

// Configurations name lake tables, whose columns and types the tests give directly.
class ConfigValidateTest : public ::testing::Test {
 protected:
  ConfigValidateTest() {
    columns_["Contact"] = {{"ContactId", "VARCHAR"}, {"FirstName", "VARCHAR"},   {"LastName", "VARCHAR"},
                           {"FullName", "VARCHAR"},  {"EMail", "VARCHAR"},       {"Phone", "VARCHAR"},
                           {"BirthDate", "VARCHAR"}, {"CreatedOn", "TIMESTAMP"}, {"Street", "VARCHAR"},
                           {"City", "VARCHAR"}};
    columns_["Loyalty"] = {{"LoyaltyId", "BIGINT"},   {"FirstName", "VARCHAR"}, {"EMail", "VARCHAR"},
                           {"PhoneNumber", "BIGINT"}, {"BirthDate", "DATE"},    {"Joined", "VARCHAR"},
                           {"City", "VARCHAR"}};
    columns_["Orders"] = {
        {"OrderId", "VARCHAR"}, {"ContactId", "VARCHAR"}, {"OrderedOn", "VARCHAR"}, {"Total", "DECIMAL(18,2)"}};
  }

  // Loads `text` (which must load without problems), then validates it.
  void Validate(const std::string& text) {
    std::vector<ConfigProblem> load_problems;
    config_ = ParseUnifyConfig(text, "/cfg/unify.yaml", &fs_, &load_problems);
    ASSERT_TRUE(load_problems.empty()) << load_problems.front().ToString();
    problems_ = ValidateUnifyConfig(config_, columns_);
  }

  int Errors() const {
    int n = 0;
    for (const ConfigProblem& p : problems_) n += p.severity == ProblemSeverity::kError;
    return n;
  }

  const ConfigProblem& Problem(const std::string& text) { return testing::OnlyProblem(problems_, text); }

  std::string Dump() const { return testing::DumpProblems(problems_); }

  MemoryFileSystem fs_;
  SourceColumns columns_;
  UnifyConfig config_;
  std::vector<ConfigProblem> problems_;
};

// Two sources, valid as they stand; tests append sections.
const char* const kBase = R"(sources:
  - name: Contact
    table: contact
    primary_key: ContactId
    include_all: true
    columns:
      FirstName: Person.FirstName
      LastName: Person.LastName
      FullName: Person.FullName
      EMail: Identity.Service.Email
      Phone: Identity.Service.Phone
      BirthDate: {type: Person.BirthDate, format: '%m/%d/%Y'}
      CreatedOn:
      Street: Location.Address
      City: Location.City
  - name: Loyalty
    table: loyalty
    primary_key: LoyaltyId
    columns:
      FirstName: Person.FirstName
      EMail: Identity.Service.Email
      PhoneNumber: Identity.Service.Phone
      BirthDate: Person.BirthDate
      Joined: {format: '%Y-%m-%d'}
      City: Location.City
)";

std::string WithMatch(const std::string& rules) {
  return std::string(kBase) + "match:\n  order: [Contact, Loyalty]\n  rules:\n    Loyalty:\n" + rules;
}

TEST_F(ConfigValidateTest, ValidConfiguration) {
  Validate(WithMatch(R"(      - conditions:
          - {column: EMail, normalize: [lowercase]}
          - {column: FirstName, precision: high}
      - conditions:
          - {column: BirthDate}
          - {column: FirstName, normalize: [type-name]}
        exceptions:
          - conditions: [{column: FirstName, when: different, precision: 70%}]
dedup:
  Contact:
    rules: [{conditions: [{column: EMail}]}]
    winner: {policy: most-recent, column: CreatedOn}
merge:
  recency: {Contact: CreatedOn, Loyalty: Joined}
  fields:
    - name: Mail
      policy: most-recent
      sources: [{source: Contact, column: EMail}, {source: Loyalty, column: EMail}]
  groups:
    - name: Address
      fields: [Street, City]
      sources:
        - {source: Contact, columns: {Street: Street, City: City}}
        - {source: Loyalty, columns: {City: City}}
stable_id: [Mail, FirstName]
activities:
  - name: Orders
    table: orders
    key: OrderId
    link: {source: Contact, column: ContactId}
    timestamp: {column: OrderedOn, format: '%Y-%m-%d'}
    type: SalesOrder
    amount: Total
)"));
  EXPECT_EQ(Errors(), 0) << Dump();
  // The only doubt: type-name without a nickname file.
  ASSERT_EQ(problems_.size(), 1u) << Dump();
  EXPECT_EQ(problems_[0].severity, ProblemSeverity::kWarning);
  EXPECT_NE(problems_[0].message.find("no nickname file"), std::string::npos);
}

TEST_F(ConfigValidateTest, UnknownColumnSuggestsTheClosest) {
  Validate(WithMatch(R"(      - conditions:
          - {left: Emial, right: email}
)"));
  const ConfigProblem& left = Problem("unknown column 'Emial' of 'Contact'");
  EXPECT_EQ(left.mark.line, 31);
  EXPECT_EQ(left.mark.column, 20);
  EXPECT_EQ(left.mark.path, "match.rules.Loyalty[0].conditions[0].left");
  EXPECT_EQ(left.hint, "did you mean 'EMail'?");
  EXPECT_EQ(Problem("unknown column 'email' of 'Loyalty'").hint, "column names are case-sensitive: write 'EMail'");
}

TEST_F(ConfigValidateTest, MappedColumnsAndPrimaryKey) {
  columns_["Contact"].erase(columns_["Contact"].begin());  // no ContactId
  Validate(WithMatch(R"(      - conditions:
          - {left: Street, right: City}
          - {left: LastName, right: FirstName}
)") + "dedup:\n  Loyalty:\n    rules: [{conditions: [{column: LoyaltyId}]}]\n");
  EXPECT_EQ(Problem("unknown column 'ContactId' of 'Contact'").mark.line, 4);
  // The primary key is usable without being mapped; other columns are not.
  EXPECT_EQ(Errors(), 1) << Dump();
  columns_["Contact"].insert(columns_["Contact"].begin(), ColumnInfo{"ContactId", "VARCHAR"});
  columns_["Loyalty"].push_back(ColumnInfo{"Tier", "VARCHAR"});
  Validate(WithMatch(R"(      - conditions:
          - {column: City}
          - {left: City, right: Tier}
)"));
  const ConfigProblem& unmapped = Problem("is not mapped");
  EXPECT_EQ(unmapped.message, "match rule: the column 'Tier' of 'Loyalty' is not mapped");
  EXPECT_EQ(unmapped.mark.line, 32);
}

TEST_F(ConfigValidateTest, RulesOnUnmappedOrMisorderedSources) {
  Validate(std::string(kBase) + R"(  - name: Shop
    table: shop
    primary_key: ShopId
match:
  order: [Contact, Loyalty, Loyalty]
  rules:
    Contact:
      - conditions: [{column: EMail}]
    Loyalty:
      - target: Loyalty
        conditions: [{column: EMail}]
      - target: Contacts
        conditions: [{column: EMail}]
    Store:
      - conditions: [{column: EMail}]
dedup:
  Shops: {}
)");
  EXPECT_EQ(Problem("'Shop' is not in match.order").mark.line, 26);
  EXPECT_EQ(Problem("the source 'Loyalty' is listed twice").mark.line, 30);
  EXPECT_EQ(Problem("'Contact' is the primary source").mark.line, 32);
  const ConfigProblem& same = Problem("the target 'Loyalty' ranks the same as 'Loyalty'");
  EXPECT_EQ(same.mark.line, 35);
  EXPECT_EQ(same.mark.column, 17);
  EXPECT_EQ(Problem("target names the unknown source 'Contacts'").hint, "did you mean 'Contact'?");
  const ConfigProblem& store = Problem("match.rules names the unknown source 'Store'");
  EXPECT_EQ(store.mark.line, 39);
  EXPECT_EQ(store.hint, "declare it under 'sources' (sources: Contact, Loyalty, Shop)");
  EXPECT_EQ(Problem("dedup names the unknown source 'Shops'").mark.line, 42);
}

TEST_F(ConfigValidateTest, TargetBelowTheSource) {
  Validate(std::string(kBase) + R"(  - name: Shop
    table: shop
    primary_key: ShopId
    columns: {EMail: Identity.Service.Email}
match:
  order: [Contact, Shop, Loyalty]
  rules:
    Shop:
      - target: Loyalty
        conditions: [{column: EMail}]
)");
  columns_["Shop"] = {{"ShopId", "VARCHAR"}, {"EMail", "VARCHAR"}};
  problems_ = ValidateUnifyConfig(config_, columns_);
  const ConfigProblem& below = Problem("the target 'Loyalty' ranks below 'Shop'");
  EXPECT_EQ(below.mark.line, 34);
  EXPECT_NE(below.hint.find("reorder match.order"), std::string::npos);
}

TEST_F(ConfigValidateTest, FuzzyAndNormalizationsNeedText) {
  Validate(WithMatch(R"(      - conditions:
          - {column: BirthDate, precision: high}
          - {left: Phone, right: PhoneNumber, normalize: [type-phone]}
          - {left: BirthDate, right: FirstName}
          - {left: CreatedOn, right: Joined}
)"));
  const ConfigProblem& fuzzy = Problem("fuzzy precision high needs text");
  EXPECT_EQ(fuzzy.mark.line, 31);
  EXPECT_EQ(fuzzy.mark.column, 44);
  EXPECT_NE(fuzzy.message.find("'Contact.BirthDate' is a date (VARCHAR)"), std::string::npos) << fuzzy.message;
  const ConfigProblem& phone = Problem("type-phone needs text");
  EXPECT_EQ(phone.mark.line, 32);
  const ConfigProblem& kinds = Problem("'Loyalty.FirstName' is text");
  EXPECT_EQ(kinds.mark.line, 33);
  EXPECT_NE(kinds.message.find("compares values of different kinds"), std::string::npos);
  EXPECT_NE(kinds.hint.find("format"), std::string::npos);
  EXPECT_EQ(Problem("'Contact.Phone' is text (VARCHAR), 'Loyalty.PhoneNumber' is a number").mark.line, 32);
  // A TIMESTAMP and a text column with a date format are both dates.
  EXPECT_EQ(Errors(), 4) << Dump();
}

TEST_F(ConfigValidateTest, RecencyColumns) {
  Validate(WithMatch("      - conditions: [{column: EMail}]\n") + R"(dedup:
  Loyalty:
    winner: {policy: most-recent, column: City}
merge:
  recency: {Contact: CreatedOn}
  fields:
    - name: Mail
      policy: least-recent
      sources: [{source: Contact, column: EMail}, {source: Loyalty, column: EMail}]
  groups:
    - name: Place
      policy: most-recent
      fields: [City]
      sources: [{source: Loyalty, columns: {City: City}, recency: Joined}]
)");
  const ConfigProblem& text = Problem("which does not order records by time");
  EXPECT_EQ(text.mark.line, 33);
  EXPECT_NE(text.hint.find("format"), std::string::npos);
  const ConfigProblem& missing = Problem("least-recent needs a recency column in every source, and 'Loyalty' has none");
  EXPECT_EQ(missing.mark.line, 39);
  EXPECT_EQ(Errors(), 2) << Dump();
}

TEST_F(ConfigValidateTest, StableIdFields) {
  Validate(WithMatch("      - conditions: [{column: EMail}]\n") +
           "stable_id: [EMail, FirstName, LastName, Phone, City, Street]\n");
  const ConfigProblem& many = Problem("stable_id has 6 fields; at most 5 are allowed");
  EXPECT_EQ(many.mark.line, 31);
  EXPECT_EQ(Errors(), 1) << Dump();
  Validate(WithMatch("      - conditions: [{column: EMail}]\n") + "stable_id: [Email, ContactId, EMail, EMail]\n");
  EXPECT_EQ(Problem("'Email', which is not a unified field").hint, "did you mean 'EMail'?");
  EXPECT_EQ(Problem("'ContactId', which is not a unified field").mark.column, 20);
  EXPECT_EQ(Problem("listed twice in stable_id").mark.column, 38);
}

TEST_F(ConfigValidateTest, ActivitiesLinkToKnownSourcesAndColumns) {
  Validate(WithMatch("      - conditions: [{column: EMail}]\n") + R"(activities:
  - name: Orders
    table: orders
    key: OrderNo
    link: {source: Contacts, column: ContactId}
    timestamp: OrderedOn
    type: SalesOrder
  - name: Contact
    table: orders
    key: OrderId
    link: {source: Contact, column: CustomerId}
    timestamp: {column: OrderedOn, format: '%Y-%m-%d'}
    type: SalesOrder
    title: Subject
)");
  EXPECT_EQ(Problem("activity 'Orders' key: unknown column 'OrderNo' of 'Orders'").hint, "did you mean 'OrderId'?");
  EXPECT_EQ(Problem("activity link names the unknown source 'Contacts'").mark.line, 35);
  EXPECT_EQ(Problem("'OrderedOn' is text and has no format").mark.line, 36);
  EXPECT_EQ(Problem("the name 'Contact' is used by two sources or activities").mark.line, 38);
  // The second activity is named Contact: its columns are those of the source Contact here.
  EXPECT_EQ(Problem("unknown column 'CustomerId'").mark.line, 41);
}

TEST_F(ConfigValidateTest, ListsAndCustomPairs) {
  Validate(WithMatch(R"(      - conditions: [{column: EMail, aliases: [nick], bypass: dummies}]
always_match:
  - {source1: Contact, key1: C1, source2: Loyalty, key2: '7'}
  - {source1: Contact, key1: C1, source2: Contact, key2: C2}
never_match:
  - {source1: Loyalty, key1: '7', source2: Contact, key2: C1}
  - {source1: Contct, key1: C1, source2: Loyalty, key2: '8'}
aliases:
  nicks: [[Bob, Robert]]
bypass:
  dummies: [test@contoso.com]
  unused: []
)"));
  EXPECT_EQ(Problem("unknown alias list 'nick'").hint, "did you mean 'nicks'?");
  EXPECT_EQ(Problem("is both in always_match and in never_match").mark.line, 35);
  EXPECT_EQ(Problem("never_match names the unknown source 'Contct'").mark.line, 36);
  EXPECT_EQ(Problem("a custom pair inside 'Contact', which has no dedup rules").severity, ProblemSeverity::kWarning);
  EXPECT_EQ(Problem("the alias list 'nicks' is not used").severity, ProblemSeverity::kWarning);
  EXPECT_EQ(Problem("the bypass list 'unused' is empty").mark.line, 41);
  EXPECT_EQ(Errors(), 3) << Dump();
}

TEST_F(ConfigValidateTest, UnifiedFieldsCombineBySemanticType) {
  Validate(WithMatch("      - conditions: [{column: EMail}]\n") + R"(merge:
  groups:
    - name: Place
      fields: [Town]
      sources: [{source: Loyalty, columns: {Town: City}}]
  exclude: [{source: Contact, column: Street}]
)");
  std::vector<UnifiedField> fields = UnifiedFields(config_);
  std::vector<std::string> names;
  for (const UnifiedField& f : fields) names.push_back(f.name + "<" + std::to_string(f.origins.size()));
  EXPECT_EQ(names, (std::vector<std::string>{"Town<1", "FirstName<2", "LastName<1", "FullName<1", "EMail<2", "Phone<2",
                                             "BirthDate<2", "CreatedOn<1", "City<1", "Joined<1"}));
  EXPECT_EQ(fields[5].origins[1], (std::pair<std::string, std::string>{"Loyalty", "PhoneNumber"}));
  EXPECT_EQ(fields[0].group, "Place");
}

TEST_F(ConfigValidateTest, WarningsOnDoubtfulChoices) {
  Validate(std::string(kBase) + R"(match:
  order: [Loyalty, Contact]
  rules:
    Contact:
      - conditions: [{column: FirstName, precision: 90%}]
)");
  EXPECT_EQ(Errors(), 0) << Dump();
  EXPECT_EQ(Problem("the primary source 'Loyalty' does not include all records").mark.line, 16);
  EXPECT_EQ(Problem("every condition of this rule is fuzzy").mark.line, 30);
}

// The repository's example, against the headers of the real tutorial files.
TEST(ConfigExampleTest, CiTutorialLoadsAndValidates) {
  const std::string shared = CDMLAKE_SHARED_DATA;
  if (!DefaultFileSystem()->Stat(shared + "/ci-tutorial/Contact.txt")) {
    GTEST_SKIP() << "the CI tutorial data is not at " << shared << "/ci-tutorial";
  }
  // CDMLAKE_SHARED_DATA is <repository>/../shared/data.
  const std::string suffix = "/../shared/data";
  ASSERT_TRUE(shared.size() > suffix.size() && shared.substr(shared.size() - suffix.size()) == suffix) << shared;
  const std::string root = shared.substr(0, shared.size() - suffix.size());
  UnifyConfig config = LoadUnifyConfig(root + "/examples/ci-tutorial/unify.yaml");
  EXPECT_EQ(config.sources.size(), 3u);
  EXPECT_EQ(config.activities.size(), 3u);
  EXPECT_EQ(config.resources.nicknames, NormalizePath(shared + "/nicknames.csv"));
  SourceColumns columns = CsvSourceColumns(config);
  EXPECT_EQ(columns.size(), 6u);
  std::vector<ConfigProblem> problems = ValidateUnifyConfig(config, columns);
  std::string dump;
  for (const ConfigProblem& p : problems) dump += p.ToString() + "\n";
  EXPECT_TRUE(problems.empty()) << dump;
  // No rule may use the ground-truth link Customer-Loyalty.ContactId.
  for (const SourceRules& rules : config.match.rules) {
    for (const Rule& rule : rules.rules) {
      for (const Condition& c : rule.conditions) {
        EXPECT_FALSE(rules.source.name == "Customer-Loyalty" && c.right.name == "ContactId");
      }
    }
  }
}

}  // namespace
}  // namespace cdmlake::unify
