#include "server/session_registry.h"

#include <openssl/rand.h>
#include <unistd.h>

namespace cdmlake::server {

namespace {

int32_t RandomInt32() {
  int32_t value = 0;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&value), sizeof value) != 1) {
    value = static_cast<int32_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  }
  return value;
}

}  // namespace

SessionRegistry::SessionRegistry(int max_connections)
    // Process ids start near the server's own, so they look like PostgreSQL backend pids in client logs.
    : max_connections_(max_connections), next_pid_(static_cast<int32_t>(::getpid()) * 16 + 1) {
  watchdog_ = std::thread([this] { Watch(); });
}

SessionRegistry::~SessionRegistry() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  watchdog_.join();
}

bool SessionRegistry::Register(Cancellable* session, int32_t* pid, int32_t* secret) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (static_cast<int>(sessions_.size()) >= max_connections_) return false;
  do {
    *pid = next_pid_++;
    if (next_pid_ <= 0) next_pid_ = 1;
  } while (sessions_.count(*pid) != 0);
  *secret = RandomInt32();
  sessions_[*pid] = Entry{session, *secret};
  return true;
}

void SessionRegistry::Unregister(int32_t pid) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    sessions_.erase(pid);
  }
  changed_.notify_all();
}

void SessionRegistry::Cancel(int32_t pid, int32_t secret) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = sessions_.find(pid);
  if (it == sessions_.end() || it->second.secret != secret) return;
  it->second.session->Cancel(false);
}

void SessionRegistry::SetDeadline(int32_t pid, int64_t timeout_ms) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = sessions_.find(pid);
    if (it == sessions_.end()) return;
    it->second.has_deadline = timeout_ms > 0;
    it->second.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  }
  if (timeout_ms > 0) changed_.notify_all();
}

void SessionRegistry::ShutdownAll(bool force) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& [pid, entry] : sessions_) entry.session->RequestShutdown(force);
}

bool SessionRegistry::WaitForNone(std::chrono::milliseconds limit) {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, limit, [this] { return sessions_.empty(); });
}

int SessionRegistry::count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return static_cast<int>(sessions_.size());
}

void SessionRegistry::Watch() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    auto now = std::chrono::steady_clock::now();
    auto next = now + std::chrono::seconds(1);
    for (auto& [pid, entry] : sessions_) {
      if (!entry.has_deadline) continue;
      if (entry.deadline <= now) {
        entry.has_deadline = false;
        entry.session->Cancel(true);
      } else if (entry.deadline < next) {
        next = entry.deadline;
      }
    }
    changed_.wait_until(lock, next);
  }
}

}  // namespace cdmlake::server
