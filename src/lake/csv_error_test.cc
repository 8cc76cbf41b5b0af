#include "lake/csv_error.h"

#include <gtest/gtest.h>

namespace cdmlake::lake {
namespace {

TEST(CsvErrorTest, TheLineReasonAndRowOfAReaderError) {
  const std::string message =
      "Invalid Input Error: CSV Error on Line: 7\n"
      "Original Line: 6,Ann,\"two\nlines\",x\n"
      "Expected Number of Columns: 3 Found: 4\n"
      "Possible fixes:\n"
      "* Enable null padding (null_padding=true) to ignore missing columns\n"
      "\n"
      "  file = /lake/a.csv\n"
      "  delimiter = , (Set By User)\n";
  std::optional<CsvErrorDetail> detail = ParseCsvError(message);
  ASSERT_TRUE(detail.has_value());
  EXPECT_EQ(detail->line, 7);
  EXPECT_EQ(detail->file, "/lake/a.csv");
  EXPECT_EQ(detail->reason, "Expected Number of Columns: 3 Found: 4");
  EXPECT_EQ(detail->original, "6,Ann,\"two\\nlines\",x");
}

TEST(CsvErrorTest, OtherErrorsAreNotReaderErrors) {
  EXPECT_FALSE(ParseCsvError("Binder Error: Referenced column \"Id\" not found").has_value());
  std::optional<CsvErrorDetail> bare = ParseCsvError("CSV Error on Line: 3\n");
  ASSERT_TRUE(bare.has_value());
  EXPECT_EQ(bare->reason, "the row cannot be read");
  EXPECT_EQ(bare->original, "");
}

}  // namespace
}  // namespace cdmlake::lake
