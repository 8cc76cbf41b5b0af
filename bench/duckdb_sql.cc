// cdmlake_bench_duckdb_sql: the peer of `cdmlake sql` in bench/run.sh. Opens an in-memory DuckDB with the same
// settings cdmlake uses (default threads, memory_limit 60% of RAM, temp_directory under $TMPDIR or /tmp,
// TimeZone UTC, no extension auto-install), runs the SQL given as the last argument and prints the result of its
// last statement as CSV with a header line, quoted like `cdmlake sql --format csv` (NULL prints as nothing).
// Result columns must be VARCHAR (cast them in the SQL); EXPLAIN and EXPLAIN ANALYZE results already are.
//
// Usage: cdmlake_bench_duckdb_sql [--raw | --discard] SQL
//   --raw      print each value as is, one row per line and values separated by tabs, without a header
//              (for EXPLAIN ANALYZE, whose plan is one multi-line value)
//   --discard  print nothing and accept any result type (for COPY ... TO, whose result is a row count)
#include <duckdb.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
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

}  // namespace

int main(int argc, char** argv) {
  bool raw = false, discard = false;
  int arg = 1;
  if (arg < argc && std::string_view(argv[arg]) == "--raw") {
    raw = true;
    ++arg;
  } else if (arg < argc && std::string_view(argv[arg]) == "--discard") {
    discard = true;
    ++arg;
  }
  if (arg + 1 != argc) {
    std::fprintf(stderr, "usage: %s [--raw | --discard] SQL\n", argv[0]);
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
  if (rc == 0 && duckdb_query(con, argv[arg], &result) == DuckDBError) {
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
