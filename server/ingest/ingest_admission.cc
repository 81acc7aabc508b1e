#include "server/ingest/ingest_admission.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/check.h"
#include "common/status_macros.h"
#include "server/auth/rpc_policy.h"
#include "server/ingest/health_validation.h"

namespace monipaikka {

void CompleteAck(BatchOutcome outcome, v1::BatchAck* ack) {
  ack->set_accepted(outcome.accepted);
  ack->set_duplicates(outcome.duplicates);
  if (outcome.gateway_newest_ts_ms.has_value()) {
    ack->set_gateway_newest_ts_ms(*outcome.gateway_newest_ts_ms);
  }
  for (v1::RejectedReading& rejected : outcome.rejected) {
    *ack->add_rejected() = std::move(rejected);
  }
}

IngestAdmission::IngestAdmission(const SensorDirectoryHolder* directory,
                                 IngestCounters* counters,
                                 const AccessControl* access,
                                 IngestOptions options)
    : directory_(directory),
      counters_(counters),
      access_(access),
      options_(std::move(options)),
      gateway_streams_(std::max(1, options_.max_streams_per_gateway)) {
  MONIPAIKKA_CHECK(options_.now_ms != nullptr,
                   "IngestAdmission: IngestOptions::now_ms is not set");
}

StreamAdmission::StreamAdmission(IngestAdmission* admission, Caller caller)
    : admission_(admission), caller_(std::move(caller)) {
  admission_->counters_->open_streams.fetch_add(1, std::memory_order_relaxed);
}

StreamAdmission::~StreamAdmission() {
  admission_->counters_->open_streams.fetch_sub(1, std::memory_order_relaxed);
  if (gateway_.has_value()) admission_->gateway_streams_.Close(*gateway_);
}

absl::Status StreamAdmission::RefuseUnparsable(absl::string_view parse_error) {
  admission_->counters_->malformed_messages.fetch_add(
      1, std::memory_order_relaxed);
  return absl::InvalidArgumentError(absl::StrCat(
      "message ", messages_ + 1,
      " of the stream is not a ReadingBatch protobuf (", parse_error, ")"));
}

absl::Status StreamAdmission::AdmitGateway(v1::ReadingBatch& batch) {
  if (caller_.role == Role::kDevice) {
    RETURN_IF_ERROR(admission_->access_->CheckOwnGateway(
        caller_, batch.gateway().empty() ? caller_.gateway : batch.gateway(),
        rpc::kStreamReadings));
    batch.set_gateway(caller_.gateway);
  }
  if (batch.gateway().empty()) return absl::OkStatus();
  if (!gateway_.has_value()) {
    RETURN_IF_ERROR(admission_->gateway_streams_.Open(batch.gateway()));
    gateway_ = batch.gateway();
    return absl::OkStatus();
  }
  if (*gateway_ != batch.gateway()) {
    return absl::InvalidArgumentError(
        absl::StrCat("gateway: batch ", batch.batch_id(), " is from \"",
                     batch.gateway(), "\" but the stream is gateway \"",
                     *gateway_, "\"'s; one stream per gateway"));
  }
  return absl::OkStatus();
}

absl::StatusOr<AdmittedBatch> StreamAdmission::Admit(v1::ReadingBatch& batch) {
  ++messages_;
  const IngestOptions& options = admission_->options_;
  IngestCounters& counters = *admission_->counters_;
  // A token revoked or expired since the stream opened ends it.
  RETURN_IF_ERROR(
      admission_->access_->RecheckToken(caller_, rpc::kStreamReadings));
  if (batch.readings_size() > options.max_batch_readings ||
      batch.health_size() > options.max_batch_readings) {
    return absl::InvalidArgumentError(absl::StrCat(
        "batch ", batch.batch_id(), " has ", batch.readings_size(),
        " readings and ", batch.health_size(),
        " health reports; the limit of each (max_batch_readings) is ",
        options.max_batch_readings));
  }
  RETURN_IF_ERROR(AdmitGateway(batch));

  const std::shared_ptr<const SensorDirectory> directory =
      admission_->directory_->Get();
  const int64_t now_ms = options.now_ms();
  if (!batch.gateway().empty()) {
    counters.gateway_last_batches.Note(batch.gateway(), now_ms);
  }
  AdmittedBatch admitted;
  admitted.batch = ValidateBatch(batch, *directory, now_ms, options.limits);
  ValidatedHealth health =
      ValidateHealth(batch, *directory, now_ms, options.limits);
  admitted.batch.health = std::move(health.records);
  if (gateway_.has_value() && !newest_reported_) {
    newest_reported_ = true;
    admitted.batch.report_newest_of = directory->SensorsOfGateway(*gateway_);
  }
  counters.health_accepted.fetch_add(admitted.batch.health.size(),
                                     std::memory_order_relaxed);
  for (const v1::RejectedReading& rejected : admitted.batch.rejected) {
    counters.rejected[rejected.reason() % counters.rejected.size()].fetch_add(
        1, std::memory_order_relaxed);
  }
  v1::BatchAck& ack = admitted.ack;
  ack.set_batch_id(batch.batch_id());
  ack.set_health_accepted(static_cast<uint32_t>(admitted.batch.health.size()));
  for (v1::RejectedReading& rejected : health.rejected) {
    *ack.add_health_rejected() = std::move(rejected);
  }
  for (v1::RejectedReading& rejected : admitted.batch.rejected) {
    *ack.add_rejected() = std::move(rejected);
  }
  admitted.batch.rejected.clear();
  return admitted;
}

}  // namespace monipaikka
