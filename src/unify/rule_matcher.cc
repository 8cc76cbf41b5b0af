#include "unify/rule_matcher.h"

#include <algorithm>

#include "unify/match_score.h"
#include "unify/normalizer.h"
#include "util/error.h"
#include "util/parallel.h"
#include "util/strings.h"

namespace cdmlake::unify {

namespace {

// Joins the exact values of a blocking key; normalized text never holds this byte (it is a control character that
// the Symbols option would delete and that CSV text in practice never carries), and a key without the separator
// cannot collide with a joined one of another arity because every key of a rule has the same arity.
constexpr char kKeySeparator = '\x1f';

std::vector<std::pair<std::string, std::string>> AliasPairs(const UnifyConfig& config, const Condition& condition) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& ref : condition.aliases) {
    for (const auto& list : config.aliases) {
      if (list.name == ref.name) pairs.insert(pairs.end(), list.pairs.begin(), list.pairs.end());
    }
  }
  return pairs;
}

std::vector<std::string> BypassValues(const UnifyConfig& config, const Condition& condition) {
  std::vector<std::string> values;
  for (const auto& ref : condition.bypass) {
    for (const auto& list : config.bypass) {
      if (list.name == ref.name) values.insert(values.end(), list.values.begin(), list.values.end());
    }
  }
  return values;
}

std::string Describe(const Condition& c) {
  std::vector<std::string> options;
  for (Normalization n : c.normalize) options.emplace_back(NormalizationName(n));
  std::string text = c.left.name + (c.when == ConditionWhen::kDifferent ? " <> " : " = ") + c.right.name + " (";
  if (!options.empty()) text += Join(options, ", ") + "; ";
  return text + PrecisionName(c.precision) + ")";
}

}  // namespace

void PackKeys(size_t n, const std::function<bool(size_t, std::string*)>& make, std::vector<std::string>* buffers,
              std::vector<BlockingKey>* views) {
  constexpr size_t kMinChunk = 8192;
  const size_t chunks = std::max<size_t>(1, std::min(WorkerThreads(), n / kMinChunk));
  buffers->assign(chunks, std::string());
  views->assign(n, BlockingKey());
  RunTasks(chunks, [&](size_t k) {
    const size_t begin = n * k / chunks, end = n * (k + 1) / chunks;
    std::string& text = (*buffers)[k];
    // The buffer grows while it is filled, so the views are made at the end, from the keys' ends.
    constexpr uint64_t kNone = ~uint64_t{0};
    std::vector<uint64_t> ends(end - begin, kNone);
    for (size_t r = begin; r < end; ++r) {
      const size_t before = text.size();
      if (make(r, &text)) {
        ends[r - begin] = text.size();
      } else {
        text.resize(before);
      }
    }
    text.shrink_to_fit();
    uint64_t at = 0;
    for (size_t r = begin; r < end; ++r) {
      const uint64_t key_end = ends[r - begin];
      if (key_end == kNone) continue;
      (*views)[r] = BlockingKey(std::string_view(text.data() + at, key_end - at));
      at = key_end;
    }
  });
}

KeyStore::KeyStore(const UnifyConfig& config, const std::vector<ProfileTable>& tables,
                   std::shared_ptr<const NicknameTable> nicknames)
    : config_(config), tables_(&tables), nicknames_(std::move(nicknames)) {}

size_t KeyStore::SourceIndex(const std::string& name) const {
  for (size_t i = 0; i < tables_->size(); ++i) {
    if ((*tables_)[i].name == name) return i;
  }
  throw Error(ErrorKind::kInternal, "unknown unification source " + name);
}

const KeyColumn& KeyStore::Get(size_t source, const std::string& column, const Condition& condition) {
  const ProfileTable& table = (*tables_)[source];
  std::string signature = table.name + "\n" + ToLower(column) + "\n";
  for (Normalization n : condition.normalize) signature += std::string(NormalizationName(n)) + ",";
  for (const auto& a : condition.aliases) signature += "alias:" + a.name + ",";
  for (const auto& b : condition.bypass) signature += "bypass:" + b.name + ",";
  std::lock_guard lock(mutex_);
  auto it = cache_.find(signature);
  if (it != cache_.end()) return *it->second;

  auto keys = std::make_unique<KeyColumn>();
  keys->source = table.name;
  keys->column = column;
  const Source* source_config = config_.FindSource(table.name);
  NormalizerResources resources;
  resources.nicknames = nicknames_;
  resources.default_phone_region = source_config ? source_config->default_phone_region : "";
  resources.aliases = AliasPairs(config_, condition);
  resources.bypass_values = BypassValues(config_, condition);
  Normalizer normalizer(condition.normalize, std::move(resources));
  const bool primary_key = EqualsIgnoreCase(column, table.key_column);
  const int c = primary_key ? -1 : table.ColumnIndex(column);
  if (!primary_key && c < 0) {
    throw Error(ErrorKind::kUser, "column " + column + " of source " + table.name + " is not mapped",
                Location{config_.file, 0, table.name}, "add it to the source's columns");
  }
  // Normalization (ICU, libphonenumber, word tables) is most of a key column's cost and is independent per
  // value; the Normalizer is safe to share between threads.
  PackKeys(
      table.size(),
      [&](size_t r, std::string* text) {
        const TextView value = primary_key ? TextView(table.Key(r)) : table.Value(c, r);
        if (!value) return false;
        std::optional<std::string> key = normalizer.Normalize(*value);
        if (!key) return false;
        text->append(*key);
        return true;
      },
      &keys->buffers, &keys->views);
  const KeyColumn& result = *keys;
  cache_.emplace(std::move(signature), std::move(keys));
  return result;
}

CompiledRule CompileRule(const Rule& rule, size_t index, size_t left_source, size_t right_source, KeyStore& keys) {
  CompiledRule compiled;
  compiled.name = rule.name.empty() ? "Rule " + std::to_string(index + 1) : rule.name;
  compiled.left_source = left_source;
  compiled.right_source = right_source;
  auto compile = [&](const Condition& c) {
    const std::string& right = c.right.name.empty() ? c.left.name : c.right.name;  // dedup: one column
    return CompiledCondition{&keys.Get(left_source, c.left.name, c), &keys.Get(right_source, right, c),
                             c.precision, c.when, Describe(c)};
  };
  for (const Condition& c : rule.conditions) {
    (c.fuzzy() ? compiled.fuzzy : compiled.exact).push_back(compile(c));
  }
  for (const RuleException& e : rule.exceptions) {
    std::vector<CompiledCondition> conditions;
    for (const Condition& c : e.conditions) conditions.push_back(compile(c));
    compiled.exceptions.push_back(std::move(conditions));
  }
  return compiled;
}

SideKeys BlockingKeys(const CompiledRule& rule, bool left_side) {
  SideKeys out;
  if (rule.exact.empty()) return out;
  if (rule.exact.size() == 1) {
    // One exact condition: its comparison keys are the blocking keys (no joined copy of every key).
    out.views = (left_side ? rule.exact[0].left : rule.exact[0].right)->views;
    return out;
  }
  const size_t n = (left_side ? rule.exact[0].left : rule.exact[0].right)->views.size();
  PackKeys(
      n,
      [&](size_t r, std::string* text) {
        for (size_t i = 0; i < rule.exact.size(); ++i) {
          const BlockingKey& value = (left_side ? rule.exact[i].left : rule.exact[i].right)->views[r];
          if (!value) return false;
          if (i) text->push_back(kKeySeparator);
          text->append(*value);
        }
        return true;
      },
      &out.storage, &out.views);
  return out;
}

bool ConditionHolds(const CompiledCondition& condition, uint32_t l, uint32_t r, double* score) {
  const BlockingKey& a = condition.left->views[l];
  const BlockingKey& b = condition.right->views[r];
  if (!a || !b) return false;
  std::optional<double> s = condition.precision.exact() ? (*a == *b ? std::optional<double>(1.0) : std::nullopt)
                                                        : FuzzyMatchScore(*a, *b, condition.precision);
  if (condition.when == ConditionWhen::kDifferent) return !s.has_value();
  if (s && score) *score = *s;
  return s.has_value();
}

std::optional<double> ScorePair(const CompiledRule& rule, uint32_t l, uint32_t r) {
  double score = 1.0;
  for (const CompiledCondition& c : rule.fuzzy) {
    double s = 0;
    if (!ConditionHolds(c, l, r, &s)) return std::nullopt;
    score = std::min(score, s);
  }
  for (const auto& exception : rule.exceptions) {
    bool all = !exception.empty();
    for (const CompiledCondition& c : exception) all = all && ConditionHolds(c, l, r);
    if (all) return std::nullopt;
  }
  return score;
}

}  // namespace cdmlake::unify
