// The lake tables a unification configuration reads (`table:` of sources and activities), checked against the
// lake's catalog before anything runs, so that a misspelt or missing table is a configuration error with its
// file and line (docs/unify.md "Sources") rather than a failed read halfway through a run.
#pragma once

#include <vector>

#include "lake/catalog.h"
#include "unify/config.h"
#include "unify/config_validate.h"

namespace cdmlake::unify {

// For every source and activity that names a lake table:
// - a schema-qualified name ("Customers.contact", as `cdmlake sql` shows it) is replaced by the table's
//   unqualified name when that name stands for it (Catalog::IsUnqualifiedName), which is the name the readers
//   use; a qualified name whose table shares its name with another table of the lake is an error;
// - an unknown name is an error naming the closest table of the lake, and a name that several tables share
//   (in different manifests) is an error listing their qualified names;
// - the columns of a found table are added to `columns`, for ValidateUnifyConfig.
// Returns the problems (errors only); the configuration is changed only where a name was resolved.
std::vector<ConfigProblem> ResolveLakeTables(UnifyConfig* config, const lake::Catalog& catalog, SourceColumns* columns);

}  // namespace cdmlake::unify
