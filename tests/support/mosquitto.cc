#include "tests/support/mosquitto.h"

#include <gtest/gtest.h>
#include <mosquitto.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <mutex>
#include <thread>

namespace monipaikka::testing {
namespace {

bool Accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok =
      ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

std::string MosquittoBinary() { return "/usr/sbin/mosquitto"; }

bool MakeBrokerSecurity(const TempDir& dir, BrokerSecurity* security) {
  security->ca_file = dir.File("ca.crt");
  security->cert_file = dir.File("server.crt");
  security->key_file = dir.File("server.key");
  security->password_file = dir.File("passwords");
  std::ofstream(dir.File("san.cnf")) << "subjectAltName=IP:127.0.0.1\n";
  const std::vector<std::vector<std::string>> commands = {
      {"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
       "-keyout", dir.File("ca.key"), "-out", security->ca_file, "-days", "2",
       "-subj", "/CN=monipaikka-test-ca"},
      {"/usr/bin/openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout",
       security->key_file, "-out", dir.File("server.csr"), "-subj",
       "/CN=127.0.0.1"},
      {"/usr/bin/openssl", "x509", "-req", "-in", dir.File("server.csr"), "-CA",
       security->ca_file, "-CAkey", dir.File("ca.key"), "-CAcreateserial",
       "-out", security->cert_file, "-days", "2", "-extfile",
       dir.File("san.cnf")},
      {"/usr/bin/mosquitto_passwd", "-b", "-c", security->password_file,
       security->username, security->password},
  };
  for (const std::vector<std::string>& command : commands) {
    std::string out, err;
    const std::vector<std::string> args(command.begin() + 1, command.end());
    if (RunToCompletion(command[0], args, &out, std::chrono::seconds(60),
                        &err) != 0) {
      ADD_FAILURE() << command[0] << " failed: " << out << err;
      return false;
    }
  }
  return true;
}

MosquittoBroker::MosquittoBroker(const TempDir& dir,
                                 const BrokerSecurity* security) {
  for (int attempt = 0; attempt < 3 && !ready_; ++attempt) {
    port_ = PickFreePort();
    const std::string config = dir.File("mosquitto.conf");
    std::ofstream conf(config);
    conf << "listener " << port_ << " 127.0.0.1\n";
    // As root, mosquitto would switch to its own user, which cannot read the
    // test's private directory.
    if (::geteuid() == 0) conf << "user root\n";
    if (security != nullptr) {
      conf << "cafile " << security->ca_file << "\n"
           << "certfile " << security->cert_file << "\n"
           << "keyfile " << security->key_file << "\n"
           << "allow_anonymous false\n"
           << "password_file " << security->password_file << "\n";
    } else {
      conf << "allow_anonymous true\n";
    }
    conf << "persistence false\n"
         << "max_queued_messages 100000\n"
         << "max_inflight_messages 100\n"
         << "log_dest stderr\n"
         << "log_type error\nlog_type warning\n";
    conf.close();
    process_ = std::make_unique<Process>(MosquittoBinary(),
                                         std::vector<std::string>{"-c", config},
                                         dir.File("mosquitto.log"));
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline && process_->running()) {
      if (Accepts(port_)) {
        ready_ = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  EXPECT_TRUE(ready_) << "mosquitto did not start: " << process_->Log();
}

MosquittoBroker::~MosquittoBroker() {
  if (process_ != nullptr && process_->running()) {
    process_->Signal(SIGTERM);
    if (process_->Wait(std::chrono::seconds(5)) < 0) {
      process_->Signal(SIGKILL);
      process_->Wait(std::chrono::seconds(5));
    }
  }
}

MqttPublisher::MqttPublisher(int port, const BrokerSecurity* security) {
  static std::once_flag once;
  std::call_once(once, [] { mosquitto_lib_init(); });
  mosq_ = mosquitto_new(nullptr, true, this);
  mosquitto_publish_callback_set(mosq_, [](struct mosquitto*, void* self, int) {
    ++static_cast<MqttPublisher*>(self)->acknowledged_;
  });
  if (security != nullptr) {
    mosquitto_tls_set(mosq_, security->ca_file.c_str(), nullptr, nullptr,
                      nullptr, nullptr);
    mosquitto_username_pw_set(mosq_, security->username.c_str(),
                              security->password.c_str());
  }
  connected_ =
      mosquitto_connect(mosq_, "127.0.0.1", port, 30) == MOSQ_ERR_SUCCESS;
  EXPECT_TRUE(connected_) << "cannot connect to the broker on " << port;
}

MqttPublisher::~MqttPublisher() {
  if (connected_) {
    mosquitto_disconnect(mosq_);
    mosquitto_loop(mosq_, 100, 1);
  }
  mosquitto_destroy(mosq_);
}

bool MqttPublisher::Publish(
    const std::vector<std::pair<std::string, std::string>>& messages) {
  if (!connected_) return false;
  acknowledged_ = 0;
  int sent = 0;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(60);
  // Keep at most 50 unacknowledged, like the broker's inflight window.
  while (acknowledged_ < static_cast<int>(messages.size())) {
    while (sent < static_cast<int>(messages.size()) &&
           sent - acknowledged_ < 50) {
      const auto& [topic, payload] = messages[sent];
      if (mosquitto_publish(mosq_, nullptr, topic.c_str(),
                            static_cast<int>(payload.size()), payload.data(), 1,
                            false) != MOSQ_ERR_SUCCESS) {
        return false;
      }
      ++sent;
    }
    if (mosquitto_loop(mosq_, 50, 1) != MOSQ_ERR_SUCCESS) return false;
    if (std::chrono::steady_clock::now() > deadline) return false;
  }
  return true;
}

}  // namespace monipaikka::testing
