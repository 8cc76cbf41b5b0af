#include "util/staged_folder.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "util/error.h"

namespace cdmlake {
namespace {

namespace fs = std::filesystem;

class StagedFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cdmlake_staged_folder_test_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "out/Tables");
    Write(dir_ / "out/Tables/old.csv", "old");
    Write(dir_ / "out/Unified.txt", "kept");
  }
  void TearDown() override { fs::remove_all(dir_); }
  static void Write(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
  }
  static std::string Read(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  fs::path dir_;
};

TEST_F(StagedFolderTest, CommitReplacesTheWrittenEntriesAndKeepsTheOthers) {
  {
    StagedFolder staged((dir_ / "out").string());
    EXPECT_NE(staged.dir(), (dir_ / "out").string());
    Write(fs::path(staged.dir()) / "Tables/new.csv", "new");
    Write(fs::path(staged.dir()) / "Customers/c.csv", "c");
    EXPECT_EQ(Read(dir_ / "out/Tables/old.csv"), "old");  // nothing moves before the commit
    staged.Commit();
    EXPECT_FALSE(fs::exists(staged.dir()));
  }
  EXPECT_FALSE(fs::exists(dir_ / "out/Tables/old.csv"));  // Tables/ was replaced whole
  EXPECT_EQ(Read(dir_ / "out/Tables/new.csv"), "new");
  EXPECT_EQ(Read(dir_ / "out/Customers/c.csv"), "c");
  EXPECT_EQ(Read(dir_ / "out/Unified.txt"), "kept");       // not written: left alone
}

TEST_F(StagedFolderTest, AWriterThatFailsLeavesTheTargetAsItWas) {
  std::string staging;
  try {
    StagedFolder staged((dir_ / "out").string());
    staging = staged.dir();
    Write(fs::path(staged.dir()) / "Tables/new.csv", "half");
    throw Error(ErrorKind::kIo, "disk full");
  } catch (const Error&) {
  }
  EXPECT_FALSE(fs::exists(staging));
  EXPECT_EQ(Read(dir_ / "out/Tables/old.csv"), "old");
  EXPECT_FALSE(fs::exists(dir_ / "out/Tables/new.csv"));
}

TEST_F(StagedFolderTest, ANewTargetIsCreatedAndAnEmptyOneRefused) {
  {
    StagedFolder staged((dir_ / "fresh").string());
    Write(fs::path(staged.dir()) / "a.txt", "a");
    staged.Commit();
  }
  EXPECT_EQ(Read(dir_ / "fresh/a.txt"), "a");
  EXPECT_THROW(StagedFolder(""), Error);
}

}  // namespace
}  // namespace cdmlake
