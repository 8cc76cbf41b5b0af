#include "unify/merge.h"

#include <map>

#include "util/parallel.h"
#include "util/strings.h"

namespace cdmlake::unify {

namespace {

struct Candidate {
  std::string_view value;
  TextView recency;  // null also when the source has no recency column
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
    result.values.assign(result.fields.size(), std::vector<TextView>(profiles));
    result.origins.assign(result.fields.size(), std::vector<ValueOrigin>(profiles));
    // Everything that does not depend on the profile is looked up once: the columns by name (case-insensitive
    // compares per profile and field were a third of the merge).
    std::vector<Field> fields;
    for (size_t f = 0; f < result.fields.size(); ++f) {
      const UnifiedField& field = result.fields[f];
      if (!field.group.empty()) continue;  // groups below
      const MergeField* config_field = FindField(field.name);
      Field compiled{f, config_field ? config_field->policy : MergePolicy::kImportance, {}};
      for (const auto& [source, column] : field.origins) {
        auto rank = rank_.find(source);
        if (rank == rank_.end()) continue;
        const ProfileTable& table = *tables_[rank->second];
        const int c = table.ColumnIndex(column);
        if (c < 0 && !EqualsIgnoreCase(column, table.key_column)) continue;
        const std::string recency = RecencyColumn(source, config_field);
        compiled.origins.push_back({rank->second, c, recency.empty() ? -1 : table.ColumnIndex(recency)});
      }
      fields.push_back(std::move(compiled));
    }
    // Profiles are merged independently (each writes its own slot of every field), so in ranges on all threads.
    ParallelFor(profiles, 16384, [&](size_t begin, size_t end) { MergeFields(fields, begin, end, &result); });
    for (const MergeGroup& group : config_.merge.groups) {
      ParallelFor(profiles, 16384, [&](size_t begin, size_t end) { MergeGroupFields(group, begin, end, &result); });
    }
    return result;
  }

 private:
  struct Origin {
    int32_t source;
    int column;   // -1: the primary key
    int recency;  // -1: none
  };
  struct Field {
    size_t index;
    MergePolicy policy;
    std::vector<Origin> origins;
  };

  // The ungrouped fields of profiles [begin, end).
  void MergeFields(const std::vector<Field>& fields, size_t begin, size_t end, MergeResult* result) const {
    std::vector<std::vector<uint32_t>> groups(tables_.size());  // per source: the profile's dedup groups
    std::vector<Candidate> candidates;
    for (size_t p = begin; p < end; ++p) {
      for (auto& g : groups) g.clear();
      for (const Attachment& a : match_.profiles[p].groups) groups[a.group.source].push_back(a.group.group);
      for (const Field& field : fields) {
        candidates.clear();
        for (const Origin& o : field.origins) {
          const ProfileTable& table = *tables_[o.source];
          const DedupResult& dedup = dedups_[o.source];
          for (uint32_t g : groups[o.source]) {
            // The group's value of the column: from its winner, or from the row the column's own winner picked.
            const uint32_t row = o.column >= 0 ? dedup.ValueRow(o.column, g) : dedup.winner[g];
            const TextView value = o.column >= 0 ? table.Value(o.column, row) : TextView(table.Key(row));
            if (!value) continue;
            candidates.push_back({*value, o.recency >= 0 ? table.Value(o.recency, row) : TextView(), {o.source, row}});
            if (field.policy == MergePolicy::kImportance) break;  // the first value wins
          }
          if (field.policy == MergePolicy::kImportance && !candidates.empty()) break;
        }
        const Candidate* chosen = Choose(candidates, field.policy);
        if (chosen) {
          result->values[field.index][p] = chosen->value;
          result->origins[field.index][p] = chosen->origin;
        }
      }
    }
  }

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

  static const Candidate* Choose(const std::vector<Candidate>& candidates, MergePolicy policy) {
    const Candidate* best = nullptr;
    for (const Candidate& c : candidates) {
      if (!best) {
        best = &c;
        if (policy == MergePolicy::kImportance) return best;
        continue;
      }
      const bool has = c.recency.has_value();
      const bool best_has = best->recency.has_value();
      if (has && !best_has) {
        best = &c;
      } else if (has && best_has) {
        int order = CompareRecency(*c.recency, *best->recency);
        if ((policy == MergePolicy::kMostRecent && order > 0) || (policy == MergePolicy::kLeastRecent && order < 0)) {
          best = &c;
        }
      }
    }
    return best;
  }

  // The fields of `group` for profiles [begin, end).
  void MergeGroupFields(const MergeGroup& group, size_t begin, size_t end, MergeResult* result) const {
    std::vector<size_t> field_index;
    for (const std::string& name : group.fields) {
      for (size_t f = 0; f < result->fields.size(); ++f) {
        if (result->fields[f].name == name && result->fields[f].group == group.name) field_index.push_back(f);
      }
    }
    if (field_index.size() != group.fields.size()) return;
    // Column indices per group source, looked up once.
    struct Compiled {
      int32_t source;
      int recency;
      std::vector<int> columns;                 // per gs.columns entry
      std::vector<std::vector<int>> of_field;   // per group field: the columns giving it
    };
    std::vector<Compiled> compiled(group.sources.size());
    for (size_t s = 0; s < group.sources.size(); ++s) {
      const GroupSource& gs = group.sources[s];
      auto rank = rank_.find(gs.source.name);
      compiled[s].source = rank == rank_.end() ? -1 : rank->second;
      if (compiled[s].source < 0) continue;
      const ProfileTable& table = *tables_[compiled[s].source];
      // The entry's own recency column, else merge.recency's for the source (as for single fields).
      const std::string recency = gs.recency.empty() ? RecencyColumn(gs.source.name, nullptr) : gs.recency.name;
      compiled[s].recency = recency.empty() ? -1 : table.ColumnIndex(recency);
      compiled[s].of_field.resize(group.fields.size());
      for (const auto& [field, column] : gs.columns) {
        const int c = table.ColumnIndex(column.name);
        compiled[s].columns.push_back(c);
        for (size_t k = 0; k < group.fields.size(); ++k) {
          if (field == group.fields[k] && c >= 0) compiled[s].of_field[k].push_back(c);
        }
      }
    }
    struct Row {
      int32_t source;
      uint32_t record;
      const Compiled* config;
      TextView recency;
    };
    std::vector<Row> rows;
    for (size_t p = begin; p < end; ++p) {
      // One candidate per source row that has any of the group's fields; the chosen row gives all of them.
      rows.clear();
      for (const Compiled& gs : compiled) {
        if (gs.source < 0) continue;
        const ProfileTable& table = *tables_[gs.source];
        for (const Attachment& a : match_.profiles[p].groups) {
          if (static_cast<int32_t>(a.group.source) != gs.source) continue;
          const uint32_t record = dedups_[gs.source].winner[a.group.group];
          bool any = false;
          for (int c : gs.columns) any = any || (c >= 0 && !table.values[c].IsNull(record));
          if (!any) continue;
          rows.push_back({gs.source, record, &gs, gs.recency >= 0 ? table.Value(gs.recency, record) : TextView()});
        }
      }
      if (rows.empty()) continue;
      const Row* chosen = &rows[0];
      if (group.policy != MergePolicy::kImportance) {
        for (const Row& row : rows) {
          if (!row.recency) continue;
          if (!chosen->recency) {
            chosen = &row;
            continue;
          }
          int order = CompareRecency(*row.recency, *chosen->recency);
          if ((group.policy == MergePolicy::kMostRecent && order > 0) ||
              (group.policy == MergePolicy::kLeastRecent && order < 0)) {
            chosen = &row;
          }
        }
      }
      const ProfileTable& table = *tables_[chosen->source];
      for (size_t k = 0; k < group.fields.size(); ++k) {
        for (int c : chosen->config->of_field[k]) {
          result->values[field_index[k]][p] = table.Value(c, chosen->record);
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
};

}  // namespace

MergeResult MergeProfiles(const UnifyConfig& config, const std::vector<const ProfileTable*>& tables,
                          const std::vector<DedupResult>& dedups, const MatchResult& match) {
  return Merger(config, tables, dedups, match).Run();
}

}  // namespace cdmlake::unify
