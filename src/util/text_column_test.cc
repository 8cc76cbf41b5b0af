#include "util/text_column.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace cdmlake {
namespace {

TEST(TextColumnTest, ValuesNullsAndEmptyStringsKeepTheirPlace) {
  TextColumn column;
  column.Append(std::string_view("Ann"));
  column.AppendNull();
  column.Append(std::string_view(""));
  column.Append(TextView("Bob"));
  column.Append(TextView());
  ASSERT_EQ(column.size(), 5u);
  EXPECT_EQ(column.Get(0), TextView("Ann"));
  EXPECT_TRUE(column.IsNull(1));
  EXPECT_EQ(column.Get(1), TextView());
  EXPECT_EQ(column.View(1), "");  // null reads as ""
  EXPECT_EQ(column.Get(2), TextView(""));  // an empty string is not null
  EXPECT_EQ(column.Get(3), TextView("Bob"));
  EXPECT_FALSE(column.Get(4).has_value());
  EXPECT_EQ(column.Value(0), std::optional<std::string>("Ann"));
  EXPECT_EQ(column.bytes(), 6u);
}

TEST(TextColumnTest, ViewsSurviveAMoveOfTheColumn) {
  // Profile tables move after they are loaded; merge results and keys keep views into them. Short values are the
  // case a std::string buffer would get wrong (its bytes live inside the object).
  TextColumn column;
  column.Append(std::string_view("ab"));
  const std::string_view before = column.View(0);
  TextColumn moved = std::move(column);
  EXPECT_EQ(moved.View(0).data(), before.data());
  EXPECT_EQ(before, "ab");
}

TEST(TextColumnTest, AppendColumnKeepsValuesNullsAndOrder) {
  TextColumn first, second;
  first.Append(std::string_view("Ann"));
  first.AppendNull();
  second.Append(std::string_view(""));
  second.AppendNull();
  second.Append(std::string_view("Bob"));
  first.AppendColumn(second);
  ASSERT_EQ(first.size(), 5u);
  EXPECT_EQ(first.Get(0), TextView("Ann"));
  EXPECT_FALSE(first.Get(1).has_value());
  EXPECT_EQ(first.Get(2), TextView(""));
  EXPECT_FALSE(first.Get(3).has_value());
  EXPECT_EQ(first.Get(4), TextView("Bob"));
  EXPECT_EQ(first.bytes(), 6u);
}

}  // namespace
}  // namespace cdmlake
