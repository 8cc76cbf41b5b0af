// Rows that unification holds in memory, served to DuckDB as a table function, so that its outputs reach the CDM
// folder writer (lake/cdm_folder_writer.h takes a query per entity) without being copied into temporary tables
// value by value first. Filling 3.5 M output rows through the appender, one value at a time, was most of the
// write step of a 1 M-record run and held every output table in memory at once; a RowSource instead makes each
// row when DuckDB asks for it, from the run's own data.
//
// A RowFunction registers one table function on a connection's database, under a name of its own, taking the name
// of a row set and returning that set's rows as VARCHAR columns, in row order (the function runs on one thread, so
// the order is the RowSource's and the written files are deterministic).
//
// Lifetime: the function stays in DuckDB's catalog after the RowFunction is destroyed (DuckDB cannot drop a
// function registered through the C API); it then fails with an error instead of reading freed memory.
// Thread-safety: a RowFunction and its sources belong to the thread of the connection's queries; RowSource::Row
// is called from DuckDB's worker thread running that query, one call at a time.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/database.h"

namespace cdmlake::unify {

// The cells of the row being made: each is null, a view (valid until the row has been taken), or a copy.
class RowCells {
 public:
  explicit RowCells(size_t columns) : cells_(columns) {}

  void SetNull(size_t column) { cells_[column] = Cell{}; }
  // `value` must stay valid until the row has been taken (the run's data does).
  void Set(size_t column, std::string_view value) { cells_[column] = Cell{Kind::kView, value.data(), value.size()}; }
  void Set(size_t column, const std::string& value) { Set(column, std::string_view(value)); }
  void Set(size_t column, const std::optional<std::string>& value) {
    if (value) {
      Set(column, std::string_view(*value));
    } else {
      SetNull(column);
    }
  }
  // Copies `value` (text made for this row only).
  void SetCopy(size_t column, std::string_view value) {
    cells_[column] = Cell{Kind::kOwned, nullptr, value.size(), owned_.size()};
    owned_.append(value);
  }

  size_t size() const { return cells_.size(); }
  bool IsNull(size_t column) const { return cells_[column].kind == Kind::kNull; }
  std::string_view Get(size_t column) const {
    const Cell& c = cells_[column];
    return c.kind == Kind::kOwned ? std::string_view(owned_).substr(c.offset, c.size) : std::string_view(c.data, c.size);
  }
  void Clear() {
    owned_.clear();
    for (Cell& c : cells_) c = Cell{};
  }

 private:
  enum class Kind { kNull, kView, kOwned };
  struct Cell {
    Kind kind = Kind::kNull;
    const char* data = nullptr;
    size_t size = 0;
    size_t offset = 0;  // kOwned: into owned_ (which may move while the row is made)
  };
  std::vector<Cell> cells_;
  std::string owned_;
};

// A set of rows made on demand. Row is called with row = 0, 1, ... size() - 1 in order (and again from 0 when a
// query reads the set again); it sets every cell it does not leave null.
class RowSource {
 public:
  virtual ~RowSource() = default;
  virtual size_t size() const = 0;
  virtual void Row(size_t row, RowCells* cells) = 0;
};

class RowFunction {
 public:
  // Registers the table function on the connection's database. Throws engine::EngineError when DuckDB refuses.
  explicit RowFunction(engine::Connection& connection);
  ~RowFunction();
  RowFunction(const RowFunction&) = delete;
  RowFunction& operator=(const RowFunction&) = delete;

  // Adds a row set and returns the SQL that reads it: its columns in order, those named in `casts` cast to the
  // given SQL type (column -> type), the others VARCHAR. Names must be unique within this RowFunction.
  std::string Add(const std::string& name, std::vector<std::string> columns, std::unique_ptr<RowSource> source,
                  const std::map<std::string, std::string>& casts = {});

  struct Set {
    std::vector<std::string> columns;
    std::unique_ptr<RowSource> source;
  };
  struct Holder;  // what DuckDB keeps: a pointer back to this object, cleared by the destructor

 private:
  std::string function_name_;
  std::map<std::string, Set> sets_;
  Holder* holder_ = nullptr;  // owned by DuckDB
};

}  // namespace cdmlake::unify
