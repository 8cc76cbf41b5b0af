#include "unify/normalize_nicknames.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "util/error.h"

namespace cdmlake::unify {
namespace {

std::string Canonical(const NicknameTable& table, const std::string& word) {
  auto it = table.canonical.find(word);
  return it == table.canonical.end() ? word : it->second;
}

// Rows shaped like ../shared/data/nicknames.csv: nicknames of several names, and nicknames with rows of their own.
constexpr char kSmallFile[] =
    "name,nickname_1, nickname_2,nickname_3\n"
    "abel,abe,ab,\n"
    "abraham,abe,ab,bram\n"
    "bob,rob,robert,\n"
    "robert,rob,bobby,bob\n"
    "deborah,deb,debbie,debby\n"
    "debby,deb,,\n"
    "casey,k.c.,,\n";

TEST(NormalizeNicknamesTest, NicknamesClimbToTheBestRankedName) {
  const NicknameTable table = ParseNicknameCsv(kSmallFile, "small.csv");
  EXPECT_EQ(Canonical(table, "bob"), "robert");
  EXPECT_EQ(Canonical(table, "rob"), "robert");
  EXPECT_EQ(Canonical(table, "bobby"), "robert");
  EXPECT_EQ(Canonical(table, "robert"), "robert");
  EXPECT_EQ(Canonical(table, "debby"), "deborah");
  EXPECT_EQ(Canonical(table, "deb"), "deborah");
  // "abe" belongs to abel and abraham: abraham lists more variants.
  EXPECT_EQ(Canonical(table, "abe"), "abraham");
  EXPECT_EQ(Canonical(table, "abel"), "abel");
  EXPECT_EQ(Canonical(table, "kc"), "casey");  // dots are not part of keys
  EXPECT_EQ(Canonical(table, "unknown"), "unknown");
  EXPECT_EQ(table.canonical.at("robert"), "robert");  // canonical names are in the table too
  EXPECT_EQ(table.canonical.size(), table.name_count);
}

TEST(NormalizeNicknamesTest, RowOrderDoesNotMatter) {
  const std::string reversed =
      "name,nickname_1\n"
      "casey,k.c.\n"
      "debby,deb\n"
      "deborah,deb,debbie,debby\n"
      "robert,rob,bobby,bob\n"
      "bob,rob,robert\n"
      "abraham,abe,ab,bram\n"
      "abel,abe,ab\n";
  EXPECT_EQ(ParseNicknameCsv(reversed, "r.csv").canonical, ParseNicknameCsv(kSmallFile, "s.csv").canonical);
}

TEST(NormalizeNicknamesTest, TiesGoToTheNameThatIsNobodysVariantThenToTheSmallerName) {
  const NicknameTable table = ParseNicknameCsv(
      "name\r\n"
      "zed,z\r\n"
      "ann,z\r\n"
      "ann,annie\r\n"  // a repeated name adds its variants
      "mia,z\r\n"
      "maria,mia\r\n",
      "t.csv");
  // z belongs to zed, ann and mia: ann lists two variants, the others one.
  EXPECT_EQ(Canonical(table, "z"), "ann");
  EXPECT_EQ(Canonical(table, "annie"), "ann");
  EXPECT_EQ(Canonical(table, "zed"), "zed");
  // mia and maria list one variant each; maria is nobody's variant, so it wins the tie.
  EXPECT_EQ(Canonical(table, "mia"), "maria");
}

struct BadFile {
  const char* text;
  int64_t line;
  const char* message_part;
};

TEST(NormalizeNicknamesTest, BadFilesNameTheFileAndLine) {
  const BadFile cases[] = {
      {"", 1, "empty"},
      {"given,nick\nbob,rob\n", 1, "header"},
      {"name,nickname_1\nbob,rob\n\"bob\",robert\n", 3, "quoted"},
      {"name,nickname_1\nbob,rob\n,robert\n", 3, "no name"},
      {"name,nickname_1\nbob,rob\nmary ann,mary\n", 3, "not one word"},
      {"name,nickname_1\nbob,rob-bie\n", 2, "not one word"},
      {"name,nickname_1\nbob,rob\nann\xff\xfe,annie\n", 3, "not one word"},  // not UTF-8
  };
  for (const BadFile& c : cases) {
    try {
      ParseNicknameCsv(c.text, "names.csv");
      ADD_FAILURE() << "no error for: " << c.text;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kUser);
      EXPECT_EQ(e.location().file, "names.csv");
      EXPECT_EQ(e.location().line, c.line) << c.text;
      EXPECT_NE(e.message().find(c.message_part), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("names.csv:"), std::string::npos) << e.what();
    }
  }
}

TEST(NormalizeNicknamesTest, LoadsAFileAndReportsAMissingOne) {
  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / "normalize_nicknames_test";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "nicknames.csv").string();
  std::ofstream(path) << kSmallFile;
  EXPECT_EQ(Canonical(LoadNicknameFile(path), "bob"), "robert");
  try {
    LoadNicknameFile((dir / "missing.csv").string());
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIo);
    EXPECT_NE(std::string(e.what()).find("missing.csv"), std::string::npos);
  }
  std::filesystem::remove_all(dir);
}

TEST(NormalizeNicknamesTest, SharedNicknameFile) {
  const std::string path = std::string(CDMLAKE_SHARED_DATA) + "/nicknames.csv";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " is absent";
  const NicknameTable table = LoadNicknameFile(path);
  EXPECT_GT(table.name_count, 1000u);
  // Spec §1.3: debby -> deborah. The file ranks debbie (4 variants) above deborah (3), so both become debbie:
  // keys are never output, only their equality matters.
  EXPECT_EQ(Canonical(table, "debby"), Canonical(table, "deborah"));
  const std::pair<const char*, const char*> same[] = {
      {"bob", "robert"}, {"bill", "william"}, {"will", "william"}, {"jim", "james"},   {"liz", "elizabeth"},
      {"sue", "susan"},  {"kate", "katherine"}, {"dick", "richard"}, {"mike", "michael"}, {"peggy", "margaret"}};
  for (const auto& [a, b] : same) EXPECT_EQ(Canonical(table, a), Canonical(table, b)) << a << " ~ " << b;
  EXPECT_NE(Canonical(table, "robert"), Canonical(table, "william"));
}

}  // namespace
}  // namespace cdmlake::unify
