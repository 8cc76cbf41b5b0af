#include "lake/cdm_folder_writer.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <functional>
#include <set>

#include "cdm/manifest_reader.h"
#include "cdm/writer.h"
#include "engine/quote.h"
#include "lake/cdm_types.h"
#include "lake/csv_file_writer.h"
#include "util/crash_point.h"
#include "util/error.h"
#include "util/parallel.h"
#include "util/path.h"
#include "util/strings.h"

namespace cdmlake::lake {

namespace {

using engine::QuoteIdentifier;
using engine::QuoteLiteral;

constexpr const char* kVersionPrefix = "_v";

// "_v000012" -> 12; -1 for anything else.
int VersionOf(const std::string& name) {
  if (name.rfind(kVersionPrefix, 0) != 0) return -1;
  int64_t n = 0;
  return ParseInt64(name.substr(2), &n) && n >= 0 && n < 1000000000 ? static_cast<int>(n) : -1;
}

std::string VersionFolder(int version) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%06d", kVersionPrefix, version);
  return buf;
}

void ApplyHints(const std::vector<cdm::Attribute>& hints, cdm::Attribute* a) {
  for (const cdm::Attribute& h : hints) {
    if (!EqualsIgnoreCase(h.name, a->name)) continue;
    a->name = h.name;
    if (a->format == cdm::DataFormat::kString) a->maximum_length = h.maximum_length;
    a->nullable = h.nullable;
    a->primary_key = h.primary_key;
    a->description = h.description;
    if (a->format == h.format) a->enum_values = h.enum_values;
    return;
  }
}

// The writes are CPU-bound (making and quoting rows) with some I/O: util/parallel's threads unless given.
size_t WriterThreads(size_t option) { return option > 0 ? option : WorkerThreads(); }

// The column DuckDB's COPY partitions by; it names the folders it writes, never a column of the files.
constexpr const char* kPartitionColumn = "__cdmlake_partition";

// A partition value that is a plain folder name: letters, digits, '-' and '_', not empty.
bool IsPartitionValue(const std::string& value) {
  return !value.empty() && value.size() <= 64 && std::all_of(value.begin(), value.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

}  // namespace

CdmFolderWriter::CdmFolderWriter(engine::Connection& connection, FileSystem& fs, std::string dir,
                                 CdmFolderOptions options)
    : connection_(connection), fs_(fs), dir_(std::move(dir)), options_(std::move(options)) {}

CdmFolderWriter::~CdmFolderWriter() {
  if (!ahead_) return;
  JoinAhead(/*cancel=*/true);
  RemoveFolders(ahead_->folders);
}

int CdmFolderWriter::Version() {
  if (!version_) version_ = NextVersion();
  return *version_;
}

std::string CdmFolderWriter::PrepareRowFolder(const Pending& entity) {
  const std::string folder = entity.name + "/" + VersionFolder(Version());
  fs_.RemoveAll(JoinPath(dir_, folder));  // a leftover of a killed writer with the same number
  fs_.CreateDirectories(JoinPath(dir_, folder));
  return folder;
}

void CdmFolderWriter::WriteAhead() {
  if (ahead_) throw Error(ErrorKind::kInternal, "a second write-ahead to " + dir_);
  auto ahead = std::make_unique<Ahead>();
  fs_.CreateDirectories(dir_);
  for (size_t i = 0; i < entities_.size(); ++i) {
    if (entities_[i].rows) ahead->entities.push_back(i);
  }
  std::stable_sort(ahead->entities.begin(), ahead->entities.end(), [&](size_t a, size_t b) {
    return entities_[a].rows->size() > entities_[b].rows->size();
  });
  for (size_t i : ahead->entities) {
    ahead->pending.push_back(&entities_[i]);
    ahead->folders.push_back(PrepareRowFolder(entities_[i]));
  }
  ahead->committed.resize(ahead->entities.size());
  Ahead* a = ahead.get();
  ahead->thread = std::thread([this, a] {
    try {
      for (size_t k = 0; k < a->pending.size() && !a->cancelled.load(); ++k) {
        a->committed[k] = WriteRowData(*a->pending[k], a->folders[k], a->cancelled);
      }
    } catch (...) {
      a->error = std::current_exception();
    }
  });
  ahead_ = std::move(ahead);
}

std::exception_ptr CdmFolderWriter::JoinAhead(bool cancel) {
  if (!ahead_) return nullptr;
  if (cancel) ahead_->cancelled = true;
  if (ahead_->thread.joinable()) ahead_->thread.join();
  return ahead_->error;
}

void CdmFolderWriter::RemoveFolders(const std::vector<std::string>& folders) {
  // Nothing refers to the folders begun; the next commit would remove them anyway.
  for (const std::string& folder : folders) {
    if (folder.empty()) continue;  // not begun (and dir_ itself must stay)
    try {
      fs_.RemoveAll(JoinPath(dir_, folder));
    } catch (const std::exception&) {
    }
  }
}

void CdmFolderWriter::CheckName(const std::string& name) const {
  for (const auto& e : entities_) {
    if (EqualsIgnoreCase(e.name, name)) {
      throw Error(ErrorKind::kUser, "entity " + name + " is written twice to " + dir_);
    }
  }
  if (name.empty() || name.find_first_of("/\\.\"") != std::string::npos) {
    throw Error(ErrorKind::kUser, "'" + name + "' cannot be a CDM entity name (no '/', '\\', '.' or '\"')");
  }
}

void CdmFolderWriter::Add(OutputEntity entity) {
  CheckName(entity.name);
  Pending p;
  p.name = std::move(entity.name);
  p.description = std::move(entity.description);
  p.query = std::move(entity.query);
  p.hints = std::move(entity.hints);
  p.partition_by = std::move(entity.partition_by);
  p.carried_files = std::move(entity.carried_files);
  entities_.push_back(std::move(p));
}

void CdmFolderWriter::AddRows(RowEntity entity) {
  CheckName(entity.name);
  if (options_.format != cdm::FileFormat::kCsv) {
    throw Error(ErrorKind::kUser, "entity " + entity.name + ": rows made by cdmlake are written as CSV only, and " +
                                      dir_ + " is written as Parquet");
  }
  if (!entity.rows) throw Error(ErrorKind::kInternal, "entity " + entity.name + " has no rows");
  for (cdm::Attribute& a : entity.attributes) {
    if (a.declared_type.empty()) a.declared_type = cdm::DataFormatName(a.format);
  }
  Pending p;
  p.name = std::move(entity.name);
  p.description = std::move(entity.description);
  p.rows = std::move(entity.rows);
  p.attributes = std::move(entity.attributes);
  entities_.push_back(std::move(p));
}

int CdmFolderWriter::NextVersion() {
  int max = 0;
  if (!fs_.Stat(dir_)) return 1;
  for (const FileInfo& e : fs_.ListDirectory(dir_)) {
    if (!e.is_directory) continue;
    for (const FileInfo& v : fs_.ListDirectory(JoinPath(dir_, e.name))) {
      if (v.is_directory) max = std::max(max, VersionOf(v.name));
    }
  }
  return max + 1;
}

std::vector<cdm::EntityOutput> CdmFolderWriter::CarriedEntities() {
  std::vector<cdm::EntityOutput> carried;
  std::string manifest = options_.manifest_name + ".manifest.cdm.json";
  if (!fs_.Stat(JoinPath(dir_, manifest))) return carried;
  cdm::RootDocument existing = cdm::ReadManifestTree(cdm::LocationResolver(fs_, dir_), manifest);
  for (const cdm::Problem& p : existing.problems) {
    if (p.severity == cdm::Severity::kError) {
      throw Error(ErrorKind::kData, "the folder's current manifest cannot be read: " + p.message,
                  Location{JoinPath(dir_, p.file), p.line, p.entity},
                  "repair or remove " + JoinPath(dir_, manifest) + " to write a new folder");
    }
  }
  for (cdm::Entity& e : existing.entities) {
    bool replaced = std::any_of(entities_.begin(), entities_.end(),
                                [&e](const Pending& o) { return EqualsIgnoreCase(o.name, e.name); });
    if (replaced) continue;
    cdm::EntityOutput out;
    out.document = e.document;
    if (!e.partitions.empty()) {
      out.format = e.partitions.front().format;
      out.csv = e.partitions.front().csv;
    }
    for (const cdm::Partition& p : e.partitions) out.partitions.push_back(p.location);
    out.entity = std::move(e);
    carried.push_back(std::move(out));
  }
  return carried;
}

void CdmFolderWriter::RemoveOtherVersions(const std::set<std::string>& keep) {
  for (const FileInfo& e : fs_.ListDirectory(dir_)) {
    if (!e.is_directory) continue;
    std::string entity_dir = JoinPath(dir_, e.name);
    for (const FileInfo& v : fs_.ListDirectory(entity_dir)) {
      if (v.is_directory && VersionOf(v.name) >= 0 && !keep.count(e.name + "/" + v.name)) {
        fs_.RemoveAll(JoinPath(entity_dir, v.name));
      }
    }
  }
}

CommittedEntity CdmFolderWriter::WriteQueryData(const Pending& entity, const std::string& folder) {
  const std::string absolute_folder = JoinPath(dir_, folder);
  const bool csv = options_.format == cdm::FileFormat::kCsv;
  const bool partitioned = !entity.partition_by.empty();
  std::string copy = "COPY (SELECT " + entity.select;
  if (partitioned) copy += ", CAST((" + entity.partition_by + ") AS VARCHAR) AS " + QuoteIdentifier(kPartitionColumn);
  copy += " FROM (" + entity.query + ")) TO " + QuoteLiteral(absolute_folder) + " (FORMAT " +
          (csv ? "csv" : "parquet") + ", FILENAME_PATTERN " + QuoteLiteral(ToLower(entity.name) + "-{i}");
  // DuckDB cannot split partitioned files by size: a partition is one file.
  copy += partitioned ? ", PARTITION_BY (" + QuoteIdentifier(kPartitionColumn) + ")"
                      : ", FILE_SIZE_BYTES " + std::to_string(options_.max_file_bytes);
  if (csv) {
    copy += std::string(", HEADER ") + (options_.header ? "true" : "false") +
            ", DELIMITER ',', QUOTE '\"', ESCAPE '\"', DATEFORMAT '%Y-%m-%d', "
            "TIMESTAMPFORMAT '%Y-%m-%dT%H:%M:%S.%fZ'";
  }
  copy += ")";
  CommittedEntity committed{entity.name, 0, {}};
  try {
    committed.rows = std::stoll(connection_.Query(copy).ScalarText());
  } catch (const engine::EngineError& e) {
    throw Error(e.kind() == ErrorKind::kIo ? ErrorKind::kIo : e.kind(),
                "writing entity " + entity.name + " failed: " + e.message(), Location{absolute_folder});
  }
  fs_.CreateDirectories(absolute_folder);  // an empty result writes no file
  if (partitioned) {
    // DuckDB names the folders "<column>=<value>"; they become "<value>".
    const std::string prefix = std::string(kPartitionColumn) + "=";
    for (const FileInfo& f : fs_.ListDirectory(absolute_folder)) {
      if (!f.is_directory || f.name.rfind(prefix, 0) != 0) continue;
      const std::string value = f.name.substr(prefix.size());
      if (!IsPartitionValue(value)) {
        throw Error(ErrorKind::kInternal, "entity " + entity.name + ": partition value '" + value +
                                              "' is not a plain folder name", Location{absolute_folder});
      }
      fs_.Rename(JoinPath(absolute_folder, f.name), JoinPath(absolute_folder, value));
    }
  }
  committed.rows += CarryFiles(entity, folder);
  for (const std::string& f : fs_.ListFilesRecursive(absolute_folder)) {
    fs_.SyncPath(JoinPath(absolute_folder, f));
    committed.files.push_back(folder + "/" + f);
  }
  for (const FileInfo& f : fs_.ListDirectory(absolute_folder)) {
    if (f.is_directory) fs_.SyncPath(JoinPath(absolute_folder, f.name));
  }
  return committed;
}

int64_t CdmFolderWriter::CarryFiles(const Pending& entity, const std::string& folder) {
  if (entity.carried_files.empty()) return 0;
  if (options_.format != cdm::FileFormat::kParquet || entity.partition_by.empty()) {
    throw Error(ErrorKind::kInternal, "entity " + entity.name + ": only partitioned Parquet files can be carried over");
  }
  std::vector<std::string> linked;
  for (const std::string& file : entity.carried_files) {
    // "<Entity>/_vN/<value>/<file>" of this entity, nothing else: a carried path never leaves its entity's folder.
    std::vector<std::string> parts = Split(file, '/');
    if (parts.size() != 4 || parts[0] != entity.name || VersionOf(parts[1]) < 0 || !IsPartitionValue(parts[2]) ||
        parts[3].empty() || parts[3] == "." || parts[3] == ".." || SafeFileName(parts[3]) != parts[3]) {
      throw Error(ErrorKind::kInternal, "entity " + entity.name + ": cannot carry over " + file, Location{dir_});
    }
    const std::string target_folder = JoinPath(JoinPath(dir_, folder), parts[2]);
    if (fs_.Stat(target_folder) && std::find(linked.begin(), linked.end(), target_folder) == linked.end()) {
      throw Error(ErrorKind::kInternal, "entity " + entity.name + ": partition " + parts[2] +
                                            " is both written and carried over", Location{target_folder});
    }
    fs_.CreateDirectories(target_folder);
    linked.push_back(target_folder);
    fs_.LinkFile(JoinPath(dir_, file), JoinPath(target_folder, parts[3]));
  }
  std::vector<std::string> paths;
  for (const std::string& file : entity.carried_files) paths.push_back(JoinPath(dir_, file));
  try {
    return std::stoll(connection_.Query("SELECT count(*) FROM read_parquet(" + engine::QuoteFilePathList(paths) + ")")
                          .ScalarText());
  } catch (const engine::EngineError& e) {
    throw Error(e.kind(), "entity " + entity.name + ": cannot read the files carried over: " + e.message(),
                Location{dir_});
  }
}

CommittedEntity CdmFolderWriter::WriteRowData(Pending& entity, const std::string& folder,
                                              const std::atomic<bool>& cancelled) {
  std::vector<std::string> header;
  if (options_.header) {
    for (const cdm::Attribute& a : entity.attributes) header.push_back(a.name);
  }
  CommittedEntity committed{entity.name, 0, {}};
  try {
    CsvPartitionWriter writer(fs_, JoinPath(dir_, folder), ToLower(entity.name), std::move(header),
                              options_.max_file_bytes);
    // Each row is made one row ahead and its text prefetched, so the cache misses of reading it (a unified row
    // views values all over the sources) overlap with writing the row before.
    RowCells cells[2] = {RowCells(entity.attributes.size()), RowCells(entity.attributes.size())};
    RowSource& source = *entity.rows;
    const size_t size = source.size();
    if (size > 0) source.Row(0, &cells[0]);
    for (size_t row = 0; row < size; ++row) {
      // Another entity failed: this commit is lost, stop early (that entity's error is the one reported).
      if (row % 4096 == 0 && cancelled.load(std::memory_order_relaxed)) return committed;
      if (row + 1 < size) {
        RowCells& next = cells[(row + 1) % 2];
        next.Clear();
        source.Row(row + 1, &next);
        next.Prefetch();
      }
      writer.Append(cells[row % 2]);
    }
    for (std::string& f : writer.Finish()) committed.files.push_back(folder + "/" + f);
    committed.rows = writer.rows();
  } catch (const Error& e) {
    throw Error(e.kind(), "writing entity " + entity.name + " failed: " + e.message(),
                e.location().empty() ? Location{JoinPath(dir_, folder)} : e.location(), e.hint());
  } catch (const std::exception& e) {
    throw Error(ErrorKind::kInternal, "writing entity " + entity.name + " failed: " + e.what(),
                Location{JoinPath(dir_, folder)});
  }
  return committed;
}

CommitResult CdmFolderWriter::Commit() {
  if (entities_.empty()) throw Error(ErrorKind::kUser, "nothing to write to " + dir_);
  // Whatever fails from here on, the write-ahead is stopped and its folders removed with the others.
  std::vector<std::string> folders(entities_.size());  // per entity, relative to dir_
  std::vector<CommittedEntity> committed(entities_.size());
  std::vector<bool> ahead(entities_.size(), false);
  if (ahead_) {
    for (size_t k = 0; k < ahead_->entities.size(); ++k) {
      ahead[ahead_->entities[k]] = true;
      folders[ahead_->entities[k]] = ahead_->folders[k];
    }
  }
  auto abandon = [&] {
    JoinAhead(/*cancel=*/true);
    RemoveFolders(folders);
    ahead_.reset();
  };
  CommitResult result;
  std::vector<cdm::EntityOutput> outputs;
  std::set<std::string> keep;
  std::vector<size_t> queries;       // the query entities, in the order added
  std::vector<size_t> row_entities;  // the row entities not written ahead, largest first
  try {
    fs_.CreateDirectories(dir_);
    result.version = Version();
    const std::string version = VersionFolder(result.version);
    // Entities of the folder that this commit does not write stay as they are.
    outputs = CarriedEntities();
    for (const cdm::EntityOutput& o : outputs) keep.insert(DirName(o.document));
    for (size_t i = 0; i < entities_.size(); ++i) {
      Pending& entity = entities_[i];
      if (ahead[i]) continue;
      if (entity.rows) {
        row_entities.push_back(i);
        folders[i] = PrepareRowFolder(entity);
        continue;
      }
      // The result's columns and types, without running the query.
      queries.push_back(i);
      entity.attributes.clear();
      entity.select.clear();
      try {
        engine::Result shape = connection_.Query("SELECT * FROM (" + entity.query + ") LIMIT 0");
        for (idx_t c = 0; c < shape.column_count(); ++c) {
          cdm::Attribute a = AttributeForColumn(shape.column_name(c), shape.column_logical_type(c));
          ApplyHints(entity.hints, &a);
          entity.select += (c > 0 ? ", " : "") +
                           ColumnForWriting(QuoteIdentifier(shape.column_name(c)), shape.column_logical_type(c)) +
                           " AS " + QuoteIdentifier(a.name);
          entity.attributes.push_back(std::move(a));
        }
      } catch (const engine::EngineError& e) {
        throw Error(e.kind(), "the query for entity " + entity.name + " fails: " + e.message());
      }
      folders[i] = entity.name + "/" + version;
      fs_.RemoveAll(JoinPath(dir_, folders[i]));  // a leftover of a killed writer with the same number
      // DuckDB's COPY makes its own folder (and would refuse one that is not empty).
      fs_.CreateDirectories(JoinPath(dir_, entity.name));
    }
    // The longest tasks first, so that the last one to finish is short. The queries (one connection) are one task.
    std::stable_sort(row_entities.begin(), row_entities.end(),
                     [&](size_t a, size_t b) { return entities_[a].rows->size() > entities_[b].rows->size(); });
    std::vector<std::vector<size_t>> tasks;
    if (!queries.empty()) tasks.push_back(queries);
    for (size_t i : row_entities) tasks.push_back({i});
    std::atomic<bool> cancelled{false};
    RunTasks(tasks.size(), [&](size_t t) {
      try {
        for (size_t i : tasks[t]) {
          committed[i] = entities_[i].rows ? WriteRowData(entities_[i], folders[i], cancelled)
                                           : WriteQueryData(entities_[i], folders[i]);
        }
      } catch (...) {
        cancelled = true;
        if (ahead_) ahead_->cancelled = true;
        throw;
      }
    }, WriterThreads(options_.threads));
    if (ahead_) {
      if (std::exception_ptr error = JoinAhead(/*cancel=*/false)) std::rethrow_exception(error);
      for (size_t k = 0; k < ahead_->entities.size(); ++k) committed[ahead_->entities[k]] = ahead_->committed[k];
      ahead_.reset();
    }
  } catch (...) {
    abandon();
    throw;
  }
  CrashPoint("after-data");
  for (size_t i = 0; i < entities_.size(); ++i) {
    Pending& entity = entities_[i];
    keep.insert(folders[i]);
    cdm::EntityOutput out;
    out.entity.name = entity.name;
    out.entity.description = entity.description;
    out.entity.attributes = entity.attributes;
    out.document = folders[i] + "/" + entity.name + ".cdm.json";
    out.format = options_.format;
    out.csv.header = options_.header;
    out.partitions = committed[i].files;
    fs_.WriteFileAtomic(JoinPath(dir_, out.document), cdm::EntityDocument(out.entity));
    fs_.SyncPath(JoinPath(dir_, folders[i]));
    fs_.SyncPath(JoinPath(dir_, entity.name));
    outputs.push_back(std::move(out));
    result.entities.push_back(std::move(committed[i]));
  }
  CrashPoint("before-manifest");
  result.manifest = JoinPath(dir_, options_.manifest_name + ".manifest.cdm.json");
  fs_.WriteFileAtomic(result.manifest, cdm::ManifestDocument(options_.manifest_name, outputs));
  fs_.SyncPath(dir_);
  CrashPoint("after-manifest");
  if (options_.model_json) {
    fs_.WriteFileAtomic(JoinPath(dir_, "model.json"),
                        cdm::ModelJsonDocument(options_.manifest_name, outputs, options_.location_base));
    fs_.SyncPath(dir_);
  } else {
    // A model.json of an earlier commit would point at files that are about to be removed.
    fs_.RemoveFile(JoinPath(dir_, "model.json"));
  }
  RemoveOtherVersions(keep);
  return result;
}

}  // namespace cdmlake::lake
