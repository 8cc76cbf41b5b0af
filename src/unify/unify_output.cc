#include "unify/unify_output.h"

#include <chrono>
#include <unordered_map>

#include "engine/quote.h"
#include "lake/cdm_folder_writer.h"
#include "lake/session.h"
#include "util/error.h"
#include "util/path.h"
#include "util/strings.h"

namespace cdmlake::unify {

namespace {

using engine::QuoteIdentifier;
using Row = std::vector<std::optional<std::string>>;

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

// A temp table of text columns filled through an appender; the writer reads it with `query`.
class TextTable {
 public:
  TextTable(engine::Connection& connection, std::string name, std::vector<std::string> columns)
      : name_(std::move(name)), columns_(std::move(columns)) {
    std::vector<std::string> defs;
    for (const auto& c : columns_) defs.push_back(QuoteIdentifier(c) + " VARCHAR");
    connection.Execute("CREATE OR REPLACE TEMP TABLE " + QuoteIdentifier(name_) + " (" + Join(defs, ", ") + ")");
    appender_ = std::make_unique<engine::Appender>(connection.CreateAppender("main", name_, "temp"));
  }

  void Add(const Row& row) {
    for (const auto& v : row) {
      if (v) {
        appender_->Append(std::string_view(*v));
      } else {
        appender_->AppendNull();
      }
    }
    appender_->EndRow();
  }

  // Closes the appender; `casts` gives typed columns (column -> SQL type).
  std::string Query(const std::map<std::string, std::string>& casts = {}) {
    appender_->Close();
    std::vector<std::string> select;
    for (const auto& c : columns_) {
      auto it = casts.find(c);
      select.push_back(it == casts.end() ? QuoteIdentifier(c)
                                         : "CAST(" + QuoteIdentifier(c) + " AS " + it->second + ") AS " +
                                               QuoteIdentifier(c));
    }
    return "SELECT " + Join(select, ", ") + " FROM temp." + QuoteIdentifier(name_);
  }

 private:
  std::string name_;
  std::vector<std::string> columns_;
  std::unique_ptr<engine::Appender> appender_;
};

std::string ScoreText(double score) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4f", score);
  return buffer;
}

std::string ManifestPath(const std::string& lake_root, const UnifyConfig& config) {
  return JoinPath(JoinPath(lake_root, config.output.folder), SafeFileName(BaseName(config.output.folder)) +
                                                                  ".manifest.cdm.json");
}

class OutputBuilder {
 public:
  OutputBuilder(const UnifyResult& run, engine::Connection& connection) : run_(run), c_(connection) {}

  std::vector<lake::OutputEntity> Build() {
    Customer();
    AlternateKeys();
    MatchPairs();
    for (size_t i = 0; i < run_.tables.size(); ++i) {
      Deduplication(i);
      Corrupt(i);
    }
    return std::move(entities_);
  }

  const std::unordered_map<std::string, std::string>& customer_of() const { return customer_of_; }

 private:
  const UnifyConfig& config() const { return *run_.config; }

  // The keys of a profile's records of source i: the first group's winner, then every other.
  std::vector<std::string> Keys(size_t profile, size_t i) const {
    std::vector<std::string> keys;
    for (const Attachment& a : run_.match.profiles[profile].groups) {
      if (a.group.source != i) continue;
      const DedupResult& d = run_.dedups[i];
      const uint32_t winner = d.winner[a.group.group];
      keys.push_back(run_.tables[i].keys[winner]);
      for (uint32_t r : d.groups[a.group.group]) {
        if (r != winner) keys.push_back(run_.tables[i].keys[r]);
      }
    }
    return keys;
  }

  void Customer() {
    std::vector<std::string> columns = {"CustomerId"};
    for (const auto& t : run_.tables) {
      std::string prefix = Identifier(t.name) + "_" + Identifier(t.key_column);
      columns.push_back(prefix);
      columns.push_back(prefix + "_Alternate");
    }
    for (const auto& f : run_.merge.fields) columns.push_back(f.name);
    columns.push_back("PreviousCustomerId");
    TextTable table(c_, "__cdmlake_unify_customer", columns);
    for (size_t p = 0; p < run_.match.profiles.size(); ++p) {
      Row row = {run_.customer_ids[p]};
      for (size_t i = 0; i < run_.tables.size(); ++i) {
        std::vector<std::string> keys = Keys(p, i);
        row.push_back(keys.empty() ? std::nullopt : std::optional<std::string>(keys[0]));
        if (keys.size() > 1) {
          row.push_back(Join(std::vector<std::string>(keys.begin() + 1, keys.end()), ";"));
        } else {
          row.emplace_back();
        }
      }
      for (size_t f = 0; f < run_.merge.fields.size(); ++f) row.push_back(run_.merge.values[f][p]);
      const std::string& previous = run_.previous_customer_ids[p];
      row.push_back(previous.empty() ? std::nullopt : std::optional<std::string>(previous));
      table.Add(row);
    }
    entities_.push_back({"Customer", table.Query(), "cdmlake unify: unified customer profiles", {}});
  }

  void AlternateKeys() {
    TextTable table(c_, "__cdmlake_unify_alternatekey",
                    {"DataSourceName", "TableName", "AlternateValue", "CustomerId", "Identifier", "AlternateKeyId"});
    for (size_t p = 0; p < run_.match.profiles.size(); ++p) {
      for (size_t i = 0; i < run_.tables.size(); ++i) {
        const std::string& source = run_.tables[i].name;
        const std::string table_name = TableName(config(), source);
        for (const std::string& key : Keys(p, i)) {
          customer_of_[source + '\x1f' + key] = run_.customer_ids[p];
          table.Add({source, table_name, key, run_.customer_ids[p], source + "|" + table_name + "|" + key,
                     AlternateKeyId(source, table_name, key)});
        }
      }
    }
    entities_.push_back({"AlternateKey", table.Query(), "cdmlake unify: source records of each customer", {}});
  }

  void MatchPairs() {
    TextTable table(c_, "__cdmlake_unify_matchpairs",
                    {"CustomerId", "SourceName", "SourceKey", "MatchedKey", "Rule", "Score", "TargetSourceName",
                     "TargetKey"});
    for (size_t p = 0; p < run_.match.profiles.size(); ++p) {
      const auto& groups = run_.match.profiles[p].groups;
      for (size_t k = 1; k < groups.size(); ++k) {
        const Attachment& a = groups[k];
        const ProfileTable& own = run_.tables[a.group.source];
        const ProfileTable& target = run_.tables[a.target.source];
        table.Add({run_.customer_ids[p], own.name, own.keys[run_.dedups[a.group.source].winner[a.group.group]],
                   own.keys[a.record], a.rule, ScoreText(a.score), target.name, target.keys[a.target_record]});
      }
    }
    entities_.push_back({"ConflationMatchPairs", table.Query({{"Score", "DOUBLE"}}),
                         "cdmlake unify: how each source record group joined its customer", {}});
  }

  void Deduplication(size_t i) {
    const ProfileTable& t = run_.tables[i];
    const DedupResult& d = run_.dedups[i];
    const std::string pk = Identifier(t.key_column);
    std::vector<std::string> columns = {pk, pk + "_Alternate", "Deduplication_GroupId", "Deduplication_WinnerId",
                                        "Rule", "Score"};
    for (const auto& c : t.columns) columns.push_back(c);
    TextTable table(c_, "__cdmlake_unify_dedup_" + std::to_string(i), columns);
    for (uint32_t g = 0; g < d.groups.size(); ++g) {
      const uint32_t winner = d.winner[g];
      std::vector<std::string> alternates;
      std::string rule;
      double score = 1.0;
      for (uint32_t r : d.groups[g]) {
        if (r != winner) alternates.push_back(t.keys[r]);
        const LinkEvidence& e = d.evidence[r];
        if (e.rule == -1) continue;
        std::string name = e.rule == -2 ? "Always match" : d.rule_names[e.rule];
        if (rule.empty() || e.score < score) {
          rule = name;
          score = e.score;
        }
      }
      Row row = {t.keys[winner], alternates.empty() ? std::nullopt : std::optional<std::string>(Join(alternates, ";")),
                 t.name + "_" + std::to_string(g + 1), t.keys[winner],
                 rule.empty() ? std::nullopt : std::optional<std::string>(rule),
                 rule.empty() ? std::nullopt : std::optional<std::string>(ScoreText(score))};
      for (size_t c = 0; c < t.columns.size(); ++c) row.push_back(t.values[c][winner]);
      table.Add(row);
    }
    entities_.push_back({"Deduplication_" + Identifier(t.name), table.Query({{"Score", "DOUBLE"}}),
                         "cdmlake unify: deduplication groups of " + t.name, {}});
  }

  void Corrupt(size_t i) {
    const ProfileTable& t = run_.tables[i];
    std::vector<std::string> columns = {"__Row", "__Reason", t.key_column};
    for (const auto& c : t.columns) columns.push_back(c);
    TextTable table(c_, "__cdmlake_unify_corrupt_" + std::to_string(i), columns);
    for (const QuarantinedRow& q : t.quarantined) {
      Row row = {std::to_string(q.row), q.reason};
      row.insert(row.end(), q.values.begin(), q.values.end());
      table.Add(row);
    }
    entities_.push_back({Identifier(t.name) + "_Corrupt", table.Query({{"__Row", "BIGINT"}}),
                         "cdmlake unify: rows of " + t.name + " left out, with the reason", {}});
  }

  const UnifyResult& run_;
  engine::Connection& c_;
  std::vector<lake::OutputEntity> entities_;
  std::unordered_map<std::string, std::string> customer_of_;  // source \x1f key -> CustomerId
};

// UnifiedActivity: every configured activity's rows whose link key is a record of a profile.
lake::OutputEntity Activities(const UnifyResult& run, SourceReader& reader, engine::Connection& connection,
                              const std::unordered_map<std::string, std::string>& customer_of,
                              std::vector<ActivityStats>* stats) {
  TextTable table(connection, "__cdmlake_unify_activity",
                  {"CustomerId", "ActivityId", "SourceTableName", "SourceActivityId", "ActivityType",
                   "ActivityTimeStamp", "Title", "Description", "URL", "Amount"});
  for (const Activity& a : run.config->activities) {
    std::vector<ColumnRead> reads = {{a.key.name, ""}, {a.link_column.name, ""}};
    const std::vector<const NameRef*> optional_columns = {&a.timestamp, &a.title, &a.description, &a.url, &a.amount};
    for (const NameRef* ref : optional_columns) {
      reads.push_back({ref->name, ref == &a.timestamp ? a.timestamp_format : ""});
    }
    // Columns not configured are read as the key again and blanked below (a read needs a real column).
    for (auto& r : reads) {
      if (r.name.empty()) r = {a.key.name, ""};
    }
    LoadedTable loaded = reader.Read(a.name, a.table, a.csv_path, reads);
    ActivityStats s{a.name, static_cast<int64_t>(loaded.rows()), 0, 0};
    for (size_t row = 0; row < loaded.rows(); ++row) {
      const auto& link = loaded.values[1][row];
      auto it = link ? customer_of.find(a.link_source.name + '\x1f' + *link) : customer_of.end();
      if (it == customer_of.end()) {
        ++s.unlinked;
        continue;
      }
      ++s.linked;
      const std::string key = loaded.values[0][row].value_or("");
      Row out = {it->second, Uuid5(kAlternateKeyIdNamespace, "UnifiedActivity|" + a.name + "|" + key), a.name, key,
                 a.type.empty() ? std::nullopt : std::optional<std::string>(a.type)};
      for (size_t k = 0; k < optional_columns.size(); ++k) {
        out.push_back(optional_columns[k]->name.empty() ? std::nullopt : loaded.values[2 + k][row]);
      }
      table.Add(out);
    }
    stats->push_back(s);
  }
  return {"UnifiedActivity", table.Query({{"ActivityTimeStamp", "TIMESTAMP"}, {"Amount", "DOUBLE"}}),
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

OutputReport WriteUnification(const UnifyResult& run, engine::Database& database, const lake::Catalog* catalog,
                              FileSystem& fs, const std::string& lake_root) {
  const auto started = std::chrono::steady_clock::now();
  engine::Connection connection(database);
  OutputBuilder builder(run, connection);
  std::vector<lake::OutputEntity> entities = builder.Build();
  OutputReport report;
  SourceReader reader(database, catalog);
  entities.push_back(Activities(run, reader, connection, builder.customer_of(), &report.activities));

  lake::CdmFolderOptions options;
  options.manifest_name = SafeFileName(BaseName(run.config->output.folder));
  options.format = cdm::FileFormat::kCsv;
  options.header = true;
  lake::CdmFolderWriter writer(connection, fs, JoinPath(lake_root, run.config->output.folder), options);
  for (auto& e : entities) writer.Add(std::move(e));
  lake::CommitResult commit = writer.Commit();
  report.manifest = commit.manifest;
  for (const auto& e : commit.entities) report.rows[e.name] = e.rows;
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace cdmlake::unify
