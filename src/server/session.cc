#include "server/session.h"

#include <sys/socket.h>

#include <algorithm>
#include <cctype>

#include "server/pg_error.h"
#include "server/sql_text.h"
#include "server/sqlstate.h"

namespace cdmlake::server {

namespace {

constexpr int32_t kSslRequest = 80877103;
constexpr int32_t kGssEncRequest = 80877104;
constexpr int32_t kCancelRequest = 80877102;

PgError Fatal(const std::string& state, const std::string& message) {
  return PgError(state, message, Severity::kFatal);
}

bool EndsTransaction(const PreparedQuery& q) {
  if (q.kind() != PreparedQuery::kCommand) return false;
  SessionCommand::Kind k = q.command().kind;
  return k == SessionCommand::kCommit || k == SessionCommand::kRollback || k == SessionCommand::kRollbackTo;
}

// Whether a statement needs the DuckDB connection. Session commands do not: a FETCH must not read the rest of
// its own cursor into memory first (FreeConnection), as a statement that runs in DuckDB has to.
bool RunsInDuckDb(std::string_view sql) {
  std::vector<std::string_view> statements = SplitStatements(sql);
  if (statements.size() != 1) return true;
  try {
    return !ParseSessionCommand(statements[0]);
  } catch (const PgError&) {
    return true;  // reported when the statement is prepared
  }
}

// "-c name=value" and "--name=value" pairs of the startup packet's options parameter.
std::vector<std::pair<std::string, std::string>> ParseOptions(std::string_view options) {
  std::vector<std::pair<std::string, std::string>> out;
  std::vector<std::string> words;
  std::string word;
  bool escape = false;
  for (char c : options) {
    if (escape) {
      word.push_back(c);
      escape = false;
    } else if (c == '\\') {
      escape = true;
    } else if (c == ' ' || c == '\t') {
      if (!word.empty()) words.push_back(std::move(word)), word.clear();
    } else {
      word.push_back(c);
    }
  }
  if (!word.empty()) words.push_back(word);
  for (size_t i = 0; i < words.size(); ++i) {
    std::string pair;
    if (words[i] == "-c" && i + 1 < words.size()) pair = words[++i];
    else if (words[i].rfind("-c", 0) == 0) pair = words[i].substr(2);
    else if (words[i].rfind("--", 0) == 0) pair = words[i].substr(2);
    size_t eq = pair.find('=');
    if (eq == std::string::npos) continue;
    std::string name = pair.substr(0, eq);
    std::replace(name.begin(), name.end(), '-', '_');
    out.emplace_back(name, pair.substr(eq + 1));
  }
  return out;
}

}  // namespace

Session::Session(const SessionContext& context, std::unique_ptr<Stream> stream, int socket_fd)
    : context_(context),
      stream_(std::move(stream)),
      socket_fd_(socket_fd),
      reader_(stream_.get(), context.max_message),
      writer_(stream_.get()) {}

Session::~Session() {
  portals_.clear();
  statements_.clear();
  connection_.reset();
  if (registered_) context_.registry->Unregister(pid_);
}

// ---- startup and authentication ----

bool Session::Startup() {
  std::string_view body;
  std::map<std::string, std::string> params;
  while (true) {
    if (!reader_.ReadStartup(&body)) return false;
    MessageCursor m(body, 0);
    int32_t code = m.Int32();
    if (code == kSslRequest) {
      if (context_.start_tls && socket_fd_ >= 0 && !stream_->encrypted()) {
        writer_.Raw("S");
        writer_.Flush();
        if (reader_.HasBuffered()) {
          throw Fatal(sqlstate::kProtocolViolation, "received unencrypted data after SSL request");
        }
        std::unique_ptr<Stream> tls = context_.start_tls(socket_fd_);
        plain_ = std::move(stream_);
        stream_ = std::move(tls);
        reader_.set_stream(stream_.get());
        writer_.set_stream(stream_.get());
      } else {
        writer_.Raw("N");
        writer_.Flush();
      }
      continue;
    }
    if (code == kGssEncRequest) {
      writer_.Raw("N");
      writer_.Flush();
      continue;
    }
    if (code == kCancelRequest) {
      int32_t pid = m.Int32();
      int32_t secret = m.Int32();
      context_.registry->Cancel(pid, secret);
      return false;
    }
    int major = static_cast<int>(static_cast<uint32_t>(code) >> 16);
    int minor = code & 0xffff;
    if (major != 3) {
      throw Fatal(sqlstate::kFeatureNotSupported, "unsupported frontend protocol " + std::to_string(major) + "." +
                  std::to_string(minor) + ": server supports 3.0 to 3.0");
    }
    std::vector<std::string> unknown_options;
    while (true) {
      std::string name(m.CString());
      if (name.empty()) break;
      std::string value(m.CString());
      if (name.rfind("_pq_.", 0) == 0) {
        unknown_options.push_back(name);
        continue;
      }
      params[name] = value;
    }
    if (minor > 0 || !unknown_options.empty()) {
      // Newer clients (protocol 3.2, _pq_ extensions) accept 3.0 when told so.
      writer_.Begin('v').Int32(0).Int32(static_cast<int32_t>(unknown_options.size()));
      for (const std::string& o : unknown_options) writer_.CString(o);
      writer_.End();
    }
    break;
  }

  user_ = params["user"];
  if (user_.empty()) throw Fatal(sqlstate::kInvalidAuthorization, "no PostgreSQL user name specified in startup packet");
  std::string database = params.count("database") && !params["database"].empty() ? params["database"] : user_;
  if (database != context_.database_name) {
    throw Fatal(sqlstate::kInvalidCatalogName, "database \"" + database + "\" does not exist");
  }
  if (!context_.registry->Register(this, &pid_, &secret_)) {
    throw Fatal(sqlstate::kTooManyConnections, "sorry, too many clients already");
  }
  registered_ = true;
  if (!Authenticate(user_)) return false;

  settings_ = std::make_unique<SessionSettings>(user_, context_.registry->max_connections());
  if (context_.default_statement_timeout_ms > 0) {
    settings_->Set("statement_timeout", std::to_string(context_.default_statement_timeout_ms));
  }
  std::vector<std::pair<std::string, std::string>> startup_settings;
  for (const auto& [name, value] : params) {
    if (name == "user" || name == "database" || name == "replication") continue;
    if (name == "options") {
      for (auto& pair : ParseOptions(value)) startup_settings.push_back(pair);
      continue;
    }
    startup_settings.emplace_back(name, value);
  }
  for (const auto& [name, value] : startup_settings) {
    try {
      settings_->Set(name, value);
    } catch (const PgError& e) {
      // Unknown settings from drivers are ignored; a value we cannot honour (an encoding, a date style) is not.
      if (e.sqlstate() != sqlstate::kUndefinedObject) throw Fatal(e.sqlstate(), e.message());
    }
  }
  connection_ = std::make_unique<engine::Connection>(*context_.database);
  if (context_.prepare_connection) context_.prepare_connection(connection_->raw());

  for (const auto& [name, value] : settings_->Reported()) SendParameterStatus(name, value);
  writer_.Begin('K').Int32(pid_).Int32(secret_).End();
  return true;
}

bool Session::Authenticate(const std::string& user) {
  if (!context_.find_verifier) {
    writer_.Begin('R').Int32(0).End();
    return true;
  }
  const ScramVerifier* verifier = context_.find_verifier(user);
  ScramExchange exchange(verifier, user);
  writer_.Begin('R').Int32(10).CString("SCRAM-SHA-256").Byte(0).End();
  writer_.Flush();

  auto read_response = [this](char* type, std::string_view* body) {
    if (!reader_.ReadMessage(type, body)) return false;
    if (*type != 'p') {
      throw Fatal(sqlstate::kProtocolViolation,
                  std::string("expected SASL response, got message type ") + std::to_string(static_cast<int>(*type)));
    }
    return true;
  };
  char type = 0;
  std::string_view body;
  if (!read_response(&type, &body)) return false;
  MessageCursor first(body, 'p');
  std::string mechanism(first.CString());
  if (mechanism != "SCRAM-SHA-256") {
    throw Fatal(sqlstate::kProtocolViolation, "client selected an invalid SASL authentication mechanism");
  }
  int32_t length = first.Int32();
  std::string client_first(length < 0 ? std::string_view() : first.Bytes(length));
  std::string server_first = exchange.HandleClientFirst(client_first);
  writer_.Begin('R').Int32(11).Bytes(server_first).End();
  writer_.Flush();

  if (!read_response(&type, &body)) return false;
  MessageCursor final_message(body, 'p');
  std::string client_final(final_message.Bytes(static_cast<int32_t>(final_message.remaining())));
  std::optional<std::string> server_final = exchange.HandleClientFinal(client_final);
  if (!server_final) {
    throw Fatal(sqlstate::kInvalidPassword, "password authentication failed for user \"" + user + "\"");
  }
  writer_.Begin('R').Int32(12).Bytes(*server_final).End();
  writer_.Begin('R').Int32(0).End();
  return true;
}

// ---- messages ----

void Session::SendParameterStatus(const std::string& name, const std::string& value) {
  writer_.Begin('S').CString(name).CString(value).End();
}

void Session::SendError(const PgError& error) {
  const char* severity = error.severity() == Severity::kFatal ? "FATAL" : "ERROR";
  writer_.Begin('E').Byte('S').CString(severity).Byte('V').CString(severity).Byte('C').CString(error.sqlstate());
  writer_.Byte('M').CString(error.message());
  if (!error.detail().empty()) writer_.Byte('D').CString(error.detail());
  if (!error.hint().empty()) writer_.Byte('H').CString(error.hint());
  if (error.position() > 0) writer_.Byte('P').CString(std::to_string(error.position()));
  writer_.Byte(0).End();
}

void Session::SendNotice(const std::string& state, const std::string& message, const char* severity) {
  writer_.Begin('N').Byte('S').CString(severity).Byte('V').CString(severity).Byte('C').CString(state);
  writer_.Byte('M').CString(message).Byte(0).End();
}

void Session::SendReadyForQuery() { writer_.Begin('Z').Byte(static_cast<uint8_t>(tx_)).End(); }

// ---- the main loop ----

void Session::Run() {
  try {
    if (!Startup()) {
      writer_.Flush();
      return;
    }
    SendReadyForQuery();
    while (true) {
      if (!reader_.HasBuffered()) writer_.Flush();
      if (shutdown_) throw Fatal(sqlstate::kAdminShutdown, "terminating connection due to administrator command");
      char type = 0;
      std::string_view body;
      idle_ = true;
      bool got = false;
      try {
        got = reader_.ReadMessage(&type, &body);
      } catch (...) {
        idle_ = false;
        if (shutdown_) throw Fatal(sqlstate::kAdminShutdown, "terminating connection due to administrator command");
        throw;
      }
      idle_ = false;
      if (shutdown_) throw Fatal(sqlstate::kAdminShutdown, "terminating connection due to administrator command");
      if (!got || type == 'X') break;
      if (skip_until_sync_ && type != 'S') continue;
      MessageCursor m(body, type);
      try {
        switch (type) {
          case 'Q': {
            std::string sql(m.CString());
            SimpleQuery(sql);
            break;
          }
          case 'P': Parse(m); break;
          case 'B': Bind(m); break;
          case 'D': Describe(m); break;
          case 'E': Execute(m); break;
          case 'C': Close(m); break;
          case 'S': Sync(); break;
          case 'H': writer_.Flush(); break;
          case 'd': case 'c': case 'f': break;  // COPY data without COPY FROM: PostgreSQL ignores it too
          case 'F':
            SendError(PgError(sqlstate::kFeatureNotSupported, "function call messages are not supported"));
            SendReadyForQuery();
            break;
          default:
            throw Fatal(sqlstate::kProtocolViolation,
                        "invalid frontend message type " + std::to_string(static_cast<unsigned char>(type)));
        }
      } catch (const PgError& e) {
        if (e.severity() == Severity::kFatal) throw;
        SendError(e);
        if (tx_ == TxStatus::kInBlock) tx_ = TxStatus::kFailed;
        if (type != 'Q') skip_until_sync_ = true;
      }
    }
    writer_.Flush();
  } catch (const PgError& e) {
    try {
      SendError(e.severity() == Severity::kFatal ? e : PgError(e.sqlstate(), e.message(), Severity::kFatal));
      writer_.Flush();
    } catch (...) {
    }
  } catch (const std::exception& e) {
    try {
      SendError(Fatal(sqlstate::kInternalError, e.what()));
      writer_.Flush();
    } catch (...) {
    }
  }
}

// ---- simple query ----

void Session::SimpleQuery(std::string_view sql) {
  statements_.erase("");
  portals_.erase("");
  std::vector<std::string_view> statements = SplitStatements(sql);
  if (statements.empty()) {
    writer_.Begin('I').End();
  }
  bool failed = false;
  for (std::string_view statement : statements) {
    try {
      RunStatement(statement);
    } catch (const PgError& e) {
      failed = true;
      if (e.severity() == Severity::kFatal) throw;
      if (e.position() > 0) {
        // Positions count from the start of the whole query string, not of this statement.
        PgError shifted = e;
        shifted.set_position(e.position() + static_cast<int>(statement.data() - sql.data()));
        SendError(shifted);
      } else {
        SendError(e);
      }
      if (tx_ == TxStatus::kInBlock) tx_ = TxStatus::kFailed;
      break;
    }
  }
  if (tx_ == TxStatus::kIdle) EndTransaction(!failed);
  SendReadyForQuery();
}

void Session::CheckNotAborted(const PreparedQuery& query) const {
  if (tx_ == TxStatus::kFailed && !EndsTransaction(query)) {
    throw PgError(sqlstate::kInFailedTransaction,
                  "current transaction is aborted, commands ignored until end of transaction block");
  }
}

void Session::RunStatement(std::string_view statement) {
  if (RunsInDuckDb(statement)) FreeConnection(nullptr);
  std::shared_ptr<PreparedQuery> query;
  Guarded([&] {
    if (tx_ == TxStatus::kFailed) {
      std::optional<SessionCommand> command = ParseSessionCommand(statement);
      SessionCommand::Kind k = command ? command->kind : SessionCommand::kListen;
      if (!command || !(k == SessionCommand::kCommit || k == SessionCommand::kRollback ||
                        k == SessionCommand::kRollbackTo)) {
        throw PgError(sqlstate::kInFailedTransaction,
                      "current transaction is aborted, commands ignored until end of transaction block");
      }
    }
    query = PreparedQuery::Prepare(connection_->raw(), std::string(statement), {}, context_.rewrite);
  });
  switch (query->kind()) {
    case PreparedQuery::kEmpty: writer_.Begin('I').End(); break;
    case PreparedQuery::kCommand: RunCommand(query->command(), true); break;
    case PreparedQuery::kCopyOut: {
      Portal portal(query, {}, {});
      ExecuteCopy(portal);
      break;
    }
    case PreparedQuery::kQuery: {
      DescribeRows(*query, {});
      Portal portal(query, {}, {});
      ExecutePortal(portal, 0);
      break;
    }
    case PreparedQuery::kDeclare: DeclareCursor(query, {}); break;
  }
}

void Session::DescribeRows(const PreparedQuery& query, const std::vector<int16_t>& formats) {
  std::vector<std::string> names;
  std::vector<duckdb_logical_type> types;
  for (size_t i = 0; i < query.column_count(); ++i) {
    names.push_back(query.column_name(i));
    types.push_back(query.column_type(i));
  }
  WriteRowDescription(writer_, names, types, formats, settings_->text_settings());
}

void Session::ExecuteCopy(Portal& portal) {
  FreeConnection(&portal);
  int64_t rows = 0;
  Guarded([&] { rows = portal.ExecuteCopy(connection_->raw(), writer_, settings_->text_settings()); });
  writer_.Begin('C').CString("COPY " + std::to_string(rows)).End();
}

void Session::ExecutePortal(Portal& portal, int64_t max_rows) {
  FreeConnection(&portal);
  int64_t rows = 0;
  bool suspended = false;
  Guarded([&] { suspended = portal.Execute(connection_->raw(), writer_, max_rows, settings_->text_settings(), &rows); });
  if (suspended) {
    writer_.Begin('s').End();
  } else {
    const std::string& verb = portal.query().verb();
    writer_.Begin('C').CString(verb == "SELECT" ? "SELECT " + std::to_string(rows) : verb).End();
  }
}

void Session::FreeConnection(Portal* except) {
  for (auto& [name, portal] : portals_) {
    if (portal.get() == except || !portal->streaming()) continue;
    try {
      portal->Materialize();
    } catch (const PgError&) {
      // The failure belongs to that portal's query; its next Execute finds it finished.
    }
  }
}

void Session::EndTransaction(bool commit) {
  for (auto it = portals_.begin(); it != portals_.end();) {
    std::optional<Portal::Cursor> cursor = it->second->cursor();
    if (!cursor || !cursor->hold || !(commit || cursor->committed)) {
      it = portals_.erase(it);
      continue;
    }
    cursor->committed = true;
    it->second->set_cursor(*cursor);
    ++it;
  }
  savepoints_.clear();
}

// ---- cursors ----

void Session::DeclareCursor(const std::shared_ptr<PreparedQuery>& query, std::vector<duckdb_value> parameters) {
  const CursorDeclaration& declaration = query->cursor();
  auto refuse = [&](const char* state, const std::string& message) {
    for (duckdb_value& v : parameters) {
      if (v) duckdb_destroy_value(&v);
    }
    throw PgError(state, message);
  };
  if (!declaration.hold && tx_ == TxStatus::kIdle) {
    refuse("25P01", "DECLARE CURSOR can only be used in transaction blocks");
  }
  if (portals_.count(declaration.name)) refuse("42P03", "cursor \"" + declaration.name + "\" already exists");
  auto portal = std::make_unique<Portal>(query, std::move(parameters),
                                         declaration.binary ? std::vector<int16_t>{1} : std::vector<int16_t>{});
  portal->set_cursor(Portal::Cursor{declaration.hold, declaration.binary, false});
  portals_[declaration.name] = std::move(portal);
  writer_.Begin('C').CString("DECLARE CURSOR").End();
}

Portal& Session::FindCursor(const std::string& name) {
  auto it = portals_.find(name);
  if (name.empty() || it == portals_.end()) {
    throw PgError(sqlstate::kInvalidCursorName, "cursor \"" + name + "\" does not exist");
  }
  return *it->second;
}

void Session::FetchCursor(const SessionCommand& command, bool describe, const std::vector<int16_t>* formats) {
  Portal& cursor = FindCursor(command.name);
  PreparedQuery::Kind kind = cursor.query().kind();
  if (kind != PreparedQuery::kQuery && kind != PreparedQuery::kDeclare) {
    throw PgError(sqlstate::kInvalidCursorName, "portal \"" + command.name + "\" cannot be run");
  }
  if (command.backward) {
    throw PgError("55000", "cursor can only scan forward", Severity::kError, {},
                  "cdmlake's cursors read their query once, from the first row to the last");
  }
  bool fetch = command.kind == SessionCommand::kFetch;
  if (fetch) {
    // The FETCH's own result formats (extended protocol) win; a simple query gets the cursor's (BINARY or not).
    std::vector<int16_t> wanted = cursor.cursor() ? (cursor.cursor()->binary ? std::vector<int16_t>{1}
                                                                              : std::vector<int16_t>{})
                                                  : cursor.formats();
    if (formats && !formats->empty()) wanted = *formats;
    if (describe) DescribeRows(cursor.query(), wanted);
    cursor.set_formats(std::move(wanted));
  }
  FreeConnection(&cursor);
  int64_t rows = 0;
  Guarded([&] {
    cursor.Execute(connection_->raw(), writer_, command.all ? 0 : command.count, settings_->text_settings(), &rows,
                   fetch);
  });
  writer_.Begin('C').CString(command.tag + " " + std::to_string(rows)).End();
}

// ---- session commands ----

void Session::DescribeCommand(const SessionCommand& command, const std::vector<int16_t>& formats) {
  if (command.kind == SessionCommand::kFetch) {
    // The cursor's columns; a cursor that does not exist (yet) is reported when the FETCH runs, as PostgreSQL does.
    auto it = portals_.find(command.name);
    PreparedQuery::Kind kind = it == portals_.end() ? PreparedQuery::kEmpty : it->second->query().kind();
    if (!command.name.empty() && (kind == PreparedQuery::kQuery || kind == PreparedQuery::kDeclare)) {
      DescribeRows(it->second->query(), formats);
    } else {
      writer_.Begin('n').End();
    }
    return;
  }
  if (command.kind != SessionCommand::kShow) {
    writer_.Begin('n').End();
    return;
  }
  if (command.name == "all") {
    writer_.Begin('T').Int16(3);
    for (const char* name : {"name", "setting", "description"}) {
      writer_.CString(name).Int32(0).Int16(0).Int32(pgoid::kText).Int16(-1).Int32(-1).Int16(0);
    }
    writer_.End();
    return;
  }
  std::string display = settings_->DisplayName(command.name);
  writer_.Begin('T').Int16(1).CString(display).Int32(0).Int16(0).Int32(pgoid::kText).Int16(-1).Int32(-1).Int16(0).End();
}

void Session::RunCommand(const SessionCommand& command, bool describe, const std::vector<int16_t>* formats) {
  auto in_block_only = [this](const std::string& what) {
    if (tx_ == TxStatus::kIdle) throw PgError("25P01", what + " can only be used in transaction blocks");
  };
  auto find_savepoint = [this](const std::string& name) {
    auto it = std::find(savepoints_.rbegin(), savepoints_.rend(), name);
    if (it == savepoints_.rend()) throw PgError("3B001", "savepoint \"" + name + "\" does not exist");
    return std::prev(it.base());
  };
  std::string tag = command.tag;
  switch (command.kind) {
    case SessionCommand::kBegin:
      if (tx_ != TxStatus::kIdle) SendNotice("25001", "there is already a transaction in progress");
      else tx_ = TxStatus::kInBlock;
      break;
    case SessionCommand::kCommit:
      if (tx_ == TxStatus::kIdle) SendNotice("25P01", "there is no transaction in progress");
      if (tx_ == TxStatus::kFailed) tag = "ROLLBACK";
      EndTransaction(tx_ != TxStatus::kFailed);
      tx_ = TxStatus::kIdle;
      break;
    case SessionCommand::kRollback:
      if (tx_ == TxStatus::kIdle) SendNotice("25P01", "there is no transaction in progress");
      EndTransaction(false);
      tx_ = TxStatus::kIdle;
      break;
    case SessionCommand::kSavepoint:
      in_block_only("SAVEPOINT");
      savepoints_.push_back(command.name);
      break;
    case SessionCommand::kRelease: {
      in_block_only("RELEASE SAVEPOINT");
      auto it = find_savepoint(command.name);
      savepoints_.erase(it, savepoints_.end());
      break;
    }
    case SessionCommand::kRollbackTo: {
      in_block_only("ROLLBACK TO SAVEPOINT");
      auto it = find_savepoint(command.name);
      savepoints_.erase(std::next(it), savepoints_.end());
      tx_ = TxStatus::kInBlock;
      break;
    }
    case SessionCommand::kSet:
      if (settings_->Set(command.name, command.value)) {
        SendParameterStatus(settings_->DisplayName(command.name), settings_->Show(command.name));
      }
      break;
    case SessionCommand::kSetIgnored:
      break;
    case SessionCommand::kReset:
      for (const std::string& name : settings_->Reset(command.name)) {
        SendParameterStatus(settings_->DisplayName(name), settings_->Show(name));
      }
      break;
    case SessionCommand::kShow: {
      if (describe) DescribeCommand(command, {});
      if (command.name == "all") {
        for (const auto& [name, value] : settings_->All()) {
          writer_.Begin('D').Int16(3);
          for (const std::string& field : {name, value, std::string()}) {
            writer_.Int32(static_cast<int32_t>(field.size())).Bytes(field);
          }
          writer_.End();
        }
      } else {
        std::string value = settings_->Show(command.name);
        writer_.Begin('D').Int16(1).Int32(static_cast<int32_t>(value.size())).Bytes(value).End();
      }
      break;
    }
    case SessionCommand::kDeallocate:
      if (command.name == "all") {
        for (auto it = statements_.begin(); it != statements_.end();) {
          it = it->first.empty() ? std::next(it) : statements_.erase(it);
        }
      } else if (statements_.erase(command.name) == 0) {
        throw PgError(sqlstate::kInvalidSqlStatementName, "prepared statement \"" + command.name + "\" does not exist");
      }
      break;
    case SessionCommand::kDiscard:
      if (command.name == "all") {
        if (tx_ != TxStatus::kIdle) throw PgError("25001", "DISCARD ALL cannot run inside a transaction block");
        statements_.clear();
        portals_.clear();
        for (const std::string& name : settings_->Reset("all")) {
          SendParameterStatus(settings_->DisplayName(name), settings_->Show(name));
        }
      } else if (command.name == "plans") {
        statements_.clear();
      }
      break;
    case SessionCommand::kListen:
      break;
    case SessionCommand::kFetch:
    case SessionCommand::kMove:
      FetchCursor(command, describe, formats);  // sends the rows and "FETCH n" / "MOVE n"
      return;
    case SessionCommand::kClose:
      if (command.all) {
        for (auto it = portals_.begin(); it != portals_.end();) {
          it = it->second->cursor() ? portals_.erase(it) : std::next(it);
        }
      } else {
        FindCursor(command.name);
        portals_.erase(command.name);
      }
      break;
  }
  writer_.Begin('C').CString(tag).End();
}

// ---- extended query ----

void Session::Parse(MessageCursor& m) {
  std::string name(m.CString());
  std::string sql(m.CString());
  int16_t count = m.Int16();
  if (count < 0) throw Fatal(sqlstate::kProtocolViolation, "invalid parameter count in Parse");
  std::vector<int32_t> oids;
  for (int16_t i = 0; i < count; ++i) oids.push_back(m.Int32());
  m.ExpectEnd();
  if (!name.empty() && statements_.count(name)) {
    throw PgError(sqlstate::kDuplicatePreparedStatement, "prepared statement \"" + name + "\" already exists");
  }
  if (RunsInDuckDb(sql)) FreeConnection(nullptr);
  std::shared_ptr<PreparedQuery> query;
  Guarded([&] { query = PreparedQuery::Prepare(connection_->raw(), sql, std::move(oids), context_.rewrite); });
  CheckNotAborted(*query);
  statements_[name] = std::move(query);
  writer_.Begin('1').End();
}

void Session::Bind(MessageCursor& m) {
  std::string portal_name(m.CString());
  std::string statement_name(m.CString());
  int16_t format_count = m.Int16();
  if (format_count < 0) throw Fatal(sqlstate::kProtocolViolation, "invalid parameter format count in Bind");
  std::vector<int16_t> parameter_formats;
  for (int16_t i = 0; i < format_count; ++i) parameter_formats.push_back(m.Int16());
  int16_t value_count = m.Int16();
  if (value_count < 0) throw Fatal(sqlstate::kProtocolViolation, "invalid parameter count in Bind");
  std::vector<std::optional<std::string_view>> values;
  for (int16_t i = 0; i < value_count; ++i) {
    int32_t length = m.Int32();
    if (length < -1) throw Fatal(sqlstate::kProtocolViolation, "invalid parameter length in Bind");
    values.push_back(length == -1 ? std::nullopt : std::optional<std::string_view>(m.Bytes(length)));
  }
  int16_t result_count = m.Int16();
  if (result_count < 0) throw Fatal(sqlstate::kProtocolViolation, "invalid result format count in Bind");
  std::vector<int16_t> result_formats;
  for (int16_t i = 0; i < result_count; ++i) {
    int16_t f = m.Int16();
    if (f != 0 && f != 1) throw PgError(sqlstate::kProtocolViolation, "invalid format code: " + std::to_string(f));
    result_formats.push_back(f);
  }
  m.ExpectEnd();

  auto it = statements_.find(statement_name);
  if (it == statements_.end()) {
    throw PgError(sqlstate::kInvalidSqlStatementName, "prepared statement \"" + statement_name + "\" does not exist");
  }
  std::shared_ptr<PreparedQuery> query = it->second;
  CheckNotAborted(*query);
  size_t expected = query->kind() == PreparedQuery::kQuery || query->kind() == PreparedQuery::kCopyOut ||
                            query->kind() == PreparedQuery::kDeclare
                        ? query->parameter_oids().size() : 0;
  if (values.size() != expected) {
    throw PgError(sqlstate::kProtocolViolation, "bind message supplies " + std::to_string(values.size()) +
                  " parameters, but prepared statement \"" + statement_name + "\" requires " + std::to_string(expected));
  }
  if (parameter_formats.size() > 1 && parameter_formats.size() != values.size()) {
    throw PgError(sqlstate::kProtocolViolation, "bind message has " + std::to_string(parameter_formats.size()) +
                  " parameter formats but " + std::to_string(values.size()) + " parameters");
  }
  if (!portal_name.empty() && portals_.count(portal_name)) {
    throw PgError("42P03", "cursor \"" + portal_name + "\" already exists");
  }
  std::vector<duckdb_value> decoded;
  try {
    for (size_t i = 0; i < values.size(); ++i) {
      int16_t format = parameter_formats.empty() ? 0 : parameter_formats.size() == 1 ? parameter_formats[0]
                                                                                      : parameter_formats[i];
      decoded.push_back(DecodeParameter(static_cast<int>(i + 1), query->parameter_oids()[i], format == 1, values[i]));
    }
  } catch (...) {
    for (duckdb_value& v : decoded) {
      if (v) duckdb_destroy_value(&v);
    }
    throw;
  }
  portals_[portal_name] = std::make_unique<Portal>(query, std::move(decoded), std::move(result_formats));
  writer_.Begin('2').End();
}

void Session::Describe(MessageCursor& m) {
  uint8_t kind = m.Byte();
  std::string name(m.CString());
  m.ExpectEnd();
  const PreparedQuery* query = nullptr;
  std::vector<int16_t> formats;
  if (kind == 'S') {
    auto it = statements_.find(name);
    if (it == statements_.end()) {
      throw PgError(sqlstate::kInvalidSqlStatementName, "prepared statement \"" + name + "\" does not exist");
    }
    query = it->second.get();
    writer_.Begin('t').Int16(static_cast<int16_t>(query->parameter_oids().size()));
    for (int32_t oid : query->parameter_oids()) writer_.Int32(oid);
    writer_.End();
  } else if (kind == 'P') {
    auto it = portals_.find(name);
    if (it == portals_.end()) throw PgError(sqlstate::kInvalidCursorName, "portal \"" + name + "\" does not exist");
    query = &it->second->query();
    formats = it->second->formats();
    if (it->second->cursor()) {
      DescribeRows(*query, formats);  // a DECLAREd cursor describes its rows (psycopg asks before fetching)
      return;
    }
  } else {
    throw Fatal(sqlstate::kProtocolViolation, "invalid DESCRIBE message subtype " + std::to_string(kind));
  }
  switch (query->kind()) {
    case PreparedQuery::kQuery: DescribeRows(*query, formats); break;
    case PreparedQuery::kCommand: DescribeCommand(query->command(), formats); break;
    default: writer_.Begin('n').End();
  }
}

void Session::Execute(MessageCursor& m) {
  std::string name(m.CString());
  int32_t max_rows = m.Int32();
  m.ExpectEnd();
  auto it = portals_.find(name);
  if (it == portals_.end()) throw PgError(sqlstate::kInvalidCursorName, "portal \"" + name + "\" does not exist");
  Portal& portal = *it->second;
  const PreparedQuery& query = portal.query();
  CheckNotAborted(query);
  switch (query.kind()) {
    case PreparedQuery::kEmpty: writer_.Begin('I').End(); break;
    case PreparedQuery::kCommand: {
      SessionCommand command = query.command();
      std::vector<int16_t> formats = portal.formats();
      RunCommand(command, false, &formats);  // may end the transaction and drop this portal
      break;
    }
    case PreparedQuery::kCopyOut: ExecuteCopy(portal); break;
    case PreparedQuery::kQuery: ExecutePortal(portal, max_rows); break;
    case PreparedQuery::kDeclare: DeclareCursor(portal.shared_query(), portal.ReleaseParameters()); break;
  }
}

void Session::Close(MessageCursor& m) {
  uint8_t kind = m.Byte();
  std::string name(m.CString());
  m.ExpectEnd();
  if (kind == 'S') statements_.erase(name);
  else if (kind == 'P') portals_.erase(name);
  else throw Fatal(sqlstate::kProtocolViolation, "invalid CLOSE message subtype " + std::to_string(kind));
  writer_.Begin('3').End();
}

void Session::Sync() {
  bool failed = skip_until_sync_;
  skip_until_sync_ = false;
  if (tx_ == TxStatus::kIdle) EndTransaction(!failed);
  SendReadyForQuery();
}

// ---- cancel, timeout, shutdown ----

void Session::Guarded(const std::function<void()>& work) {
  BeginStatement();
  try {
    work();
  } catch (const PgError& e) {
    EndStatement();
    throw Canceled(e);
  }
  EndStatement();
}

void Session::BeginStatement() {
  {
    std::lock_guard<std::mutex> lock(cancel_mutex_);
    running_ = true;
    canceled_ = false;
    timed_out_ = false;
  }
  int64_t timeout = settings_ ? settings_->statement_timeout_ms() : 0;
  if (timeout > 0) context_.registry->SetDeadline(pid_, timeout);
}

void Session::EndStatement() {
  if (settings_ && settings_->statement_timeout_ms() > 0) context_.registry->SetDeadline(pid_, 0);
  std::lock_guard<std::mutex> lock(cancel_mutex_);
  running_ = false;
}

PgError Session::Canceled(const PgError& error) const {
  if (error.sqlstate() == sqlstate::kQueryCanceled && timed_out_) {
    return PgError(sqlstate::kQueryCanceled, "canceling statement due to statement timeout");
  }
  return error;
}

void Session::Cancel(bool timeout) {
  std::lock_guard<std::mutex> lock(cancel_mutex_);
  if (!running_ || !connection_) return;
  canceled_ = true;
  timed_out_ = timeout;
  connection_->Interrupt();
}

void Session::RequestShutdown(bool force) {
  shutdown_ = true;
  if (force) {
    Cancel(false);
    if (socket_fd_ >= 0) ::shutdown(socket_fd_, SHUT_RDWR);
  } else if (idle_ && socket_fd_ >= 0) {
    ::shutdown(socket_fd_, SHUT_RD);
  }
}

}  // namespace cdmlake::server
