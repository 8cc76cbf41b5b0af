// The unification configuration (docs/unify.md): what a user writes in unify.yaml, as plain structs.
//
// config_loader.h reads it from YAML (syntax, types, single values); config_validate.h checks it against the
// columns of the sources (cross references). Every value that a check may reject keeps the position of its YAML
// node (ConfigMark), so a problem names file:line:column and the key path. Relative paths are already resolved
// (against base_dir) when a UnifyConfig leaves the loader. Plain values; thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "unify/normalization_kind.h"
#include "unify/precision.h"

namespace cdmlake::unify {

// Where a value was written: file, 1-based line and column (0 when unknown: a default value), and its key path
// ("match.rules.Customer-Loyalty[0].conditions[1].left").
struct ConfigMark {
  std::string file;
  int line = 0;
  int column = 0;
  std::string path;

  // "file:line:column" (leaving out what is unknown).
  std::string ToString() const;
};

// A name written in the configuration that refers to something else (a source, a column, a list); empty when
// not given.
struct NameRef {
  std::string name;
  ConfigMark mark;

  bool empty() const { return name.empty(); }
};

// ---- map ----------------------------------------------------------------------------------------------------

// A mapped column of a source: only mapped columns (and the primary key) take part in rules and merge.
struct ColumnMapping {
  std::string name;
  // CDM-style semantic type: "Person.FirstName", "Identity.Service.Email", ... or a custom one; "" = untyped.
  std::string semantic_type;
  // How text values are read: "" (as they are), a DuckDB strptime pattern ("%m/%d/%Y": a date or timestamp
  // column) or "number" (a decimal number). Dates in different formats compare equal once parsed.
  std::string format;
  ConfigMark mark;
};

// A profile table: a lake catalog table or a CSV file with a header row.
struct Source {
  std::string name;
  std::string table;     // lake catalog table name, or
  ConfigMark table_mark;
  std::string csv_path;  // resolved path of a CSV file (exactly one of table and csv_path is set)
  NameRef primary_key;
  std::vector<ColumnMapping> columns;
  std::string default_phone_region;  // ISO 3166-1 alpha-2 ("US") for Type-Phone values without a country code
  bool include_all = false;          // unmatched records become profiles of their own (spec §1.6)
  ConfigMark mark;

  const ColumnMapping* FindColumn(std::string_view column) const;
};

// ---- rules ----------------------------------------------------------------------------------------------------

enum class ConditionWhen {
  kSame,       // holds when the values match at the precision (rule conditions)
  kDifferent,  // holds when both values are present and do not match (exceptions only)
};

// Compares a column of one record with a column of another after normalization.
struct Condition {
  NameRef left;                          // match: column of the rule's target (higher-ranked) source; dedup: the column
  NameRef right;                         // match: column of the rule's own source; dedup: the same column as left
  std::vector<Normalization> normalize;  // applied in the fixed order of normalization_kind.h
  Precision precision;                   // exact by default; below 100% the condition is fuzzy
  ConfigMark precision_mark;
  std::vector<NameRef> aliases;  // names of alias lists (UnifyConfig::aliases) applied to this condition
  std::vector<NameRef> bypass;   // names of bypass lists (UnifyConfig::bypass) applied to this condition
  ConditionWhen when = ConditionWhen::kSame;
  ConfigMark mark;

  bool fuzzy() const { return !precision.exact(); }
};

// Vetoes a pair found by its rule when all its conditions hold.
struct RuleException {
  std::string name;
  std::vector<Condition> conditions;
  ConfigMark mark;
};

// An AND of conditions; exceptions veto pairs afterwards.
struct Rule {
  std::string name;  // "" when not given; outputs then say "Rule <n>"
  NameRef target;    // match rules only: the higher-ranked source; defaults to the primary source
  std::vector<Condition> conditions;
  std::vector<RuleException> exceptions;
  ConfigMark mark;
};

// ---- dedup ----------------------------------------------------------------------------------------------------

enum class WinnerPolicy { kMostFilled, kMostRecent, kLeastRecent };

// How the winner row of a dedup group (or one column of it) is chosen; ties go to the largest primary key.
struct Winner {
  WinnerPolicy policy = WinnerPolicy::kMostFilled;
  NameRef recency;  // the date or number column, for most-recent and least-recent
  ConfigMark mark;
};

// "Advanced" dedup merge: one column's value taken from the row chosen by its own policy.
struct ColumnWinner {
  NameRef column;
  Winner winner;
};

struct Dedup {
  NameRef source;
  std::vector<Rule> rules;  // no rules: dedup on exact equality of the source's match-rule columns (spec §1.5)
  Winner winner;
  std::vector<ColumnWinner> column_winners;
  ConfigMark mark;
};

// ---- match ----------------------------------------------------------------------------------------------------

// The ordered rules that attach records of `source` to higher-ranked sources; rule 2 is tried only for records
// that rule 1 did not match.
struct SourceRules {
  NameRef source;
  std::vector<Rule> rules;
};

struct Match {
  std::vector<NameRef> order;  // first = primary
  std::vector<SourceRules> rules;
  ConfigMark mark;
};

// ---- custom matches, aliases, bypass ----------------------------------------------------------------------------

// A pair of records that always (or never) match; source1 == source2 for a dedup pair. The mark is the YAML
// node, or the line of the CSV file it came from.
struct CustomPair {
  NameRef source1;
  std::string key1;
  NameRef source2;
  std::string key2;
  ConfigMark mark;
};

// Values that always count as an exact match (Bob ~ Robert, MSFT ~ Microsoft); pairs are joined into groups.
struct AliasList {
  std::string name;
  std::vector<std::pair<std::string, std::string>> pairs;
  ConfigMark mark;
};

// Values that never match (dummy phones, test e-mails): they count as empty.
struct BypassList {
  std::string name;
  std::vector<std::string> values;
  ConfigMark mark;
};

// ---- merge ----------------------------------------------------------------------------------------------------

enum class MergePolicy { kImportance, kMostRecent, kLeastRecent };

struct FieldSource {
  NameRef source;
  NameRef column;
  NameRef recency;  // overrides Merge::recency for this source; "" = the default
};

// One unified column, its ranked sources and its survivorship policy.
struct MergeField {
  std::string name;
  MergePolicy policy = MergePolicy::kImportance;
  std::vector<FieldSource> sources;  // in order of importance
  ConfigMark mark;
};

struct GroupSource {
  NameRef source;
  std::vector<std::pair<std::string, NameRef>> columns;  // unified field -> column; a field may be missing
  NameRef recency;
  ConfigMark mark;
};

// Fields chosen as a unit from one source (an address, the parts of a name).
struct MergeGroup {
  std::string name;
  MergePolicy policy = MergePolicy::kImportance;
  std::vector<std::string> fields;
  std::vector<GroupSource> sources;  // in order of importance
  ConfigMark mark;
};

struct SourceColumnRef {
  NameRef source;
  NameRef column;
};

struct Merge {
  std::vector<MergeField> fields;
  std::vector<MergeGroup> groups;
  // Mapped columns not named in fields or groups are combined by semantic type (or equal name when untyped).
  bool auto_combine = true;
  std::vector<SourceColumnRef> exclude;  // mapped columns kept out of Customer
  std::vector<SourceColumnRef> recency;  // the default recency column per source
  ConfigMark mark;
};

// ---- activities, output, limits, resources ---------------------------------------------------------------------

struct Activity {
  std::string name;
  std::string table;     // lake catalog table name, or
  ConfigMark table_mark;
  std::string csv_path;  // resolved CSV path
  NameRef key;           // the activity's primary key
  NameRef link_source;   // the profile source whose primary key link_column holds
  NameRef link_column;   // a column of the activity
  NameRef timestamp;
  std::string timestamp_format;  // strptime pattern; "" when the column is already a date or timestamp
  ConfigMark timestamp_format_mark;
  std::string type;  // SalesOrder, SalesOrderLine, Subscription, Loyalty, Feedback, Other or custom
  NameRef title;
  NameRef description;
  NameRef amount;
  NameRef url;
  ConfigMark mark;
};

struct Output {
  std::string folder = "Unified";  // lake-relative CDM folder of Customer, AlternateKey, ... UnifiedActivity
  ConfigMark mark;
};

// Blocking guards (blocking.h BlockingOptions; the defaults are the same).
struct Limits {
  int64_t block_size_cap = 1000;  // a block with more records is not expanded, but reported
  double skew_share = 0.10;       // a value held by more than this share of the records is skewed: reported...
  int64_t skew_min_rows = 100;    // ... when more than this many records hold it ...
  bool skip_skewed = true;        // ... and not expanded
  ConfigMark mark;
};

struct Resources {
  std::string nicknames;  // resolved path of the nickname CSV for Type-Name; "" = none
  ConfigMark nicknames_mark;
};

inline constexpr int kMaxStableIdFields = 5;
inline constexpr int kMaxGroupFields = 10;
inline constexpr int kMaxGroupSources = 15;

struct UnifyConfig {
  std::string file;      // the YAML file as given to the loader
  std::string base_dir;  // absolute; relative paths of the file were resolved against it
  std::vector<Source> sources;
  std::vector<Dedup> dedup;
  Match match;
  std::vector<CustomPair> always_match;
  std::vector<CustomPair> never_match;
  std::vector<AliasList> aliases;
  std::vector<BypassList> bypass;
  Merge merge;
  std::vector<NameRef> stable_id;  // unified field names, at most kMaxStableIdFields
  ConfigMark stable_id_mark;
  std::vector<Activity> activities;
  Output output;
  Limits limits;
  Resources resources;

  const Source* FindSource(std::string_view name) const;
  // Rank in match.order (0 = primary), or -1.
  int Rank(std::string_view source) const;
};

// ---- problems ---------------------------------------------------------------------------------------------------

enum class ProblemSeverity { kError, kWarning };

// Something wrong (or doubtful) in a configuration, where it is written and what to do about it.
struct ConfigProblem {
  ProblemSeverity severity = ProblemSeverity::kError;
  ConfigMark mark;
  std::string message;
  std::string hint;

  // "file:line:column: key.path: message" plus "\n  hint: ..."; with_severity puts "warning: " before a
  // warning's message (for lists that mix errors and warnings; a printer that says "warning" already does not).
  std::string ToString(bool with_severity = true) const;
};

// Throws one Error(kUser) whose message lists every problem (errors first, then warnings) when at least one is
// an error; does nothing otherwise. `file` names the configuration in the error's location.
void ThrowIfErrors(const std::vector<ConfigProblem>& problems, const std::string& file);

// ---- helpers shared by loader and validator ---------------------------------------------------------------------

// The semantic types cdmlake knows (spec §1.2); names with their prefixes (Person., Identity., Location.) are
// reserved, any other name is a custom type.
const std::vector<std::string>& KnownSemanticTypes();
bool IsReservedSemanticType(std::string_view type);
std::string_view WinnerPolicyName(WinnerPolicy policy);
std::string_view MergePolicyName(MergePolicy policy);
// 'name', as messages about the configuration quote what it says.
std::string Quote(std::string_view name);
// The candidate closest to `name` (case-insensitive edit distance), or "" when none is close enough to be a typo.
std::string ClosestName(std::string_view name, const std::vector<std::string>& candidates);

// A field of the unified Customer table with its ranked (source, column) origins.
struct UnifiedField {
  std::string name;
  std::string group;  // the merge group, "" for a single field
  std::vector<std::pair<std::string, std::string>> origins;
};

// The unified fields: merge.fields, then the fields of merge.groups, then (with auto_combine) the other mapped
// columns, combined across sources by semantic type (untyped ones by equal name, case-insensitive), ranked by
// match order, named after the highest-ranked column. Primary keys and excluded columns are left out (primary
// keys appear in Customer as <Source>_<PK>). A name already taken gets "_<Source>" appended.
std::vector<UnifiedField> UnifiedFields(const UnifyConfig& config);

}  // namespace cdmlake::unify
