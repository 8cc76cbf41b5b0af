#include "lake/csv_probe.h"

#include <gtest/gtest.h>

namespace cdmlake::lake {
namespace {

TEST(CsvProbeTest, CountsFieldsOfTheFirstRecord) {
  cdm::CsvFormat csv;
  EXPECT_EQ(ProbeCsvText("1,\"a,b\",3\n4,5,6\n", csv).width, 3);
  CsvShape crlf = ProbeCsvText("1,\"multi\r\nline, \"\"quoted\"\"\",3,4\r\n", csv);
  EXPECT_EQ(crlf.width, 4);
  EXPECT_EQ(crlf.newline, "\r\n");
  CsvShape lf = ProbeCsvText("1,\"a CRLF \r\n inside\"\n2,3\n", csv);
  EXPECT_EQ(lf.width, 2);
  EXPECT_EQ(lf.newline, "\n") << "a CRLF inside quotes says nothing about the file's record ends";
  EXPECT_EQ(ProbeCsvText("\xEF\xBB\xBF" "a,b", csv).width, 2);
  EXPECT_EQ(ProbeCsvText("", csv).width, -1);
  EXPECT_EQ(ProbeCsvText(",,\n", csv).width, 3) << "empty fields count";
  csv.delimiter = ";";
  csv.skip_lines = 1;
  EXPECT_EQ(ProbeCsvText("junk,line\na;b;c;d;e\n", csv).width, 5);
}

TEST(CsvProbeTest, PhysicalLineOfARecord) {
  cdm::CsvFormat csv;
  const std::string text = "1,\"a\nb\nc\",x\n2,\"\"\"q\"\"\",y\n3,\"d\ne\",z\n";
  EXPECT_EQ(PhysicalLineOfRecordInText(text, csv, 1), 1);
  EXPECT_EQ(PhysicalLineOfRecordInText(text, csv, 2), 4);
  EXPECT_EQ(PhysicalLineOfRecordInText(text, csv, 3), 5);
  EXPECT_EQ(PhysicalLineOfRecordInText(text, csv, 9), 0);
  EXPECT_EQ(PhysicalLinesOfRecordsInText(text, csv, {1, 3, 4}), (std::vector<int64_t>{1, 5, 0}));
}

}  // namespace
}  // namespace cdmlake::lake
