#include "entitystore/zip_archive.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "entitystore/test_util.h"
#include "util/error.h"

namespace cdmlake::entitystore {
namespace {

class ZipArchiveTest : public testing::TempDirTest {
 protected:
  ZipArchiveTest() : TempDirTest("zip") {}
};

TEST_F(ZipArchiveTest, BackslashNamesAreFoundWithEitherSeparatorAndAnyCase) {
  std::string path = Path("pkg.zip");
  WriteZipFile(path, {{"measurement.json", "{}"},
                      {"dimensions\\CUSTOMER.json", "customer"},
                      {"views/", ""},
                      {"views/dependencies.csv", "csv"}});
  auto zip = ZipArchive::Open(path);
  EXPECT_EQ(zip->entries(),
            (std::vector<std::string>{"measurement.json", "dimensions\\CUSTOMER.json", "views/dependencies.csv"}))
      << "directory entries are left out";
  EXPECT_TRUE(zip->Contains("dimensions/customer.json"));
  EXPECT_TRUE(zip->Contains("DIMENSIONS\\CUSTOMER.JSON"));
  EXPECT_TRUE(zip->Contains("./views\\Dependencies.csv"));
  EXPECT_FALSE(zip->Contains("dimensions/vendor.json"));
  EXPECT_EQ(zip->Read("dimensions/Customer.json"), "customer");
  EXPECT_EQ(zip->Find("Dimensions/customer.JSON").value(), "dimensions\\CUSTOMER.json");
  EXPECT_EQ(zip->Describe("dimensions/customer.json"), path + ":dimensions\\CUSTOMER.json");
  EXPECT_EQ(zip->Read("measurement.json"), "{}");
}

TEST_F(ZipArchiveTest, MissingEntryNamesTheArchiveAndTheEntry) {
  std::string path = Path("pkg.zip");
  WriteZipFile(path, {{"a.txt", "A"}});
  auto zip = ZipArchive::Open(path);
  try {
    zip->Read("tables\\CUSTTABLE.json");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kData);
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("tables\\CUSTTABLE.json"), std::string::npos) << e.what();
  }
}

TEST_F(ZipArchiveTest, NotAZipIsDataErrorAndMissingFileIsIoError) {
  std::string path = Path("not.zip");
  std::ofstream(path) << "this is not a zip";
  try {
    ZipArchive::Open(path);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kData);
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
  try {
    ZipArchive::Open(Path("missing.zip"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIo);
    EXPECT_NE(std::string(e.what()).find("missing.zip"), std::string::npos) << e.what();
  }
}

TEST_F(ZipArchiveTest, ReadsFromMemoryAndEmptyEntries) {
  std::string path = Path("pkg.zip");
  std::string big(100000, 'x');
  WriteZipFile(path, {{"empty.txt", ""}, {"big.txt", big}});
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto zip = ZipArchive::FromBuffer(bytes, "memory.zip");
  EXPECT_EQ(zip->path(), "memory.zip");
  EXPECT_EQ(zip->Read("empty.txt"), "");
  EXPECT_EQ(zip->Read("BIG.TXT"), big);
}

TEST(ZipEntryKeyTest, Normalises) {
  EXPECT_EQ(ZipEntryKey("views\\SalesView.json"), "VIEWS/SALESVIEW.JSON");
  EXPECT_EQ(ZipEntryKey("/./a/b"), "A/B");
}

}  // namespace
}  // namespace cdmlake::entitystore
