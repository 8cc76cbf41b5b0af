// The session's TimeZone setting as PostgreSQL reads it: IANA names (case-insensitive, through ICU's copy of the
// tz database), numbers of hours east ("+02", "-8", "5.5"), and POSIX forms ("UTC+3", "GMT-02:00", "<+02>-02",
// "-05:30") whose offsets count hours *west* of Greenwich.
#include <unicode/basictz.h>
#include <unicode/strenum.h>
#include <unicode/timezone.h>
#include <unicode/tztrans.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <mutex>

#include "server/pg_format_internal.h"

namespace cdmlake::server {
namespace internal {
namespace {

std::string Lower(std::string_view text) {
  std::string result(text);
  for (char& c : result) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return result;
}

bool IsUtcName(std::string_view name) {
  static constexpr std::string_view kNames[] = {"utc", "etc/utc", "gmt", "etc/gmt", "z", "uct", "etc/uct",
                                                "zulu", "etc/zulu", "universal", "etc/universal", "gmt0",
                                                "etc/gmt0", "greenwich", "etc/greenwich"};
  std::string lower = Lower(name);
  return std::find(std::begin(kNames), std::end(kNames), lower) != std::end(kNames);
}

// "+02", "-8", "5.5": hours east of Greenwich.
std::optional<int32_t> ParseHours(std::string_view name) {
  std::string text(name);
  if (text.empty() || text.size() > 12) return std::nullopt;
  size_t digits_from = (text[0] == '+' || text[0] == '-') ? 1 : 0;
  if (digits_from == text.size()) return std::nullopt;
  bool dot = false;
  for (size_t i = digits_from; i < text.size(); ++i) {
    if (text[i] == '.' && !dot) {
      dot = true;
    } else if (!std::isdigit(static_cast<unsigned char>(text[i]))) {
      return std::nullopt;
    }
  }
  double hours = std::strtod(text.c_str(), nullptr);
  if (std::fabs(hours) > 168) return std::nullopt;
  return static_cast<int32_t>(std::lround(hours * 3600));
}

// POSIX "STD offset" without a daylight-saving part: an abbreviation (letters, or <...>), then
// [+-]hh[:mm[:ss]] west of Greenwich. The abbreviation may be absent when the offset has a sign.
std::optional<int32_t> ParsePosix(std::string_view name) {
  size_t i = 0;
  if (!name.empty() && name[0] == '<') {
    i = name.find('>');
    if (i == std::string_view::npos) return std::nullopt;
    ++i;
  } else {
    while (i < name.size() && std::isalpha(static_cast<unsigned char>(name[i]))) ++i;
  }
  if (i == name.size()) return std::nullopt;
  int sign = 1;
  if (name[i] == '+' || name[i] == '-') {
    sign = name[i] == '-' ? -1 : 1;
    ++i;
  } else if (i == 0) {
    return std::nullopt;  // a bare number is hours east, not POSIX
  }
  int32_t seconds = 0;
  for (int part = 0; part < 3 && i < name.size(); ++part) {
    if (part > 0) {
      if (name[i] != ':') return std::nullopt;
      ++i;
    }
    size_t start = i;
    while (i < name.size() && i - start < 2 && std::isdigit(static_cast<unsigned char>(name[i]))) ++i;
    if (i == start) return std::nullopt;
    int value = std::stoi(std::string(name.substr(start, i - start)));
    seconds += value * (part == 0 ? 3600 : part == 1 ? 60 : 1);
  }
  if (i != name.size() || seconds > 168 * 3600) return std::nullopt;  // trailing text: a DST rule, not supported
  return -sign * seconds;
}

std::unique_ptr<icu::TimeZone> CreateIcuZone(std::string_view name) {
  icu::UnicodeString id = icu::UnicodeString::fromUTF8(icu::StringPiece(name.data(), static_cast<int32_t>(name.size())));
  std::unique_ptr<icu::TimeZone> zone(icu::TimeZone::createTimeZone(id));
  if (zone == nullptr || *zone == icu::TimeZone::getUnknown()) return nullptr;
  return zone;
}

// ICU's zone IDs by their lower-case form, for PostgreSQL's case-insensitive lookup.
const std::map<std::string, std::string>& ZoneIdsByLowerCase() {
  static const std::map<std::string, std::string> ids = [] {
    std::map<std::string, std::string> result;
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::StringEnumeration> zones(icu::TimeZone::createEnumeration(status));
    if (U_FAILURE(status) || zones == nullptr) return result;
    int32_t length = 0;
    while (const char* id = zones->next(&length, status)) {
      if (U_FAILURE(status)) break;
      result.emplace(Lower(std::string_view(id, length)), std::string(id, length));
    }
    return result;
  }();
  return ids;
}

int32_t IcuOffset(const icu::TimeZone& zone, double epoch_ms) {
  int32_t raw = 0;
  int32_t dst = 0;
  UErrorCode status = U_ZERO_ERROR;
  zone.getOffset(epoch_ms, false, raw, dst, status);
  return U_FAILURE(status) ? 0 : (raw + dst) / 1000;
}

// The zone's offsets from 1900 to 2100 as the instants where they change, from ICU's transitions.
std::shared_ptr<const OffsetTable> BuildOffsetTable(const icu::TimeZone& zone) {
  const auto* basic = dynamic_cast<const icu::BasicTimeZone*>(&zone);
  if (basic == nullptr) return nullptr;
  auto table = std::make_shared<OffsetTable>();
  table->from_ms = -2208988800000LL;  // 1900-01-01
  table->to_ms = 4102444800000LL;     // 2100-01-01
  table->starts.push_back(table->from_ms);
  table->offsets.push_back(IcuOffset(zone, static_cast<double>(table->from_ms)));
  icu::TimeZoneTransition transition;
  double at = static_cast<double>(table->from_ms);
  while (basic->getNextTransition(at, false, transition) && transition.getTime() < table->to_ms) {
    at = transition.getTime();
    int32_t offset = IcuOffset(zone, at);
    if (offset == table->offsets.back()) continue;
    table->starts.push_back(static_cast<int64_t>(std::ceil(at)));
    table->offsets.push_back(offset);
  }
  return table;
}

// One table per zone and process: building one takes ~1 ms, a lookup in it ~20 ns against ~800 ns for ICU.
std::shared_ptr<const OffsetTable> OffsetTableFor(const icu::TimeZone& zone) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const OffsetTable>> tables;
  icu::UnicodeString id;
  zone.getID(id);
  std::string key;
  id.toUTF8String(key);
  std::lock_guard<std::mutex> lock(mutex);
  auto it = tables.find(key);
  if (it == tables.end()) it = tables.emplace(key, BuildOffsetTable(zone)).first;
  return it->second;
}

}  // namespace

ResolvedZone ResolveTimeZone(std::string_view name) {
  ResolvedZone result;
  result.known = true;
  result.canonical_name = std::string(name);
  if (IsUtcName(name)) return result;
  if (std::optional<int32_t> east = ParseHours(name)) {
    result.fixed_offset = *east;
    return result;
  }
  if (std::optional<int32_t> east = ParsePosix(name)) {
    result.fixed_offset = *east;
    return result;
  }
  std::string id(name);
  result.zone = CreateIcuZone(id);
  if (result.zone == nullptr) {
    const auto& ids = ZoneIdsByLowerCase();
    auto it = ids.find(Lower(name));
    if (it != ids.end()) {
      id = it->second;
      result.zone = CreateIcuZone(id);
    }
  }
  if (result.zone == nullptr) return ResolvedZone{};
  result.canonical_name = id;
  return result;
}

FormatContext::FormatContext(const TextSettings& settings) : extra_float_digits(settings.extra_float_digits) {
  ResolvedZone resolved = ResolveTimeZone(settings.time_zone);
  zone = std::move(resolved.zone);
  fixed_offset = resolved.fixed_offset;
  if (zone != nullptr) offsets = OffsetTableFor(*zone);
}

FormatContext::~FormatContext() = default;

int32_t FormatContext::UtcOffset(int64_t epoch_micros) const {
  if (zone == nullptr) return fixed_offset;
  int64_t epoch_ms = FloorDiv(epoch_micros, 1000);
  if (offsets != nullptr && epoch_ms >= offsets->from_ms && epoch_ms < offsets->to_ms) {
    auto next = std::upper_bound(offsets->starts.begin(), offsets->starts.end(), epoch_ms);
    return offsets->offsets[static_cast<size_t>(next - offsets->starts.begin()) - 1];
  }
  return IcuOffset(*zone, static_cast<double>(epoch_ms));
}

}  // namespace internal

bool IsKnownTimeZone(std::string_view name) { return internal::ResolveTimeZone(name).known; }

std::string CanonicalTimeZoneName(std::string_view name) { return internal::ResolveTimeZone(name).canonical_name; }

}  // namespace cdmlake::server
