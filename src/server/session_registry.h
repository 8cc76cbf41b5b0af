// The sessions of a running server, by their cancel keys: BackendKeyData gives each session a process id and a
// secret, and a CancelRequest that names both interrupts that session's running statement. The registry also
// enforces the connection limit, runs the statement-timeout watchdog, and tells every session to end at
// shutdown.
//
// Thread-safe: sessions register from their own threads, cancel requests arrive on others, and the watchdog has
// its own thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <thread>

namespace cdmlake::server {

// What the registry needs of a session.
class Cancellable {
 public:
  virtual ~Cancellable() = default;
  // Interrupts the running statement, if any (from another thread). `timeout` tells the session why.
  virtual void Cancel(bool timeout) = 0;
  // Asks the session to end: at once when it waits for a message, after its statement otherwise. With `force`,
  // also interrupts its statement and closes its socket (the grace period is over).
  virtual void RequestShutdown(bool force) = 0;
};

class SessionRegistry {
 public:
  explicit SessionRegistry(int max_connections);
  ~SessionRegistry();
  SessionRegistry(const SessionRegistry&) = delete;
  SessionRegistry& operator=(const SessionRegistry&) = delete;

  // Registers a session and gives it its key; false when max_connections sessions are registered already.
  bool Register(Cancellable* session, int32_t* pid, int32_t* secret);
  void Unregister(int32_t pid);
  // Interrupts the session with this key; an unknown key or a wrong secret is ignored (as PostgreSQL does, so a
  // guess reveals nothing).
  void Cancel(int32_t pid, int32_t secret);
  // Sets (or with 0 clears) the deadline of a session's running statement; the watchdog cancels it when passed.
  void SetDeadline(int32_t pid, int64_t timeout_ms);
  // Asks every session to end (see Cancellable::RequestShutdown), then returns at once.
  void ShutdownAll(bool force);
  // Waits until no session is registered or the time is up; returns true when all ended.
  bool WaitForNone(std::chrono::milliseconds limit);
  int count() const;
  int max_connections() const { return max_connections_; }

 private:
  struct Entry {
    Cancellable* session;
    int32_t secret;
    std::chrono::steady_clock::time_point deadline{};
    bool has_deadline = false;
  };
  void Watch();
  const int max_connections_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::map<int32_t, Entry> sessions_;
  int32_t next_pid_;
  bool stopping_ = false;
  std::thread watchdog_;
};

}  // namespace cdmlake::server
