#include "unify/unify_output.h"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <map>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "engine/quote.h"
#include "lake/cdm_folder_writer.h"
#include "lake/session.h"
#include "unify/customer_id.h"
#include "unify/row_function.h"
#include "util/error.h"
#include "util/parallel.h"
#include "util/path.h"
#include "util/real_path.h"
#include "util/strings.h"

namespace cdmlake::unify {

namespace {

using engine::QuoteIdentifier;

// A name usable as a column prefix or entity name: letters, digits and '_' ("Customer-Loyalty" ->
// "Customer_Loyalty").
std::string Identifier(const std::string& name) {
  std::string out;
  for (char c : name) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '_') ? c : '_';
  return out;
}

// The table name of a source for AlternateKey: the lake table, or the CSV file's name without its extension.
std::string TableName(const UnifyConfig& config, const std::string& source) {
  const Source* s = config.FindSource(source);
  if (!s) return source;
  if (!s->table.empty()) return s->table;
  std::string file = BaseName(s->csv_path);
  size_t dot = file.rfind('.');
  return dot == std::string::npos || dot == 0 ? file : file.substr(0, dot);
}

// A score as the DOUBLE column Score reads it back: rounded to 4 decimals, then printed as DuckDB prints that
// DOUBLE (shortest form, at least one decimal: "1.0", "0.85"), which is what the files had when DuckDB wrote them
// (checked against DuckDB 1.4 for every multiple of 0.0001 in [-2, 300]).
std::string ScoreText(double score) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4f", score);
  std::string text = buffer;
  if (text.find('.') == std::string::npos) return text;  // nan, inf
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.push_back('0');
  return text;
}

std::string ManifestPath(const std::string& lake_root, const UnifyConfig& config) {
  return JoinPath(JoinPath(lake_root, config.output.folder), SafeFileName(BaseName(config.output.folder)) +
                                                                  ".manifest.cdm.json");
}

// A RowSource whose rows a function makes.
template <typename F>
class Rows : public RowSource {
 public:
  Rows(size_t size, F make) : size_(size), make_(std::move(make)) {}
  size_t size() const override { return size_; }
  void Row(size_t row, RowCells* cells) override { make_(row, cells); }

 private:
  size_t size_;
  F make_;
};

template <typename F>
std::unique_ptr<RowSource> MakeRows(size_t size, F make) {
  return std::make_unique<Rows<F>>(size, std::move(make));
}

// The records of a profile from source i, in output order: each attached group's winner, then its other
// members. Calls f(record).
template <typename F>
void ForEachRecord(const UnifyResult& run, size_t profile, size_t i, F f) {
  for (const Attachment& a : run.match.profiles[profile].groups) {
    if (a.group.source != i) continue;
    const DedupResult& d = run.dedups[i];
    const uint32_t winner = d.winner[a.group.group];
    f(winner);
    for (uint32_t r : d.groups[a.group.group]) {
      if (r != winner) f(r);
    }
  }
}

// The output entities, made row by row from the run when the writer reads them (lake/row_source.h). The writer
// runs them in parallel, so a source may only read the run (immutable by now) and state of its own: the buffers
// its lambda keeps are captured by value, one copy per source.
class OutputBuilder {
 public:
  explicit OutputBuilder(const UnifyResult& run) : run_(run) {
    for (const auto& t : run_.tables) table_names_.push_back(TableName(config(), t.name));
  }

  // The tables of dedup: Deduplication_<Source> and <Source>_Corrupt. Their rows read only run.tables[i] and
  // run.dedups[i] (captured by reference: the elements stay where they are when the result is moved), never this
  // builder, so they can be written while the run goes on.
  std::vector<lake::RowEntity> BuildDeduplication() {
    for (size_t i = 0; i < run_.tables.size(); ++i) {
      Deduplication(i);
      Corrupt(i);
    }
    return std::move(entities_);
  }

  // The tables of the profiles: Customer, AlternateKey, ConflationMatchPairs. Their rows read the builder's data
  // (the table names), so the builder must outlive the commit.
  std::vector<lake::RowEntity> BuildProfiles() {
    Customer();
    AlternateKeys();
    MatchPairs();
    return std::move(entities_);
  }

 private:
  const UnifyConfig& config() const { return *run_.config; }

  void Customer() {
    std::vector<std::string> columns = {"CustomerId"};
    for (const auto& t : run_.tables) {
      std::string prefix = Identifier(t.name) + "_" + Identifier(t.key_column);
      columns.push_back(prefix);
      columns.push_back(prefix + "_Alternate");
    }
    for (const auto& f : run_.merge.fields) columns.push_back(f.name);
    columns.push_back("PreviousCustomerId");
    const UnifyResult& run = run_;
    std::string alternates;  // reused: the ';'-joined other keys of one source
    auto make = [&run, alternates](size_t p, RowCells* cells) mutable {
      size_t c = 0;
      cells->Set(c++, run.customer_ids[p]);
      for (size_t i = 0; i < run.tables.size(); ++i) {
        const ProfileTable& t = run.tables[i];
        bool first = true;
        alternates.clear();
        ForEachRecord(run, p, i, [&](uint32_t r) {
          if (first) {
            cells->Set(c, t.Key(r));
            first = false;
          } else {
            if (!alternates.empty()) alternates += ';';
            alternates += t.Key(r);
          }
        });
        c += 1;
        if (!alternates.empty()) cells->SetCopy(c, alternates);
        c += 1;
      }
      for (size_t f = 0; f < run.merge.fields.size(); ++f) cells->Set(c++, run.merge.values[f][p]);
      const std::string& previous = run.previous_customer_ids[p];
      if (!previous.empty()) cells->Set(c, previous);
    };
    Add("Customer", std::move(columns), MakeRows(run_.match.profiles.size(), std::move(make)), {},
        "cdmlake unify: unified customer profiles");
  }

  void AlternateKeys() {
    // One row per record of a profile, in profile order.
    struct Ref {
      uint32_t profile;
      uint32_t source;
      uint32_t record;
    };
    std::vector<Ref> refs;
    for (size_t p = 0; p < run_.match.profiles.size(); ++p) {
      for (size_t i = 0; i < run_.tables.size(); ++i) {
        ForEachRecord(run_, p, i, [&](uint32_t r) {
          refs.push_back({static_cast<uint32_t>(p), static_cast<uint32_t>(i), r});
        });
      }
    }
    const size_t size = refs.size();
    const UnifyResult& run = run_;
    const std::vector<std::string>& table_names = table_names_;
    auto identify = [&run, &table_names](const Ref& ref, std::string* identifier) {
      const ProfileTable& t = run.tables[ref.source];
      AlternateKeyIdentifier(t.name, table_names[ref.source], t.Key(ref.record), identifier);
    };
    // The AlternateKeyIds (a SHA-1 each) on all threads beforehand: this is the largest output, and the writer
    // makes each entity's rows on one thread.
    std::string key_ids(size * kUuidTextSize, '\0');
    ParallelFor(size, 16384, [&](size_t begin, size_t end) {
      std::string identifier;
      for (size_t row = begin; row < end; ++row) {
        identify(refs[row], &identifier);
        AlternateKeyIdTo(identifier, key_ids.data() + row * kUuidTextSize);
      }
    });
    std::string identifier;
    auto make = [&run, &table_names, refs = std::move(refs), key_ids = std::move(key_ids), identify,
                 identifier](size_t row, RowCells* cells) mutable {
      const Ref& ref = refs[row];
      identify(ref, &identifier);
      cells->Set(0, run.tables[ref.source].name);
      cells->Set(1, table_names[ref.source]);
      cells->Set(2, run.tables[ref.source].Key(ref.record));
      cells->Set(3, run.customer_ids[ref.profile]);
      cells->SetCopy(4, identifier);  // the next row reuses `identifier`
      cells->Set(5, std::string_view(key_ids).substr(row * kUuidTextSize, kUuidTextSize));
    };
    Add("AlternateKey",
        {"DataSourceName", "TableName", "AlternateValue", "CustomerId", "Identifier", "AlternateKeyId"},
        MakeRows(size, std::move(make)), {}, "cdmlake unify: source records of each customer");
  }

  void MatchPairs() {
    std::vector<std::pair<uint32_t, uint32_t>> refs;  // (profile, attachment)
    for (size_t p = 0; p < run_.match.profiles.size(); ++p) {
      for (size_t k = 1; k < run_.match.profiles[p].groups.size(); ++k) {
        refs.emplace_back(static_cast<uint32_t>(p), static_cast<uint32_t>(k));
      }
    }
    const size_t size = refs.size();
    const UnifyResult& run = run_;
    auto make = [&run, refs = std::move(refs)](size_t row, RowCells* cells) {
      const auto [p, k] = refs[row];
      const Attachment& a = run.match.profiles[p].groups[k];
      const ProfileTable& own = run.tables[a.group.source];
      const ProfileTable& target = run.tables[a.target.source];
      cells->Set(0, run.customer_ids[p]);
      cells->Set(1, own.name);
      cells->Set(2, own.Key(run.dedups[a.group.source].winner[a.group.group]));
      cells->Set(3, own.Key(a.record));
      cells->Set(4, a.rule);
      cells->SetCopy(5, ScoreText(a.score));
      cells->Set(6, target.name);
      cells->Set(7, target.Key(a.target_record));
    };
    Add("ConflationMatchPairs",
        {"CustomerId", "SourceName", "SourceKey", "MatchedKey", "Rule", "Score", "TargetSourceName", "TargetKey"},
        MakeRows(size, std::move(make)), {{"Score", cdm::DataFormat::kDouble}},
        "cdmlake unify: how each source record group joined its customer");
  }

  void Deduplication(size_t i) {
    const ProfileTable& t = run_.tables[i];
    const DedupResult& d = run_.dedups[i];
    const std::string pk = Identifier(t.key_column);
    std::vector<std::string> columns = {pk, pk + "_Alternate", "Deduplication_GroupId", "Deduplication_WinnerId",
                                        "Rule", "Score"};
    for (const auto& c : t.columns) columns.push_back(c);
    std::string alternates;
    auto make = [&t, &d, alternates](size_t row, RowCells* cells) mutable {
      const uint32_t g = static_cast<uint32_t>(row);
      const uint32_t winner = d.winner[g];
      alternates.clear();
      const std::string* rule = nullptr;
      static const std::string kAlways = "Always match";
      double score = 1.0;
      for (uint32_t r : d.groups[g]) {
        if (r != winner) {
          if (!alternates.empty()) alternates += ';';
          alternates += t.Key(r);
        }
        const LinkEvidence& e = d.evidence[r];
        if (e.rule == -1) continue;
        const std::string* name = e.rule == -2 ? &kAlways : &d.rule_names[e.rule];
        if (!rule || e.score < score) {
          rule = name;
          score = e.score;
        }
      }
      cells->Set(0, t.Key(winner));
      if (!alternates.empty()) cells->SetCopy(1, alternates);
      cells->SetCopy(2, t.name + "_" + std::to_string(g + 1));
      cells->Set(3, t.Key(winner));
      if (rule) {
        cells->Set(4, *rule);
        cells->SetCopy(5, ScoreText(score));
      }
      for (size_t c = 0; c < t.columns.size(); ++c) {
        cells->Set(6 + c, t.Value(static_cast<int>(c), d.ValueRow(static_cast<int>(c), g)));
      }
    };
    Add("Deduplication_" + Identifier(t.name), std::move(columns), MakeRows(d.groups.size(), std::move(make)),
        {{"Score", cdm::DataFormat::kDouble}},
        "cdmlake unify: deduplication groups of " + t.name);
  }

  void Corrupt(size_t i) {
    const ProfileTable& t = run_.tables[i];
    std::vector<std::string> columns = {"__Row", "__Reason", t.key_column};
    for (const auto& c : t.columns) columns.push_back(c);
    auto make = [&t](size_t row, RowCells* cells) {
      const QuarantinedRow& q = t.quarantined[row];
      cells->SetCopy(0, std::to_string(q.row));
      cells->Set(1, q.reason);
      for (size_t c = 0; c < q.values.size(); ++c) cells->Set(2 + c, q.values[c]);
    };
    Add(Identifier(t.name) + "_Corrupt", std::move(columns), MakeRows(t.quarantined.size(), std::move(make)),
        {{"__Row", cdm::DataFormat::kInt64}},
        "cdmlake unify: rows of " + t.name + " left out, with the reason");
  }

  // Columns are String unless `formats` names them (their cells then hold that format's text).
  void Add(const std::string& entity, const std::vector<std::string>& columns, std::unique_ptr<RowSource> source,
           const std::map<std::string, cdm::DataFormat>& formats, const std::string& description) {
    lake::RowEntity e{entity, {}, std::move(source), description};
    for (const std::string& c : columns) {
      cdm::Attribute a;
      a.name = c;
      auto it = formats.find(c);
      a.format = it == formats.end() ? cdm::DataFormat::kString : it->second;
      e.attributes.push_back(std::move(a));
    }
    entities_.push_back(std::move(e));
  }

  const UnifyResult& run_;
  std::vector<std::string> table_names_;  // per source: its TableName
  std::vector<lake::RowEntity> entities_;
};

// The profile of each record of a source, by primary key (records dropped from every profile left out).
std::unordered_map<std::string_view, uint32_t> ProfilesByKey(const UnifyResult& run, size_t source) {
  std::unordered_map<std::string_view, uint32_t> out;
  const ProfileTable& t = run.tables[source];
  out.reserve(t.size());
  for (uint32_t r = 0; r < t.size(); ++r) {
    const int32_t p = run.ProfileOf(source, r);
    if (p >= 0) out.emplace(t.Key(r), static_cast<uint32_t>(p));
  }
  return out;
}

// Whether an amount's text is a number UnifiedActivity's DOUBLE column takes: a decimal or scientific number, with
// spaces around it allowed. Anything else is written as empty and counted, never left to fail the write.
bool IsNumber(std::string_view text) {
  const size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return false;
  text = text.substr(begin, text.find_last_not_of(" \t") + 1 - begin);
  if (text.front() == '+') text.remove_prefix(1);
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
}

std::string Values(int64_t n) { return std::to_string(n) + (n == 1 ? " value" : " values"); }

// UnifiedActivity: every configured activity's rows whose link key is a record of a profile. The activities
// read stay in `loaded` until the writer has read the rows.
lake::OutputEntity Activities(const UnifyResult& run, SourceReader& reader, RowFunction& rows,
                              std::vector<LoadedTable>* loaded, std::vector<ActivityStats>* stats,
                              std::vector<std::string>* warnings) {
  struct Linked {
    uint32_t activity;
    uint32_t row;
    uint32_t profile;
    bool amount_ok;  // false: the amount is not a number, written as empty
  };
  // The optional columns, read after the key and the link column, in this order.
  enum : size_t { kTimestamp, kTitle, kDescription, kUrl, kAmount };
  std::vector<Linked> linked;
  std::map<std::string, std::unordered_map<std::string_view, uint32_t>> profiles_of;  // per link source
  const std::vector<const Activity*> activities = [&] {
    std::vector<const Activity*> out;
    for (const Activity& a : run.config->activities) out.push_back(&a);
    return out;
  }();
  loaded->reserve(activities.size());
  for (uint32_t k = 0; k < activities.size(); ++k) {
    const Activity& a = *activities[k];
    std::vector<ColumnRead> reads = {{a.key.name, ""}, {a.link_column.name, ""}};
    const std::vector<const NameRef*> optional_columns = {&a.timestamp, &a.title, &a.description, &a.url, &a.amount};
    for (const NameRef* ref : optional_columns) {
      // The amount is cast to DOUBLE for UnifiedActivity: its decimal text is enough.
      reads.push_back({ref->name, ref == &a.timestamp ? a.timestamp_format : "", ref == &a.amount});
    }
    // Columns not configured are read as the key again and blanked below (a read needs a real column).
    for (auto& r : reads) {
      if (r.name.empty()) r = {a.key.name, "", false};
    }
    loaded->push_back(reader.Read(a.name, a.table, a.csv_path, reads));
    const LoadedTable& table = loaded->back();
    const int source = run.SourceIndex(a.link_source.name);
    auto it = profiles_of.find(a.link_source.name);
    if (it == profiles_of.end() && source >= 0) {
      it = profiles_of.emplace(a.link_source.name, ProfilesByKey(run, static_cast<size_t>(source))).first;
    }
    ActivityStats s{a.name, static_cast<int64_t>(table.rows()), 0, 0};
    const auto* profiles = it == profiles_of.end() ? nullptr : &it->second;
    const TextColumn& amounts = table.values[2 + kAmount];
    int64_t bad_amounts = 0;  // over all rows, as the read counts timestamps
    // An activity's key gives its ActivityId: a row without one, or with the key of an earlier row, is left out
    // and counted (the first row wins, as for sources).
    std::unordered_set<std::string_view> keys_seen;
    keys_seen.reserve(table.rows());
    const TextColumn& activity_keys = table.values[0];
    for (size_t row = 0; row < table.rows(); ++row) {
      const bool amount_ok = a.amount.name.empty() || amounts.IsNull(row) || IsNumber(amounts.View(row));
      bad_amounts += !amount_ok;
      if (activity_keys.IsNull(row) || Trim(activity_keys.View(row)).empty()) {
        ++s.no_key;
        continue;
      }
      if (!keys_seen.insert(activity_keys.View(row)).second) {
        ++s.duplicate_keys;
        continue;
      }
      const bool has_link = !table.values[1].IsNull(row);
      const auto found = has_link && profiles ? profiles->find(table.values[1].View(row)) : decltype(profiles->end()){};
      if (!has_link || !profiles || found == profiles->end()) {
        ++s.unlinked;
        continue;
      }
      ++s.linked;
      linked.push_back({k, static_cast<uint32_t>(row), found->second, amount_ok});
    }
    stats->push_back(s);
    if (s.no_key > 0) {
      warnings->push_back(a.name + ": " + std::to_string(s.no_key) + (s.no_key == 1 ? " row has" : " rows have") +
                          " no " + a.key.name + " and " + (s.no_key == 1 ? "is" : "are") +
                          " left out of UnifiedActivity (an activity needs its key for its ActivityId)");
    }
    if (s.duplicate_keys > 0) {
      warnings->push_back(a.name + ": " + std::to_string(s.duplicate_keys) +
                          (s.duplicate_keys == 1 ? " row repeats" : " rows repeat") + " the " + a.key.name +
                          " of an earlier row and " + (s.duplicate_keys == 1 ? "is" : "are") +
                          " left out (the first row wins)");
    }
    // The timestamp's format is applied by the read (LoadedTable::unparsed); the amount is checked above.
    if (const int64_t n = table.unparsed[2 + kTimestamp]; n > 0 && !a.timestamp.name.empty()) {
      warnings->push_back(a.name + "." + a.timestamp.name + ": " + UnfitValues(n, a.timestamp_format));
    }
    if (bad_amounts > 0) {
      warnings->push_back(a.name + "." + a.amount.name + ": " + Values(bad_amounts) +
                          (bad_amounts == 1 ? " is not a number and counts" : " are not numbers and count") +
                          " as empty");
    }
  }
  const size_t size = linked.size();
  std::string seed;
  auto make = [&run, activities, loaded, linked = std::move(linked), seed](size_t row, RowCells* cells) mutable {
    const Linked& l = linked[row];
    const Activity& a = *activities[l.activity];
    const LoadedTable& table = (*loaded)[l.activity];
    const std::string_view key_text = table.values[0].View(l.row);  // "" when null, as before
    seed.assign("UnifiedActivity|").append(a.name).append("|").append(key_text);
    cells->Set(0, run.customer_ids[l.profile]);
    cells->SetCopy(1, Uuid5(kAlternateKeyIdNamespace, seed));
    cells->Set(2, a.name);
    cells->Set(3, key_text);
    if (!a.type.empty()) cells->Set(4, a.type);
    const std::vector<const NameRef*> optional_columns = {&a.timestamp, &a.title, &a.description, &a.url, &a.amount};
    for (size_t k = 0; k < optional_columns.size(); ++k) {
      const TextColumn& column = table.values[2 + k];
      if (k == kAmount && !l.amount_ok) continue;
      if (!optional_columns[k]->name.empty() && !column.IsNull(l.row)) cells->Set(5 + k, column.View(l.row));
    }
  };
  return {"UnifiedActivity",
          rows.Add("__activity",
                   {"CustomerId", "ActivityId", "SourceTableName", "SourceActivityId", "ActivityType",
                    "ActivityTimeStamp", "Title", "Description", "URL", "Amount"},
                   MakeRows(size, std::move(make)), {{"ActivityTimeStamp", "TIMESTAMP"}, {"Amount", "DOUBLE"}}),
          "cdmlake unify: activities of the unified customers", {}};
}

}  // namespace

std::vector<PreviousKey> ReadPreviousKeys(engine::Database& database, FileSystem& fs, const std::string& lake_root,
                                          const UnifyConfig& config) {
  std::vector<PreviousKey> keys;
  std::string manifest = ManifestPath(lake_root, config);
  if (!fs.Stat(manifest)) return keys;
  std::string document = manifest.substr(lake_root.size() + 1);
  lake::Catalog catalog = lake::Catalog::OpenDocument(fs, lake_root, document);
  const cdm::Entity* entity = catalog.Find("AlternateKey");
  if (!entity) return keys;
  lake::LakeSession session(database, catalog, lake::OnError::kFail);
  session.Attach(*entity);
  try {
    engine::Result result = session.connection().Query(
        "SELECT DataSourceName, AlternateValue, CustomerId FROM AlternateKey WHERE CustomerId IS NOT NULL");
    engine::Chunk chunk;
    while (result.Next(&chunk)) {
      for (idx_t r = 0; r < chunk.size(); ++r) {
        if (chunk.IsNull(0, r) || chunk.IsNull(1, r)) continue;
        keys.push_back({chunk.GetString(0, r), chunk.GetString(1, r), chunk.GetString(2, r)});
      }
    }
  } catch (const engine::EngineError& e) {
    throw Error(ErrorKind::kData, "cannot read the previous run's AlternateKey: " + e.message(), {document},
                "repair or remove the output folder " + config.output.folder + " (CustomerIds then start afresh)");
  }
  return keys;
}

struct UnificationWriter::Impl {
  Impl(const UnifyConfig& config, engine::Database& db, const lake::Catalog* lake_catalog, FileSystem& fs,
       const std::string& root)
      : database(db), catalog(lake_catalog), connection(db) {
    // Nothing shows the progress of these writes, and DuckDB tracks it (locks, per-pipeline sums, per chunk of the
    // single-threaded row function) whenever the progress bar is on, which the engine turns on for every
    // connection. A locked (sandboxed) database refuses the setting; the writes are only slower then.
    try {
      connection.Execute("SET enable_progress_bar = false");
    } catch (const engine::EngineError&) {
    }
    // The configuration's folder is checked as written (config_loader.cc); a symbolic link on the way out of the
    // lake is only seen here, before anything runs.
    const std::string output_dir = JoinPath(root, config.output.folder);
    if (!ResolvesWithin(root, output_dir)) {
      throw Error(ErrorKind::kUser,
                  "the output folder " + config.output.folder + " leads out of the lake " + root +
                      " (through a symbolic link)",
                  Location{config.file, 0, "output.folder"},
                  "choose an output folder inside the lake, or replace the link by a folder");
    }
    lake::CdmFolderOptions options;
    options.manifest_name = SafeFileName(BaseName(config.output.folder));
    options.format = cdm::FileFormat::kCsv;
    options.header = true;
    writer = std::make_unique<lake::CdmFolderWriter>(connection, fs, output_dir, options);
  }

  // The entities in the order of the manifest: the tables of dedup (Deduplication_<Source>, <Source>_Corrupt, per
  // source), then Customer, AlternateKey, ConflationMatchPairs, then UnifiedActivity.
  void AddDeduplication(const UnifyResult& run) {
    OutputBuilder builder(run);
    for (auto& e : builder.BuildDeduplication()) writer->AddRows(std::move(e));
    deduplication_added = true;
  }

  engine::Database& database;
  const lake::Catalog* catalog;
  engine::Connection connection;
  std::unique_ptr<lake::CdmFolderWriter> writer;  // declared last: destroyed (stopping a write-ahead) first
  bool deduplication_added = false;
};

UnificationWriter::UnificationWriter(const UnifyConfig& config, engine::Database& database,
                                     const lake::Catalog* catalog, FileSystem& fs, const std::string& lake_root)
    : impl_(std::make_unique<Impl>(config, database, catalog, fs, lake_root)) {}

UnificationWriter::~UnificationWriter() = default;

void UnificationWriter::WriteDeduplicationAhead(const UnifyResult& run) {
  impl_->AddDeduplication(run);
  impl_->writer->WriteAhead();
}

void UnificationWriter::Abandon() { impl_->writer.reset(); }

OutputReport UnificationWriter::Finish(const UnifyResult& run) {
  if (!impl_->writer) throw Error(ErrorKind::kInternal, "the unification writer was abandoned");
  const auto started = std::chrono::steady_clock::now();
  engine::Connection& connection = impl_->connection;
  OutputReport report;
  RowFunction rows(connection);
  SourceReader reader(impl_->database, impl_->catalog);
  std::vector<LoadedTable> activities;  // read by the writer's query: alive until the commit is done
  lake::OutputEntity activity = Activities(run, reader, rows, &activities, &report.activities, &report.warnings);

  // UnifiedActivity's rows come from one thread (row_function.h), so its COPY gains nothing from DuckDB's other
  // threads, while the querying thread would spin on the task queue waiting for the one that works (measured: a
  // third of the write's CPU time), and the writer's other threads write the other entities meanwhile. One thread
  // for the COPY (the activities, read above, are read in parallel); the setting is the database's, so it is put
  // back afterwards.
  const std::string threads = connection.Query("SELECT current_setting('threads')").ScalarText();
  struct ThreadsGuard {
    engine::Connection& connection;
    std::string threads;
    ~ThreadsGuard() {
      try {
        if (!threads.empty()) connection.Execute("SET threads = " + threads);
      } catch (const engine::EngineError&) {
      }
    }
  } threads_guard{connection, ""};
  try {
    connection.Execute("SET threads = 1");
    threads_guard.threads = threads;
  } catch (const engine::EngineError&) {
  }

  if (!impl_->deduplication_added) impl_->AddDeduplication(run);
  // The sources of these tables read the builder's data (the table names): it lives until the commit is done.
  OutputBuilder builder(run);
  for (auto& e : builder.BuildProfiles()) impl_->writer->AddRows(std::move(e));
  impl_->writer->Add(std::move(activity));
  lake::CommitResult commit = impl_->writer->Commit();
  report.manifest = commit.manifest;
  for (const auto& e : commit.entities) report.rows[e.name] = e.rows;
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

OutputReport WriteUnification(const UnifyResult& run, engine::Database& database, const lake::Catalog* catalog,
                              FileSystem& fs, const std::string& lake_root) {
  UnificationWriter writer(*run.config, database, catalog, fs, lake_root);
  return writer.Finish(run);
}

}  // namespace cdmlake::unify
