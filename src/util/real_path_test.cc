#include "util/real_path.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace cdmlake {
namespace {

namespace fs = std::filesystem;

class RealPathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cdmlake_real_path_test_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "root/inside");
    fs::create_directories(dir_ / "outside");
    fs::create_directory_symlink(dir_ / "outside", dir_ / "root/away");
    fs::create_directory_symlink(dir_ / "root/inside", dir_ / "root/near");
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string At(const std::string& relative) const { return (dir_ / relative).string(); }
  fs::path dir_;
};

TEST_F(RealPathTest, PathsThatDoNotExistYetAreJudgedByWhatExists) {
  EXPECT_TRUE(ResolvesWithin(At("root"), At("root")));
  EXPECT_TRUE(ResolvesWithin(At("root"), At("root/inside/new/deeper")));
  EXPECT_TRUE(ResolvesWithin(At("root"), At("root/near/new")));   // a link that stays inside
  EXPECT_FALSE(ResolvesWithin(At("root"), At("root/away")));      // a link that leaves
  EXPECT_FALSE(ResolvesWithin(At("root"), At("root/away/new/deeper")));
  EXPECT_FALSE(ResolvesWithin(At("root"), At("root/../outside/x")));
  EXPECT_FALSE(ResolvesWithin(At("no-such-root"), At("no-such-root/x")));
}

TEST_F(RealPathTest, RealPathFollowsLinksAndIsEmptyForNothing) {
  EXPECT_EQ(RealPath(At("root/away")), fs::canonical(dir_ / "outside").string());
  EXPECT_EQ(RealPath(At("root/missing")), "");
}

}  // namespace
}  // namespace cdmlake
