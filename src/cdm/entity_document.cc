#include "cdm/entity_document.h"

#include <map>

#include "util/strings.h"

namespace cdmlake::cdm {

namespace {

int ToInt(const nlohmann::json* value, int fallback) {
  if (!value) return fallback;
  int64_t n = 0;
  return ParseInt64(ScalarText(*value), &n) ? static_cast<int>(n) : fallback;
}

// The rows of a constant entity: {"entityReference": {"constantValues": [[...]]}} or {"constantValues": ...}.
const nlohmann::json* ConstantValues(const nlohmann::json& list) {
  if (const nlohmann::json* ref = Member(list, "entityReference")) {
    if (const nlohmann::json* rows = Member(*ref, "constantValues")) return rows;
  }
  return Member(list, "constantValues");
}

std::vector<EnumValue> ReadEnumValues(const TraitRef& trait) {
  std::vector<EnumValue> out;
  const nlohmann::json* list = trait.Argument("defaultList", 0);
  const nlohmann::json* rows = list ? ConstantValues(*list) : nullptr;
  if (!rows || !rows->is_array()) return out;
  for (const auto& row : *rows) {
    if (!row.is_array() || row.size() < 3) continue;
    EnumValue v;
    v.label = ScalarText(row[1]);
    // D365 writes [language, label, symbol, value]; the standard listLookupValues shape is
    // [language, displayText, attributeValue, displayOrder].
    int64_t n = 0;
    if (row.size() >= 4 && ParseInt64(ScalarText(row[3]), &n) && !ParseInt64(ScalarText(row[2]), &v.value)) {
      v.symbol = ScalarText(row[2]);
      v.value = n;
    } else if (ParseInt64(ScalarText(row[2]), &n)) {
      v.symbol = v.label;
      v.value = n;
    } else {
      continue;
    }
    out.push_back(std::move(v));
  }
  return out;
}

// Names of user-defined data types (dataTypeName definitions, as D365 logical schemas have for EDTs) mapped to
// the type they extend.
std::map<std::string, std::string> DataTypeDefinitions(const JsonDocument& doc) {
  std::map<std::string, std::string> out;
  const nlohmann::json* defs = Member(doc.json, "definitions");
  if (!defs || !defs->is_array()) return out;
  for (const auto& d : *defs) {
    std::string name = StringMember(d, "dataTypeName");
    if (name.empty()) continue;
    const nlohmann::json* base = Member(d, "extendsDataType");
    std::string base_name;
    if (base && base->is_string()) base_name = base->get<std::string>();
    if (base && base->is_object()) base_name = StringMember(*base, "dataTypeReference");
    out[ToLower(name)] = base_name;
  }
  return out;
}

std::optional<DataFormat> ResolveTypeName(std::string name, const std::map<std::string, std::string>& defined) {
  for (int depth = 0; depth < 16 && !name.empty(); ++depth) {
    if (auto f = ParseDataTypeName(name)) return f;
    auto it = defined.find(ToLower(name));
    if (it == defined.end()) return std::nullopt;
    name = it->second;
  }
  return std::nullopt;
}

std::vector<std::string> TraitNames(const std::vector<TraitRef>& traits) {
  std::vector<std::string> names;
  for (const auto& t : traits) names.push_back(t.name);
  return names;
}

}  // namespace

const nlohmann::json* FindEntityDefinition(const JsonDocument& doc, std::string_view entity_name) {
  const nlohmann::json* defs = Member(doc.json, "definitions");
  if (!defs || !defs->is_array()) return nullptr;
  for (const auto& d : *defs) {
    if (EqualsIgnoreCase(StringMember(d, "entityName"), entity_name)) return &d;
  }
  return nullptr;
}

void ApplyAttributeTraits(const std::vector<TraitRef>& traits, Attribute* a) {
  if (const TraitRef* shaped = FindTrait(traits, "is.dataFormat.numeric.shaped")) {
    a->precision = ToInt(shaped->Argument("precision", 0), a->precision);
    a->scale = ToInt(shaped->Argument("scale", 1), a->scale);
  }
  if (const TraitRef* constrained = FindTrait(traits, "is.constrained")) {
    if (a->maximum_length < 0) a->maximum_length = ToInt(constrained->Argument("maximumLength", 0), -1);
  }
  if (FindTrait(traits, "is.identifiedBy")) a->primary_key = true;
  if (const TraitRef* nullable = FindTrait(traits, "is.nullable")) {
    const nlohmann::json* v = nullable->Argument("value", 0);
    a->nullable = !v || !EqualsIgnoreCase(ScalarText(*v), "false");
  }
  const TraitRef* list = FindTrait(traits, "is.constrainedList.wellKnown");
  if (!list) list = FindTrait(traits, "is.constrainedList");
  if (list && a->enum_values.empty()) a->enum_values = ReadEnumValues(*list);
}

std::vector<Attribute> ReadEntityAttributes(const JsonDocument& doc, const nlohmann::json& definition,
                                            const std::string& entity, std::vector<Problem>* problems,
                                            bool* readable) {
  std::vector<Attribute> out;
  const auto data_types = DataTypeDefinitions(doc);
  const nlohmann::json* attributes = Member(definition, "hasAttributes");
  if (!attributes || !attributes->is_array()) {
    problems->push_back(Problem{Severity::kError, doc.path, doc.LineOfName(entity), entity,
                                "the entity definition has no hasAttributes list"});
    *readable = false;
    return out;
  }
  auto error = [&](int64_t line, const std::string& message) {
    problems->push_back(Problem{Severity::kError, doc.path, line, entity, message});
    *readable = false;
  };
  for (const auto& a : *attributes) {
    if (!a.is_object() || Member(a, "entity") || Member(a, "attributeGroupReference") || !Member(a, "name")) {
      std::string what = a.is_object() && Member(a, "attributeGroupReference") ? "an attribute group reference"
                         : a.is_object() && Member(a, "entity")                 ? "an entity attribute"
                                                                                : "an attribute without a name";
      error(doc.LineOfName(entity), "the definition holds " + what +
                                        ": only resolved entity documents can be read; point the manifest's "
                                        "entityPath at the resolved copy (resolved/<Entity>.cdm.json)");
      continue;
    }
    Attribute attr;
    attr.name = StringMember(a, "name");
    // Finding a line scans the document: only done for a problem.
    auto line = [&doc, &attr] { return doc.LineOfName(attr.name); };
    std::vector<TraitRef> traits;
    if (const nlohmann::json* applied = Member(a, "appliedTraits")) traits = ParseTraits(*applied);
    std::optional<DataFormat> format;
    if (std::string df = StringMember(a, "dataFormat"); !df.empty()) {
      attr.declared_type = df;
      format = ParseDataFormat(df);
      if (!format) {
        error(line(), "attribute " + attr.name + " has the unknown dataFormat '" + df + "'");
        continue;
      }
    }
    if (const nlohmann::json* dt = Member(a, "dataType"); dt && !format) {
      std::string name = dt->is_string() ? dt->get<std::string>() : StringMember(*dt, "dataTypeReference");
      if (dt->is_object()) {
        if (const nlohmann::json* dt_traits = Member(*dt, "appliedTraits")) {
          for (auto& t : ParseTraits(*dt_traits)) traits.push_back(std::move(t));
        }
      }
      attr.declared_type = name;
      format = ResolveTypeName(name, data_types);
      if (!format) format = DataFormatFromTraits(TraitNames(traits));
      if (!format) {
        error(line(), "attribute " + attr.name + " has the unknown data type '" + name + "'");
        continue;
      }
    }
    if (!format) format = DataFormatFromTraits(TraitNames(traits));
    if (!format) {
      error(line(), "attribute " + attr.name + " has no dataFormat, dataType or is.dataFormat trait");
      continue;
    }
    attr.format = *format;
    if (attr.declared_type.empty()) attr.declared_type = DataFormatName(attr.format);
    ApplyAttributeTraits(traits, &attr);
    if (const nlohmann::json* ml = Member(a, "maximumLength")) attr.maximum_length = ToInt(ml, attr.maximum_length);
    if (const nlohmann::json* n = Member(a, "isNullable"); n && n->is_boolean()) attr.nullable = n->get<bool>();
    if (const nlohmann::json* pk = Member(a, "isPrimaryKey"); pk && pk->is_boolean()) attr.primary_key = pk->get<bool>();
    if (const nlohmann::json* purpose = Member(a, "purpose")) {
      std::string p = purpose->is_string() ? purpose->get<std::string>() : StringMember(*purpose, "purposeReference");
      if (EqualsIgnoreCase(p, "identifiedBy")) attr.primary_key = true;
    }
    attr.description = StringMember(a, "description");
    if (attr.format == DataFormat::kDecimal && attr.precision > kMaxDecimalPrecision) {
      problems->push_back(Problem{Severity::kWarning, doc.path, line(), entity,
                                  "attribute " + attr.name + " declares precision " + std::to_string(attr.precision) +
                                      "; DuckDB's maximum is 38, values with more digits cannot be read"});
    }
    if (attr.format == DataFormat::kDecimal && attr.scale > attr.precision && attr.precision > 0) {
      error(line(), "attribute " + attr.name + " declares scale " + std::to_string(attr.scale) +
                      " above its precision " + std::to_string(attr.precision));
      continue;
    }
    out.push_back(std::move(attr));
  }
  if (out.empty() && *readable) {
    error(doc.LineOfName(entity), "the entity has no attributes");
  }
  return out;
}

}  // namespace cdmlake::cdm
