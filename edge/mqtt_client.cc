#include "edge/mqtt_client.h"

#include <mosquitto.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <mutex>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/log.h"

namespace monipaikka::edge {
namespace {

constexpr std::chrono::milliseconds kTick{1000};

void InitLibrary() {
  static std::once_flag once;
  std::call_once(once, [] { mosquitto_lib_init(); });
}

std::string Describe(int rc) {
  if (rc == MOSQ_ERR_ERRNO) {
    return absl::StrCat(mosquitto_strerror(rc), " (errno ", errno, ")");
  }
  return mosquitto_strerror(rc);
}

}  // namespace

absl::StatusOr<std::unique_ptr<MqttClient>> MqttClient::Create(
    asio::io_context& io, MqttOptions options, OnMessage on_message,
    Commit commit) {
  if (options.host.empty()) {
    return absl::InvalidArgumentError("mqtt.host: is required");
  }
  if (options.port < 1 || options.port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("mqtt.port: ", options.port, " is not a port"));
  }
  if (!options.clean_session && options.client_id.empty()) {
    return absl::InvalidArgumentError(
        "mqtt.client_id: is required for a persistent session "
        "(clean_session false)");
  }
  if (options.keepalive_s < 5 || options.keepalive_s > 65535) {
    return absl::InvalidArgumentError(absl::StrCat(
        "mqtt.keepalive_s: ", options.keepalive_s, " is not within 5..65535"));
  }
  if (options.subscriptions.empty()) {
    return absl::InvalidArgumentError("mqtt.subscriptions: none given");
  }
  for (size_t i = 0; i < options.subscriptions.size(); ++i) {
    const MqttSubscription& s = options.subscriptions[i];
    bool valid = false;
    if (mosquitto_sub_topic_check(s.topic.c_str()) == MOSQ_ERR_SUCCESS) {
      valid = !s.topic.empty();
    }
    if (!valid) {
      return absl::InvalidArgumentError(
          absl::StrCat("mqtt.subscriptions[", i, "].topic: \"", s.topic,
                       "\" is not a topic filter"));
    }
    if (s.qos < 0 || s.qos > 2) {
      return absl::InvalidArgumentError(absl::StrCat(
          "mqtt.subscriptions[", i, "].qos: ", s.qos, " is not 0, 1 or 2"));
    }
  }
  if (options.max_messages_per_commit < 1) {
    return absl::InvalidArgumentError("max_messages_per_commit: must be >= 1");
  }
  InitLibrary();
  std::unique_ptr<MqttClient> client(new MqttClient(
      io, std::move(options), std::move(on_message), std::move(commit)));
  const MqttOptions& o = client->options_;
  client->mosq_ =
      mosquitto_new(o.client_id.empty() ? nullptr : o.client_id.c_str(),
                    o.clean_session, client.get());
  if (client->mosq_ == nullptr) {
    return absl::ResourceExhaustedError("mosquitto_new failed");
  }
  // Queue outgoing packets (PUBACKs) until loop_write: see the header.
  mosquitto_threaded_set(client->mosq_, true);
  mosquitto_int_option(client->mosq_, MOSQ_OPT_PROTOCOL_VERSION,
                       MQTT_PROTOCOL_V311);
  if (!o.username.empty() &&
      mosquitto_username_pw_set(
          client->mosq_, o.username.c_str(),
          o.password.empty() ? nullptr : o.password.c_str()) !=
          MOSQ_ERR_SUCCESS) {
    return absl::InvalidArgumentError(
        "mqtt.username: rejected by libmosquitto");
  }
  if (!o.tls_ca_file.empty() || !o.tls_cert_file.empty()) {
    const int rc = mosquitto_tls_set(
        client->mosq_, o.tls_ca_file.empty() ? nullptr : o.tls_ca_file.c_str(),
        nullptr, o.tls_cert_file.empty() ? nullptr : o.tls_cert_file.c_str(),
        o.tls_key_file.empty() ? nullptr : o.tls_key_file.c_str(), nullptr);
    if (rc != MOSQ_ERR_SUCCESS) {
      return absl::InvalidArgumentError(
          absl::StrCat("mqtt.tls: ", Describe(rc),
                       " (check tls.ca_file, tls.cert_file and tls.key_file)"));
    }
    mosquitto_tls_insecure_set(client->mosq_, o.tls_insecure);
  }
  mosquitto_connect_callback_set(client->mosq_, &MqttClient::OnConnectCallback);
  mosquitto_disconnect_callback_set(client->mosq_,
                                    &MqttClient::OnDisconnectCallback);
  mosquitto_message_callback_set(client->mosq_, &MqttClient::OnMessageCallback);
  return client;
}

MqttClient::MqttClient(asio::io_context& io, MqttOptions options,
                       OnMessage on_message, Commit commit)
    : io_(io),
      options_(std::move(options)),
      on_message_(std::move(on_message)),
      commit_(std::move(commit)),
      socket_(io),
      tick_timer_(io),
      reconnect_timer_(io),
      backoff_(options_.backoff, options_.jitter_seed) {}

MqttClient::~MqttClient() {
  DetachSocket();
  if (mosq_ != nullptr) mosquitto_destroy(mosq_);  // closes the socket
}

void MqttClient::Start() {
  if (started_) return;
  started_ = true;
  Connect();
  OnTick();
}

void MqttClient::Stop() {
  if (stopping_) return;
  stopping_ = true;
  tick_timer_.cancel();
  reconnect_timer_.cancel();
  if (connected_ && !failed_) {
    mosquitto_disconnect(mosq_);
    // Best effort: the DISCONNECT (and any acknowledgement still queued).
    mosquitto_loop_write(mosq_, 1);
  }
  connected_ = false;
  DetachSocket();
}

void MqttClient::Connect() {
  if (stopping_ || failed_) return;
  connecting_ = true;
  const int rc =
      ever_connected_ || counters_.connection_losses > 0
          ? mosquitto_reconnect_async(mosq_)
          : mosquitto_connect_async(mosq_, options_.host.c_str(), options_.port,
                                    options_.keepalive_s);
  if (rc != MOSQ_ERR_SUCCESS) {
    connecting_ = false;
    Log(LogLevel::kWarning, "mqtt_connect_failed",
        {{"host", options_.host},
         {"port", options_.port},
         {"error", Describe(rc)}});
    ++counters_.connection_losses;
    ScheduleReconnect();
    return;
  }
  AttachSocket();
}

void MqttClient::ScheduleReconnect() {
  if (stopping_ || failed_) return;
  const std::chrono::milliseconds delay = backoff_.NextDelay();
  reconnect_timer_.expires_after(delay);
  reconnect_timer_.async_wait([this](const std::error_code& error) {
    if (!error) Connect();
  });
}

void MqttClient::AttachSocket() {
  const int fd = mosquitto_socket(mosq_);
  if (fd == attached_fd_) return;
  DetachSocket();
  if (fd < 0) return;
  std::error_code error;
  socket_.assign(fd, error);
  if (error) {
    Log(LogLevel::kError, "mqtt_socket_failed", {{"error", error.message()}});
    return;
  }
  attached_fd_ = fd;
  ++socket_generation_;
  read_armed_ = false;
  write_armed_ = false;
  ArmRead();
  ArmWrite();
}

void MqttClient::DetachSocket() {
  if (attached_fd_ < 0) return;
  // libmosquitto owns the descriptor: asio only lets go of it.
  std::error_code ignored;
  socket_.cancel(ignored);
  socket_.release();
  attached_fd_ = -1;
  ++socket_generation_;
  read_armed_ = false;
  write_armed_ = false;
}

void MqttClient::ArmRead() {
  if (attached_fd_ < 0 || read_armed_) return;
  read_armed_ = true;
  socket_.async_wait(
      asio::posix::stream_descriptor::wait_read,
      [this, generation = socket_generation_](const std::error_code& error) {
        if (generation != socket_generation_) return;
        read_armed_ = false;
        if (!error) OnReadable();
      });
}

void MqttClient::ArmWrite() {
  if (attached_fd_ < 0 || write_armed_ || !mosquitto_want_write(mosq_)) return;
  write_armed_ = true;
  socket_.async_wait(
      asio::posix::stream_descriptor::wait_write,
      [this, generation = socket_generation_](const std::error_code& error) {
        if (generation != socket_generation_) return;
        write_armed_ = false;
        if (!error) OnWritable();
      });
}

void MqttClient::OnReadable() {
  burst_messages_ = 0;
  int rc = MOSQ_ERR_SUCCESS;
  // Every packet the socket has ready, up to the burst limit.
  while (true) {
    rc = mosquitto_loop_read(mosq_, 1);
    if (rc != MOSQ_ERR_SUCCESS || attached_fd_ < 0 ||
        mosquitto_socket(mosq_) != attached_fd_) {
      break;
    }
    if (burst_messages_ >= options_.max_messages_per_commit) break;
    int available = 0;
    if (::ioctl(attached_fd_, FIONREAD, &available) != 0 || available <= 0) {
      break;
    }
  }
  if (burst_messages_ > 0) {
    ++counters_.bursts;
    // The durability point: the acknowledgements are written only after.
    if (absl::Status committed = commit_(); !committed.ok()) {
      Fatal(std::move(committed));
      return;
    }
  }
  Check(rc, "read");
  if (attached_fd_ < 0) return;
  rc = mosquitto_loop_write(mosq_, 1);
  Check(rc, "write");
  ArmRead();
  ArmWrite();
}

void MqttClient::OnWritable() {
  const int rc = mosquitto_loop_write(mosq_, 1);
  Check(rc, "write");
  // Connected now (a non-blocking connect finishes by becoming writable).
  ArmRead();
  ArmWrite();
}

void MqttClient::OnTick() {
  if (stopping_ || failed_) return;
  if (attached_fd_ >= 0) {
    const int rc = mosquitto_loop_misc(mosq_);
    if (rc != MOSQ_ERR_NO_CONN) Check(rc, "keepalive");
    if (attached_fd_ >= 0 && mosquitto_socket(mosq_) != attached_fd_) {
      Check(MOSQ_ERR_KEEPALIVE, "keepalive");
    }
    ArmWrite();
  }
  tick_timer_.expires_after(kTick);
  tick_timer_.async_wait([this](const std::error_code& error) {
    if (!error) OnTick();
  });
}

void MqttClient::Check(int rc, absl::string_view during) {
  const bool lost = rc != MOSQ_ERR_SUCCESS || attached_fd_ < 0 ||
                    mosquitto_socket(mosq_) != attached_fd_;
  if (!lost || failed_) return;
  const bool was_connected = connected_;
  connected_ = false;
  connecting_ = false;
  DetachSocket();
  if (stopping_) return;
  ++counters_.connection_losses;
  Log(LogLevel::kWarning,
      was_connected ? "mqtt_connection_lost" : "mqtt_connect_failed",
      {{"host", options_.host},
       {"port", options_.port},
       {"during", during},
       {"error", Describe(rc)}});
  ScheduleReconnect();
}

void MqttClient::Fatal(absl::Status status) {
  failed_ = true;
  connected_ = false;
  // Cut the connection without writing the queued acknowledgements: the
  // broker redelivers what was not committed.
  if (attached_fd_ >= 0) ::shutdown(attached_fd_, SHUT_RDWR);
  DetachSocket();
  tick_timer_.cancel();
  reconnect_timer_.cancel();
  Log(LogLevel::kError, "mqtt_input_stopped", {{"error", status.ToString()}});
  if (on_fatal_) on_fatal_(std::move(status));
}

void MqttClient::OnConnectCallback(struct mosquitto*, void* self, int rc) {
  auto* client = static_cast<MqttClient*>(self);
  client->connecting_ = false;
  if (rc != 0) {
    Log(LogLevel::kWarning, "mqtt_connect_refused",
        {{"host", client->options_.host},
         {"code", rc},
         {"reason", mosquitto_connack_string(rc)}});
    // libmosquitto drops the connection; Check() schedules the retry.
    return;
  }
  client->connected_ = true;
  client->ever_connected_ = true;
  ++client->counters_.connects;
  client->backoff_.Reset();
  for (const MqttSubscription& s : client->options_.subscriptions) {
    const int sub =
        mosquitto_subscribe(client->mosq_, nullptr, s.topic.c_str(), s.qos);
    if (sub != MOSQ_ERR_SUCCESS) {
      Log(LogLevel::kError, "mqtt_subscribe_failed",
          {{"topic", s.topic}, {"error", Describe(sub)}});
    }
  }
  Log(LogLevel::kInfo, "mqtt_connected",
      {{"host", client->options_.host},
       {"port", client->options_.port},
       {"subscriptions", client->options_.subscriptions.size()},
       {"connects", client->counters_.connects}});
}

void MqttClient::OnDisconnectCallback(struct mosquitto*, void* self, int) {
  auto* client = static_cast<MqttClient*>(self);
  // Called before libmosquitto closes the socket: let go of it first.
  client->DetachSocket();
  client->connected_ = false;
}

void MqttClient::OnMessageCallback(struct mosquitto*, void* self,
                                   const struct mosquitto_message* message) {
  auto* client = static_cast<MqttClient*>(self);
  ++client->counters_.messages;
  ++client->burst_messages_;
  const absl::string_view topic =
      message->topic != nullptr ? message->topic : "";
  const absl::string_view payload(static_cast<const char*>(message->payload),
                                  message->payloadlen);
  for (const MqttSubscription& s : client->options_.subscriptions) {
    bool matches = false;
    mosquitto_topic_matches_sub(s.topic.c_str(), message->topic, &matches);
    if (matches) {
      client->on_message_(s, topic, payload);
      return;
    }
  }
  // Cannot happen with our own subscriptions; counted by the pipeline if so.
  client->on_message_(client->options_.subscriptions.front(), topic, payload);
}

}  // namespace monipaikka::edge
