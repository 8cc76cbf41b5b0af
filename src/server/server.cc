#include "server/server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "server/socket_stream.h"
#include "util/error.h"

namespace cdmlake::server {

Server::Server(ServerOptions options, SessionContext context)
    : options_(std::move(options)), context_(std::move(context)), registry_(options_.max_connections) {
  context_.registry = &registry_;
  if (::pipe(wake_pipe_) != 0) throw Error(ErrorKind::kInternal, std::string("pipe: ") + std::strerror(errno));
  ::fcntl(wake_pipe_[1], F_SETFL, O_NONBLOCK);
}

Server::~Server() {
  if (listen_fd_ >= 0) ::close(listen_fd_);
  ::close(wake_pipe_[0]);
  ::close(wake_pipe_[1]);
}

void Server::Listen() {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string port = std::to_string(options_.port);
  std::string where = options_.host + ":" + port;
  int rc = ::getaddrinfo(options_.host.c_str(), port.c_str(), &hints, &found);
  if (rc != 0) {
    throw Error(ErrorKind::kUser, "cannot listen on " + where + ": " + ::gai_strerror(rc), {},
                "give --host an address or a name of this machine");
  }
  std::string last_error = "no address";
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) == 0 && ::listen(fd, 128) == 0) {
      listen_fd_ = fd;
      sockaddr_storage bound{};
      socklen_t length = sizeof bound;
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length);
      port_ = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                                 : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
      break;
    }
    last_error = std::strerror(errno);
    ::close(fd);
  }
  ::freeaddrinfo(found);
  if (listen_fd_ < 0) {
    throw Error(ErrorKind::kUser, "cannot listen on " + where + ": " + last_error, {},
                "choose another --port, or stop the server that uses it");
  }
}

void Server::Stop() {
  char byte = 1;
  [[maybe_unused]] ssize_t n = ::write(wake_pipe_[1], &byte, 1);
}

void Server::ServeConnection(int fd) {
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  {
    Session session(context_, std::make_unique<SocketStream>(fd), fd);
    session.Run();
  }
  std::lock_guard<std::mutex> lock(threads_mutex_);
  sockets_.erase(fd);
  ::close(fd);
  if (--threads_ == 0) threads_done_.notify_all();
}

void Server::Serve() {
  // Sessions beyond the limit are still served long enough to be told so; beyond this cap, sockets are closed.
  const int hard_cap = options_.max_connections + 16;
  pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
  while (true) {
    int n = ::poll(fds, 2, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[1].revents & POLLIN) break;
    if (!(fds[0].revents & POLLIN)) continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    if (threads_.load() >= hard_cap) {
      ::close(fd);
      continue;
    }
    {
      std::lock_guard<std::mutex> lock(threads_mutex_);
      ++threads_;
      sockets_.insert(fd);
    }
    try {
      std::thread([this, fd] { ServeConnection(fd); }).detach();
    } catch (const std::system_error&) {
      std::lock_guard<std::mutex> lock(threads_mutex_);
      sockets_.erase(fd);
      ::close(fd);
      --threads_;
    }
  }
  ::close(listen_fd_);
  listen_fd_ = -1;
  // Idle sessions end at once with 57P01; busy ones after their statement. Repeat the request, since a session
  // may have been between its check and its read.
  auto deadline = std::chrono::steady_clock::now() + options_.grace;
  std::unique_lock<std::mutex> lock(threads_mutex_);
  while (threads_ > 0) {
    // After the grace period statements are interrupted and sockets closed, so every thread ends.
    bool force = std::chrono::steady_clock::now() >= deadline;
    if (force) {
      for (int fd : sockets_) ::shutdown(fd, SHUT_RDWR);  // also connections still in their startup phase
    }
    lock.unlock();
    registry_.ShutdownAll(force);
    lock.lock();
    threads_done_.wait_for(lock, std::chrono::milliseconds(100), [this] { return threads_ == 0; });
  }
}

}  // namespace cdmlake::server
