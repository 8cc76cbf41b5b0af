#include "util/path.h"

#include <gtest/gtest.h>

namespace cdmlake {
namespace {

TEST(PathTest, NormalizeResolvesDotsAndKeepsEscapes) {
  EXPECT_EQ(NormalizePath("/a/./b//c/"), "/a/b/c");
  EXPECT_EQ(NormalizePath("/a/b/../c"), "/a/c");
  EXPECT_EQ(NormalizePath("/../a"), "/a");
  EXPECT_EQ(NormalizePath("a/../../b"), "../b");
  EXPECT_EQ(NormalizePath("./"), ".");
}

TEST(PathTest, IsWithinRequiresAComponentBoundary) {
  EXPECT_TRUE(IsWithin("/lake", "/lake"));
  EXPECT_TRUE(IsWithin("/lake", "/lake/Tables/x.csv"));
  EXPECT_FALSE(IsWithin("/lake", "/lake2/x.csv"));
  EXPECT_FALSE(IsWithin("/lake", "/etc/passwd"));
  EXPECT_TRUE(IsWithin("/", "/etc"));
}

TEST(PathTest, JoinDirAndBase) {
  EXPECT_EQ(JoinPath("/a", "b/c"), "/a/b/c");
  EXPECT_EQ(JoinPath("/a/", "b"), "/a/b");
  EXPECT_EQ(JoinPath("/a", "/b"), "/b");
  EXPECT_EQ(DirName("/a/b/c.json"), "/a/b");
  EXPECT_EQ(DirName("c.json"), "");
  EXPECT_EQ(BaseName("/a/b/c.json"), "c.json");
  EXPECT_EQ(RelativePath("/lake", "/lake/Tables/x"), "Tables/x");
  EXPECT_EQ(RelativePath("/lake", "/lake"), "");
}

}  // namespace
}  // namespace cdmlake
