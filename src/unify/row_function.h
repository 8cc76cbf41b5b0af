// Rows that unification holds in memory, served to DuckDB as a table function, for the outputs that DuckDB must
// still transform before they are written (UnifiedActivity casts its source text to TIMESTAMP and DOUBLE, which
// only DuckDB parses the way the activity's own reads do). The other outputs go to the CDM folder writer directly
// (CdmFolderWriter::AddRows), without DuckDB: its CSV writer was most of the write step of a 1 M-record run.
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

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/database.h"
#include "lake/row_source.h"

namespace cdmlake::unify {

// The rows and their cells (lake/row_source.h): the same sources feed the CDM folder writer directly.
using lake::RowCells;
using lake::RowSource;

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
