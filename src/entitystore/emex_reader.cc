#include "entitystore/emex_reader.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "cdm/json_document.h"
#include "entitystore/dependencies_csv.h"
#include "util/error.h"
#include "util/strings.h"

namespace cdmlake::entitystore {

namespace {

using nlohmann::json;

// The integer codes of DefaultAggregate, index = code. UNVERIFIED (spec §2.4): Newtonsoft omits a property
// that equals its default, and an omitted DefaultAggregate means Count (spec §6.3), so Count is taken to be 0.
// The order of the others follows the names as the metadata documents them. Shipped packages write "Sum"
// explicitly as a name or a code; if the codes turn out different, change this table (or pass EmexOptions).
constexpr Aggregate kDefaultAggregateCodes[] = {Aggregate::kCount,         Aggregate::kSum,
                                                Aggregate::kDistinctCount, Aggregate::kAverageOfChildren,
                                                Aggregate::kMax,           Aggregate::kMin};

// JoinMode of query data sources when written as an integer (X++ JoinMode order; informational only).
constexpr const char* kJoinModeCodes[] = {"InnerJoin", "OuterJoin", "ExistsJoin", "NoExistsJoin"};

const json& EmptyArray() {
  static const json empty = json::array();
  return empty;
}

const json* Member(const json& object, std::string_view key) { return cdm::Member(object, key); }

// A scalar member as text ("" when missing or null).
std::string Str(const json& object, std::string_view key) { return cdm::StringMember(object, key); }

// A scalar member as text, or nullopt when missing or null (Newtonsoft writes null for unset strings).
std::optional<std::string> OptStr(const json& object, std::string_view key) {
  const json* m = Member(object, key);
  if (m == nullptr || m->is_null()) return std::nullopt;
  return cdm::ScalarText(*m);
}

const json& Array(const json& object, std::string_view key) {
  const json* m = Member(object, key);
  return m != nullptr && m->is_array() ? *m : EmptyArray();
}

class EmexReader {
 public:
  EmexReader(const ZipArchive& zip, const EmexOptions& options) : zip_(zip), options_(options) {}

  MetadataPackage Read() {
    package_.format = PackageFormat::kEmex;
    package_.origin = zip_.path();
    if (!zip_.Contains("measurement.json")) {
      throw Error(ErrorKind::kData, "no measurement.json in the archive: not an EMEX package", Location{zip_.path()},
                  "an EMEX package is the zip written by EntityStoreMetadataExporter; use an .axpp file or a "
                  "folder for AOT XML");
    }
    ReadMeasurement();
    for (const std::string& entry : zip_.entries()) {
      std::string key = ZipEntryKey(entry);
      size_t slash = key.rfind('/');
      if (slash == std::string::npos) continue;
      std::string folder = key.substr(0, slash);
      std::string file = key.substr(slash + 1);
      bool is_json = EndsWithIgnoreCase(file, ".json");
      std::string stem = is_json ? file.substr(0, file.size() - 5) : file;
      if (folder == "DIMENSIONS" && is_json) {
        ReadDimension(entry, stem);
      } else if (folder == "VIEWS" && is_json) {
        ReadView(entry, stem);
      } else if (folder == "VIEWS" && file == "DEPENDENCIES.CSV") {
        package_.view_definitions = ParseDependenciesCsv(zip_.Read(entry), zip_.Describe(entry));
      } else if (folder == "QUERIES" && is_json) {
        ReadQuery(entry, stem);
      } else if (folder == "TABLES" && file == "TABLES.CSV") {
        ReadTableList(entry);
      } else if (folder == "TABLES" && is_json) {
        ReadTable(entry, stem);
      } else if (folder == "ENUMS" && is_json) {
        ReadEnum(entry, stem);
      }
    }
    if (int_codes_seen_) {
      std::string table;
      for (size_t i = 0; i < options_.aggregate_codes.size(); ++i) {
        table += (i ? ", " : "") + std::to_string(i) + "=" + AggregateName(options_.aggregate_codes[i]);
      }
      package_.warnings.push_back(zip_.Describe("measurement.json") +
                                  ": DefaultAggregate is written as integers, read with the unverified mapping " +
                                  table);
    }
    return std::move(package_);
  }

 private:
  // Parses an entry; `null` is returned as a null json only when allow_null.
  cdm::JsonDocument Parse(const std::string& entry, bool allow_null) {
    std::string where = zip_.Describe(entry);
    std::string text = zip_.Read(entry);
    if (allow_null && Trim(StripUtf8Bom(text)) == "null") return cdm::JsonDocument{where, std::move(text), nullptr};
    std::vector<cdm::Problem> problems;
    std::optional<cdm::JsonDocument> doc = cdm::ParseJsonDocument(where, std::move(text), &problems);
    if (!doc) {
      const cdm::Problem& p = problems.front();
      throw Error(ErrorKind::kData, p.message, Location{where, p.line});
    }
    return std::move(*doc);
  }

  SourceRef Ref(const cdm::JsonDocument& doc, const std::string& name) const {
    return SourceRef{doc.path, name.empty() ? 0 : static_cast<int>(doc.LineOfName(name))};
  }

  Attribute ParseAttribute(const json& a) {
    Attribute out;
    out.name = Str(a, "Name");
    out.name_field = Str(a, "NameField");
    for (const json& k : Array(a, "KeyFields")) {
      out.key_fields.push_back(k.is_object() ? Str(k, "DimensionField") : cdm::ScalarText(k));
    }
    if (const json* usage = Member(a, "Usage"); usage != nullptr) {
      std::string text = cdm::ScalarText(*usage);
      out.is_key = text == "1" || EqualsIgnoreCase(text, "Key");
    }
    out.type = Str(a, "Type");
    return out;
  }

  Aggregate ParseDefaultAggregate(const json& m, const std::string& where) {
    const json* value = Member(m, "DefaultAggregate");
    if (value == nullptr || value->is_null()) return Aggregate::kCount;
    std::string text = cdm::ScalarText(*value);
    Aggregate out;
    if (ParseAggregate(text, &out)) return out;
    int64_t code = 0;
    if (ParseInt64(text, &code)) {
      int_codes_seen_ = true;
      if (code >= 0 && static_cast<size_t>(code) < options_.aggregate_codes.size()) {
        return options_.aggregate_codes[static_cast<size_t>(code)];
      }
    }
    package_.warnings.push_back(where + ": measure " + Str(m, "Name") + " has the unknown DefaultAggregate '" + text +
                                "'; read as Count");
    return Aggregate::kCount;
  }

  DataSource ParseDataSource(const json& d) {
    DataSource out;
    out.name = Str(d, "Name");
    out.table = Str(d, "Table");
    for (const json& child : Array(d, "DataSources")) out.children.push_back(ParseDataSource(child));
    if (const json* mode = Member(d, "JoinMode"); mode != nullptr && !mode->is_null()) {
      out.join_mode = cdm::ScalarText(*mode);
      int64_t code = 0;
      if (ParseInt64(out.join_mode, &code) && code >= 0 && code < 4) out.join_mode = kJoinModeCodes[code];
    }
    for (const json& r : Array(d, "Relations")) out.joins.emplace_back(Str(r, "Field"), Str(r, "RelatedField"));
    return out;
  }

  void ReadMeasurement() {
    cdm::JsonDocument doc = Parse(*zip_.Find("measurement.json"), false);
    const json& j = doc.json;
    Measurement& m = package_.measurement;
    m.name = Str(j, "Name");
    m.label = Str(j, "Label");
    m.usage = Str(j, "Usage");
    m.source = SourceRef{doc.path, 1};
    for (const json& g : Array(j, "MeasureGroups")) {
      MeasureGroup group;
      group.name = Str(g, "Name");
      group.table = Str(g, "Table");
      group.source = Ref(doc, group.name);
      for (const json& a : Array(g, "Attributes")) group.attributes.push_back(ParseAttribute(a));
      for (const json& x : Array(g, "Measures")) {
        Measure measure;
        measure.name = OptStr(x, "Name");
        measure.field = OptStr(x, "Field");
        measure.aggregate = ParseDefaultAggregate(x, doc.path);
        measure.label = Str(x, "Label");
        group.measures.push_back(std::move(measure));
      }
      for (const json& d : Array(g, "Dimensions")) {
        DimensionReference ref;
        ref.name = Str(d, "Name");
        ref.dimension_name = Str(d, "DimensionName");
        for (const json& r : Array(d, "DimensionRelations")) {
          DimensionRelation relation;
          relation.dimension_attribute = Str(r, "DimensionAttribute");
          for (const json& c : Array(r, "Constraints")) {
            relation.constraints.push_back(RelationConstraint{Str(c, "Name"), Str(c, "RelatedField"), Str(c, "Field")});
          }
          ref.relations.push_back(std::move(relation));
        }
        group.dimensions.push_back(std::move(ref));
      }
      m.measure_groups.push_back(std::move(group));
    }
  }

  void ReadDimension(const std::string& entry, const std::string& stem) {
    cdm::JsonDocument doc = Parse(entry, false);
    Dimension d;
    d.name = Str(doc.json, "Name");
    if (d.name.empty()) d.name = stem;
    d.label = Str(doc.json, "Label");
    d.table = Str(doc.json, "Table");
    for (const json& a : Array(doc.json, "Attributes")) d.attributes.push_back(ParseAttribute(a));
    d.source = SourceRef{doc.path, 1};
    package_.dimensions.emplace(ToUpper(d.name), std::move(d));
  }

  static bool LooksLikeDataEntity(const json& j) {
    for (const char* key : {"PublicEntityName", "PublicCollectionName", "IsPublic", "EntityCategory",
                            "DataManagementEnabled", "StagingTable", "PrimaryKey"}) {
      if (Member(j, key) != nullptr) return true;
    }
    return Str(j, "$type").find("DataEntity") != std::string::npos;
  }

  void ReadView(const std::string& entry, const std::string& stem) {
    cdm::JsonDocument doc = Parse(entry, true);
    if (doc.json.is_null()) {
      package_.warnings.push_back(doc.path + " is null: " + stem +
                                  " is a SQL view without an AOT view or data entity; it has no field list");
      return;
    }
    View v;
    v.name = Str(doc.json, "Name");
    if (v.name.empty()) v.name = stem;
    v.is_data_entity = LooksLikeDataEntity(doc.json);
    for (const json& f : Array(doc.json, "Fields")) {
      v.fields.push_back(ViewField{Str(f, "Name"), Str(f, "DataSource"), Str(f, "DataField"), Str(f, "EnumType")});
    }
    if (const json* meta = Member(doc.json, "ViewMetadata"); meta != nullptr) {
      for (const json& d : Array(*meta, "DataSources")) v.data_sources.push_back(ParseDataSource(d));
    }
    v.query = Str(doc.json, "Query");
    v.source = SourceRef{doc.path, 1};
    package_.views.emplace(ToUpper(stem), std::move(v));
  }

  void ReadQuery(const std::string& entry, const std::string& stem) {
    cdm::JsonDocument doc = Parse(entry, false);
    Query q;
    q.name = Str(doc.json, "Name");
    if (q.name.empty()) q.name = stem;
    for (const json& d : Array(doc.json, "DataSources")) q.data_sources.push_back(ParseDataSource(d));
    q.source = SourceRef{doc.path, 1};
    package_.queries.emplace(ToUpper(stem), std::move(q));
  }

  void ReadTableList(const std::string& entry) {
    std::string text = zip_.Read(entry);
    bool header = true;
    for (const std::string& line : Split(StripUtf8Bom(text), '\n')) {
      std::string_view name = Trim(line);
      if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
      if (name.empty()) continue;
      if (header) {
        header = false;
        if (EqualsIgnoreCase(name, "TableName")) continue;
      }
      package_.table_list.emplace_back(name);
    }
  }

  void ReadTable(const std::string& entry, const std::string& stem) {
    cdm::JsonDocument doc = Parse(entry, false);
    Table t;
    t.name = Str(doc.json, "Name");
    if (t.name.empty()) t.name = stem;
    for (const json& f : Array(doc.json, "Fields")) t.fields.push_back(TableField{Str(f, "Name"), Str(f, "EnumType")});
    if (const json* per_company = Member(doc.json, "SaveDataPerCompany");
        per_company != nullptr && !per_company->is_null()) {
      // Absent in the default state (Yes); written when set to No. NoYes: No = 0, Yes = 1.
      t.save_data_per_company_set = true;
      std::string text = cdm::ScalarText(*per_company);
      if (text == "0" || EqualsIgnoreCase(text, "No") || EqualsIgnoreCase(text, "false")) {
        t.save_data_per_company = false;
      } else if (!(text == "1" || EqualsIgnoreCase(text, "Yes") || EqualsIgnoreCase(text, "true"))) {
        package_.warnings.push_back(doc.path + ": SaveDataPerCompany '" + text + "' is not Yes or No; read as Yes");
      }
    }
    t.source = SourceRef{doc.path, 1};
    package_.tables.emplace(ToUpper(stem), std::move(t));
  }

  void ReadEnum(const std::string& entry, const std::string& stem) {
    cdm::JsonDocument doc = Parse(entry, false);
    EnumTranslation e;
    e.field = ToUpper(Str(doc.json, "Name"));
    e.enum_name = ToUpper(Str(doc.json, "EnumName"));
    // The file is <TABLE>_<FIELD>.json and Name is the field; both parts may contain '_'.
    std::string key = ToUpper(stem);
    if (!e.field.empty() && key.size() > e.field.size() + 1 && key.ends_with("_" + e.field)) {
      e.table = key.substr(0, key.size() - e.field.size() - 1);
    } else {
      size_t underscore = key.rfind('_');
      e.table = underscore == std::string::npos ? key : key.substr(0, underscore);
      if (e.field.empty() && underscore != std::string::npos) e.field = key.substr(underscore + 1);
    }
    for (const json& t : Array(doc.json, "Translations")) {
      EnumValue v;
      v.symbol = Str(t, "Key");
      std::string value = Str(t, "Value");
      if (!ParseInt64(value, &v.value)) {
        package_.warnings.push_back(doc.path + ": the value '" + value + "' of " + v.symbol +
                                    " is not an integer; the entry is skipped");
        continue;
      }
      v.label = Str(t, "Label");
      e.values.push_back(std::move(v));
    }
    e.source = SourceRef{doc.path, 1};
    package_.enums.emplace(key, std::move(e));
  }

  const ZipArchive& zip_;
  const EmexOptions& options_;
  MetadataPackage package_;
  bool int_codes_seen_ = false;
};

}  // namespace

EmexOptions::EmexOptions() : aggregate_codes(std::begin(kDefaultAggregateCodes), std::end(kDefaultAggregateCodes)) {}

MetadataPackage ReadEmexPackage(const std::string& zip_path, const EmexOptions& options) {
  std::unique_ptr<ZipArchive> zip = ZipArchive::Open(zip_path);
  return ReadEmexPackage(*zip, options);
}

MetadataPackage ReadEmexPackage(const ZipArchive& zip, const EmexOptions& options) {
  return EmexReader(zip, options).Read();
}

std::vector<std::string> MissingDimensions(const MetadataPackage& package) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const MeasureGroup& group : package.measurement.measure_groups) {
    for (const DimensionReference& ref : group.dimensions) {
      if (package.FindDimension(ref.dimension_name) == nullptr && seen.insert(ToUpper(ref.dimension_name)).second) {
        out.push_back(ref.dimension_name);
      }
    }
  }
  return out;
}

}  // namespace cdmlake::entitystore
