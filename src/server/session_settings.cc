#include "server/session_settings.h"

#include <algorithm>
#include <cctype>
#include <memory>

#include "server/pg_error.h"

namespace cdmlake::server {

namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

[[noreturn]] void Invalid(const std::string& name, const std::string& value, const std::string& why = {}) {
  throw PgError("22023", "invalid value for parameter \"" + name + "\": \"" + value + "\"", Severity::kError, why);
}

}  // namespace

int64_t ParseDurationMs(const std::string& name, const std::string& value, int64_t default_unit_ms) {
  std::string v = Lower(value);
  v.erase(std::remove_if(v.begin(), v.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); }),
          v.end());
  size_t digits = 0;
  while (digits < v.size() && (std::isdigit(static_cast<unsigned char>(v[digits])) || v[digits] == '.')) ++digits;
  if (digits == 0) Invalid(name, value);
  double number = 0;
  try {
    number = std::stod(v.substr(0, digits));
  } catch (...) {
    Invalid(name, value);
  }
  std::string unit = v.substr(digits);
  double scale = static_cast<double>(default_unit_ms);
  if (unit == "ms") scale = 1;
  else if (unit == "s") scale = 1000;
  else if (unit == "min") scale = 60000;
  else if (unit == "h") scale = 3600000;
  else if (unit == "d") scale = 86400000;
  else if (!unit.empty()) Invalid(name, value, "Valid units for this parameter are \"ms\", \"s\", \"min\", \"h\", and \"d\".");
  return static_cast<int64_t>(number * scale);
}

std::string FormatDurationMs(int64_t ms) {
  if (ms == 0) return "0";
  struct Unit {
    int64_t ms;
    const char* name;
  };
  for (Unit u : {Unit{86400000, "d"}, Unit{3600000, "h"}, Unit{60000, "min"}, Unit{1000, "s"}}) {
    if (ms % u.ms == 0) return std::to_string(ms / u.ms) + u.name;
  }
  return std::to_string(ms) + "ms";
}

SessionSettings::SessionSettings(const std::string& user, int max_connections) {
  auto add = [this](const std::string& display, const std::string& value, bool reported = false,
                    bool read_only = false) {
    settings_[Lower(display)] = Setting{display, value, value, reported, read_only};
  };
  // Reported to the client, as PostgreSQL 15 does.
  add("application_name", "", true);
  add("client_encoding", "UTF8", true);
  add("DateStyle", "ISO, MDY", true);
  add("default_transaction_read_only", "on", true);
  add("in_hot_standby", "off", true, true);
  add("integer_datetimes", "on", true, true);
  add("IntervalStyle", "postgres", true);
  add("is_superuser", "off", true, true);
  add("server_encoding", "UTF8", true, true);
  // Drivers derive features from this number (Npgsql, pgJDBC): a PostgreSQL version, never DuckDB's.
  add("server_version", "15.0", true, true);
  add("session_authorization", user, true, true);
  add("standard_conforming_strings", "on", true);
  add("TimeZone", "UTC", true);
  // Asked for by clients, not reported.
  add("server_version_num", "150000", false, true);
  add("extra_float_digits", "1");
  add("statement_timeout", "0");
  add("lock_timeout", "0");
  add("idle_in_transaction_session_timeout", "0");
  add("idle_session_timeout", "0");
  add("search_path", "\"$user\", public");
  add("client_min_messages", "notice");
  add("transaction_isolation", "read committed");
  add("default_transaction_isolation", "read committed");
  add("transaction_read_only", "on", false, true);
  add("max_identifier_length", "63", false, true);
  add("max_index_keys", "32", false, true);
  add("block_size", "8192", false, true);
  add("max_connections", std::to_string(max_connections), false, true);
  add("bytea_output", "hex");
  add("lc_messages", "C");
  add("lc_monetary", "C");
  add("lc_numeric", "C");
  add("lc_time", "C");
  add("lc_collate", "C", false, true);
  add("lc_ctype", "C", false, true);
  add("escape_string_warning", "on");
  add("synchronous_commit", "on");
  add("work_mem", "4MB");
  add("jit", "off");
  add("row_security", "on");
}

std::string SessionSettings::Normalize(const std::string& lower, const std::string& value) const {
  std::string v = Lower(value);
  if (lower == "client_encoding") {
    if (v == "utf8" || v == "utf-8" || v == "unicode" || v == "'utf-8'") return "UTF8";
    throw PgError(sqlstate::kFeatureNotSupported, "cdmlake speaks UTF8 only; client_encoding \"" + value +
                  "\" is not supported");
  }
  if (lower == "datestyle") {
    // Output is always ISO; the order part (MDY/DMY/YMD) only matters for input, which DuckDB reads as ISO.
    bool iso = v.rfind("iso", 0) == 0;
    std::string order = v.find("dmy") != std::string::npos ? "DMY" : v.find("ymd") != std::string::npos ? "YMD" : "MDY";
    if (iso || v == "mdy" || v == "dmy" || v == "ymd") return "ISO, " + order;
    Invalid("DateStyle", value, "cdmlake renders dates in ISO format only");
  }
  if (lower == "intervalstyle") {
    if (v == "postgres") return "postgres";
    Invalid("IntervalStyle", value, "cdmlake renders intervals in the postgres style only");
  }
  if (lower == "timezone") {
    std::string canonical = CanonicalTimeZoneName(value);
    if (canonical.empty()) {
      throw PgError("22023", "invalid value for parameter \"TimeZone\": \"" + value + "\"");
    }
    return canonical;
  }
  if (lower == "extra_float_digits") {
    try {
      size_t used = 0;
      int n = std::stoi(value, &used);
      if (used != value.size() || n < -15 || n > 3) Invalid(lower, value, "extra_float_digits must be between -15 and 3");
      return std::to_string(n);
    } catch (const PgError&) {
      throw;
    } catch (...) {
      Invalid(lower, value);
    }
  }
  if (lower == "statement_timeout" || lower == "lock_timeout" || lower == "idle_in_transaction_session_timeout" ||
      lower == "idle_session_timeout") {
    return FormatDurationMs(ParseDurationMs(lower, value, 1));
  }
  if (lower == "standard_conforming_strings") {
    if (v == "on" || v == "true" || v == "1") return "on";
    Invalid(lower, value, "cdmlake supports standard_conforming_strings = on only");
  }
  if (lower == "default_transaction_read_only") {
    if (v == "on" || v == "true" || v == "1") return "on";
    Invalid(lower, value, "the lake is read-only");
  }
  return value;
}

void SessionSettings::Apply(const std::string& lower) {
  const std::string& value = settings_.at(lower).value;
  if (lower == "extra_float_digits") text_.extra_float_digits = std::stoi(value);
  if (lower == "timezone") text_.time_zone = value;
  if (lower == "statement_timeout") statement_timeout_ms_ = ParseDurationMs(lower, value, 1);
}

bool SessionSettings::Set(const std::string& name, const std::string& value) {
  std::string lower = Lower(name);
  auto it = settings_.find(lower);
  if (it == settings_.end()) {
    if (lower.find('.') == std::string::npos) {
      throw PgError(sqlstate::kUndefinedObject, "unrecognized configuration parameter \"" + name + "\"");
    }
    it = settings_.emplace(lower, Setting{name, "", "", false, false}).first;
  }
  Setting& s = it->second;
  if (s.read_only) {
    throw PgError("55P02", "parameter \"" + s.display + "\" cannot be changed");
  }
  std::string old = s.value;
  s.value = value == "DEFAULT" ? s.default_value : Normalize(lower, value);
  Apply(lower);
  return s.reported && s.value != old;
}

std::vector<std::string> SessionSettings::Reset(const std::string& name) {
  std::vector<std::string> changed;
  std::string lower = Lower(name);
  for (auto& [key, s] : settings_) {
    if (lower != "all" && key != lower) continue;
    if (s.read_only) {
      if (lower != "all") throw PgError("55P02", "parameter \"" + s.display + "\" cannot be changed");
      continue;
    }
    if (s.value != s.default_value && s.reported) changed.push_back(key);
    s.value = s.default_value;
    Apply(key);
  }
  if (lower != "all" && settings_.count(lower) == 0) {
    throw PgError(sqlstate::kUndefinedObject, "unrecognized configuration parameter \"" + name + "\"");
  }
  return changed;
}

std::string SessionSettings::Show(const std::string& name) const {
  auto it = settings_.find(Lower(name));
  if (it == settings_.end()) {
    throw PgError(sqlstate::kUndefinedObject, "unrecognized configuration parameter \"" + name + "\"");
  }
  return it->second.value;
}

std::vector<std::pair<std::string, std::string>> SessionSettings::All() const {
  std::vector<std::pair<std::string, std::string>> rows;
  for (const auto& [key, s] : settings_) rows.emplace_back(s.display, s.value);
  return rows;
}

std::vector<std::pair<std::string, std::string>> SessionSettings::Reported() const {
  std::vector<std::pair<std::string, std::string>> rows;
  for (const auto& [key, s] : settings_) {
    if (s.reported) rows.emplace_back(s.display, s.value);
  }
  return rows;
}

std::string SessionSettings::DisplayName(const std::string& name) const {
  auto it = settings_.find(Lower(name));
  return it == settings_.end() ? name : it->second.display;
}

}  // namespace cdmlake::server
