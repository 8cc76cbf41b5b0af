// The star schema of an aggregate measurement, built from its metadata the way ESYN builds its views
// (../shared/specs/entity-store.md §3) but with ESYN's defects fixed (§8):
//  - the fact's `<M>_<Ref>_FK` and the dimension's `<M>_<Ref>_FK` hold the same value, so they join: the key
//    itself for a single-field key, CONCAT(k1,'_',k2,...) in the dimension key's field order for a composite one
//    (never ROW_NUMBER, which neither matches the fact nor survives an incremental run);
//  - the FK is emitted for every relation, not only for per-company tables, and never twice;
//  - a measure is never dropped because a view field has its name (the measure wins, with a warning), and a
//    Count measure without a field is the row counter `1`;
//  - enum columns are translated structurally: `<source> AS <ALIAS>_VALUE` plus a label column, never by text
//    replacement; system columns (RECID, PARTITION, DATAAREAID) are taken only when the source has them;
//  - a reference to the platform date dimension `Date_` whose metadata is not in the package is served by a
//    generated calendar (or a lake table the user names), keyed by DATEKEY, and its fact FK is the date part.
//
// The schema is a structure (columns with typed expressions), printed to SQL by ddl.h for DuckDB or Synapse.
// Pure functions; thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "entitystore/metadata.h"

namespace cdmlake::entitystore {

// A column expression over the fact's or dimension's source (one table or view, no joins).
struct ColumnExpr {
  enum class Kind {
    kField,      // fields[0]
    kConstant,   // constant (SQL literal text, e.g. "1")
    kConcat,     // CONCAT(fields[0], '_', fields[1], ...)
    kEnumLabel,  // CASE fields[0] WHEN value THEN 'symbol' ... END
    kDateKey,    // CAST(fields[0] AS DATE): the fact side of a date dimension
    kNull,       // a typed NULL (constant holds the DuckDB type)
  };
  Kind kind = Kind::kField;
  std::vector<std::string> fields;
  std::string constant;
  std::vector<EnumValue> enum_values;  // kEnumLabel
};

enum class ColumnRole { kAttribute, kKey, kForeignKey, kMeasure, kRelation, kSystem, kEnumValue, kEnumLabel };

struct StarColumn {
  std::string name;  // the output column name
  ColumnExpr expr;
  ColumnRole role = ColumnRole::kAttribute;
};

struct FactMeasure {
  std::string name;    // the measure's name as in metadata (query --measure matches it case-insensitively)
  std::string column;  // the fact column holding its field; "" for COUNT(*)
  Aggregate aggregate = Aggregate::kCount;
};

struct FactDimension {
  std::string reference;        // the dimension reference (role) name, e.g. "ShippingDate"
  std::string dimension_table;  // e.g. "SalesAnalysis_ShippingDate"
  std::string key_column;       // the FK column, the same name in the fact and in the dimension table
};

struct FactTable {
  std::string name;           // <M>_<MG>
  std::string measure_group;  // MG
  std::string source;         // the table or view the rows come from
  std::vector<StarColumn> columns;
  std::vector<FactMeasure> measures;
  std::vector<FactDimension> dimensions;
  std::vector<std::string> attributes;  // degenerate attribute columns (query --by MG.Attribute)
};

enum class DimensionKind { kMetadata, kCalendar, kLakeTable };

struct DimensionTable {
  std::string name;            // <M>_<Ref>
  std::string reference;       // the role name (Ref)
  std::string dimension_name;  // the AxAggregateDimension, e.g. "Date_"
  std::string source;          // table or view; "" for a generated calendar
  DimensionKind kind = DimensionKind::kMetadata;
  std::vector<StarColumn> columns;
  std::string key_column;               // <M>_<Ref>_FK
  std::vector<std::string> attributes;  // attribute columns (query --by Ref.Attribute)
};

struct StarSchema {
  std::string measurement;
  std::vector<FactTable> facts;
  std::vector<DimensionTable> dimensions;  // one per distinct reference name, in first-use order
  // For the generated calendar: the fact fields (source, field) whose dates it must cover.
  std::vector<std::pair<std::string, std::string>> calendar_fields;
  std::vector<std::string> warnings;
};

struct StarOptions {
  // The columns of a source table or view (upper case), or nullopt when unknown (then every system column is
  // assumed to exist). The builder asks for each fact and dimension source.
  std::function<std::optional<std::vector<std::string>>(const std::string& source)> source_columns;
  // A lake table to use as the Date_ dimension when the package has no Date_ metadata ("" = generate one).
  std::string date_table;
};

// The name of the platform date dimension, and of its key attribute.
inline constexpr const char* kDateDimensionName = "Date_";
inline constexpr const char* kDateKeyColumn = "DATEKEY";

// Throws Error(kData) naming the measurement, group and reference when the metadata cannot give a star schema:
// a dimension without metadata (other than Date_), a relation without constraints, a key attribute without key
// fields, two references of one group with the same name.
StarSchema BuildStarSchema(const MetadataPackage& package, const StarOptions& options);

// Adds the platform date dimension Date_ (BIDATEDIMENSIONSVIEW keyed by DATEKEY, as D365 ships it) to a package
// that references Date_ without carrying its metadata, for ESYN-compatible statements. Returns whether it did.
bool AddStandardDateDimension(MetadataPackage* package);

// Upper-cases a name and adds ESYN's trailing underscore to the reserved words KEY, COMMENT and COUNT (§3.3).
std::string OutputName(const std::string& name);

}  // namespace cdmlake::entitystore
