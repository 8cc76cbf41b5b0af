#include "unify/evaluation.h"

#include <gtest/gtest.h>
#include <time.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "unify/csv_header.h"
#include "util/error.h"
#include "util/file_system.h"

namespace cdmlake::unify {
namespace {

// ---- helpers ------------------------------------------------------------------------------------------------

// Records S:1.., the i-th in truth entity truth[i] and predicted cluster predicted[i] ("" = dropped).
struct Case {
  std::vector<PredictedRecord> predicted;
  std::vector<TruthRecord> truth;
};
Case Make(const std::vector<std::string>& truth, const std::vector<std::string>& predicted) {
  Case c;
  for (size_t i = 0; i < truth.size(); ++i) {
    c.truth.push_back({"S", std::to_string(i + 1), truth[i], static_cast<int64_t>(i + 2)});
  }
  for (size_t i = 0; i < predicted.size(); ++i) c.predicted.push_back({"S", std::to_string(i + 1), predicted[i]});
  return c;
}
Evaluation Score(const Case& c) { return Evaluate(c.predicted, c.truth); }

// ---- metrics ------------------------------------------------------------------------------------------------

TEST(EvaluationTest, TruthSourcesTheRunDoesNotHaveAreListedOnce) {
  std::vector<TruthRecord> truth = {{"contact", "1", "e1", 2}, {"Loyalty", "L1", "e1", 3}, {"contact", "2", "e2", 4},
                                    {"Crm", "9", "e3", 5}};
  const std::vector<std::string> sources = {"Loyalty", "Contact"};
  EXPECT_EQ(UnknownTruthSources(truth, sources), (std::vector<std::string>{"contact", "Crm"}));
  EXPECT_TRUE(UnknownTruthSources(truth, std::vector<std::string>{"contact", "Loyalty", "Crm"}).empty());
}

TEST(EvaluationTest, HandComputedExample) {
  // Truth:     A = {1, 2, 3}, B = {4, 5}, C = {6}.
  // Predicted: p = {1, 2, 3, 4}, q = {5, 6}.
  // Cells n_ij: (p,A) = 3, (p,B) = 1, (q,B) = 1, (q,C) = 1; cluster sizes a: p 4, q 2; entity sizes b: A 3, B 2, C 1.
  // Pairwise: TP = C(3,2) = 3; predicted pairs = C(4,2) + C(2,2) = 6 + 1 = 7; true pairs = C(3,2) + C(2,2) = 4.
  //   P = 3/7, R = 3/4, F1 = 2 (3/7)(3/4) / (3/7 + 3/4) = (18/28) / (33/28) = 6/11.
  // B-cubed precision per record n_ij / a_i: 1, 2, 3: 3/4 each; 4: 1/4; 5: 1/2; 6: 1/2. Sum 3.5, / 6 = 7/12.
  // B-cubed recall per record n_ij / b_j: 1, 2, 3: 3/3 each; 4: 1/2; 5: 1/2; 6: 1/1. Sum 5, / 6 = 5/6.
  //   F1 = 2 (7/12)(5/6) / (7/12 + 5/6) = (35/36) / (17/12) = 35/51.
  const Evaluation ev = Score(Make({"A", "A", "A", "B", "B", "C"}, {"p", "p", "p", "p", "q", "q"}));
  EXPECT_EQ(ev.pairwise.true_positive_pairs, 3);
  EXPECT_EQ(ev.pairwise.predicted_pairs, 7);
  EXPECT_EQ(ev.pairwise.true_pairs, 4);
  EXPECT_DOUBLE_EQ(ev.pairwise.precision, 3.0 / 7);
  EXPECT_DOUBLE_EQ(ev.pairwise.recall, 3.0 / 4);
  EXPECT_DOUBLE_EQ(ev.pairwise.f1, 6.0 / 11);
  EXPECT_DOUBLE_EQ(ev.bcubed.precision, 7.0 / 12);
  EXPECT_DOUBLE_EQ(ev.bcubed.recall, 5.0 / 6);
  EXPECT_DOUBLE_EQ(ev.bcubed.f1, 35.0 / 51);
  EXPECT_EQ(ev.records, 6);
  EXPECT_EQ(ev.entities, 3);
  EXPECT_EQ(ev.profiles, 2);
  EXPECT_EQ(ev.dropped, 0);
  EXPECT_EQ(ev.missing_in_truth, 0);
  EXPECT_EQ(ev.missing_in_prediction, 0);
}

TEST(EvaluationTest, PerfectClusteringScoresOneWhateverTheLabels) {
  for (const Case& c : {Make({"A", "A", "B", "C", "C", "C"}, {"x", "x", "7", "y", "y", "y"}),
                        Make({"A", "B", "C"}, {"1", "2", "3"})}) {  // all singletons on both sides
    const Evaluation ev = Score(c);
    EXPECT_DOUBLE_EQ(ev.pairwise.precision, 1);
    EXPECT_DOUBLE_EQ(ev.pairwise.recall, 1);
    EXPECT_DOUBLE_EQ(ev.pairwise.f1, 1);
    EXPECT_DOUBLE_EQ(ev.bcubed.precision, 1);
    EXPECT_DOUBLE_EQ(ev.bcubed.recall, 1);
    EXPECT_DOUBLE_EQ(ev.bcubed.f1, 1);
  }
}

TEST(EvaluationTest, AllSingletons) {
  // Truth A = {1, 2, 3}, B = {4, 5}, C = {6}; every record predicted alone.
  // Pairwise: no predicted pair, so precision 1 by convention; TP 0 of 4 true pairs: recall 0, F1 0.
  // B-cubed: precision 1 for each record; recall 1/3 (x3), 1/2 (x2), 1: sum 3, / 6 = 1/2; F1 = 2 * 0.5 / 1.5 = 2/3.
  const Evaluation ev = Score(Make({"A", "A", "A", "B", "B", "C"}, {"1", "2", "3", "4", "5", "6"}));
  EXPECT_EQ(ev.pairwise.predicted_pairs, 0);
  EXPECT_DOUBLE_EQ(ev.pairwise.precision, 1);
  EXPECT_DOUBLE_EQ(ev.pairwise.recall, 0);
  EXPECT_DOUBLE_EQ(ev.pairwise.f1, 0);
  EXPECT_DOUBLE_EQ(ev.bcubed.precision, 1);
  EXPECT_DOUBLE_EQ(ev.bcubed.recall, 0.5);
  EXPECT_DOUBLE_EQ(ev.bcubed.f1, 2.0 / 3);
  EXPECT_EQ(ev.profiles, 6);
}

TEST(EvaluationTest, EverythingInOneCluster) {
  // Same truth, one predicted cluster of 6: TP = true pairs = 4; predicted pairs C(6,2) = 15: P = 4/15, R = 1.
  // B-cubed precision: records of A 3/6, of B 2/6, of C 1/6: (3*3 + 2*2 + 1) / 6 = 14/6, / 6 = 7/18; recall 1.
  const Evaluation ev = Score(Make({"A", "A", "A", "B", "B", "C"}, {"x", "x", "x", "x", "x", "x"}));
  EXPECT_DOUBLE_EQ(ev.pairwise.precision, 4.0 / 15);
  EXPECT_DOUBLE_EQ(ev.pairwise.recall, 1);
  EXPECT_DOUBLE_EQ(ev.pairwise.f1, 2 * (4.0 / 15) / (4.0 / 15 + 1));
  EXPECT_DOUBLE_EQ(ev.bcubed.precision, 7.0 / 18);
  EXPECT_DOUBLE_EQ(ev.bcubed.recall, 1);
  EXPECT_EQ(ev.profiles, 1);
}

TEST(EvaluationTest, NoTruePairsMeansRecallOne) {
  // Truth all singletons, prediction pairs 1 with 2: TP 0, predicted 1 -> P 0; true pairs 0 -> R 1; F1 0.
  const Evaluation ev = Score(Make({"A", "B", "C"}, {"x", "x", "y"}));
  EXPECT_DOUBLE_EQ(ev.pairwise.precision, 0);
  EXPECT_DOUBLE_EQ(ev.pairwise.recall, 1);
  EXPECT_DOUBLE_EQ(ev.pairwise.f1, 0);
}

TEST(EvaluationTest, DroppedRecordsAreSingletonsOfTheirOwn) {
  // Truth A = {1, 2}, B = {3}; records 1 and 2 dropped (""): two separate clusters, not one "" cluster.
  // Pairwise: TP 0, predicted pairs 0 -> P 1; true pairs 1 -> R 0.
  // B-cubed: precision 1 each; recall 1/2, 1/2, 1: sum 2, / 3 = 2/3.
  const Evaluation ev = Score(Make({"A", "A", "B"}, {"", "", "x"}));
  EXPECT_EQ(ev.dropped, 2);
  EXPECT_EQ(ev.profiles, 1);
  EXPECT_EQ(ev.records, 3);
  EXPECT_EQ(ev.pairwise.true_positive_pairs, 0);
  EXPECT_EQ(ev.pairwise.predicted_pairs, 0);
  EXPECT_DOUBLE_EQ(ev.pairwise.recall, 0);
  EXPECT_DOUBLE_EQ(ev.bcubed.precision, 1);
  EXPECT_DOUBLE_EQ(ev.bcubed.recall, 2.0 / 3);
}

TEST(EvaluationTest, RecordsOnOneSideOnlyAreReportedAndLeftOut) {
  Case c = Make({"A", "A", "B", "B"}, {"x", "x", "y"});  // S:4 missing in the prediction
  c.predicted.push_back({"S", "99", "y"});               // not in the truth
  c.predicted.push_back({"T", "1", "x"});
  for (int i = 0; i < 6; ++i) c.truth.push_back({"U", std::to_string(i), "Z", 0});
  const Evaluation ev = Score(c);
  EXPECT_EQ(ev.records, 3);
  EXPECT_EQ(ev.entities, 2);
  EXPECT_EQ(ev.missing_in_truth, 2);
  ASSERT_EQ(ev.missing_in_truth_examples.size(), 2u);
  EXPECT_EQ(ev.missing_in_truth_examples[0].key, "99");
  EXPECT_EQ(ev.missing_in_truth_examples[1].source, "T");
  EXPECT_EQ(ev.missing_in_prediction, 7);
  ASSERT_EQ(ev.missing_in_prediction_examples.size(), kMaxMissingExamples);
  EXPECT_EQ(ev.missing_in_prediction_examples[0].key, "4");  // truth file order
  // The evaluated part {1, 2} -> x (A), {3} -> y (B) is perfect.
  EXPECT_DOUBLE_EQ(ev.pairwise.f1, 1);
  EXPECT_DOUBLE_EQ(ev.bcubed.f1, 1);
  const std::string text = EvaluationText(ev);
  EXPECT_NE(text.find("S|99, T|1)"), std::string::npos) << text;
  EXPECT_NE(text.find("missing in prediction    7 (S|4, U|0, U|1, U|2, U|3, ...)"), std::string::npos) << text;
}

TEST(EvaluationTest, NothingInCommonScoresZero) {
  Case c = Make({"A", "A"}, {});
  c.predicted.push_back({"Other", "1", "x"});
  const Evaluation ev = Score(c);
  EXPECT_EQ(ev.records, 0);
  EXPECT_DOUBLE_EQ(ev.pairwise.precision, 0);
  EXPECT_DOUBLE_EQ(ev.pairwise.recall, 0);
  EXPECT_DOUBLE_EQ(ev.bcubed.f1, 0);
  EXPECT_NE(EvaluationText(ev).find("every metric is 0"), std::string::npos);
  EXPECT_EQ(Score(Case{}).records, 0);
}

TEST(EvaluationTest, RecordsListedTwiceAreDataErrors) {
  Case c = Make({"A", "A"}, {"x", "x"});
  c.predicted.push_back({"S", "1", "y"});
  EXPECT_THROW(Score(c), Error);
  Case unknown = Make({"A"}, {"x"});
  unknown.predicted.push_back({"Q", "1", "x"});
  unknown.predicted.push_back({"Q", "1", "x"});
  try {
    Score(unknown);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kData);
    EXPECT_NE(e.message().find("twice"), std::string::npos);
  }
  Case truth = Make({"A", "B"}, {"x", "x"});
  truth.truth.push_back({"S", "2", "C", 9});
  EXPECT_THROW(Score(truth), Error);
}

TEST(EvaluationTest, JsonHasTheDocumentedKeys) {
  const Evaluation ev = Score(Make({"A", "A", "A", "B", "B", "C"}, {"p", "p", "p", "p", "q", "q"}));
  const nlohmann::ordered_json j = EvaluationJson(ev);
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"pairwise", "bcubed", "profiles", "records", "entities",
                                            "missing_in_truth", "missing_in_prediction", "dropped"}));
  std::vector<std::string> pairwise;
  for (auto it = j["pairwise"].begin(); it != j["pairwise"].end(); ++it) pairwise.push_back(it.key());
  EXPECT_EQ(pairwise, (std::vector<std::string>{"precision", "recall", "f1", "true_positive_pairs", "predicted_pairs",
                                                "true_pairs"}));
  EXPECT_DOUBLE_EQ(j["pairwise"]["precision"].get<double>(), 3.0 / 7);
  EXPECT_EQ(j["pairwise"]["predicted_pairs"].get<int64_t>(), 7);
  EXPECT_DOUBLE_EQ(j["bcubed"]["f1"].get<double>(), 35.0 / 51);
  EXPECT_EQ(j["bcubed"].size(), 3u);
  EXPECT_EQ(j["profiles"].get<int64_t>(), 2);
  EXPECT_EQ(j["dropped"].get<int64_t>(), 0);
}

TEST(EvaluationTest, TextIsAnAlignedTable) {
  const std::string text = EvaluationText(Score(Make({"A", "A", "A", "B", "B", "C"}, {"p", "p", "p", "p", "q", "q"})));
  EXPECT_EQ(text.substr(0, text.find("\n\n") + 1),
            "            precision     recall         F1\n"
            "pairwise       0.4286     0.7500     0.5455\n"
            "B-cubed        0.5833     0.8333     0.6863\n")
      << text;
  EXPECT_NE(text.find("records evaluated        6\n"), std::string::npos) << text;
  EXPECT_NE(text.find("predicted pairs          7\n"), std::string::npos) << text;
}

// ---- truth files --------------------------------------------------------------------------------------------

class TruthCsvTest : public ::testing::Test {
 protected:
  std::vector<TruthRecord> Load(std::string content) {
    fs_.AddFile("/t/truth.csv", std::move(content));
    return LoadTruthCsv("/t/truth.csv", fs_);
  }
  // The error of loading content: kind, line and message.
  Error Fails(std::string content) {
    try {
      Load(std::move(content));
    } catch (const Error& e) {
      EXPECT_EQ(e.location().file, "/t/truth.csv");
      return e;
    }
    ADD_FAILURE() << "no error";
    return Error(ErrorKind::kInternal, "none");
  }
  MemoryFileSystem fs_;
};

TEST_F(TruthCsvTest, ReadsQuotesBomCrlfAndBlankLines) {
  const std::vector<TruthRecord> rows =
      Load("\xEF\xBB\xBFsource,key,entity\r\nContact,1,E1\r\n\r\n\"Loyalty\",\"a,\"\"b\"\"\",\"E\n2\"\r\nWeb,9,E1");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].source, "Contact");
  EXPECT_EQ(rows[0].line, 2);
  EXPECT_EQ(rows[1].key, "a,\"b\"");
  EXPECT_EQ(rows[1].entity, "E\n2");
  EXPECT_EQ(rows[1].line, 4);
  EXPECT_EQ(rows[2].line, 6);  // the quoted line break counts
  EXPECT_TRUE(Load("source,key,entity\n").empty());
}

TEST_F(TruthCsvTest, HeaderErrors) {
  Error empty = Fails("");
  EXPECT_EQ(empty.kind(), ErrorKind::kUser);
  EXPECT_NE(empty.message().find("header"), std::string::npos);
  Error missing = Fails("Contact,1,E1\nContact,2,E1\n");
  EXPECT_EQ(missing.kind(), ErrorKind::kUser);
  EXPECT_EQ(missing.location().line, 1);
  EXPECT_NE(missing.message().find("\"Contact,1,E1\""), std::string::npos) << missing.message();
  EXPECT_FALSE(missing.hint().empty());
  EXPECT_EQ(Fails("source,key,cluster\n").kind(), ErrorKind::kUser);
  EXPECT_EQ(Fails("source,key\n").kind(), ErrorKind::kUser);
  EXPECT_EQ(Fails("Source,Key,Entity\n").kind(), ErrorKind::kUser);  // exactly, not case-insensitively
}

TEST_F(TruthCsvTest, RowErrorsNameTheLine) {
  Error columns = Fails("source,key,entity\nC,1,E\nC,2\n");
  EXPECT_EQ(columns.kind(), ErrorKind::kData);
  EXPECT_EQ(columns.location().line, 3);
  EXPECT_NE(columns.message().find("found 2"), std::string::npos);
  EXPECT_EQ(Fails("source,key,entity\nC,1,E,x\n").location().line, 2);

  Error duplicate = Fails("source,key,entity\nC,1,E\nC,2,E\n\nC,1,F\n");
  EXPECT_EQ(duplicate.kind(), ErrorKind::kData);
  EXPECT_EQ(duplicate.location().line, 5);
  EXPECT_NE(duplicate.message().find("first on line 2"), std::string::npos) << duplicate.message();
  EXPECT_NE(duplicate.message().find("\"C\""), std::string::npos);

  Error field = Fails("source,key,entity\nC,1,E\nC, ,E\n");
  EXPECT_EQ(field.kind(), ErrorKind::kData);
  EXPECT_EQ(field.location().line, 3);
  EXPECT_NE(field.message().find("key field is empty"), std::string::npos);
  EXPECT_NE(Fails("source,key,entity\n,1,E\n").message().find("source"), std::string::npos);
  EXPECT_NE(Fails("source,key,entity\nC,1,\n").message().find("entity"), std::string::npos);

  Error quote = Fails("source,key,entity\nC,1,E\nC,\"2,E\n");
  EXPECT_EQ(quote.kind(), ErrorKind::kData);
  EXPECT_EQ(quote.location().line, 3);
  EXPECT_NE(quote.message().find("malformed"), std::string::npos);

  try {
    LoadTruthCsv("/t/none.csv", fs_);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIo);
  }
}

// ---- shared data and scale ------------------------------------------------------------------------------------

TEST(EvaluationTest, Fake1000AgainstItself) {
  const std::string path = std::string(CDMLAKE_SHARED_DATA) + "/fake_1000/fake_1000.csv";
  FileSystem* fs = DefaultFileSystem();
  if (!fs->Stat(path)) GTEST_SKIP() << path << " is absent (shared test data beside the checkout)";
  const std::string text = fs->ReadFile(path);
  // The truth file of this data set, written as a truth CSV and read back through LoadTruthCsv.
  size_t pos = 0;
  int line = 1;
  std::vector<std::string> fields;
  std::string error;
  ASSERT_TRUE(ReadCsvRecord(text, &pos, &line, &fields, &error));
  const size_t id_column = std::find(fields.begin(), fields.end(), "unique_id") - fields.begin();
  const size_t cluster_column = std::find(fields.begin(), fields.end(), "cluster") - fields.begin();
  ASSERT_LT(id_column, fields.size());
  ASSERT_LT(cluster_column, fields.size());
  std::string truth_csv = "source,key,entity\n";
  std::map<std::string, int64_t> entity_size;
  std::vector<PredictedRecord> same;
  std::vector<PredictedRecord> singletons;
  std::vector<PredictedRecord> one;
  while (pos < text.size()) {
    ASSERT_TRUE(ReadCsvRecord(text, &pos, &line, &fields, &error)) << error;
    if (fields.size() == 1 && fields[0].empty()) continue;
    const std::string& id = fields[id_column];
    const std::string& cluster = fields[cluster_column];
    truth_csv += "fake," + id + "," + cluster + "\n";
    ++entity_size[cluster];
    same.push_back({"fake", id, "c" + cluster});
    singletons.push_back({"fake", id, "r" + id});
    one.push_back({"fake", id, "all"});
  }
  MemoryFileSystem memory;
  memory.AddFile("/truth.csv", truth_csv);
  const std::vector<TruthRecord> truth = LoadTruthCsv("/truth.csv", memory);

  // Expected numbers, computed here from the cluster sizes.
  const int64_t n = static_cast<int64_t>(truth.size());
  int64_t true_pairs = 0;
  for (const auto& [entity, size] : entity_size) true_pairs += size * (size - 1) / 2;
  const double entities = static_cast<double>(entity_size.size());
  ASSERT_EQ(n, 1000);
  EXPECT_EQ(entity_size.size(), 251u);
  EXPECT_EQ(true_pairs, 2031);  // spec §3

  const Evaluation itself = Evaluate(same, truth);
  EXPECT_DOUBLE_EQ(itself.pairwise.f1, 1);
  EXPECT_DOUBLE_EQ(itself.bcubed.f1, 1);
  EXPECT_EQ(itself.pairwise.true_pairs, true_pairs);
  EXPECT_EQ(itself.entities, 251);
  EXPECT_EQ(itself.profiles, 251);

  // All singletons: each record's B-cubed recall is 1/|its entity|, and an entity's records sum to 1, so the
  // average is entities / records = 251/1000.
  const Evaluation alone = Evaluate(singletons, truth);
  EXPECT_DOUBLE_EQ(alone.pairwise.recall, 0);
  EXPECT_NEAR(alone.bcubed.recall, entities / static_cast<double>(n), 1e-12);
  EXPECT_NEAR(alone.bcubed.recall, 0.251, 1e-12);
  EXPECT_DOUBLE_EQ(alone.bcubed.precision, 1);

  // One cluster: pairwise precision is the share of all pairs that are true pairs.
  const Evaluation all = Evaluate(one, truth);
  EXPECT_DOUBLE_EQ(all.pairwise.precision, static_cast<double>(true_pairs) / static_cast<double>(n * (n - 1) / 2));
  EXPECT_DOUBLE_EQ(all.pairwise.recall, 1);
}

double ThreadCpuSeconds() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

TEST(EvaluationTest, OneMillionRecordsAreQuick) {
  // 1 M records in 250 k true entities of 4; the prediction splits every entity in two: each cell has 2
  // records, TP = 500 k * C(2,2), predicted pairs = TP, true pairs = 250 k * C(4,2) = 1.5 M.
  constexpr int kRecords = 1000000;
  std::vector<TruthRecord> truth;
  std::vector<PredictedRecord> predicted;
  truth.reserve(kRecords);
  predicted.reserve(kRecords);
  for (int i = 0; i < kRecords; ++i) {
    truth.push_back({"Contact", "C" + std::to_string(i), "E" + std::to_string(i / 4), 0});
    predicted.push_back({"Contact", "C" + std::to_string(i), "P" + std::to_string(i / 2)});
  }
  const double start = ThreadCpuSeconds();
  const Evaluation ev = Evaluate(predicted, truth);
  const double seconds = ThreadCpuSeconds() - start;
  std::printf("  evaluate: %.3f s CPU for 1 M records\n", seconds);
  EXPECT_EQ(ev.pairwise.true_positive_pairs, 500000);
  EXPECT_EQ(ev.pairwise.true_pairs, 1500000);
  EXPECT_DOUBLE_EQ(ev.pairwise.precision, 1);
  EXPECT_DOUBLE_EQ(ev.pairwise.recall, 1.0 / 3);
  EXPECT_DOUBLE_EQ(ev.bcubed.recall, 0.5);
#if !defined(__SANITIZE_ADDRESS__)
  EXPECT_LT(seconds, 3.0);  // generous: the target is a fraction of a second
#endif
}

}  // namespace
}  // namespace cdmlake::unify
