#include "entitystore/package_codec.h"

#include <nlohmann/json.hpp>

#include "cdm/json_document.h"
#include "util/error.h"
#include "util/strings.h"

namespace cdmlake::entitystore {

namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kFormatName = "cdmlake.entitystore.package";

// ---- Encoding ----

// Declared first: the list and map templates below call them (the types' namespace is not searched for them).
Json Encode(const SourceRef& value);
Json Encode(const Attribute& value);
Json Encode(const Measure& value);
Json Encode(const RelationConstraint& value);
Json Encode(const DimensionRelation& value);
Json Encode(const DimensionReference& value);
Json Encode(const MeasureGroup& value);
Json Encode(const Measurement& value);
Json Encode(const Dimension& value);
Json Encode(const ViewField& value);
Json Encode(const DataSource& value);
Json Encode(const View& value);
Json Encode(const Query& value);
Json Encode(const TableField& value);
Json Encode(const Table& value);
Json Encode(const EnumValue& value);
Json Encode(const EnumTranslation& value);
Json Encode(const AxEnum& value);
Json Encode(const ViewDefinition& value);
void Decode(const Json& j, SourceRef* out);
void Decode(const Json& j, Attribute* out);
void Decode(const Json& j, Measure* out);
void Decode(const Json& j, RelationConstraint* out);
void Decode(const Json& j, DimensionRelation* out);
void Decode(const Json& j, DimensionReference* out);
void Decode(const Json& j, MeasureGroup* out);
void Decode(const Json& j, Measurement* out);
void Decode(const Json& j, Dimension* out);
void Decode(const Json& j, ViewField* out);
void Decode(const Json& j, DataSource* out);
void Decode(const Json& j, View* out);
void Decode(const Json& j, Query* out);
void Decode(const Json& j, TableField* out);
void Decode(const Json& j, Table* out);
void Decode(const Json& j, EnumValue* out);
void Decode(const Json& j, EnumTranslation* out);
void Decode(const Json& j, AxEnum* out);
void Decode(const Json& j, ViewDefinition* out);

Json Encode(const SourceRef& s) { return Json{{"file", s.file}, {"line", s.line}}; }

Json EncodeOptional(const std::optional<std::string>& value) { return value ? Json(*value) : Json(nullptr); }

Json Encode(const Attribute& a) {
  return Json{{"name", a.name},
              {"nameField", a.name_field},
              {"keyFields", a.key_fields},
              {"isKey", a.is_key},
              {"type", a.type}};
}

template <typename T>
Json EncodeList(const std::vector<T>& items) {
  Json out = Json::array();
  for (const T& item : items) out.push_back(Encode(item));
  return out;
}

template <typename T>
Json EncodeMap(const std::map<std::string, T>& items) {
  Json out = Json::object();
  for (const auto& [key, item] : items) out[key] = Encode(item);
  return out;
}

Json Encode(const Measure& m) {
  return Json{{"name", EncodeOptional(m.name)},
              {"field", EncodeOptional(m.field)},
              {"aggregate", AggregateName(m.aggregate)},
              {"label", m.label}};
}

Json Encode(const RelationConstraint& c) {
  return Json{{"name", c.name}, {"relatedField", c.related_field}, {"field", c.field}};
}

Json Encode(const DimensionRelation& r) {
  return Json{{"dimensionAttribute", r.dimension_attribute}, {"constraints", EncodeList(r.constraints)}};
}

Json Encode(const DimensionReference& d) {
  return Json{{"name", d.name}, {"dimensionName", d.dimension_name}, {"relations", EncodeList(d.relations)}};
}

Json Encode(const MeasureGroup& g) {
  return Json{{"name", g.name},
              {"table", g.table},
              {"attributes", EncodeList(g.attributes)},
              {"measures", EncodeList(g.measures)},
              {"dimensions", EncodeList(g.dimensions)},
              {"source", Encode(g.source)}};
}

Json Encode(const Measurement& m) {
  return Json{{"name", m.name},
              {"label", m.label},
              {"usage", m.usage},
              {"measureGroups", EncodeList(m.measure_groups)},
              {"source", Encode(m.source)}};
}

Json Encode(const Dimension& d) {
  return Json{{"name", d.name},
              {"label", d.label},
              {"table", d.table},
              {"attributes", EncodeList(d.attributes)},
              {"source", Encode(d.source)}};
}

Json Encode(const ViewField& f) {
  return Json{{"name", f.name}, {"dataSource", f.data_source}, {"dataField", f.data_field}, {"enumType", f.enum_type}};
}

Json Encode(const DataSource& d) {
  Json joins = Json::array();
  for (const auto& [field, related] : d.joins) joins.push_back(Json{{"field", field}, {"relatedField", related}});
  return Json{{"name", d.name},
              {"table", d.table},
              {"children", EncodeList(d.children)},
              {"joinMode", d.join_mode},
              {"joins", joins}};
}

Json Encode(const View& v) {
  return Json{{"name", v.name},
              {"isDataEntity", v.is_data_entity},
              {"fields", EncodeList(v.fields)},
              {"dataSources", EncodeList(v.data_sources)},
              {"query", v.query},
              {"source", Encode(v.source)}};
}

Json Encode(const Query& q) {
  return Json{{"name", q.name}, {"dataSources", EncodeList(q.data_sources)}, {"source", Encode(q.source)}};
}

Json Encode(const TableField& f) { return Json{{"name", f.name}, {"enumType", f.enum_type}}; }

Json Encode(const Table& t) {
  return Json{{"name", t.name},
              {"saveDataPerCompany", t.save_data_per_company},
              {"saveDataPerCompanySet", t.save_data_per_company_set},
              {"fields", EncodeList(t.fields)},
              {"source", Encode(t.source)}};
}

Json Encode(const EnumValue& v) { return Json{{"symbol", v.symbol}, {"value", v.value}, {"label", v.label}}; }

Json Encode(const EnumTranslation& e) {
  return Json{{"table", e.table},
              {"field", e.field},
              {"enumName", e.enum_name},
              {"values", EncodeList(e.values)},
              {"source", Encode(e.source)}};
}

Json Encode(const AxEnum& e) {
  return Json{{"name", e.name}, {"values", EncodeList(e.values)}, {"source", Encode(e.source)}};
}

Json Encode(const ViewDefinition& d) {
  return Json{{"viewName", d.view_name},
              {"rootViewName", d.root_view_name},
              {"parentViewName", d.parent_view_name},
              {"definition", d.definition},
              {"source", Encode(d.source)}};
}

// ---- Decoding: a missing member keeps the default; a member of the wrong type throws json::type_error ----

const Json& Member(const Json& j, const char* key) {
  static const Json null_value;
  auto it = j.find(key);
  return it == j.end() ? null_value : *it;
}

void Get(const Json& j, const char* key, std::string* out) {
  const Json& m = Member(j, key);
  if (!m.is_null()) *out = m.get<std::string>();
}
void Get(const Json& j, const char* key, bool* out) {
  const Json& m = Member(j, key);
  if (!m.is_null()) *out = m.get<bool>();
}
void Get(const Json& j, const char* key, int* out) {
  const Json& m = Member(j, key);
  if (!m.is_null()) *out = m.get<int>();
}
void Get(const Json& j, const char* key, int64_t* out) {
  const Json& m = Member(j, key);
  if (!m.is_null()) *out = m.get<int64_t>();
}
void Get(const Json& j, const char* key, std::optional<std::string>* out) {
  const Json& m = Member(j, key);
  *out = m.is_null() ? std::nullopt : std::optional<std::string>(m.get<std::string>());
}
void Get(const Json& j, const char* key, std::vector<std::string>* out) {
  const Json& m = Member(j, key);
  if (!m.is_null()) *out = m.get<std::vector<std::string>>();
}

void Decode(const Json& j, SourceRef* s) {
  Get(j, "file", &s->file);
  Get(j, "line", &s->line);
}

template <typename T>
void GetList(const Json& j, const char* key, std::vector<T>* out) {
  const Json& m = Member(j, key);
  if (m.is_null()) return;
  if (!m.is_array()) throw std::runtime_error(std::string("member '") + key + "' is not an array");
  for (const Json& item : m) {
    T value;
    Decode(item, &value);
    out->push_back(std::move(value));
  }
}

template <typename T>
void GetMap(const Json& j, const char* key, std::map<std::string, T>* out) {
  const Json& m = Member(j, key);
  if (m.is_null()) return;
  if (!m.is_object()) throw std::runtime_error(std::string("member '") + key + "' is not an object");
  for (auto it = m.begin(); it != m.end(); ++it) Decode(it.value(), &(*out)[it.key()]);
}

void Decode(const Json& j, Attribute* a) {
  Get(j, "name", &a->name);
  Get(j, "nameField", &a->name_field);
  Get(j, "keyFields", &a->key_fields);
  Get(j, "isKey", &a->is_key);
  Get(j, "type", &a->type);
}

void Decode(const Json& j, Measure* m) {
  Get(j, "name", &m->name);
  Get(j, "field", &m->field);
  std::string aggregate;
  Get(j, "aggregate", &aggregate);
  if (!aggregate.empty() && !ParseAggregate(aggregate, &m->aggregate)) {
    throw std::runtime_error("unknown aggregate '" + aggregate + "'");
  }
  Get(j, "label", &m->label);
}

void Decode(const Json& j, RelationConstraint* c) {
  Get(j, "name", &c->name);
  Get(j, "relatedField", &c->related_field);
  Get(j, "field", &c->field);
}

void Decode(const Json& j, DimensionRelation* r) {
  Get(j, "dimensionAttribute", &r->dimension_attribute);
  GetList(j, "constraints", &r->constraints);
}

void Decode(const Json& j, DimensionReference* d) {
  Get(j, "name", &d->name);
  Get(j, "dimensionName", &d->dimension_name);
  GetList(j, "relations", &d->relations);
}

void Decode(const Json& j, MeasureGroup* g) {
  Get(j, "name", &g->name);
  Get(j, "table", &g->table);
  GetList(j, "attributes", &g->attributes);
  GetList(j, "measures", &g->measures);
  GetList(j, "dimensions", &g->dimensions);
  Decode(Member(j, "source"), &g->source);
}

void Decode(const Json& j, Measurement* m) {
  Get(j, "name", &m->name);
  Get(j, "label", &m->label);
  Get(j, "usage", &m->usage);
  GetList(j, "measureGroups", &m->measure_groups);
  Decode(Member(j, "source"), &m->source);
}

void Decode(const Json& j, Dimension* d) {
  Get(j, "name", &d->name);
  Get(j, "label", &d->label);
  Get(j, "table", &d->table);
  GetList(j, "attributes", &d->attributes);
  Decode(Member(j, "source"), &d->source);
}

void Decode(const Json& j, ViewField* f) {
  Get(j, "name", &f->name);
  Get(j, "dataSource", &f->data_source);
  Get(j, "dataField", &f->data_field);
  Get(j, "enumType", &f->enum_type);
}

void Decode(const Json& j, DataSource* d) {
  Get(j, "name", &d->name);
  Get(j, "table", &d->table);
  GetList(j, "children", &d->children);
  Get(j, "joinMode", &d->join_mode);
  const Json& joins = Member(j, "joins");
  if (joins.is_array()) {
    for (const Json& join : joins) {
      std::pair<std::string, std::string> pair;
      Get(join, "field", &pair.first);
      Get(join, "relatedField", &pair.second);
      d->joins.push_back(std::move(pair));
    }
  }
}

void Decode(const Json& j, View* v) {
  Get(j, "name", &v->name);
  Get(j, "isDataEntity", &v->is_data_entity);
  GetList(j, "fields", &v->fields);
  GetList(j, "dataSources", &v->data_sources);
  Get(j, "query", &v->query);
  Decode(Member(j, "source"), &v->source);
}

void Decode(const Json& j, Query* q) {
  Get(j, "name", &q->name);
  GetList(j, "dataSources", &q->data_sources);
  Decode(Member(j, "source"), &q->source);
}

void Decode(const Json& j, TableField* f) {
  Get(j, "name", &f->name);
  Get(j, "enumType", &f->enum_type);
}

void Decode(const Json& j, Table* t) {
  Get(j, "name", &t->name);
  Get(j, "saveDataPerCompany", &t->save_data_per_company);
  Get(j, "saveDataPerCompanySet", &t->save_data_per_company_set);
  GetList(j, "fields", &t->fields);
  Decode(Member(j, "source"), &t->source);
}

void Decode(const Json& j, EnumValue* v) {
  Get(j, "symbol", &v->symbol);
  Get(j, "value", &v->value);
  Get(j, "label", &v->label);
}

void Decode(const Json& j, EnumTranslation* e) {
  Get(j, "table", &e->table);
  Get(j, "field", &e->field);
  Get(j, "enumName", &e->enum_name);
  GetList(j, "values", &e->values);
  Decode(Member(j, "source"), &e->source);
}

void Decode(const Json& j, AxEnum* e) {
  Get(j, "name", &e->name);
  GetList(j, "values", &e->values);
  Decode(Member(j, "source"), &e->source);
}

void Decode(const Json& j, ViewDefinition* d) {
  Get(j, "viewName", &d->view_name);
  Get(j, "rootViewName", &d->root_view_name);
  Get(j, "parentViewName", &d->parent_view_name);
  Get(j, "definition", &d->definition);
  Decode(Member(j, "source"), &d->source);
}

}  // namespace

std::string EncodePackage(const MetadataPackage& package) {
  Json j;
  j["format"] = kFormatName;
  j["version"] = kPackageCodecVersion;
  j["packageFormat"] = package.format == PackageFormat::kEmex ? "emex" : "aotXml";
  j["origin"] = package.origin;
  j["measurement"] = Encode(package.measurement);
  j["dimensions"] = EncodeMap(package.dimensions);
  j["views"] = EncodeMap(package.views);
  j["queries"] = EncodeMap(package.queries);
  j["tables"] = EncodeMap(package.tables);
  j["tableList"] = package.table_list;
  j["enums"] = EncodeMap(package.enums);
  j["axEnums"] = EncodeMap(package.ax_enums);
  j["viewDefinitions"] = EncodeList(package.view_definitions);
  j["warnings"] = package.warnings;
  return j.dump(2) + "\n";
}

MetadataPackage DecodePackage(std::string_view text, const std::string& file) {
  Json j;
  try {
    std::string_view body = StripUtf8Bom(text);
    j = Json::parse(body.begin(), body.end());
  } catch (const Json::parse_error&) {
    // cdm's reader turns the parse error into a line and column.
    std::vector<cdm::Problem> problems;
    cdm::ParseJsonDocument(file, std::string(text), &problems);
    const cdm::Problem& p = problems.front();
    throw Error(ErrorKind::kData, p.message, Location{file, p.line});
  }
  if (!j.is_object()) throw Error(ErrorKind::kData, "the package is not a JSON object", Location{file});
  MetadataPackage package;
  try {
    std::string format;
    Get(j, "format", &format);
    if (format != kFormatName) {
      throw Error(ErrorKind::kData, "not a cdmlake entity-store package (format '" + format + "')", Location{file});
    }
    int version = 0;
    Get(j, "version", &version);
    if (version < 1 || version > kPackageCodecVersion) {
      throw Error(ErrorKind::kData,
                  "package version " + std::to_string(version) + " is not supported (this cdmlake reads up to " +
                      std::to_string(kPackageCodecVersion) + ")",
                  Location{file}, "import the measurement again, or use a newer cdmlake");
    }
    std::string package_format;
    Get(j, "packageFormat", &package_format);
    package.format = package_format == "aotXml" ? PackageFormat::kAotXml : PackageFormat::kEmex;
    Get(j, "origin", &package.origin);
    Decode(Member(j, "measurement"), &package.measurement);
    GetMap(j, "dimensions", &package.dimensions);
    GetMap(j, "views", &package.views);
    GetMap(j, "queries", &package.queries);
    GetMap(j, "tables", &package.tables);
    Get(j, "tableList", &package.table_list);
    GetMap(j, "enums", &package.enums);
    GetMap(j, "axEnums", &package.ax_enums);
    GetList(j, "viewDefinitions", &package.view_definitions);
    Get(j, "warnings", &package.warnings);
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Error(ErrorKind::kData, std::string("malformed entity-store package: ") + e.what(), Location{file});
  }
  return package;
}

}  // namespace cdmlake::entitystore
