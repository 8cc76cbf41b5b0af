// The listener of `cdmlake serve`: binds a TCP address, accepts clients and runs each one's Session on its own
// thread, over one shared DuckDB database. Stop() (safe to call from a signal handler) ends accepting; then idle
// sessions get FATAL 57P01, running statements may finish within the grace period, and Serve returns.
//
// Connections beyond the limit still get an answer (FATAL 53300 after their startup packet, from the session
// registry), so a client learns why; a hard cap above the limit protects the process from floods of sockets that
// never send a startup packet.
//
// Thread-safe as described: Serve runs on one thread; Stop from any thread or a signal handler.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>

#include "server/session.h"

namespace cdmlake::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 5433;  // 0: any free port (tests)
  int max_connections = 100;
  std::chrono::milliseconds grace{5000};  // how long running statements may finish at shutdown
};

class Server {
 public:
  // `context` is copied; its registry is replaced by the server's own.
  Server(ServerOptions options, SessionContext context);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. Throws Error(kUser) naming the address when it cannot (in use, no such host).
  void Listen();
  // The bound port (the real one when options.port was 0). Valid after Listen.
  int port() const { return port_; }
  // Accepts and serves clients until Stop; returns once sessions have ended or the grace period is over.
  void Serve();
  // Asks Serve to return. Async-signal-safe.
  void Stop();
  int active_sessions() const { return registry_.count(); }

 private:
  void ServeConnection(int fd);
  ServerOptions options_;
  SessionContext context_;
  SessionRegistry registry_;
  int listen_fd_ = -1;
  int wake_pipe_[2] = {-1, -1};
  int port_ = 0;
  std::atomic<int> threads_{0};
  std::mutex threads_mutex_;
  std::condition_variable threads_done_;
  std::set<int> sockets_;  // of the running connection threads, closed by force after the grace period
};

}  // namespace cdmlake::server
