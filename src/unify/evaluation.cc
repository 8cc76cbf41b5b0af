#include "unify/evaluation.h"

#include <algorithm>
#include <cstdio>
#include <string_view>
#include <unordered_set>

#include "unify/flat_index.h"
#include "unify/csv_header.h"
#include "util/error.h"
#include "util/strings.h"

namespace cdmlake::unify {
namespace {


uint64_t HashText(std::string_view text) { return std::hash<std::string_view>{}(text); }
uint64_t HashRecord(std::string_view source, std::string_view key) {
  return HashText(key) ^ (HashText(source) * 0x9e3779b97f4a7c15ULL);
}

std::string Shown(std::string_view source, std::string_view key) {
  return "source " + JsonQuote(source) + " key " + JsonQuote(key);
}

int64_t Pairs(int64_t n) { return n * (n - 1) / 2; }

double Ratio(double numerator, double denominator, double if_zero) {
  return denominator == 0 ? if_zero : numerator / denominator;
}

double F1(double precision, double recall) {
  return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
}

}  // namespace

std::vector<TruthRecord> LoadTruthCsv(const std::string& path, FileSystem& fs) {
  static const std::vector<std::string> kHeader = {"source", "key", "entity"};
  const char* const kHeaderHint = "a truth file starts with the header line source,key,entity";
  const std::string text = fs.ReadFile(path);
  std::vector<TruthRecord> rows;
  std::vector<std::string> fields;
  size_t pos = 0;
  int line = 1;
  bool header_seen = false;
  while (pos < text.size()) {
    const int start = line;
    std::string error;
    if (!ReadCsvRecord(text, &pos, &line, &fields, &error)) {
      throw Error(ErrorKind::kData, "malformed CSV: " + error, Location{path, start, ""});
    }
    if (fields.size() == 1 && fields[0].empty()) continue;  // a blank line
    if (!header_seen) {
      if (fields != kHeader) {
        throw Error(ErrorKind::kUser,
                    "the header must be exactly source,key,entity, found " + JsonQuote(Join(fields, ",")),
                    Location{path, start, ""}, kHeaderHint);
      }
      header_seen = true;
      continue;
    }
    if (fields.size() != kHeader.size()) {
      throw Error(ErrorKind::kData, "expected 3 fields (source,key,entity), found " + std::to_string(fields.size()),
                  Location{path, start, ""}, "quote values that contain a comma");
    }
    for (size_t i = 0; i < fields.size(); ++i) {
      if (Trim(fields[i]).empty()) {
        throw Error(ErrorKind::kData, "the " + kHeader[i] + " field is empty", Location{path, start, ""},
                    "every truth record needs a source, a key and its entity");
      }
    }
    rows.push_back({std::move(fields[0]), std::move(fields[1]), std::move(fields[2]), start});
  }
  if (!header_seen) {
    throw Error(ErrorKind::kUser, "the file is empty; the header source,key,entity is missing", Location{path, 1, ""},
                kHeaderHint);
  }
  // Indexed once the rows no longer move (the index compares through them).
  FlatIndex first_row(rows.size());
  for (uint32_t i = 0; i < rows.size(); ++i) {
    const TruthRecord& r = rows[i];
    const uint32_t at = first_row.FindOrInsert(HashRecord(r.source, r.key), i, [&](uint32_t p) {
      return rows[p].key == r.key && rows[p].source == r.source;
    });
    if (at != i) {
      throw Error(ErrorKind::kData,
                  Shown(r.source, r.key) + " is listed twice (first on line " + std::to_string(rows[at].line) + ")",
                  Location{path, r.line, ""}, "a record has exactly one true entity");
    }
  }
  return rows;
}

std::vector<std::string> UnknownTruthSources(std::span<const TruthRecord> truth, std::span<const std::string> sources) {
  std::unordered_set<std::string_view> known(sources.begin(), sources.end());
  std::unordered_set<std::string_view> seen;
  std::vector<std::string> unknown;
  for (const TruthRecord& t : truth) {
    if (!known.contains(t.source) && seen.insert(t.source).second) unknown.push_back(t.source);
  }
  return unknown;
}

Evaluation Evaluate(std::span<const PredictedRecord> predicted, std::span<const TruthRecord> truth) {
  Evaluation ev;
  if (truth.size() >= FlatIndex::kNone || predicted.size() >= FlatIndex::kNone) {
    throw Error(ErrorKind::kInternal, "more than 4 billion records to evaluate");
  }
  // Truth: record -> row, entity -> dense id.
  FlatIndex truth_row(truth.size());
  FlatIndex entity_index(truth.size());
  std::vector<uint32_t> entity_of(truth.size());
  uint32_t entities = 0;
  for (uint32_t i = 0; i < truth.size(); ++i) {
    const TruthRecord& t = truth[i];
    const uint32_t at = truth_row.FindOrInsert(HashRecord(t.source, t.key), i, [&](uint32_t p) {
      return truth[p].key == t.key && truth[p].source == t.source;
    });
    if (at != i) {
      throw Error(ErrorKind::kData, "the truth lists " + Shown(t.source, t.key) + " twice", Location{"", t.line, ""});
    }
    const uint32_t first =
        entity_index.FindOrInsert(HashText(t.entity), i, [&](uint32_t p) { return truth[p].entity == t.entity; });
    entity_of[i] = first == i ? entities++ : entity_of[first];
  }

  // Prediction: join with the truth; clusters -> dense ids, a dropped record gets an id of its own.
  FlatIndex cluster_index(predicted.size());
  std::vector<uint32_t> cluster_of(predicted.size());
  uint32_t next_cluster = 0;
  std::vector<bool> seen(truth.size(), false);
  std::unordered_set<std::string> unknown;  // predicted records missing in the truth (few), as "source\0key"
  std::vector<uint64_t> cells;              // (cluster << 32) | entity per evaluated record
  cells.reserve(std::min(predicted.size(), truth.size()));
  std::vector<int64_t> cluster_size;
  std::vector<int64_t> entity_size(entities, 0);
  auto duplicate = [](const PredictedRecord& p) {
    return Error(ErrorKind::kData, "the prediction lists " + Shown(p.source, p.key) + " twice", Location{},
                 "a record belongs to one profile");
  };
  for (uint32_t k = 0; k < predicted.size(); ++k) {
    const PredictedRecord& p = predicted[k];
    const uint32_t row = truth_row.Find(HashRecord(p.source, p.key), [&](uint32_t t) {
      return truth[t].key == p.key && truth[t].source == p.source;
    });
    if (row == FlatIndex::kNone) {
      if (!unknown.insert(p.source + std::string(1, '\0') + p.key).second) throw duplicate(p);
      ++ev.missing_in_truth;
      if (ev.missing_in_truth_examples.size() < kMaxMissingExamples) {
        ev.missing_in_truth_examples.push_back({p.source, p.key});
      }
      continue;
    }
    if (seen[row]) throw duplicate(p);
    seen[row] = true;
    if (p.cluster.empty()) {
      cluster_of[k] = next_cluster++;
      ++ev.dropped;
    } else {
      const uint32_t first = cluster_index.FindOrInsert(
          HashText(p.cluster), k, [&](uint32_t q) { return predicted[q].cluster == p.cluster; });
      if (first == k) {
        cluster_of[k] = next_cluster++;
        ++ev.profiles;
      } else {
        cluster_of[k] = cluster_of[first];
      }
    }
    const uint32_t cluster = cluster_of[k];
    if (cluster >= cluster_size.size()) cluster_size.resize(cluster + 1, 0);
    ++cluster_size[cluster];
    const uint32_t entity = entity_of[row];
    ++entity_size[entity];
    cells.push_back(static_cast<uint64_t>(cluster) << 32 | entity);
  }
  for (uint32_t i = 0; i < truth.size(); ++i) {
    if (seen[i]) continue;
    ++ev.missing_in_prediction;
    if (ev.missing_in_prediction_examples.size() < kMaxMissingExamples) {
      ev.missing_in_prediction_examples.push_back({truth[i].source, truth[i].key});
    }
  }

  ev.records = static_cast<int64_t>(cells.size());
  ev.entities = std::count_if(entity_size.begin(), entity_size.end(), [](int64_t n) { return n > 0; });
  if (ev.records == 0) return ev;  // every metric 0 (see the header)

  // The contingency table's non-empty cells, by sorting.
  std::sort(cells.begin(), cells.end());
  double bcubed_precision = 0;
  double bcubed_recall = 0;
  PairwiseMetrics& pw = ev.pairwise;
  for (size_t i = 0; i < cells.size();) {
    size_t j = i;
    while (j < cells.size() && cells[j] == cells[i]) ++j;
    const int64_t n = static_cast<int64_t>(j - i);
    const int64_t a = cluster_size[cells[i] >> 32];
    const int64_t b = entity_size[cells[i] & 0xffffffffu];
    pw.true_positive_pairs += Pairs(n);
    bcubed_precision += static_cast<double>(n) * static_cast<double>(n) / static_cast<double>(a);
    bcubed_recall += static_cast<double>(n) * static_cast<double>(n) / static_cast<double>(b);
    i = j;
  }
  for (int64_t a : cluster_size) pw.predicted_pairs += Pairs(a);
  for (int64_t b : entity_size) pw.true_pairs += Pairs(b);
  pw.precision = Ratio(static_cast<double>(pw.true_positive_pairs), static_cast<double>(pw.predicted_pairs), 1);
  pw.recall = Ratio(static_cast<double>(pw.true_positive_pairs), static_cast<double>(pw.true_pairs), 1);
  pw.f1 = F1(pw.precision, pw.recall);
  ev.bcubed.precision = bcubed_precision / static_cast<double>(ev.records);
  ev.bcubed.recall = bcubed_recall / static_cast<double>(ev.records);
  ev.bcubed.f1 = F1(ev.bcubed.precision, ev.bcubed.recall);
  return ev;
}

nlohmann::ordered_json EvaluationJson(const Evaluation& ev) {
  nlohmann::ordered_json j;
  j["pairwise"] = {{"precision", ev.pairwise.precision},
                   {"recall", ev.pairwise.recall},
                   {"f1", ev.pairwise.f1},
                   {"true_positive_pairs", ev.pairwise.true_positive_pairs},
                   {"predicted_pairs", ev.pairwise.predicted_pairs},
                   {"true_pairs", ev.pairwise.true_pairs}};
  j["bcubed"] = {{"precision", ev.bcubed.precision}, {"recall", ev.bcubed.recall}, {"f1", ev.bcubed.f1}};
  j["profiles"] = ev.profiles;
  j["records"] = ev.records;
  j["entities"] = ev.entities;
  j["missing_in_truth"] = ev.missing_in_truth;
  j["missing_in_prediction"] = ev.missing_in_prediction;
  j["dropped"] = ev.dropped;
  return j;
}

namespace {

std::string Format(const char* format, auto... args) {
  char buffer[256];
  std::snprintf(buffer, sizeof buffer, format, args...);
  return buffer;
}

std::string Examples(int64_t count, const std::vector<RecordName>& examples) {
  std::string out = std::to_string(count);
  if (examples.empty()) return out;
  out += " (";
  for (size_t i = 0; i < examples.size(); ++i) {
    if (i > 0) out += ", ";
    out += examples[i].source + "|" + examples[i].key;
  }
  if (count > static_cast<int64_t>(examples.size())) out += ", ...";
  return out + ")";
}

}  // namespace

std::string EvaluationText(const Evaluation& ev) {
  std::string out;
  out += Format("%-10s %10s %10s %10s\n", "", "precision", "recall", "F1");
  out += Format("%-10s %10.4f %10.4f %10.4f\n", "pairwise", ev.pairwise.precision, ev.pairwise.recall, ev.pairwise.f1);
  out += Format("%-10s %10.4f %10.4f %10.4f\n", "B-cubed", ev.bcubed.precision, ev.bcubed.recall, ev.bcubed.f1);
  out += "\n";
  auto row = [&](const char* label, const std::string& value) { out += Format("%-24s ", label) + value + "\n"; };
  auto number = [](int64_t n) { return std::to_string(n); };
  row("records evaluated", number(ev.records));
  row("true entities", number(ev.entities));
  row("profiles", number(ev.profiles));
  row("true positive pairs", number(ev.pairwise.true_positive_pairs));
  row("predicted pairs", number(ev.pairwise.predicted_pairs));
  row("true pairs", number(ev.pairwise.true_pairs));
  row("dropped (no profile)", number(ev.dropped));
  row("missing in truth", Examples(ev.missing_in_truth, ev.missing_in_truth_examples));
  row("missing in prediction", Examples(ev.missing_in_prediction, ev.missing_in_prediction_examples));
  if (ev.records == 0) out += "no record is in both the prediction and the truth: every metric is 0\n";
  return out;
}

}  // namespace cdmlake::unify
