// `--compat esyn`: the exact statements Microsoft's ESYN (EntityStoreToSynapse, tools 2.9) executes on Synapse
// for one imported measurement, in ESYN's order, with its names, column order and defects
// (../shared/specs/entity-store.md §3 and the quirk list in §8).
//
// This is a parity mode, not the way cdmlake builds star schemas: its output reproduces ESYN's bugs on purpose
// (FK columns only for per-company tables, fact and dimension `_FK` values that never match, constant `1`
// measures, measures dropped when a view field has the same name, the textual `_VALUE` enum rename that also
// hits the ends of longer names, `ORDER BY )` for a key attribute without key fields, `[dbo].` removed
// case-sensitively). Users compare it with what ESYN created, or run it where ESYN ran; the fixed behaviour
// lives in the star-schema builder.
//
// Identifiers are NOT quoted: ESYN concatenates metadata names into the text, and the text is the contract.
//
// Pure function over an immutable package; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "entitystore/metadata.h"

namespace cdmlake::entitystore {

struct EsynStatement {
  enum class Kind { kD365View, kDimensionView, kFactView };
  Kind kind = Kind::kFactView;
  std::string name;           // the view name, e.g. "SalesAnalysis_Customer" or a D365 view "CUSTTABLEVIEW"
  std::string sql;            // exactly ESYN's text, e.g. "CREATE OR ALTER VIEW SalesAnalysis_Customer AS SELECT ..."
  std::string measure_group;  // fact views: their group; dimension views: the group that first created them
};

struct EsynDdl {
  std::vector<EsynStatement> statements;  // in execution order (§3.1 D365 views, then §3.2 per measure group)
  std::vector<std::string> warnings;      // what ESYN logs or silently skips, e.g. a fact table without view file
};

// Builds ESYN's statements for `package`: the D365 views of package.view_definitions (EMEX's rewrites applied
// when the definitions are raw, then `[dbo].` removed, later rows of an already emitted view name skipped), then
// for each measure group in order its dimension views (each `<M>_<d.Name>` once per run) and its fact view.
// Nothing is executed. Throws cdmlake::Error(kData) where ESYN throws: "Cannot find dimension metadata file" when
// a dimension reference needs a dimension that the package does not hold (EMEX's dedupe-by-table quirk, §2.2).
EsynDdl BuildEsynDdl(const MetadataPackage& package);

// The text of one D365 view statement as ESYN executes it (§3.1 step 1, after EMEX's §2.3 rewrites): case-
// insensitive `CREATE VIEW` -> `CREATE OR ALTER VIEW` and `GetValid{From,To}InContextInfo` -> `GETUTCDATE`
// (no-ops on EMEX output, which already has them), then every exact `[dbo].` removed.
std::string EsynD365ViewSql(const std::string& definition);

}  // namespace cdmlake::entitystore
