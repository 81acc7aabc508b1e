#pragma once

// A real mosquitto broker on 127.0.0.1 for integration tests, and a small
// synchronous publisher (libmosquitto).

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

struct mosquitto;

namespace monipaikka::testing {

// The broker binary (Debian's mosquitto package).
std::string MosquittoBinary();

// TLS and password authentication for a broker: a CA, a server certificate
// for 127.0.0.1 signed by it (made with the openssl command line) and one
// user.
struct BrokerSecurity {
  std::string username = "monipaikka-edge";
  std::string password = "s3cret";
  // Filled in by MakeBrokerSecurity.
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  std::string password_file;
};
// Creates the files in `dir`; false (with a test failure) if a tool fails.
bool MakeBrokerSecurity(const TempDir& dir, BrokerSecurity* security);

class MosquittoBroker {
 public:
  // Starts a broker with its own configuration in `dir` on a free port of
  // 127.0.0.1 (sessions kept in memory, room for 100000 queued messages per
  // session) and waits until it accepts connections. Without `security`
  // anonymous plain MQTT, else TLS and only `security`'s user.
  explicit MosquittoBroker(const TempDir& dir,
                           const BrokerSecurity* security = nullptr);
  // Stops it (SIGTERM, then SIGKILL).
  ~MosquittoBroker();

  int port() const { return port_; }
  bool ready() const { return ready_; }

 private:
  std::unique_ptr<Process> process_;
  int port_ = 0;
  bool ready_ = false;
};

// Publishes with QoS 1 and waits for the broker's acknowledgements.
class MqttPublisher {
 public:
  // `security`: connect with TLS and its user.
  explicit MqttPublisher(int port, const BrokerSecurity* security = nullptr);
  ~MqttPublisher();
  MqttPublisher(const MqttPublisher&) = delete;
  MqttPublisher& operator=(const MqttPublisher&) = delete;

  bool connected() const { return connected_; }
  // Publishes (topic, payload) pairs in order; true once the broker has
  // acknowledged all of them.
  bool Publish(
      const std::vector<std::pair<std::string, std::string>>& messages);
  bool Publish(const std::string& topic, const std::string& payload) {
    return Publish({{topic, payload}});
  }

 private:
  struct mosquitto* mosq_ = nullptr;
  bool connected_ = false;
  int acknowledged_ = 0;
};

}  // namespace monipaikka::testing
