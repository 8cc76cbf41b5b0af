#include "generate/changes.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "generate/change_format.h"
#include "generate/random.h"
#include "util/error.h"
#include "util/path.h"
#include "util/strings.h"

namespace cdmlake::generate {

namespace {

using Json = nlohmann::ordered_json;

// Random streams of the change generators (the lake's own streams are below 200).
constexpr uint64_t kChangeStream = 0xC4A9'0000;
constexpr uint64_t kFeedStream = 0xC4A9'1000;

// When the changes happen: the feed starts after the generated data (2020-2023).
const int64_t kFeedStart = UnixSeconds(2024, 7, 1, 8, 0, 0);

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// A stable 64-bit hash of a table name (FNV-1a), to give each table its own random stream.
uint64_t NameHash(std::string_view name) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return h;
}

// ---------------------------------------------------------------------------------------------------------
// Reading a generated table.

std::vector<int64_t> EnumValues(const nlohmann::json& attribute) {
  std::vector<int64_t> out;
  const auto traits = attribute.find("appliedTraits");
  if (traits == attribute.end() || !traits->is_array()) return out;
  for (const auto& t : *traits) {
    if (!t.is_object() || t.value("traitReference", "") != "is.constrainedList.wellKnown") continue;
    for (const auto& arg : t.value("arguments", nlohmann::json::array())) {
      const auto& rows = arg["value"]["entityReference"]["constantValues"];
      if (!rows.is_array()) continue;
      for (const auto& row : rows) {
        int64_t v = 0;
        if (row.is_array() && row.size() >= 4 && ParseInt64(row[3].get<std::string>(), &v)) out.push_back(v);
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Changing rows.

bool Mutable(const SnapshotColumn& c, int index, int key) {
  if (index == key || c.name == "DATAAREAID" || c.name == "PARTITION" || c.name == "RECVERSION") return false;
  if (c.data_format == "String") return c.name.find("NAME") != std::string::npos;
  return c.data_format == "Int32" || c.data_format == "Decimal" || c.data_format == "DateTime";
}

// A new raw value for a column. Strings carry the characters naive readers get wrong.
std::string NewValue(const SnapshotColumn& c, Random& rng, int64_t event) {
  if (c.data_format == "Int32") {
    if (!c.enum_values.empty()) return std::to_string(rng.Pick(c.enum_values));
    return std::to_string(rng.Range(0, 1000));
  }
  if (c.data_format == "Decimal") return DecimalText(rng.Range(0, 5'000'000));
  if (c.data_format == "DateTime") {
    if (rng.Chance(0.1)) return "\"1900-01-01T00:00:00.0000000\"";
    return IsoDateTime(kFeedStart - rng.Range(0, 400) * 86400 + rng.Range(0, 86399));
  }
  static const char* const kNotes[] = {"changed", "revised, again", "price \"agreed\"", "two\nlines", "Müller & Söhne"};
  std::string text = std::string("rev ") + std::to_string(event) + " " + rng.Pick(kNotes);
  if (c.max_length > 0 && text.size() > static_cast<size_t>(c.max_length)) text.resize(static_cast<size_t>(c.max_length));
  return QuoteCsv(text);
}

// Changes 1-3 mutable columns (and RECVERSION, as F&O does on every update); returns the changed columns.
uint64_t Mutate(const TableSnapshot& table, std::vector<std::string>* row, Random& rng, int64_t event) {
  std::vector<int> candidates;
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (Mutable(table.columns[i], static_cast<int>(i), table.key)) candidates.push_back(static_cast<int>(i));
  }
  uint64_t mask = 0;
  int n = static_cast<int>(std::min<uint64_t>(candidates.size(), 1 + rng.Uniform(3)));
  for (int k = 0; k < n; ++k) {
    int column = candidates[rng.Uniform(candidates.size())];
    (*row)[static_cast<size_t>(column)] = NewValue(table.columns[static_cast<size_t>(column)], rng, event);
    mask |= 1ULL << (column % 64);
  }
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (table.columns[i].name == "RECVERSION") {
      (*row)[i] = std::to_string(rng.Range(1, 2147483647));
      mask |= 1ULL << (i % 64);
    }
  }
  return mask;
}

// The business key of a table besides RECID (the column other tables join on), which an inserted row must not
// share with an existing one: a copied CustTable row with the same ACCOUNTNUM would be a second customer with the
// same account, which D365 does not allow.
const char* BusinessKeyColumn(const std::string& table) {
  static const std::pair<const char*, const char*> kKeys[] = {
      {"CustTable", "ACCOUNTNUM"},  {"SalesTable", "SALESID"},   {"InventTable", "ITEMID"},
      {"CustGroup", "CUSTGROUP"},   {"DirPartyTable", "PARTYNUMBER"}, {"EcoResProduct", "DISPLAYPRODUCTNUMBER"},
  };
  for (const auto& [name, column] : kKeys) {
    if (table == name) return column;
  }
  return nullptr;
}

// A new business key for an inserted row, unique because RECIDs are: "N" and the RECID in base 36 (8 characters
// for generated RECIDs, which fits CUSTGROUP's 10).
std::string NewBusinessKey(int64_t recid) {
  static const char kDigits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  std::string digits;
  uint64_t v = static_cast<uint64_t>(recid);
  do {
    digits.insert(digits.begin(), kDigits[v % 36]);
    v /= 36;
  } while (v > 0);
  return "N" + digits;
}

// The live keys of a table while changes are planned, with O(1) random choice and removal.
class KeySet {
 public:
  void Add(int64_t key) {
    index_[key] = keys_.size();
    keys_.push_back(key);
  }
  void Remove(int64_t key) {
    size_t i = index_.at(key);
    keys_[i] = keys_.back();
    index_[keys_[i]] = i;
    keys_.pop_back();
    index_.erase(key);
  }
  bool Has(int64_t key) const { return index_.count(key) > 0; }
  int64_t Pick(Random& rng) const { return keys_[rng.Uniform(keys_.size())]; }
  size_t size() const { return keys_.size(); }

 private:
  std::vector<int64_t> keys_;
  std::map<int64_t, size_t> index_;
};

class Planner {
 public:
  Planner(ChangeScript* script, uint64_t seed)
      : script_(*script), table_(script->table), rng_(Random::Derive(seed, kChangeStream, NameHash(table_.name))) {
    for (const auto& row : table_.rows) {
      int64_t key = table_.KeyOf(row);
      live_.Add(key);
      image_[key] = row;
      next_key_ = std::max(next_key_, key + 1);
    }
  }

  void Plan(int64_t events) {
    const int64_t batch_one = std::max<int64_t>(1, events * 6 / 10);
    for (int64_t i = 0; i < events; ++i) {
      batch_ = i < batch_one ? 1 : 2;
      if (i == batch_one) ForceCrossBatchCases();
      uint64_t r = rng_.Uniform(100);
      if (r < 15 && live_.size() > 1) {
        Delete(live_.Pick(rng_));
      } else if (r < 20 && !deleted_.empty()) {
        Insert(*std::next(deleted_.begin(), static_cast<long>(rng_.Uniform(deleted_.size()))));
      } else if (r < 35 || live_.size() == 0) {
        Insert(next_key_++);
      } else {
        // Some updates hit a recently changed key, so one key changes several times within a batch.
        int64_t key = live_.Pick(rng_);
        if (!recent_.empty() && rng_.Chance(0.3)) {
          int64_t candidate = recent_[rng_.Uniform(recent_.size())];
          if (live_.Has(candidate)) key = candidate;
        }
        Update(key);
      }
    }
  }

 private:
  // Batch 2 begins by inserting again a key deleted in batch 1, and by deleting a key updated in batch 1: the
  // cases where applying changes out of order resurrects or loses rows.
  void ForceCrossBatchCases() {
    for (const ChangeEvent& e : script_.events) {
      if (e.kind == ChangeKind::kDelete && deleted_.count(e.key)) {
        Insert(e.key);
        break;
      }
    }
    for (const ChangeEvent& e : script_.events) {
      if (e.kind == ChangeKind::kUpdate && live_.Has(e.key) && live_.size() > 1) {
        Delete(e.key);
        break;
      }
    }
  }

  void Remember(int64_t key) {
    recent_.push_back(key);
    if (recent_.size() > 16) recent_.erase(recent_.begin());
  }

  void Insert(int64_t key) {
    ChangeEvent e{ChangeKind::kInsert, key, {}, {}, 0, batch_};
    std::map<int64_t, std::vector<std::string>>::const_iterator source = image_.find(key);
    if (source == image_.end()) source = image_.find(live_.size() > 0 ? live_.Pick(rng_) : table_.KeyOf(table_.rows[0]));
    e.row = source->second;
    e.row[static_cast<size_t>(table_.key)] = std::to_string(key);
    if (const char* business = BusinessKeyColumn(table_.name)) {
      for (size_t i = 0; i < table_.columns.size(); ++i) {
        if (table_.columns[i].name == business) e.row[i] = NewBusinessKey(key);
      }
    }
    e.mask = Mutate(table_, &e.row, rng_, Index());
    deleted_.erase(key);
    live_.Add(key);
    image_[key] = e.row;
    Remember(key);
    script_.events.push_back(std::move(e));
  }

  void Update(int64_t key) {
    ChangeEvent e{ChangeKind::kUpdate, key, image_.at(key), image_.at(key), 0, batch_};
    e.mask = Mutate(table_, &e.row, rng_, Index());
    image_[key] = e.row;
    Remember(key);
    script_.events.push_back(std::move(e));
  }

  void Delete(int64_t key) {
    ChangeEvent e{ChangeKind::kDelete, key, image_.at(key), {}, 0, batch_};
    live_.Remove(key);
    deleted_.insert(key);
    script_.events.push_back(std::move(e));
  }

  int64_t Index() const { return static_cast<int64_t>(script_.events.size()); }

  ChangeScript& script_;
  const TableSnapshot& table_;
  Random rng_;
  KeySet live_;
  std::set<int64_t> deleted_;
  std::map<int64_t, std::vector<std::string>> image_;  // the last image of every key ever seen
  std::vector<int64_t> recent_;
  int64_t next_key_ = 0;
  int batch_ = 1;
};

// ---------------------------------------------------------------------------------------------------------
// Writing the change feed.

// How a table's change rows spell DML_Action: codes, upper-case names or mixed-case names.
enum class ActionStyle { kCodes, kNames, kMixedCase };

ActionStyle StyleOf(const std::string& table) {
  if (table == "SalesTable") return ActionStyle::kCodes;
  if (table == "CustTable") return ActionStyle::kMixedCase;
  return ActionStyle::kNames;
}

std::string ActionText(ChangeKind kind, bool before, ActionStyle style) {
  if (style == ActionStyle::kCodes) return before ? "3" : kind == ChangeKind::kDelete ? "1" : kind == ChangeKind::kInsert ? "2" : "4";
  std::string name = before ? "BEFORE_UPDATE" : kind == ChangeKind::kDelete ? "DELETE" : kind == ChangeKind::kInsert ? "INSERT" : "AFTER_UPDATE";
  if (style == ActionStyle::kMixedCase) {
    for (size_t i = 1; i < name.size(); ++i) {
      if (name[i - 1] != '_') name[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[i])));
    }
  }
  return name;
}

struct ChangeRow {
  int batch;
  std::string text;
};

// The change rows of a script in commit order: transactions of 1-3 changes share an LSN and count Seq_Val up.
std::vector<ChangeRow> ChangeRows(const ChangeScript& script, uint64_t seed) {
  Random rng = Random::Derive(seed, kFeedStream, NameHash(script.table.name));
  const ActionStyle style = StyleOf(script.table.name);
  std::vector<ChangeRow> rows;
  uint64_t lsn = 0x11E9F00000FB0000ULL + rng.Uniform(0x10000);
  int in_transaction = 0;
  uint64_t seq = 0;
  int64_t time = kFeedStart;
  int batch = 1;
  for (const ChangeEvent& e : script.events) {
    // A transaction does not span two batches: every LSN of batch 2 is above batch 1's.
    if (in_transaction == 0 || e.batch != batch) {
      batch = e.batch;
      lsn += 1 + rng.Uniform(0x40);
      in_transaction = 1 + static_cast<int>(rng.Uniform(3));
      seq = 0x10 * (1 + rng.Uniform(4));
      time += 1 + rng.Range(0, 6);
    }
    --in_transaction;
    seq += 1 + rng.Uniform(3);
    const bool lower = rng.Chance(0.1);  // hex digits of either case
    const std::string start = HexText(lsn, 20, lower), seq_val = HexText(seq, 20, lower);
    auto row = [&](const std::vector<std::string>& image, bool before) {
      std::string text = start + ",," + ActionText(e.kind, before, style) + "," + seq_val + "," +
                         (e.mask ? HexText(e.mask, 16) : std::string()) + ",";
      for (const std::string& f : image) text += f + ",";
      text += IsoDateTime(time) + "," + IsoDateTime(time + 2) + "\n";
      return text;
    };
    // Some updates come with their BEFORE_UPDATE image, under the same LSN and Seq_Val.
    if (e.kind == ChangeKind::kUpdate && rng.Chance(0.1)) rows.push_back({e.batch, row(e.before, true)});
    rows.push_back({e.batch, row(e.row, false)});
  }
  return rows;
}

Json CsvTrait() {
  return {{"traitReference", "is.partition.format.CSV"},
          {"arguments",
           Json::array({{{"name", "columnHeaders"}, {"value", "false"}}, {{"name", "delimiter"}, {"value", ","}}})}};
}

Json TextAttribute(const std::string& name, const std::string& format) {
  return {{"name", name}, {"dataFormat", format}, {"isNullable", true}};
}

// The change entity's document: the feed's columns around a copy of the table's own attributes.
std::string ChangeEntityDocument(FileSystem& fs, const std::string& root, const TableSnapshot& table) {
  nlohmann::ordered_json source = nlohmann::ordered_json::parse(fs.ReadFile(JoinPath(root, table.entity_document)));
  Json attributes = Json::array();
  for (const char* name : {"Start_LSN", "End_LSN", "DML_Action", "Seq_Val", "Update_Mask"}) {
    attributes.push_back(TextAttribute(name, "String"));
  }
  for (const auto& a : source["definitions"][0]["hasAttributes"]) attributes.push_back(a);
  attributes.push_back(TextAttribute("LastProcessedChange_DateTime", "DateTime"));
  attributes.push_back(TextAttribute("DataLakeModified_DateTime", "DateTime"));
  const std::string name = Upper(table.name);
  Json definition = {{"entityName", name},
                     {"exhibitsTraits",
                      Json::array({{{"traitReference", "has.entitySchemaAbstractionLevel"},
                                    {"arguments", Json::array({{{"name", "level"}, {"value", "resolved"}}})}}})},
                     {"hasAttributes", attributes}};
  Json doc = {{"jsonSchemaSemanticVersion", "1.0.0"},
              {"imports", Json::array({{{"corpusPath", "cdm:/foundations.cdm.json"}}})},
              {"definitions", Json::array({definition})}};
  return doc.dump(2) + "\n";
}

std::string ChangeFeedManifest(const std::vector<ChangeScript>& scripts) {
  Json entities = Json::array();
  for (const ChangeScript& s : scripts) {
    const std::string name = Upper(s.table.name);
    entities.push_back({{"type", "LocalEntity"},
                        {"entityName", name},
                        {"entityPath", name + ".cdm.json/" + name},
                        {"dataPartitionPatterns", Json::array({{{"name", name},
                                                                {"rootLocation", name},
                                                                {"globPattern", "/*.csv"},
                                                                {"exhibitsTraits", Json::array({CsvTrait()})}}})}});
  }
  Json manifest = {{"jsonSchemaSemanticVersion", "1.0.0"},
                   {"imports", Json::array({{{"corpusPath", "cdm:/foundations.cdm.json"}}})},
                   {"manifestName", "ChangeFeed"},
                   {"explanation", "Change feed of the tables exported from Dynamics 365 Finance and Operations "
                                   "(synthetic data generated by cdmlake)."},
                   {"entities", entities},
                   {"subManifests", Json::array()}};
  return manifest.dump(2) + "\n";
}

uint64_t WriteText(FileSystem& fs, const std::string& path, const std::string& text) {
  fs.CreateDirectories(DirName(path));
  fs.WriteFileAtomic(path, text);
  return text.size();
}

// Writes a batch's rows into two files, shuffled, with a few exact duplicates: rows arrive out of LSN order
// within a file and across the files of the batch, and some twice.
uint64_t WriteBatch(FileSystem& fs, const std::string& dir, const std::string& prefix, int batch,
                    std::vector<std::string> rows, Random& rng, int* files, int64_t* written) {
  const size_t n = rows.size();
  for (size_t i = 0; i < n; ++i) {
    if (rng.Chance(0.03)) rows.push_back(rows[i]);
  }
  for (size_t i = rows.size(); i > 1; --i) std::swap(rows[i - 1], rows[rng.Uniform(i)]);
  uint64_t bytes = 0;
  const size_t half = (rows.size() + 1) / 2;
  for (int part = 1; part <= 2; ++part) {
    std::string text;
    for (size_t i = part == 1 ? 0 : half; i < (part == 1 ? half : rows.size()); ++i) text += rows[i];
    char name[64];
    std::snprintf(name, sizeof name, "%s_%03d_%02d.csv", prefix.c_str(), batch, part);
    bytes += WriteText(fs, JoinPath(dir, name), text);
    ++*files;
  }
  *written += static_cast<int64_t>(rows.size());
  return bytes;
}

}  // namespace

int64_t TableSnapshot::KeyOf(const std::vector<std::string>& row) const {
  int64_t value = 0;
  if (key < 0 || static_cast<size_t>(key) >= row.size() || !ParseInt64(row[static_cast<size_t>(key)], &value)) {
    throw Error(ErrorKind::kData, "a row of generated table " + name + " has no RECID");
  }
  return value;
}

TableSnapshot ReadGeneratedTable(FileSystem& fs, const std::string& root, const GeneratedTable& table) {
  TableSnapshot out;
  out.name = table.name;
  out.folder = table.folder;
  for (const char* sub : {"", "resolved/"}) {
    std::string doc = table.folder + "/" + sub + table.name + ".cdm.json";
    if (fs.Stat(JoinPath(root, doc))) out.entity_document = doc;
  }
  if (out.entity_document.empty()) {
    throw Error(ErrorKind::kData, "the generated table " + table.name + " has no entity document", Location{table.folder});
  }
  nlohmann::json doc = nlohmann::json::parse(fs.ReadFile(JoinPath(root, out.entity_document)));
  for (const auto& a : doc["definitions"][0]["hasAttributes"]) {
    SnapshotColumn c;
    c.name = a.value("name", "");
    c.data_format = a.value("dataFormat", "");
    c.max_length = a.value("maximumLength", -1);
    c.enum_values = EnumValues(a);
    if (c.name == "RECID") out.key = static_cast<int>(out.columns.size());
    out.columns.push_back(std::move(c));
  }
  const std::string data = JoinPath(root, table.folder + "/" + table.name);
  const std::string prefix = Upper(table.name) + "_";
  for (const FileInfo& f : fs.ListDirectory(data)) {
    if (f.is_directory || f.name.rfind(prefix, 0) != 0 || !EndsWithIgnoreCase(f.name, ".csv")) continue;
    for (auto& record : SplitRawCsv(fs.ReadFile(JoinPath(data, f.name)))) out.rows.push_back(std::move(record));
  }
  if (out.key < 0 || out.rows.empty()) {
    throw Error(ErrorKind::kData, "the generated table " + table.name + " has no RECID column or no rows", Location{data});
  }
  return out;
}

ChangeScript PlanChanges(TableSnapshot table, int percent, uint64_t seed) {
  ChangeScript script;
  script.table = std::move(table);
  const int64_t events = std::max<int64_t>(1, static_cast<int64_t>(script.table.rows.size()) * percent / 100);
  Planner(&script, seed).Plan(events);
  return script;
}

std::vector<std::vector<std::string>> FinalRows(const ChangeScript& script) {
  std::map<int64_t, std::vector<std::string>> rows;
  for (const auto& row : script.table.rows) rows[script.table.KeyOf(row)] = row;
  for (const ChangeEvent& e : script.events) {
    if (e.kind == ChangeKind::kDelete) {
      rows.erase(e.key);
    } else {
      rows[e.key] = e.row;
    }
  }
  std::vector<std::vector<std::string>> out;
  for (auto& [key, row] : rows) out.push_back(std::move(row));
  return out;
}

std::string CsvRecord(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) out += (i > 0 ? "," : "") + fields[i];
  return out + "\n";
}

ChangeFeedSummary GenerateChangeFeed(FileSystem& fs, const std::string& root, const D365LakeSummary& lake,
                                     const ChangeOptions& options) {
  if (options.percent < 1 || options.percent > 100) {
    throw Error(ErrorKind::kUser, "--changes must be a percentage from 1 to 100, got " + std::to_string(options.percent));
  }
  std::vector<ChangeScript> scripts;
  for (const std::string& name : options.tables) {
    auto it = std::find_if(lake.tables.begin(), lake.tables.end(), [&](const GeneratedTable& t) { return t.name == name; });
    if (it == lake.tables.end()) throw Error(ErrorKind::kUser, "the generated lake has no table " + name);
    scripts.push_back(PlanChanges(ReadGeneratedTable(fs, root, *it), options.percent, options.seed));
  }
  ChangeFeedSummary summary;
  const std::string feed = JoinPath(root, "ChangeFeed");
  for (const ChangeScript& script : scripts) {
    const std::string name = Upper(script.table.name);
    const std::string dir = JoinPath(feed, name);
    fs.CreateDirectories(dir);
    // Files of an earlier run with other options would be read as changes too.
    for (const FileInfo& f : fs.ListDirectory(dir)) {
      if (!f.is_directory && f.name.rfind(name + "_", 0) == 0 && EndsWithIgnoreCase(f.name, ".csv")) fs.RemoveFile(JoinPath(dir, f.name));
    }
    ChangeFeedTableSummary table{script.table.name, static_cast<int64_t>(script.events.size()), 0, 0, 0};
    std::vector<std::string> batches[2];
    for (ChangeRow& row : ChangeRows(script, options.seed)) batches[row.batch - 1].push_back(std::move(row.text));
    Random rng = Random::Derive(options.seed, kFeedStream + 1, NameHash(script.table.name));
    for (int b = 0; b < 2; ++b) {
      if (batches[b].empty()) continue;
      summary.bytes_written += WriteBatch(fs, dir, name, b + 1, std::move(batches[b]), rng, &table.files, &table.change_rows);
    }
    summary.bytes_written += WriteText(fs, JoinPath(feed, name + ".cdm.json"), ChangeEntityDocument(fs, root, script.table));
    std::string truth;
    std::vector<std::vector<std::string>> rows = FinalRows(script);
    for (const auto& row : rows) truth += CsvRecord(row);
    table.final_rows = static_cast<int64_t>(rows.size());
    summary.bytes_written += WriteText(fs, JoinPath(root, "_truth/" + script.table.name + ".csv"), truth);
    summary.tables.push_back(std::move(table));
  }
  summary.bytes_written += WriteText(fs, JoinPath(feed, "ChangeFeed.manifest.cdm.json"), ChangeFeedManifest(scripts));
  return summary;
}

}  // namespace cdmlake::generate
