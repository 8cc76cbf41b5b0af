#include "unify/normalizer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <ctime>
#include <thread>

#include "util/error.h"

namespace cdmlake::unify {
namespace {

using N = Normalization;

std::shared_ptr<const NicknameTable> SmallNicknames() {
  return std::make_shared<const NicknameTable>(ParseNicknameCsv(
      "name,nickname_1,nickname_2,nickname_3\n"
      "deborah,deb,debbie,debby\n"
      "debby,deb\n"
      "robert,rob,bobby,bob\n"
      "bob,rob,robert\n",
      "small.csv"));
}

struct Golden {
  std::vector<Normalization> options;
  const char* value;
  std::optional<std::string> key;
};

// The examples of spec §1.3 (from the Customer Insights docs) and a few more per option.
TEST(NormalizerTest, GoldenKeys) {
  const Golden cases[] = {
      {{N::kWhitespace}, " a b\tc\u00A0d ", "abcd"},
      {{N::kSymbols}, "a!b?c\"d#$%&'()+,.-_/:;@^~{}`[]e", "abcde"},
      {{N::kSymbols}, "O'Brien-Smith", "OBrienSmith"},
      {{N::kLowerCase}, "ÀBC Straße", "àbc straße"},
      {{N::kUnicodeToAscii}, "à Ä Ⓐ Ａ", "a a a a"},  // case folding included (spec §1.3)
      {{N::kUnicodeToAscii}, "Straße Москва", "strasse moskva"},
      {{N::kUnicodeToAscii, N::kLowerCase}, "à", "a"},
      {{N::kUnicodeToAscii, N::kLowerCase}, "Ä", "a"},
      {{N::kUnicodeToAscii, N::kLowerCase}, "Ⓐ", "a"},
      {{N::kUnicodeToAscii, N::kLowerCase}, "Ａ", "a"},
      {{N::kNumerals}, "Ⅷ", "8"},
      {{N::kNumerals}, "❽", "8"},
      {{N::kUnicodeToAscii}, "Henry Ⅷ", "henry viii"},
      {{N::kUnicodeToAscii, N::kNumerals}, "Henry Ⅷ", "henry 8"},  // numerals keep their numbers
      {{N::kPhone}, "+01 425.555.1212", "14255551212"},
      {{N::kPhone}, "1 (425) 555-1212", "14255551212"},
      {{N::kPhone}, "(425) 555-1212", "4255551212"},
      {{N::kPhone}, "983.566.0706x9509", "9835660706"},
      {{N::kName, N::kLowerCase}, "Debby", "deborah"},
      {{N::kName}, "Bob Robert ROBERT", "robert robert robert"},
      {{N::kName}, "Prof. Ada", "prof Ada"},
      {{N::kName}, "Professor Ada", "prof Ada"},
      {{N::kName, N::kSymbols, N::kWhitespace, N::kLowerCase}, "Dr. Bob O'Neil, Jr.", "drrobertoneiljr"},
      {{N::kAddress}, "street", "st"},
      {{N::kAddress}, "northwest", "nw"},
      {{N::kAddress, N::kLowerCase, N::kSymbols}, "1 Microsoft Way, Northwest Avenue", "1 microsoft way nw ave"},
      {{N::kOrganization}, "Contoso Ltd", "Contoso"},
      {{N::kOrganization, N::kLowerCase}, "CONTOSO CORPORATION", "contoso"},
      {{N::kOrganization, N::kWhitespace, N::kSymbols}, "Fabrikam, Inc.", "Fabrikam"},
      // Null keys: empty, blank, or nothing left after normalization.
      {{}, "", std::nullopt},
      {{}, " \t\u3000", std::nullopt},
      {{N::kSymbols}, "--/--", std::nullopt},
      {{N::kOrganization}, "Inc.", std::nullopt},
      {{N::kPhone}, "n/a", std::nullopt},
      {{}, "Unchanged Value", "Unchanged Value"},
  };
  NormalizerResources resources;
  resources.nicknames = SmallNicknames();
  for (const Golden& c : cases) {
    const Normalizer normalizer(c.options, resources);
    EXPECT_EQ(normalizer.Normalize(c.value), c.key) << "value \"" << c.value << "\"";
  }
}

TEST(NormalizerTest, NameWithoutNicknameTableCanonicalizesTitlesOnly) {
  const Normalizer name({N::kName}, {});
  EXPECT_EQ(name.Normalize("Professor Bob"), "prof Bob");
  EXPECT_EQ(name.Normalize("Prof Bob"), "prof Bob");
}

TEST(NormalizerTest, PhoneDocExampleMatchesAndMisses) {
  const Normalizer phone({N::kPhone}, {});
  EXPECT_EQ(phone.Normalize("+01 425.555.1212"), phone.Normalize("1 (425) 555-1212"));
  EXPECT_NE(phone.Normalize("+01 425.555.1212"), phone.Normalize("(425) 555-1212"));
}

TEST(NormalizerTest, PhoneDefaultRegionPerSource) {
  NormalizerResources us;
  us.default_phone_region = "US";
  const Normalizer with_region({N::kPhone}, us);
  const Normalizer without_region({N::kPhone}, {});
  EXPECT_EQ(with_region.Normalize("(425) 555-0100"), "14255550100");
  EXPECT_EQ(with_region.Normalize("+1 425 555 0100"), "14255550100");
  EXPECT_EQ(without_region.Normalize("+1 425 555 0100"), "14255550100");
  EXPECT_EQ(without_region.Normalize("(425) 555-0100"), "4255550100");
  NormalizerResources bad;
  bad.default_phone_region = "Utopia";
  EXPECT_THROW(Normalizer({N::kPhone}, bad), Error);
}

TEST(NormalizerTest, OrderOfOptionsDoesNotMatter) {
  std::vector<Normalization> options = {N::kWhitespace, N::kName,    N::kLowerCase,      N::kSymbols,
                                        N::kNumerals,   N::kAddress, N::kUnicodeToAscii, N::kOrganization};
  NormalizerResources resources;
  resources.nicknames = SmallNicknames();
  const Normalizer reference(options, resources);
  std::vector<Normalization> expected_order = options;
  std::sort(expected_order.begin(), expected_order.end());
  EXPECT_EQ(reference.options(), expected_order);
  const char* values[] = {"Dr. Bob Smith", "  Ⓒontoso Ⅷ Street, Inc. ", "Crème Brûlée Co.", "Northwest Avenue"};
  std::sort(options.begin(), options.end());
  int permutations = 0;
  do {
    if (++permutations % 97 != 1) continue;  // a spread of the 40320 orders is enough
    const Normalizer permuted(options, resources);
    for (const char* value : values) EXPECT_EQ(permuted.Normalize(value), reference.Normalize(value)) << value;
  } while (std::next_permutation(options.begin(), options.end()));
  // Listing an option twice is the same as once.
  EXPECT_EQ(Normalizer({N::kLowerCase, N::kLowerCase}, {}).options(), std::vector<Normalization>{N::kLowerCase});
}

TEST(NormalizerTest, AliasGroupsMapToTheirSmallestNormalizedMember) {
  NormalizerResources resources;
  resources.aliases = {{"Scott", "Scooter"}, {"MSFT", "Microsoft"}, {"Microsoft Corp", "MSFT"}, {"MS", "M.S."}};
  const Normalizer normalizer({N::kLowerCase, N::kSymbols, N::kWhitespace}, resources);
  EXPECT_EQ(normalizer.Normalize("Scooter"), "scooter");
  EXPECT_EQ(normalizer.Normalize("SCOTT"), "scooter");
  // msft ~ microsoft ~ microsoftcorp, and ms ~ m.s. (both ms) is linked to it by nothing: two groups.
  for (const char* value : {"MSFT", "microsoft", "Microsoft Corp"}) {
    EXPECT_EQ(normalizer.Normalize(value), "microsoft") << value;
  }
  EXPECT_EQ(normalizer.Normalize("M.S."), "ms");
  EXPECT_EQ(normalizer.Normalize("Contoso"), "contoso");

  // The canonical value does not depend on the order of the pairs or of the values in a pair.
  NormalizerResources reversed;
  for (auto it = resources.aliases.rbegin(); it != resources.aliases.rend(); ++it) {
    reversed.aliases.emplace_back(it->second, it->first);
  }
  const Normalizer other({N::kLowerCase, N::kSymbols, N::kWhitespace}, reversed);
  for (const char* value : {"Scott", "Scooter", "MSFT", "MS", "Microsoft Corp"}) {
    EXPECT_EQ(other.Normalize(value), normalizer.Normalize(value)) << value;
  }
}

TEST(NormalizerTest, BypassValuesAreNullAfterNormalization) {
  NormalizerResources phones;
  phones.bypass_values = {"555-1212", "000 000 0000"};
  const Normalizer phone({N::kPhone}, phones);
  EXPECT_EQ(phone.Normalize("555.1212"), std::nullopt);
  EXPECT_EQ(phone.Normalize("(000) 000-0000"), std::nullopt);
  EXPECT_EQ(phone.Normalize("425 555 1212"), "4255551212");

  NormalizerResources emails;
  emails.bypass_values = {"test@contoso.com"};
  emails.aliases = {{"dummy@contoso.com", "test@contoso.com"}};
  const Normalizer email({N::kLowerCase, N::kWhitespace}, emails);
  EXPECT_EQ(email.Normalize(" TEST@contoso.com"), std::nullopt);
  EXPECT_EQ(email.Normalize("Dummy@Contoso.com"), std::nullopt);  // bypass comes after alias mapping
  EXPECT_EQ(email.Normalize("ada@contoso.com"), "ada@contoso.com");
}

TEST(NormalizerTest, NameWithTheSharedNicknameFile) {
  const std::string path = std::string(CDMLAKE_SHARED_DATA) + "/nicknames.csv";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " is absent";
  NormalizerResources resources;
  resources.nicknames = std::make_shared<const NicknameTable>(LoadNicknameFile(path));
  const Normalizer name({N::kLowerCase, N::kName, N::kSymbols, N::kWhitespace}, resources);
  EXPECT_EQ(name.Normalize("Debby"), name.Normalize("Deborah"));
  EXPECT_EQ(name.Normalize("Debby Smith"), name.Normalize("Deborah Smith"));
  EXPECT_EQ(name.Normalize("Prof. Bob Jones"), name.Normalize("professor robert jones"));
  EXPECT_NE(name.Normalize("Bob Jones"), name.Normalize("Bill Jones"));
}

TEST(NormalizerTest, ConcurrentCallsGiveTheSameKeys) {
  NormalizerResources resources;
  resources.nicknames = SmallNicknames();
  resources.default_phone_region = "US";
  const Normalizer text({N::kUnicodeToAscii, N::kNumerals, N::kLowerCase, N::kName, N::kSymbols}, resources);
  const Normalizer phone({N::kPhone}, resources);
  std::vector<std::string> values;
  for (int i = 0; i < 300; ++i) {
    values.push_back("Dr. Débby Ⓜüller Ⅻ-" + std::to_string(i));
    values.push_back("+44 20 7946 " + std::to_string(1000 + i));
  }
  std::vector<std::string> expected;
  for (const std::string& v : values) expected.push_back(text.Normalize(v).value_or("") + "|" +
                                                         phone.Normalize(v).value_or(""));
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 3; ++round) {
        for (size_t i = 0; i < values.size(); ++i) {
          const std::string key = text.Normalize(values[i]).value_or("") + "|" + phone.Normalize(values[i]).value_or("");
          if (key != expected[i]) ++mismatches[t];
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

// CPU time of this thread: the build machine is shared, so wall time would measure the neighbours.
double ThreadCpuNanos() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e9 + static_cast<double>(t.tv_nsec);
}

// Not a pass/fail test: prints the CPU cost per value of typical condition columns (docs/unify-normalizations.md).
TEST(NormalizerTest, Speed) {
  NormalizerResources resources;
  resources.nicknames = SmallNicknames();
  resources.default_phone_region = "US";
  struct Column {
    const char* name;
    std::vector<Normalization> options;
    std::vector<std::string> values;
  };
  constexpr int kRows = 100000;
  std::vector<Column> columns = {
      {"email (lowercase, whitespace)", {N::kLowerCase, N::kWhitespace}, {}},
      {"name (ascii, lowercase, name, symbols, whitespace)",
       {N::kUnicodeToAscii, N::kLowerCase, N::kName, N::kSymbols, N::kWhitespace}, {}},
      {"address (ascii, lowercase, address, symbols)", {N::kUnicodeToAscii, N::kLowerCase, N::kAddress, N::kSymbols}, {}},
      {"phone, region US", {N::kPhone}, {}},
      {"name, 5% non-ASCII", {N::kUnicodeToAscii, N::kLowerCase, N::kName, N::kSymbols, N::kWhitespace}, {}},
  };
  for (int i = 0; i < kRows; ++i) {
    const std::string n = std::to_string(i);
    columns[0].values.push_back("Person.Number" + n + "@Contoso.com");
    columns[1].values.push_back("Mr. Bob Smith-" + n);
    columns[2].values.push_back(n + " Northwest Main Street, Apartment 7");
    columns[3].values.push_back("(425) 555-" + std::to_string(1000 + i % 9000));
    columns[4].values.push_back(i % 20 == 0 ? "Mme Zoë Müller-" + n : "Mr. Bob Smith-" + n);
  }
  for (const Column& column : columns) {
    const Normalizer normalizer(column.options, resources);
    size_t bytes = 0;
    const double start = ThreadCpuNanos();
    for (const std::string& v : column.values) bytes += normalizer.Normalize(v).value_or("").size();
    const double ns = ThreadCpuNanos() - start;
    std::printf("  %-55s %7.0f ns/value (%zu key bytes)\n", column.name, ns / kRows, bytes);
  }
}

}  // namespace
}  // namespace cdmlake::unify
