#include "entitystore/import.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "entitystore/test_util.h"
#include "entitystore/zip_archive.h"
#include "util/error.h"

namespace cdmlake::entitystore {
namespace {

const char kXmlMeasurement[] = R"(<?xml version="1.0" encoding="utf-8"?>
<AxAggregateMeasurement xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="Microsoft.Dynamics.AX.Metadata.V6">
  <Name>XmlCube</Name>
  <MeasureGroups><AxMeasureGroup><Name>G</Name><Table>T</Table></AxMeasureGroup></MeasureGroups>
</AxAggregateMeasurement>
)";

class ImportTest : public testing::TempDirTest {
 protected:
  ImportTest() : TempDirTest("import") {}
};

TEST_F(ImportTest, ZipWithMeasurementJsonIsEmex) {
  std::string path = Path("EmexCube.zip");
  WriteZipFile(path, {{"measurement.json", R"({"Name": "EmexCube"})"}});
  MetadataPackage p = ImportMetadata(path, "");
  EXPECT_EQ(p.format, PackageFormat::kEmex);
  EXPECT_EQ(p.measurement.name, "EmexCube");
  EXPECT_EQ(ImportMetadata(path, "emexcube").measurement.name, "EmexCube");
  try {
    ImportMetadata(path, "OtherCube");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUser);
    EXPECT_NE(std::string(e.what()).find("EmexCube"), std::string::npos) << e.what();
  }
}

TEST_F(ImportTest, AxppZipAndFolderAreAotXml) {
  std::string axpp = Path("Model.axpp");
  WriteZipFile(axpp, {{"Model\\AxAggregateMeasurement\\XmlCube.xml", kXmlMeasurement}});
  MetadataPackage from_axpp = ImportMetadata(axpp, "");
  EXPECT_EQ(from_axpp.format, PackageFormat::kAotXml);
  EXPECT_EQ(from_axpp.measurement.name, "XmlCube");

  std::string zip = Path("model.zip");
  WriteZipFile(zip, {{"Model/AxAggregateMeasurement/XmlCube.xml", kXmlMeasurement}});
  EXPECT_EQ(ImportMetadata(zip, "XmlCube").format, PackageFormat::kAotXml);

  std::filesystem::create_directories(dir_ / "folder/Model/AxAggregateMeasurement");
  std::ofstream(dir_ / "folder/Model/AxAggregateMeasurement/XmlCube.xml") << kXmlMeasurement;
  MetadataPackage from_folder = ImportMetadata(Path("folder"), "XmlCube");
  EXPECT_EQ(from_folder.format, PackageFormat::kAotXml);
  EXPECT_EQ(from_folder.measurement.measure_groups.at(0).table, "T");
}

TEST_F(ImportTest, MissingPathAndNonZipFile) {
  try {
    ImportMetadata(Path("missing"), "");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIo);
  }
  std::ofstream(Path("plain.txt")) << "hello";
  try {
    ImportMetadata(Path("plain.txt"), "");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kData);
  }
}

}  // namespace
}  // namespace cdmlake::entitystore
