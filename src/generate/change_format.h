// Text formats shared by the change-data generators (changes.h, synapse_link.h): raw CSV records, timestamps as
// D365 and Synapse Link write them, LSNs and GUIDs. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cdmlake::generate {

// Splits CSV text into records of raw fields: a field keeps its quotes and doubled quotes exactly as written, so
// a record can be written back byte for byte. Records end at a line feed outside quotes (a preceding CR is
// dropped).
std::vector<std::vector<std::string>> SplitRawCsv(std::string_view text);

// s as a quoted CSV field ("a ""b"", c").
std::string QuoteCsv(std::string_view s);

// Unix seconds as "2024-06-15T10:00:00.0000000Z" (quoted, as F&O writes datetimes).
std::string IsoDateTime(int64_t unix_seconds);
// Unix seconds as ISO 8601 with an offset, "2024-06-15T10:00:00.0000000+00:00" (Synapse Link's createdon).
std::string IsoDateTimeOffset(int64_t unix_seconds);
// Unix seconds as US-culture text, "6/15/2024 10:00:00 AM" (Synapse Link's SinkCreatedOn, SinkModifiedOn).
std::string UsDateTime(int64_t unix_seconds);
// Unix seconds of a UTC civil time.
int64_t UnixSeconds(int year, int month, int day, int hour = 0, int minute = 0, int second = 0);

// "0X" and `digits` upper-case hex digits of value (lower-case digits and "0x" when lower).
std::string HexText(uint64_t value, int digits, bool lower = false);

// A version-4-shaped GUID from 128 random bits, lower case with dashes.
std::string GuidText(uint64_t high, uint64_t low);

// A plain decimal of units / 100: "12.5", "-3", "1234.56" (no trailing fractional zeros), as the export writes.
std::string DecimalText(int64_t cents);

}  // namespace cdmlake::generate
