// Checking a loaded unification configuration against the columns of its sources (docs/unify.md, "Validation").
//
// The loader (config_loader.h) checks each value alone; this checks how values refer to each other and to the
// data: unknown sources and columns (with the closest name), columns used but not mapped, a rule whose target
// does not rank above its source, fuzzy precision or normalizations on a column that is not text, dates
// compared with text, recency columns missing for most-recent policies, too many stable-id fields, activities
// linked to an unknown source or column, and more. Pure function of its inputs; thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "unify/config.h"
#include "util/file_system.h"

namespace cdmlake::unify {

struct ColumnInfo {
  std::string name;
  std::string type;  // a DuckDB type name: VARCHAR, DATE, TIMESTAMP, BIGINT, DECIMAL(18,2)...; "" = unknown
};

// The columns of each source and activity, by its configured name, in file or table order. The caller fills
// it from the lake catalog (table sources) or from CsvSourceColumns (csv sources). A source that is missing
// here has unknown columns: the checks that need them are skipped for it.
using SourceColumns = std::map<std::string, std::vector<ColumnInfo>>;

// Every problem found, errors and warnings, in the order of the checks (roughly the order of the file). Each
// names the YAML node at fault (file:line:column and key path) and carries a hint.
std::vector<ConfigProblem> ValidateUnifyConfig(const UnifyConfig& config, const SourceColumns& columns);

// The columns of the csv sources and csv activities of `config`, read from their header rows, all VARCHAR
// (types come from formats: see ColumnMapping::format). Table sources are not included. Throws the Error of
// ReadCsvHeader (kIo, kData) naming the file.
SourceColumns CsvSourceColumns(const UnifyConfig& config, FileSystem* fs = DefaultFileSystem());

}  // namespace cdmlake::unify
