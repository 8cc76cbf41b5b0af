#include "unify/merge.h"

#include <deque>
#include <map>

#include "util/strings.h"

namespace cdmlake::unify {

namespace {

struct Candidate {
  const std::optional<std::string>* value = nullptr;
  const std::optional<std::string>* recency = nullptr;  // null: the source has no recency column
  ValueOrigin origin;
};

class Merger {
 public:
  Merger(const UnifyConfig& config, const std::vector<const ProfileTable*>& tables,
         const std::vector<DedupResult>& dedups, const MatchResult& match)
      : config_(config), tables_(tables), dedups_(dedups), match_(match) {
    for (size_t i = 0; i < tables.size(); ++i) rank_[tables[i]->name] = static_cast<int32_t>(i);
  }

  MergeResult Run() {
    MergeResult result;
    result.fields = UnifiedFields(config_);
    const size_t profiles = match_.profiles.size();
    result.values.assign(result.fields.size(), Column(profiles));
    result.origins.assign(result.fields.size(), std::vector<ValueOrigin>(profiles));
    for (size_t f = 0; f < result.fields.size(); ++f) {
      const UnifiedField& field = result.fields[f];
      if (!field.group.empty()) continue;  // groups below
      const MergeField* config_field = FindField(field.name);
      MergePolicy policy = config_field ? config_field->policy : MergePolicy::kImportance;
      for (size_t p = 0; p < profiles; ++p) {
        std::vector<Candidate> candidates;
        for (const auto& [source, column] : field.origins) {
          AddCandidates(p, source, column, RecencyColumn(source, config_field), &candidates);
        }
        const Candidate* chosen = Choose(candidates, policy);
        if (chosen) {
          result.values[f][p] = *chosen->value;
          result.origins[f][p] = chosen->origin;
        }
      }
    }
    for (const MergeGroup& group : config_.merge.groups) MergeGroupFields(group, &result);
    return result;
  }

 private:
  const MergeField* FindField(const std::string& name) const {
    for (const MergeField& f : config_.merge.fields) {
      if (f.name == name) return &f;
    }
    return nullptr;
  }

  // The recency column of a source for a field: the field's own, else merge.recency's default, else "".
  std::string RecencyColumn(const std::string& source, const MergeField* field) const {
    if (field) {
      for (const FieldSource& s : field->sources) {
        if (s.source.name == source && !s.recency.empty()) return s.recency.name;
      }
    }
    for (const SourceColumnRef& r : config_.merge.recency) {
      if (r.source.name == source) return r.column.name;
    }
    return "";
  }

  // The winner rows of the profile's groups from `source`, in attach order.
  std::vector<uint32_t> Rows(size_t profile, int32_t source) const {
    std::vector<uint32_t> rows;
    for (const Attachment& a : match_.profiles[profile].groups) {
      if (static_cast<int32_t>(a.group.source) == source) rows.push_back(dedups_[source].winner[a.group.group]);
    }
    return rows;
  }

  void AddCandidates(size_t profile, const std::string& source, const std::string& column,
                     const std::string& recency, std::vector<Candidate>* out) const {
    auto rank = rank_.find(source);
    if (rank == rank_.end()) return;
    const ProfileTable& table = *tables_[rank->second];
    int c = table.ColumnIndex(column);
    int r = recency.empty() ? -1 : table.ColumnIndex(recency);
    for (uint32_t row : Rows(profile, rank->second)) {
      const std::optional<std::string>* value = c >= 0 ? &table.values[c][row] : nullptr;
      if (c < 0 && EqualsIgnoreCase(column, table.key_column)) value = &key_values_.emplace_back(table.keys[row]);
      if (!value || !value->has_value()) continue;
      out->push_back({value, r >= 0 ? &table.values[r][row] : nullptr, {rank->second, row}});
    }
  }

  static const Candidate* Choose(const std::vector<Candidate>& candidates, MergePolicy policy) {
    const Candidate* best = nullptr;
    for (const Candidate& c : candidates) {
      if (!best) {
        best = &c;
        if (policy == MergePolicy::kImportance) return best;
        continue;
      }
      const bool has = c.recency && c.recency->has_value();
      const bool best_has = best->recency && best->recency->has_value();
      if (has && !best_has) {
        best = &c;
      } else if (has && best_has) {
        int order = CompareKeys(**c.recency, **best->recency);
        if ((policy == MergePolicy::kMostRecent && order > 0) || (policy == MergePolicy::kLeastRecent && order < 0)) {
          best = &c;
        }
      }
    }
    return best;
  }

  void MergeGroupFields(const MergeGroup& group, MergeResult* result) const {
    std::vector<size_t> field_index;
    for (const std::string& name : group.fields) {
      for (size_t f = 0; f < result->fields.size(); ++f) {
        if (result->fields[f].name == name && result->fields[f].group == group.name) field_index.push_back(f);
      }
    }
    if (field_index.size() != group.fields.size()) return;
    for (size_t p = 0; p < match_.profiles.size(); ++p) {
      // One candidate per source row that has any of the group's fields; the chosen row gives all of them.
      struct Row {
        int32_t source;
        uint32_t record;
        const GroupSource* config;
        const std::optional<std::string>* recency;
      };
      std::vector<Row> rows;
      for (const GroupSource& gs : group.sources) {
        auto rank = rank_.find(gs.source.name);
        if (rank == rank_.end()) continue;
        const ProfileTable& table = *tables_[rank->second];
        int r = gs.recency.empty() ? -1 : table.ColumnIndex(gs.recency.name);
        for (uint32_t record : Rows(p, rank->second)) {
          bool any = false;
          for (const auto& [field, column] : gs.columns) {
            int c = table.ColumnIndex(column.name);
            any = any || (c >= 0 && table.values[c][record].has_value());
          }
          if (any) rows.push_back({rank->second, record, &gs, r >= 0 ? &table.values[r][record] : nullptr});
        }
      }
      if (rows.empty()) continue;
      const Row* chosen = &rows[0];
      if (group.policy != MergePolicy::kImportance) {
        for (const Row& row : rows) {
          if (!row.recency || !row.recency->has_value()) continue;
          if (!chosen->recency || !chosen->recency->has_value()) {
            chosen = &row;
            continue;
          }
          int order = CompareKeys(**row.recency, **chosen->recency);
          if ((group.policy == MergePolicy::kMostRecent && order > 0) ||
              (group.policy == MergePolicy::kLeastRecent && order < 0)) {
            chosen = &row;
          }
        }
      }
      const ProfileTable& table = *tables_[chosen->source];
      for (size_t k = 0; k < group.fields.size(); ++k) {
        for (const auto& [field, column] : chosen->config->columns) {
          if (field != group.fields[k]) continue;
          int c = table.ColumnIndex(column.name);
          if (c < 0) continue;
          result->values[field_index[k]][p] = table.values[c][chosen->record];
          result->origins[field_index[k]][p] = {chosen->source, chosen->record};
        }
      }
    }
  }

  const UnifyConfig& config_;
  const std::vector<const ProfileTable*>& tables_;
  const std::vector<DedupResult>& dedups_;
  const MatchResult& match_;
  std::map<std::string, int32_t> rank_;
  mutable std::deque<std::optional<std::string>> key_values_;  // primary keys used as field values
};

}  // namespace

MergeResult MergeProfiles(const UnifyConfig& config, const std::vector<const ProfileTable*>& tables,
                          const std::vector<DedupResult>& dedups, const MatchResult& match) {
  return Merger(config, tables, dedups, match).Run();
}

}  // namespace cdmlake::unify
