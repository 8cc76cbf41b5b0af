#include "unify/config.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "util/error.h"
#include "util/strings.h"

namespace cdmlake::unify {

std::string Quote(std::string_view name) { return "'" + std::string(name) + "'"; }

std::string ConfigMark::ToString() const {
  std::string out = file;
  if (line > 0) {
    out += (out.empty() ? "line " : ":") + std::to_string(line);
    if (column > 0) out += ":" + std::to_string(column);
  }
  return out;
}

std::string ConfigProblem::ToString(bool with_severity) const {
  std::string out = mark.ToString();
  if (!out.empty()) out += ": ";
  if (with_severity && severity == ProblemSeverity::kWarning) out += "warning: ";
  if (!mark.path.empty()) out += mark.path + ": ";
  out += message;
  if (!hint.empty()) out += "\n    hint: " + hint;
  return out;
}

void ThrowIfErrors(const std::vector<ConfigProblem>& problems, const std::string& file) {
  std::vector<const ConfigProblem*> sorted;
  for (const ConfigProblem& p : problems) {
    if (p.severity == ProblemSeverity::kError) sorted.push_back(&p);
  }
  if (sorted.empty()) return;
  size_t errors = sorted.size();
  for (const ConfigProblem& p : problems) {
    if (p.severity == ProblemSeverity::kWarning) sorted.push_back(&p);
  }
  // In reading order: the configuration first, then the list files it names.
  auto position = [&](const ConfigProblem* p) {
    return std::make_tuple(p->mark.file != file, p->mark.file, p->mark.line, p->mark.column);
  };
  std::stable_sort(sorted.begin(), sorted.begin() + errors,
                   [&](const ConfigProblem* a, const ConfigProblem* b) { return position(a) < position(b); });
  std::stable_sort(sorted.begin() + errors, sorted.end(),
                   [&](const ConfigProblem* a, const ConfigProblem* b) { return position(a) < position(b); });
  std::string message = errors == 1 ? "1 error" : std::to_string(errors) + " errors";
  message += " in the unification configuration:";
  for (const ConfigProblem* p : sorted) message += "\n  " + p->ToString();
  throw Error(ErrorKind::kUser, message, Location{file, sorted.front()->mark.line, ""},
              "see docs/unify.md for every key of the configuration");
}

const ColumnMapping* Source::FindColumn(std::string_view column) const {
  for (const ColumnMapping& c : columns) {
    if (c.name == column) return &c;
  }
  return nullptr;
}

const Source* UnifyConfig::FindSource(std::string_view name) const {
  for (const Source& s : sources) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

int UnifyConfig::Rank(std::string_view source) const {
  for (size_t i = 0; i < match.order.size(); ++i) {
    if (match.order[i].name == source) return static_cast<int>(i);
  }
  return -1;
}

const std::vector<std::string>& KnownSemanticTypes() {
  static const std::vector<std::string> kTypes = {
      "Person.FullName",
      "Person.FirstName",
      "Person.MiddleName",
      "Person.LastName",
      "Person.Title",
      "Person.BirthDate",
      "Person.Gender",
      "Person.ProfileImage",
      "Person.JobTitle",
      "Identity.Service.Email",
      "Identity.Service.Phone",
      "Location.Address",
      "Location.Address2",
      "Location.Address3",
      "Location.City",
      "Location.County",
      "Location.StateOrProvince",
      "Location.PostalCode",
      "Location.CountryOrRegion",
      "Location.Latitude",
      "Location.Longitude",
  };
  return kTypes;
}

bool IsReservedSemanticType(std::string_view type) {
  for (std::string_view prefix : {"Person.", "Identity.", "Location."}) {
    if (type.substr(0, prefix.size()) == prefix) return true;
  }
  return false;
}

std::string_view WinnerPolicyName(WinnerPolicy policy) {
  switch (policy) {
    case WinnerPolicy::kMostFilled: return "most-filled";
    case WinnerPolicy::kMostRecent: return "most-recent";
    case WinnerPolicy::kLeastRecent: return "least-recent";
  }
  return "?";
}

std::string_view MergePolicyName(MergePolicy policy) {
  switch (policy) {
    case MergePolicy::kImportance: return "importance";
    case MergePolicy::kMostRecent: return "most-recent";
    case MergePolicy::kLeastRecent: return "least-recent";
  }
  return "?";
}

namespace {

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string ClosestName(std::string_view name, const std::vector<std::string>& candidates) {
  std::string lower = ToLower(name);
  std::string best;
  size_t best_distance = 0;
  for (const std::string& candidate : candidates) {
    size_t d = EditDistance(lower, ToLower(candidate));
    if (best.empty() || d < best_distance) {
      best = candidate;
      best_distance = d;
    }
  }
  // A typo changes a few characters; beyond that the suggestion would only confuse.
  size_t allowed = std::max<size_t>(2, lower.size() / 3);
  return !best.empty() && best_distance <= allowed ? best : std::string();
}

std::vector<UnifiedField> UnifiedFields(const UnifyConfig& config) {
  std::vector<UnifiedField> fields;
  std::set<std::string> taken;                            // unified names, lower case
  std::set<std::pair<std::string, std::string>> claimed;  // (source, column) already in a field
  for (const MergeField& f : config.merge.fields) {
    UnifiedField u{f.name, "", {}};
    for (const FieldSource& s : f.sources) {
      u.origins.emplace_back(s.source.name, s.column.name);
      claimed.emplace(s.source.name, s.column.name);
    }
    taken.insert(ToLower(f.name));
    fields.push_back(std::move(u));
  }
  for (const MergeGroup& g : config.merge.groups) {
    for (const std::string& field : g.fields) {
      UnifiedField u{field, g.name, {}};
      for (const GroupSource& s : g.sources) {
        for (const auto& [name, column] : s.columns) {
          if (name != field) continue;
          u.origins.emplace_back(s.source.name, column.name);
          claimed.emplace(s.source.name, column.name);
        }
      }
      taken.insert(ToLower(field));
      fields.push_back(std::move(u));
    }
  }
  if (!config.merge.auto_combine) return fields;
  for (const SourceColumnRef& e : config.merge.exclude) claimed.emplace(e.source.name, e.column.name);

  // Sources in match order, then those missing from it in declaration order (the validator reports them).
  std::vector<const Source*> ranked;
  for (const NameRef& name : config.match.order) {
    if (const Source* s = config.FindSource(name.name)) ranked.push_back(s);
  }
  for (const Source& s : config.sources) {
    if (std::find(ranked.begin(), ranked.end(), &s) == ranked.end()) ranked.push_back(&s);
  }
  // Key: semantic type, or "=" + lower-case name when untyped. The k-th column of a source with a key joins the
  // k-th field of that key, so two phone columns of one source stay two fields.
  std::map<std::pair<std::string, int>, size_t> by_key;
  std::vector<UnifiedField> combined;
  for (const Source* s : ranked) {
    std::map<std::string, int> seen;
    for (const ColumnMapping& c : s->columns) {
      if (c.name == s->primary_key.name || claimed.count({s->name, c.name})) continue;
      std::string key = c.semantic_type.empty() ? "=" + ToLower(c.name) : c.semantic_type;
      std::pair<std::string, int> slot{key, seen[key]++};
      auto it = by_key.find(slot);
      if (it == by_key.end()) {
        it = by_key.emplace(slot, combined.size()).first;
        combined.push_back(UnifiedField{c.name, "", {}});
      }
      combined[it->second].origins.emplace_back(s->name, c.name);
    }
  }
  for (UnifiedField& u : combined) {
    if (taken.count(ToLower(u.name))) u.name += "_" + u.origins.front().first;
    taken.insert(ToLower(u.name));
    fields.push_back(std::move(u));
  }
  return fields;
}

}  // namespace cdmlake::unify
