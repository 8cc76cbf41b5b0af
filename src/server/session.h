// One client connection of the SQL endpoint, from the startup packet to Terminate: protocol negotiation (SSL and
// GSSENC requests, protocol 3.0, CancelRequest), SCRAM-SHA-256 authentication, ParameterStatus and BackendKeyData,
// then the simple and extended query protocols over one DuckDB connection of the shared database.
//
// The lake is read-only here: transactions only track the status clients expect ('I', 'T', 'E'), savepoints are
// names on a stack, and the server answers SET/SHOW itself (session_settings.h). Errors inside a statement end
// that statement (simple query) or skip messages until Sync (extended query); protocol violations and failed
// authentication end the connection with a FATAL error; neither disturbs other sessions.
//
// A Session runs on one thread (Run); Cancel and RequestShutdown may be called from others.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/database.h"
#include "server/pg_error.h"
#include "server/query.h"
#include "server/scram.h"
#include "server/session_registry.h"
#include "server/session_settings.h"
#include "server/stream.h"
#include "server/wire.h"

namespace cdmlake::server {

// What the sessions of one server share. Everything here outlives the sessions.
struct SessionContext {
  engine::Database* database = nullptr;
  SessionRegistry* registry = nullptr;
  // The one database clients may name in the startup packet.
  std::string database_name = "lake";
  // Looks up a user's SCRAM verifier; unset means trust (no password asked: loopback without a users file).
  std::function<const ScramVerifier*(const std::string& user)> find_verifier;
  // Runs the TLS handshake on the client's socket after the 'S' answer to SSLRequest and returns the encrypted
  // stream; unset means no TLS ('N').
  std::function<std::unique_ptr<Stream>(int socket_fd)> start_tls;
  QueryRewriter rewrite;
  // Runs on each new DuckDB connection before the session uses it (search path, emulation macros).
  std::function<void(duckdb_connection)> prepare_connection;
  size_t max_message = 64 * 1024 * 1024;
  int64_t default_statement_timeout_ms = 0;
};

class Session : public Cancellable {
 public:
  // `stream` is the client's connection; `socket_fd` (or -1) lets RequestShutdown wake a blocked read.
  Session(const SessionContext& context, std::unique_ptr<Stream> stream, int socket_fd = -1);
  ~Session() override;

  // Serves the client until it terminates or the connection fails. Never throws.
  void Run();

  void Cancel(bool timeout) override;
  void RequestShutdown(bool force) override;

 private:
  enum class TxStatus : char { kIdle = 'I', kInBlock = 'T', kFailed = 'E' };

  // Startup phase; returns false when the connection should end (error already sent).
  bool Startup();
  bool Authenticate(const std::string& user);
  void SendParameterStatus(const std::string& name, const std::string& value);
  void SendError(const PgError& error);
  void SendNotice(const std::string& sqlstate, const std::string& message, const char* severity = "WARNING");
  void SendReadyForQuery();

  // Message handlers of the query phase.
  void SimpleQuery(std::string_view sql);
  void Parse(MessageCursor& m);
  void Bind(MessageCursor& m);
  void Describe(MessageCursor& m);
  void Execute(MessageCursor& m);
  void Close(MessageCursor& m);
  void Sync();

  // Runs one statement of a simple query (all rows, text format).
  void RunStatement(std::string_view statement);
  // A session command; sends its rows (SHOW and FETCH, with a RowDescription first when describe is set) and
  // CommandComplete. `formats`: the result formats Bind gave (extended protocol), nullptr in a simple query.
  void RunCommand(const SessionCommand& command, bool describe, const std::vector<int16_t>* formats = nullptr);
  // DECLARE: opens the cursor as a portal named after it, with the DECLARE's parameter values.
  void DeclareCursor(const std::shared_ptr<PreparedQuery>& query, std::vector<duckdb_value> parameters);
  // FETCH and MOVE.
  void FetchCursor(const SessionCommand& command, bool describe, const std::vector<int16_t>* formats);
  // The portal FETCH, MOVE or CLOSE names; throws 34000 when there is none.
  Portal& FindCursor(const std::string& name);
  // Throws 25P02 when the transaction has failed and the statement does not end it.
  void CheckNotAborted(const PreparedQuery& query) const;
  void DescribeCommand(const SessionCommand& command, const std::vector<int16_t>& formats);
  // Executes a portal, sending DataRows and CommandComplete or PortalSuspended.
  void ExecutePortal(Portal& portal, int64_t max_rows);
  // Executes a COPY … TO STDOUT portal: CopyOutResponse, CopyData, CopyDone, CommandComplete.
  void ExecuteCopy(Portal& portal);
  // RowDescription of a query's columns in the given result formats.
  void DescribeRows(const PreparedQuery& query, const std::vector<int16_t>& formats);
  // Runs DuckDB work under the statement bracket (cancel, timeout); maps an interrupt to its reason.
  void Guarded(const std::function<void()>& work);
  // Frees the DuckDB connection from a suspended portal's open result before another statement runs.
  void FreeConnection(Portal* except);
  // Ends the implicit or explicit transaction: drops portals (but holdable cursors, which survive a commit and
  // a rollback of a later transaction), clears savepoints.
  void EndTransaction(bool commit);
  // The statement timeout bracket around DuckDB work.
  void BeginStatement();
  void EndStatement();
  PgError Canceled(const PgError& error) const;

  const SessionContext& context_;
  std::unique_ptr<Stream> stream_;
  std::unique_ptr<Stream> plain_;  // the socket under TLS, kept alive while stream_ wraps it
  int socket_fd_;
  MessageReader reader_;
  MessageWriter writer_;
  std::unique_ptr<engine::Connection> connection_;
  std::unique_ptr<SessionSettings> settings_;
  std::string user_;
  int32_t pid_ = 0;
  int32_t secret_ = 0;
  bool registered_ = false;

  TxStatus tx_ = TxStatus::kIdle;
  std::vector<std::string> savepoints_;
  bool skip_until_sync_ = false;
  std::map<std::string, std::shared_ptr<PreparedQuery>> statements_;  // "" = unnamed
  std::map<std::string, std::unique_ptr<Portal>> portals_;

  std::mutex cancel_mutex_;
  bool running_ = false;        // a DuckDB statement runs (cancel applies)
  bool canceled_ = false;       // the running statement was canceled…
  bool timed_out_ = false;      // …by the statement timeout
  std::atomic<bool> shutdown_{false};
  std::atomic<bool> idle_{false};
};

}  // namespace cdmlake::server
