#include "entitystore/esyn_ddl.h"

#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "util/error.h"
#include "util/strings.h"

// Where the spec (§3) leaves the exact text open, this file takes the most literal reading, and the choice is
// stated where it is made. The main ones:
// * Every select item is appended as `expr,` with no space after the comma; the statement starts with
//   `CREATE OR ALTER VIEW <name> AS SELECT ` and ends with ` FROM <table>` after the last comma is removed.
// * Aliases are upper-cased in the text (the spec writes `f AS F`, `k AS A.NAME`); source columns keep the
//   case of the metadata. Bare columns (`K`, a measure `NAME` with a blank Field) are written upper-cased.
// * The `cols` map (first insert wins) holds every aliased and bare item, including the common columns and the
//   constant `1` measures (source "1"). The FK items (`CONCAT(...) AS fk`, `rf AS fk`, `ROW_NUMBER() ... AS
//   fk`) and `ROW_UNIQUEKEY` bypass it: the spec says the fk alias is not deduplicated.
// * The map keys of reserved-word items are the emitted alias (`KEY_`), their sources the emitted source
//   (`KEY_`), so the enum lookup uses `<TABLE>_KEY_`.
// * Enum translation handles the map entries one by one: first the textual rename `ALIAS,` -> `ALIAS_VALUE,`
//   over the statement so far, then the CASE item is appended. A later rename can therefore also hit an earlier
//   CASE item whose alias ends with the later alias, which is the same fragility ESYN has for plain columns.

namespace cdmlake::entitystore {

namespace {

using Kind = EsynStatement::Kind;

// §3.3: fields with these names are stored as `NAME_` columns by D365.
bool IsReserved(std::string_view name) {
  return EqualsIgnoreCase(name, "KEY") || EqualsIgnoreCase(name, "COMMENT") || EqualsIgnoreCase(name, "COUNT");
}

// A field's name in a ROW_NUMBER order list: upper case, `_` appended when reserved (§3.3, §3.5 step 2).
std::string OrderField(const std::string& field) { return ToUpper(field) + (IsReserved(field) ? "_" : ""); }

// Plain replace of every non-overlapping occurrence, scanning left to right (C#'s String.Replace).
std::string ReplaceAll(std::string text, std::string_view from, std::string_view to) {
  if (from.empty()) return text;
  for (size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

// The same, matching ASCII letters case-insensitively (T-SQL REPLACE under AXDB's case-insensitive collation).
std::string ReplaceAllIgnoreCase(std::string text, std::string_view from, std::string_view to) {
  if (from.empty()) return text;
  const std::string upper_from = ToUpper(from);
  std::string upper_text = ToUpper(text);
  size_t pos = upper_text.find(upper_from);
  while (pos != std::string::npos) {
    text.replace(pos, from.size(), to);
    upper_text.replace(pos, from.size(), ToUpper(to));
    pos = upper_text.find(upper_from, pos + to.size());
  }
  return text;
}

bool IsBlank(const std::string& s) { return Trim(s).empty(); }

// The select list of one dimension or fact view while ESYN builds it: the statement text so far, the ordered
// `cols` map (output alias -> source column, both upper case, first insert wins) and the `common` columns not
// yet covered by an attribute, field or measure.
class SelectList {
 public:
  explicit SelectList(const std::string& view_name)
      : text_("CREATE OR ALTER VIEW " + view_name + " AS SELECT "), common_{"RECID", "PARTITION", "DATAAREAID"} {}

  // `field AS NAME` with the four reserved-word forms of §3.3. False when the alias was already present and
  // nothing was emitted.
  bool AddAliased(const std::string& field, const std::string& name) {
    const std::string source = IsReserved(field) ? field + "_" : field;
    const std::string alias = ToUpper(name) + (IsReserved(name) ? "_" : "");
    return Add(source, alias, source + " AS " + alias);
  }

  // `field AS NAME` without the reserved-word check (relation constraints, §3.3 last sentence).
  bool AddPlain(const std::string& field, const std::string& name) {
    const std::string alias = ToUpper(name);
    return Add(field, alias, field + " AS " + alias);
  }

  // A bare column, its own alias.
  bool AddBare(const std::string& column) {
    const std::string upper = ToUpper(column);
    return Add(upper, upper, upper);
  }

  // An item outside the `cols` map: never deduplicated, never enum-translated.
  void AppendRaw(const std::string& expr) { text_ += expr + ","; }

  void RemoveCommon(const std::string& name) {
    const std::string upper = ToUpper(name);
    std::erase(common_, upper);
  }

  // §3.4 step 5 / §3.5: the common columns still uncovered, in the order RECID, PARTITION, DATAAREAID.
  void AddCommon() {
    for (const std::string& column : common_) AddBare(column);
  }

  // §3.6 for table `table` (the measure-group or dimension Table).
  void TranslateEnums(const MetadataPackage& package, const std::string& table) {
    // The map may not grow while translating: the CASE items are not map entries. Copy the entries first.
    const std::vector<std::pair<std::string, std::string>> entries = cols_;
    for (const auto& [alias, source] : entries) {
      const EnumTranslation* translation = package.FindEnum(table, source);
      if (translation == nullptr) continue;
      std::string expr = "CASE";
      for (const EnumValue& value : translation->values) {
        expr += " WHEN " + translation->field + " = '" + std::to_string(value.value) + "' THEN '" + value.symbol + "'";
      }
      expr += " END AS " + alias;
      // ESYN's rename: case-sensitive, over the whole statement, matching `ALIAS,` wherever it ends a longer
      // name too. Kept as is on purpose (compat mode).
      text_ = ReplaceAll(std::move(text_), alias + ",", alias + "_VALUE,");
      AppendRaw(expr);
    }
  }

  // §3.4 step 7: the trailing comma removed (when there is one) and ` FROM <table>` appended.
  std::string Finish(const std::string& table) && {
    if (!text_.empty() && text_.back() == ',') text_.pop_back();
    return std::move(text_) + " FROM " + table;
  }

 private:
  bool Add(const std::string& source, const std::string& alias, const std::string& expr) {
    for (const auto& entry : cols_) {
      if (entry.first == alias) return false;
    }
    cols_.emplace_back(alias, ToUpper(source));
    AppendRaw(expr);
    return true;
  }

  std::string text_;
  std::vector<std::pair<std::string, std::string>> cols_;
  std::vector<std::string> common_;
};

// Builds the statements of one run; holds the state ESYN shares across measure groups.
class Builder {
 public:
  explicit Builder(const MetadataPackage& package) : package_(package), measurement_(package.measurement.name) {}

  EsynDdl Build() && {
    AddD365Views();
    for (const MeasureGroup& group : package_.measurement.measure_groups) {
      for (const DimensionReference& reference : group.dimensions) AddDimensionView(group, reference);
      AddFactView(group);
    }
    return std::move(ddl_);
  }

 private:
  // §3.1: in file order; a later row for an existing view is skipped (sys.views is case-insensitive). Views that
  // exist on the server from an earlier run are skipped by ESYN too; cdmlake cannot know them.
  void AddD365Views() {
    std::set<std::string> emitted;
    for (const ViewDefinition& row : package_.view_definitions) {
      if (!emitted.insert(ToUpper(row.view_name)).second) continue;
      ddl_.statements.push_back({Kind::kD365View, row.view_name, EsynD365ViewSql(row.definition), ""});
    }
  }

  // ESYN deserialises dimensions\<NAME>.json and throws when it is missing.
  const Dimension& RequireDimension(const MeasureGroup& group, const DimensionReference& reference,
                                    const std::string& view_name) const {
    const Dimension* dimension = package_.FindDimension(reference.dimension_name);
    if (dimension != nullptr) return *dimension;
    Location location{group.source.file.empty() ? package_.origin : group.source.file, group.source.line,
                      view_name};
    throw Error(ErrorKind::kData,
                "Cannot find dimension metadata file dimensions\\" + ToUpper(reference.dimension_name) +
                    ".json (dimension " + reference.dimension_name + ", referenced as " + reference.name +
                    " by measure group " + group.name + ")",
                location,
                "EMEX writes one file per dimension Table and skips a later dimension on the same table, and ESYN "
                "fails on it the same way; re-export the measurement or build without --compat esyn");
  }

  // §3.5: `<M>_<d.Name>`, once per run whichever group references it first.
  void AddDimensionView(const MeasureGroup& group, const DimensionReference& reference) {
    const std::string view_name = measurement_ + "_" + reference.name;
    if (dimension_views_.count(view_name) != 0) return;
    const Dimension& dimension = RequireDimension(group, reference, view_name);
    dimension_views_.insert(view_name);

    SelectList list(view_name);
    const std::string fk = view_name + "_FK";
    for (const Attribute& attribute : dimension.attributes) {
      const std::vector<std::string>& keys = attribute.key_fields;
      if (attribute.is_key && keys.size() > 1) list.AppendRaw("CONCAT(" + Join(keys, ",'_',") + ") AS ROW_UNIQUEKEY");
      if (attribute.is_key) {
        // No key fields gives `ORDER BY )`, invalid SQL, exactly as ESYN writes it.
        std::vector<std::string> order;
        for (const std::string& key : keys) order.push_back(OrderField(key));
        list.AppendRaw("ROW_NUMBER() OVER(ORDER BY " + Join(order, ",") + ") AS " + fk);
      }
      if (keys.size() == 1) {
        list.RemoveCommon(keys[0]);
        list.AddAliased(keys[0], attribute.name);
      } else {
        for (const std::string& key : keys) {
          list.RemoveCommon(key);
          // The spec gives the reserved-word rule for the `k AS A.NAME` form (§3.3 exempts only constraint
          // columns and FK aliases), so it applies here too; the bare `K` has no alias to apply it to.
          if (key == attribute.name_field) {
            list.AddAliased(key, attribute.name);
          } else {
            list.AddBare(key);
          }
        }
      }
    }
    list.AddCommon();
    list.TranslateEnums(package_, dimension.table);
    ddl_.statements.push_back({Kind::kDimensionView, view_name, std::move(list).Finish(dimension.table), group.name});
  }

  // §3.4 step 4, single constraint: whether the first physical table behind `name` is per-company. On a false
  // result, *why says what ESYN silently skipped.
  bool IsPerCompanySource(const std::string& name, int depth, std::string* why) const {
    if (depth > 32) {  // ESYN would recurse forever on a cycle of views; we stop and emit nothing
      *why = "the data sources of view " + name + " form a cycle";
      return false;
    }
    if (const View* view = package_.FindView(name)) {
      if (!view->data_sources.empty()) return IsPerCompanySource(view->data_sources[0].table, depth + 1, why);
      if (!view->query.empty()) {
        const Query* query = package_.FindQuery(view->query);
        if (query == nullptr) {
          *why = "queries\\" + ToUpper(view->query) + ".json (the query of view " + view->name + ") not found";
          return false;
        }
        if (query->data_sources.empty()) {
          *why = "query " + query->name + " has no data source";
          return false;
        }
        return IsPerCompanySource(query->data_sources[0].table, depth + 1, why);
      }
      *why = "view " + view->name + " has neither data sources nor a query";
      return false;
    }
    const Table* table = package_.FindTable(name);
    if (table == nullptr) {
      *why = "tables\\" + ToUpper(name) + ".json not found";
      return false;
    }
    if (table->save_data_per_company_set) {
      *why = "table " + table->name + " is shared (SaveDataPerCompany is set)";
      return false;
    }
    return true;
  }

  void AddRelation(const MeasureGroup& group, const DimensionReference& reference, const DimensionRelation& relation,
                   const std::string& view_name, SelectList* list) {
    const std::string fk = measurement_ + "_" + reference.name + "_FK";  // original case, never deduplicated
    std::vector<std::string> related;
    for (const RelationConstraint& constraint : relation.constraints) {
      list->RemoveCommon(constraint.related_field);
      list->AddPlain(constraint.related_field, constraint.name);
      related.push_back(constraint.related_field);  // even when the column insert above was a duplicate
    }
    if (related.size() > 1) {
      list->AppendRaw("CONCAT(" + Join(related, ",'_',") + ") AS " + fk);
      return;
    }
    if (related.empty()) {  // ESYN would index Constraints[0] and crash; we emit nothing
      ddl_.warnings.push_back(view_name + ": a relation of dimension reference " + reference.name +
                              " has no constraints; no " + fk + " column");
      return;
    }
    const Dimension& dimension = RequireDimension(group, reference, view_name);
    std::string why;
    if (IsPerCompanySource(dimension.table, 0, &why)) {
      list->AppendRaw(related[0] + " AS " + fk);
    } else {
      ddl_.warnings.push_back(view_name + ": no " + fk + " column: " + why);
    }
  }

  // §3.4: `<M>_<MG>`.
  void AddFactView(const MeasureGroup& group) {
    const std::string view_name = measurement_ + "_" + group.name;
    SelectList list(view_name);
    // Step 1: attributes. `common` loses the attribute's name, not its key field.
    for (const Attribute& attribute : group.attributes) {
      list.RemoveCommon(attribute.name);
      for (const std::string& key : attribute.key_fields) {
        const bool own_alias = attribute.key_fields.size() > 1 && key != attribute.name_field;
        list.AddAliased(key, own_alias ? key : attribute.name);
      }
    }
    // Step 2: the source view's fields; nothing when the source is a plain table.
    if (const View* view = package_.FindView(group.table)) {
      for (const ViewField& field : view->fields) {
        list.AddAliased(field.name, field.name);
        list.RemoveCommon(field.name);
      }
    } else {
      ddl_.warnings.push_back(view_name + ": views\\" + ToUpper(group.table) + ".json not found: " + group.table +
                              " is read as a table, no view fields emitted");
    }
    // Step 3: measures, renamed columns or the constant 1; a name already present is dropped.
    for (const Measure& measure : group.measures) {
      bool added = true;
      if (!measure.field && !measure.name) continue;
      if (!measure.field) {
        added = list.AddAliased("1", *measure.name);
        list.RemoveCommon(*measure.name);
      } else if (!measure.name) {
        added = list.AddAliased("1", *measure.field);
      } else {
        list.RemoveCommon(*measure.name);
        added = IsBlank(*measure.field) ? list.AddBare(*measure.name) : list.AddAliased(*measure.field, *measure.name);
      }
      if (!added) {
        ddl_.warnings.push_back(view_name + ": measure " + measure.name.value_or(*measure.field) +
                                " dropped: a column with that name is already in the view");
      }
    }
    // Step 4: dimension relations.
    for (const DimensionReference& reference : group.dimensions) {
      for (const DimensionRelation& relation : reference.relations) {
        AddRelation(group, reference, relation, view_name, &list);
      }
    }
    list.AddCommon();                              // step 5
    list.TranslateEnums(package_, group.table);    // step 6
    ddl_.statements.push_back({Kind::kFactView, view_name, std::move(list).Finish(group.table), group.name});
  }

  const MetadataPackage& package_;
  const std::string measurement_;
  std::set<std::string> dimension_views_;  // names created in this run, shared across groups (§3.2)
  EsynDdl ddl_;
};

}  // namespace

std::string EsynD365ViewSql(const std::string& definition) {
  // EMEX's rewrites (§2.3). "CREATE VIEW" does not occur in "CREATE OR ALTER VIEW", so they are idempotent.
  std::string sql = ReplaceAllIgnoreCase(definition, "CREATE VIEW", "CREATE OR ALTER VIEW");
  sql = ReplaceAllIgnoreCase(std::move(sql), "GetValidFromInContextInfo", "GETUTCDATE");
  sql = ReplaceAllIgnoreCase(std::move(sql), "GetValidToInContextInfo", "GETUTCDATE");
  // ESYN's own edit (§3.1): the exact, case-sensitive text; `[DBO].` survives.
  return ReplaceAll(std::move(sql), "[dbo].", "");
}

EsynDdl BuildEsynDdl(const MetadataPackage& package) { return Builder(package).Build(); }

}  // namespace cdmlake::entitystore
