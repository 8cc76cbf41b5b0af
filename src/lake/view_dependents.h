// Views bind their column types when they are created, and DuckDB refuses to read a view whose sources' types
// changed since ("Contents of view were altered"). When an entity's view changes its column types (the SQL
// endpoint's table cache stores wide decimals narrower), the views built on it are created again from their own
// SQL: the entity's unqualified alias in main, and every other view whose SQL names the entity or a view created
// again, in dependency order (views may read views). Run it in the transaction that changed the entity's view,
// so other connections never see a view whose dependents are not yet created again.
// Not thread-safe: use a connection no other thread uses.
#pragma once

#include <string>
#include <vector>

#include "engine/database.h"
#include "lake/session.h"

namespace cdmlake::lake {

// The column types of a view or table of the default database ("" for a relation that does not exist).
std::string ColumnTypes(engine::Connection& connection, const std::string& schema, const std::string& name);

// Creates the views that read `entity` again. Throws Error(kData) naming the first view that cannot be (its SQL
// does not fit the new types); the caller then rolls the change back.
void RebindDependentViews(engine::Connection& connection, const LakeSession& session, const cdm::Entity& entity);

}  // namespace cdmlake::lake
