#pragma once

// One simulated edge gateway: its sensors' readings (reading_schedule.h) go
// to the server over its own connection and its own
// IngestService.StreamReadings stream, the way the edge agent sends its
// outbox: batches of at most `max_batch_readings` readings with increasing
// batch ids, at most `max_in_flight` of them unacknowledged, one written at
// a time; each acknowledgement (sent by the server once the batch is
// committed) frees the window. A stream that fails is counted as an error
// and not reopened: what it had not got acknowledged stays unacknowledged.
//
// Threading: Tick() and Drain() are called by one driver thread; gRPC's
// reactions run on gRPC's threads. A hold keeps the call open while the
// driver may still start writes (see Decide()).

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "bench/load/load_stats.h"
#include "bench/load/reading_schedule.h"
#include "monipaikka/v1/ingest.grpc.pb.h"

namespace monipaikka::load {

struct GatewayOptions {
  std::string name;
  // Sent with the stream as "authorization: Bearer <token>": the gateway's
  // device token.
  std::string token;
  std::vector<std::string> sensors;
  double readings_per_sensor_per_min = 6;
  double state_change_probability = 0.1;
  int64_t start_unix_ms = 0;
  uint64_t seed = 1;
  int max_batch_readings = 1000;
  int max_in_flight = 8;
  // PEM CA certificates to verify the server with (TLS); empty: plaintext.
  std::string tls_ca_pem;
};

class SimulatedGateway
    : public grpc::ClientBidiReactor<v1::ReadingBatch, v1::BatchAck> {
 public:
  // Connects to `address` (host:port) on a connection of its own.
  SimulatedGateway(const std::string& address, GatewayOptions options,
                   LoadStats* stats);

  // Opens the stream.
  void Start();
  // Takes the readings due `elapsed_us` after the start of the run and
  // sends what the window allows.
  void Tick(int64_t elapsed_us);
  // No readings are added any more: what is left is sent as the
  // acknowledgements free the window, and once everything is acknowledged
  // the stream is closed.
  void Drain();
  // Cancels the stream (for a drain that takes too long).
  void Cancel() { context_.TryCancel(); }
  // Waits until gRPC is done with the stream; false on time-out.
  bool WaitDone(absl::Duration timeout);

  // Readings generated and not acknowledged (unsent, or sent and waiting).
  int64_t unacknowledged() const;

  void OnReadDone(bool ok) override;
  void OnWriteDone(bool ok) override;
  void OnDone(const grpc::Status& status) override;

 private:
  struct InFlight {
    uint64_t batch_id;
    int readings;
    std::chrono::steady_clock::time_point written;
  };
  // gRPC operations decided under the lock, started after releasing it.
  struct Actions {
    const v1::ReadingBatch* write = nullptr;
    bool writes_done = false;
    bool remove_hold = false;
    bool any() const { return write != nullptr || writes_done || remove_hold; }
  };

  // Starts what the state allows: the next write, the close, or the release
  // of the hold.
  void Pump();
  void Decide(Actions& actions) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Fail(const std::string& why) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const GatewayOptions options_;
  LoadStats* const stats_;
  std::unique_ptr<v1::IngestService::Stub> stub_;
  grpc::ClientContext context_;
  v1::BatchAck ack_;  // owned by the outstanding read

  mutable absl::Mutex mu_;
  ReadingSchedule schedule_ ABSL_GUARDED_BY(mu_);
  // Batches not yet written; the last one may still grow.
  std::deque<v1::ReadingBatch> unsent_ ABSL_GUARDED_BY(mu_);
  int64_t unsent_readings_ ABSL_GUARDED_BY(mu_) = 0;
  v1::ReadingBatch writing_batch_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  std::deque<InFlight> in_flight_ ABSL_GUARDED_BY(mu_);
  uint64_t last_batch_id_ ABSL_GUARDED_BY(mu_) = 0;
  // Operations decided and not yet started.
  int starting_ ABSL_GUARDED_BY(mu_) = 0;
  bool draining_ ABSL_GUARDED_BY(mu_) = false;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  bool failed_ ABSL_GUARDED_BY(mu_) = false;
  bool hold_released_ ABSL_GUARDED_BY(mu_) = false;
  // gRPC is done with the stream (OnDone returned or is returning).
  absl::Notification done_;
};

}  // namespace monipaikka::load
