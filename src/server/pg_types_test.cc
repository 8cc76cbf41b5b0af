// Tests of the type layer against literal renderings of PostgreSQL 15 (checked with psql against a PostgreSQL 15
// cluster: SELECT of the same literal, and the send functions (numeric_send, array_send, ...) for binary). The
// float rendering was also compared with PostgreSQL on 33,000 random and adversarial values, all identical. The values
// come from real DuckDB vectors: each test runs a query in an in-memory database and encodes its first row.
#include "server/pg_types.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/database.h"
#include "server/pg_error.h"

namespace cdmlake::server {
namespace {

class PgTypesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = new engine::Database(engine::Settings{1, "256MB", "", {}});
    connection_ = new engine::Connection(*database_);
    connection_->Execute("SET TimeZone = 'UTC'");
    // Shared by several tests, each of which may run alone (ctest runs every test in its own process).
    connection_->Execute("CREATE TYPE IF NOT EXISTS mood AS ENUM ('sad', 'happy')");
  }
  static void TearDownTestSuite() {
    delete connection_;
    delete database_;
    connection_ = nullptr;
    database_ = nullptr;
  }

  // Runs `sql` and encodes every column of its first row.
  static std::vector<std::optional<std::string>> EncodeRow(const std::string& sql, bool binary = false,
                                                           const TextSettings& settings = {},
                                                           std::vector<PgType>* types = nullptr) {
    duckdb_result result;
    if (duckdb_query(connection_->raw(), sql.c_str(), &result) != DuckDBSuccess) {
      std::string message = duckdb_result_error(&result);
      duckdb_destroy_result(&result);
      ADD_FAILURE() << sql << ": " << message;
      return {};
    }
    std::vector<std::optional<std::string>> row;
    duckdb_data_chunk chunk = duckdb_fetch_chunk(result);
    EXPECT_NE(chunk, nullptr) << sql;
    for (idx_t column = 0; chunk != nullptr && column < duckdb_column_count(&result); ++column) {
      duckdb_logical_type type = duckdb_column_logical_type(&result, column);
      ColumnEncoder encoder(type, binary, settings);
      duckdb_destroy_logical_type(&type);
      if (types != nullptr) types->push_back(encoder.pg_type());
      row.push_back(encoder.Encode(duckdb_data_chunk_get_vector(chunk, column), 0));
    }
    if (chunk != nullptr) duckdb_destroy_data_chunk(&chunk);
    duckdb_destroy_result(&result);
    return row;
  }

  // The text rendering of one expression.
  static std::optional<std::string> Text(const std::string& expression, const TextSettings& settings = {}) {
    auto row = EncodeRow("SELECT " + expression, false, settings);
    return row.empty() ? std::optional<std::string>("<error>") : row[0];
  }

  // The binary rendering of one expression, as lowercase hex.
  static std::string Binary(const std::string& expression) {
    auto row = EncodeRow("SELECT " + expression, true);
    if (row.empty()) return "<error>";
    if (!row[0].has_value()) return "NULL";
    return Hex(*row[0]);
  }

  static PgType TypeOf(const std::string& expression) {
    std::vector<PgType> types;
    EncodeRow("SELECT " + expression, false, {}, &types);
    return types.empty() ? PgType{0, 0, 0} : types[0];
  }

  static std::string Hex(std::string_view bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (unsigned char c : bytes) {
      hex.push_back(kHex[c >> 4]);
      hex.push_back(kHex[c & 15]);
    }
    return hex;
  }

  static std::string Unhex(std::string_view hex) {
    std::string bytes;
    for (size_t i = 0; i + 1 < hex.size(); i += 2) bytes.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
    return bytes;
  }

  // Binds `value` to a prepared "SELECT $1::<cast>" and renders the result as DuckDB's VARCHAR.
  static std::string RoundTrip(duckdb_value value, const std::string& cast) {
    std::string sql = "SELECT CAST($1 AS " + cast + ")::VARCHAR";
    duckdb_prepared_statement statement;
    EXPECT_EQ(duckdb_prepare(connection_->raw(), sql.c_str(), &statement), DuckDBSuccess);
    std::string text = "<bind error>";
    if (duckdb_bind_value(statement, 1, value) == DuckDBSuccess) {
      duckdb_result result;
      if (duckdb_execute_prepared(statement, &result) == DuckDBSuccess) {
        duckdb_data_chunk chunk = duckdb_fetch_chunk(result);
        duckdb_vector vector = duckdb_data_chunk_get_vector(chunk, 0);
        uint64_t* validity = duckdb_vector_get_validity(vector);
        if (validity != nullptr && !duckdb_validity_row_is_valid(validity, 0)) {
          text = "NULL";
        } else {
          auto* strings = static_cast<duckdb_string_t*>(duckdb_vector_get_data(vector));
          text.assign(duckdb_string_t_data(&strings[0]), duckdb_string_t_length(strings[0]));
        }
        duckdb_destroy_data_chunk(&chunk);
      } else {
        text = std::string("<error> ") + duckdb_result_error(&result);
      }
      duckdb_destroy_result(&result);
    }
    duckdb_destroy_prepare(&statement);
    duckdb_destroy_value(&value);
    return text;
  }

  static std::string DecodeText(int32_t oid, std::string_view text, const std::string& cast) {
    return RoundTrip(DecodeParameter(1, oid, false, text), cast);
  }
  static std::string DecodeBinary(int32_t oid, std::string_view hex, const std::string& cast) {
    return RoundTrip(DecodeParameter(1, oid, true, Unhex(hex)), cast);
  }

  // The SQLSTATE DecodeParameter throws, or "" when it does not.
  static std::string DecodeError(int32_t oid, bool binary, std::string_view bytes) {
    try {
      duckdb_value value = DecodeParameter(3, oid, binary, bytes);
      duckdb_destroy_value(&value);
      return "";
    } catch (const PgError& error) {
      EXPECT_TRUE(error.message().find("$3") != std::string::npos || error.message().find("parameter 3") != std::string::npos)
          << error.message();
      return error.sqlstate();
    }
  }

  static engine::Database* database_;
  static engine::Connection* connection_;
};

engine::Database* PgTypesTest::database_ = nullptr;
engine::Connection* PgTypesTest::connection_ = nullptr;

// ---- type mapping ----

TEST_F(PgTypesTest, MapsScalarTypes) {
  EXPECT_EQ(TypeOf("true"), (PgType{pgoid::kBool, 1, -1}));
  EXPECT_EQ(TypeOf("1::TINYINT"), (PgType{pgoid::kInt2, 2, -1}));
  EXPECT_EQ(TypeOf("1::UTINYINT"), (PgType{pgoid::kInt2, 2, -1}));
  EXPECT_EQ(TypeOf("1::SMALLINT"), (PgType{pgoid::kInt2, 2, -1}));
  EXPECT_EQ(TypeOf("1::USMALLINT"), (PgType{pgoid::kInt4, 4, -1}));
  EXPECT_EQ(TypeOf("1::INTEGER"), (PgType{pgoid::kInt4, 4, -1}));
  EXPECT_EQ(TypeOf("1::UINTEGER"), (PgType{pgoid::kInt8, 8, -1}));
  EXPECT_EQ(TypeOf("1::BIGINT"), (PgType{pgoid::kInt8, 8, -1}));
  EXPECT_EQ(TypeOf("1::UBIGINT"), (PgType{pgoid::kNumeric, -1, -1}));
  EXPECT_EQ(TypeOf("1::HUGEINT"), (PgType{pgoid::kNumeric, -1, -1}));
  EXPECT_EQ(TypeOf("1::UHUGEINT"), (PgType{pgoid::kNumeric, -1, -1}));
  EXPECT_EQ(TypeOf("1::FLOAT"), (PgType{pgoid::kFloat4, 4, -1}));
  EXPECT_EQ(TypeOf("1::DOUBLE"), (PgType{pgoid::kFloat8, 8, -1}));
  EXPECT_EQ(TypeOf("1::DECIMAL(18,2)"), (PgType{pgoid::kNumeric, -1, ((18 << 16) | 2) + 4}));
  EXPECT_EQ(TypeOf("'a'"), (PgType{pgoid::kText, -1, -1}));
  EXPECT_EQ(TypeOf("'{}'::JSON"), (PgType{pgoid::kJson, -1, -1}));
  EXPECT_EQ(TypeOf("'a'::BLOB"), (PgType{pgoid::kBytea, -1, -1}));
  EXPECT_EQ(TypeOf("DATE '2020-01-01'"), (PgType{pgoid::kDate, 4, -1}));
  EXPECT_EQ(TypeOf("TIME '01:02:03'"), (PgType{pgoid::kTime, 8, -1}));
  EXPECT_EQ(TypeOf("TIMESTAMP '2020-01-01'"), (PgType{pgoid::kTimestamp, 8, -1}));
  EXPECT_EQ(TypeOf("TIMESTAMP_S '2020-01-01'"), (PgType{pgoid::kTimestamp, 8, -1}));
  EXPECT_EQ(TypeOf("TIMESTAMP_MS '2020-01-01'"), (PgType{pgoid::kTimestamp, 8, -1}));
  EXPECT_EQ(TypeOf("TIMESTAMP_NS '2020-01-01'"), (PgType{pgoid::kTimestamp, 8, -1}));
  EXPECT_EQ(TypeOf("TIMESTAMPTZ '2020-01-01 00:00:00+00'"), (PgType{pgoid::kTimestamptz, 8, -1}));
  EXPECT_EQ(TypeOf("INTERVAL 1 DAY"), (PgType{pgoid::kInterval, 16, -1}));
  EXPECT_EQ(TypeOf("uuid()"), (PgType{pgoid::kUuid, 16, -1}));
  EXPECT_EQ(TypeOf("'101'::BIT"), (PgType{pgoid::kText, -1, -1}));
}

TEST_F(PgTypesTest, MapsCompositeTypes) {
  EXPECT_EQ(TypeOf("[1, 2]"), (PgType{pgoid::kInt4Array, -1, -1}));
  EXPECT_EQ(TypeOf("['a']"), (PgType{pgoid::kTextArray, -1, -1}));
  EXPECT_EQ(TypeOf("[1.5::DECIMAL(10,2)]"), (PgType{pgoid::kNumericArray, -1, ((10 << 16) | 2) + 4}));
  EXPECT_EQ(TypeOf("[1::BIGINT]"), (PgType{pgoid::kInt8Array, -1, -1}));
  EXPECT_EQ(TypeOf("[1::DOUBLE]"), (PgType{pgoid::kFloat8Array, -1, -1}));
  EXPECT_EQ(TypeOf("[true]"), (PgType{pgoid::kBoolArray, -1, -1}));
  EXPECT_EQ(TypeOf("[DATE '2020-01-01']"), (PgType{pgoid::kDateArray, -1, -1}));
  EXPECT_EQ(TypeOf("[1, 2]::INTEGER[2]"), (PgType{pgoid::kInt4Array, -1, -1}));
  EXPECT_EQ(TypeOf("[[1]]"), (PgType{pgoid::kText, -1, -1}));
  EXPECT_EQ(TypeOf("[{'a': 1}]"), (PgType{pgoid::kJsonArray, -1, -1}));
  EXPECT_EQ(TypeOf("{'a': 1}"), (PgType{pgoid::kJson, -1, -1}));
  EXPECT_EQ(TypeOf("MAP {'a': 1}"), (PgType{pgoid::kJson, -1, -1}));
  EXPECT_EQ(TypeOf("union_value(n := 1)"), (PgType{pgoid::kJson, -1, -1}));
  EXPECT_EQ(TypeOf("'happy'::mood"), (PgType{pgoid::kText, -1, -1}));
}

TEST_F(PgTypesTest, NamesTypesLikeFormatType) {
  EXPECT_EQ(PgTypeName({pgoid::kInt4, 4, -1}), "integer");
  EXPECT_EQ(PgTypeName({pgoid::kInt2, 2, -1}), "smallint");
  EXPECT_EQ(PgTypeName({pgoid::kInt8, 8, -1}), "bigint");
  EXPECT_EQ(PgTypeName({pgoid::kBool, 1, -1}), "boolean");
  EXPECT_EQ(PgTypeName({pgoid::kFloat4, 4, -1}), "real");
  EXPECT_EQ(PgTypeName({pgoid::kFloat8, 8, -1}), "double precision");
  EXPECT_EQ(PgTypeName({pgoid::kNumeric, -1, -1}), "numeric");
  EXPECT_EQ(PgTypeName({pgoid::kNumeric, -1, ((18 << 16) | 2) + 4}), "numeric(18,2)");
  EXPECT_EQ(PgTypeName({pgoid::kVarchar, -1, -1}), "character varying");
  EXPECT_EQ(PgTypeName({pgoid::kVarchar, -1, 14}), "character varying(10)");
  EXPECT_EQ(PgTypeName({pgoid::kBpchar, -1, 5}), "character(1)");
  EXPECT_EQ(PgTypeName({pgoid::kBpchar, -1, -1}), "bpchar");
  EXPECT_EQ(PgTypeName({pgoid::kChar, 1, -1}), "\"char\"");
  EXPECT_EQ(PgTypeName({pgoid::kTimestamptz, 8, -1}), "timestamp with time zone");
  EXPECT_EQ(PgTypeName({pgoid::kTimestamp, 8, 3}), "timestamp(3) without time zone");
  EXPECT_EQ(PgTypeName({pgoid::kTime, 8, -1}), "time without time zone");
  EXPECT_EQ(PgTypeName({pgoid::kInt4Array, -1, -1}), "integer[]");
  EXPECT_EQ(PgTypeName({pgoid::kNumericArray, -1, ((10 << 16) | 2) + 4}), "numeric(10,2)[]");
  EXPECT_EQ(PgTypeName({pgoid::kTimestamptzArray, -1, -1}), "timestamp with time zone[]");
  EXPECT_EQ(PgTypeName({pgoid::kJson, -1, -1}), "json");
  EXPECT_EQ(PgTypeName({pgoid::kUuid, 16, -1}), "uuid");
  EXPECT_EQ(PgTypeName({pgoid::kTimetz, 12, -1}), "time with time zone");
  EXPECT_EQ(PgTypeName({pgoid::kTimetz, 12, 3}), "time(3) with time zone");
  EXPECT_EQ(PgTypeName({pgoid::kUnknown, -2, -1}), "unknown");
  EXPECT_EQ(PgTypeName({99999, -1, -1}), "???");
  EXPECT_EQ(TypeLength(pgoid::kUnknown), -2);
  EXPECT_EQ(TypeLength(pgoid::kName), 64);
  EXPECT_EQ(ArrayOidOf(pgoid::kInt4), pgoid::kInt4Array);
  EXPECT_EQ(ElementOidOf(pgoid::kTextArray), pgoid::kText);
  EXPECT_EQ(ElementOidOf(pgoid::kText), 0);
}

TEST_F(PgTypesTest, ParameterTypes) {
  EXPECT_EQ(ParameterTypeOid(DUCKDB_TYPE_INVALID), pgoid::kText);
  EXPECT_EQ(ParameterTypeOid(DUCKDB_TYPE_INTEGER), pgoid::kInt4);
  EXPECT_EQ(ParameterTypeOid(DUCKDB_TYPE_BIGINT), pgoid::kInt8);
  EXPECT_EQ(ParameterTypeOid(DUCKDB_TYPE_VARCHAR), pgoid::kText);
  EXPECT_EQ(ParameterTypeOid(DUCKDB_TYPE_DECIMAL), pgoid::kNumeric);
  EXPECT_EQ(ParameterTypeOid(DUCKDB_TYPE_DATE), pgoid::kDate);
  EXPECT_EQ(ParameterTypeOid(DUCKDB_TYPE_TIMESTAMP_TZ), pgoid::kTimestamptz);
  EXPECT_EQ(ParameterTypeOid(DUCKDB_TYPE_BOOLEAN), pgoid::kBool);
  EXPECT_EQ(ParameterTypeOid(DUCKDB_TYPE_LIST), pgoid::kText);
}

// ---- text format ----

TEST_F(PgTypesTest, TextOfBooleansAndIntegers) {
  EXPECT_EQ(Text("true"), "t");
  EXPECT_EQ(Text("false"), "f");
  EXPECT_EQ(Text("NULL::INTEGER"), std::nullopt);
  EXPECT_EQ(Text("(-128)::TINYINT"), "-128");
  EXPECT_EQ(Text("255::UTINYINT"), "255");
  EXPECT_EQ(Text("(-32768)::SMALLINT"), "-32768");
  EXPECT_EQ(Text("(-2147483648)::INTEGER"), "-2147483648");
  EXPECT_EQ(Text("(-9223372036854775808)::BIGINT"), "-9223372036854775808");
  EXPECT_EQ(Text("18446744073709551615::UBIGINT"), "18446744073709551615");
  EXPECT_EQ(Text("(-170141183460469231731687303715884105728)::HUGEINT"), "-170141183460469231731687303715884105728");
  EXPECT_EQ(Text("340282366920938463463374607431768211455::UHUGEINT"), "340282366920938463463374607431768211455");
}

TEST_F(PgTypesTest, TextOfDecimals) {
  EXPECT_EQ(Text("12.30::DECIMAL(18,2)"), "12.30");
  EXPECT_EQ(Text("(-0.05)::DECIMAL(4,2)"), "-0.05");
  EXPECT_EQ(Text("0::DECIMAL(10,3)"), "0.000");
  EXPECT_EQ(Text("7::DECIMAL(3,0)"), "7");
  EXPECT_EQ(Text("123456789.123456789::DECIMAL(38,9)"), "123456789.123456789");
  EXPECT_EQ(Text("(-99999999999999999999999999999.123456789)::DECIMAL(38,9)"),
            "-99999999999999999999999999999.123456789");
  EXPECT_EQ(Text("1.5::DECIMAL(4,1)"), "1.5");
}

TEST_F(PgTypesTest, TextOfFloatsIsShortestRoundTrip) {
  EXPECT_EQ(Text("1.5::DOUBLE"), "1.5");
  EXPECT_EQ(Text("0.1::DOUBLE"), "0.1");
  EXPECT_EQ(Text("0.1::DOUBLE + 0.2::DOUBLE"), "0.30000000000000004");
  EXPECT_EQ(Text("1e15::DOUBLE"), "1e+15");
  EXPECT_EQ(Text("123456789012345::DOUBLE"), "123456789012345");
  EXPECT_EQ(Text("0.0001::DOUBLE"), "0.0001");
  EXPECT_EQ(Text("0.00001::DOUBLE"), "1e-05");
  EXPECT_EQ(Text("1.5e300::DOUBLE"), "1.5e+300");
  EXPECT_EQ(Text("'-0'::DOUBLE"), "-0");
  EXPECT_EQ(Text("100::DOUBLE"), "100");
  EXPECT_EQ(Text("'nan'::DOUBLE"), "NaN");
  EXPECT_EQ(Text("'inf'::DOUBLE"), "Infinity");
  EXPECT_EQ(Text("'-inf'::DOUBLE"), "-Infinity");
  EXPECT_EQ(Text("0.1::FLOAT"), "0.1");
  EXPECT_EQ(Text("123456::FLOAT"), "123456");
  EXPECT_EQ(Text("1234567::FLOAT"), "1.234567e+06");
  EXPECT_EQ(Text("1e6::FLOAT"), "1e+06");
  EXPECT_EQ(Text("3.14159::FLOAT"), "3.14159");
  EXPECT_EQ(Text("'nan'::FLOAT"), "NaN");
  // PostgreSQL's Ryu never picks a decimal exactly halfway to a neighbour, where std::to_chars may: these differ
  // from the plain shortest representation.
  EXPECT_EQ(Text("'2.6475689171718008e16'::DOUBLE"), "2.6475689171718008e+16");
  EXPECT_EQ(Text("'92616784'::FLOAT"), "9.2616784e+07");
  EXPECT_EQ(Text("'5e125'::DOUBLE"), "5e+125");
  EXPECT_EQ(Text("'1e23'::DOUBLE"), "9.999999999999999e+22");
  EXPECT_EQ(Text("'9007199254740993'::DOUBLE"), "9.007199254740992e+15");
  EXPECT_EQ(Text("'16777217'::FLOAT"), "1.6777216e+07");
  EXPECT_EQ(Text("'1.7976931348623157e308'::DOUBLE"), "1.7976931348623157e+308");
  EXPECT_EQ(Text("'5e-324'::DOUBLE"), "5e-324");
  EXPECT_EQ(Text("'3.4028235e38'::FLOAT"), "3.4028235e+38");
}

TEST_F(PgTypesTest, TextOfFloatsWithoutExtraDigits) {
  TextSettings settings;
  settings.extra_float_digits = 0;
  EXPECT_EQ(Text("0.1::DOUBLE + 0.2::DOUBLE", settings), "0.3");
  EXPECT_EQ(Text("3.141592653589793::DOUBLE", settings), "3.14159265358979");
  EXPECT_EQ(Text("0.1::FLOAT", settings), "0.1");
  EXPECT_EQ(Text("1e15::DOUBLE", settings), "1e+15");
  settings.extra_float_digits = -15;
  EXPECT_EQ(Text("3.14159::DOUBLE", settings), "3");
}

TEST_F(PgTypesTest, TextOfStringsAndBlobs) {
  EXPECT_EQ(Text("'héllo wörld'"), "héllo wörld");
  EXPECT_EQ(Text("''"), "");
  EXPECT_EQ(Text("'a much longer string that is not inlined'"), "a much longer string that is not inlined");
  EXPECT_EQ(Text("'\\xDE\\xAD\\x00a'::BLOB"), "\\xdead0061");
  EXPECT_EQ(Text("''::BLOB"), "\\x");
  EXPECT_EQ(Text("'{\"a\": [1, 2]}'::JSON"), "{\"a\": [1, 2]}");
  EXPECT_EQ(Text("'happy'::mood"), "happy");
  EXPECT_EQ(Text("'10110'::BIT"), "10110");
  EXPECT_EQ(Text("'101101011'::BIT"), "101101011");
}

TEST_F(PgTypesTest, TextOfDates) {
  EXPECT_EQ(Text("DATE '2020-02-29'"), "2020-02-29");
  EXPECT_EQ(Text("DATE '1970-01-01'"), "1970-01-01");
  EXPECT_EQ(Text("DATE '0001-01-01'"), "0001-01-01");
  EXPECT_EQ(Text("DATE '0001-12-31 (BC)'"), "0001-12-31 BC");
  EXPECT_EQ(Text("DATE '0044-03-15 (BC)'"), "0044-03-15 BC");
  EXPECT_EQ(Text("DATE '12345-06-07'"), "12345-06-07");
  EXPECT_EQ(Text("'infinity'::DATE"), "infinity");
  EXPECT_EQ(Text("'-infinity'::DATE"), "-infinity");
}

TEST_F(PgTypesTest, TextOfTimes) {
  EXPECT_EQ(Text("TIME '04:05:06'"), "04:05:06");
  EXPECT_EQ(Text("TIME '04:05:06.5'"), "04:05:06.5");
  EXPECT_EQ(Text("TIME '23:59:59.999999'"), "23:59:59.999999");
  EXPECT_EQ(Text("TIME '00:00:00'"), "00:00:00");
  EXPECT_EQ(Text("TIME '24:00:00'"), "24:00:00");
  // TIME_NS columns reach the C API as DUCKDB_TYPE_INVALID in DuckDB 1.4.4, so they cannot be rendered here.
  EXPECT_EQ(TypeOf("TIMETZ '04:05:06+02'"), (PgType{pgoid::kTimetz, 12, -1}));
  EXPECT_EQ(Text("TIMETZ '04:05:06.25+02'"), "04:05:06.25+02");
  EXPECT_EQ(Text("TIMETZ '04:05:06-05:30'"), "04:05:06-05:30");
}

TEST_F(PgTypesTest, TextOfTimestamps) {
  EXPECT_EQ(Text("TIMESTAMP '2020-01-02 03:04:05'"), "2020-01-02 03:04:05");
  EXPECT_EQ(Text("TIMESTAMP '2020-01-02 03:04:05.120'"), "2020-01-02 03:04:05.12");
  EXPECT_EQ(Text("TIMESTAMP '1969-12-31 23:59:59.999999'"), "1969-12-31 23:59:59.999999");
  EXPECT_EQ(Text("make_timestamp(-43, 3, 15, 12, 0, 0)"), "0044-03-15 12:00:00 BC");
  EXPECT_EQ(Text("TIMESTAMP_S '2020-01-02 03:04:05'"), "2020-01-02 03:04:05");
  EXPECT_EQ(Text("TIMESTAMP_MS '2020-01-02 03:04:05.678'"), "2020-01-02 03:04:05.678");
  EXPECT_EQ(Text("TIMESTAMP_NS '2020-01-02 03:04:05.123456789'"), "2020-01-02 03:04:05.123456");
  EXPECT_EQ(Text("TIMESTAMP_NS '1969-12-31 23:59:59.999999999'"), "1969-12-31 23:59:59.999999");
  EXPECT_EQ(Text("'infinity'::TIMESTAMP"), "infinity");
  EXPECT_EQ(Text("'-infinity'::TIMESTAMP"), "-infinity");
}

TEST_F(PgTypesTest, TextOfTimestampsWithTimeZone) {
  EXPECT_EQ(Text("TIMESTAMPTZ '2020-01-02 03:04:05.5+00'"), "2020-01-02 03:04:05.5+00");
  EXPECT_EQ(Text("TIMESTAMPTZ '2020-01-02 03:04:05+02'"), "2020-01-02 01:04:05+00");
  TextSettings berlin;
  berlin.time_zone = "Europe/Berlin";
  EXPECT_EQ(Text("TIMESTAMPTZ '2020-01-02 03:04:05+00'", berlin), "2020-01-02 04:04:05+01");
  EXPECT_EQ(Text("TIMESTAMPTZ '2020-07-02 03:04:05+00'", berlin), "2020-07-02 05:04:05+02");
  // Before standard time: local mean time, whose offset has seconds.
  EXPECT_EQ(Text("TIMESTAMPTZ '1850-01-01 00:00:00+00'", berlin), "1850-01-01 00:53:28+00:53:28");
  EXPECT_EQ(Text("make_timestamp(-43, 3, 15, 12, 0, 0)::TIMESTAMPTZ", berlin), "0044-03-15 12:53:28+00:53:28 BC");
  TextSettings kolkata;
  kolkata.time_zone = "Asia/Kolkata";
  EXPECT_EQ(Text("TIMESTAMPTZ '2020-01-02 03:04:05+00'", kolkata), "2020-01-02 08:34:05+05:30");
  TextSettings new_york;
  new_york.time_zone = "America/New_York";
  EXPECT_EQ(Text("TIMESTAMPTZ '2020-01-02 03:04:05+00'", new_york), "2020-01-01 22:04:05-05");
  TextSettings utc;
  utc.time_zone = "utc";
  EXPECT_EQ(Text("TIMESTAMPTZ '2020-01-02 03:04:05+00'", utc), "2020-01-02 03:04:05+00");
  EXPECT_EQ(Text("'infinity'::TIMESTAMPTZ", berlin), "infinity");
  EXPECT_EQ(Text("make_timestamp(-43, 3, 15, 12, 0, 0)::TIMESTAMPTZ"), "0044-03-15 12:00:00+00 BC");
  TextSettings zone;
  for (auto [name, expected] : std::vector<std::pair<const char*, const char*>>{
           {"GMT-02:00", "2020-01-02 05:04:05+02"}, {"UTC+3", "2020-01-02 00:04:05-03"},
           {"+02", "2020-01-02 05:04:05+02"}, {"europe/berlin", "2020-01-02 04:04:05+01"},
           {"EST5EDT", "2020-01-01 22:04:05-05"}, {"EST", "2020-01-01 22:04:05-05"},
           {"-05:30", "2020-01-02 08:34:05+05:30"}, {"GMT+5:30", "2020-01-01 21:34:05-05:30"},
           {"Etc/GMT-3", "2020-01-02 06:04:05+03"}, {"xyz+2", "2020-01-02 01:04:05-02"},
           {"<+0330>-03:30", "2020-01-02 06:34:05+03:30"}, {"5.5", "2020-01-02 08:34:05+05:30"},
           {"ab+2", "2020-01-02 01:04:05-02"}}) {
    zone.time_zone = name;
    EXPECT_EQ(Text("TIMESTAMPTZ '2020-01-02 03:04:05+00'", zone), expected) << name;
    EXPECT_TRUE(IsKnownTimeZone(name)) << name;
  }
  EXPECT_EQ(CanonicalTimeZoneName("europe/berlin"), "Europe/Berlin");
  EXPECT_EQ(CanonicalTimeZoneName("America/New_York"), "America/New_York");
  EXPECT_EQ(CanonicalTimeZoneName("Nowhere/Special"), "");
  EXPECT_FALSE(IsKnownTimeZone("ab"));
  EXPECT_FALSE(IsKnownTimeZone("abc"));
  EXPECT_FALSE(IsKnownTimeZone("PST8PDT,M3.2.0,M11.1.0x"));
  EXPECT_TRUE(IsKnownTimeZone("Europe/Berlin"));
  EXPECT_TRUE(IsKnownTimeZone("UTC"));
  EXPECT_FALSE(IsKnownTimeZone("Mars/Olympus_Mons"));
}

TEST_F(PgTypesTest, TextOfIntervalsInPostgresStyle) {
  EXPECT_EQ(Text("INTERVAL '1 year 2 months 3 days 04:05:06.5'"), "1 year 2 mons 3 days 04:05:06.5");
  EXPECT_EQ(Text("INTERVAL '-1 day'"), "-1 days");
  EXPECT_EQ(Text("INTERVAL '0 seconds'"), "00:00:00");
  EXPECT_EQ(Text("INTERVAL '1 day'"), "1 day");
  EXPECT_EQ(Text("INTERVAL '2 years'"), "2 years");
  EXPECT_EQ(Text("INTERVAL '1 month'"), "1 mon");
  EXPECT_EQ(Text("INTERVAL '-1 day' + INTERVAL '2 hours'"), "-1 days +02:00:00");
  EXPECT_EQ(Text("INTERVAL '1 day' - INTERVAL '2 hours'"), "1 day -02:00:00");
  EXPECT_EQ(Text("INTERVAL '-14 months'"), "-1 years -2 mons");
  EXPECT_EQ(Text("INTERVAL '100 hours'"), "100:00:00");
  EXPECT_EQ(Text("INTERVAL '-0.5 seconds'"), "-00:00:00.5");
  EXPECT_EQ(Text("INTERVAL '1 month' - INTERVAL '1 day'"), "1 mon -1 days");
}

TEST_F(PgTypesTest, TextOfUuids) {
  EXPECT_EQ(Text("'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::UUID"), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  EXPECT_EQ(Text("'00000000-0000-0000-0000-000000000001'::UUID"), "00000000-0000-0000-0000-000000000001");
  EXPECT_EQ(Text("'ffffffff-ffff-ffff-ffff-ffffffffffff'::UUID"), "ffffffff-ffff-ffff-ffff-ffffffffffff");
}

TEST_F(PgTypesTest, TextOfArrays) {
  EXPECT_EQ(Text("[1, 2, NULL]"), "{1,2,NULL}");
  EXPECT_EQ(Text("[]::INTEGER[]"), "{}");
  EXPECT_EQ(Text("['a', 'b c', '', 'NULL', 'null', 'x,y', 'q\"', 'back\\slash', '{']"),
            "{a,\"b c\",\"\",\"NULL\",\"null\",\"x,y\",\"q\\\"\",\"back\\\\slash\",\"{\"}");
  EXPECT_EQ(Text("[NULL::VARCHAR]"), "{NULL}");
  EXPECT_EQ(Text("[true, false]"), "{t,f}");
  EXPECT_EQ(Text("[1.5::DOUBLE, 'nan'::DOUBLE]"), "{1.5,NaN}");
  EXPECT_EQ(Text("[TIMESTAMP '2020-01-01 00:00:00']"), "{\"2020-01-01 00:00:00\"}");
  EXPECT_EQ(Text("[DATE '2020-01-01']"), "{2020-01-01}");
  EXPECT_EQ(Text("['\\x01'::BLOB]"), "{\"\\\\x01\"}");
  EXPECT_EQ(Text("[[1, 2], [3]]"), "{{1,2},{3}}");
  EXPECT_EQ(Text("[1, 2, 3]::INTEGER[3]"), "{1,2,3}");
  EXPECT_EQ(Text("[{'a': 1}]"), "{\"{\\\"a\\\":1}\"}");
  // A list column whose rows sit at different offsets of the child vector.
  auto rows = EncodeRow("SELECT l FROM (VALUES ([1, 2]), ([3])) t(l) ORDER BY len(l) LIMIT 1");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], "{3}");
}

TEST_F(PgTypesTest, TextOfStructsMapsAndUnionsIsJson) {
  EXPECT_EQ(Text("{'a': 1, 'b': 'x', 'c': NULL, 'd': [1.5, 2], 'e': true}"),
            "{\"a\":1,\"b\":\"x\",\"c\":null,\"d\":[1.5,2.0],\"e\":true}");
  EXPECT_EQ(Text("{'s': 'quote\" and \\ and \n'}"), "{\"s\":\"quote\\\" and \\\\ and \\n\"}");
  EXPECT_EQ(Text("{'t': TIMESTAMP '2020-01-02 03:04:05', 'd': DATE '2020-01-02', 'f': 'nan'::DOUBLE}"),
            "{\"t\":\"2020-01-02T03:04:05\",\"d\":\"2020-01-02\",\"f\":\"NaN\"}");
  EXPECT_EQ(Text("{'j': '[1,2]'::JSON, 'n': {'x': 1}}"), "{\"j\":[1,2],\"n\":{\"x\":1}}");
  EXPECT_EQ(Text("{'tz': TIMESTAMPTZ '2020-01-02 03:04:05+00', 'i': 'infinity'::TIMESTAMP, 'b': '\\x01'::BLOB}"),
            "{\"tz\":\"2020-01-02T03:04:05+00:00\",\"i\":\"infinity\",\"b\":\"\\\\x01\"}");
  EXPECT_EQ(Text("{'u': 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::UUID, 'c': chr(1), 'h': 12345678901234567890::HUGEINT}"),
            "{\"u\":\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\",\"c\":\"\\u0001\",\"h\":12345678901234567890}");
  EXPECT_EQ(Text("MAP {'k': 1, 'l': 2}"), "{\"k\":1,\"l\":2}");
  EXPECT_EQ(Text("MAP {1: 'a'}"), "{\"1\":\"a\"}");
  EXPECT_EQ(Text("union_value(n := 7)::UNION(n INTEGER, s VARCHAR)"), "7");
  EXPECT_EQ(Text("'x'::UNION(n INTEGER, s VARCHAR)"), "\"x\"");
}

TEST_F(PgTypesTest, TextOfBignum) {
  EXPECT_EQ(Text("'123456789012345678901234567890123456789012345'::BIGNUM"),
            "123456789012345678901234567890123456789012345");
  EXPECT_EQ(Text("'-98765432109876543210'::BIGNUM"), "-98765432109876543210");
  EXPECT_EQ(Text("0::BIGNUM"), "0");
  EXPECT_EQ(Text("(-1)::BIGNUM"), "-1");
  EXPECT_EQ(Text("256::BIGNUM"), "256");
}

TEST_F(PgTypesTest, AppendWritesLengthPrefixedFields) {
  duckdb_result result;
  ASSERT_EQ(duckdb_query(connection_->raw(), "SELECT * FROM (VALUES ('ab'), (NULL)) t(s)", &result),
            DuckDBSuccess);
  duckdb_data_chunk chunk = duckdb_fetch_chunk(result);
  duckdb_logical_type type = duckdb_column_logical_type(&result, 0);
  ColumnEncoder encoder(type, false, TextSettings{});
  duckdb_destroy_logical_type(&type);
  std::string out;
  encoder.Append(duckdb_data_chunk_get_vector(chunk, 0), 0, &out);
  encoder.Append(duckdb_data_chunk_get_vector(chunk, 0), 1, &out);
  EXPECT_EQ(out, std::string("\0\0\0\2ab\xff\xff\xff\xff", 10));
  duckdb_destroy_data_chunk(&chunk);
  duckdb_destroy_result(&result);
}

// Streaming results (what the session reads) hand out flattened vectors too: constants and dictionaries included.
TEST_F(PgTypesTest, EncodesEveryRowOfStreamingResults) {
  duckdb_prepared_statement statement;
  ASSERT_EQ(duckdb_prepare(connection_->raw(),
                           "SELECT 'constant' AS c, [1, 2] AS l, i, CASE WHEN i % 2 = 0 THEN 'even' ELSE NULL END AS e, "
                           "{'k': i} AS s FROM range(5000) t(i)",
                           &statement),
            DuckDBSuccess);
  duckdb_pending_result pending;
  ASSERT_EQ(duckdb_pending_prepared_streaming(statement, &pending), DuckDBSuccess);
  duckdb_result result;
  ASSERT_EQ(duckdb_execute_pending(pending, &result), DuckDBSuccess);
  std::vector<ColumnEncoder> encoders;
  for (idx_t column = 0; column < duckdb_column_count(&result); ++column) {
    duckdb_logical_type type = duckdb_column_logical_type(&result, column);
    encoders.emplace_back(type, false, TextSettings{});
    duckdb_destroy_logical_type(&type);
  }
  int64_t row_number = 0;
  while (duckdb_data_chunk chunk = duckdb_fetch_chunk(result)) {
    for (idx_t row = 0; row < duckdb_data_chunk_get_size(chunk); ++row, ++row_number) {
      std::string out;
      for (idx_t column = 0; column < encoders.size(); ++column)
        encoders[column].Append(duckdb_data_chunk_get_vector(chunk, column), row, &out);
      auto field = [](const std::string& bytes) {
        return std::string("\0\0\0", 3) + static_cast<char>(bytes.size()) + bytes;
      };
      std::string number = std::to_string(row_number);
      std::string expected = field("constant") + field("{1,2}") + field(number) +
                             (row_number % 2 == 0 ? field("even") : std::string(4, '\xff')) +
                             field("{\"k\":" + number + "}");
      ASSERT_EQ(out, expected) << row_number;
    }
    duckdb_destroy_data_chunk(&chunk);
  }
  EXPECT_EQ(row_number, 5000);
  duckdb_destroy_result(&result);
  duckdb_destroy_pending(&pending);
  duckdb_destroy_prepare(&statement);
}

// ---- binary format ----

TEST_F(PgTypesTest, BinaryOfFixedWidthTypes) {
  EXPECT_EQ(Binary("true"), "01");
  EXPECT_EQ(Binary("false"), "00");
  EXPECT_EQ(Binary("NULL::INTEGER"), "NULL");
  EXPECT_EQ(Binary("(-2)::SMALLINT"), "fffe");
  EXPECT_EQ(Binary("200::UTINYINT"), "00c8");
  EXPECT_EQ(Binary("258::INTEGER"), "00000102");
  EXPECT_EQ(Binary("65535::USMALLINT"), "0000ffff");
  EXPECT_EQ(Binary("(-1)::BIGINT"), "ffffffffffffffff");
  EXPECT_EQ(Binary("4294967295::UINTEGER"), "00000000ffffffff");
  EXPECT_EQ(Binary("1.5::FLOAT"), "3fc00000");
  EXPECT_EQ(Binary("1.5::DOUBLE"), "3ff8000000000000");
  EXPECT_EQ(Binary("'ab'"), "6162");
  EXPECT_EQ(Binary("'\\x00\\xff'::BLOB"), "00ff");
  EXPECT_EQ(Binary("'{\"a\":1}'::JSON"), "7b2261223a317d");
}

TEST_F(PgTypesTest, BinaryOfNumerics) {
  // ndigits, weight, sign, dscale, digits: as numeric_send writes '12.30', '-0.0001', '10000', '0.00'.
  EXPECT_EQ(Binary("12.30::DECIMAL(18,2)"), "0002000000000002000c0bb8");
  EXPECT_EQ(Binary("(-0.0001)::DECIMAL(8,4)"), "0001ffff400000040001");
  EXPECT_EQ(Binary("10000::DECIMAL(10,0)"), "00010001000000000001");
  EXPECT_EQ(Binary("0::DECIMAL(10,2)"), "0000000000000002");
  EXPECT_EQ(Binary("1.5::DECIMAL(4,1)"), "000200000000000100011388");  // digits 1, 5000
  EXPECT_EQ(Binary("123456789::DECIMAL(38,0)"), "0003000200000000000109291a85");  // 1 2345 6789
  EXPECT_EQ(Binary("18446744073709551615::UBIGINT"), "000500040000000007341a5802e103bb064f");
  EXPECT_EQ(Binary("340282366920938463463374607431768211455::UHUGEINT"),
            "000a00090000000001540b071a2403aa121a18c111ff10dd1aa505af");
  EXPECT_EQ(Binary("'-98765432109876543210'::BIGNUM"), "000500044000000026941538044a1de60c8a");
}

TEST_F(PgTypesTest, BinaryOfDatesAndTimes) {
  EXPECT_EQ(Binary("DATE '2000-01-01'"), "00000000");
  EXPECT_EQ(Binary("DATE '1999-12-31'"), "ffffffff");
  EXPECT_EQ(Binary("DATE '2020-01-01'"), "00001c89");  // 7305 days
  EXPECT_EQ(Binary("'infinity'::DATE"), "7fffffff");
  EXPECT_EQ(Binary("'-infinity'::DATE"), "80000000");
  EXPECT_EQ(Binary("TIME '00:00:01.5'"), "000000000016e360");
  EXPECT_EQ(Binary("TIMESTAMP '2000-01-01 00:00:01'"), "00000000000f4240");
  EXPECT_EQ(Binary("TIMESTAMP_S '2000-01-01 00:00:01'"), "00000000000f4240");
  EXPECT_EQ(Binary("TIMESTAMP_MS '2000-01-01 00:00:01'"), "00000000000f4240");
  EXPECT_EQ(Binary("TIMESTAMP_NS '2000-01-01 00:00:01'"), "00000000000f4240");
  EXPECT_EQ(Binary("TIMESTAMP '1970-01-01 00:00:00'"), "fffca2fec4c82000");
  EXPECT_EQ(Binary("TIMESTAMPTZ '2000-01-01 01:00:01+01'"), "00000000000f4240");
  EXPECT_EQ(Binary("'infinity'::TIMESTAMP"), "7fffffffffffffff");
  EXPECT_EQ(Binary("'-infinity'::TIMESTAMP"), "8000000000000000");
  EXPECT_EQ(Binary("INTERVAL '1 year 2 months 3 days 00:00:01'"), "00000000000f4240000000030000000e");
  EXPECT_EQ(Binary("TIMETZ '00:00:01+02'"), "00000000000f4240ffffe3e0");
}

TEST_F(PgTypesTest, BinaryOfUuids) {
  EXPECT_EQ(Binary("'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::UUID"), "a0eebc999c0b4ef8bb6d6bb9bd380a11");
  EXPECT_EQ(Binary("'00000000-0000-0000-0000-000000000001'::UUID"), "00000000000000000000000000000001");
}

TEST_F(PgTypesTest, BinaryOfArrays) {
  // ndim 1, no nulls, int4, length 2, lbound 1, then (4, 1), (4, 2).
  EXPECT_EQ(Binary("[1, 2]"), "000000010000000000000017000000020000000100000004000000010000000400000002");
  EXPECT_EQ(Binary("[1, NULL]"), "00000001000000010000001700000002000000010000000400000001ffffffff");
  EXPECT_EQ(Binary("[]::INTEGER[]"), "000000000000000000000017");
  EXPECT_EQ(Binary("['ab']"), "0000000100000000000000190000000100000001000000026162");
  EXPECT_EQ(Binary("[1, 2]::INTEGER[2]"), "000000010000000000000017000000020000000100000004000000010000000400000002");
  // Nested lists are text.
  EXPECT_EQ(Binary("[[1], [2]]"), "7b7b317d2c7b327d7d");
}

TEST_F(PgTypesTest, BinarySupport) {
  EXPECT_TRUE(ColumnEncoder::SupportsBinary({pgoid::kInt4, 4, -1}));
  EXPECT_TRUE(ColumnEncoder::SupportsBinary({pgoid::kNumericArray, -1, -1}));
  EXPECT_TRUE(ColumnEncoder::SupportsBinary({pgoid::kJson, -1, -1}));
  EXPECT_FALSE(ColumnEncoder::SupportsBinary({pgoid::kRegclass, 4, -1}));
  EXPECT_FALSE(ColumnEncoder::SupportsBinary({pgoid::kJsonb, -1, -1}));
}

// ---- parameters ----

TEST_F(PgTypesTest, DecodesNullAndTextParameters) {
  EXPECT_EQ(DecodeParameter(1, pgoid::kInt4, false, std::nullopt), nullptr);
  EXPECT_EQ(DecodeText(0, "hello", "VARCHAR"), "hello");
  EXPECT_EQ(DecodeText(0, "42", "INTEGER"), "42");
  EXPECT_EQ(DecodeText(pgoid::kText, "héllo", "VARCHAR"), "héllo");
  EXPECT_EQ(DecodeText(pgoid::kInt4, " -42 ", "INTEGER"), "-42");
  EXPECT_EQ(DecodeText(pgoid::kInt2, "+7", "SMALLINT"), "7");
  EXPECT_EQ(DecodeText(pgoid::kInt8, "-9223372036854775808", "BIGINT"), "-9223372036854775808");
  EXPECT_EQ(DecodeText(pgoid::kFloat8, "1.5", "DOUBLE"), "1.5");
  EXPECT_EQ(DecodeText(pgoid::kFloat8, "-Infinity", "DOUBLE"), "-inf");
  EXPECT_EQ(DecodeText(pgoid::kFloat4, "NaN", "FLOAT"), "nan");
  EXPECT_EQ(DecodeText(pgoid::kNumeric, "12.30", "DECIMAL(18,2)"), "12.30");
  EXPECT_EQ(DecodeText(pgoid::kDate, "2020-01-02", "DATE"), "2020-01-02");
  EXPECT_EQ(DecodeText(pgoid::kTimestamp, "2020-01-02 03:04:05", "TIMESTAMP"), "2020-01-02 03:04:05");
  EXPECT_EQ(DecodeText(pgoid::kUuid, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "UUID"),
            "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
}

TEST_F(PgTypesTest, DecodesBooleansLikeBoolin) {
  for (const char* yes : {"t", "TRUE", "tr", "y", "yes", "on", "1", " true "})
    EXPECT_EQ(DecodeText(pgoid::kBool, yes, "BOOLEAN"), "true") << yes;
  for (const char* no : {"f", "false", "n", "no", "off", "of", "0"})
    EXPECT_EQ(DecodeText(pgoid::kBool, no, "BOOLEAN"), "false") << no;
  EXPECT_EQ(DecodeError(pgoid::kBool, false, "o"), sqlstate::kInvalidTextRepresentation);
  EXPECT_EQ(DecodeError(pgoid::kBool, false, "maybe"), sqlstate::kInvalidTextRepresentation);
}

TEST_F(PgTypesTest, DecodesTextByteaAndArrays) {
  EXPECT_EQ(DecodeText(pgoid::kBytea, "\\xdead00", "BLOB"), "\\xDE\\xAD\\x00");
  EXPECT_EQ(DecodeText(pgoid::kBytea, "a\\\\b\\001", "BLOB"), "a\\x5Cb\\x01");
  EXPECT_EQ(DecodeError(pgoid::kBytea, false, "\\xabc"), sqlstate::kInvalidParameterValue);
  EXPECT_EQ(DecodeError(pgoid::kBytea, false, "\\xzz"), sqlstate::kInvalidParameterValue);
  EXPECT_EQ(DecodeError(pgoid::kBytea, false, "a\\9"), sqlstate::kInvalidTextRepresentation);
  EXPECT_EQ(DecodeText(pgoid::kInt4Array, "{1,2,NULL}", "INTEGER[]"), "[1, 2, NULL]");
  EXPECT_EQ(DecodeText(pgoid::kTextArray, "{a,\"b c\",\"\",\"NULL\",\"q\\\"\"}", "VARCHAR[]"),
            "[a, b c, '', 'NULL', 'q\"']");
  EXPECT_EQ(DecodeText(pgoid::kTextArray, "{}", "VARCHAR[]"), "[]");
  EXPECT_EQ(DecodeText(pgoid::kBoolArray, "{t,f,NULL}", "BOOLEAN[]"), "[true, false, NULL]");
  EXPECT_EQ(DecodeText(pgoid::kByteaArray, "{\"\\\\x01\"}", "BLOB[]"), "[\\x01]");
  EXPECT_EQ(DecodeText(pgoid::kDateArray, "{2020-01-02}", "DATE[]"), "[2020-01-02]");
  EXPECT_EQ(DecodeError(pgoid::kInt4Array, false, "{1,x}"), sqlstate::kInvalidTextRepresentation);
  EXPECT_EQ(DecodeError(pgoid::kInt4Array, false, "{1,2"), sqlstate::kInvalidTextRepresentation);
  EXPECT_EQ(DecodeError(pgoid::kInt4Array, false, "{{1},{2}}"), sqlstate::kInvalidTextRepresentation);
}

TEST_F(PgTypesTest, RejectsMalformedTextParameters) {
  EXPECT_EQ(DecodeError(pgoid::kInt4, false, "abc"), sqlstate::kInvalidTextRepresentation);
  EXPECT_EQ(DecodeError(pgoid::kInt4, false, ""), sqlstate::kInvalidTextRepresentation);
  EXPECT_EQ(DecodeError(pgoid::kInt4, false, "1.5"), sqlstate::kInvalidTextRepresentation);
  EXPECT_EQ(DecodeError(pgoid::kInt2, false, "32768"), sqlstate::kNumericOutOfRange);
  EXPECT_EQ(DecodeError(pgoid::kInt4, false, "2147483648"), sqlstate::kNumericOutOfRange);
  EXPECT_EQ(DecodeError(pgoid::kInt8, false, "99999999999999999999"), sqlstate::kNumericOutOfRange);
  EXPECT_EQ(DecodeError(pgoid::kFloat8, false, "1.5x"), sqlstate::kInvalidTextRepresentation);
  EXPECT_EQ(DecodeError(pgoid::kFloat8, false, "1e400"), sqlstate::kNumericOutOfRange);
  EXPECT_EQ(DecodeError(pgoid::kText, false, "bad \xff utf8"), "22021");
  EXPECT_EQ(DecodeError(pgoid::kText, false, std::string_view("nul\0", 4)), "22021");
  EXPECT_EQ(DecodeError(pgoid::kInt4, false, "12"), "");
  try {
    duckdb_value value = DecodeParameter(2, pgoid::kInt4, false, "x\xff");
    duckdb_destroy_value(&value);
    ADD_FAILURE() << "accepted";
  } catch (const PgError& error) {
    EXPECT_EQ(error.message(), "invalid input syntax for type integer: \"x?\" (parameter $2)");
  }
}

TEST_F(PgTypesTest, DecodesBinaryParameters) {
  EXPECT_EQ(DecodeBinary(pgoid::kBool, "01", "BOOLEAN"), "true");
  EXPECT_EQ(DecodeBinary(pgoid::kInt2, "fffe", "SMALLINT"), "-2");
  EXPECT_EQ(DecodeBinary(pgoid::kInt4, "00000102", "INTEGER"), "258");
  EXPECT_EQ(DecodeBinary(pgoid::kInt8, "ffffffffffffffff", "BIGINT"), "-1");
  EXPECT_EQ(DecodeBinary(pgoid::kFloat4, "3fc00000", "FLOAT"), "1.5");
  EXPECT_EQ(DecodeBinary(pgoid::kFloat8, "3ff8000000000000", "DOUBLE"), "1.5");
  EXPECT_EQ(DecodeBinary(pgoid::kText, "6162", "VARCHAR"), "ab");
  EXPECT_EQ(DecodeBinary(pgoid::kJsonb, "017b7d", "VARCHAR"), "{}");
  EXPECT_EQ(DecodeBinary(pgoid::kBytea, "00ff", "BLOB"), "\\x00\\xFF");
  EXPECT_EQ(DecodeBinary(pgoid::kDate, "00001c89", "DATE"), "2020-01-01");
  EXPECT_EQ(DecodeBinary(pgoid::kDate, "7fffffff", "DATE"), "infinity");
  EXPECT_EQ(DecodeBinary(pgoid::kTime, "000000000016e360", "TIME"), "00:00:01.5");
  EXPECT_EQ(DecodeBinary(pgoid::kTimestamp, "00000000000f4240", "TIMESTAMP"), "2000-01-01 00:00:01");
  EXPECT_EQ(DecodeBinary(pgoid::kTimestamptz, "00000000000f4240", "TIMESTAMPTZ"), "2000-01-01 00:00:01+00");
  EXPECT_EQ(DecodeBinary(pgoid::kTimestamp, "8000000000000000", "TIMESTAMP"), "-infinity");
  EXPECT_EQ(DecodeBinary(pgoid::kInterval, "00000000000f4240000000030000000e", "INTERVAL"),
            "1 year 2 months 3 days 00:00:01");
  EXPECT_EQ(DecodeBinary(pgoid::kTimetz, "00000000000f4240ffffe3e0", "TIMETZ"), "00:00:01+02");
  EXPECT_EQ(DecodeBinary(pgoid::kUuid, "a0eebc999c0b4ef8bb6d6bb9bd380a11", "UUID"),
            "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  EXPECT_EQ(DecodeBinary(pgoid::kInt4Array,
                         "00000001000000010000001700000002000000010000000400000001ffffffff", "INTEGER[]"),
            "[1, NULL]");
  EXPECT_EQ(DecodeBinary(pgoid::kTextArray, "0000000100000000000000190000000100000001000000026162", "VARCHAR[]"),
            "[ab]");
  EXPECT_EQ(DecodeBinary(pgoid::kInt4Array, "000000000000000000000017", "INTEGER[]"), "[]");
}

TEST_F(PgTypesTest, DecodesBinaryNumerics) {
  EXPECT_EQ(DecodeBinary(pgoid::kNumeric, "0002000000000002000c0bb8", "VARCHAR"), "12.30");
  EXPECT_EQ(DecodeBinary(pgoid::kNumeric, "0001ffff400000040001", "VARCHAR"), "-0.0001");
  EXPECT_EQ(DecodeBinary(pgoid::kNumeric, "00010001000000000001", "VARCHAR"), "10000");
  EXPECT_EQ(DecodeBinary(pgoid::kNumeric, "0000000000000002", "VARCHAR"), "0.00");
  EXPECT_EQ(DecodeBinary(pgoid::kNumeric, "0003000200000000000109291a85", "VARCHAR"), "123456789");
  EXPECT_EQ(DecodeBinary(pgoid::kNumeric, "00000000c0000000", "VARCHAR"), "NaN");
  EXPECT_EQ(DecodeBinary(pgoid::kNumeric, "0002000000000002000c0bb8", "DECIMAL(18,2)"), "12.30");
  EXPECT_EQ(DecodeError(pgoid::kNumeric, true, Unhex("0001000000000000270f0000")), sqlstate::kInvalidBinaryRepresentation);
  EXPECT_EQ(DecodeError(pgoid::kNumeric, true, Unhex("00010000000000002710")), sqlstate::kInvalidBinaryRepresentation);
}

TEST_F(PgTypesTest, RejectsMalformedBinaryParameters) {
  EXPECT_EQ(DecodeError(pgoid::kInt4, true, Unhex("000001")), sqlstate::kProtocolViolation);
  EXPECT_EQ(DecodeError(pgoid::kInt4, true, Unhex("0000000001")), sqlstate::kInvalidBinaryRepresentation);
  EXPECT_EQ(DecodeError(pgoid::kInt8, true, Unhex("00000001")), sqlstate::kProtocolViolation);
  EXPECT_EQ(DecodeError(pgoid::kUuid, true, Unhex("00")), sqlstate::kProtocolViolation);
  EXPECT_EQ(DecodeError(pgoid::kJsonb, true, Unhex("027b7d")), sqlstate::kInvalidBinaryRepresentation);
  EXPECT_EQ(DecodeError(pgoid::kText, true, Unhex("ff")), "22021");
  EXPECT_EQ(DecodeError(pgoid::kRegclass, true, Unhex("00000001")), sqlstate::kFeatureNotSupported);
  EXPECT_EQ(DecodeError(pgoid::kInt4Array, true, Unhex("00000001000000000000001700000005")),
            sqlstate::kProtocolViolation);
}

// Every type survives encode → decode in binary, as a client that echoes values back would do.
TEST_F(PgTypesTest, BinaryRoundTrips) {
  struct Case {
    const char* expression;
    int32_t oid;
    const char* cast;
  };
  const Case cases[] = {
      {"(-12345)::INTEGER", pgoid::kInt4, "INTEGER"},
      {"123456789.000123::DECIMAL(18,6)", pgoid::kNumeric, "DECIMAL(18,6)"},
      {"(-0.5)::DECIMAL(18,6)", pgoid::kNumeric, "DECIMAL(18,6)"},
      {"TIMESTAMP '1900-03-04 05:06:07.891'", pgoid::kTimestamp, "TIMESTAMP"},
      {"DATE '1900-03-04'", pgoid::kDate, "DATE"},
      {"INTERVAL '-1 month 2 days -00:00:03'", pgoid::kInterval, "INTERVAL"},
      {"'01234567-89ab-cdef-0123-456789abcdef'::UUID", pgoid::kUuid, "UUID"},
      {"0.1::DOUBLE", pgoid::kFloat8, "DOUBLE"},
  };
  for (const Case& c : cases) {
    auto row = EncodeRow(std::string("SELECT ") + c.expression, true);
    ASSERT_EQ(row.size(), 1u);
    ASSERT_TRUE(row[0].has_value());
    std::string expected = EncodeRow(std::string("SELECT (") + c.expression + ")::VARCHAR")[0].value_or("");
    EXPECT_EQ(RoundTrip(DecodeParameter(1, c.oid, true, *row[0]), c.cast), expected) << c.expression;
  }
}

}  // namespace
}  // namespace cdmlake::server
