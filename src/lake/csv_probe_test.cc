#include "lake/csv_probe.h"

#include <gtest/gtest.h>

namespace cdmlake::lake {
namespace {

TEST(CsvProbeTest, CountsFieldsOfTheFirstRecord) {
  cdm::CsvFormat csv;
  EXPECT_EQ(CsvRecordWidthOfText("1,\"a,b\",3\n4,5,6\n", csv), 3);
  EXPECT_EQ(CsvRecordWidthOfText("1,\"multi\nline, \"\"quoted\"\"\",3,4\r\n", csv), 4);
  EXPECT_EQ(CsvRecordWidthOfText("\xEF\xBB\xBF" "a,b", csv), 2);
  EXPECT_EQ(CsvRecordWidthOfText("", csv), -1);
  EXPECT_EQ(CsvRecordWidthOfText(",,\n", csv), 3) << "empty fields count";
  csv.delimiter = ";";
  csv.skip_lines = 1;
  EXPECT_EQ(CsvRecordWidthOfText("junk,line\na;b;c;d;e\n", csv), 5);
}

TEST(CsvProbeTest, PhysicalLineOfARecord) {
  cdm::CsvFormat csv;
  const std::string text = "1,\"a\nb\nc\",x\n2,\"\"\"q\"\"\",y\n3,\"d\ne\",z\n";
  EXPECT_EQ(PhysicalLineOfRecordInText(text, csv, 1), 1);
  EXPECT_EQ(PhysicalLineOfRecordInText(text, csv, 2), 4);
  EXPECT_EQ(PhysicalLineOfRecordInText(text, csv, 3), 5);
  EXPECT_EQ(PhysicalLineOfRecordInText(text, csv, 9), 0);
}

}  // namespace
}  // namespace cdmlake::lake
