// Turns errors from below the session into what a PostgreSQL client expects: a SQLSTATE from DuckDB's error type
// (and, where the type is too coarse, from the message), and a message without DuckDB's "Binder Error: " prefix.
// Clients and BI tools branch on the SQLSTATE class (42P01 undefined table, 57014 canceled, 22xxx data), so the
// mapping follows PostgreSQL's meaning, not DuckDB's layer. Pure functions; thread-safe.
#pragma once

#include "engine/database.h"
#include "server/pg_error.h"
#include "util/error.h"

namespace cdmlake::server {

PgError ToPgError(const engine::EngineError& error);
PgError ToPgError(const Error& error);

}  // namespace cdmlake::server
