#include "common/service_manager.h"

#include <systemd/sd-daemon.h>

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/log.h"

namespace monipaikka {
namespace {

// A status line is one line: newlines would end the STATUS= assignment and
// start another.
std::string OneLine(absl::string_view status) {
  std::string line(status);
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return line;
}

void Notify(const std::string& state) {
  // unset_environment = 0: threads started later (and a re-exec) still find
  // NOTIFY_SOCKET. A failure is not fatal: the service manager then
  // reports the unit itself (a start timeout, a watchdog timeout).
  if (const int sent = sd_notify(0, state.c_str()); sent < 0) {
    Log(LogLevel::kWarning, "service_manager_notify_failed",
        {{"state", state.substr(0, state.find('\n'))}, {"errno", -sent}});
  }
}

}  // namespace

void NotifyReady(absl::string_view status) {
  Notify(absl::StrCat("READY=1\nSTATUS=", OneLine(status)));
}

void NotifyStatus(absl::string_view status) {
  Notify(absl::StrCat("STATUS=", OneLine(status)));
}

void NotifyReloading() { Notify("RELOADING=1"); }

void NotifyStopping() { Notify("STOPPING=1\nSTATUS=stopping"); }

std::optional<std::chrono::microseconds> WatchdogInterval() {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
  return std::chrono::microseconds(usec);
}

std::unique_ptr<Watchdog> Watchdog::Start(std::function<bool()> alive) {
  const std::optional<std::chrono::microseconds> interval = WatchdogInterval();
  if (!interval) return nullptr;
  std::unique_ptr<Watchdog> watchdog(
      new Watchdog(*interval / 4, std::move(alive)));
  watchdog->thread_ = std::thread([w = watchdog.get()] { w->Run(); });
  Log(LogLevel::kInfo, "watchdog_started",
      {{"interval_ms",
        std::chrono::duration_cast<std::chrono::milliseconds>(*interval)
            .count()}});
  return watchdog;
}

Watchdog::Watchdog(std::chrono::microseconds period,
                   std::function<bool()> alive)
    : period_(period), alive_(std::move(alive)) {}

Watchdog::~Watchdog() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void Watchdog::Run() {
  bool was_alive = true;
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
    }
    const bool alive = alive_();
    if (alive) Notify("WATCHDOG=1");
    if (alive != was_alive) {
      // Once per change: the kill that follows is logged by systemd.
      Log(alive ? LogLevel::kInfo : LogLevel::kError,
          alive ? "watchdog_alive_again" : "watchdog_not_alive",
          {{"pings", alive ? "resumed" : "withheld"}});
      was_alive = alive;
    }
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(&stopping_),
                         absl::FromChrono(period_));
  }
}

}  // namespace monipaikka
