// The PostgreSQL run-time settings (GUCs) of one session, kept by the server because DuckDB neither knows them
// nor may change its own locked configuration. Values start from PostgreSQL 15's defaults, then the startup
// packet's parameters; SET/RESET/SHOW act on them. The settings that PostgreSQL reports to the client
// (ParameterStatus) are marked, so the session can report a change. Values that change how results are rendered
// (extra_float_digits, TimeZone) are validated, because the server renders them itself.
//
// Not thread-safe: one session's.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "server/pg_types.h"

namespace cdmlake::server {

class SessionSettings {
 public:
  // Defaults, with the user name for session_authorization and the server's limits.
  SessionSettings(const std::string& user, int max_connections);

  // Sets a setting; value "DEFAULT" restores its default. Throws PgError 42704 for an unknown setting (names
  // with a dot are custom settings and always accepted), 55P02 for a read-only one, 22023 for an invalid value.
  // Returns true when the setting is reported to the client (send ParameterStatus).
  bool Set(const std::string& name, const std::string& value);
  // RESET name; "all" resets every setting. Returns the reported settings whose values changed.
  std::vector<std::string> Reset(const std::string& name);
  // The current value as SHOW prints it. Throws PgError 42704 for an unknown setting.
  std::string Show(const std::string& name) const;
  // Every setting as (name, value, description) rows for SHOW ALL.
  std::vector<std::pair<std::string, std::string>> All() const;
  // The settings PostgreSQL 15 sends as ParameterStatus after authentication, with their values.
  std::vector<std::pair<std::string, std::string>> Reported() const;
  // The name as PostgreSQL spells it in ParameterStatus ("DateStyle" for "datestyle").
  std::string DisplayName(const std::string& name) const;

  const TextSettings& text_settings() const { return text_; }
  // statement_timeout in milliseconds; 0 = none.
  int64_t statement_timeout_ms() const { return statement_timeout_ms_; }

 private:
  struct Setting {
    std::string display;
    std::string value;
    std::string default_value;
    bool reported = false;
    bool read_only = false;
  };
  std::string Normalize(const std::string& lower, const std::string& value) const;
  void Apply(const std::string& lower);
  std::map<std::string, Setting> settings_;  // by lower-case name
  TextSettings text_;
  int64_t statement_timeout_ms_ = 0;
};

// Parses a PostgreSQL time setting ("5s", "250ms", "1min", "2h", plain numbers in `default_unit_ms` units) into
// milliseconds. Throws PgError 22023.
int64_t ParseDurationMs(const std::string& name, const std::string& value, int64_t default_unit_ms);
// Milliseconds as PostgreSQL shows a time setting: the largest unit that divides it ("200ms", "1s", "5min", "0").
std::string FormatDurationMs(int64_t ms);

}  // namespace cdmlake::server
