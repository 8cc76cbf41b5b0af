#include "server/socket_stream.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "server/pg_error.h"

namespace cdmlake::server {
namespace {

struct SocketPair {
  SocketPair() { EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0); }
  ~SocketPair() {
    CloseServer();
    CloseClient();
  }
  void CloseServer() {
    if (fds[0] >= 0) ::close(fds[0]);
    fds[0] = -1;
  }
  void CloseClient() {
    if (fds[1] >= 0) ::close(fds[1]);
    fds[1] = -1;
  }
  int fds[2] = {-1, -1};
};

TEST(SocketStream, ReadsWritesAndSeesTheEnd) {
  SocketPair pair;
  SocketStream server(pair.fds[0]);
  SocketStream client(pair.fds[1]);
  EXPECT_FALSE(server.encrypted());
  EXPECT_EQ(server.fd(), pair.fds[0]);

  // More than a socket buffer, so that WriteAll has to loop while the reader drains.
  std::string big(4 << 20, 'x');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i % 26);
  std::thread writer([&] { client.WriteAll(big.data(), big.size()); });
  std::string got;
  char buffer[65536];
  while (got.size() < big.size()) {
    size_t n = server.Read(buffer, sizeof buffer);
    ASSERT_GT(n, 0u);
    got.append(buffer, n);
  }
  writer.join();
  EXPECT_EQ(got, big);

  pair.CloseClient();
  EXPECT_EQ(server.Read(buffer, sizeof buffer), 0u);
}

TEST(SocketStream, WriteToAClosedPeerThrowsWithoutSigpipe) {
  // SIGPIPE is not ignored here: without MSG_NOSIGNAL this test would kill the test binary.
  SocketPair pair;
  SocketStream server(pair.fds[0]);
  pair.CloseClient();
  try {
    server.WriteAll("hello", 5);
    ADD_FAILURE() << "no error";
  } catch (const PgError& e) {
    EXPECT_EQ(e.sqlstate(), kConnectionFailure);
    EXPECT_EQ(e.severity(), Severity::kFatal);
  }
}

TEST(SocketStream, ReadTimeoutIsAnError) {
  SocketPair pair;
  timeval timeout{0, 50 * 1000};
  ASSERT_EQ(::setsockopt(pair.fds[0], SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout), 0);
  SocketStream server(pair.fds[0]);
  char c;
  try {
    server.Read(&c, 1);
    ADD_FAILURE() << "no error";
  } catch (const PgError& e) {
    EXPECT_EQ(e.sqlstate(), kConnectionFailure);
    EXPECT_NE(e.message().find("timed out"), std::string::npos) << e.message();
  }
}

}  // namespace
}  // namespace cdmlake::server
