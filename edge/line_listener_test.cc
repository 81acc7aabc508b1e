#include "edge/line_listener.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "common/time_format.h"
#include "gtest/gtest.h"

namespace monipaikka::edge {
namespace {

using std::chrono::milliseconds;

const int64_t kNow = *ParseInstantMs("2026-03-23T08:00:00Z");

// A line listener on loopback over a real outbox, its io_context run by a
// thread of its own.
class LineListenerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("edge_line_listener_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    absl::StatusOr<std::unique_ptr<Outbox>> outbox =
        Outbox::Open((dir_ / "outbox.db").string());
    ASSERT_TRUE(outbox.ok()) << outbox.status();
    outbox_ = *std::move(outbox);
    pipeline_ = std::make_unique<InputPipeline>(
        outbox_.get(), std::map<std::string, Codec>{}, [] { return kNow; });
    ASSERT_TRUE(pipeline_->Init().ok());
    pipeline_->SetServedSensors(
        {{"DESK-17", "desk_presence", "S", "Europe/Helsinki", "", ""}});
  }
  void TearDown() override {
    if (listener_ != nullptr) {
      asio::post(io_, [this] { listener_->Stop(); });
    }
    work_.reset();
    if (thread_.joinable()) thread_.join();
    listener_.reset();
    pipeline_.reset();
    outbox_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Starts a listener with `options` on 127.0.0.1 (TCP); its status.
  absl::Status Start(LineListenerOptions options,
                     const std::string& tcp = "127.0.0.1:0",
                     const std::string& udp = "") {
    listener_ =
        std::make_unique<LineListener>(io_, pipeline_.get(), nullptr, options);
    absl::Status started = listener_->Start(udp, tcp);
    if (started.ok()) {
      thread_ = std::thread([this] { io_.run(); });
    }
    return started;
  }

  // A connected TCP client socket, or -1.
  int Connect() const {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(listener_->tcp_port()));
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) !=
        0) {
      ::close(fd);
      return -1;
    }
    return fd;
  }

  // What the server sends on `fd` within `wait`: the bytes, and whether it
  // closed the connection (read returned 0 or failed).
  static std::pair<std::string, bool> Receive(int fd, milliseconds wait) {
    std::string received;
    const auto deadline = std::chrono::steady_clock::now() + wait;
    while (true) {
      const auto left = std::chrono::duration_cast<milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return {received, false};
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
        return {received, false};
      }
      char buffer[256];
      const ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n <= 0) return {received, true};
      received.append(buffer, static_cast<size_t>(n));
    }
  }

  static void Send(int fd, const std::string& text) {
    ASSERT_EQ(::write(fd, text.data(), text.size()),
              static_cast<ssize_t>(text.size()));
  }

  std::filesystem::path dir_;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<InputPipeline> pipeline_;
  asio::io_context io_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>>
      work_{asio::make_work_guard(io_)};
  std::unique_ptr<LineListener> listener_;
  std::thread thread_;
};

TEST_F(LineListenerTest, NonLoopbackAddressesNeedToBeAllowed) {
  for (const auto& [udp, tcp, key] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"", "0.0.0.0:0", "line.tcp"},
           {"192.168.1.20:7701", "", "line.udp"},
           {"", "[::]:0", "line.tcp"}}) {
    LineListener listener(io_, pipeline_.get(), nullptr, {});
    const absl::Status started = listener.Start(udp, tcp);
    EXPECT_EQ(started.code(), absl::StatusCode::kInvalidArgument) << started;
    EXPECT_NE(started.message().find(key), std::string::npos) << started;
    EXPECT_NE(started.message().find("not a loopback address"),
              std::string::npos)
        << started;
    EXPECT_EQ(listener.tcp_port(), 0);
    EXPECT_EQ(listener.udp_port(), 0);
  }
  // Loopback needs nothing.
  ASSERT_TRUE(Start({}).ok());
  EXPECT_GT(listener_->tcp_port(), 0);
}

TEST_F(LineListenerTest, IdleConnectionIsClosedAndABusyOneIsNot) {
  LineListenerOptions options;
  options.idle_timeout = milliseconds(300);
  ASSERT_TRUE(Start(options).ok());
  const int idle = Connect();
  const int busy = Connect();
  ASSERT_GE(idle, 0);
  ASSERT_GE(busy, 0);
  // The busy peer sends a line every 100 ms, three timeouts long.
  std::string busy_replies;
  for (int i = 0; i < 9; ++i) {
    Send(busy, absl::StrCat("DESK-17 occupied ", kNow - 60000 + i, "\n"));
    auto [received, closed] = Receive(busy, milliseconds(100));
    ASSERT_FALSE(closed) << "a connection in use was closed after " << i;
    busy_replies += received;
  }
  // By now the idle one was closed by the listener.
  auto [received, closed] = Receive(idle, milliseconds(2000));
  EXPECT_TRUE(closed);
  EXPECT_EQ(received, "");
  // The busy one got every reply and is still served.
  Send(busy, absl::StrCat("DESK-17 free ", kNow - 1000, "\n"));
  auto [last, busy_closed] = Receive(busy, milliseconds(200));
  busy_replies += last;
  EXPECT_FALSE(busy_closed);
  std::string ten_oks;
  for (int i = 0; i < 10; ++i) ten_oks += "ok\n";
  EXPECT_EQ(busy_replies, ten_oks);
  ::close(idle);
  ::close(busy);
}

TEST_F(LineListenerTest, IdleConnectionsGiveTheirPlacesBack) {
  LineListenerOptions options;
  options.idle_timeout = milliseconds(300);
  ASSERT_TRUE(Start(options).ok());
  // Every place taken by a peer that sends nothing.
  std::vector<int> idle;
  for (int i = 0; i < LineListener::kMaxConnections; ++i) {
    idle.push_back(Connect());
    ASSERT_GE(idle.back(), 0);
  }
  // Once they timed out, a new peer is served.
  for (int fd : idle) {
    EXPECT_TRUE(Receive(fd, milliseconds(3000)).second);
    ::close(fd);
  }
  const int late = Connect();
  ASSERT_GE(late, 0);
  Send(late, absl::StrCat("DESK-17 occupied ", kNow - 5000, "\n"));
  EXPECT_EQ(Receive(late, milliseconds(1000)).first, "ok\n");
  ::close(late);
}

}  // namespace
}  // namespace monipaikka::edge
