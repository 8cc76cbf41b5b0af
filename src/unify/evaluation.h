// Accuracy of a unification against a known truth (`cdmlake unify evaluate`, spec unification.md §3.2):
// pairwise and B-cubed precision, recall and F1.
//
// Definitions, over the N records present in both the prediction and the truth ("evaluated records"):
//  * A record's predicted cluster is the CustomerId of its profile. A record in no profile (empty cluster:
//    dropped by the run) counts as a cluster of its own and is counted in `dropped`.
//  * n_ij = records in predicted cluster i and true entity j; a_i = sum_j n_ij, b_j = sum_i n_ij.
//  * Pairwise: true_positive_pairs = sum C(n_ij, 2), predicted_pairs = sum C(a_i, 2), true_pairs =
//    sum C(b_j, 2); precision = TP / predicted_pairs, recall = TP / true_pairs. Computed from these counts,
//    never by listing pairs: O(N) hashing plus a sort of N integers.
//  * B-cubed: a record r in cell (i, j) has precision n_ij / a_i and recall n_ij / b_j; the metrics are their
//    averages over the records: precision = (1/N) sum n_ij^2 / a_i, recall = (1/N) sum n_ij^2 / b_j.
//  * F1 = 2PR / (P + R).
// Conventions when a denominator is 0:
//  * No records evaluated (N = 0): every metric is 0. An evaluation whose keys matched nothing must not look
//    perfect; `records` and the missing counts say what happened.
//  * No predicted pairs (all singletons): pairwise precision 1 (no pair was claimed, so none is wrong).
//    No true pairs: pairwise recall 1 (there was nothing to find). So a perfect clustering scores 1 always.
//  * P + R = 0: F1 = 0.
// Records only in the prediction or only in the truth are left out of every metric and reported (count and the
// first few, in input order).
//
// Thread-safety: pure functions (LoadTruthCsv reads through the given FileSystem).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/file_system.h"

namespace cdmlake::unify {

// One row of a truth file: the true entity of a source record.
struct TruthRecord {
  std::string source;
  std::string key;
  std::string entity;
  int64_t line = 0;  // 1-based line in the truth file (0 when not read from one)
};

// Reads a truth CSV: header exactly `source,key,entity` (RFC 4180 quoting, a UTF-8 byte order mark and CRLF
// line ends accepted, blank lines skipped), then one record per line. Throws Error(kIo) when the file cannot be
// read, Error(kUser) when the header is missing or different, and Error(kData) naming file and line for
// malformed CSV, a wrong number of fields, an empty (or blank) field, or a (source, key) given twice (with the
// line of its first occurrence). Rows keep file order.
std::vector<TruthRecord> LoadTruthCsv(const std::string& path, FileSystem& fs);

// A record of the prediction: cluster is the CustomerId of its profile, "" when it ended up in no profile.
struct PredictedRecord {
  std::string source;
  std::string key;
  std::string cluster;
};

struct PairwiseMetrics {
  double precision = 0;
  double recall = 0;
  double f1 = 0;
  int64_t true_positive_pairs = 0;
  int64_t predicted_pairs = 0;
  int64_t true_pairs = 0;
};

struct BcubedMetrics {
  double precision = 0;
  double recall = 0;
  double f1 = 0;
};

struct RecordName {
  std::string source;
  std::string key;
};

inline constexpr size_t kMaxMissingExamples = 5;

struct Evaluation {
  PairwiseMetrics pairwise;
  BcubedMetrics bcubed;
  int64_t profiles = 0;  // distinct non-empty predicted clusters among the evaluated records
  int64_t records = 0;   // evaluated records (in both)
  int64_t entities = 0;  // distinct true entities among the evaluated records
  int64_t missing_in_truth = 0;       // predicted records the truth does not list
  int64_t missing_in_prediction = 0;  // truth records the prediction does not list
  int64_t dropped = 0;                // evaluated records in no profile (each counted as its own cluster)
  std::vector<RecordName> missing_in_truth_examples;       // the first kMaxMissingExamples, in input order
  std::vector<RecordName> missing_in_prediction_examples;  // the same, in truth file order
};

// Scores `predicted` against `truth`. Throws Error(kData) when the prediction lists a (source, key) twice, and
// Error(kData) when the truth does (only possible when it was not read by LoadTruthCsv).
Evaluation Evaluate(std::span<const PredictedRecord> predicted, std::span<const TruthRecord> truth);

// The sources the truth file names that are not among `sources` (exact names, in the order first seen): none of
// their records can be evaluated. A truth file written with table names for a configuration whose sources are
// named otherwise is the usual cause.
std::vector<std::string> UnknownTruthSources(std::span<const TruthRecord> truth, std::span<const std::string> sources);

// {"pairwise": {precision, recall, f1, true_positive_pairs, predicted_pairs, true_pairs},
//  "bcubed": {precision, recall, f1}, "profiles", "records", "entities", "missing_in_truth",
//  "missing_in_prediction", "dropped"}.
nlohmann::ordered_json EvaluationJson(const Evaluation& evaluation);

// The same as an aligned table for a terminal, with the missing records' examples; ends with a newline.
std::string EvaluationText(const Evaluation& evaluation);

}  // namespace cdmlake::unify
