// Statements the server answers itself instead of passing them to DuckDB: transaction control (the lake is
// read-only, so transactions only track the status PostgreSQL clients expect), SAVEPOINT/RELEASE, SET/RESET/SHOW
// of session settings (DuckDB does not know PostgreSQL's GUCs, and its configuration is locked), DEALLOCATE and
// DISCARD, LISTEN/UNLISTEN. Pure parsing; thread-safe.
#pragma once

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
  } kind;
  std::string name;   // setting, savepoint or statement name ("all" for ALL); case kept for statement names
  std::string value;  // SET: the value as PostgreSQL would store it ("DEFAULT" resets)
  std::string tag;    // the CommandComplete tag ("BEGIN", "SET", "SAVEPOINT", …)
};

// The session command a statement is, or nullopt when DuckDB should run it.
std::optional<SessionCommand> ParseSessionCommand(std::string_view statement);

}  // namespace cdmlake::server
