#include "common/service_manager.h"

#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace monipaikka {
namespace {

// A notify socket of our own standing in for systemd's (NOTIFY_SOCKET).
class ServiceManagerTest : public testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/monipaikka-notify-XXXXXX";
    ASSERT_NE(mkdtemp(dir_template), nullptr);
    dir_ = dir_template;
    path_ = dir_ + "/notify";
    socket_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(socket_, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path_.c_str(), sizeof(address.sun_path) - 1);
    ASSERT_EQ(
        bind(socket_, reinterpret_cast<sockaddr*>(&address), sizeof(address)),
        0);
    timeval timeout{0, 50 * 1000};
    setsockopt(socket_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    setenv("NOTIFY_SOCKET", path_.c_str(), 1);
  }

  void TearDown() override {
    unsetenv("NOTIFY_SOCKET");
    unsetenv("WATCHDOG_USEC");
    unsetenv("WATCHDOG_PID");
    close(socket_);
    unlink(path_.c_str());
    rmdir(dir_.c_str());
  }

  // The next message within `wait`, or "" when none came.
  std::string Receive(std::chrono::milliseconds wait) {
    const auto deadline = std::chrono::steady_clock::now() + wait;
    char buffer[4096];
    while (std::chrono::steady_clock::now() < deadline) {
      const ssize_t n = recv(socket_, buffer, sizeof(buffer), 0);
      if (n > 0) return std::string(buffer, n);
    }
    return "";
  }

  // Discards what was sent until now.
  void Drain() {
    char buffer[4096];
    while (recv(socket_, buffer, sizeof(buffer), MSG_DONTWAIT) > 0) {
    }
  }

  std::string dir_;
  std::string path_;
  int socket_ = -1;
};

TEST_F(ServiceManagerTest, ReadyStatusAndStoppingReachTheManager) {
  NotifyReady("serving on 127.0.0.1:7070\nsecond line");
  EXPECT_EQ(Receive(std::chrono::seconds(2)),
            "READY=1\nSTATUS=serving on 127.0.0.1:7070 second line");
  NotifyStatus("storage failing");
  EXPECT_EQ(Receive(std::chrono::seconds(2)), "STATUS=storage failing");
  NotifyReloading();
  EXPECT_EQ(Receive(std::chrono::seconds(2)), "RELOADING=1");
  NotifyStopping();
  EXPECT_EQ(Receive(std::chrono::seconds(2)), "STOPPING=1\nSTATUS=stopping");
}

TEST_F(ServiceManagerTest, NoWatchdogWithoutWatchdogSec) {
  EXPECT_FALSE(WatchdogInterval().has_value());
  EXPECT_EQ(Watchdog::Start([] { return true; }), nullptr);
}

TEST_F(ServiceManagerTest, NoWatchdogForAnotherProcess) {
  setenv("WATCHDOG_USEC", "200000", 1);
  setenv("WATCHDOG_PID", absl::StrCat(getpid() + 1).c_str(), 1);
  EXPECT_EQ(Watchdog::Start([] { return true; }), nullptr);
}

// Pings while alive, none while not, and none once destroyed.
TEST_F(ServiceManagerTest, WatchdogPingsOnlyWhileAlive) {
  setenv("WATCHDOG_USEC", "200000", 1);
  setenv("WATCHDOG_PID", absl::StrCat(getpid()).c_str(), 1);
  ASSERT_EQ(WatchdogInterval(), std::chrono::microseconds(200000));
  std::atomic<bool> alive{true};
  std::unique_ptr<Watchdog> watchdog =
      Watchdog::Start([&alive] { return alive.load(); });
  ASSERT_NE(watchdog, nullptr);
  EXPECT_EQ(Receive(std::chrono::seconds(2)), "WATCHDOG=1");
  EXPECT_EQ(Receive(std::chrono::seconds(2)), "WATCHDOG=1");

  alive = false;
  // A ping decided before the change may still arrive.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  Drain();
  EXPECT_EQ(Receive(std::chrono::milliseconds(300)), "");

  alive = true;
  EXPECT_EQ(Receive(std::chrono::seconds(2)), "WATCHDOG=1");
  watchdog.reset();
  Drain();
  EXPECT_EQ(Receive(std::chrono::milliseconds(200)), "");
}

}  // namespace
}  // namespace monipaikka
