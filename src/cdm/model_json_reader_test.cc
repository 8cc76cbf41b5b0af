#include "cdm/model_json_reader.h"

#include <gtest/gtest.h>

namespace cdmlake::cdm {
namespace {

const char* kModel = "\xEF\xBB\xBF" R"({
  "name": "PowerBI", "version": "1.0", "pbi:mashup": {"x": 1},
  "entities": [
    {"$type": "LocalEntity", "name": "Account",
     "attributes": [
       {"name": "accountid", "dataType": "guid"},
       {"name": "revenue", "dataType": "decimal", "cdm:traits": [{"traitReference": "is.dataFormat.numeric.shaped",
          "arguments": [{"name": "precision", "value": 18}, {"name": "scale", "value": 2}]}]},
       {"name": "name", "dataType": "string", "maxLength": 160},
       {"name": "modifiedon", "dataType": "DateTimeOffset"},
       {"name": "active", "dataType": "boolean"}],
     "partitions": [
       {"name": "p1", "location": "https://acct.dfs.core.windows.net/container/pbi/Account/part-1.csv?snapshot=1",
        "fileFormatSettings": {"$type": "CsvFormatSettings", "columnHeaders": "true", "delimiter": "|"}},
       {"name": "p2", "location": "https://acct.dfs.core.windows.net/container/pbi/Account/part-2.csv",
        "cdm:traits": [{"traitReference": "is.partition.format.CSV", "arguments": [{"name": "delimiter", "value": ";"}]}],
        "fileFormatSettings": {"$type": "CsvFormatSettings", "columnHeaders": true, "delimiter": "|"}}]},
    {"$type": "ReferenceEntity", "name": "Contact", "source": "Contact", "modelId": "other"},
    {"$type": "LocalEntity", "name": "Broken", "attributes": [{"name": "x", "dataType": "int128"}]}
  ]
})";

TEST(ModelJsonReaderTest, ReadsEntitiesTypesAndPartitions) {
  MemoryFileSystem fs;
  fs.AddFile("/lake/pbi/model.json", kModel);
  fs.AddFile("/lake/pbi/Account/part-1.csv", "");
  fs.AddFile("/lake/pbi/Account/part-2.csv", "");
  RootDocument root = ReadModelJson(LocationResolver(fs, "/lake"), "pbi/model.json");
  EXPECT_FALSE(root.failed);
  EXPECT_EQ(root.name, "PowerBI");
  ASSERT_EQ(root.entities.size(), 2u);
  const Entity& account = root.entities[0];
  EXPECT_TRUE(account.readable);
  EXPECT_FALSE(account.d365_empty_dates);
  ASSERT_EQ(account.attributes.size(), 5u);
  EXPECT_EQ(account.attributes[0].SqlType(), "UUID");
  EXPECT_EQ(account.attributes[1].SqlType(), "DECIMAL(18,2)");
  EXPECT_EQ(account.attributes[2].maximum_length, 160);
  EXPECT_EQ(account.attributes[3].SqlType(), "TIMESTAMPTZ");
  ASSERT_EQ(account.partitions.size(), 2u);
  EXPECT_EQ(account.partitions[0].location, "pbi/Account/part-1.csv");
  EXPECT_TRUE(account.partitions[0].csv.header);
  EXPECT_EQ(account.partitions[0].csv.delimiter, "|");
  EXPECT_EQ(account.partitions[1].csv.delimiter, ";") << "the trait wins over fileFormatSettings";
  EXPECT_TRUE(account.partitions[1].csv.header) << "settings fill what the trait leaves out";
  const Entity& broken = root.entities[1];
  EXPECT_FALSE(broken.readable);
  int warnings = 0, errors = 0;
  for (const auto& p : root.problems) (p.severity == Severity::kWarning ? warnings : errors)++;
  EXPECT_EQ(warnings, 1) << "the reference entity";
  EXPECT_EQ(errors, 1) << "the unknown data type";
}

TEST(ModelJsonReaderTest, MalformedModelFails) {
  MemoryFileSystem fs;
  fs.AddFile("/lake/model.json", "{\"name\": \"x\", \"entities\": [");
  RootDocument root = ReadModelJson(LocationResolver(fs, "/lake"), "model.json");
  EXPECT_TRUE(root.failed);
  ASSERT_EQ(root.problems.size(), 1u);
  EXPECT_EQ(root.problems[0].file, "model.json");
  fs.AddFile("/lake/model.json", "[1, 2]");
  EXPECT_TRUE(ReadModelJson(LocationResolver(fs, "/lake"), "model.json").failed);
}

}  // namespace
}  // namespace cdmlake::cdm
