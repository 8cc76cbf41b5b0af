#include "engine/sql_trace.h"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>

#include "util/error.h"
#include "util/strings.h"

namespace cdmlake::engine {

namespace {

std::mutex trace_mutex;
std::FILE* trace_file = nullptr;         // guarded by trace_mutex
std::atomic<bool> trace_enabled{false};  // read without the lock on every statement

}  // namespace

void StartSqlTrace(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "w");
  if (!file) {
    throw Error(ErrorKind::kIo, std::string("cannot write the SQL trace: ") + std::strerror(errno), Location{path},
                "give --trace-sql a path in a writable folder");
  }
  std::lock_guard<std::mutex> lock(trace_mutex);
  if (trace_file) std::fclose(trace_file);
  trace_file = file;
  trace_enabled = true;
}

void StopSqlTrace() {
  std::lock_guard<std::mutex> lock(trace_mutex);
  trace_enabled = false;
  if (trace_file) std::fclose(trace_file);
  trace_file = nullptr;
}

bool SqlTraceEnabled() { return trace_enabled.load(std::memory_order_relaxed); }

void RecordSqlTrace(std::string_view sql, double seconds, std::string_view error) {
  if (!SqlTraceEnabled()) return;
  char number[32];
  std::snprintf(number, sizeof number, "%.6f", seconds);
  std::string line = std::string("{\"seconds\": ") + number + ", \"sql\": ";
  AppendJsonQuoted(&line, sql);
  if (!error.empty()) {
    line += ", \"error\": ";
    AppendJsonQuoted(&line, error);
  }
  line += "}\n";
  std::lock_guard<std::mutex> lock(trace_mutex);
  if (!trace_file) return;
  std::fwrite(line.data(), 1, line.size(), trace_file);
  // Flushed per line, so the trace of a run that crashes or is killed holds every statement that finished.
  std::fflush(trace_file);
}

}  // namespace cdmlake::engine
