#include "util/file_system.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "util/error.h"

namespace cdmlake {
namespace {

TEST(MemoryFileSystemTest, ListsReadsAndRenames) {
  MemoryFileSystem fs;
  fs.AddFile("/lake/Tables/a.json", "A");
  fs.AddFile("/lake/Tables/sub/b.csv", "BB");
  auto entries = fs.ListDirectory("/lake/Tables");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].name, "a.json");
  EXPECT_FALSE(entries[0].is_directory);
  EXPECT_EQ(entries[1].name, "sub");
  EXPECT_TRUE(entries[1].is_directory);
  EXPECT_EQ(fs.ListFilesRecursive("/lake"), (std::vector<std::string>{"Tables/a.json", "Tables/sub/b.csv"}));
  fs.WriteFileAtomic("/lake/Tables/a.json", "new");
  EXPECT_EQ(fs.ReadFile("/lake/Tables/a.json"), "new");
  EXPECT_THROW(fs.ReadFile("/lake/missing"), Error);
}

TEST(MemoryFileSystemTest, FullDiskLeavesThePreviousVersion) {
  MemoryFileSystem fs;
  fs.AddFile("/out/manifest.json", "old");
  fs.set_write_budget(2);
  EXPECT_THROW(fs.WriteFileAtomic("/out/manifest.json", "new content"), Error);
  EXPECT_EQ(fs.ReadFile("/out/manifest.json"), "old");
  EXPECT_EQ(fs.files().size(), 1u) << "the temporary file must be removed";
}

TEST(PosixFileSystemTest, LinkSharesTheDataAndOutlivesTheFirstName) {
  auto dir = std::filesystem::temp_directory_path() / ("cdmlake_fs_link_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  FileSystem* fs = DefaultFileSystem();
  fs->CreateDirectories((dir / "v1").string());
  fs->CreateDirectories((dir / "v2").string());
  fs->WriteFileAtomic((dir / "v1/part.parquet").string(), "data");
  fs->LinkFile((dir / "v1/part.parquet").string(), (dir / "v2/part.parquet").string());
  EXPECT_EQ(std::filesystem::hard_link_count(dir / "v2/part.parquet"), 2u);
  EXPECT_EQ(fs->Stat((dir / "v2/part.parquet").string())->mtime_ns, fs->Stat((dir / "v1/part.parquet").string())->mtime_ns);
  fs->RemoveAll((dir / "v1").string());
  EXPECT_EQ(fs->ReadFile((dir / "v2/part.parquet").string()), "data");
  EXPECT_THROW(fs->LinkFile((dir / "v1/part.parquet").string(), (dir / "v2/other").string()), Error);
  std::filesystem::remove_all(dir);
}

TEST(MemoryFileSystemTest, LinkCopiesWithTheSameTime) {
  MemoryFileSystem fs;
  fs.AddFile("/out/a", "A", 7);
  fs.CreateDirectories("/out/b");
  fs.LinkFile("/out/a", "/out/b/a");
  EXPECT_EQ(fs.ReadFile("/out/b/a"), "A");
  EXPECT_EQ(fs.Stat("/out/b/a")->mtime_ns, 7);
  EXPECT_THROW(fs.LinkFile("/out/a", "/out/b/a"), Error);
}

TEST(PosixFileSystemTest, AtomicWriteAndRecursiveListing) {
  auto dir = std::filesystem::temp_directory_path() / ("cdmlake_fs_test_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  FileSystem* fs = DefaultFileSystem();
  fs->CreateDirectories((dir / "x/y").string());
  fs->WriteFileAtomic((dir / "x/y/f.txt").string(), "hello");
  fs->WriteFileAtomic((dir / "top.txt").string(), "t");
  EXPECT_EQ(fs->ReadFile((dir / "x/y/f.txt").string()), "hello");
  EXPECT_EQ(fs->ListFilesRecursive(dir.string()), (std::vector<std::string>{"top.txt", "x/y/f.txt"}));
  auto st = fs->Stat((dir / "top.txt").string());
  ASSERT_TRUE(st.has_value());
  EXPECT_EQ(st->size, 1u);
  EXPECT_FALSE(fs->Stat((dir / "nope").string()).has_value());
  try {
    fs->ReadFile((dir / "nope").string());
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("nope"), std::string::npos);
    EXPECT_EQ(e.ExitCode(), 1);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cdmlake
