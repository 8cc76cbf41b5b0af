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

std::string Quoted(const std::optional<std::string>& value) { return value ? "\"" + *value + "\"" : "(empty)"; }

std::optional<std::string> Copy(std::optional<std::string_view> value) {
  return value ? std::optional<std::string>(*value) : std::nullopt;
}

std::string RecordName(const UnifyResult& run, size_t source, uint32_t record) {
  return run.tables[source].name + ":" + std::string(run.tables[source].Key(record));
}

// The conditions of a compiled rule for the pair, with normalized values and scores.
std::vector<ConditionCheck> Conditions(const CompiledRule& rule, uint32_t l, uint32_t r) {
  std::vector<ConditionCheck> checks;
  auto check = [&](const CompiledCondition& c, bool exception) {
    ConditionCheck out;
    out.description = c.description;
    out.exception = exception;
    out.left = Copy(c.left->views[l]);
    out.right = Copy(c.right->views[r]);
    double score = 0;
    out.holds = ConditionHolds(c, l, r, &score);
    if (out.holds && c.when == ConditionWhen::kSame) out.score = score;
    checks.push_back(std::move(out));
  };
  for (const auto& c : rule.exact) check(c, false);
  for (const auto& c : rule.fuzzy) check(c, false);
  for (const auto& exception : rule.exceptions) {
    for (const auto& c : exception) check(c, true);
  }
  return checks;
}

std::string ConditionsText(const std::vector<ConditionCheck>& checks, const std::string& indent) {
  std::string out;
  for (const ConditionCheck& c : checks) {
    out += indent + (c.exception ? "exception: " : "") + c.description + ": " + Quoted(c.left) + " vs " +
           Quoted(c.right) +
           (c.holds ? " -> match" + (c.score ? " (score " + Score(*c.score) + ")" : "") : " -> no match") + "\n";
  }
  return out;
}

nlohmann::ordered_json OptionalJson(const std::optional<std::string>& value) {
  return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json ConditionsJson(const std::vector<ConditionCheck>& checks) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const ConditionCheck& c : checks) {
    nlohmann::ordered_json j;
    j["condition"] = c.description;
    j["exception"] = c.exception;
    j["left"] = OptionalJson(c.left);
    j["right"] = OptionalJson(c.right);
    j["match"] = c.holds;
    j["score"] = c.score ? nlohmann::ordered_json(*c.score) : nlohmann::ordered_json(nullptr);
    out.push_back(std::move(j));
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

Explanation ExplainProfile(const UnifyResult& run, int32_t profile) {
  const Profile& p = run.match.profiles[profile];
  Explanation out;
  out.customer_id = run.customer_ids[profile];
  out.previous_customer_id = run.previous_customer_ids[profile];
  for (size_t k = 0; k < p.groups.size(); ++k) {
    const Attachment& a = p.groups[k];
    const size_t s = a.group.source;
    const DedupResult& d = run.dedups[s];
    const uint32_t winner = d.winner[a.group.group];
    GroupExplanation group;
    group.source = run.tables[s].name;
    group.winner = RecordName(run, s, winner);
    group.first = k == 0;
    if (group.first) {
      group.primary = s == 0;
    } else {
      group.rule = a.rule;
      group.score = a.score;
      group.record = RecordName(run, s, a.record);
      group.target = RecordName(run, a.target.source, a.target_record);
      if (auto rule = MatchRule(run, s, a.target.source, a.rule)) {
        group.conditions = Conditions(*rule, a.target_record, a.record);
      }
    }
    std::vector<Rule> dedup_rules = DedupRules(*run.config, run.tables[s].name);
    for (uint32_t r : d.groups[a.group.group]) {
      if (r == winner) continue;
      const LinkEvidence& e = d.evidence[r];
      DuplicateExplanation duplicate;
      duplicate.record = RecordName(run, s, r);
      duplicate.duplicate_of = RecordName(run, s, e.other);
      if (e.rule == -2) {
        duplicate.link = DuplicateExplanation::Link::kAlwaysMatch;
      } else if (e.rule >= 0) {
        duplicate.link = DuplicateExplanation::Link::kRule;
        duplicate.rule = d.rule_names[e.rule];
        duplicate.score = e.score;
        duplicate.winner_key = run.tables[s].Key(winner);
        CompiledRule rule = CompileRule(dedup_rules[e.rule], e.rule, s, s, *run.keys);
        duplicate.conditions = Conditions(rule, e.other, r);
      }
      group.duplicates.push_back(std::move(duplicate));
    }
    out.groups.push_back(std::move(group));
  }
  for (size_t f = 0; f < run.merge.fields.size(); ++f) {
    const ValueOrigin& origin = run.merge.origins[f][profile];
    FieldExplanation field;
    field.name = run.merge.fields[f].name;
    field.value = Copy(run.merge.values[f][profile]);
    if (origin.source >= 0) field.from = RecordName(run, origin.source, origin.record);
    out.fields.push_back(std::move(field));
  }
  return out;
}

std::string ExplanationText(const Explanation& explanation) {
  std::string out = "Customer " + explanation.customer_id;
  if (!explanation.previous_customer_id.empty()) out += " (previously " + explanation.previous_customer_id + ")";
  out += "\n\nRecords:\n";
  for (const GroupExplanation& group : explanation.groups) {
    if (group.first) {
      out += "  " + group.winner + ": the profile's first group (" + group.source +
             (group.primary ? " is the primary source" : " includes all records") + ")\n";
    } else {
      out += "  " + group.winner + ": joined by " + group.rule + " (score " + Score(group.score) + "), " +
             group.record + " matching " + group.target + "\n";
      out += ConditionsText(group.conditions, "      ");
    }
    for (const DuplicateExplanation& duplicate : group.duplicates) {
      out += "    " + duplicate.record + ": duplicate of " + duplicate.duplicate_of + " (";
      switch (duplicate.link) {
        case DuplicateExplanation::Link::kAlwaysMatch:
          out += "always-match pair)\n";
          break;
        case DuplicateExplanation::Link::kRule:
          out += duplicate.rule + ", score " + Score(duplicate.score) + "), alternate of the winner " +
                 duplicate.winner_key + "\n";
          out += ConditionsText(duplicate.conditions, "      ");
          break;
        case DuplicateExplanation::Link::kThroughGroup:
          out += "linked through the group)\n";
          break;
      }
    }
  }
  out += "\nUnified fields:\n";
  for (const FieldExplanation& field : explanation.fields) {
    out += "  " + field.name + " = " + Quoted(field.value);
    if (field.from) out += "  from " + *field.from;
    out += "\n";
  }
  return out;
}

nlohmann::ordered_json ExplanationJson(const Explanation& explanation) {
  nlohmann::ordered_json out;
  out["customer_id"] = explanation.customer_id;
  out["previous_customer_id"] = explanation.previous_customer_id.empty()
                                    ? nlohmann::ordered_json(nullptr)
                                    : nlohmann::ordered_json(explanation.previous_customer_id);
  nlohmann::ordered_json groups = nlohmann::ordered_json::array();
  for (const GroupExplanation& group : explanation.groups) {
    nlohmann::ordered_json g;
    g["source"] = group.source;
    g["winner"] = group.winner;
    if (group.first) {
      g["joined"] = group.primary ? "primary source" : "include all";
      g["rule"] = nullptr;
      g["score"] = nullptr;
      g["record"] = nullptr;
      g["target"] = nullptr;
    } else {
      g["joined"] = "match rule";
      g["rule"] = group.rule;
      g["score"] = group.score;
      g["record"] = group.record;
      g["target"] = group.target;
    }
    g["conditions"] = ConditionsJson(group.conditions);
    nlohmann::ordered_json duplicates = nlohmann::ordered_json::array();
    for (const DuplicateExplanation& duplicate : group.duplicates) {
      nlohmann::ordered_json d;
      d["record"] = duplicate.record;
      d["duplicate_of"] = duplicate.duplicate_of;
      const bool by_rule = duplicate.link == DuplicateExplanation::Link::kRule;
      d["link"] = by_rule ? "dedup rule"
                  : duplicate.link == DuplicateExplanation::Link::kAlwaysMatch ? "always match"
                                                                               : "through the group";
      d["rule"] = by_rule ? nlohmann::ordered_json(duplicate.rule) : nlohmann::ordered_json(nullptr);
      d["score"] = by_rule ? nlohmann::ordered_json(duplicate.score) : nlohmann::ordered_json(nullptr);
      d["conditions"] = ConditionsJson(duplicate.conditions);
      duplicates.push_back(std::move(d));
    }
    g["duplicates"] = std::move(duplicates);
    groups.push_back(std::move(g));
  }
  out["groups"] = std::move(groups);
  nlohmann::ordered_json fields = nlohmann::ordered_json::array();
  for (const FieldExplanation& field : explanation.fields) {
    nlohmann::ordered_json f;
    f["field"] = field.name;
    f["value"] = OptionalJson(field.value);
    f["from"] = OptionalJson(field.from);
    fields.push_back(std::move(f));
  }
  out["fields"] = std::move(fields);
  return out;
}

}  // namespace cdmlake::unify
