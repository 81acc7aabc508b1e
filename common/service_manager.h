#pragma once

// The server's and the edge agent's side of systemd's Type=notify protocol
// (sd_notify, libsystemd): tell the service manager when the program is
// ready, what it is doing, that it is stopping, and, when the unit has
// WatchdogSec=, that it is still alive. Outside systemd (no NOTIFY_SOCKET in
// the environment) every call does nothing.
//
// Thread safety: every function may be called from any thread.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace monipaikka {

// READY=1 with a STATUS= line: startup is over (the listener is bound), so
// units ordered after this one may start. Also after a reload (SIGHUP).
void NotifyReady(absl::string_view status);
// STATUS= only, e.g. "storage failing: disk full" (shown by systemctl
// status).
void NotifyStatus(absl::string_view status);
// RELOADING=1: a reload has begun; NotifyReady() ends it.
void NotifyReloading();
// STOPPING=1: an orderly shutdown has begun.
void NotifyStopping();

// The interval within which the service manager expects WATCHDOG=1 (the
// unit's WatchdogSec=, from WATCHDOG_USEC for this process), or none.
std::optional<std::chrono::microseconds> WatchdogInterval();

// A thread that sends WATCHDOG=1 at a quarter of the watchdog interval
// while `alive()` says the program works. When `alive()` returns false no
// ping is sent, and the service manager kills and restarts the program once
// the interval passes without one. `alive` runs on the watchdog's thread
// and must answer quickly (it reads state, it does not wait for work).
class Watchdog {
 public:
  // Nothing (nullptr) when the unit has no watchdog.
  static std::unique_ptr<Watchdog> Start(std::function<bool()> alive);
  // Stops and joins the thread; no ping after it returns.
  ~Watchdog();

  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

 private:
  Watchdog(std::chrono::microseconds period, std::function<bool()> alive);
  void Run();

  const std::chrono::microseconds period_;
  const std::function<bool()> alive_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace monipaikka
