#include "cdm/data_type.h"

#include <gtest/gtest.h>

namespace cdmlake::cdm {
namespace {

TEST(DataTypeTest, DataFormatsParseCaseInsensitively) {
  EXPECT_EQ(ParseDataFormat("Int64"), DataFormat::kInt64);
  EXPECT_EQ(ParseDataFormat("datetimeoffset"), DataFormat::kDateTimeOffset);
  EXPECT_EQ(ParseDataFormat("DECIMAL"), DataFormat::kDecimal);
  EXPECT_FALSE(ParseDataFormat("Int33").has_value());
  for (DataFormat f : {DataFormat::kInt16, DataFormat::kGuid, DataFormat::kBinary, DataFormat::kJson}) {
    EXPECT_EQ(ParseDataFormat(DataFormatName(f)), f);
  }
}

TEST(DataTypeTest, TypeNamesFromPrimitivesFoundationsAndModelJson) {
  EXPECT_EQ(ParseDataTypeName("bigInteger"), DataFormat::kInt64);
  EXPECT_EQ(ParseDataTypeName("integer"), DataFormat::kInt32);
  EXPECT_EQ(ParseDataTypeName("smallInteger"), DataFormat::kInt16);
  EXPECT_EQ(ParseDataTypeName("int64"), DataFormat::kInt64);
  EXPECT_EQ(ParseDataTypeName("fixedDecimal"), DataFormat::kDecimal);
  EXPECT_EQ(ParseDataTypeName("entityId"), DataFormat::kGuid);
  EXPECT_EQ(ParseDataTypeName("DateTimeOffset"), DataFormat::kDateTimeOffset);
  EXPECT_EQ(ParseDataTypeName("unclassified"), DataFormat::kUnknown);
  EXPECT_FALSE(ParseDataTypeName("CustAccount").has_value()) << "EDT names need the document's definitions";
}

// The SDK's TraitToPropertyMap rules.
TEST(DataTypeTest, FormatFromTraits) {
  using V = std::vector<std::string>;
  EXPECT_EQ(DataFormatFromTraits(V{"is.dataFormat.integer", "is.dataFormat.big"}), DataFormat::kInt64);
  EXPECT_EQ(DataFormatFromTraits(V{"is.dataFormat.integer", "is.dataFormat.small"}), DataFormat::kInt16);
  EXPECT_EQ(DataFormatFromTraits(V{"is.dataFormat.integer"}), DataFormat::kInt32);
  EXPECT_EQ(DataFormatFromTraits(V{"is.dataFormat.floatingPoint", "is.dataFormat.big"}), DataFormat::kDouble);
  EXPECT_EQ(DataFormatFromTraits(V{"is.dataFormat.floatingPoint"}), DataFormat::kFloat);
  EXPECT_EQ(DataFormatFromTraits(V{"is.dataFormat.character", "is.dataFormat.array"}), DataFormat::kString);
  EXPECT_EQ(DataFormatFromTraits(V{"is.dataFormat.character"}), DataFormat::kChar);
  EXPECT_EQ(DataFormatFromTraits(V{"is.dataFormat.byte", "is.dataFormat.array"}), DataFormat::kBinary);
  EXPECT_EQ(DataFormatFromTraits(V{"is.dataFormat.date", "is.dataFormat.time", "is.dataFormat.timeOffset"}),
            DataFormat::kDateTimeOffset);
  EXPECT_EQ(DataFormatFromTraits(V{"is.dataFormat.date", "is.dataFormat.time"}), DataFormat::kDateTime);
  EXPECT_EQ(DataFormatFromTraits(V{"is.dataFormat.date"}), DataFormat::kDate);
  EXPECT_EQ(DataFormatFromTraits(V{"is.dataFormat.numeric.shaped"}), DataFormat::kDecimal);
  EXPECT_EQ(DataFormatFromTraits(V{"is.dataFormat.array", "means.content.text.JSON"}), DataFormat::kJson);
  EXPECT_FALSE(DataFormatFromTraits(V{"is.nullable"}).has_value());
}

TEST(DataTypeTest, EveryFormatHasADuckDBType) {
  EXPECT_EQ(DuckDbType(DataFormat::kDecimal, 32, 6), "DECIMAL(32,6)");
  EXPECT_EQ(DuckDbType(DataFormat::kDecimal), "DECIMAL(38,6)");
  EXPECT_EQ(DuckDbType(DataFormat::kDecimal, 50, 10), "DECIMAL(38,10)") << "clamped to DuckDB's maximum";
  EXPECT_EQ(DuckDbType(DataFormat::kDecimal, 5, 9), "DECIMAL(5,5)");
  EXPECT_EQ(DuckDbType(DataFormat::kInt32), "INTEGER");
  EXPECT_EQ(DuckDbType(DataFormat::kByte), "UTINYINT");
  EXPECT_EQ(DuckDbType(DataFormat::kGuid), "UUID");
  EXPECT_EQ(DuckDbType(DataFormat::kDateTime), "TIMESTAMP");
  EXPECT_EQ(DuckDbType(DataFormat::kDateTimeOffset), "TIMESTAMPTZ");
  EXPECT_EQ(DuckDbType(DataFormat::kBinary), "BLOB");
  EXPECT_EQ(DuckDbType(DataFormat::kUnknown), "VARCHAR");
  EXPECT_EQ(ModelJsonTypeName(DataFormat::kBinary), "string") << "not the SDK's \"boolean\" bug";
}

}  // namespace
}  // namespace cdmlake::cdm
