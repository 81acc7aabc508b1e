// Access control through the real server and client: every method of every
// monipaikka.v1 service refuses callers without valid credentials and
// callers of the wrong role; device tokens are held to their gateway; the
// tokens commands and the audit log work end to end.

#include <google/protobuf/descriptor.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/bearer_token.h"
#include "common/time_format.h"
#include "monipaikka/v1/ingest.grpc.pb.h"
#include "monipaikka/v1/inventory.grpc.pb.h"
#include "monipaikka/v1/live.grpc.pb.h"
#include "tests/support/cluster.h"
#include "tests/support/generic_call.h"
#include "tests/support/http_get.h"
#include "tests/support/metrics_text.h"

namespace monipaikka::testing {
namespace {

using Code = grpc::StatusCode;

// Who may call each service, as docs/security.md "Tokens and roles" states
// it (kept apart from the server's own table on purpose). A service missing
// here fails the test: every new service needs its row.
const std::map<std::string, std::set<std::string>>& ExpectedRoles() {
  static const auto* kRoles = new std::map<std::string, std::set<std::string>>{
      {"monipaikka.v1.IngestService", {"device", "admin"}},
      {"monipaikka.v1.InventoryService", {"facility", "admin"}},
      {"monipaikka.v1.SensorHealthService", {"facility", "admin"}},
      {"monipaikka.v1.UtilizationService", {"facility", "admin"}},
      {"monipaikka.v1.AnalyticsService", {"facility", "admin"}},
      {"monipaikka.v1.BookingService", {"facility", "admin"}},
      {"monipaikka.v1.LiveOccupancyService", {"facility", "admin"}},
      {"monipaikka.v1.PlanningService", {"facility", "admin"}},
      {"monipaikka.v1.SamplingService", {"facility", "admin"}},
      {"monipaikka.v1.WorkforceService", {"hr", "admin"}},
      {"monipaikka.v1.AuthService", {"admin"}},
  };
  return *kRoles;
}

// Methods that admit other roles than their service: the edge agent reads
// the sites of its sensors (for their time zones).
const std::map<std::string, std::set<std::string>>& ExpectedMethodRoles() {
  static const auto* kRoles = new std::map<std::string, std::set<std::string>>{
      {"/monipaikka.v1.InventoryService/ListSites",
       {"device", "facility", "admin"}},
  };
  return *kRoles;
}

// One request of `request` bytes (see CallWithBytes).
CallOutcome Call(const std::shared_ptr<grpc::Channel>& channel,
                 const std::string& method, const std::string& request,
                 const std::string& authorization) {
  return CallWithBytes(channel, method, {request}, authorization);
}

std::string Bearer(const std::string& token) { return "Bearer " + token; }

// Every method of every service of the public API, from the descriptors of
// the .proto files in proto/monipaikka/v1 (so a new file or RPC is covered
// without touching this test).
std::vector<const google::protobuf::MethodDescriptor*> AllMethods() {
  std::vector<const google::protobuf::MethodDescriptor*> methods;
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const auto& entry : std::filesystem::directory_iterator(
           MONIPAIKKA_PROTO_DIR "/monipaikka/v1")) {
    if (entry.path().extension() != ".proto") continue;
    const std::string name =
        "monipaikka/v1/" + entry.path().filename().string();
    const google::protobuf::FileDescriptor* file = pool->FindFileByName(name);
    EXPECT_NE(file, nullptr) << name << " is not compiled into the test";
    if (file == nullptr) continue;
    for (int s = 0; s < file->service_count(); ++s) {
      for (int m = 0; m < file->service(s)->method_count(); ++m) {
        methods.push_back(file->service(s)->method(m));
      }
    }
  }
  return methods;
}

std::string Path(const google::protobuf::MethodDescriptor* method) {
  return absl::StrCat("/", method->service()->full_name(), "/", method->name());
}

// Two gateways, one desk sensor each.
std::string TwoGatewayInventoryJson() {
  return R"({"organizations":[{"code":"AC-ORG","name":"Virasto"}],)"
         R"("sites":[{"code":"AC-SITE","name":"Talo","kind":"B",)"
         R"("timezone":"Europe/Helsinki","office_area_m2":500}],)"
         R"("spaces":[{"code":"AC-F1","site":"AC-SITE","level":"floor"}],)"
         R"("workstations":[)"
         R"({"code":"AC-WS-A","space":"AC-F1","kind":"unassigned","organization":"AC-ORG"},)"
         R"({"code":"AC-WS-B","space":"AC-F1","kind":"unassigned","organization":"AC-ORG"}],)"
         R"("sensors":[)"
         R"({"external_id":"AC-DEV-A","kind":"desk_presence","workstation":"AC-WS-A","gateway":"GW-A"},)"
         R"({"external_id":"AC-DEV-B","kind":"desk_presence","workstation":"AC-WS-B","gateway":"GW-B"}]})";
}

class AccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(dir_, 0, "server");
    ASSERT_FALSE(server_->admin_token().empty());
    channel_ = grpc::CreateChannel(server_->address(),
                                   grpc::InsecureChannelCredentials());
  }

  struct ClientRun {
    int exit_code = -1;
    std::string out;
    std::string err;
  };
  // The real client with `token` in MONIPAIKKA_TOKEN ("" for none).
  ClientRun Client(const std::string& token, std::vector<std::string> args) {
    args.insert(args.begin(), "--server=" + server_->address());
    setenv(kTokenEnvironmentVariable, token.c_str(), 1);
    ClientRun run;
    run.exit_code = RunToCompletion(ClientBinary(), args, &run.out,
                                    std::chrono::seconds(60), &run.err);
    setenv(kTokenEnvironmentVariable, server_->admin_token().c_str(), 1);
    return run;
  }

  std::string Token(const std::string& role, const std::string& name,
                    std::vector<std::string> flags = {}) {
    return CreateToken(*server_, server_->admin_token(), role, name, flags);
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(AccessTest, EveryMethodChecksCredentialsAndRole) {
  const std::string revoked = Token("facility", "to be revoked");
  const ClientRun revoke =
      Client(server_->admin_token(), {"tokens", "revoke", "2"});
  ASSERT_EQ(revoke.exit_code, 0) << revoke.err;
  const std::string expires =
      FormatInstantMs(ToMs(absl::Now() + absl::Seconds(2)));
  const std::string expired =
      Token("facility", "short-lived", {"--expires=" + expires});
  std::map<std::string, std::string> by_role = {
      {"device", Token("device", "edge A", {"--gateway=GW-A"})},
      {"display", Token("display", "lobby A", {"--sites=SITE-A"})},
      {"facility", Token("facility", "facility team")},
      {"hr", Token("hr", "HR")},
      {"admin", server_->admin_token()},
  };
  absl::SleepFor(absl::Seconds(2.2));  // `expired` is now past its expiry

  const std::vector<std::pair<std::string, std::string>> unauthenticated = {
      {"no credentials", ""},
      {"garbage", "Bearer garbage"},
      {"another scheme", "Basic " + by_role["admin"]},
      {"unknown token", Bearer("mpk_" + std::string(64, '0'))},
      {"revoked token", Bearer(revoked)},
      {"expired token", Bearer(expired)},
  };

  const std::vector<const google::protobuf::MethodDescriptor*> methods =
      AllMethods();
  std::set<std::string> services;
  for (const auto* method : methods) {
    services.insert(method->service()->full_name());
  }
  for (const auto& [service, roles] : ExpectedRoles()) {
    EXPECT_EQ(services.count(service), 1u) << service << " has no methods";
  }
  ASSERT_GE(methods.size(), 29u);

  for (const auto* method : methods) {
    const std::string path = Path(method);
    auto service_roles = ExpectedRoles().find(method->service()->full_name());
    ASSERT_NE(service_roles, ExpectedRoles().end())
        << method->service()->full_name()
        << " has no row in the role table of this test (and of "
           "docs/security.md)";
    auto method_roles = ExpectedMethodRoles().find(path);
    const std::set<std::string>& allowed =
        method_roles != ExpectedMethodRoles().end() ? method_roles->second
                                                    : service_roles->second;
    for (const auto& [what, authorization] : unauthenticated) {
      const CallOutcome outcome = Call(channel_, path, "", authorization);
      EXPECT_EQ(outcome.code, Code::UNAUTHENTICATED)
          << path << " with " << what << ": " << outcome.message;
      EXPECT_FALSE(outcome.message.empty()) << path;
    }
    for (const auto& [role, token] : by_role) {
      const CallOutcome outcome = Call(channel_, path, "", Bearer(token));
      // A device may list sensors of its own gateway only: the empty request
      // names none (ListSensorsOfOwnGatewayOnly covers the allowed case).
      // A display token reads the live occupancy of its own sites only: the
      // empty request names none (http_test covers the allowed case).
      if (allowed.count(role) > 0) {
        EXPECT_NE(outcome.code, Code::UNAUTHENTICATED)
            << path << " as " << role << ": " << outcome.message;
        EXPECT_NE(outcome.code, Code::PERMISSION_DENIED)
            << path << " as " << role << ": " << outcome.message;
      } else {
        EXPECT_EQ(outcome.code, Code::PERMISSION_DENIED)
            << path << " as " << role << ": " << outcome.message;
        EXPECT_TRUE(absl::StrContains(outcome.message, "needs role") ||
                    absl::StrContains(outcome.message, "speaks for gateway") ||
                    (role == "display" &&
                     absl::StrContains(outcome.message, "shows sites")))
            << path << " as " << role << ": " << outcome.message;
      }
    }
  }

  // Every refusal was counted by reason (printed when the server stops).
  server_->process().Signal(SIGTERM);
  ASSERT_EQ(server_->process().Wait(std::chrono::seconds(30)), 0);
  const std::string log = server_->process().Log();
  for (const char* reason :
       {"missing_token", "malformed_token", "unknown_token", "expired_token",
        "revoked_token", "wrong_role"}) {
    const std::string key = absl::StrCat("auth_refused_", reason, "=");
    const size_t at = log.find(key);
    ASSERT_NE(at, std::string::npos) << log;
    EXPECT_NE(log.substr(at + key.size(), 2), "0 ") << key << " in " << log;
  }
  // Logged too, at most 10 lines a second per reason (limits_test covers
  // the lines left out).
  EXPECT_NE(log.find("reason=wrong_role peer="), std::string::npos);
}

TEST_F(AccessTest, RequestsThatAreNoProtobufGetInvalidArgument) {
  // An unfinished varint: no message of any type parses from it.
  const std::string garbage("\xff\xff\xff\xff", 4);
  int methods = 0;
  for (const google::protobuf::MethodDescriptor* method : AllMethods()) {
    if (method->client_streaming()) continue;  // see BadInputTest
    ++methods;
    const CallOutcome outcome =
        Call(channel_, Path(method), garbage, Bearer(server_->admin_token()));
    EXPECT_EQ(outcome.code, Code::INVALID_ARGUMENT) << Path(method);
    EXPECT_EQ(outcome.message,
              absl::StrCat(method->service()->name(), "/", method->name(),
                           ": the request is not a ",
                           method->input_type()->full_name(), " protobuf"));
  }
  EXPECT_GE(methods, 25);
  absl::StatusOr<HttpResponse> metrics =
      HttpGet(server_->metrics_port(), "/metrics");
  ASSERT_TRUE(metrics.ok()) << metrics.status();
  EXPECT_EQ(SampleValue(metrics->body, "monipaikka_malformed_requests_total"),
            methods);
  // The server still answers well-formed requests.
  EXPECT_EQ(Call(channel_, "/monipaikka.v1.InventoryService/ListSites", "",
                 Bearer(server_->admin_token()))
                .code,
            Code::OK);
}

TEST_F(AccessTest, DeviceTokenSpeaksOnlyForItsGateway) {
  const std::string inventory = dir_.File("inventory.json");
  std::ofstream(inventory) << TwoGatewayInventoryJson();
  const ClientRun import =
      Client(Token("facility", "facility"), {"import-inventory", inventory});
  ASSERT_EQ(import.exit_code, 0) << import.err;
  const std::string device = Token("device", "edge A", {"--gateway=GW-A"});
  auto channel = CreateChannelWithToken(server_->address(),
                                        grpc::InsecureChannelCredentials(),
                                        grpc::ChannelArguments(), device);

  // Readings of its own sensor are stored; another gateway's are rejected
  // one by one with the reason, the good ones kept.
  auto ingest = v1::IngestService::NewStub(channel);
  const int64_t now_ms = ToMs(absl::Now());
  {
    grpc::ClientContext context;
    auto stream = ingest->StreamReadings(&context);
    v1::ReadingBatch batch;
    batch.set_batch_id(1);
    for (const char* sensor : {"AC-DEV-A", "AC-DEV-B"}) {
      v1::Reading* reading = batch.add_readings();
      reading->set_sensor(sensor);
      reading->set_ts_ms(now_ms - 60'000);
      reading->set_occupied(true);
    }
    ASSERT_TRUE(stream->Write(batch));
    v1::BatchAck ack;
    ASSERT_TRUE(stream->Read(&ack));
    EXPECT_EQ(ack.accepted(), 1u);
    ASSERT_EQ(ack.rejected_size(), 1);
    EXPECT_EQ(ack.rejected(0).index(), 1u);
    EXPECT_EQ(ack.rejected(0).reason(), v1::REJECT_REASON_WRONG_GATEWAY);
    stream->WritesDone();
    EXPECT_TRUE(stream->Finish().ok());
  }
  const std::vector<StoredRow> rows = ReadAllReadings(server_->db_path());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].sensor, "AC-DEV-A");

  // A batch naming another gateway ends the stream.
  {
    grpc::ClientContext context;
    auto stream = ingest->StreamReadings(&context);
    v1::ReadingBatch batch;
    batch.set_batch_id(2);
    batch.set_gateway("GW-B");
    v1::Reading* reading = batch.add_readings();
    reading->set_sensor("AC-DEV-B");
    reading->set_ts_ms(now_ms - 30'000);
    reading->set_occupied(true);
    stream->Write(batch);
    v1::BatchAck ack;
    EXPECT_FALSE(stream->Read(&ack));
    const grpc::Status status = stream->Finish();
    EXPECT_EQ(status.error_code(), Code::PERMISSION_DENIED);
    EXPECT_NE(status.error_message().find(
                  "speaks for gateway \"GW-A\", not \"GW-B\""),
              std::string::npos)
        << status.error_message();
  }
  EXPECT_EQ(CountReadings(server_->db_path()), 1);

  // The sensor list of its own gateway, and no other.
  auto inventory_stub = v1::InventoryService::NewStub(channel);
  {
    grpc::ClientContext context;
    v1::ListSensorsRequest request;
    request.set_gateway("GW-A");
    v1::ListSensorsResponse response;
    const grpc::Status status =
        inventory_stub->ListSensors(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_EQ(response.sensors_size(), 1);
    EXPECT_EQ(response.sensors(0).external_id(), "AC-DEV-A");
  }
  {
    grpc::ClientContext context;
    v1::ListSensorsRequest request;
    request.set_gateway("GW-B");
    v1::ListSensorsResponse response;
    EXPECT_EQ(
        inventory_stub->ListSensors(&context, request, &response).error_code(),
        Code::PERMISSION_DENIED);
  }

  // The real edge agent with the device token backfills its own sensor.
  const std::string token_file = dir_.File("edge-a.token");
  std::ofstream(token_file) << device << "\n";
  chmod(token_file.c_str(), 0600);
  const absl::CivilDay day = TodayInHelsinki() - 2;
  std::string out;
  std::string err;
  setenv(kTokenEnvironmentVariable, "", 1);  // the flag alone authenticates
  const int code = RunToCompletion(
      EdgeBinary(),
      {"--server=" + server_->address(), "--gateway=GW-A",
       "--token_file=" + token_file, "--outbox=" + dir_.File("outbox-a.db"),
       "--backfill_from=" + FormatDate(day), "--backfill_to=" + FormatDate(day),
       "--exit_when_drained", "--status_interval_s=0"},
      &out, std::chrono::seconds(60), &err);
  setenv(kTokenEnvironmentVariable, server_->admin_token().c_str(), 1);
  EXPECT_EQ(code, 0) << err;
  const std::vector<StoredRow> expected =
      SimulatedRows({"AC-DEV-A"}, 1, day, day);
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(CountReadings(server_->db_path()),
            1 + static_cast<int64_t>(expected.size()));
}

TEST_F(AccessTest, RevokingADeviceTokenEndsItsOpenStream) {
  const std::string inventory = dir_.File("inventory.json");
  std::ofstream(inventory) << TwoGatewayInventoryJson();
  ASSERT_EQ(
      Client(Token("facility", "facility"), {"import-inventory", inventory})
          .exit_code,
      0);
  const std::string device = Token("device", "edge A", {"--gateway=GW-A"});
  auto ingest = v1::IngestService::NewStub(CreateChannelWithToken(
      server_->address(), grpc::InsecureChannelCredentials(),
      grpc::ChannelArguments(), device));
  const int64_t now_ms = ToMs(absl::Now());
  auto batch = [&](uint64_t id) {
    v1::ReadingBatch batch;
    batch.set_batch_id(id);
    v1::Reading* reading = batch.add_readings();
    reading->set_sensor("AC-DEV-A");
    reading->set_ts_ms(now_ms - 60'000 + static_cast<int64_t>(id) * 1000);
    reading->set_occupied(true);
    return batch;
  };

  grpc::ClientContext context;
  auto stream = ingest->StreamReadings(&context);
  ASSERT_TRUE(stream->Write(batch(1)));
  v1::BatchAck ack;
  ASSERT_TRUE(stream->Read(&ack));
  EXPECT_EQ(ack.accepted(), 1u);

  // Token 3 is the device's (1: bootstrap admin, 2: facility).
  const ClientRun revoke =
      Client(server_->admin_token(), {"tokens", "revoke", "3"});
  ASSERT_EQ(revoke.exit_code, 0) << revoke.err;
  stream->Write(batch(2));
  EXPECT_FALSE(stream->Read(&ack));
  const grpc::Status status = stream->Finish();
  EXPECT_EQ(status.error_code(), Code::UNAUTHENTICATED);
  EXPECT_NE(status.error_message().find("token 3 (\"edge A\") was revoked at"),
            std::string::npos)
      << status.error_message();
  EXPECT_EQ(CountReadings(server_->db_path()), 1);
}

// A live watch of AC-SITE with `token`: the reader and its context.
struct Watch {
  std::unique_ptr<grpc::ClientContext> context =
      std::make_unique<grpc::ClientContext>();
  std::unique_ptr<grpc::ClientReader<v1::LiveOccupancyUpdate>> reader;
};
Watch StartWatch(const std::string& address, const std::string& token) {
  auto live = v1::LiveOccupancyService::NewStub(
      CreateChannelWithToken(address, grpc::InsecureChannelCredentials(),
                             grpc::ChannelArguments(), token));
  Watch watch;
  watch.context->set_deadline(std::chrono::system_clock::now() +
                              std::chrono::seconds(20));
  v1::LiveOccupancyRequest request;
  request.set_site("AC-SITE");
  watch.reader = live->WatchLiveOccupancy(watch.context.get(), request);
  return watch;
}

TEST_F(AccessTest, RevokingATokenEndsItsLiveWatchesWithoutNewReadings) {
  const std::string inventory = dir_.File("inventory.json");
  std::ofstream(inventory) << TwoGatewayInventoryJson();
  ASSERT_EQ(
      Client(Token("facility", "facility"), {"import-inventory", inventory})
          .exit_code,
      0);
  // Token 3 (1: bootstrap admin, 2: facility).
  Watch watch = StartWatch(server_->address(), Token("facility", "screen"));
  v1::LiveOccupancyUpdate update;
  ASSERT_TRUE(watch.reader->Read(&update));
  EXPECT_TRUE(update.snapshot());

  const ClientRun revoke =
      Client(server_->admin_token(), {"tokens", "revoke", "3"});
  ASSERT_EQ(revoke.exit_code, 0) << revoke.err;
  // No reading arrives: the periodic check ends the watch.
  const absl::Time revoked = absl::Now();
  EXPECT_FALSE(watch.reader->Read(&update));
  const grpc::Status status = watch.reader->Finish();
  EXPECT_LT(absl::Now() - revoked, absl::Seconds(5));
  EXPECT_EQ(status.error_code(), Code::UNAUTHENTICATED)
      << status.error_message();
  EXPECT_NE(status.error_message().find("token 3 (\"screen\") was revoked at"),
            std::string::npos)
      << status.error_message();
}

TEST_F(AccessTest, LiveWatchesPerTokenAreCapped) {
  TempDir dir;
  ServerProcess server(dir, 0, "capped", {"--max_watches_per_token=2"});
  const std::string inventory = dir.File("inventory.json");
  std::ofstream(inventory) << TwoGatewayInventoryJson();
  std::string out, err;
  ASSERT_EQ(RunToCompletion(
                ClientBinary(),
                {"--server=" + server.address(), "import-inventory", inventory},
                &out, std::chrono::seconds(60), &err),
            0)
      << err;
  const std::string screen =
      CreateToken(server, server.admin_token(), "facility", "screen");
  const std::string other =
      CreateToken(server, server.admin_token(), "facility", "other");
  v1::LiveOccupancyUpdate update;
  Watch first = StartWatch(server.address(), screen);
  Watch second = StartWatch(server.address(), screen);
  ASSERT_TRUE(first.reader->Read(&update));
  ASSERT_TRUE(second.reader->Read(&update));

  Watch third = StartWatch(server.address(), screen);
  EXPECT_FALSE(third.reader->Read(&update));
  const grpc::Status refused = third.reader->Finish();
  EXPECT_EQ(refused.error_code(), Code::RESOURCE_EXHAUSTED)
      << refused.error_message();
  EXPECT_NE(refused.error_message().find("--max_watches_per_token"),
            std::string::npos)
      << refused.error_message();
  // Another token has its own watches.
  Watch others = StartWatch(server.address(), other);
  EXPECT_TRUE(others.reader->Read(&update));

  // Once one ends, the token may watch again.
  first.context->TryCancel();
  first.reader->Finish();
  bool admitted = false;
  for (int i = 0; i < 50 && !admitted; ++i) {
    Watch again = StartWatch(server.address(), screen);
    admitted = again.reader->Read(&update);
    again.context->TryCancel();
    again.reader->Finish();
    if (!admitted) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(admitted);
  second.context->TryCancel();
  second.reader->Finish();
  others.context->TryCancel();
  others.reader->Finish();
}

TEST_F(AccessTest, TokensCommandsRoundTrip) {
  // create prints the token alone on one line.
  const ClientRun created =
      Client(server_->admin_token(), {"tokens", "create", "--role=facility",
                                      "--name=Facility team", "--ttl=30d"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const std::string token(absl::StripAsciiWhitespace(created.out));
  EXPECT_EQ(created.out, token + "\n");
  EXPECT_TRUE(absl::StartsWith(token, "mpk_")) << token;
  EXPECT_NE(created.err.find("shown only this once"), std::string::npos);

  // The token works for its role and not beyond it.
  ClientRun sites = Client(token, {"sites"});
  EXPECT_EQ(sites.exit_code, 0) << sites.err;
  ClientRun hr = Client(token, {"office-days", "--from_month=2026-01"});
  EXPECT_EQ(hr.exit_code, 1);
  EXPECT_NE(
      hr.err.find("error: PERMISSION_DENIED: WorkforceService/GetOfficeDays "
                  "needs role hr or admin; token 2 (\"Facility team\") has "
                  "role facility"),
      std::string::npos)
      << hr.err;

  // list: never the secret; table, CSV and JSON.
  for (const char* format : {"table", "csv", "json"}) {
    const ClientRun list =
        Client(server_->admin_token(),
               {std::string("--output=") + format, "tokens", "list"});
    ASSERT_EQ(list.exit_code, 0) << list.err;
    EXPECT_NE(list.out.find("Facility team"), std::string::npos) << list.out;
    EXPECT_NE(list.out.find("bootstrap"), std::string::npos) << list.out;
    EXPECT_EQ(list.out.find(token.substr(4)), std::string::npos) << list.out;
    EXPECT_EQ(list.out.find(server_->admin_token().substr(4)),
              std::string::npos);
    EXPECT_EQ(list.out.find("secret"), std::string::npos) << list.out;
  }
  const ClientRun csv =
      Client(server_->admin_token(), {"--output=csv", "tokens", "list"});
  EXPECT_NE(csv.out.find("id,name,role,gateway,sites,created,expires,status\n"),
            std::string::npos)
      << csv.out;
  EXPECT_NE(csv.out.find("2,Facility team,facility,,"), std::string::npos)
      << csv.out;

  // revoke: refused at once; listed as revoked only with --include_inactive.
  const ClientRun revoke =
      Client(server_->admin_token(), {"tokens", "revoke", "2"});
  ASSERT_EQ(revoke.exit_code, 0) << revoke.err;
  EXPECT_NE(revoke.out.find("revoked"), std::string::npos) << revoke.out;
  sites = Client(token, {"sites"});
  EXPECT_EQ(sites.exit_code, 1);
  EXPECT_NE(
      sites.err.find("error: UNAUTHENTICATED: token 2 (\"Facility team\") "
                     "was revoked at"),
      std::string::npos)
      << sites.err;
  EXPECT_NE(sites.err.find("--token_file"), std::string::npos) << sites.err;
  EXPECT_EQ(Client(server_->admin_token(), {"--output=csv", "tokens", "list"})
                .out.find("Facility team"),
            std::string::npos);
  EXPECT_NE(Client(server_->admin_token(),
                   {"--output=csv", "tokens", "list", "--include_inactive"})
                .out.find("Facility team,facility,,"),
            std::string::npos);

  // Only admins manage tokens; bad input is a usage error.
  const std::string hr_token = Token("hr", "HR");
  const ClientRun denied =
      Client(hr_token, {"tokens", "create", "--role=admin", "--name=escalate"});
  EXPECT_EQ(denied.exit_code, 1);
  EXPECT_NE(denied.err.find("PERMISSION_DENIED: AuthService/CreateToken needs "
                            "role admin"),
            std::string::npos)
      << denied.err;
  EXPECT_EQ(Client(server_->admin_token(),
                   {"tokens", "create", "--role=root", "--name=x"})
                .exit_code,
            2);
  const ClientRun no_gateway =
      Client(server_->admin_token(),
             {"tokens", "create", "--role=device", "--name=edge"});
  EXPECT_EQ(no_gateway.exit_code, 1);
  EXPECT_NE(no_gateway.err.find("gateway: a device token needs the gateway"),
            std::string::npos)
      << no_gateway.err;

  // Without any token the client says how to give one.
  const ClientRun anonymous = Client("", {"sites"});
  EXPECT_EQ(anonymous.exit_code, 1);
  EXPECT_NE(
      anonymous.err.find("error: UNAUTHENTICATED: InventoryService/ListSites "
                         "needs credentials"),
      std::string::npos)
      << anonymous.err;
}

TEST_F(AccessTest, AuditLogRecordsWhoDidWhatAndWhen) {
  const std::string facility = Token("facility", "facility team");
  const std::string hr = Token("hr", "HR analyst");
  const std::string inventory = dir_.File("inventory.json");
  std::ofstream(inventory) << TwoGatewayInventoryJson();
  ASSERT_EQ(Client(facility, {"import-inventory", inventory}).exit_code, 0);
  // Audited when requested, whatever the answer.
  Client(hr, {"office-days", "--from_month=2026-01", "--organization=AC-ORG"});
  ASSERT_EQ(Client(server_->admin_token(), {"tokens", "revoke", "2"}).exit_code,
            0);

  const ClientRun audit =
      Client(server_->admin_token(), {"--output=csv", "audit"});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  // Newest first.
  const std::vector<std::string> expected = {
      ",1,bootstrap,admin,AuthService/RevokeToken,\"revoked token 2 "
      "\"\"facility team\"\" role facility\"\n",
      ",3,HR analyst,hr,WorkforceService/GetOfficeDays,from_month=2026-01 "
      "to_month=2026-01 organization=AC-ORG\n",
      ",2,facility team,facility,InventoryService/ImportInventory,"
      "\"organizations 1, sites 1, spaces 1, workstations 2, sensors 2\"\n",
      ",1,bootstrap,admin,AuthService/CreateToken,\"created token 3 \"\"HR "
      "analyst\"\" role hr\"\n",
      ",1,bootstrap,admin,AuthService/CreateToken,\"created token 2 "
      "\"\"facility team\"\" role facility\"\n",
  };
  size_t at = audit.out.find("time,token_id,token_name,role,rpc,summary\n");
  ASSERT_NE(at, std::string::npos) << audit.out;
  for (const std::string& line : expected) {
    const size_t found = audit.out.find(line, at);
    EXPECT_NE(found, std::string::npos) << line << "\nin\n" << audit.out;
    if (found != std::string::npos) at = found;
  }
  // Never a secret.
  for (const std::string& secret : {facility, hr, server_->admin_token()}) {
    EXPECT_EQ(audit.out.find(secret.substr(4)), std::string::npos);
  }
  // JSON and a time window; only admins read it.
  const ClientRun json =
      Client(server_->admin_token(), {"--output=json", "audit", "--limit=1"});
  EXPECT_NE(json.out.find("\"rpc\": \"AuthService/RevokeToken\""),
            std::string::npos)
      << json.out;
  EXPECT_EQ(json.out.find("CreateToken"), std::string::npos) << json.out;
  const ClientRun future = Client(
      server_->admin_token(), {"--output=csv", "audit", "--from=2099-01-01"});
  EXPECT_EQ(future.out, "time,token_id,token_name,role,rpc,summary\n");
  EXPECT_EQ(Client(hr, {"audit"}).exit_code, 1);
}

TEST_F(AccessTest, BootstrapTokenFileIsPrivateAndKeptAcrossRestarts) {
  const std::string file = dir_.File("admin.token");
  struct stat info;
  ASSERT_EQ(stat(file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
  const std::string first = server_->admin_token();
  server_->process().Signal(SIGTERM);
  ASSERT_EQ(server_->process().Wait(std::chrono::seconds(30)), 0);
  server_ = std::make_unique<ServerProcess>(dir_, 0, "server-2");
  EXPECT_EQ(server_->admin_token(), first);
  EXPECT_EQ(Client(first, {"sites"}).exit_code, 0);
  const ClientRun list = Client(first, {"--output=csv", "tokens", "list"});
  // Still the one bootstrap token.
  EXPECT_TRUE(absl::StartsWith(list.out,
                               "id,name,role,gateway,sites,created,expires,"
                               "status\n1,bootstrap,admin,,,"))
      << list.out;
  EXPECT_EQ(std::count(list.out.begin(), list.out.end(), '\n'), 2) << list.out;
}

}  // namespace
}  // namespace monipaikka::testing
