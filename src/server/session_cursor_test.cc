// SQL cursors (DECLARE, FETCH, MOVE, CLOSE) through a session, in the simple and the extended query protocol, and
// the PostgreSQL names of unaliased result columns in RowDescription.
#include <gtest/gtest.h>

#include "server/session.h"
#include "server/session_command.h"
#include "server/session_test_util.h"

namespace cdmlake::server {
namespace {

using testing::ClientScript;
using testing::MemoryStream;
using testing::ParseServerMessages;
using testing::ServerMessage;

TEST(CursorStatements, FetchMoveAndClose) {
  std::optional<SessionCommand> c = ParseSessionCommand("FETCH FORWARD 10 FROM \"My Cursor\"");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->kind, SessionCommand::kFetch);
  EXPECT_EQ(c->name, "My Cursor");
  EXPECT_EQ(c->count, 10);
  EXPECT_FALSE(c->all || c->backward);

  c = ParseSessionCommand("fetch all in c1");
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->all);
  EXPECT_EQ(c->name, "c1");
  c = ParseSessionCommand("FETCH FORWARD ALL FROM c");
  EXPECT_TRUE(c && c->all);
  c = ParseSessionCommand("FETCH c");
  EXPECT_TRUE(c && c->count == 1 && c->name == "c");
  c = ParseSessionCommand("FETCH NEXT FROM C");
  EXPECT_TRUE(c && c->count == 1 && c->name == "c") << "unquoted names fold to lower case";
  c = ParseSessionCommand("FETCH 3 c");
  EXPECT_TRUE(c && c->count == 3);
  for (const char* backward : {"FETCH PRIOR FROM c", "FETCH -1 FROM c", "FETCH BACKWARD 2 FROM c",
                               "FETCH ABSOLUTE 1 FROM c", "FETCH 0 FROM c", "MOVE LAST IN c"}) {
    c = ParseSessionCommand(backward);
    EXPECT_TRUE(c && c->backward) << backward;
  }
  c = ParseSessionCommand("MOVE FORWARD 5 IN c");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->kind, SessionCommand::kMove);
  EXPECT_EQ(c->tag, "MOVE");
  EXPECT_EQ(c->count, 5);

  c = ParseSessionCommand("CLOSE c");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->kind, SessionCommand::kClose);
  EXPECT_EQ(c->tag, "CLOSE CURSOR");
  c = ParseSessionCommand("CLOSE ALL");
  EXPECT_TRUE(c && c->all && c->tag == "CLOSE CURSOR ALL");
  c = ParseSessionCommand("CLOSE \"all\"");
  EXPECT_TRUE(c && !c->all && c->name == "all");

  EXPECT_THROW(ParseSessionCommand("FETCH FROM"), PgError);
  EXPECT_THROW(ParseSessionCommand("FETCH 2 FROM c extra"), PgError);
  EXPECT_THROW(ParseSessionCommand("CLOSE"), PgError);
}

TEST(CursorStatements, Declare) {
  std::optional<CursorDeclaration> d = ParseDeclareCursor(
      "DECLARE \"_pg3_c\"\"x\" BINARY NO SCROLL CURSOR WITH HOLD FOR /* q */ SELECT 1 AS \"for\"");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->name, "_pg3_c\"x");
  EXPECT_TRUE(d->binary);
  EXPECT_TRUE(d->hold);
  EXPECT_FALSE(d->scroll);
  EXPECT_EQ(d->query, "SELECT 1 AS \"for\"");

  d = ParseDeclareCursor("declare SQL_CUR0x1 cursor without hold for select * from t");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->name, "sql_cur0x1");
  EXPECT_FALSE(d->hold || d->binary);
  EXPECT_EQ(d->query, "select * from t");

  d = ParseDeclareCursor("DECLARE c INSENSITIVE SCROLL CURSOR FOR VALUES (1)");
  EXPECT_TRUE(d && d->scroll);
  EXPECT_FALSE(ParseDeclareCursor("SELECT 1"));
  EXPECT_THROW(ParseDeclareCursor("DECLARE c FOR SELECT 1"), PgError);
  EXPECT_THROW(ParseDeclareCursor("DECLARE c CURSOR FOR"), PgError);
}

class SessionCursorTest : public ::testing::Test {
 protected:
  SessionCursorTest() : database_(engine::Settings{1, "1GB", "", {}}), registry_(4) {
    engine::Connection setup(database_);
    setup.Execute("CREATE TABLE t AS SELECT i::INTEGER AS id, 'name ' || i AS name FROM range(1, 6) r(i)");
    context_.database = &database_;
    context_.registry = &registry_;
  }

  // The server's messages after the startup answer.
  std::vector<ServerMessage> Run(const ClientScript& script) {
    ClientScript full;
    full.Startup({{"user", "u"}, {"database", "lake"}});
    full.Raw(script.bytes());
    std::string output;
    {
      Session session(context_, std::make_unique<MemoryStream>(full.bytes(), &output));
      session.Run();
    }
    std::vector<ServerMessage> messages = ParseServerMessages(output);
    size_t z = 0;
    while (z < messages.size() && messages[z].type != 'Z') ++z;
    return std::vector<ServerMessage>(messages.begin() + static_cast<long>(std::min(z + 1, messages.size())),
                                      messages.end());
  }

  // CommandComplete tags, first values of DataRows ("D:<value>") and SQLSTATEs of errors ("E:<state>"), in order.
  static std::vector<std::string> Outline(const std::vector<ServerMessage>& messages) {
    std::vector<std::string> out;
    for (const ServerMessage& m : messages) {
      if (m.type == 'C') out.push_back(m.body.substr(0, m.body.size() - 1));
      if (m.type == 'D') out.push_back("D:" + m.Values()[0]);
      if (m.type == 'E') out.push_back("E:" + m.Field('C'));
    }
    return out;
  }

  engine::Database database_;
  SessionRegistry registry_;
  SessionContext context_;
};

using Lines = std::vector<std::string>;

TEST_F(SessionCursorTest, FetchMoveAndCloseInATransaction) {
  std::vector<ServerMessage> m = Run(ClientScript()
                                         .Query("BEGIN")
                                         .Query("DECLARE c CURSOR FOR SELECT id, name FROM t ORDER BY id")
                                         .Query("FETCH 2 FROM c")
                                         .Query("FETCH NEXT FROM c")
                                         .Query("MOVE 1 IN c")
                                         .Query("FETCH ALL FROM c")
                                         .Query("FETCH c")
                                         .Query("CLOSE c")
                                         .Query("COMMIT")
                                         .Terminate());
  EXPECT_EQ(Outline(m), (Lines{"BEGIN", "DECLARE CURSOR", "D:1", "D:2", "FETCH 2", "D:3", "FETCH 1", "MOVE 1", "D:5",
                               "FETCH 1", "FETCH 0", "CLOSE CURSOR", "COMMIT"}));
  // Each FETCH of a simple query describes its rows first.
  size_t descriptions = 0;
  for (const ServerMessage& s : m) descriptions += s.type == 'T';
  EXPECT_EQ(descriptions, 4u);
  ASSERT_EQ(m[4].type, 'T');
  EXPECT_EQ(m[4].Columns()[1].name, "name");
}

TEST_F(SessionCursorTest, TransactionsBoundCursorsUnlessHeld) {
  std::vector<ServerMessage> m = Run(ClientScript()
                                         .Query("DECLARE c CURSOR FOR SELECT id FROM t")  // no transaction block
                                         .Query("BEGIN")
                                         .Query("DECLARE c CURSOR FOR SELECT id FROM t ORDER BY id")
                                         .Query("DECLARE c CURSOR FOR SELECT 1")
                                         .Query("ROLLBACK")
                                         .Query("BEGIN")
                                         .Query("DECLARE c CURSOR FOR SELECT id FROM t ORDER BY id")
                                         .Query("COMMIT")
                                         .Query("FETCH c")  // closed by COMMIT
                                         .Query("DECLARE h CURSOR WITH HOLD FOR SELECT id FROM t ORDER BY id")
                                         .Query("FETCH h")
                                         .Query("BEGIN")
                                         .Query("DECLARE h2 CURSOR WITH HOLD FOR SELECT 1")
                                         .Query("FETCH h")
                                         .Query("ROLLBACK")  // keeps h (committed), drops h2
                                         .Query("FETCH h")
                                         .Query("FETCH h2")
                                         .Query("CLOSE ALL")
                                         .Query("FETCH h")
                                         .Terminate());
  EXPECT_EQ(Outline(m), (Lines{"E:25P01", "BEGIN", "DECLARE CURSOR", "E:42P03", "ROLLBACK", "BEGIN", "DECLARE CURSOR",
                               "COMMIT", "E:34000", "DECLARE CURSOR", "D:1", "FETCH 1", "BEGIN", "DECLARE CURSOR",
                               "D:2", "FETCH 1", "ROLLBACK", "D:3", "FETCH 1", "E:34000", "CLOSE CURSOR ALL",
                               "E:34000"}));
}

TEST_F(SessionCursorTest, OnlyForward) {
  std::vector<ServerMessage> m = Run(ClientScript()
                                         .Query("BEGIN")
                                         .Query("DECLARE c SCROLL CURSOR FOR SELECT id FROM t ORDER BY id")
                                         .Query("FETCH PRIOR FROM c")
                                         .Query("ROLLBACK")
                                         .Query("CLOSE nothing")
                                         .Terminate());
  EXPECT_EQ(Outline(m), (Lines{"BEGIN", "DECLARE CURSOR", "E:55000", "ROLLBACK", "E:34000"}));
}

// psycopg 3's server-side cursor: DECLARE with a parameter through the extended protocol, Describe of the cursor's
// portal, then FETCH FORWARD n in binary.
TEST_F(SessionCursorTest, ExtendedProtocolAsPsycopgSendsIt) {
  std::vector<ServerMessage> m =
      Run(ClientScript()
              .Query("BEGIN")
              .Parse("", "DECLARE \"cur\" CURSOR FOR SELECT id, count(*) OVER () FROM t WHERE id > $1 ORDER BY id",
                     {pgoid::kInt4})
              .Bind("", "", {"1"})
              .Describe('P', "")
              .Execute("")
              .Sync()
              .Describe('P', "cur")
              .Sync()
              .Parse("", "FETCH FORWARD 3 FROM \"cur\"")
              .Bind("", "", {}, {1})
              .Describe('P', "")
              .Execute("")
              .Sync()
              .Parse("", "MOVE ALL FROM \"cur\"")
              .Bind("", "", {})
              .Execute("")
              .Sync()
              .Query("COMMIT")
              .Terminate());
  std::string types = testing::Types(m);
  EXPECT_EQ(types, "CZ" "12nCZ" "TZ" "12TDDDCZ" "12CZ" "CZ");
  ASSERT_EQ(m.size(), types.size());
  EXPECT_EQ(m[5].body, std::string("DECLARE CURSOR") + '\0');
  std::vector<ServerMessage::Column> described = m[7].Columns();
  ASSERT_EQ(described.size(), 2u);
  EXPECT_EQ(described[0].name, "id");
  EXPECT_EQ(described[1].name, "count") << "PostgreSQL's name of count(*)";
  std::vector<ServerMessage::Column> fetched = m[11].Columns();
  ASSERT_EQ(fetched.size(), 2u);
  EXPECT_EQ(fetched[0].format, 1);
  // Binary int4 2 (the first id above the parameter), then the row count.
  std::vector<std::string> row = m[12].Values();
  EXPECT_EQ(row[0], std::string("\0\0\0\2", 4));
  EXPECT_EQ(m[15].body, std::string("FETCH 3") + '\0');
  EXPECT_EQ(m[19].body, std::string("MOVE 1") + '\0');
}

TEST_F(SessionCursorTest, BinaryCursorInASimpleQuery) {
  std::vector<ServerMessage> m = Run(ClientScript()
                                         .Query("DECLARE b BINARY CURSOR WITH HOLD FOR SELECT id FROM t ORDER BY id")
                                         .Query("FETCH 1 FROM b")
                                         .Terminate());
  ASSERT_EQ(testing::Types(m), "CZTDCZ");
  EXPECT_EQ(m[2].Columns()[0].format, 1);
  EXPECT_EQ(m[3].Values()[0], std::string("\0\0\0\1", 4));
}

TEST_F(SessionCursorTest, RowDescriptionUsesPostgreSqlNames) {
  std::vector<ServerMessage> m =
      Run(ClientScript().Query("SELECT count(*), sum(id), max(name) AS top, id::bigint, 1 + 1, t.name FROM t "
                               "GROUP BY id, name ORDER BY id LIMIT 1").Terminate());
  ASSERT_FALSE(m.empty());
  ASSERT_EQ(m[0].type, 'T');
  std::vector<std::string> names;
  for (const ServerMessage::Column& c : m[0].Columns()) names.push_back(c.name);
  EXPECT_EQ(names, (Lines{"count", "sum", "top", "id", "?column?", "name"}));
}

}  // namespace
}  // namespace cdmlake::server
