// Reading columns of a lake entity's CSV partitions straight into text columns, without DuckDB, for a caller that
// wants every value as text (unification's sources). Each value is exactly the text that DuckDB's scan of the
// entity (lake/entity_sql.h, BuildEntityScan) gives cast to VARCHAR: a Guid in lower case, a DateTime as
// "2023-06-21 02:12:07", F&O's 1900-01-01 as NULL where the entity says so, an empty unquoted field as NULL and ""
// as the empty string.
//
// Why: DuckDB's CSV scan with the typed columns, the UUID parse and print, and the copy out of its vectors were
// about half of `unify run`'s load step at 1 M records (docs/benchmarks.md, issue 5).
//
// It reads the common case and declines the rest, so that the caller reads the entity through DuckDB instead, with
// the same result or DuckDB's own error naming the file and line. It declines:
//  - partitions: not all CSV, or of more than one dialect or width; a dialect other than a one-byte delimiter with
//    '"' as quote and escape, UTF-8, no skipped lines; a byte-order mark; a '\r' anywhere (CRLF files);
//  - records: an empty line; a field count other than the file's width; a quote inside an unquoted field; text
//    after a closing quote; a quote left open at the end of the file;
//  - values of the columns read (other columns are not looked at, as DuckDB does not cast them either): invalid
//    UTF-8 or a NUL byte; a typed value that is not in the one plain form the reader converts (Guid as
//    8-4-4-4-12 hex digits; Date as YYYY-MM-DD; DateTime as YYYY-MM-DD, 'T' or ' ', HH:MM:SS, up to 9 fraction
//    digits of which the 7th on are zero, an optional 'Z'; integers without sign '+', leading zeros or spaces,
//    within their type); any other type (decimals, floating point, booleans, times, offsets, binary, JSON).
//
// Thread-compatible: several readers may run at once on distinct entities.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cdm/model.h"
#include "util/file_system.h"
#include "util/text_column.h"

namespace cdmlake::lake {

// Reads `columns` (attribute names of `entity`, matched case-insensitively) from `partitions` (those of
// PrepareEntityFiles, in order; locations relative to lake_root). Returns one text column per name, rows in
// partition and file order, or nullopt when it declines, with the reason in *declined (when not null). Throws
// Error(kIo) when a file cannot be read.
std::optional<std::vector<TextColumn>> ReadCsvAsText(FileSystem& fs, const cdm::Entity& entity,
                                                     const std::vector<cdm::Partition>& partitions,
                                                     const std::string& lake_root,
                                                     const std::vector<std::string>& columns, std::string* declined);

}  // namespace cdmlake::lake
