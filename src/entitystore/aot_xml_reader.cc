#include "entitystore/aot_xml_reader.h"

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <pugixml.hpp>
#include <set>

#include "entitystore/dependencies_csv.h"
#include "util/error.h"
#include "util/path.h"
#include "util/strings.h"

namespace cdmlake::entitystore {

namespace {

// ---- Input: a folder or a zip, as relative '/'-separated paths ----

class Input {
 public:
  virtual ~Input() = default;
  virtual const std::vector<std::string>& Files() const = 0;
  virtual std::string Read(const std::string& file) const = 0;
  virtual std::string Describe(const std::string& file) const = 0;
};

class FolderInput : public Input {
 public:
  FolderInput(FileSystem* fs, std::string dir) : fs_(fs), dir_(std::move(dir)), files_(fs_->ListFilesRecursive(dir_)) {}
  const std::vector<std::string>& Files() const override { return files_; }
  std::string Read(const std::string& file) const override { return fs_->ReadFile(JoinPath(dir_, file)); }
  std::string Describe(const std::string& file) const override { return JoinPath(dir_, file); }

 private:
  FileSystem* fs_;
  std::string dir_;
  std::vector<std::string> files_;
};

class ZipInput : public Input {
 public:
  explicit ZipInput(const ZipArchive& zip) : zip_(zip), files_(zip.entries()) {}
  const std::vector<std::string>& Files() const override { return files_; }
  std::string Read(const std::string& file) const override { return zip_.Read(file); }
  std::string Describe(const std::string& file) const override { return zip_.Describe(file); }

 private:
  const ZipArchive& zip_;
  std::vector<std::string> files_;
};

// ---- The index of element files ----

enum class Kind {
  kMeasurement,
  kDimension,
  kView,
  kDataEntity,
  kTable,
  kEnum,
  kQuery,
  kTableExtension,
  kEnumExtension
};

struct KindFolder {
  const char* folder;
  Kind kind;
};

constexpr KindFolder kKindFolders[] = {
    {"AxAggregateMeasurement", Kind::kMeasurement},
    {"AxAggregateDimension", Kind::kDimension},
    {"AxView", Kind::kView},
    {"AxDataEntityView", Kind::kDataEntity},
    {"AxTable", Kind::kTable},
    {"AxEnum", Kind::kEnum},
    {"AxQuery", Kind::kQuery},
    {"AxQuerySimple", Kind::kQuery},
    {"AxTableExtension", Kind::kTableExtension},
    {"AxEnumExtension", Kind::kEnumExtension},
};

struct Index {
  // kind → upper-cased element name → files (sorted path order; the first one is the element, the rest of an
  // extension kind are further extensions).
  std::map<Kind, std::map<std::string, std::vector<std::string>>> elements;
  std::vector<std::string> sql_files;        // ViewDefinitions/<VIEW>.sql
  std::vector<std::string> dependency_csvs;  // dependencies.csv

  const std::vector<std::string>* Find(Kind kind, const std::string& name) const {
    auto k = elements.find(kind);
    if (k == elements.end()) return nullptr;
    auto it = k->second.find(ToUpper(name));
    return it == k->second.end() ? nullptr : &it->second;
  }
};

std::string Stem(std::string_view file_name) {
  size_t dot = file_name.rfind('.');
  return std::string(dot == std::string_view::npos ? file_name : file_name.substr(0, dot));
}

Index BuildIndex(const Input& input) {
  Index index;
  for (const std::string& file : input.Files()) {
    std::string path = file;
    std::replace(path.begin(), path.end(), '\\', '/');
    if (path.find('%') != std::string::npos) path = PercentDecode(path);  // OPC packages encode names
    std::vector<std::string> parts = Split(path, '/');
    const std::string& name = parts.back();
    std::string parent = parts.size() >= 2 ? parts[parts.size() - 2] : "";
    if (EqualsIgnoreCase(name, "dependencies.csv")) {
      index.dependency_csvs.push_back(file);
    } else if (EndsWithIgnoreCase(name, ".sql") && EqualsIgnoreCase(parent, "ViewDefinitions")) {
      index.sql_files.push_back(file);
    } else if (EndsWithIgnoreCase(name, ".xml")) {
      for (const KindFolder& kf : kKindFolders) {
        if (!EqualsIgnoreCase(parent, kf.folder)) continue;
        std::string element = Stem(name);
        // An extension file is <Element>.<Suffix>.xml.
        if (kf.kind == Kind::kTableExtension || kf.kind == Kind::kEnumExtension) element = Split(element, '.')[0];
        index.elements[kf.kind][ToUpper(element)].push_back(file);
        break;
      }
    }
  }
  for (auto& [kind, by_name] : index.elements) {
    for (auto& [name, files] : by_name) std::sort(files.begin(), files.end());
  }
  std::sort(index.sql_files.begin(), index.sql_files.end());
  std::sort(index.dependency_csvs.begin(), index.dependency_csvs.end());
  return index;
}

// ---- XML helpers: elements are matched by local name, case-insensitively ----

std::string_view LocalName(const pugi::xml_node& node) {
  std::string_view name = node.name();
  size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

bool IsNil(const pugi::xml_node& node) {
  for (const pugi::xml_attribute& a : node.attributes()) {
    std::string_view name = a.name();
    size_t colon = name.find(':');
    if (name.substr(colon == std::string_view::npos ? 0 : colon + 1) == "nil") return a.as_bool();
  }
  return false;
}

pugi::xml_node Child(const pugi::xml_node& node, std::string_view name) {
  for (const pugi::xml_node& c : node.children()) {
    if (c.type() == pugi::node_element && EqualsIgnoreCase(LocalName(c), name)) return c;
  }
  return {};
}

// The text of a child element, or nullopt when it is absent or i:nil.
std::optional<std::string> OptText(const pugi::xml_node& node, std::string_view name) {
  pugi::xml_node c = Child(node, name);
  if (!c || IsNil(c)) return std::nullopt;
  return std::string(Trim(c.text().get()));
}

std::string Text(const pugi::xml_node& node, std::string_view name) { return OptText(node, name).value_or(""); }

// The element children of a collection element (Fields/AxTableField...).
std::vector<pugi::xml_node> Items(const pugi::xml_node& node, std::string_view collection) {
  std::vector<pugi::xml_node> out;
  for (const pugi::xml_node& c : Child(node, collection).children()) {
    if (c.type() == pugi::node_element) out.push_back(c);
  }
  return out;
}

// ---- View definitions ----

std::vector<std::string> ScanNames(std::string_view sql) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  auto add = [&](std::string_view name) {
    std::string upper = ToUpper(name);
    if (!upper.empty() && seen.insert(upper).second) out.push_back(std::move(upper));
  };
  auto is_start = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '@' || c == '#' ||
           static_cast<unsigned char>(c) >= 0x80;
  };
  auto is_part = [&](char c) { return is_start(c) || (c >= '0' && c <= '9') || c == '$'; };
  size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '\'') {
      for (++i; i < sql.size(); ++i) {
        if (sql[i] == '\'') {
          if (i + 1 < sql.size() && sql[i + 1] == '\'') {
            ++i;
          } else {
            break;
          }
        }
      }
      ++i;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      size_t eol = sql.find('\n', i);
      i = eol == std::string_view::npos ? sql.size() : eol + 1;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      size_t end = sql.find("*/", i + 2);
      i = end == std::string_view::npos ? sql.size() : end + 2;
    } else if (c == '[' || c == '"') {
      char close = c == '[' ? ']' : '"';
      size_t end = sql.find(close, i + 1);
      if (end == std::string_view::npos) end = sql.size();
      add(sql.substr(i + 1, end - i - 1));
      i = end + 1;
    } else if (is_start(c)) {
      size_t start = i;
      while (i < sql.size() && is_part(sql[i])) ++i;
      add(sql.substr(start, i - start));
    } else if (c >= '0' && c <= '9') {
      while (i < sql.size() && (is_part(sql[i]) || sql[i] == '.')) ++i;
    } else {
      ++i;
    }
  }
  return out;
}

class ViewOrderer {
 public:
  explicit ViewOrderer(const std::vector<ViewDefinition>& definitions) {
    for (const ViewDefinition& d : definitions) by_name_.emplace(ToUpper(d.view_name), &d);
  }

  std::vector<ViewDefinition> Order(const std::vector<std::string>& roots) {
    for (const std::string& root : roots) {
      std::string upper = ToUpper(root);
      if (by_name_.count(upper)) Visit(upper, upper, "");
    }
    return std::move(out_);
  }

 private:
  void Visit(const std::string& name, const std::string& root, const std::string& parent) {
    int& state = state_[name];
    if (state == 2) return;
    if (state == 1) {
      auto from = std::find(stack_.begin(), stack_.end(), name);
      std::vector<std::string> cycle(from, stack_.end());
      cycle.push_back(name);
      const ViewDefinition* d = by_name_.at(name);
      throw Error(ErrorKind::kData, "view definitions reference each other in a cycle: " + Join(cycle, " -> "),
                  Location{d->source.file, d->source.line});
    }
    state = 1;
    stack_.push_back(name);
    const ViewDefinition* d = by_name_.at(name);
    for (const std::string& ref : ScanNames(d->definition)) {
      if (ref != name && by_name_.count(ref)) Visit(ref, root, name);
    }
    stack_.pop_back();
    state_[name] = 2;
    ViewDefinition copy = *d;
    copy.root_view_name = root;
    copy.parent_view_name = parent;
    out_.push_back(std::move(copy));
  }

  std::map<std::string, const ViewDefinition*> by_name_;
  std::map<std::string, int> state_;  // 0 new, 1 on the stack, 2 done
  std::vector<std::string> stack_;
  std::vector<ViewDefinition> out_;
};

// ---- The reader ----

class AotReader {
 public:
  AotReader(const Input& input, std::string origin) : input_(input), index_(BuildIndex(input)) {
    package_.format = PackageFormat::kAotXml;
    package_.origin = std::move(origin);
  }

  std::vector<std::string> MeasurementNames() const {
    std::vector<std::string> names;
    auto it = index_.elements.find(Kind::kMeasurement);
    if (it == index_.elements.end()) return names;
    for (const auto& [upper, files] : it->second) {
      std::string file = files.front();
      std::replace(file.begin(), file.end(), '\\', '/');
      names.push_back(Stem(BaseName(file)));
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  MetadataPackage Read(const std::string& measurement_name) {
    std::vector<std::string> names = MeasurementNames();
    std::string name = measurement_name;
    if (name.empty()) {
      if (names.size() != 1) {
        throw Error(ErrorKind::kUser,
                    names.empty() ? "no AxAggregateMeasurement in the AOT XML"
                                  : "several measurements in the AOT XML; name one of: " + Join(names, ", "),
                    Location{package_.origin});
      }
      name = names.front();
    }
    const std::vector<std::string>* files = index_.Find(Kind::kMeasurement, name);
    if (files == nullptr) {
      throw Error(
          ErrorKind::kUser, "no measurement named '" + name + "' in the AOT XML", Location{package_.origin},
          names.empty() ? "no AxAggregateMeasurement/*.xml was found" : "available measurements: " + Join(names, ", "));
    }
    ReadMeasurement(files->front());

    // The closure EMEX exports (spec §2.5 step 3).
    std::vector<std::string> enum_owners;
    for (const MeasureGroup& group : package_.measurement.measure_groups) {
      Classify(group.table);
      enum_owners.push_back(group.table);
      for (const DimensionReference& ref : group.dimensions) {
        const Dimension* dimension = LoadDimension(ref.dimension_name);
        if (dimension == nullptr) continue;  // MissingDimensions reports it
        Classify(dimension->table);
        enum_owners.push_back(dimension->table);
      }
    }
    ReadViewDefinitions();
    std::set<std::string> done;
    for (const std::string& owner : enum_owners) {
      if (done.insert(ToUpper(owner)).second) BuildEnumTranslations(owner);
    }
    return std::move(package_);
  }

 private:
  // Parses an XML file; its text is kept in *text_out when given (for line numbers).
  pugi::xml_node Load(const std::string& file, pugi::xml_document* doc, std::string* text_out = nullptr) {
    std::string text = input_.Read(file);
    pugi::xml_parse_result result =
        doc->load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_auto);
    if (!result) {
      size_t offset = std::min(static_cast<size_t>(std::max<ptrdiff_t>(result.offset, 0)), text.size());
      int64_t line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n');
      throw Error(ErrorKind::kData, std::string("malformed XML: ") + result.description(),
                  Location{input_.Describe(file), line});
    }
    if (text_out != nullptr) *text_out = std::move(text);
    return doc->document_element();
  }

  Aggregate ParseDefaultAggregate(const pugi::xml_node& m, const std::string& where) {
    std::optional<std::string> text = OptText(m, "DefaultAggregate");
    Aggregate out = Aggregate::kCount;
    if (text && !text->empty() && !ParseAggregate(*text, &out)) {
      package_.warnings.push_back(where + ": measure " + Text(m, "Name") + " has the unknown DefaultAggregate '" +
                                  *text + "'; read as Count");
      out = Aggregate::kCount;
    }
    return out;
  }

  static Attribute ParseAttribute(const pugi::xml_node& a) {
    Attribute out;
    out.name = Text(a, "Name");
    out.name_field = Text(a, "NameField");
    for (const pugi::xml_node& k : Items(a, "KeyFields")) out.key_fields.push_back(Text(k, "DimensionField"));
    std::string usage = Text(a, "Usage");
    out.is_key = EqualsIgnoreCase(usage, "Key") || usage == "1";
    out.type = Text(a, "Type");
    return out;
  }

  static DataSource ParseDataSource(const pugi::xml_node& d) {
    DataSource out;
    out.name = Text(d, "Name");
    out.table = Text(d, "Table");
    for (const pugi::xml_node& c : Items(d, "DataSources")) out.children.push_back(ParseDataSource(c));
    out.join_mode = Text(d, "JoinMode");
    for (const pugi::xml_node& r : Items(d, "Relations"))
      out.joins.emplace_back(Text(r, "Field"), Text(r, "RelatedField"));
    return out;
  }

  // The 1-based line of a node in the text it was parsed from, or 0 when pugixml cannot tell.
  static int LineOf(const pugi::xml_node& node, const std::string& text) {
    ptrdiff_t offset = node.offset_debug();
    if (offset < 0) return 0;
    auto end = text.begin() + static_cast<std::ptrdiff_t>(std::min(static_cast<size_t>(offset), text.size()));
    return 1 + static_cast<int>(std::count(text.begin(), end, '\n'));
  }

  void ReadMeasurement(const std::string& file) {
    pugi::xml_document doc;
    std::string text;
    pugi::xml_node root = Load(file, &doc, &text);
    std::string where = input_.Describe(file);
    Measurement& m = package_.measurement;
    m.name = Text(root, "Name");
    if (m.name.empty()) m.name = Stem(BaseName(where));
    m.label = Text(root, "Label");
    m.usage = Text(root, "Usage");
    m.source = SourceRef{where, 1};
    for (const pugi::xml_node& g : Items(root, "MeasureGroups")) {
      MeasureGroup group;
      group.name = Text(g, "Name");
      group.table = Text(g, "Table");
      group.source = SourceRef{where, 0};
      for (const pugi::xml_node& a : Items(g, "Attributes")) group.attributes.push_back(ParseAttribute(a));
      for (const pugi::xml_node& x : Items(g, "Measures")) {
        Measure measure;
        measure.name = OptText(x, "Name");
        measure.field = OptText(x, "Field");
        measure.aggregate = ParseDefaultAggregate(x, where);
        measure.label = Text(x, "Label");
        group.measures.push_back(std::move(measure));
      }
      for (const pugi::xml_node& d : Items(g, "Dimensions")) {
        DimensionReference ref;
        ref.name = Text(d, "Name");
        ref.dimension_name = Text(d, "DimensionName");
        for (const pugi::xml_node& r : Items(d, "DimensionRelations")) {
          DimensionRelation relation;
          relation.dimension_attribute = Text(r, "DimensionAttribute");
          for (const pugi::xml_node& c : Items(r, "Constraints")) {
            relation.constraints.push_back(
                RelationConstraint{Text(c, "Name"), Text(c, "RelatedField"), Text(c, "Field")});
          }
          ref.relations.push_back(std::move(relation));
        }
        group.dimensions.push_back(std::move(ref));
      }
      m.measure_groups.push_back(std::move(group));
    }
    // Lines of the measure groups, for messages (pugixml keeps offsets, not lines).
    size_t i = 0;
    for (const pugi::xml_node& g : Items(root, "MeasureGroups")) m.measure_groups[i++].source.line = LineOf(g, text);
  }

  const Dimension* LoadDimension(const std::string& name) {
    std::string upper = ToUpper(name);
    if (auto it = package_.dimensions.find(upper); it != package_.dimensions.end()) return &it->second;
    const std::vector<std::string>* files = index_.Find(Kind::kDimension, name);
    if (files == nullptr) return nullptr;
    pugi::xml_document doc;
    pugi::xml_node root = Load(files->front(), &doc);
    Dimension d;
    d.name = Text(root, "Name");
    if (d.name.empty()) d.name = name;
    d.label = Text(root, "Label");
    d.table = Text(root, "Table");
    for (const pugi::xml_node& a : Items(root, "Attributes")) d.attributes.push_back(ParseAttribute(a));
    d.source = SourceRef{input_.Describe(files->front()), 1};
    return &package_.dimensions.emplace(upper, std::move(d)).first->second;
  }

  bool IsElement(const std::string& name) const {
    return index_.Find(Kind::kView, name) || index_.Find(Kind::kDataEntity, name) || index_.Find(Kind::kTable, name);
  }

  // Loads a table, view or data entity (with what is behind it) into the package, once.
  void Classify(const std::string& name) {
    std::string upper = ToUpper(name);
    if (upper.empty() || !classified_.insert(upper).second) return;
    classified_order_.push_back(upper);
    const std::vector<std::string>* files = index_.Find(Kind::kView, name);
    bool entity = false;
    if (files == nullptr) {
      files = index_.Find(Kind::kDataEntity, name);
      entity = files != nullptr;
    }
    if (files != nullptr) {
      LoadView(upper, files->front(), entity);
      return;
    }
    if ((files = index_.Find(Kind::kTable, name)) != nullptr) {
      LoadTable(upper, *files);
      return;
    }
    unresolved_.push_back(name);
  }

  void ClassifyDataSources(const std::vector<DataSource>& sources) {
    for (const DataSource& d : sources) {
      Classify(d.table);
      ClassifyDataSources(d.children);
    }
  }

  void LoadView(const std::string& upper, const std::string& file, bool entity) {
    pugi::xml_document doc;
    pugi::xml_node root = Load(file, &doc);
    View v;
    v.name = Text(root, "Name");
    if (v.name.empty()) v.name = upper;
    v.is_data_entity = entity;
    for (const pugi::xml_node& f : Items(root, "Fields")) {
      v.fields.push_back(ViewField{Text(f, "Name"), Text(f, "DataSource"), Text(f, "DataField"), Text(f, "EnumType")});
    }
    for (const pugi::xml_node& d : Items(Child(root, "ViewMetadata"), "DataSources")) {
      v.data_sources.push_back(ParseDataSource(d));
    }
    v.query = Text(root, "Query");
    v.source = SourceRef{input_.Describe(file), 1};
    const View& view = package_.views.emplace(upper, std::move(v)).first->second;
    ClassifyDataSources(view.data_sources);
    if (!view.query.empty()) {
      if (const Query* q = LoadQuery(view.query)) ClassifyDataSources(q->data_sources);
    }
    // A field's DataSource is an alias that usually equals the table name (EMEX classifies it too).
    for (const ViewField& f : view.fields) {
      if (!f.data_source.empty() && IsElement(f.data_source)) Classify(f.data_source);
    }
  }

  const Query* LoadQuery(const std::string& name) {
    std::string upper = ToUpper(name);
    if (auto it = package_.queries.find(upper); it != package_.queries.end()) return &it->second;
    const std::vector<std::string>* files = index_.Find(Kind::kQuery, name);
    if (files == nullptr) {
      package_.warnings.push_back("query " + name + " was not found (no AxQuery/" + name + ".xml)");
      return nullptr;
    }
    pugi::xml_document doc;
    pugi::xml_node root = Load(files->front(), &doc);
    Query q;
    q.name = Text(root, "Name");
    if (q.name.empty()) q.name = name;
    for (const pugi::xml_node& d : Items(root, "DataSources")) q.data_sources.push_back(ParseDataSource(d));
    q.source = SourceRef{input_.Describe(files->front()), 1};
    return &package_.queries.emplace(upper, std::move(q)).first->second;
  }

  void LoadTable(const std::string& upper, const std::vector<std::string>& files) {
    pugi::xml_document doc;
    pugi::xml_node root = Load(files.front(), &doc);
    Table t;
    t.name = Text(root, "Name");
    if (t.name.empty()) t.name = upper;
    std::set<std::string> field_names;
    auto add_fields = [&](const pugi::xml_node& node) {
      for (const pugi::xml_node& f : Items(node, "Fields")) {
        TableField field{Text(f, "Name"), Text(f, "EnumType")};
        if (field_names.insert(ToUpper(field.name)).second) t.fields.push_back(std::move(field));
      }
    };
    add_fields(root);
    if (std::optional<std::string> per_company = OptText(root, "SaveDataPerCompany")) {
      t.save_data_per_company_set = true;
      t.save_data_per_company = !(EqualsIgnoreCase(*per_company, "No") || *per_company == "0");
    }
    t.source = SourceRef{input_.Describe(files.front()), 1};
    if (const std::vector<std::string>* extensions = index_.Find(Kind::kTableExtension, upper)) {
      for (const std::string& file : *extensions) {
        pugi::xml_document ext_doc;
        add_fields(Load(file, &ext_doc));
      }
    }
    package_.table_list.push_back(t.name);
    package_.tables.emplace(upper, std::move(t));
  }

  const AxEnum* LoadEnum(const std::string& name) {
    std::string upper = ToUpper(name);
    if (auto it = package_.ax_enums.find(upper); it != package_.ax_enums.end()) return &it->second;
    const std::vector<std::string>* files = index_.Find(Kind::kEnum, name);
    if (files == nullptr) return nullptr;
    AxEnum e;
    std::set<std::string> symbols;
    auto add_values = [&](const pugi::xml_node& node, const std::string& file) {
      for (const pugi::xml_node& v : Items(node, "EnumValues")) {
        EnumValue value;
        value.symbol = Text(v, "Name");
        std::string number = Text(v, "Value");
        if (!number.empty() && !ParseInt64(number, &value.value)) {
          throw Error(ErrorKind::kData, "enum value " + value.symbol + " has the non-integer Value '" + number + "'",
                      Location{input_.Describe(file)});
        }
        value.label = Text(v, "Label");
        if (symbols.insert(ToUpper(value.symbol)).second) e.values.push_back(std::move(value));
      }
    };
    pugi::xml_document doc;
    pugi::xml_node root = Load(files->front(), &doc);
    e.name = Text(root, "Name");
    if (e.name.empty()) e.name = name;
    add_values(root, files->front());
    if (const std::vector<std::string>* extensions = index_.Find(Kind::kEnumExtension, upper)) {
      for (const std::string& file : *extensions) {
        pugi::xml_document ext_doc;
        add_values(Load(file, &ext_doc), file);
      }
    }
    e.source = SourceRef{input_.Describe(files->front()), 1};
    return &package_.ax_enums.emplace(upper, std::move(e)).first->second;
  }

  // The table, view or entity behind a view field's DataSource alias: the view's own data sources, then an
  // element of that name, then the data sources of the view's query (spec §2.5 step 2).
  std::string ResolveAlias(const View& view, const std::string& alias) {
    std::function<std::string(const std::vector<DataSource>&)> find = [&](const std::vector<DataSource>& sources) {
      for (const DataSource& d : sources) {
        if (EqualsIgnoreCase(d.name, alias)) return d.table;
        std::string nested = find(d.children);
        if (!nested.empty()) return nested;
      }
      return std::string();
    };
    std::string table = find(view.data_sources);
    if (!table.empty()) return table;
    if (IsElement(alias)) return alias;
    if (!view.query.empty()) {
      if (const Query* q = LoadQuery(view.query)) return find(q->data_sources);
    }
    return "";
  }

  // The EnumType of a field of a table, view or entity, following view fields to their sources.
  std::string FieldEnumType(const std::string& element, const std::string& field, int depth) {
    if (depth > 32 || element.empty()) return "";
    Classify(element);
    if (const View* view = package_.FindView(element)) {
      for (const ViewField& f : view->fields) {
        if (!EqualsIgnoreCase(f.name, field)) continue;
        if (!f.enum_type.empty()) return f.enum_type;
        if (f.data_source.empty() || f.data_field.empty()) return "";
        std::string source = ResolveAlias(*view, f.data_source);
        if (EqualsIgnoreCase(source, element)) return "";
        return FieldEnumType(source, f.data_field, depth + 1);
      }
      return "";
    }
    if (const Table* table = package_.FindTable(element)) {
      for (const TableField& f : table->fields) {
        if (EqualsIgnoreCase(f.name, field)) return f.enum_type;
      }
    }
    return "";
  }

  void BuildEnumTranslations(const std::string& owner) {
    std::vector<std::pair<std::string, std::string>> fields;  // (field, enum type)
    if (const View* view = package_.FindView(owner)) {
      std::vector<std::string> names;
      for (const ViewField& f : view->fields) names.push_back(f.name);
      for (const std::string& name : names) fields.emplace_back(name, FieldEnumType(owner, name, 0));
    } else if (const Table* table = package_.FindTable(owner)) {
      for (const TableField& f : table->fields) fields.emplace_back(f.name, f.enum_type);
    }
    for (const auto& [field, enum_type] : fields) {
      if (enum_type.empty()) continue;
      const AxEnum* ax_enum = LoadEnum(enum_type);
      if (ax_enum == nullptr) {
        // Boolean fields carry EnumType=boolean, which is no AxEnum; EMEX writes nothing for them either.
        if (!EqualsIgnoreCase(enum_type, "boolean")) {
          package_.warnings.push_back("enum " + enum_type + " of " + owner + "." + field +
                                      " was not found (no AxEnum/" + enum_type + ".xml); the field is not translated");
        }
        continue;
      }
      EnumTranslation t;
      t.table = ToUpper(owner);
      t.field = ToUpper(field);
      t.enum_name = ToUpper(ax_enum->name);
      t.values = ax_enum->values;
      t.source = ax_enum->source;
      package_.enums.emplace(t.table + "_" + t.field, std::move(t));
    }
  }

  void ReadViewDefinitions() {
    std::vector<ViewDefinition> candidates;
    std::set<std::string> names;
    for (const std::string& file : index_.sql_files) {
      std::string path = file;
      std::replace(path.begin(), path.end(), '\\', '/');
      ViewDefinition d;
      d.view_name = ToUpper(Stem(BaseName(path)));
      d.definition = std::string(StripUtf8Bom(input_.Read(file)));
      d.source = SourceRef{input_.Describe(file), 1};
      if (names.insert(d.view_name).second) candidates.push_back(std::move(d));
    }
    for (const std::string& file : index_.dependency_csvs) {
      for (ViewDefinition& d : ParseDependenciesCsv(input_.Read(file), input_.Describe(file))) {
        if (names.insert(ToUpper(d.view_name)).second) candidates.push_back(std::move(d));
      }
    }
    // The roots are every element the closure reached; the definitions reached may name further AOT views
    // and tables (EMEX adds the tables of its dependency query to the table list), so repeat until stable.
    size_t classified = 0;
    while (classified != classified_order_.size()) {
      classified = classified_order_.size();
      package_.view_definitions = OrderViewDefinitions(candidates, classified_order_);
      for (const ViewDefinition& d : package_.view_definitions) {
        Classify(d.view_name);
        for (const std::string& ref : ScanNames(d.definition)) {
          if (IsElement(ref)) Classify(ref);
        }
      }
    }
    for (const std::string& name : unresolved_) {
      if (!names.count(ToUpper(name))) {
        package_.warnings.push_back(name + " is neither an AxTable, an AxView nor an AxDataEntityView in " +
                                    package_.origin + ", and has no view definition");
      }
    }
  }

  const Input& input_;
  Index index_;
  MetadataPackage package_;
  std::set<std::string> classified_;
  std::vector<std::string> classified_order_;
  std::vector<std::string> unresolved_;
};

bool IsDirectory(FileSystem* fs, const std::string& path) {
  std::optional<FileInfo> info = fs->Stat(path);
  if (!info) throw Error(ErrorKind::kIo, "no such file or folder", Location{path});
  return info->is_directory;
}

}  // namespace

MetadataPackage ReadAotXml(const std::string& path, const std::string& measurement_name) {
  if (IsDirectory(DefaultFileSystem(), path)) return ReadAotXmlFolder(DefaultFileSystem(), path, measurement_name);
  std::unique_ptr<ZipArchive> zip = ZipArchive::Open(path);
  return ReadAotXml(*zip, measurement_name);
}

MetadataPackage ReadAotXml(const ZipArchive& zip, const std::string& measurement_name) {
  ZipInput input(zip);
  return AotReader(input, zip.path()).Read(measurement_name);
}

MetadataPackage ReadAotXmlFolder(FileSystem* fs, const std::string& dir, const std::string& measurement_name) {
  FolderInput input(fs, dir);
  return AotReader(input, dir).Read(measurement_name);
}

std::vector<std::string> ListAotMeasurements(const std::string& path) {
  if (IsDirectory(DefaultFileSystem(), path)) {
    FolderInput input(DefaultFileSystem(), path);
    return AotReader(input, path).MeasurementNames();
  }
  std::unique_ptr<ZipArchive> zip = ZipArchive::Open(path);
  return ListAotMeasurements(*zip);
}

std::vector<std::string> ListAotMeasurements(const ZipArchive& zip) {
  ZipInput input(zip);
  return AotReader(input, zip.path()).MeasurementNames();
}

std::vector<std::string> ReferencedNames(std::string_view sql) { return ScanNames(sql); }

std::vector<ViewDefinition> OrderViewDefinitions(const std::vector<ViewDefinition>& definitions,
                                                 const std::vector<std::string>& roots) {
  return ViewOrderer(definitions).Order(roots);
}

}  // namespace cdmlake::entitystore
