// The HTTP side of the real server: Connect calls with a bearer token and
// with a session cookie, the error mapping, CSRF, logout, revocation, the
// display role, the live watch stream, the web app's files and the limits.

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/time_format.h"
#include "monipaikka/v1/live.pb.h"
#include "tests/support/cluster.h"
#include "tests/support/http_client.h"
#include "tests/support/temp_dir.h"

namespace monipaikka::testing {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;
using nlohmann::json;

constexpr char kListSites[] = "/monipaikka.v1.InventoryService/ListSites";
constexpr char kGetLive[] =
    "/monipaikka.v1.LiveOccupancyService/GetLiveOccupancy";
constexpr char kWatchLive[] =
    "/monipaikka.v1.LiveOccupancyService/WatchLiveOccupancy";

class HttpIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_.File("web/assets"));
    std::ofstream(dir_.File("web/index.html")) << "<!doctype html><p>app";
    std::ofstream(dir_.File("web/assets/app-1.js")) << "console.log(1)";
    std::ofstream(dir_.File("web/assets/app-1.js.gz")) << "gzip of app-1.js";
    server_ = std::make_unique<ServerProcess>(
        dir_, 0, "server",
        std::vector<std::string>{
            "--web_root=" + dir_.File("web"), "--http_max_connections=6",
            "--http_idle_timeout_s=2", "--http_header_timeout_s=2",
            "--http_write_timeout_s=2", "--http_max_body_kb=64"});
    ASSERT_GT(server_->http_port(), 0) << server_->process().Log();
    ASSERT_TRUE(
        ImportInventory(*server_, dir_, OneSiteInventoryJson(3, "gw-it")).ok());
    admin_ = server_->admin_token();
    facility_ = CreateToken(*server_, admin_, "facility", "facility team");
  }

  int port() const { return server_->http_port(); }

  absl::StatusOr<HttpAnswer> Post(const std::string& path,
                                  const std::string& body, Headers headers) {
    return HttpRequest(port(), "POST", path, headers, body);
  }

  static Headers Bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token},
            {"Content-Type", "application/json"}};
  }

  // Signs in with `token`; the cookie ("mp_session=...") and CSRF token.
  std::pair<std::string, std::string> SignIn(const std::string& token) {
    absl::StatusOr<HttpAnswer> answer =
        Post("/session", json{{"token", token}}.dump(),
             {{"Content-Type", "application/json"}});
    EXPECT_TRUE(answer.ok()) << answer.status();
    if (!answer.ok()) return {};
    EXPECT_EQ(answer->status, 200) << answer->body;
    const std::string set_cookie = answer->Header("set-cookie");
    const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
    const json body = json::parse(answer->body, nullptr, false);
    EXPECT_TRUE(body.is_object()) << answer->body;
    return {cookie, body.value("csrfToken", "")};
  }

  // Opens a live watch of IT-SITE with a session of `token`; check ok() and
  // read the answer's head.
  std::unique_ptr<HttpConnection> OpenWatch(const std::string& token) {
    const auto [cookie, csrf] = SignIn(token);
    auto stream = std::make_unique<HttpConnection>(port());
    if (!stream->ok()) return stream;
    const std::string request = "{\"site\":\"IT-SITE\"}";
    std::string envelope(5, '\0');
    envelope[4] = static_cast<char>(request.size());
    EXPECT_TRUE(stream
                    ->Send("POST", kWatchLive,
                           {{"Cookie", cookie},
                            {"X-CSRF-Token", csrf},
                            {"Content-Type", "application/connect+json"},
                            {"Connect-Protocol-Version", "1"}},
                           envelope + request)
                    .ok());
    return stream;
  }

  // Imports one current reading: IT-DEV-1 occupied a second ago.
  void ImportOccupiedNow() {
    const std::string csv = dir_.File("now.csv");
    std::ofstream(csv) << "sensor,ts,occupied\nIT-DEV-1,"
                       << FormatInstantMs(absl::ToUnixMillis(absl::Now()) -
                                          1000)
                       << ",1\n";
    Client({"readings", "import", csv});
  }

  void Client(std::vector<std::string> args) {
    args.insert(args.begin(), "--server=" + server_->address());
    std::string out, err;
    EXPECT_EQ(RunToCompletion(ClientBinary(), args, &out,
                              std::chrono::seconds(60), &err),
              0)
        << out << err;
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::string admin_;
  std::string facility_;
};

TEST_F(HttpIntegrationTest, BearerTokenCallsTheApiInJsonAndProto) {
  absl::StatusOr<HttpAnswer> answer = Post(kListSites, "{}", Bearer(facility_));
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(answer->status, 200) << answer->body;
  EXPECT_EQ(answer->Header("content-type"), "application/json");
  EXPECT_TRUE(absl::StrContains(answer->body, "\"IT-SITE\"")) << answer->body;
  EXPECT_EQ(answer->Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(answer->Header("cache-control"), "no-store");

  // The same call in binary protobuf.
  answer = Post(kListSites, "",
                {{"Authorization", "Bearer " + facility_},
                 {"Content-Type", "application/proto"}});
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(answer->Header("content-type"), "application/proto");
  EXPECT_TRUE(absl::StrContains(answer->body, "IT-SITE"));

  // Keep-alive: several calls on one connection.
  HttpConnection connection(port());
  ASSERT_TRUE(connection.ok()) << connection.status();
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(
        connection.Send("POST", kListSites, Bearer(facility_), "{}").ok());
    absl::StatusOr<HttpAnswer> again = connection.Read();
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_EQ(again->status, 200);
  }
}

TEST_F(HttpIntegrationTest, ErrorsAreConnectErrorsWithTheirHttpStatus) {
  const std::string hr = CreateToken(*server_, admin_, "hr", "hr team");
  struct Case {
    std::string path;
    std::string body;
    Headers headers;
    int status;
    std::string code;
    std::string in_message;
  };
  const std::vector<Case> cases = {
      {kListSites,
       "{}",
       {{"Content-Type", "application/json"}},
       401,
       "unauthenticated",
       "token"},
      {kListSites, "{}", Bearer("not-a-token"), 401, "unauthenticated", ""},
      {kListSites, "{}", Bearer(hr), 403, "permission_denied", "facility"},
      {"/monipaikka.v1.InventoryService/Nope", "{}", Bearer(facility_), 404,
       "unimplemented", "Nope"},
      {"/grpc.health.v1.Health/Check", "{}", Bearer(facility_), 404,
       "unimplemented", ""},
      {kListSites, "{\"nope\": 1}", Bearer(facility_), 400, "invalid_argument",
       "nope"},
      {kListSites, "{", Bearer(facility_), 400, "invalid_argument", ""},
      {kGetLive, "{\"site\": \"NOPE\"}", Bearer(facility_), 404, "not_found",
       ""},
      {kListSites,
       "{}",
       {{"Authorization", "Bearer " + facility_},
        {"Content-Type", "text/plain"}},
       415,
       "invalid_argument",
       "application/json"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<HttpAnswer> answer = Post(c.path, c.body, c.headers);
    ASSERT_TRUE(answer.ok()) << answer.status();
    EXPECT_EQ(answer->status, c.status) << c.path << " " << answer->body;
    EXPECT_EQ(answer->Header("content-type"), "application/json");
    const json error = json::parse(answer->body, nullptr, false);
    ASSERT_TRUE(error.is_object()) << answer->body;
    EXPECT_EQ(error.value("code", ""), c.code) << answer->body;
    EXPECT_TRUE(absl::StrContains(error.value("message", ""), c.in_message))
        << answer->body;
  }
}

TEST_F(HttpIntegrationTest, SessionCookieIsGuardedAndCsrfIsRequired) {
  absl::StatusOr<HttpAnswer> answer =
      Post("/session", json{{"token", facility_}}.dump(),
           {{"Content-Type", "application/json"}});
  ASSERT_TRUE(answer.ok()) << answer.status();
  ASSERT_EQ(answer->status, 200) << answer->body;
  const std::string set_cookie = answer->Header("set-cookie");
  EXPECT_TRUE(absl::StartsWith(set_cookie, "mp_session=")) << set_cookie;
  EXPECT_TRUE(absl::StrContains(set_cookie, "HttpOnly")) << set_cookie;
  EXPECT_TRUE(absl::StrContains(set_cookie, "SameSite=Strict")) << set_cookie;
  EXPECT_TRUE(absl::StrContains(set_cookie, "Path=/")) << set_cookie;
  // Plaintext on loopback: no Secure (the browser would drop the cookie).
  EXPECT_FALSE(absl::StrContains(set_cookie, "Secure")) << set_cookie;
  // The token never comes back.
  EXPECT_FALSE(absl::StrContains(answer->body, facility_));
  const json session = json::parse(answer->body);
  EXPECT_EQ(session["role"], "facility");
  const std::string csrf = session["csrfToken"];
  EXPECT_EQ(csrf.size(), 43u);
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));

  // Without the CSRF header: refused; with a wrong one too.
  answer = Post(kListSites, "{}",
                {{"Cookie", cookie}, {"Content-Type", "application/json"}});
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->status, 403) << answer->body;
  EXPECT_TRUE(absl::StrContains(answer->body, "X-CSRF-Token")) << answer->body;
  answer = Post(kListSites, "{}",
                {{"Cookie", cookie},
                 {"X-CSRF-Token", std::string(43, 'x')},
                 {"Content-Type", "application/json"}});
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->status, 403) << answer->body;
  // With it: the call runs with the token's rights.
  answer = Post(kListSites, "{}",
                {{"Cookie", cookie},
                 {"X-CSRF-Token", csrf},
                 {"Content-Type", "application/json"}});
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->status, 200) << answer->body;
  EXPECT_TRUE(absl::StrContains(answer->body, "IT-SITE"));

  // GET /session tells a reloaded page who it is, with the CSRF token.
  answer = HttpRequest(port(), "GET", "/session", {{"Cookie", cookie}});
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->status, 200) << answer->body;
  EXPECT_EQ(json::parse(answer->body)["csrfToken"], csrf);

  // A wrong token signs nobody in.
  answer = Post("/session", json{{"token", "wrong"}}.dump(),
                {{"Content-Type", "application/json"}});
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->status, 401) << answer->body;
  EXPECT_TRUE(answer->Header("set-cookie").empty());
  // Only JSON bodies (a cross-site form cannot send one without CORS).
  answer = Post("/session", "token=" + facility_,
                {{"Content-Type", "application/x-www-form-urlencoded"}});
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->status, 400) << answer->body;
}

TEST_F(HttpIntegrationTest, LogoutEndsTheSession) {
  const auto [cookie, csrf] = SignIn(facility_);
  absl::StatusOr<HttpAnswer> answer =
      Post("/session/logout", "", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->status, 200) << answer->body;
  EXPECT_TRUE(absl::StrContains(answer->Header("set-cookie"), "Max-Age=0"));
  answer = Post(kListSites, "{}",
                {{"Cookie", cookie},
                 {"X-CSRF-Token", csrf},
                 {"Content-Type", "application/json"}});
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->status, 401) << answer->body;
  EXPECT_TRUE(absl::StrContains(answer->Header("set-cookie"), "Max-Age=0"));

  // DELETE /session does the same.
  const auto [cookie2, csrf2] = SignIn(facility_);
  answer = HttpRequest(port(), "DELETE", "/session",
                       {{"Cookie", cookie2}, {"X-CSRF-Token", csrf2}});
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->status, 200);
  answer = HttpRequest(port(), "GET", "/session", {{"Cookie", cookie2}});
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->status, 401);
}

TEST_F(HttpIntegrationTest, RevokingTheTokenEndsItsSessions) {
  const std::string token = CreateToken(*server_, admin_, "facility", "kiosk");
  const auto [cookie, csrf] = SignIn(token);
  const Headers headers = {{"Cookie", cookie},
                           {"X-CSRF-Token", csrf},
                           {"Content-Type", "application/json"}};
  absl::StatusOr<HttpAnswer> answer = Post(kListSites, "{}", headers);
  ASSERT_TRUE(answer.ok());
  ASSERT_EQ(answer->status, 200);
  answer = HttpRequest(port(), "GET", "/session", {{"Cookie", cookie}});
  ASSERT_TRUE(answer.ok());
  const std::string id = json::parse(answer->body)["tokenId"];
  Client({"tokens", "revoke", id});
  answer = Post(kListSites, "{}", headers);
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->status, 401) << answer->body;
  EXPECT_TRUE(absl::StrContains(answer->body, "revoked")) << answer->body;
  EXPECT_TRUE(absl::StrContains(answer->Header("set-cookie"), "Max-Age=0"));
  // And signing in again with it fails.
  answer = Post("/session", json{{"token", token}}.dump(),
                {{"Content-Type", "application/json"}});
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->status, 401);
}

TEST_F(HttpIntegrationTest, DisplayTokenReadsOnlyItsSitesLiveOccupancy) {
  const std::string display =
      CreateToken(*server_, admin_, "display", "lobby", {"--sites=IT-SITE"});
  ASSERT_FALSE(display.empty());
  absl::StatusOr<HttpAnswer> answer =
      Post(kGetLive, "{\"site\":\"IT-SITE\"}", Bearer(display));
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->status, 200) << answer->body;
  answer = Post(kGetLive, "{\"site\":\"OTHER\"}", Bearer(display));
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->status, 403) << answer->body;
  EXPECT_TRUE(absl::StrContains(answer->body, "IT-SITE")) << answer->body;
  answer = Post(kListSites, "{}", Bearer(display));
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->status, 403) << answer->body;
  answer = Post("/monipaikka.v1.AnalyticsService/ListTargets", "{}",
                Bearer(display));
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->status, 403) << answer->body;
  // The session says which sites a kiosk shows.
  const auto [cookie, csrf] = SignIn(display);
  answer = HttpRequest(port(), "GET", "/session", {{"Cookie", cookie}});
  ASSERT_TRUE(answer.ok());
  const json session = json::parse(answer->body);
  EXPECT_EQ(session["role"], "display");
  EXPECT_EQ(session["sites"], json::array({"IT-SITE"}));
  // A display token needs sites, and only display tokens name them.
  std::string out, err;
  EXPECT_NE(RunToCompletion(ClientBinary(),
                            {"--server=" + server_->address(), "tokens",
                             "create", "--role=display", "--name=x"},
                            &out, std::chrono::seconds(30), &err),
            0);
  EXPECT_TRUE(absl::StrContains(err, "sites")) << err;
}

TEST_F(HttpIntegrationTest, WatchStreamsAnUpdateAfterAReadingIsIngested) {
  std::unique_ptr<HttpConnection> watch = OpenWatch(facility_);
  ASSERT_TRUE(watch->ok());
  HttpConnection& stream = *watch;
  absl::StatusOr<HttpAnswer> head = stream.ReadHead();
  ASSERT_TRUE(head.ok()) << head.status();
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->Header("content-type"), "application/connect+json");
  auto next_message = [&](std::chrono::milliseconds timeout) {
    absl::StatusOr<std::string> chunk = stream.ReadChunk(timeout);
    EXPECT_TRUE(chunk.ok()) << chunk.status();
    v1::LiveOccupancyUpdate update;
    if (!chunk.ok()) return update;
    EXPECT_GE(chunk->size(), 5u);
    EXPECT_EQ((*chunk)[0], 0) << "not a message envelope: " << *chunk;
    EXPECT_TRUE(
        google::protobuf::util::JsonStringToMessage(chunk->substr(5), &update)
            .ok())
        << *chunk;
    return update;
  };
  const v1::LiveOccupancyUpdate snapshot =
      next_message(std::chrono::seconds(10));
  EXPECT_TRUE(snapshot.snapshot());
  EXPECT_EQ(snapshot.occupancy().unknown(), 3);

  const auto sent = std::chrono::steady_clock::now();
  ImportOccupiedNow();
  const v1::LiveOccupancyUpdate change = next_message(std::chrono::seconds(5));
  EXPECT_LT(std::chrono::steady_clock::now() - sent, std::chrono::seconds(5));
  EXPECT_FALSE(change.snapshot());
  EXPECT_EQ(change.occupancy().occupied(), 1) << change.DebugString();
}

TEST_F(HttpIntegrationTest, StreamEndsWithAnErrorMessageForAWrongSite) {
  const std::string display =
      CreateToken(*server_, admin_, "display", "lobby", {"--sites=IT-SITE"});
  HttpConnection stream(port());
  const std::string request = "{\"site\":\"OTHER\"}";
  std::string envelope(5, '\0');
  envelope[4] = static_cast<char>(request.size());
  ASSERT_TRUE(stream
                  .Send("POST", kWatchLive,
                        {{"Authorization", "Bearer " + display},
                         {"Content-Type", "application/connect+json"}},
                        envelope + request)
                  .ok());
  absl::StatusOr<HttpAnswer> head = stream.ReadHead();
  ASSERT_TRUE(head.ok()) << head.status();
  EXPECT_EQ(head->status, 200);
  absl::StatusOr<std::string> end = stream.ReadChunk();
  ASSERT_TRUE(end.ok()) << end.status();
  ASSERT_GE(end->size(), 5u);
  EXPECT_EQ((*end)[0], 2);  // end of stream
  const json message = json::parse(end->substr(5));
  EXPECT_EQ(message["error"]["code"], "permission_denied") << *end;
  absl::StatusOr<std::string> last = stream.ReadChunk();
  ASSERT_TRUE(last.ok());
  EXPECT_TRUE(last->empty());
}

TEST_F(HttpIntegrationTest, ServesTheWebAppWithStrictHeaders) {
  absl::StatusOr<HttpAnswer> answer = HttpRequest(port(), "GET", "/", {});
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(answer->body, "<!doctype html><p>app");
  EXPECT_EQ(answer->Header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(answer->Header("cache-control"), "no-cache");
  EXPECT_TRUE(absl::StrContains(answer->Header("content-security-policy"),
                                "default-src 'self'"));
  EXPECT_TRUE(absl::StrContains(answer->Header("content-security-policy"),
                                "frame-ancestors 'none'"));
  EXPECT_EQ(answer->Header("x-content-type-options"), "nosniff");

  answer = HttpRequest(port(), "GET", "/assets/app-1.js", {});
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(answer->Header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_TRUE(absl::StrContains(answer->Header("cache-control"), "immutable"));
  EXPECT_EQ(answer->body, "console.log(1)");
  EXPECT_EQ(answer->Header("content-encoding"), "");
  EXPECT_EQ(answer->Header("vary"), "Accept-Encoding");
  // A browser that takes gzip gets the gzip copy the web build wrote.
  answer = HttpRequest(port(), "GET", "/assets/app-1.js",
                       {{"Accept-Encoding", "gzip, deflate, br"}});
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(answer->body, "gzip of app-1.js");
  EXPECT_EQ(answer->Header("content-encoding"), "gzip");
  EXPECT_EQ(answer->Header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(answer->Header("vary"), "Accept-Encoding");
  answer = HttpRequest(port(), "GET", "/", {{"Accept-Encoding", "gzip"}});
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->body, "<!doctype html><p>app");  // no copy: as it is
  EXPECT_EQ(answer->Header("content-encoding"), "");
  // The app's own routes are the app.
  answer = HttpRequest(port(), "GET", "/sites/IT-SITE", {});
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(answer->body, "<!doctype html><p>app");
  // No way out of the directory.
  for (const char* target :
       {"/../server.db", "/%2e%2e/server.db", "/assets/..%2f..%2fserver.db"}) {
    answer = HttpRequest(port(), "GET", target, {});
    ASSERT_TRUE(answer.ok());
    EXPECT_TRUE(answer->status == 400 || answer->status == 404)
        << target << " " << answer->status;
    EXPECT_FALSE(absl::StrContains(answer->body, "SQLite")) << target;
  }
  answer = HttpRequest(port(), "GET", "/assets/missing.js", {});
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->status, 404);
  answer = HttpRequest(port(), "PUT", "/index.html", {});
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->status, 405);
}

TEST_F(HttpIntegrationTest, LimitsRefuseWithoutHarmingTheServer) {
  // An oversized header.
  absl::StatusOr<HttpAnswer> answer =
      HttpRequest(port(), "GET", "/", {{"X-Big", std::string(20 * 1024, 'a')}});
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(answer->status, 431);
  // An oversized body, announced and refused before it is read.
  answer = Post(kListSites, std::string(65 * 1024, ' '), Bearer(facility_));
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(answer->status, 413);
  // A request that does not parse.
  {
    HttpConnection garbage(port());
    ASSERT_TRUE(garbage.SendRaw("NOT HTTP AT ALL\r\n\r\n").ok());
    absl::StatusOr<HttpAnswer> refused = garbage.Read();
    ASSERT_TRUE(refused.ok()) << refused.status();
    EXPECT_EQ(refused->status, 400);
  }
  // A slow request (header not finished in time) is cut off.
  {
    HttpConnection slow(port());
    ASSERT_TRUE(slow.SendRaw("GET / HTTP/1.1\r\nHost: x\r\n").ok());
    const auto start = std::chrono::steady_clock::now();
    EXPECT_TRUE(slow.ClosedByPeer(std::chrono::seconds(10)));
    EXPECT_LT(std::chrono::steady_clock::now() - start,
              std::chrono::seconds(5));
  }
  // An idle kept-alive connection is closed.
  {
    HttpConnection idle(port());
    ASSERT_TRUE(idle.Send("GET", "/", {}).ok());
    ASSERT_TRUE(idle.Read().ok());
    EXPECT_TRUE(idle.ClosedByPeer(std::chrono::seconds(6)));
  }
  // The connection limit: one more than allowed is answered 503.
  {
    std::vector<std::unique_ptr<HttpConnection>> held;
    for (int i = 0; i < 6; ++i) {
      held.push_back(std::make_unique<HttpConnection>(port()));
      ASSERT_TRUE(held.back()->Send("GET", "/", {}).ok());
      ASSERT_TRUE(held.back()->Read().ok());
    }
    absl::StatusOr<HttpAnswer> refused = HttpRequest(port(), "GET", "/", {});
    ASSERT_TRUE(refused.ok()) << refused.status();
    EXPECT_EQ(refused->status, 503);
  }
  // Once they are gone the server serves again.
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(5);
  int status = 0;
  while (status != 200 && std::chrono::steady_clock::now() < deadline) {
    answer = Post(kListSites, "{}", Bearer(facility_));
    if (answer.ok()) status = answer->status;
    if (status != 200)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(status, 200);
  EXPECT_TRUE(server_->process().running()) << server_->process().Log();
}

// A client that asks for a large answer and stops reading is cut off once
// the answer is not taken within --http_write_timeout_s (2 s here), and
// counted; the server serves on.
TEST_F(HttpIntegrationTest,
       AClientThatStopsReadingIsCutOffAfterTheWriteTimeout) {
  constexpr size_t kBytes = 32 << 20;
  {
    std::ofstream big(dir_.File("web/assets/big.bin"), std::ios::binary);
    big << std::string(kBytes, 'x');
  }
  HttpConnection stalled(port(), /*receive_buffer_bytes=*/4096);
  ASSERT_TRUE(stalled.ok()) << stalled.status();
  ASSERT_TRUE(stalled.Send("GET", "/assets/big.bin", {}).ok());
  const auto start = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  // The server has given up: what it had sent drains, then the close.
  EXPECT_TRUE(stalled.ClosedByPeer(std::chrono::seconds(10)));
  EXPECT_LT(stalled.received(), kBytes);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(8));

  absl::StatusOr<HttpAnswer> metrics =
      HttpRequest(server_->metrics_port(), "GET", "/metrics", {});
  ASSERT_TRUE(metrics.ok()) << metrics.status();
  EXPECT_TRUE(absl::StrContains(metrics->body,
                                "monipaikka_http_write_timeouts_total 1"))
      << metrics->body;
  // A client that reads gets the whole file.
  absl::StatusOr<HttpAnswer> whole =
      HttpRequest(port(), "GET", "/assets/big.bin", {});
  ASSERT_TRUE(whole.ok()) << whole.status();
  EXPECT_EQ(whole->status, 200);
  EXPECT_EQ(whole->body.size(), kBytes);
}

// A live watch stays open while nothing is to be sent, longer than the
// write timeout, and still brings the next change: only an answer the
// client does not take is cut off.
TEST_F(HttpIntegrationTest, AQuietStreamOutlivesTheWriteTimeout) {
  std::unique_ptr<HttpConnection> stream = OpenWatch(facility_);
  ASSERT_TRUE(stream->ok());
  absl::StatusOr<HttpAnswer> head = stream->ReadHead();
  ASSERT_TRUE(head.ok()) << head.status();
  ASSERT_EQ(head->status, 200);
  ASSERT_TRUE(stream->ReadChunk().ok());  // the snapshot
  // Quiet for longer than --http_write_timeout_s=2.
  absl::StatusOr<std::string> nothing =
      stream->ReadChunk(std::chrono::milliseconds(3500));
  EXPECT_TRUE(absl::IsDeadlineExceeded(nothing.status())) << nothing.status();

  ImportOccupiedNow();
  absl::StatusOr<std::string> change =
      stream->ReadChunk(std::chrono::seconds(5));
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_TRUE(absl::StrContains(*change, "occupied")) << *change;
}

}  // namespace
}  // namespace monipaikka::testing
