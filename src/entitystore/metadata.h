// The metadata of one aggregate measurement, as cdmlake holds it after import: the AxAggregateMeasurement,
// the AxAggregateDimensions it references, and the AOT views, queries, tables and enums behind them, plus
// the T-SQL definitions of the D365 views they depend on.
//
// Both import paths fill this model: an EMEX package (a zip of Newtonsoft-serialised metadata, see
// ../shared/specs/entity-store.md §2) and AOT XML (a folder or an .axpp zip, §6.4). Field names follow the
// metadata property names, which equal the XML element names. Defaults of omitted properties are applied by
// the readers (a missing DefaultAggregate is Count, a missing Usage is a normal attribute, a missing
// SaveDataPerCompany is Yes, a missing enum Value is 0), so consumers never see "absent".
//
// Lookup maps are keyed by the UPPER-CASED element name, as EMEX names its files; each element keeps its
// original spelling in `name`. Plain structs, no behaviour beyond lookups. Thread-compatible.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cdmlake::entitystore {

// Where an element came from, for error messages: a zip entry or file, and a line when known (0 = unknown).
struct SourceRef {
  std::string file;  // e.g. "SalesCube.zip:dimensions\\CUSTOMER.json" or "AxAggregateDimension/Customer.xml"
  int line = 0;
};

enum class Aggregate { kSum, kCount, kDistinctCount, kAverageOfChildren, kMin, kMax };

// Names as written in metadata ("Sum", "Count", "DistinctCount", "AverageOfChildren", "Min", "Max").
const char* AggregateName(Aggregate aggregate);
// Case-insensitive; false for an unknown name.
bool ParseAggregate(const std::string& text, Aggregate* out);

// AxDimensionAttribute (on an aggregate dimension) or an attribute of a measure group (degenerate dimension).
struct Attribute {
  std::string name;
  std::string name_field;               // NameField; may be empty
  std::vector<std::string> key_fields;  // KeyFields[].DimensionField, in order
  bool is_key = false;                  // Usage == Key (1)
  std::string type;                     // Type (e.g. "Caption"); informational
};

struct Measure {
  // Either may be absent (ESYN has distinct rules for null and for empty, spec §3.4 step 3).
  std::optional<std::string> name;
  std::optional<std::string> field;
  Aggregate aggregate = Aggregate::kCount;  // DefaultAggregate; Count when omitted
  std::string label;
};

struct RelationConstraint {
  std::string name;           // the constraint's name (ESYN uses it as the fact column alias)
  std::string related_field;  // the fact-side field
  std::string field;          // the dimension-side field
};

struct DimensionRelation {
  std::string dimension_attribute;  // the dimension's key attribute; may be empty
  std::vector<RelationConstraint> constraints;
};

// A measure group's reference to an aggregate dimension (AxDimension). `name` is the role
// (e.g. "ShippingDate"), `dimension_name` the AxAggregateDimension (e.g. "Date_").
struct DimensionReference {
  std::string name;
  std::string dimension_name;
  std::vector<DimensionRelation> relations;
};

struct MeasureGroup {
  std::string name;
  std::string table;  // the fact source: AOT table, view or data entity
  std::vector<Attribute> attributes;
  std::vector<Measure> measures;
  std::vector<DimensionReference> dimensions;
  SourceRef source;
};

struct Measurement {
  std::string name;
  std::string label;
  std::string usage;  // "StagedEntityStore", "InMemoryRealTime" or "" (informational)
  std::vector<MeasureGroup> measure_groups;
  SourceRef source;
};

struct Dimension {  // AxAggregateDimension
  std::string name;
  std::string label;
  std::string table;
  std::vector<Attribute> attributes;
  SourceRef source;
};

struct ViewField {
  std::string name;
  std::string data_source;  // DataSource (an alias in the view's query)
  std::string data_field;   // DataField
  std::string enum_type;    // EnumType, when the field is an enum
};

struct DataSource {  // AxQuerySimpleRootDataSource / embedded data sources
  std::string name;
  std::string table;
  std::vector<DataSource> children;
  // The join to the parent data source, when declared (AOT XML Relations / JoinMode); empty otherwise.
  std::string join_mode;                                    // "InnerJoin", "OuterJoin", ... ("" = inner)
  std::vector<std::pair<std::string, std::string>> joins;   // (this field, parent field)
};

struct View {  // AxView or AxDataEntityView
  std::string name;
  bool is_data_entity = false;
  std::vector<ViewField> fields;
  std::vector<DataSource> data_sources;  // ViewMetadata.DataSources
  std::string query;                     // Query (the name of an AxQuery), or ""
  SourceRef source;
};

struct Query {  // AxQuery
  std::string name;
  std::vector<DataSource> data_sources;
  SourceRef source;
};

struct TableField {
  std::string name;
  std::string enum_type;  // "" when not an enum field
};

struct Table {  // AxTable
  std::string name;
  bool save_data_per_company = true;       // default Yes
  bool save_data_per_company_set = false;  // the property was present (ESYN tests presence, spec §3.4)
  std::vector<TableField> fields;
  SourceRef source;
};

struct EnumValue {
  std::string symbol;  // the enum value's Name ("Key" in EMEX files)
  int64_t value = 0;
  std::string label;   // may be empty
};

// An enum translation file (EMEX enums\<TABLE>_<FIELD>.json), or the same derived from AxEnum XML.
struct EnumTranslation {
  std::string table;      // upper case: the measure-group or dimension Table
  std::string field;      // upper case
  std::string enum_name;  // upper case
  std::vector<EnumValue> values;
  SourceRef source;
};

struct AxEnum {  // AOT XML only: AxEnum/<Enum>.xml with extensions merged
  std::string name;
  std::vector<EnumValue> values;
  SourceRef source;
};

// One row of views\dependencies.csv: a D365 SQL view to create, deepest dependencies first.
struct ViewDefinition {
  std::string view_name;
  std::string root_view_name;
  std::string parent_view_name;
  std::string definition;  // raw T-SQL, "CREATE [OR ALTER] VIEW ... AS SELECT ..."
  SourceRef source;        // file and line of the row's first physical line
};

enum class PackageFormat { kEmex, kAotXml };

struct MetadataPackage {
  PackageFormat format = PackageFormat::kEmex;
  std::string origin;  // the imported path, as given
  Measurement measurement;
  std::map<std::string, Dimension> dimensions;  // by upper-cased dimension name
  std::map<std::string, View> views;            // by upper-cased view name
  std::map<std::string, Query> queries;
  std::map<std::string, Table> tables;
  std::vector<std::string> table_list;                 // tables\tables.csv, in file order
  std::map<std::string, EnumTranslation> enums;         // by "<TABLE>_<FIELD>" (upper case)
  std::map<std::string, AxEnum> ax_enums;               // AOT XML only, by upper-cased enum name
  std::vector<ViewDefinition> view_definitions;         // in creation order (dependencies.csv order)
  std::vector<std::string> warnings;                    // non-fatal findings of the reader, for the user

  const Dimension* FindDimension(const std::string& name) const;
  const View* FindView(const std::string& name) const;
  const Query* FindQuery(const std::string& name) const;
  const Table* FindTable(const std::string& name) const;
  const EnumTranslation* FindEnum(const std::string& table, const std::string& field) const;
};

}  // namespace cdmlake::entitystore
