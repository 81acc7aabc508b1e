#include "bench/load/simulated_gateway.h"

#include "absl/strings/str_cat.h"
#include "common/bearer_token.h"

namespace monipaikka::load {

SimulatedGateway::SimulatedGateway(const std::string& address,
                                   GatewayOptions options, LoadStats* stats)
    : options_(std::move(options)),
      stats_(stats),
      schedule_(static_cast<int>(options_.sensors.size()),
                options_.readings_per_sensor_per_min,
                options_.state_change_probability, options_.start_unix_ms,
                options_.seed) {
  // A subchannel pool of its own gives the gateway its own TCP connection,
  // as a gateway in its own building has.
  grpc::ChannelArguments arguments;
  arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  std::shared_ptr<grpc::ChannelCredentials> credentials =
      options_.tls_ca_pem.empty()
          ? grpc::InsecureChannelCredentials()
          : grpc::SslCredentials({.pem_root_certs = options_.tls_ca_pem});
  stub_ = v1::IngestService::NewStub(
      CreateChannelWithToken(address, credentials, arguments, options_.token));
}

void SimulatedGateway::Start() {
  stub_->async()->StreamReadings(&context_, this);
  AddHold();
  StartRead(&ack_);
  StartCall();
}

void SimulatedGateway::Tick(int64_t elapsed_us) {
  {
    absl::MutexLock lock(&mu_);
    if (draining_ || failed_) return;
    const std::vector<ScheduledReading> due = schedule_.TakeDue(elapsed_us);
    stats_->AddGenerated(static_cast<int64_t>(due.size()));
    unsent_readings_ += static_cast<int64_t>(due.size());
    for (const ScheduledReading& scheduled : due) {
      if (unsent_.empty() ||
          unsent_.back().readings_size() >= options_.max_batch_readings) {
        unsent_.emplace_back().set_gateway(options_.name);
      }
      v1::Reading* reading = unsent_.back().add_readings();
      reading->set_sensor(options_.sensors[scheduled.sensor]);
      reading->set_ts_ms(scheduled.ts_ms);
      reading->set_seq(scheduled.seq);
      reading->set_occupied(scheduled.occupied);
    }
  }
  Pump();
}

void SimulatedGateway::Drain() {
  {
    absl::MutexLock lock(&mu_);
    draining_ = true;
  }
  Pump();
}

bool SimulatedGateway::WaitDone(absl::Duration timeout) {
  return done_.WaitForNotificationWithTimeout(timeout);
}

int64_t SimulatedGateway::unacknowledged() const {
  absl::MutexLock lock(&mu_);
  int64_t readings = unsent_readings_;
  for (const InFlight& batch : in_flight_) readings += batch.readings;
  return readings;
}

void SimulatedGateway::OnReadDone(bool ok) {
  if (!ok) {
    // The server ended the stream; OnDone tells how.
    {
      absl::MutexLock lock(&mu_);
      if (!closed_) failed_ = true;
    }
    Pump();
    return;
  }
  bool out_of_order = false;
  {
    absl::MutexLock lock(&mu_);
    if (in_flight_.empty() || in_flight_.front().batch_id != ack_.batch_id()) {
      stats_->AddError(absl::StrCat(
          options_.name, ": acknowledgement of batch ", ack_.batch_id(),
          in_flight_.empty()
              ? std::string(" while none is unacknowledged")
              : absl::StrCat(" while batch ", in_flight_.front().batch_id,
                             " is the oldest unacknowledged")));
      failed_ = true;
      out_of_order = true;
    } else {
      const std::chrono::duration<double, std::milli> latency =
          std::chrono::steady_clock::now() - in_flight_.front().written;
      stats_->AddAck(ack_, latency.count());
      in_flight_.pop_front();
    }
  }
  if (out_of_order) {
    context_.TryCancel();
  } else {
    StartRead(&ack_);
  }
  Pump();
}

void SimulatedGateway::OnWriteDone(bool ok) {
  {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    if (!ok && !closed_) failed_ = true;
  }
  Pump();
}

void SimulatedGateway::OnDone(const grpc::Status& status) {
  {
    absl::MutexLock lock(&mu_);
    if (!status.ok()) {
      stats_->AddError(absl::StrCat(options_.name, ": stream ended with code ",
                                    status.error_code(), ": ",
                                    status.error_message()));
    } else if (!closed_) {
      stats_->AddError(absl::StrCat(
          options_.name,
          ": the server ended the stream before the gateway closed it"));
    }
  }
  // The last touch of this object: a waiter may delete it right after.
  done_.Notify();
}

void SimulatedGateway::Pump() {
  Actions actions;
  {
    absl::MutexLock lock(&mu_);
    Decide(actions);
  }
  while (actions.any()) {
    if (actions.write != nullptr) StartWrite(actions.write);
    if (actions.writes_done) StartWritesDone();
    if (actions.remove_hold) {
      RemoveHold();  // OnDone may follow at once: the last use of the call
      return;
    }
    actions = Actions();
    absl::MutexLock lock(&mu_);
    --starting_;
    Decide(actions);
  }
}

void SimulatedGateway::Decide(Actions& actions) {
  if (hold_released_) return;
  if (!failed_ && !closed_ && !writing_) {
    if (!unsent_.empty() &&
        in_flight_.size() < static_cast<size_t>(options_.max_in_flight)) {
      writing_batch_ = std::move(unsent_.front());
      unsent_.pop_front();
      const int readings = writing_batch_.readings_size();
      unsent_readings_ -= readings;
      writing_batch_.set_batch_id(++last_batch_id_);
      in_flight_.push_back(
          InFlight{last_batch_id_, readings, std::chrono::steady_clock::now()});
      stats_->AddSent(readings);
      writing_ = true;
      actions.write = &writing_batch_;
    } else if (draining_ && unsent_.empty() && in_flight_.empty()) {
      closed_ = true;
      actions.writes_done = true;
    }
  }
  if (actions.write != nullptr || actions.writes_done) {
    ++starting_;
    return;
  }
  // Nothing more will be started: let the call finish.
  if ((closed_ || failed_) && starting_ == 0) {
    hold_released_ = true;
    actions.remove_hold = true;
  }
}

}  // namespace monipaikka::load
