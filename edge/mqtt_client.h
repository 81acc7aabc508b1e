#pragma once

// The MQTT input: a libmosquitto client (Debian's libmosquitto) driven from
// the agent's asio event loop. No libmosquitto thread: the client's socket is
// watched with an asio::posix::stream_descriptor (async_wait for read and,
// when libmosquitto has output queued, write readiness), and a steady timer
// runs mosquitto_loop_misc (keepalive) and the reconnects with backoff.
//
// Durability. Messages of a read burst (every packet the socket has ready,
// up to `max_messages_per_commit`) are handed to `on_message`, then
// `commit` is called, and only then are libmosquitto's queued packets
// written: the client is put in libmosquitto's threaded mode
// (mosquitto_threaded_set), in which it queues outgoing packets, QoS 1
// PUBACKs included, instead of writing them from inside mosquitto_loop_read.
// So a QoS 1 message is acknowledged to the broker only after the readings
// made from it are committed to the outbox; if the agent dies before, the
// broker redelivers it to the persistent session (clean_session false, a
// fixed client id) and the frame counter sequence number makes the
// redelivery harmless. With QoS 0 the broker does not redeliver: a message
// in flight when the agent dies is lost. If `commit` fails the connection is
// cut without writing the acknowledgements and `on_fatal` is called.
//
// Threading: every method must be called on the io_context's thread.

#include <asio.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "edge/backoff.h"
#include "edge/decode/codec.h"
#include "edge/decode/envelopes.h"

struct mosquitto;
struct mosquitto_message;

namespace monipaikka::edge {

struct MqttSubscription {
  // A topic filter, e.g. "application/+/device/+/event/up".
  std::string topic;
  // 0 or 1 (2 is accepted and treated like 1 by the broker's rules).
  int qos = 1;
  MessageFormat format = MessageFormat::kChirpStackV4;
  // Codec of raw frames when the network server did not decode them.
  Codec codec = Codec::kAuto;
};

struct MqttOptions {
  std::string host = "127.0.0.1";
  int port = 1883;
  // Required with clean_session false (the broker keeps the session by it).
  std::string client_id;
  std::string username;
  std::string password;
  // TLS: a CA file turns TLS on; cert and key files for client
  // certificates. `tls_insecure` skips the server host name check.
  std::string tls_ca_file;
  std::string tls_cert_file;
  std::string tls_key_file;
  bool tls_insecure = false;
  int keepalive_s = 30;
  // false: a persistent session, so that QoS 1 messages published while the
  // agent is away are kept by the broker.
  bool clean_session = false;
  std::vector<MqttSubscription> subscriptions;
  BackoffPolicy backoff;
  uint64_t jitter_seed = 0;
  // Most messages handled between two commits.
  int max_messages_per_commit = 2000;
};

struct MqttCounters {
  int64_t connects = 0;
  int64_t connection_losses = 0;
  int64_t messages = 0;
  int64_t bursts = 0;
};

class MqttClient {
 public:
  using OnMessage =
      std::function<void(const MqttSubscription& subscription,
                         absl::string_view topic, absl::string_view payload)>;
  using Commit = std::function<absl::Status()>;

  // Checks the options (INVALID_ARGUMENT naming the field) and sets up the
  // client; nothing is connected before Start().
  static absl::StatusOr<std::unique_ptr<MqttClient>> Create(
      asio::io_context& io, MqttOptions options, OnMessage on_message,
      Commit commit);
  ~MqttClient();
  MqttClient(const MqttClient&) = delete;
  MqttClient& operator=(const MqttClient&) = delete;

  // Connects (and keeps reconnecting).
  void Start();
  // Disconnects cleanly; no reconnects after.
  void Stop();

  void set_on_fatal(std::function<void(absl::Status)> on_fatal) {
    on_fatal_ = std::move(on_fatal);
  }
  bool connected() const { return connected_; }
  const MqttCounters& counters() const { return counters_; }

 private:
  MqttClient(asio::io_context& io, MqttOptions options, OnMessage on_message,
             Commit commit);

  void Connect();
  void ScheduleReconnect();
  // Watches the socket libmosquitto has now, if any.
  void AttachSocket();
  void DetachSocket();
  void ArmRead();
  void ArmWrite();
  void OnReadable();
  void OnWritable();
  void OnTick();
  // After a loop call: handles a lost connection.
  void Check(int rc, absl::string_view during);
  void Fatal(absl::Status status);

  static void OnConnectCallback(struct mosquitto*, void* self, int rc);
  static void OnDisconnectCallback(struct mosquitto*, void* self, int rc);
  static void OnMessageCallback(struct mosquitto*, void* self,
                                const struct mosquitto_message* message);

  asio::io_context& io_;
  const MqttOptions options_;
  OnMessage on_message_;
  Commit commit_;
  std::function<void(absl::Status)> on_fatal_;

  struct mosquitto* mosq_ = nullptr;
  asio::posix::stream_descriptor socket_;
  int attached_fd_ = -1;
  // Distinguishes waits on the current socket from earlier ones.
  uint64_t socket_generation_ = 0;
  bool read_armed_ = false;
  bool write_armed_ = false;
  asio::steady_timer tick_timer_;
  asio::steady_timer reconnect_timer_;
  Backoff backoff_;
  bool started_ = false;
  bool ever_connected_ = false;
  bool connecting_ = false;
  bool connected_ = false;
  bool stopping_ = false;
  bool failed_ = false;
  int burst_messages_ = 0;
  MqttCounters counters_;
};

}  // namespace monipaikka::edge
