// The CDM object model as cdmlake uses it: flat, resolved entities with typed attributes and data partitions.
//
// Readers (manifest_reader.h, model_json_reader.h) build these from model.json, *.manifest.cdm.json and resolved
// entity documents; the catalog (lake/) turns them into SQL tables. All paths are relative to the lake root and
// '/'-separated, so a catalog stays valid when the lake is moved. Plain structs; thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "cdm/data_type.h"

namespace cdmlake::cdm {

struct EnumValue {
  int64_t value = 0;
  std::string symbol;  // e.g. "Backorder"
  std::string label;   // display text, e.g. "Open order"
};

struct Attribute {
  std::string name;
  DataFormat format = DataFormat::kUnknown;
  std::string declared_type;  // the type as written (dataFormat or dataType), for messages and `lake inspect`
  int precision = -1;         // decimals; -1 when not declared
  int scale = -1;
  int64_t maximum_length = -1;  // strings; -1 when not declared (kept as metadata, not enforced)
  bool nullable = true;
  bool primary_key = false;
  std::string description;
  std::vector<EnumValue> enum_values;  // from is.constrainedList(.wellKnown)

  std::string SqlType() const { return DuckDbType(format, precision, scale); }
};

enum class FileFormat { kCsv, kParquet };

// CSV settings from is.partition.format.CSV or model.json's CsvFormatSettings.
struct CsvFormat {
  bool header = false;
  std::string delimiter = ",";
  std::string quote = "\"";   // empty: no quoting (QuoteStyle.None)
  std::string escape = "\"";
  std::string encoding = "UTF-8";
  std::string newline;        // empty: auto (\n or \r\n)
  int skip_lines = 0;

  bool operator==(const CsvFormat&) const = default;
};

struct Partition {
  std::string name;
  std::string location;  // lake-relative path of the file
  FileFormat format = FileFormat::kCsv;
  CsvFormat csv;
  std::vector<std::pair<std::string, std::string>> arguments;  // incl. regex pattern parameters
  std::string pattern;  // the pattern that inferred it; empty for an explicit partition
  // Fields per record seen in the file (not metadata; set when the file is probed, -1 when not known). Files
  // written before a column was added are narrower than the entity.
  int columns = -1;
};

struct PartitionPattern {
  std::string name;
  std::string root_location;  // lake-relative folder
  std::string glob;           // wins over regex when both are given
  std::string regex;
  std::vector<std::string> parameters;
  FileFormat format = FileFormat::kCsv;
  CsvFormat csv;
};

enum class Severity { kError, kWarning };

// Something wrong (or doubtful) in the lake's metadata or data, with where it is.
struct Problem {
  Severity severity = Severity::kError;
  std::string file;  // lake-relative
  int64_t line = 0;  // 0: unknown
  std::string entity;
  std::string message;
};

struct Entity {
  std::string name;
  std::string schema;    // SQL schema, assigned by the catalog
  std::string manifest;  // lake-relative path of the manifest or model.json that declares it
  std::string document;  // lake-relative path of the entity document ("" for model.json entities)
  std::string description;
  std::vector<Attribute> attributes;
  std::vector<Partition> partitions;       // explicit ones
  std::vector<PartitionPattern> patterns;  // expanded into partitions when the files are listed
  // D365 F&O writes 1900-01-01 for "no date"; such values read as NULL.
  bool d365_empty_dates = false;
  // False when an error makes the entity unreadable (unknown type, bad pattern...); see the problems.
  bool readable = true;
};

// The identity of a metadata file when it was read; a cached catalog is valid while every stamp still matches.
struct DocumentStamp {
  std::string path;  // lake-relative
  int64_t size = -1;  // -1: the file did not exist
  int64_t mtime_ns = 0;

  bool operator==(const DocumentStamp&) const = default;
};

// Everything read from one root document (a manifest with its sub-manifests, or a model.json).
struct RootDocument {
  std::string path;  // lake-relative
  std::string name;  // manifestName or model.json name
  std::vector<Entity> entities;
  std::vector<Problem> problems;
  std::vector<DocumentStamp> documents;
  bool failed = false;  // the root document itself could not be read
};

}  // namespace cdmlake::cdm
