// cdmlake_bench_duckdb_sql: the peer of `cdmlake sql` in bench/run.sh. Opens an in-memory DuckDB with the same
// settings cdmlake uses (default threads, memory_limit 60% of RAM, temp_directory under $TMPDIR or /tmp,
// TimeZone UTC, no extension auto-install), runs the SQL given as the last argument and prints the result of its
// last statement as CSV with a header line, quoted like `cdmlake sql --format csv` (NULL prints as nothing).
// Result columns must be VARCHAR (cast them in the SQL); EXPLAIN and EXPLAIN ANALYZE results already are.
//
// Usage: cdmlake_bench_duckdb_sql [--raw | --discard | --repeat N] SQL
//   --raw      print each value as is, one row per line and values separated by tabs, without a header
//              (for EXPLAIN ANALYZE, whose plan is one multi-line value)
//   --discard  print nothing and accept any result type (for COPY ... TO, whose result is a row count)
//   --repeat N prepare SQL once, then execute it N times in process (after N/10 untimed runs), fetching every
//              chunk of the result (values are not converted to text); prints "runs,mean_us,median_us,rows"
//              (the in-process peer of a round trip through `cdmlake serve`, bench/server.sh)
#include <duckdb.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <vector>
#include <string>
#include <string_view>

namespace {

std::string DefaultMemoryLimit() {  // as src/engine/database.cc
  long pages = ::sysconf(_SC_PHYS_PAGES);
  long page_size = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page_size <= 0) return "4GB";
  uint64_t mib = static_cast<uint64_t>(pages) * static_cast<uint64_t>(page_size) / (1024 * 1024);
  return std::to_string(mib * 6 / 10) + "MiB";
}

std::string CsvField(std::string_view value) {  // as src/cli/result_printer.cc
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "cdmlake_bench_duckdb_sql: %s\n", message.c_str());
  return 1;
}

// --repeat: one prepared statement executed `runs` times; each run fetches every chunk of the result.
int Repeat(duckdb_connection con, const char* sql, long runs) {
  duckdb_prepared_statement statement = nullptr;
  if (duckdb_prepare(con, sql, &statement) == DuckDBError) {
    int rc = Fail(duckdb_prepare_error(statement));
    duckdb_destroy_prepare(&statement);
    return rc;
  }
  std::vector<double> micros;
  idx_t rows = 0;
  size_t checksum = 0;
  const long warmup = std::max(1L, runs / 10);
  for (long i = -warmup; i < runs; ++i) {
    auto start = std::chrono::steady_clock::now();
    duckdb_result result;
    if (duckdb_execute_prepared(statement, &result) == DuckDBError) {
      int rc = Fail(duckdb_result_error(&result));
      duckdb_destroy_result(&result);
      duckdb_destroy_prepare(&statement);
      return rc;
    }
    rows = 0;
    while (duckdb_data_chunk chunk = duckdb_fetch_chunk(result)) {
      rows += duckdb_data_chunk_get_size(chunk);
      checksum += reinterpret_cast<uintptr_t>(duckdb_vector_get_data(duckdb_data_chunk_get_vector(chunk, 0)));
      duckdb_destroy_data_chunk(&chunk);
    }
    duckdb_destroy_result(&result);
    if (i >= 0) {
      micros.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
    }
  }
  duckdb_destroy_prepare(&statement);
  double sum = 0;
  for (double m : micros) sum += m;
  std::sort(micros.begin(), micros.end());
  std::printf("runs,mean_us,median_us,rows\n%zu,%.2f,%.2f,%llu\n", micros.size(), sum / micros.size(),
              micros[micros.size() / 2], static_cast<unsigned long long>(rows));
  return checksum == 1 ? 1 : 0;  // keeps the fetches observable
}

}  // namespace

int main(int argc, char** argv) {
  bool raw = false, discard = false;
  long repeat = 0;
  int arg = 1;
  if (arg + 1 < argc && std::string_view(argv[arg]) == "--repeat") {
    repeat = std::atol(argv[arg + 1]);
    arg += 2;
    if (repeat <= 0) return Fail("--repeat needs a positive count");
  } else if (arg < argc && std::string_view(argv[arg]) == "--raw") {
    raw = true;
    ++arg;
  } else if (arg < argc && std::string_view(argv[arg]) == "--discard") {
    discard = true;
    ++arg;
  }
  if (arg + 1 != argc) {
    std::fprintf(stderr, "usage: %s [--raw | --discard | --repeat N] SQL\n", argv[0]);
    return 2;
  }
  const char* tmp = std::getenv("TMPDIR");
  const std::string temp_directory =
      std::string(tmp && *tmp ? tmp : "/tmp") + "/cdmlake-bench-duckdb-" + std::to_string(::getpid());

  duckdb_config config;
  if (duckdb_create_config(&config) == DuckDBError) return Fail("cannot create config");
  const std::string memory_limit = DefaultMemoryLimit();
  if (duckdb_set_config(config, "memory_limit", memory_limit.c_str()) == DuckDBError ||
      duckdb_set_config(config, "temp_directory", temp_directory.c_str()) == DuckDBError ||
      duckdb_set_config(config, "autoinstall_known_extensions", "false") == DuckDBError) {
    duckdb_destroy_config(&config);
    return Fail("cannot set config");
  }
  duckdb_database db = nullptr;
  char* open_error = nullptr;
  if (duckdb_open_ext(nullptr, &db, config, &open_error) == DuckDBError) {
    std::string message = open_error ? open_error : "cannot open DuckDB";
    duckdb_free(open_error);
    duckdb_destroy_config(&config);
    return Fail(message);
  }
  duckdb_destroy_config(&config);
  duckdb_connection con = nullptr;
  if (duckdb_connect(db, &con) == DuckDBError) {
    duckdb_close(&db);
    return Fail("cannot connect");
  }

  int rc = 0;
  duckdb_result result;
  // Datetimes in a CDM lake are UTC; cdmlake renders TIMESTAMPTZ in UTC whatever the machine's zone.
  if (duckdb_query(con, "SET GLOBAL TimeZone = 'UTC'", &result) == DuckDBError) rc = Fail(duckdb_result_error(&result));
  duckdb_destroy_result(&result);
  if (rc == 0 && repeat > 0) {
    rc = Repeat(con, argv[arg], repeat);
  } else if (rc == 0 && duckdb_query(con, argv[arg], &result) == DuckDBError) {
    rc = Fail(duckdb_result_error(&result));
    duckdb_destroy_result(&result);
  } else if (rc == 0 && discard) {
    const char* late_error = duckdb_result_error(&result);
    if (late_error != nullptr && *late_error != '\0') rc = Fail(late_error);
    duckdb_destroy_result(&result);
  } else if (rc == 0) {
    const idx_t columns = duckdb_column_count(&result);
    for (idx_t c = 0; c < columns; ++c) {
      if (duckdb_column_type(&result, c) != DUCKDB_TYPE_VARCHAR) {
        rc = Fail(std::string("result column ") + duckdb_column_name(&result, c) + " is not VARCHAR; cast it in the SQL");
      }
    }
    std::string out;
    if (rc == 0 && !raw) {
      for (idx_t c = 0; c < columns; ++c) out += (c > 0 ? "," : "") + CsvField(duckdb_column_name(&result, c));
      out += '\n';
    }
    while (rc == 0) {
      duckdb_data_chunk chunk = duckdb_fetch_chunk(result);
      if (chunk == nullptr) break;
      const idx_t rows = duckdb_data_chunk_get_size(chunk);
      for (idx_t r = 0; r < rows; ++r) {
        for (idx_t c = 0; c < columns; ++c) {
          if (c > 0) out += raw ? '\t' : ',';
          duckdb_vector vector = duckdb_data_chunk_get_vector(chunk, c);
          uint64_t* validity = duckdb_vector_get_validity(vector);
          if (validity != nullptr && !duckdb_validity_row_is_valid(validity, r)) continue;
          auto* strings = static_cast<duckdb_string_t*>(duckdb_vector_get_data(vector));
          std::string_view value(duckdb_string_t_data(&strings[r]), duckdb_string_t_length(strings[r]));
          out += raw ? std::string(value) : CsvField(value);
        }
        out += '\n';
      }
      duckdb_destroy_data_chunk(&chunk);
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
    if (!out.empty()) std::fwrite(out.data(), 1, out.size(), stdout);
    const char* late_error = duckdb_result_error(&result);
    if (rc == 0 && late_error != nullptr && *late_error != '\0') rc = Fail(late_error);
    duckdb_destroy_result(&result);
  }
  duckdb_disconnect(&con);
  duckdb_close(&db);
  std::error_code ec;
  std::filesystem::remove_all(temp_directory, ec);
  return rc;
}
