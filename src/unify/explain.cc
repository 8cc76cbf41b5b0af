#include "unify/explain.h"

#include <cstdio>

#include "util/error.h"
#include "util/strings.h"

namespace cdmlake::unify {

namespace {

std::string Score(double score) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", score);
  return buffer;
}

std::string Quoted(std::optional<std::string_view> value) {
  return value ? "\"" + std::string(*value) + "\"" : "(empty)";
}

std::string RecordName(const UnifyResult& run, size_t source, uint32_t record) {
  return run.tables[source].name + ":" + std::string(run.tables[source].Key(record));
}

// The conditions of a compiled rule for the pair, with normalized values and scores.
std::string Conditions(const CompiledRule& rule, uint32_t l, uint32_t r, const std::string& indent) {
  std::string out;
  auto line = [&](const CompiledCondition& c, const char* role) {
    double score = 0;
    bool holds = ConditionHolds(c, l, r, &score);
    out += indent + role + c.description + ": " + Quoted(c.left->views[l]) + " vs " + Quoted(c.right->views[r]) +
           (holds ? " -> match" + (c.when == ConditionWhen::kSame ? " (score " + Score(score) + ")" : "")
                  : " -> no match") +
           "\n";
  };
  for (const auto& c : rule.exact) line(c, "");
  for (const auto& c : rule.fuzzy) line(c, "");
  for (const auto& exception : rule.exceptions) {
    for (const auto& c : exception) line(c, "exception: ");
  }
  return out;
}

// The compiled match rule of a source with this name, or nullopt.
std::optional<CompiledRule> MatchRule(const UnifyResult& run, size_t source, size_t target, const std::string& name) {
  size_t index = 0;
  for (const SourceRules& rules : run.config->match.rules) {
    if (rules.source.name != run.tables[source].name) continue;
    for (const Rule& rule : rules.rules) {
      CompiledRule compiled = CompileRule(rule, index++, target, source, *run.keys);
      if (compiled.name == name) return compiled;
    }
  }
  return std::nullopt;
}

}  // namespace

int32_t FindProfile(const UnifyResult& run, const std::string& target) {
  for (size_t p = 0; p < run.customer_ids.size(); ++p) {
    if (EqualsIgnoreCase(run.customer_ids[p], target)) return static_cast<int32_t>(p);
  }
  size_t colon = target.find(':');
  if (colon != std::string::npos) {
    const std::string source_name = target.substr(0, colon);
    int source = run.SourceIndex(source_name);
    for (size_t i = 0; source < 0 && i < run.tables.size(); ++i) {
      if (EqualsIgnoreCase(run.tables[i].name, source_name)) source = static_cast<int>(i);
    }
    if (source < 0) {
      std::vector<std::string> names;
      for (const ProfileTable& t : run.tables) names.push_back(t.name);
      throw Error(ErrorKind::kUser, "no source is named " + source_name + " (in " + target + ")", {},
                  "the sources are " + Join(names, ", "));
    }
    const std::string key = target.substr(colon + 1);
    const ProfileTable& t = run.tables[source];
    // The key as written, else the only key equal to it but for case: a lake's Guids are read in lower case, and
    // a key copied from another tool may be in upper case.
    int64_t found = -1;
    int64_t folded = -1;
    size_t folded_count = 0;
    for (uint32_t r = 0; r < t.size() && found < 0; ++r) {
      if (t.Key(r) == key) {
        found = r;
      } else if (EqualsIgnoreCase(t.Key(r), key)) {
        folded = r;
        ++folded_count;
      }
    }
    if (found < 0 && folded_count == 1) found = folded;
    if (found >= 0) {
      int32_t p = run.ProfileOf(source, static_cast<uint32_t>(found));
      if (p >= 0) return p;
      throw Error(ErrorKind::kUser, target + " is in no profile: no rule matched it and its source " + t.name +
                                        " does not include all records",
                  {}, "set include_all on the source, or add a rule that matches it");
    }
    throw Error(ErrorKind::kUser, "source " + t.name + " has no record with the key " + key, {},
                "the key is the value of the source's primary key, " + t.key_column);
  }
  throw Error(ErrorKind::kUser, "no profile has the CustomerId " + target, {},
              "name a CustomerId of the Customer table, or SOURCE:KEY with a source of the configuration");
}

std::string ExplainProfile(const UnifyResult& run, int32_t profile) {
  const Profile& p = run.match.profiles[profile];
  std::string out = "Customer " + run.customer_ids[profile];
  if (!run.previous_customer_ids[profile].empty()) out += " (previously " + run.previous_customer_ids[profile] + ")";
  out += "\n\nRecords:\n";
  for (size_t k = 0; k < p.groups.size(); ++k) {
    const Attachment& a = p.groups[k];
    const size_t s = a.group.source;
    const DedupResult& d = run.dedups[s];
    const uint32_t winner = d.winner[a.group.group];
    if (k == 0) {
      out += "  " + RecordName(run, s, winner) + ": the profile's first group (" + run.tables[s].name +
             (s == 0 ? " is the primary source" : " includes all records") + ")\n";
    } else {
      out += "  " + RecordName(run, s, winner) + ": joined by " + a.rule + " (score " + Score(a.score) + "), " +
             RecordName(run, s, a.record) + " matching " + RecordName(run, a.target.source, a.target_record) + "\n";
      if (auto rule = MatchRule(run, s, a.target.source, a.rule)) {
        out += Conditions(*rule, a.target_record, a.record, "      ");
      }
    }
    std::vector<Rule> dedup_rules = DedupRules(*run.config, run.tables[s].name);
    for (uint32_t r : d.groups[a.group.group]) {
      if (r == winner) continue;
      const LinkEvidence& e = d.evidence[r];
      out += "    " + RecordName(run, s, r) + ": duplicate of " + RecordName(run, s, e.other) + " (";
      if (e.rule == -2) {
        out += "always-match pair)\n";
      } else if (e.rule >= 0) {
        out += d.rule_names[e.rule] + ", score " + Score(e.score) + "), alternate of the winner " +
               std::string(run.tables[s].Key(winner)) + "\n";
        CompiledRule rule = CompileRule(dedup_rules[e.rule], e.rule, s, s, *run.keys);
        out += Conditions(rule, e.other, r, "      ");
      } else {
        out += "linked through the group)\n";
      }
    }
  }
  out += "\nUnified fields:\n";
  for (size_t f = 0; f < run.merge.fields.size(); ++f) {
    const TextView value = run.merge.values[f][profile];
    const ValueOrigin& origin = run.merge.origins[f][profile];
    out += "  " + run.merge.fields[f].name + " = " + Quoted(value);
    if (origin.source >= 0) out += "  from " + RecordName(run, origin.source, origin.record);
    out += "\n";
  }
  return out;
}

}  // namespace cdmlake::unify
