// A trace of the SQL cdmlake runs on DuckDB, with the time each statement took (`--trace-sql FILE`).
//
// Long commands (entitystore process, unify run) are sequences of generated statements; when one is slow, a
// user (or a benchmark) needs to know which. The trace is one JSON object per line, in the order the statements
// finished: {"seconds": 0.0123, "sql": "CREATE TEMP TABLE ..."}, plus "error" when the statement failed. A
// streamed result's time is the time to its first rows. Connection::Execute, Query and Run record into it.
// Thread-safe: lines from several connections do not interleave.
#pragma once

#include <string>
#include <string_view>

namespace cdmlake::engine {

// Starts tracing into `path` (created or truncated). Throws Error (kIo) naming the file when it cannot be opened.
// Tracing stays on until the process ends or StopSqlTrace.
void StartSqlTrace(const std::string& path);
void StopSqlTrace();
bool SqlTraceEnabled();
// Records one statement; `error` is "" when it succeeded. Does nothing when tracing is off.
void RecordSqlTrace(std::string_view sql, double seconds, std::string_view error = {});

}  // namespace cdmlake::engine
