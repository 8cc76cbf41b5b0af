#include "server/session.h"

#include <gtest/gtest.h>

#include "server/session_test_util.h"

namespace cdmlake::server {
namespace {

using testing::ClientScript;
using testing::MemoryStream;
using testing::ParseServerMessages;
using testing::ServerMessage;

class SessionTest : public ::testing::Test {
 protected:
  SessionTest() : database_(engine::Settings{1, "1GB", "", {}}), registry_(4) {
    engine::Connection setup(database_);
    setup.Execute(
        "CREATE TABLE t AS SELECT i::INTEGER AS id, 'name ' || i AS name, (i * 1.25)::DECIMAL(10,2) AS amount "
        "FROM range(1, 6) r(i)");
    context_.database = &database_;
    context_.registry = &registry_;
  }

  // Runs a session over the script (a startup packet for user "u", database "lake" comes first unless
  // `with_startup` is false) and returns the server's messages after the startup answer.
  std::vector<ServerMessage> Run(const ClientScript& script, bool with_startup = true) {
    ClientScript full;
    if (with_startup) full.Startup({{"user", "u"}, {"database", "lake"}});
    full.Raw(script.bytes());
    std::string output;
    {
      Session session(context_, std::make_unique<MemoryStream>(full.bytes(), &output));
      session.Run();
    }
    std::vector<ServerMessage> messages = ParseServerMessages(output);
    if (!with_startup) return messages;
    // Drop AuthenticationOk, ParameterStatus*, BackendKeyData and the first ReadyForQuery.
    size_t z = 0;
    while (z < messages.size() && messages[z].type != 'Z') ++z;
    EXPECT_LT(z, messages.size()) << "no ReadyForQuery after startup";
    return std::vector<ServerMessage>(messages.begin() + static_cast<long>(std::min(z + 1, messages.size())),
                                      messages.end());
  }

  engine::Database database_;
  SessionRegistry registry_;
  SessionContext context_;
};

TEST_F(SessionTest, StartupReportsSettingsLikePostgreSql15) {
  std::vector<ServerMessage> m = Run(ClientScript().Startup({{"user", "u"}, {"database", "lake"}}), false);
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(m[0].type, 'R');
  std::map<std::string, std::string> status;
  for (const ServerMessage& s : m) {
    if (s.type != 'S') continue;
    size_t nul = s.body.find('\0');
    status[s.body.substr(0, nul)] = s.body.substr(nul + 1, s.body.size() - nul - 2);
  }
  EXPECT_EQ(status["server_version"], "15.0");
  EXPECT_EQ(status["client_encoding"], "UTF8");
  EXPECT_EQ(status["DateStyle"], "ISO, MDY");
  EXPECT_EQ(status["integer_datetimes"], "on");
  EXPECT_EQ(status["standard_conforming_strings"], "on");
  EXPECT_EQ(status["session_authorization"], "u");
  EXPECT_EQ(testing::Types(m).substr(m.size() - 2), "KZ");
  EXPECT_EQ(m.back().body, "I");
  EXPECT_EQ(registry_.count(), 0) << "the session unregisters when it ends";
}

TEST_F(SessionTest, SimpleQueryStreamsRowsInTextFormat) {
  std::vector<ServerMessage> m = Run(ClientScript().Query("SELECT id, name, amount FROM t ORDER BY id"));
  ASSERT_EQ(testing::Types(m), "TDDDDDCZ");
  std::vector<ServerMessage::Column> columns = m[0].Columns();
  ASSERT_EQ(columns.size(), 3u);
  EXPECT_EQ(columns[0].name, "id");
  EXPECT_EQ(columns[0].oid, pgoid::kInt4);
  EXPECT_EQ(columns[1].oid, pgoid::kText);
  EXPECT_EQ(columns[2].oid, pgoid::kNumeric);
  EXPECT_EQ(m[1].Values(), (std::vector<std::string>{"1", "name 1", "1.25"}));
  EXPECT_EQ(m[6].body, std::string("SELECT 5") + '\0');
}

TEST_F(SessionTest, SeveralStatementsAndAnErrorThatStopsTheRest) {
  std::vector<ServerMessage> m = Run(ClientScript().Query("SELECT 1; SELECT nope; SELECT 3"));
  ASSERT_EQ(testing::Types(m), "TDCEZ");
  EXPECT_EQ(m[3].Field('C'), "42703");
  EXPECT_EQ(m[3].Field('S'), "ERROR");
  EXPECT_EQ(m[4].body, "I");
}

TEST_F(SessionTest, EmptyQuery) {
  EXPECT_EQ(testing::Types(Run(ClientScript().Query(" ; -- nothing"))), "IZ");
}

TEST_F(SessionTest, FailedTransactionRefusesUntilRollback) {
  std::vector<ServerMessage> m = Run(ClientScript()
                                         .Query("BEGIN")
                                         .Query("SELECT nope")
                                         .Query("SELECT 1")
                                         .Query("ROLLBACK")
                                         .Query("SELECT 1"));
  ASSERT_EQ(testing::Types(m), "CZ" "EZ" "EZ" "CZ" "TDCZ");
  EXPECT_EQ(m[1].body, "T");
  EXPECT_EQ(m[3].body, "E");
  EXPECT_EQ(m[4].Field('C'), "25P02");
  EXPECT_EQ(m[7].body, "I");
}

TEST_F(SessionTest, SavepointsRecoverAFailedTransaction) {
  std::vector<ServerMessage> m = Run(ClientScript().Query(
      "BEGIN; SAVEPOINT a; SELECT nope").Query("ROLLBACK TO SAVEPOINT a").Query("RELEASE a; SELECT 2").Query("COMMIT"));
  ASSERT_EQ(testing::Types(m), "CCEZ" "CZ" "CTDCZ" "CZ");
  EXPECT_EQ(m[3].body, "E");
  EXPECT_EQ(m[5].body, "T");
  EXPECT_EQ(m[12].body, "I");
}

TEST_F(SessionTest, ExtendedProtocolWithRowLimitAndInferredParameterTypes) {
  std::vector<ServerMessage> m = Run(ClientScript()
                                         .Parse("s1", "SELECT id FROM t WHERE id > $1 ORDER BY id")
                                         .Describe('S', "s1")
                                         .Bind("p1", "s1", {"2"})
                                         .Execute("p1", 2)
                                         .Execute("p1", 2)
                                         .Sync());
  ASSERT_EQ(testing::Types(m), "1tT2DDsDCZ");
  EXPECT_EQ(m[1].body.substr(0, 2), std::string("\0\1", 2));
  EXPECT_EQ(ReadInt32(m[1].body.data() + 2), pgoid::kInt4);
  EXPECT_EQ(m[4].Values(), std::vector<std::string>{"3"});
  EXPECT_EQ(m[8].body, std::string("SELECT 1") + '\0');
}

TEST_F(SessionTest, UntypedParametersTakeTheirParseTypeOrText) {
  std::vector<ServerMessage> m = Run(ClientScript()
                                         .Parse("", "SELECT $1 AS a, $2 AS b", {pgoid::kInt4, 0})
                                         .Describe('S', "")
                                         .Bind("", "", {"5", "x"})
                                         .Execute("")
                                         .Sync());
  ASSERT_EQ(testing::Types(m), "1tT2DCZ");
  std::vector<ServerMessage::Column> columns = m[2].Columns();
  ASSERT_EQ(columns.size(), 2u) << "one column per parameter, as the DataRows carry";
  EXPECT_EQ(columns[0].oid, pgoid::kInt4);
  EXPECT_EQ(columns[1].oid, pgoid::kText);
  EXPECT_EQ(m[4].Values(), (std::vector<std::string>{"5", "x"}));
}

TEST_F(SessionTest, TimeSettingsShowWithTheirUnit) {
  std::vector<ServerMessage> m = Run(ClientScript().Query("SET statement_timeout = 200; SHOW statement_timeout")
                                         .Query("SET statement_timeout = '2min'; SHOW statement_timeout"));
  ASSERT_EQ(testing::Types(m), "CTDCZ" "CTDCZ");
  EXPECT_EQ(m[2].Values(), std::vector<std::string>{"200ms"});
  EXPECT_EQ(m[7].Values(), std::vector<std::string>{"2min"});
}

TEST_F(SessionTest, SyntaxErrorsCarryTheirPositionInsteadOfDuckDbsExcerpt) {
  std::vector<ServerMessage> m = Run(ClientScript().Query("SELECT 1; SELEC 2"));
  ASSERT_EQ(testing::Types(m), "TDCEZ");
  EXPECT_EQ(m[3].Field('C'), "42601");
  EXPECT_EQ(m[3].Field('M').find("LINE"), std::string::npos) << m[3].Field('M');
  EXPECT_EQ(m[3].Field('P'), "11");
}

TEST_F(SessionTest, ErrorSkipsMessagesUntilSync) {
  std::vector<ServerMessage> m = Run(ClientScript()
                                         .Parse("", "SELEC 1")
                                         .Bind("", "", {})
                                         .Execute("")
                                         .Sync()
                                         .Parse("", "SELECT 1")
                                         .Bind("", "", {})
                                         .Execute("")
                                         .Sync());
  ASSERT_EQ(testing::Types(m), "EZ" "12DCZ");
  EXPECT_EQ(m[0].Field('C'), "42601");
}

TEST_F(SessionTest, LakeIsReadOnly) {
  std::vector<ServerMessage> m = Run(ClientScript().Query("CREATE TABLE x (a INTEGER)").Query("COPY t TO '/tmp/x.csv'"));
  ASSERT_EQ(testing::Types(m), "EZEZ");
  EXPECT_EQ(m[0].Field('C'), "25006");
  EXPECT_EQ(m[2].Field('C'), "42501");
}

TEST_F(SessionTest, SetAndShowAreAnsweredByTheServer) {
  std::vector<ServerMessage> m =
      Run(ClientScript().Query("SET extra_float_digits = 3; SHOW extra_float_digits").Query("SET TimeZone TO 'Europe/Berlin'")
              .Query("SET no_such_thing = 1"));
  ASSERT_EQ(testing::Types(m), "CTDCZ" "SCZ" "EZ");
  EXPECT_EQ(m[2].Values(), std::vector<std::string>{"3"});
  EXPECT_EQ(m[5].body, std::string("TimeZone\0Europe/Berlin\0", 23));
  EXPECT_EQ(m[8].Field('C'), "42704");
}

TEST_F(SessionTest, CopyToStdoutInTextAndCsv) {
  std::vector<ServerMessage> m = Run(ClientScript()
                                         .Query("COPY (SELECT id, name FROM t WHERE id <= 2 ORDER BY id) TO STDOUT")
                                         .Query("COPY t (id, name) TO STDOUT WITH (FORMAT csv, HEADER)"));
  ASSERT_EQ(testing::Types(m).substr(0, 6), "HddcCZ");
  EXPECT_EQ(m[1].body, "1\tname 1\n");
  EXPECT_EQ(m[4].body, std::string("COPY 2") + '\0');
  EXPECT_EQ(m[7].body, "id,name\n");
}

TEST_F(SessionTest, UnknownDatabaseIsFatal) {
  ClientScript script;
  script.Startup({{"user", "u"}, {"database", "other"}});
  std::vector<ServerMessage> m = Run(script, false);
  ASSERT_EQ(testing::Types(m), "E");
  EXPECT_EQ(m[0].Field('S'), "FATAL");
  EXPECT_EQ(m[0].Field('C'), "3D000");
}

TEST_F(SessionTest, MalformedMessagesEndTheConnectionCleanly) {
  // A Bind whose body ends before its fields.
  std::vector<ServerMessage> m = Run(ClientScript().Message('B', std::string("p\0s\0\0", 5)));
  ASSERT_EQ(testing::Types(m), "E");
  EXPECT_EQ(m[0].Field('C'), "08P01");
  // A message longer than the limit is refused before it is read.
  context_.max_message = 100;
  m = Run(ClientScript().Query(std::string(200, 'x')));
  ASSERT_EQ(testing::Types(m), "E");
  EXPECT_EQ(m[0].Field('C'), "08P01");
  // An unknown message type.
  m = Run(ClientScript().Message('@', ""));
  ASSERT_EQ(testing::Types(m), "E");
  // A truncated stream in the middle of a message.
  ClientScript truncated;
  truncated.Raw(std::string("Q\0\0\0\x40SELECT", 11));
  m = Run(truncated);
  ASSERT_EQ(testing::Types(m), "E");
}

TEST_F(SessionTest, WrongProtocolVersionAndSslRequestWithoutTls) {
  ClientScript v2;
  v2.Startup({{"user", "u"}}, 131072);
  std::vector<ServerMessage> m = Run(v2, false);
  ASSERT_EQ(testing::Types(m), "E");
  EXPECT_EQ(m[0].Field('C'), "0A000");

  ClientScript ssl;
  std::string request;
  AppendInt32(&request, 8);
  AppendInt32(&request, 80877103);
  ssl.Raw(request).Startup({{"user", "u"}, {"database", "lake"}}).Query("SELECT 1");
  std::string output;
  {
    Session session(context_, std::make_unique<MemoryStream>(ssl.bytes(), &output));
    session.Run();
  }
  ASSERT_FALSE(output.empty());
  EXPECT_EQ(output[0], 'N');
  std::vector<ServerMessage> after = ParseServerMessages(output, 1);
  EXPECT_EQ(after[1].type, 'R');
}

TEST_F(SessionTest, ConnectionLimit) {
  SessionRegistry small(0);
  context_.registry = &small;
  std::vector<ServerMessage> m = Run(ClientScript().Startup({{"user", "u"}, {"database", "lake"}}), false);
  ASSERT_EQ(testing::Types(m), "E");
  EXPECT_EQ(m[0].Field('C'), "53300");
}

}  // namespace
}  // namespace cdmlake::server
