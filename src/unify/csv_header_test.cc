#include "unify/csv_header.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace cdmlake::unify {
namespace {

using Fields = std::vector<std::string>;

// Reads every record of text; "!error" stands for a malformed record.
std::vector<Fields> ReadAll(std::string_view text, int* lines = nullptr) {
  std::vector<Fields> out;
  size_t pos = 0;
  int line = 1;
  while (pos < text.size()) {
    Fields fields;
    std::string error;
    if (!ReadCsvRecord(text, &pos, &line, &fields, &error)) {
      out.push_back({"!" + error});
      break;
    }
    out.push_back(fields);
  }
  if (lines) *lines = line;
  return out;
}

TEST(ConfigCsvTest, Records) {
  EXPECT_EQ(ReadAll("a,b\n1,2\n"), (std::vector<Fields>{{"a", "b"}, {"1", "2"}}));
  EXPECT_EQ(ReadAll("a,b\r\n1,\r\n"), (std::vector<Fields>{{"a", "b"}, {"1", ""}}));
  EXPECT_EQ(ReadAll("\xEF\xBB\xBF"
                    "Id,Name"),
            (std::vector<Fields>{{"Id", "Name"}}));
  EXPECT_EQ(ReadAll("\"a,b\",\"say \"\"hi\"\"\",\"\"\n"), (std::vector<Fields>{{"a,b", "say \"hi\"", ""}}));
  int lines = 0;
  EXPECT_EQ(ReadAll("\"two\nlines\",x\nnext\n", &lines), (std::vector<Fields>{{"two\nlines", "x"}, {"next"}}));
  EXPECT_EQ(lines, 4);
}

TEST(ConfigCsvTest, MalformedRecords) {
  EXPECT_EQ(ReadAll("\"open,x\n"), (std::vector<Fields>{{"!a quoted field is not closed"}}));
  EXPECT_EQ(ReadAll("\"a\"b,c\n").at(0).at(0).substr(0, 29), "!text follows a closing quote");
}

TEST(ConfigCsvTest, Header) {
  MemoryFileSystem fs;
  fs.AddFile("/d/contact.csv",
             "\xEF\xBB\xBF"
             "ContactId,\"Loyalty Tier\",EMail\r\nC1,high,a@b.c\r\n");
  EXPECT_EQ(ReadCsvHeader(&fs, "/d/contact.csv"), (Fields{"ContactId", "Loyalty Tier", "EMail"}));
  fs.AddFile("/d/empty.csv", "");
  try {
    ReadCsvHeader(&fs, "/d/empty.csv");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kData);
    EXPECT_EQ(e.location().file, "/d/empty.csv");
  }
  fs.AddFile("/d/bad.csv", "\"Id,Name\n1,2\n");
  EXPECT_THROW(ReadCsvHeader(&fs, "/d/bad.csv"), Error);
  try {
    ReadCsvHeader(&fs, "/d/missing.csv");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIo);
  }
  // A name given twice (as SQL compares names: case-insensitively) would be read as one of the two.
  fs.AddFile("/d/twice.csv", "Id,Email,Name,email\n1,a,b,c\n");
  try {
    ReadCsvHeader(&fs, "/d/twice.csv");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kData);
    EXPECT_NE(e.message().find("the column 'Email' twice (fields 2 and 4)"), std::string::npos) << e.message();
  }
}

}  // namespace
}  // namespace cdmlake::unify
