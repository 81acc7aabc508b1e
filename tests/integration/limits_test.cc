// Limits (ingest and query time) and bad input against the real server on
// 127.0.0.1, through raw gRPC stubs sending crafted batches (and bytes that
// are no protobuf at all). Each test is a row of docs/ingest.md's input table:
// what the input gets (status or reject reason) and that the server keeps
// serving.

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <cmath>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/read_retry.h"
#include "common/bearer_token.h"
#include "monipaikka/v1/ingest.grpc.pb.h"
#include "monipaikka/v1/inventory.grpc.pb.h"
#include "tests/support/cluster.h"
#include "tests/support/generic_call.h"
#include "tests/support/http_get.h"
#include "tests/support/metrics_text.h"

namespace monipaikka::testing {
namespace {

constexpr int kMaxMessageBytes = 64 * 1024;
constexpr int kMaxBatchReadings = 100;

// Desks on gw-a, a desk on gw-b, an area counter and an in/out counter.
std::string Inventory() {
  return R"({"organizations":[{"code":"LT-ORG","name":"Testivirasto"}],)"
         R"("sites":[{"code":"LT-SITE","name":"Testitalo","kind":"B",)"
         R"("timezone":"Europe/Helsinki","office_area_m2":1000}],)"
         R"("spaces":[{"code":"LT-F1","site":"LT-SITE","level":"floor"},)"
         R"({"code":"LT-R1","site":"LT-SITE","parent":"LT-F1","level":"room",)"
         R"("kind":"meeting_room","capacity":8}],)"
         R"("workstations":[)"
         R"({"code":"LT-WS-1","space":"LT-F1","kind":"unassigned","organization":"LT-ORG"},)"
         R"({"code":"LT-WS-2","space":"LT-F1","kind":"unassigned","organization":"LT-ORG"}],)"
         R"("sensors":[)"
         R"({"external_id":"DESK-A","kind":"desk_presence","workstation":"LT-WS-1","gateway":"gw-a"},)"
         R"({"external_id":"DESK-B","kind":"desk_presence","workstation":"LT-WS-2","gateway":"gw-b"},)"
         R"({"external_id":"AREA-A","kind":"area_count","space":"LT-R1","gateway":"gw-a"},)"
         R"({"external_id":"DOOR-A","kind":"people_counter","space":"LT-R1","gateway":"gw-a"}]})";
}

struct Exchange {
  std::vector<v1::BatchAck> acks;
  grpc::Status status;
};

// A channel whose calls carry `token`.
std::shared_ptr<grpc::Channel> ChannelWithToken(const std::string& address,
                                                const std::string& token) {
  return CreateChannelWithToken(address, grpc::InsecureChannelCredentials(),
                                grpc::ChannelArguments(), token);
}

// Sends `batches` on one stream, reading each acknowledgement, and finishes.
Exchange Send(v1::IngestService::Stub* stub,
              const std::vector<v1::ReadingBatch>& batches) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  auto stream = stub->StreamReadings(&context);
  Exchange result;
  for (const v1::ReadingBatch& batch : batches) {
    if (!stream->Write(batch)) break;
    v1::BatchAck ack;
    if (!stream->Read(&ack)) break;
    result.acks.push_back(ack);
  }
  stream->WritesDone();
  result.status = stream->Finish();
  return result;
}

class ServerWithInventory : public ::testing::Test {
 protected:
  static void StartServer(const std::vector<std::string>& flags) {
    dir_ = new TempDir();
    server_ = new ServerProcess(*dir_, 0, "server", flags);
    const absl::Status imported = ImportInventory(*server_, *dir_, Inventory());
    ASSERT_TRUE(imported.ok()) << imported;
    gw_a_token_ =
        new std::string(CreateToken(*server_, server_->admin_token(), "device",
                                    "gw-a", {"--gateway=gw-a"}));
    gw_b_token_ =
        new std::string(CreateToken(*server_, server_->admin_token(), "device",
                                    "gw-b", {"--gateway=gw-b"}));
  }
  static void TearDownTestSuite() {
    delete gw_a_token_;
    delete gw_b_token_;
    gw_a_token_ = nullptr;
    gw_b_token_ = nullptr;
    delete server_;
    delete dir_;
    server_ = nullptr;
    dir_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(server_, nullptr);
    ASSERT_FALSE(gw_a_token_->empty());
    ASSERT_FALSE(gw_b_token_->empty());
    // Gateway gw-a's device token: the stream speaks for gw-a.
    channel_ = ChannelWithToken(server_->address(), *gw_a_token_);
    stub_ = v1::IngestService::NewStub(channel_);
  }

  // An ingest stub acting with `token`.
  static std::unique_ptr<v1::IngestService::Stub> StubWithToken(
      const std::string& token) {
    return v1::IngestService::NewStub(
        ChannelWithToken(server_->address(), token));
  }

  // The server still answers another RPC.
  static void ExpectServing(const std::shared_ptr<grpc::Channel>& channel) {
    auto inventory = v1::InventoryService::NewStub(channel);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    v1::ListSitesRequest request;
    v1::ListSitesResponse response;
    const grpc::Status status =
        inventory->ListSites(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.sites_size(), 1);
  }

  static TempDir* dir_;
  static ServerProcess* server_;
  static std::string* gw_a_token_;
  static std::string* gw_b_token_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::IngestService::Stub> stub_;
};
TempDir* ServerWithInventory::dir_ = nullptr;
ServerProcess* ServerWithInventory::server_ = nullptr;
std::string* ServerWithInventory::gw_a_token_ = nullptr;
std::string* ServerWithInventory::gw_b_token_ = nullptr;

// ---------------------------------------------------------------- limits

class LimitsTest : public ServerWithInventory {
 protected:
  static void SetUpTestSuite() {
    StartServer({absl::StrCat("--max_message_bytes=", kMaxMessageBytes),
                 absl::StrCat("--max_batch_readings=", kMaxBatchReadings),
                 "--max_streams_per_gateway=1"});
  }
};

TEST_F(LimitsTest, MessageOverMaxMessageBytesIsResourceExhausted) {
  v1::ReadingBatch batch;
  batch.set_gateway("gw-a");
  for (int i = 0; i < 80; ++i) {
    v1::Reading* reading = batch.add_readings();
    reading->set_sensor(std::string(1000, 'X'));
    reading->set_ts_ms(1);
    reading->set_occupied(true);
  }
  ASSERT_GT(batch.ByteSizeLong(), static_cast<size_t>(kMaxMessageBytes));
  const Exchange result = Send(stub_.get(), {batch});
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << result.status.error_message();
  EXPECT_NE(result.status.error_message().find(absl::StrCat(kMaxMessageBytes)),
            std::string::npos)
      << result.status.error_message();
  ExpectServing(channel_);
}

TEST_F(LimitsTest, BatchOverMaxBatchReadingsIsInvalidArgument) {
  v1::ReadingBatch batch;
  batch.set_gateway("gw-a");
  for (int i = 0; i <= kMaxBatchReadings; ++i) {
    v1::Reading* reading = batch.add_readings();
    reading->set_sensor("DESK-A");
    reading->set_ts_ms(1);
    reading->set_occupied(true);
  }
  const Exchange result = Send(stub_.get(), {batch});
  EXPECT_TRUE(result.acks.empty());
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(result.status.error_message().find("max_batch_readings"),
            std::string::npos)
      << result.status.error_message();
  EXPECT_NE(result.status.error_message().find("is 100"), std::string::npos);
  ExpectServing(channel_);
}

TEST_F(LimitsTest, SecondStreamOfAGatewayOverTheLimitIsResourceExhausted) {
  v1::ReadingBatch empty;
  empty.set_batch_id(1);
  empty.set_gateway("gw-b");
  const std::unique_ptr<v1::IngestService::Stub> gw_b =
      StubWithToken(*gw_b_token_);
  grpc::ClientContext first_context;
  auto first = gw_b->StreamReadings(&first_context);
  ASSERT_TRUE(first->Write(empty));
  v1::BatchAck ack;
  ASSERT_TRUE(first->Read(&ack));  // gw-b now has its one stream

  const Exchange second = Send(gw_b.get(), {empty});
  EXPECT_EQ(second.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(second.status.error_message().find("--max_streams_per_gateway"),
            std::string::npos)
      << second.status.error_message();
  EXPECT_NE(second.status.error_message().find("is 1"), std::string::npos);

  // A device's stream counts against its own gateway even when its batches
  // leave the gateway out.
  v1::ReadingBatch unnamed;
  unnamed.set_batch_id(2);
  const Exchange unnamed_second = Send(gw_b.get(), {unnamed});
  EXPECT_EQ(unnamed_second.status.error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED)
      << unnamed_second.status.error_message();

  // The access check comes first: a stream without a valid token, or of
  // another gateway's device naming gw-b, is refused for that, not counted.
  const Exchange bad_token =
      Send(StubWithToken("mp_not-a-real-token").get(), {empty});
  EXPECT_EQ(bad_token.status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
      << bad_token.status.error_message();
  const Exchange other_device = Send(stub_.get(), {empty});
  EXPECT_EQ(other_device.status.error_code(),
            grpc::StatusCode::PERMISSION_DENIED)
      << other_device.status.error_message();

  first->WritesDone();
  EXPECT_TRUE(first->Finish().ok());
  // The stream's end frees its place (the server counts it down in OnDone,
  // just after the status went out).
  bool accepted_again = false;
  for (int attempt = 0; attempt < 50 && !accepted_again; ++attempt) {
    accepted_again = Send(gw_b.get(), {empty}).status.ok();
    if (!accepted_again) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  EXPECT_TRUE(accepted_again);
}

TEST_F(LimitsTest, BatchOfAnotherGatewayOnAStreamIsInvalidArgument) {
  v1::ReadingBatch a;
  a.set_batch_id(1);
  a.set_gateway("gw-a");
  v1::ReadingBatch b = a;
  b.set_batch_id(2);
  b.set_gateway("gw-b");
  // An admin may upload for any gateway, but one gateway per stream.
  const Exchange result =
      Send(StubWithToken(server_->admin_token()).get(), {a, b});
  EXPECT_EQ(result.acks.size(), 1u);
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(result.status.error_message().find("one stream per gateway"),
            std::string::npos)
      << result.status.error_message();
}

// ------------------------------------------------------------ query time

// A listing of many sensors runs far more than Database::kDeadlineCheckSteps
// SQLite instructions, so with a limit of a microsecond it is always
// interrupted; a listing of one organization runs far fewer and never is.
TEST(QueryLimitTest,
     QueryOverMaxQuerySecondsIsDeadlineExceededAndTheNextCallWorks) {
  constexpr int kDesks = 300;
  TempDir dir;
  {
    // Loaded without the tiny limit: the import itself is a long query.
    ServerProcess loader(dir, 0, "loader");
    ASSERT_GT(loader.port(), 0);
    const absl::Status imported =
        ImportInventory(loader, dir, OneSiteInventoryJson(kDesks, "gw-q"));
    ASSERT_TRUE(imported.ok()) << imported;
    loader.process().Signal(SIGTERM);
    ASSERT_EQ(loader.process().Wait(std::chrono::seconds(30)), 0);
  }
  // One query thread: every call below runs on the same connection.
  ServerProcess server(dir, 0, "server",
                       {"--max_query_seconds=0.000001", "--query_threads=1"});
  ASSERT_GT(server.port(), 0);
  auto inventory = v1::InventoryService::NewStub(
      ChannelWithToken(server.address(), server.admin_token()));
  auto list_sensors = [&] {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(30));
    v1::ListSensorsRequest request;
    v1::ListSensorsResponse response;
    return inventory->ListSensors(&context, request, &response);
  };
  auto list_organizations = [&] {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(30));
    v1::ListOrganizationsRequest request;
    v1::ListOrganizationsResponse response;
    const grpc::Status status =
        inventory->ListOrganizations(&context, request, &response);
    EXPECT_EQ(response.organizations_size(), 1);
    return status;
  };
  for (int round = 0; round < 2; ++round) {
    const grpc::Status long_query = list_sensors();
    EXPECT_EQ(long_query.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
        << long_query.error_message();
    EXPECT_NE(long_query.error_message().find(
                  "query ran longer than --max_query_seconds=1e-06"),
              std::string::npos)
        << long_query.error_message();
    // The thread and its connection answer the next call.
    const grpc::Status short_query = list_organizations();
    EXPECT_TRUE(short_query.ok()) << short_query.error_message();
  }
  EXPECT_NE(server.process().Log().find(
                "event=query_interrupted rpc=InventoryService/ListSensors "
                "limit=\"max_query_seconds=1e-06\""),
            std::string::npos)
      << server.process().Log();
  server.process().Signal(SIGTERM);
  ASSERT_EQ(server.process().Wait(std::chrono::seconds(30)), 0);
  EXPECT_NE(server.process().Log().find("queries_over_max_query_seconds=2 "),
            std::string::npos)
      << server.process().Log();
}

// ------------------------------------------------- callers without a token

// A field of /proc/<pid>/status in KiB (VmRSS, VmHWM); -1 if absent.
int64_t ProcStatusKib(pid_t pid, const std::string& field) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field + ":", 0) == 0) {
      std::istringstream value(line.substr(field.size() + 1));
      int64_t kib = -1;
      value >> kib;
      return kib;
    }
  }
  return -1;
}

// A request of `bytes` bytes that parses as any message: one unknown
// length-delimited field (number 15000) of 'x's.
std::string UnknownFieldRequest(size_t bytes) {
  auto varint = [](uint64_t value) {
    std::string out;
    while (value >= 0x80) {
      out.push_back(static_cast<char>((value & 0x7f) | 0x80));
      value >>= 7;
    }
    out.push_back(static_cast<char>(value));
    return out;
  };
  const std::string tag = varint((uint64_t{15000} << 3) | 2);
  const size_t payload = bytes - tag.size() - 4;  // 4: the length's varint
  std::string request = tag + varint(payload);
  request.resize(request.size() + payload, 'x');
  return request;
}

class TokenlessFloodTest : public ::testing::Test {
 protected:
  virtual std::vector<std::string> ServerFlags() { return {}; }

  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(dir_, 0, "server", ServerFlags());
    ASSERT_GT(server_->port(), 0);
    const absl::Status imported = ImportInventory(*server_, dir_, Inventory());
    ASSERT_TRUE(imported.ok()) << imported;
  }

  // A channel of its own connection.
  std::shared_ptr<grpc::Channel> OwnChannel() {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    return grpc::CreateCustomChannel(server_->address(),
                                     grpc::InsecureChannelCredentials(), args);
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(TokenlessFloodTest, SmallMethodsRefuseLargeRequestsAfterTheTokenCheck) {
  const std::string request = UnknownFieldRequest(100 * 1024);
  const std::string method = "/monipaikka.v1.InventoryService/ListSites";
  // Without a token: refused for that first.
  CallOutcome outcome = CallWithBytes(OwnChannel(), method, {request}, "");
  EXPECT_EQ(outcome.code, grpc::StatusCode::UNAUTHENTICATED) << outcome.message;
  // With one: refused for the size, naming the bound.
  outcome = CallWithBytes(OwnChannel(), method, {request},
                          "Bearer " + server_->admin_token());
  EXPECT_EQ(outcome.code, grpc::StatusCode::RESOURCE_EXHAUSTED)
      << outcome.message;
  EXPECT_NE(outcome.message.find("over --max_request_bytes=65536"),
            std::string::npos)
      << outcome.message;
  // A request under the bound is answered.
  outcome = CallWithBytes(OwnChannel(), method, {UnknownFieldRequest(1000)},
                          "Bearer " + server_->admin_token());
  EXPECT_EQ(outcome.code, grpc::StatusCode::OK) << outcome.message;
  absl::StatusOr<HttpResponse> metrics =
      HttpGet(server_->metrics_port(), "/metrics");
  ASSERT_TRUE(metrics.ok()) << metrics.status();
  EXPECT_EQ(SampleValue(metrics->body, "monipaikka_oversized_requests_total"),
            1.0);
}

constexpr int kFloodQuotaMib = 128;

class TokenlessFloodWithQuotaTest : public TokenlessFloodTest {
 protected:
  std::vector<std::string> ServerFlags() override {
    return {absl::StrCat("--grpc_memory_mb=", kFloodQuotaMib)};
  }
};

// Many callers without a token send large requests at once, to an import
// (whose bound is the server's) and to a report. The server's memory stays
// bounded by gRPC's quota, its log holds a bounded number of refusal lines
// while every refusal is counted, and an authorized caller is served
// throughout (by the client's channel, which sends a read again when the
// quota closed its idle connection as the read went out).
TEST_F(TokenlessFloodWithQuotaTest,
       LargeRequestsLeaveMemoryBoundedAndServiceWorking) {
  constexpr int kFlooders = 16;
  constexpr int kCallsEach = 3;
  constexpr size_t kRequestBytes = 12 * 1024 * 1024;  // under 16 MiB
  const pid_t pid = server_->process().pid();
  const int64_t rss_before_kib = ProcStatusKib(pid, "VmRSS");
  ASSERT_GT(rss_before_kib, 0);
  const std::string request = UnknownFieldRequest(kRequestBytes);

  std::atomic<bool> flooding{true};
  std::atomic<int> unauthenticated{0};
  std::vector<std::thread> flooders;
  const absl::Time start = absl::Now();
  for (int f = 0; f < kFlooders; ++f) {
    flooders.emplace_back([&, f] {
      const std::string method =
          f % 2 == 0 ? "/monipaikka.v1.InventoryService/ImportInventory"
                     : "/monipaikka.v1.AnalyticsService/GetUsageReport";
      for (int i = 0; i < kCallsEach; ++i) {
        const CallOutcome outcome =
            CallWithBytes(OwnChannel(), method, {request}, "");
        if (outcome.code == grpc::StatusCode::UNAUTHENTICATED)
          ++unauthenticated;
      }
    });
  }
  // The authorized caller, meanwhile.
  int served = 0;
  int failed = 0;
  absl::Duration slowest;
  std::string last_error;
  std::thread authorized([&] {
    // The client's channel: a read the quota cut off is sent again.
    auto inventory = v1::InventoryService::NewStub(CreateChannelWithToken(
        server_->address(), grpc::InsecureChannelCredentials(),
        client::ReadRetryChannelArguments(), server_->admin_token()));
    while (flooding.load()) {
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() +
                           std::chrono::seconds(10));
      v1::ListSitesResponse response;
      const absl::Time asked = absl::Now();
      const grpc::Status status =
          inventory->ListSites(&context, v1::ListSitesRequest(), &response);
      slowest = std::max(slowest, absl::Now() - asked);
      if (status.ok() && response.sites_size() == 1) {
        ++served;
      } else {
        ++failed;
        last_error =
            absl::StrCat(status.error_code(), " ", status.error_message());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  for (std::thread& flooder : flooders) flooder.join();
  const absl::Duration flood_time = absl::Now() - start;
  flooding = false;
  authorized.join();

  const int64_t peak_kib = ProcStatusKib(pid, "VmHWM");
  const int64_t growth_mib = (peak_kib - rss_before_kib) / 1024;
  std::cout << "flood: " << kFlooders * kCallsEach << " calls of "
            << kRequestBytes << " bytes in " << flood_time
            << "; server RSS before " << rss_before_kib / 1024 << " MiB, peak "
            << peak_kib / 1024 << " MiB (+" << growth_mib
            << " MiB); authorized calls served " << served << ", failed "
            << failed << ", slowest " << slowest << "\n";
  // 16 × 12 MiB would be 192 MiB in flight at once, and more parsed
  // (without the quota the server grew by some 190 MiB). gRPC's quota is
  // not a hard bound: it throttles reads and drops calls under pressure.
  EXPECT_LT(growth_mib, 2 * kFloodQuotaMib);
  EXPECT_GT(served, 0);
  EXPECT_EQ(failed, 0) << last_error;
  EXPECT_LT(slowest, absl::Seconds(8));

  // Every refusal is counted; the log holds at most 10 refusal lines a
  // second and says how many it left out.
  absl::StatusOr<HttpResponse> metrics =
      HttpGet(server_->metrics_port(), "/metrics");
  ASSERT_TRUE(metrics.ok()) << metrics.status();
  // (Calls the quota dropped may have been refused and counted before.)
  const std::optional<double> counted =
      SampleValue(metrics->body,
                  "monipaikka_auth_refusals_total{reason=\"missing_token\"}");
  ASSERT_TRUE(counted.has_value());
  EXPECT_GE(*counted, unauthenticated.load());
  EXPECT_LE(*counted, kFlooders * kCallsEach);
  EXPECT_GT(unauthenticated.load(), kFlooders);
  const std::string log = server_->process().Log();
  int lines = 0;
  for (size_t at = log.find("event=auth_refused "); at != std::string::npos;
       at = log.find("event=auth_refused ", at + 1)) {
    ++lines;
  }
  const int64_t seconds = absl::ToInt64Seconds(flood_time) + 2;
  EXPECT_LE(lines, 10 * seconds) << "refusal log lines in " << flood_time;
}

// Number of occurrences of `text` in `log`.
int Count(const std::string& log, const std::string& text) {
  int n = 0;
  for (size_t at = log.find(text); at != std::string::npos;
       at = log.find(text, at + 1)) {
    ++n;
  }
  return n;
}

TEST_F(TokenlessFloodTest,
       RefusalLogLinesAreRateLimitedAndEveryRefusalCounted) {
  constexpr int kCalls = 200;
  const std::shared_ptr<grpc::Channel> channel = OwnChannel();
  auto inventory = v1::InventoryService::NewStub(channel);
  auto refused_call = [&] {
    grpc::ClientContext context;
    v1::ListSitesResponse response;
    return inventory->ListSites(&context, v1::ListSitesRequest(), &response)
        .error_code();
  };
  const absl::Time start = absl::Now();
  for (int i = 0; i < kCalls; ++i) {
    ASSERT_EQ(refused_call(), grpc::StatusCode::UNAUTHENTICATED);
  }
  const absl::Duration burst = absl::Now() - start;
  // The first line of a later second says how many were left out.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  ASSERT_EQ(refused_call(), grpc::StatusCode::UNAUTHENTICATED);

  const std::string log = server_->process().Log();
  const int lines = Count(log, "event=auth_refused ");
  EXPECT_LE(lines, 10 * (absl::ToInt64Seconds(burst) + 2) + 1)
      << kCalls << " refusals in " << burst;
  EXPECT_GE(lines, 2);
  EXPECT_GE(Count(log,
                  "event=auth_refusals_suppressed reason=missing_token "
                  "suppressed="),
            1)
      << log;
  absl::StatusOr<HttpResponse> metrics =
      HttpGet(server_->metrics_port(), "/metrics");
  ASSERT_TRUE(metrics.ok()) << metrics.status();
  EXPECT_EQ(
      SampleValue(metrics->body,
                  "monipaikka_auth_refusals_total{reason=\"missing_token\"}"),
      kCalls + 1.0);
}

// ------------------------------------------------------------- bad input

class BadInputTest : public ServerWithInventory {
 protected:
  static void SetUpTestSuite() { StartServer({}); }

  // A distinct instant per test, a day ago, so that tests never collide.
  int64_t Ts(int offset_s = 0) const {
    static const int64_t base =
        (absl::ToUnixMillis(absl::Now()) / 1000 - 24 * 3600) * 1000;
    return base + test_slot_ * 3600 * 1000 + int64_t{offset_s} * 1000;
  }

  void SetUp() override {
    ServerWithInventory::SetUp();
    static int next_slot = 0;
    test_slot_ = ++next_slot;
  }

  static v1::Reading Desk(const std::string& sensor, int64_t ts, uint64_t seq,
                          bool occupied) {
    v1::Reading reading;
    reading.set_sensor(sensor);
    reading.set_ts_ms(ts);
    reading.set_seq(seq);
    reading.set_occupied(occupied);
    return reading;
  }

  // Sends one batch of gw-a and returns its acknowledgement.
  v1::BatchAck SendOne(const std::vector<v1::Reading>& readings,
                       const std::vector<v1::SensorHealth>& health = {}) {
    v1::ReadingBatch batch;
    batch.set_batch_id(7);
    batch.set_gateway("gw-a");
    for (const v1::Reading& r : readings) *batch.add_readings() = r;
    for (const v1::SensorHealth& h : health) *batch.add_health() = h;
    const Exchange result = Send(stub_.get(), {batch});
    EXPECT_TRUE(result.status.ok()) << result.status.error_message();
    EXPECT_EQ(result.acks.size(), 1u);
    return result.acks.empty() ? v1::BatchAck() : result.acks[0];
  }

  // The single rejection of `ack`, checked for `reason` and a message
  // containing `words`.
  static void ExpectRejected(const v1::BatchAck& ack, v1::RejectReason reason,
                             const std::string& words) {
    ASSERT_EQ(ack.rejected_size(), 1) << ack.DebugString();
    EXPECT_EQ(ack.rejected(0).reason(), reason) << ack.DebugString();
    EXPECT_NE(ack.rejected(0).message().find(words), std::string::npos)
        << ack.rejected(0).message();
    EXPECT_EQ(ack.accepted(), 0u);
  }

  int test_slot_ = 0;
};

TEST_F(BadInputTest, EmptyBatchIsAcknowledgedWithNothingStored) {
  const v1::BatchAck ack = SendOne({});
  EXPECT_EQ(ack.batch_id(), 7u);
  EXPECT_EQ(ack.accepted(), 0u);
  EXPECT_EQ(ack.rejected_size(), 0);
}

TEST_F(BadInputTest, UnknownSensorIsRejected) {
  ExpectRejected(SendOne({Desk("NO-SUCH-SENSOR", Ts(), 1, true)}),
                 v1::REJECT_REASON_UNKNOWN_SENSOR, "NO-SUCH-SENSOR");
}

TEST_F(BadInputTest, SensorOfAnotherGatewayIsRejected) {
  ExpectRejected(SendOne({Desk("DESK-B", Ts(), 1, true)}),
                 v1::REJECT_REASON_WRONG_GATEWAY, "gw-b");
}

TEST_F(BadInputTest, MissingSensorIsMalformed) {
  ExpectRejected(SendOne({Desk("", Ts(), 1, true)}),
                 v1::REJECT_REASON_MALFORMED, "sensor: is required");
}

TEST_F(BadInputTest, TimestampFarInTheFutureIsRejected) {
  const int64_t next_year =
      absl::ToUnixMillis(absl::Now() + absl::Hours(24 * 365));
  ExpectRejected(SendOne({Desk("DESK-A", next_year, 1, true)}),
                 v1::REJECT_REASON_FUTURE_TIMESTAMP,
                 "after the server's clock");
}

TEST_F(BadInputTest, TimestampFarInThePastIsRejected) {
  const int64_t year_2000 = 946684800000;
  ExpectRejected(SendOne({Desk("DESK-A", year_2000, 1, true)}),
                 v1::REJECT_REASON_TOO_OLD, "retention window");
}

TEST_F(BadInputTest, ZeroOrNegativeTimestampIsMalformed) {
  ExpectRejected(SendOne({Desk("DESK-A", -5, 1, true)}),
                 v1::REJECT_REASON_MALFORMED, "ts_ms: -5");
}

TEST_F(BadInputTest, MissingStateIsMalformed) {
  v1::Reading reading = Desk("DESK-A", Ts(), 1, true);
  reading.clear_state();
  ExpectRejected(SendOne({reading}), v1::REJECT_REASON_MALFORMED,
                 "none of occupied, count and flow");
}

TEST_F(BadInputTest, StateOfTheWrongKindIsMalformed) {
  v1::Reading reading = Desk("DESK-A", Ts(), 1, true);
  reading.set_count(3);
  ExpectRejected(SendOne({reading}), v1::REJECT_REASON_MALFORMED, "count:");
}

TEST_F(BadInputTest, CountOutOfRangeIsMalformed) {
  v1::Reading reading;
  reading.set_sensor("AREA-A");
  reading.set_ts_ms(Ts());
  reading.set_count(100001);
  ExpectRejected(SendOne({reading}), v1::REJECT_REASON_MALFORMED,
                 "count: 100001 is outside 0..100000");
  reading.set_count(-1);
  ExpectRejected(SendOne({reading}), v1::REJECT_REASON_MALFORMED,
                 "count: -1 is outside");
}

TEST_F(BadInputTest, FlowOutOfRangeIsMalformed) {
  v1::Reading reading;
  reading.set_sensor("DOOR-A");
  reading.set_ts_ms(Ts());
  reading.mutable_flow()->set_entered(4000000000u);
  ExpectRejected(SendOne({reading}), v1::REJECT_REASON_MALFORMED,
                 "flow: entered 4000000000");
}

TEST_F(BadInputTest, SequenceNumberOutOfRangeIsMalformed) {
  ExpectRejected(SendOne({Desk("DESK-A", Ts(),
                               std::numeric_limits<uint64_t>::max(), true)}),
                 v1::REJECT_REASON_MALFORMED, "seq:");
}

TEST_F(BadInputTest, NaNInAHealthReportIsRejected) {
  v1::SensorHealth health;
  health.set_sensor("DESK-A");
  health.set_ts_ms(Ts());
  health.set_snr_db(std::nanf(""));
  const v1::BatchAck ack = SendOne({}, {health});
  ASSERT_EQ(ack.health_rejected_size(), 1) << ack.DebugString();
  EXPECT_EQ(ack.health_rejected(0).reason(), v1::REJECT_REASON_MALFORMED);
  EXPECT_NE(ack.health_rejected(0).message().find("snr_db: nan"),
            std::string::npos)
      << ack.health_rejected(0).message();
  EXPECT_EQ(ack.health_accepted(), 0u);
}

TEST_F(BadInputTest, DuplicateSequenceNumberWithOtherTimestampIsRejected) {
  EXPECT_EQ(SendOne({Desk("DESK-A", Ts(), 42, true)}).accepted(), 1u);
  ExpectRejected(SendOne({Desk("DESK-A", Ts(60), 42, false)}),
                 v1::REJECT_REASON_DUPLICATE_SEQUENCE,
                 "seq: 42 was already stored");
}

TEST_F(BadInputTest, SameSequenceAndTimestampWithOtherStateIsADuplicate) {
  EXPECT_EQ(SendOne({Desk("DESK-A", Ts(), 77, true)}).accepted(), 1u);
  const v1::BatchAck again = SendOne({Desk("DESK-A", Ts(), 77, false)});
  EXPECT_EQ(again.accepted(), 0u);
  EXPECT_EQ(again.duplicates(), 1u);
  EXPECT_EQ(again.rejected_size(), 0);
  // The first stays: the stored value is still "occupied".
  bool found = false;
  for (const StoredRow& row : ReadAllReadings(server_->db_path())) {
    if (row.sensor == "DESK-A" && row.ts_ms == Ts()) {
      found = true;
      EXPECT_EQ(row.value, 1);
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(BadInputTest, BadReadingsNeverSpoilTheGoodOnesBesideThem) {
  const v1::BatchAck ack =
      SendOne({Desk("DESK-A", Ts(1), 0, true), Desk("NO-SUCH", Ts(2), 0, true),
               Desk("DESK-A", -1, 0, true), Desk("DESK-A", Ts(3), 0, false)});
  EXPECT_EQ(ack.accepted(), 2u);
  ASSERT_EQ(ack.rejected_size(), 2);
  EXPECT_EQ(ack.rejected(0).index(), 1u);
  EXPECT_EQ(ack.rejected(1).index(), 2u);
}

// Raw bytes on the ingest method, past the generated stubs.
// The stream carries `token` as "authorization: Bearer <token>".
grpc::Status SendRawBytes(const std::string& address, const std::string& token,
                          const std::string& bytes) {
  grpc::GenericStub stub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::CompletionQueue queue;
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + token);
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  auto call = stub.PrepareCall(
      &context, "/monipaikka.v1.IngestService/StreamReadings", &queue);
  auto await = [&queue] {
    void* tag = nullptr;
    bool ok = false;
    EXPECT_TRUE(queue.Next(&tag, &ok));
    return ok;
  };
  call->StartCall(reinterpret_cast<void*>(1));
  await();
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request(&slice, 1);
  call->Write(request, reinterpret_cast<void*>(2));
  await();
  grpc::ByteBuffer reply;
  call->Read(&reply, reinterpret_cast<void*>(3));
  EXPECT_FALSE(await()) << "the server acknowledged bytes that are no batch";
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(4));
  await();
  queue.Shutdown();
  void* tag = nullptr;
  bool ok = false;
  while (queue.Next(&tag, &ok)) {
  }
  return status;
}

TEST_F(BadInputTest, BytesThatAreNoProtobufEndTheStream) {
  // Field 1 as length-delimited, claiming far more bytes than follow.
  const grpc::Status status =
      SendRawBytes(server_->address(), *gw_a_token_,
                   std::string("\x0a\xff\xff\xff\x0f\x01\x02", 7));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find(
                "message 1 of the stream is not a ReadingBatch protobuf"),
            std::string::npos)
      << status.error_message();
  ExpectServing(channel_);
}

TEST_F(BadInputTest, InvalidUtf8InAStringFieldEndsTheStream) {
  // readings { sensor: "\xff\xfe" }: proto3 strings must be UTF-8.
  const grpc::Status status =
      SendRawBytes(server_->address(), *gw_a_token_,
                   std::string("\x1a\x04\x0a\x02\xff\xfe", 6));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("not a ReadingBatch protobuf"),
            std::string::npos)
      << status.error_message();
  ExpectServing(channel_);
}

}  // namespace
}  // namespace monipaikka::testing
