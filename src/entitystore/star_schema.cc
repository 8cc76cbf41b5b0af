#include "entitystore/star_schema.h"

#include <set>

#include "util/error.h"
#include "util/strings.h"

namespace cdmlake::entitystore {

namespace {

const char* const kSystemColumns[] = {"RECID", "PARTITION", "DATAAREAID"};

// The calendar attributes of a generated Date_ dimension: (column, part understood by the DDL printer).
const std::pair<const char*, const char*> kCalendarColumns[] = {
    {"DATE", "date"},           {"DAY", "day"},         {"DAYOFWEEK", "dayofweek"}, {"DAYNAME", "dayname"},
    {"WEEK", "week"},           {"MONTH", "month"},     {"MONTHNAME", "monthname"}, {"QUARTER", "quarter"},
    {"QUARTERNAME", "quartername"}, {"YEAR", "year"},   {"YEARMONTH", "yearmonth"}, {"YEARQUARTER", "yearquarter"},
};

Error MetadataError(const MetadataPackage& package, const std::string& message, const SourceRef& source = {}) {
  Location location{source.file.empty() ? package.origin : source.file, source.line, package.measurement.name};
  return Error(ErrorKind::kData, message, location);
}

bool IsReserved(const std::string& name) {
  std::string upper = ToUpper(name);
  return upper == "KEY" || upper == "COMMENT" || upper == "COUNT";
}

// D365 stores fields named KEY, COMMENT and COUNT as SQL columns KEY_, COMMENT_, COUNT_ (spec §3.3); the
// metadata names the field, the lake has the column.
std::string SourceColumn(const std::string& field) { return IsReserved(field) ? ToUpper(field) + "_" : field; }

ColumnExpr Field(const std::string& field) { return {ColumnExpr::Kind::kField, {SourceColumn(field)}, {}, {}}; }

// An ordered list of output columns where the first column of a name wins (ESYN's ordered map, §3.4).
class ColumnList {
 public:
  // Returns false (and adds nothing) when a column of that name exists.
  bool Add(StarColumn column) {
    if (!names_.insert(ToUpper(column.name)).second) return false;
    columns_.push_back(std::move(column));
    return true;
  }
  bool Has(const std::string& name) const { return names_.count(ToUpper(name)) > 0; }
  std::vector<StarColumn>& columns() { return columns_; }

 private:
  std::vector<StarColumn> columns_;
  std::set<std::string> names_;
};

// RECID, PARTITION and DATAAREAID are added at the end unless an earlier column took the name, and only when
// the source has them (ESYN adds them blindly and retries with made-up values, §3.7).
class SystemColumns {
 public:
  void Remove(const std::string& name) { removed_.insert(ToUpper(name)); }
  void AddTo(ColumnList* list, const std::optional<std::vector<std::string>>& source_columns) const {
    for (const char* name : kSystemColumns) {
      if (removed_.count(name)) continue;
      if (source_columns && !Contains(*source_columns, name)) continue;
      list->Add({name, Field(name), ColumnRole::kSystem});
    }
  }

 private:
  static bool Contains(const std::vector<std::string>& columns, const std::string& name) {
    for (const auto& c : columns) {
      if (EqualsIgnoreCase(c, name)) return true;
    }
    return false;
  }
  std::set<std::string> removed_;
};

// Replaces each field column of an enum-typed source field by `<source> AS <ALIAS>_VALUE` in place and appends
// the label column `<ALIAS>` (ESYN's §3.6, done on the structure instead of the statement text).
void TranslateEnums(const MetadataPackage& package, const std::string& table, ColumnList* list) {
  std::vector<StarColumn> labels;
  for (StarColumn& column : list->columns()) {
    if (column.expr.kind != ColumnExpr::Kind::kField) continue;
    if (column.role == ColumnRole::kMeasure || column.role == ColumnRole::kForeignKey) continue;
    const EnumTranslation* translation = package.FindEnum(table, column.expr.fields[0]);
    if (!translation) continue;
    StarColumn label{column.name, {ColumnExpr::Kind::kEnumLabel, column.expr.fields, {}, translation->values},
                     ColumnRole::kEnumLabel};
    column.name += "_VALUE";
    column.role = ColumnRole::kEnumValue;
    labels.push_back(std::move(label));
  }
  for (auto& label : labels) list->columns().push_back(std::move(label));
}

const Attribute* KeyAttribute(const Dimension& dimension, const std::string& preferred) {
  if (!preferred.empty()) {
    for (const auto& a : dimension.attributes) {
      if (EqualsIgnoreCase(a.name, preferred) && !a.key_fields.empty()) return &a;
    }
  }
  for (const auto& a : dimension.attributes) {
    if (a.is_key) return &a;
  }
  return nullptr;
}

std::string ForeignKeyName(const std::string& measurement, const std::string& reference) {
  return measurement + "_" + reference + "_FK";
}

// The key expression of a dimension: the key itself, or CONCAT of its fields in the key attribute's order.
ColumnExpr KeyExpr(std::vector<std::string> fields, bool date) {
  for (auto& f : fields) f = SourceColumn(f);
  if (fields.size() == 1) return {date ? ColumnExpr::Kind::kDateKey : ColumnExpr::Kind::kField, fields, {}, {}};
  return {ColumnExpr::Kind::kConcat, fields, {}, {}};
}

class Builder {
 public:
  Builder(const MetadataPackage& package, const StarOptions& options) : package_(package), options_(options) {
    schema_.measurement = package.measurement.name;
  }

  StarSchema Build() {
    std::set<std::string> seen_references;
    for (const MeasureGroup& group : package_.measurement.measure_groups) {
      std::set<std::string> group_references;
      for (const DimensionReference& reference : group.dimensions) {
        if (!group_references.insert(ToUpper(reference.name)).second) {
          throw MetadataError(package_,
                              "measure group " + group.name + " has two dimension references named " +
                                  reference.name + "; each role needs its own name",
                              group.source);
        }
        if (seen_references.insert(ToUpper(reference.name)).second) AddDimension(group, reference);
      }
      AddFact(group);
    }
    return std::move(schema_);
  }

 private:
  std::string TableName(const std::string& suffix) const { return package_.measurement.name + "_" + suffix; }

  bool IsCalendar(const DimensionReference& reference) const {
    return EqualsIgnoreCase(reference.dimension_name, kDateDimensionName) &&
           !package_.FindDimension(reference.dimension_name);
  }

  void AddDimension(const MeasureGroup& group, const DimensionReference& reference) {
    DimensionTable table;
    table.name = TableName(reference.name);
    table.reference = reference.name;
    table.dimension_name = reference.dimension_name;
    table.key_column = ForeignKeyName(package_.measurement.name, reference.name);
    if (IsCalendar(reference)) {
      AddDateDimension(&table);
      schema_.dimensions.push_back(std::move(table));
      return;
    }
    const Dimension* dimension = package_.FindDimension(reference.dimension_name);
    if (!dimension) {
      throw MetadataError(package_,
                          "measure group " + group.name + " references dimension " + reference.dimension_name +
                              " (as " + reference.name + "), but the package has no metadata for it (dimensions\\" +
                              ToUpper(reference.dimension_name) + ".json or AxAggregateDimension/" +
                              reference.dimension_name + ".xml)",
                          group.source);
    }
    table.source = dimension->table;
    if (!KeyAttribute(*dimension, "")) {
      throw MetadataError(package_,
                          "dimension " + dimension->name + " has no key attribute (Usage Key), so facts cannot be "
                          "related to it",
                          dimension->source);
    }
    ColumnList list;
    SystemColumns system;
    for (const Attribute& attribute : dimension->attributes) {
      if (attribute.is_key) {
        if (attribute.key_fields.empty()) {
          throw MetadataError(package_,
                              "key attribute " + attribute.name + " of dimension " + dimension->name +
                                  " has no key fields",
                              dimension->source);
        }
        if (attribute.key_fields.size() > 1) {
          list.Add({"ROW_UNIQUEKEY", KeyExpr(attribute.key_fields, false), ColumnRole::kKey});
        }
        list.Add({table.key_column, KeyExpr(attribute.key_fields, false), ColumnRole::kForeignKey});
      }
      if (attribute.key_fields.size() == 1) {
        system.Remove(attribute.key_fields[0]);
        if (list.Add({OutputName(attribute.name), Field(attribute.key_fields[0]), ColumnRole::kAttribute})) {
          table.attributes.push_back(OutputName(attribute.name));
        }
        continue;
      }
      for (const std::string& key : attribute.key_fields) {
        system.Remove(key);
        std::string name = key == attribute.name_field ? OutputName(attribute.name) : OutputName(key);
        if (list.Add({name, Field(key), ColumnRole::kAttribute})) table.attributes.push_back(name);
      }
    }
    system.AddTo(&list, SourceColumns(table.source));
    TranslateEnums(package_, dimension->table, &list);
    table.columns = std::move(list.columns());
    schema_.dimensions.push_back(std::move(table));
  }

  void AddDateDimension(DimensionTable* table) {
    if (!options_.date_table.empty()) {
      table->kind = DimensionKind::kLakeTable;
      table->source = options_.date_table;
      auto columns = SourceColumns(table->source);
      if (!columns) throw Error(ErrorKind::kUser, "the date table " + table->source + " is not in the lake");
      bool has_key = false;
      for (const auto& c : *columns) has_key = has_key || EqualsIgnoreCase(c, kDateKeyColumn);
      if (!has_key) {
        throw Error(ErrorKind::kUser, "the date table " + table->source + " has no " + kDateKeyColumn + " column",
                    {}, "a Date_ dimension is keyed by DATEKEY (a date), as BIDateDimensionsView is");
      }
      table->columns.push_back({table->key_column, KeyExpr({kDateKeyColumn}, true), ColumnRole::kForeignKey});
      for (const auto& c : *columns) {
        table->columns.push_back({ToUpper(c), Field(c), ColumnRole::kAttribute});
        table->attributes.push_back(ToUpper(c));
      }
      return;
    }
    table->kind = DimensionKind::kCalendar;
    table->columns.push_back({table->key_column, Field(kDateKeyColumn), ColumnRole::kForeignKey});
    table->columns.push_back({kDateKeyColumn, Field(kDateKeyColumn), ColumnRole::kKey});
    table->attributes.push_back(kDateKeyColumn);
    for (const auto& [name, part] : kCalendarColumns) {
      table->columns.push_back({name, {ColumnExpr::Kind::kConstant, {}, part, {}}, ColumnRole::kAttribute});
      table->attributes.push_back(name);
    }
    if (!calendar_warned_) {
      schema_.warnings.push_back(
          "the package has no metadata for the platform date dimension Date_: cdmlake generates a calendar covering "
          "the fact dates (use --date-table to use a lake table keyed by DATEKEY instead)");
      calendar_warned_ = true;
    }
  }

  void AddFact(const MeasureGroup& group) {
    FactTable fact;
    fact.name = TableName(group.name);
    fact.measure_group = group.name;
    fact.source = group.table;
    ColumnList list;
    SystemColumns system;

    for (const Attribute& attribute : group.attributes) {
      system.Remove(attribute.name);
      for (const std::string& key : attribute.key_fields) {
        bool own_name = attribute.key_fields.size() == 1 || key == attribute.name_field;
        std::string name = OutputName(own_name ? attribute.name : key);
        if (list.Add({name, Field(key), ColumnRole::kAttribute})) fact.attributes.push_back(name);
      }
    }

    std::set<std::string> measure_names;
    for (const Measure& m : group.measures) {
      if (m.name && !m.name->empty()) measure_names.insert(OutputName(*m.name));
    }
    if (const View* view = package_.FindView(group.table)) {
      for (const ViewField& field : view->fields) {
        std::string name = ToUpper(field.name);
        system.Remove(name);
        if (measure_names.count(name) && !HasMeasureOnField(group, field.name)) {
          schema_.warnings.push_back("measure group " + group.name + ": the view field " + field.name +
                                     " has the name of a measure; the fact column holds the measure (ESYN drops the "
                                     "measure)");
          continue;
        }
        list.Add({name, Field(field.name), ColumnRole::kAttribute});
      }
    }

    for (const Measure& m : group.measures) {
      bool has_name = m.name && !m.name->empty();
      bool has_field = m.field && !Trim(*m.field).empty();
      if (!has_name && !has_field) continue;
      std::string name = OutputName(has_name ? *m.name : *m.field);
      system.Remove(name);
      ColumnExpr expr = has_field ? Field(std::string(Trim(*m.field))) : ColumnExpr{ColumnExpr::Kind::kConstant, {}, "1", {}};
      if (!list.Add({name, expr, ColumnRole::kMeasure}) && !IsSameColumn(list, name, expr)) {
        schema_.warnings.push_back("measure group " + group.name + ": measure " + name +
                                   " has the name of an attribute; it reads the attribute's column");
      }
      Aggregate aggregate = m.aggregate;
      fact.measures.push_back({has_name ? *m.name : *m.field, name, aggregate});
    }

    for (const DimensionReference& reference : group.dimensions) {
      AddRelation(group, reference, &list, &system, &fact);
    }
    system.AddTo(&list, SourceColumns(group.table));
    TranslateEnums(package_, group.table, &list);
    fact.columns = std::move(list.columns());
    schema_.facts.push_back(std::move(fact));
  }

  static bool HasMeasureOnField(const MeasureGroup& group, const std::string& field) {
    for (const Measure& m : group.measures) {
      if (m.name && m.field && EqualsIgnoreCase(*m.name, field) && EqualsIgnoreCase(Trim(*m.field), field)) {
        return true;
      }
    }
    return false;
  }

  static bool IsSameColumn(ColumnList& list, const std::string& name, const ColumnExpr& expr) {
    for (const auto& c : list.columns()) {
      if (EqualsIgnoreCase(c.name, name)) return c.expr.kind == expr.kind && c.expr.fields == expr.fields;
    }
    return false;
  }

  void AddRelation(const MeasureGroup& group, const DimensionReference& reference, ColumnList* list,
                   SystemColumns* system, FactTable* fact) {
    std::string where = "measure group " + group.name + ", dimension reference " + reference.name;
    if (reference.relations.empty() || reference.relations[0].constraints.empty()) {
      throw MetadataError(package_, where + " has no relation constraints, so facts cannot be joined to it",
                          group.source);
    }
    if (reference.relations.size() > 1) {
      schema_.warnings.push_back(where + " has " + std::to_string(reference.relations.size()) +
                                 " relations; the first one keys the dimension");
    }
    const DimensionRelation& relation = reference.relations[0];
    for (const DimensionRelation& r : reference.relations) {
      for (const RelationConstraint& c : r.constraints) {
        system->Remove(c.related_field);
        list->Add({OutputName(c.name.empty() ? c.related_field : c.name), Field(c.related_field),
                   ColumnRole::kRelation});
      }
    }
    std::vector<std::string> fields;
    bool date = IsCalendar(reference);  // a generated calendar or --date-table: keyed by the date
    if (date) {
      fields.push_back(relation.constraints[0].related_field);
      schema_.calendar_fields.emplace_back(group.table, relation.constraints[0].related_field);
    } else {
      fields = RelatedFieldsInKeyOrder(reference, relation, where);
    }
    std::string fk = ForeignKeyName(package_.measurement.name, reference.name);
    list->Add({fk, KeyExpr(fields, date), ColumnRole::kForeignKey});
    fact->dimensions.push_back({reference.name, TableName(reference.name), fk});
  }

  // The fact fields of a relation ordered like the dimension's key fields, so the fact's CONCAT equals the
  // dimension's (ESYN concatenates in constraint order and never matches, §3.5).
  std::vector<std::string> RelatedFieldsInKeyOrder(const DimensionReference& reference,
                                                   const DimensionRelation& relation, const std::string& where) {
    const Dimension* dimension = package_.FindDimension(reference.dimension_name);
    const Attribute* key = dimension ? KeyAttribute(*dimension, relation.dimension_attribute) : nullptr;
    std::vector<std::string> fields;
    if (!key) {
      for (const auto& c : relation.constraints) fields.push_back(c.related_field);
      return fields;
    }
    if (key->key_fields.size() != relation.constraints.size()) {
      throw MetadataError(package_,
                          where + " relates " + std::to_string(relation.constraints.size()) +
                              " field(s), but the key of dimension " + dimension->name + " has " +
                              std::to_string(key->key_fields.size()),
                          dimension->source);
    }
    for (const std::string& key_field : key->key_fields) {
      const RelationConstraint* match = nullptr;
      for (const auto& c : relation.constraints) {
        if (EqualsIgnoreCase(c.field, key_field)) match = &c;
      }
      if (!match) {
        // EMEX does not always carry the dimension-side Field; then the constraints are taken in their order.
        schema_.warnings.push_back(where + ": no relation constraint names the dimension key field " + key_field +
                                   " of dimension " + dimension->name + "; relating the fields in constraint order");
        fields.clear();
        for (const auto& c : relation.constraints) fields.push_back(c.related_field);
        return fields;
      }
      fields.push_back(match->related_field);
    }
    return fields;
  }

  std::optional<std::vector<std::string>> SourceColumns(const std::string& source) const {
    if (!options_.source_columns) return std::nullopt;
    return options_.source_columns(source);
  }

  const MetadataPackage& package_;
  const StarOptions& options_;
  StarSchema schema_;
  bool calendar_warned_ = false;
};

}  // namespace

std::string OutputName(const std::string& name) { return IsReserved(name) ? ToUpper(name) + "_" : ToUpper(name); }

bool AddStandardDateDimension(MetadataPackage* package) {
  if (package->FindDimension(kDateDimensionName)) return false;
  bool referenced = false;
  for (const auto& group : package->measurement.measure_groups) {
    for (const auto& reference : group.dimensions) {
      referenced = referenced || EqualsIgnoreCase(reference.dimension_name, kDateDimensionName);
    }
  }
  if (!referenced) return false;
  Dimension date;
  date.name = kDateDimensionName;
  date.table = "BIDATEDIMENSIONSVIEW";
  date.attributes.push_back({"DateKey", kDateKeyColumn, {kDateKeyColumn}, true, ""});
  package->dimensions[ToUpper(date.name)] = std::move(date);
  return true;
}

StarSchema BuildStarSchema(const MetadataPackage& package, const StarOptions& options) {
  return Builder(package, options).Build();
}

}  // namespace cdmlake::entitystore
