#include "server/users_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "util/error.h"

namespace cdmlake::server {
namespace {

const std::string kVerifier =
    "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:"
    "wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=";

// The error Parse throws for text, or a failure when it throws none.
Error ParseError(const std::string& text) {
  try {
    UsersFile::Parse(text, "users.txt");
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "no error for:\n" << text;
  return Error(ErrorKind::kInternal, "none");
}

TEST(UsersFile, ParsesUsersCommentsAndBlankLines) {
  UsersFile users = UsersFile::Parse("# users of the lake\n\nalice:" + kVerifier + "\r\n  bob:" + kVerifier +
                                         "  \n\t# indented comment\ncarol@corp.example:" + kVerifier,
                                     "users.txt");
  EXPECT_EQ(users.size(), 3u);
  EXPECT_EQ(users.names(), (std::vector<std::string>{"alice", "bob", "carol@corp.example"}));
  ASSERT_NE(users.Find("alice"), nullptr);
  EXPECT_EQ(users.Find("alice")->ToString(), kVerifier);
  EXPECT_EQ(users.Find("Alice"), nullptr);  // names are case-sensitive, as in PostgreSQL
  EXPECT_EQ(users.Find("dave"), nullptr);
  EXPECT_EQ(UsersFile::Parse("", "users.txt").size(), 0u);
  EXPECT_EQ(UsersFile::Parse("\xEF\xBB\xBF" "alice:" + kVerifier + "\n", "users.txt").size(), 1u);
}

TEST(UsersFile, ErrorsNameFileLineAndProblem) {
  struct Case {
    std::string text;
    int line;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"alice:" + kVerifier + "\nalice:" + kVerifier + "\n", 2, "duplicate user \"alice\""},
      {"# c\n:" + kVerifier + "\n", 2, "empty user name"},
      {"al ice:" + kVerifier + "\n", 1, "contains whitespace"},
      {"al\tice:" + kVerifier + "\n", 1, "contains whitespace"},
      {"alice\n", 1, "no ':'"},
      {"alice:secret\n", 1, "bad SCRAM-SHA-256 verifier for user \"alice\""},
      {"alice:md5abcdef0123456789abcdef0123456789\n", 1, "bad SCRAM-SHA-256 verifier"},
      {"\n\nalice:" + kVerifier + "x\n", 3, "bad SCRAM-SHA-256 verifier"},
      {"al\x01ice:" + kVerifier + "\n", 1, "control character"},
  };
  for (const Case& c : cases) {
    Error e = ParseError(c.text);
    EXPECT_EQ(e.kind(), ErrorKind::kUser);
    EXPECT_EQ(e.location().file, "users.txt");
    EXPECT_EQ(e.location().line, c.line) << c.text;
    EXPECT_NE(e.message().find(c.message), std::string::npos) << e.what();
  }
}

TEST(UsersFile, CheckUserName) {
  EXPECT_EQ(CheckUserName("alice"), "");
  EXPECT_EQ(CheckUserName("dom\\user"), "");
  EXPECT_NE(CheckUserName(""), "");
  EXPECT_NE(CheckUserName("a:b"), "");
  EXPECT_NE(CheckUserName("a b"), "");
  EXPECT_NE(CheckUserName("#a"), "");
}

class UsersFileOnDisk : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cdmlake_users_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "users").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Read() const {
    std::ifstream in(path_, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  void Write(const std::string& text) const { std::ofstream(path_, std::ios::binary) << text; }
  unsigned Mode() const {
    struct stat st {};
    EXPECT_EQ(::stat(path_.c_str(), &st), 0);
    return st.st_mode & 0777;
  }
  // Files in the directory besides the users file (left-over temporary files).
  size_t Others() const {
    size_t n = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir_)) n += e.path().filename() != "users";
    return n;
  }

  std::filesystem::path dir_;
  std::string path_;
};

// Whether the verifier accepts the password (recomputed with the verifier's salt).
bool Accepts(const ScramVerifier* v, const std::string& password) {
  return v != nullptr && MakeScramVerifierWithSalt(password, v->salt, v->iterations) == *v;
}

TEST_F(UsersFileOnDisk, AddUserCreatesFileWith0600AndNoPassword) {
  AddUser(path_, "alice", "s3cret-pass");
  EXPECT_EQ(Mode(), 0600u);
  EXPECT_EQ(Others(), 0u);
  std::string text = Read();
  EXPECT_EQ(text.find("s3cret-pass"), std::string::npos);
  EXPECT_EQ(text.rfind("alice:SCRAM-SHA-256$4096:", 0), 0u) << text;
  UsersFile users = UsersFile::Load(path_);
  EXPECT_TRUE(Accepts(users.Find("alice"), "s3cret-pass"));
  EXPECT_FALSE(Accepts(users.Find("alice"), "s3cret-Pass"));
}

TEST_F(UsersFileOnDisk, AddUserReplacesOneEntryAndKeepsTheRest) {
  Write("# the team\nalice:" + kVerifier + "\n\n# ops\nbob:" + kVerifier + "\n");
  ::chmod(path_.c_str(), 0644);
  AddUser(path_, "alice", "new password", 1000);
  std::string text = Read();
  EXPECT_EQ(Mode(), 0600u);
  std::vector<std::string> lines;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 5u) << text;
  EXPECT_EQ(lines[0], "# the team");
  EXPECT_EQ(lines[1].rfind("alice:SCRAM-SHA-256$1000:", 0), 0u);
  EXPECT_EQ(lines[2], "");
  EXPECT_EQ(lines[3], "# ops");
  EXPECT_EQ(lines[4], "bob:" + kVerifier);
  UsersFile users = UsersFile::Load(path_);
  EXPECT_TRUE(Accepts(users.Find("alice"), "new password"));
  EXPECT_TRUE(Accepts(users.Find("bob"), "pencil"));

  AddUser(path_, "carol", "pw");  // appended
  users = UsersFile::Load(path_);
  EXPECT_EQ(users.names(), (std::vector<std::string>{"alice", "bob", "carol"}));
  EXPECT_TRUE(Accepts(users.Find("carol"), "pw"));
  EXPECT_EQ(Others(), 0u);
}

TEST_F(UsersFileOnDisk, AddUserAppendsAfterAFileWithoutFinalNewline) {
  Write("bob:" + kVerifier);
  AddUser(path_, "alice", "x");
  UsersFile users = UsersFile::Load(path_);
  EXPECT_EQ(users.size(), 2u);
  EXPECT_TRUE(Accepts(users.Find("bob"), "pencil"));
}

TEST_F(UsersFileOnDisk, AddUserRefusesBadNamesAndBrokenFiles) {
  for (const char* name : {"", "a:b", "a b", "#x"}) {
    try {
      AddUser(path_, name, "pw");
      ADD_FAILURE() << name;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kUser);
    }
  }
  EXPECT_FALSE(std::filesystem::exists(path_));
  Write("alice:not-a-verifier\n");
  try {
    AddUser(path_, "bob", "pw");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUser);
    EXPECT_EQ(e.location().line, 1);
  }
  EXPECT_EQ(Read(), "alice:not-a-verifier\n");  // untouched
  EXPECT_EQ(Others(), 0u);
}

TEST_F(UsersFileOnDisk, LoadOfAMissingFileIsAUserError) {
  try {
    UsersFile::Load(path_);
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUser);
    EXPECT_EQ(e.location().file, path_);
  }
}

}  // namespace
}  // namespace cdmlake::server
