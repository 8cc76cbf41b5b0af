// Statements the server answers itself instead of passing them to DuckDB: transaction control (the lake is
// read-only, so transactions only track the status PostgreSQL clients expect), SAVEPOINT/RELEASE, SET/RESET/SHOW
// of session settings (DuckDB does not know PostgreSQL's GUCs, and its configuration is locked), DEALLOCATE and
// DISCARD, LISTEN/UNLISTEN, and the cursor statements (DECLARE, FETCH, MOVE, CLOSE: cursors are portals kept in the
// session). Pure parsing; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cdmlake::server {

struct SessionCommand {
  enum Kind {
    kBegin,       // BEGIN, START TRANSACTION
    kCommit,      // COMMIT, END
    kRollback,    // ROLLBACK, ABORT
    kSavepoint,   // SAVEPOINT name
    kRelease,     // RELEASE [SAVEPOINT] name
    kRollbackTo,  // ROLLBACK [WORK|TRANSACTION] TO [SAVEPOINT] name
    kSet,         // SET [SESSION|LOCAL] name {TO|=} value, SET TIME ZONE value
    kSetIgnored,  // SET TRANSACTION …, SET SESSION CHARACTERISTICS …: accepted, nothing to change
    kReset,       // RESET name | ALL
    kShow,        // SHOW name | ALL
    kDeallocate,  // DEALLOCATE [PREPARE] name | ALL
    kDiscard,     // DISCARD ALL | PLANS | …
    kListen,      // LISTEN / UNLISTEN / NOTIFY: no notifications in a read-only lake
    kFetch,       // FETCH [direction] [FROM|IN] cursor
    kMove,        // MOVE [direction] [FROM|IN] cursor
    kClose,       // CLOSE cursor | ALL
  } kind;
  std::string name;   // setting, savepoint, statement or cursor name ("all" for ALL); case kept for statement names
  std::string value;  // SET: the value as PostgreSQL would store it ("DEFAULT" resets)
  std::string tag;    // the CommandComplete tag ("BEGIN", "SET", "SAVEPOINT", …)
  // FETCH/MOVE: how many rows (NEXT = 1; `all` for ALL). Cursors only scan forward: `backward` marks the
  // directions that go back or jump (PRIOR, FIRST, LAST, ABSOLUTE, RELATIVE, BACKWARD, a count of 0 or less).
  int64_t count = 1;
  bool all = false;
  bool backward = false;
};

// The session command a statement is, or nullopt when DuckDB should run it. Throws PgError 42601 for a FETCH or
// MOVE whose direction or cursor name is missing.
std::optional<SessionCommand> ParseSessionCommand(std::string_view statement);

// DECLARE name [BINARY] [ASENSITIVE|INSENSITIVE] [[NO] SCROLL] CURSOR [WITH HOLD|WITHOUT HOLD] FOR query: a
// cursor is a named portal of the session over the query (which DuckDB prepares like any other).
struct CursorDeclaration {
  std::string name;
  bool binary = false;  // rows in binary format (simple query protocol)
  bool hold = false;    // WITH HOLD: outlives the transaction that made it
  bool scroll = false;  // SCROLL: accepted, but only forward fetches are supported
  std::string_view query;  // a view into the statement
};

// The declaration a statement is, or nullopt when it does not start with DECLARE. Throws PgError 42601 when it
// does but is malformed.
std::optional<CursorDeclaration> ParseDeclareCursor(std::string_view statement);

}  // namespace cdmlake::server
