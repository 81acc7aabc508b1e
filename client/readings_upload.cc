#include "client/readings_upload.h"

#include <algorithm>
#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "client/readings_csv.h"
#include "common/grpc_status.h"
#include "common/status_macros.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/client_callback.h"

namespace monipaikka::client {
namespace {

// One StreamReadings call. Batches are queued by the owner thread and written
// one at a time from gRPC's callback threads; acknowledgements are collected
// for the owner to take. Thread-safe. gRPC operations are never started
// while holding mu_, since a reaction may run inline and take it.
//
// Lifetime: the owner calls Close() exactly once and then Finish(), which
// returns after OnDone; only then may the object be destroyed.
class BatchStream final
    : public grpc::ClientBidiReactor<v1::ReadingBatch, v1::BatchAck> {
 public:
  BatchStream(v1::IngestService::StubInterface::async_interface* async,
              grpc::ClientContext* context) {
    async->StreamReadings(context, this);
    // Writes are started from the owner thread, outside the reactions; the
    // hold keeps the call alive for them until Close().
    AddHold();
    StartRead(&ack_);
    StartCall();
  }

  // Queues `batch` for writing. Ignored once the call has failed: the owner
  // learns of it from TakeAcks() and Finish().
  void Send(v1::ReadingBatch batch) {
    const v1::ReadingBatch* to_write = nullptr;
    {
      absl::MutexLock lock(&mu_);
      if (write_failed_ || closed_) return;
      // Elements of a deque keep their address when others are added.
      queue_.push_back(std::move(batch));
      if (!writing_) {
        writing_ = true;
        to_write = &queue_.front();
      }
    }
    if (to_write != nullptr) StartWrite(to_write);
  }

  // No more batches: half-closes the stream once the queue is written.
  void Close() {
    bool writes_done = false;
    {
      absl::MutexLock lock(&mu_);
      closed_ = true;
      writes_done = !writing_ && !write_failed_;
    }
    if (writes_done) StartWritesDone();
    RemoveHold();
  }

  // Waits until an acknowledgement has arrived, the server has ended the
  // call or `deadline` has passed; then moves the acknowledgements received
  // so far to `*acks`. Returns whether the call has ended (no more will come).
  bool TakeAcks(absl::Time deadline, std::vector<v1::BatchAck>* acks) {
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithDeadline(absl::Condition(this, &BatchStream::HasNews),
                          deadline);
    for (v1::BatchAck& ack : acks_) acks->push_back(std::move(ack));
    acks_.clear();
    return reads_done_;
  }

  // Waits for the end of the call and returns its status. Needs Close().
  grpc::Status Finish() {
    done_.WaitForNotification();
    absl::MutexLock lock(&mu_);
    return status_;
  }

  void OnWriteDone(bool ok) override {
    const v1::ReadingBatch* to_write = nullptr;
    bool writes_done = false;
    {
      absl::MutexLock lock(&mu_);
      queue_.pop_front();
      if (!ok) {
        // The call is broken; its status arrives with OnDone.
        write_failed_ = true;
        writing_ = false;
        queue_.clear();
        return;
      }
      if (!queue_.empty()) {
        to_write = &queue_.front();
      } else {
        writing_ = false;
        writes_done = closed_;
      }
    }
    if (to_write != nullptr) {
      StartWrite(to_write);
    } else if (writes_done) {
      StartWritesDone();
    }
  }

  void OnReadDone(bool ok) override {
    {
      absl::MutexLock lock(&mu_);
      if (!ok) {
        reads_done_ = true;
        return;
      }
      acks_.push_back(std::move(ack_));
    }
    // No read is outstanding here, so ack_ is ours until StartRead.
    ack_.Clear();
    StartRead(&ack_);
  }

  void OnDone(const grpc::Status& status) override {
    {
      absl::MutexLock lock(&mu_);
      status_ = status;
      reads_done_ = true;
    }
    // The owner may destroy this object as soon as it sees the notification.
    done_.Notify();
  }

 private:
  bool HasNews() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !acks_.empty() || reads_done_;
  }

  // Target of the one outstanding read; touched only by the reactions that
  // start and finish it.
  v1::BatchAck ack_;
  absl::Notification done_;

  absl::Mutex mu_;
  // Batches waiting to be written; the front one is being written when
  // writing_.
  std::deque<v1::ReadingBatch> queue_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool write_failed_ ABSL_GUARDED_BY(mu_) = false;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<v1::BatchAck> acks_ ABSL_GUARDED_BY(mu_);
  bool reads_done_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status status_ ABSL_GUARDED_BY(mu_);
};

// A line of the problem report before it is written.
struct RowProblem {
  int64_t line = 0;
  std::string text;  // e.g. "skipped: occupied is ..."
};

// A batch sent and not yet acknowledged.
struct SentBatch {
  uint64_t batch_id = 0;
  // CSV line of each reading, by index in the batch.
  std::vector<int64_t> lines;
  // Rows skipped since the previous batch, reported together with this
  // batch's rejections so that the report stays in line order.
  std::vector<RowProblem> skipped;
};

// "REJECT_REASON_UNKNOWN_SENSOR" → "unknown sensor".
std::string ReasonText(v1::RejectReason reason) {
  const std::string& name = v1::RejectReason_Name(reason);
  if (name.empty()) return absl::StrCat("reason ", static_cast<int>(reason));
  std::string text =
      absl::AsciiStrToLower(absl::StripPrefix(name, "REJECT_REASON_"));
  absl::StrReplaceAll({{"_", " "}}, &text);
  return text;
}

// Options within what the API and the pipeline allow: 1 … 10000 readings per
// batch, at least one batch in flight.
ReadingsUploadOptions Sanitized(ReadingsUploadOptions options) {
  options.batch_size = std::clamp<size_t>(options.batch_size, 1, 10'000);
  options.max_batches_in_flight =
      std::max<size_t>(options.max_batches_in_flight, 1);
  return options;
}

// The state of one upload, owned by the calling thread.
class Upload {
 public:
  Upload(BatchStream* stream, grpc::ClientContext* context,
         absl::string_view name, const ReadingsUploadOptions& options,
         std::ostream& problems)
      : stream_(stream),
        context_(context),
        name_(name),
        options_(Sanitized(options)),
        problems_(problems) {}

  absl::Status Run(ReadingsCsvFile& file) {
    ReadingRow row;
    while (file.Next(&row)) {
      ++summary_.rows;
      if (options_.on_rows && summary_.rows % 1000 == 0) {
        options_.on_rows(summary_.rows);
      }
      if (!row.problem.empty()) {
        ++summary_.skipped;
        pending_.skipped.push_back({row.line, "skipped: " + row.problem});
        if (pending_.skipped.size() >= options_.batch_size) {
          RETURN_IF_ERROR(FlushSkipped());
        }
        continue;
      }
      pending_.lines.push_back(row.line);
      *batch_.add_readings() = std::move(row.reading);
      if (pending_.lines.size() >= options_.batch_size) {
        RETURN_IF_ERROR(SendBatch());
      }
    }
    if (!file.io_status().ok()) {
      return absl::Status(
          file.io_status().code(),
          absl::StrCat(name_, ": ", file.io_status().message()));
    }
    if (!pending_.lines.empty()) RETURN_IF_ERROR(SendBatch());
    stream_->Close();
    closed_ = true;
    while (!in_flight_.empty()) RETURN_IF_ERROR(AwaitAcks());
    RETURN_IF_ERROR(FromGrpcStatus(stream_->Finish()));
    WriteProblems({}, pending_.skipped);
    return absl::OkStatus();
  }

  // Ends the call after Run() failed, cancelling it unless the server has
  // already ended it, and returns the call's status.
  grpc::Status Abort() {
    if (!ended_) context_->TryCancel();
    if (!closed_) stream_->Close();
    closed_ = true;
    return stream_->Finish();
  }

  // Whether the server ended the call before every batch was acknowledged;
  // the call's status then tells why.
  bool ended() const { return ended_; }

  const ReadingsImportSummary& summary() const { return summary_; }

 private:
  absl::Status SendBatch() {
    while (in_flight_.size() >= options_.max_batches_in_flight) {
      RETURN_IF_ERROR(AwaitAcks());
    }
    pending_.batch_id = ++last_batch_id_;
    batch_.set_batch_id(pending_.batch_id);
    stream_->Send(std::move(batch_));
    batch_.Clear();
    in_flight_.push_back(std::move(pending_));
    pending_ = SentBatch();
    return absl::OkStatus();
  }

  // Skipped rows pile up when a long stretch of the file is bad; print them
  // once every batch before them is acknowledged, keeping the line order
  // without holding them all. Rows already parsed go out as a batch first.
  absl::Status FlushSkipped() {
    if (!pending_.lines.empty()) return SendBatch();
    while (!in_flight_.empty()) RETURN_IF_ERROR(AwaitAcks());
    WriteProblems({}, pending_.skipped);
    pending_.skipped.clear();
    return absl::OkStatus();
  }

  // Waits for at least one acknowledgement and handles those that came.
  absl::Status AwaitAcks() {
    std::vector<v1::BatchAck> acks;
    const bool ended =
        stream_->TakeAcks(absl::Now() + options_.ack_timeout, &acks);
    for (const v1::BatchAck& ack : acks) RETURN_IF_ERROR(HandleAck(ack));
    if (!acks.empty()) return absl::OkStatus();
    if (ended) {
      ended_ = true;
      return absl::InternalError(
          absl::StrCat("the server ended the stream with ", in_flight_.size(),
                       " batch(es) unacknowledged"));
    }
    return absl::DeadlineExceededError(absl::StrCat(
        "no acknowledgement from the server for ",
        absl::FormatDuration(options_.ack_timeout), " (", in_flight_.size(),
        " batch(es) waiting); raise --deadline_s if the server is busy"));
  }

  absl::Status HandleAck(const v1::BatchAck& ack) {
    if (in_flight_.empty() || ack.batch_id() != in_flight_.front().batch_id) {
      return absl::InternalError(absl::StrCat(
          "the server acknowledged batch ", ack.batch_id(), " but ",
          in_flight_.empty()
              ? std::string("none was waiting")
              : absl::StrCat("batch ", in_flight_.front().batch_id,
                             " was next")));
    }
    const SentBatch& batch = in_flight_.front();
    const size_t size = batch.lines.size();
    const uint64_t accounted = uint64_t{ack.accepted()} + ack.duplicates() +
                               static_cast<uint64_t>(ack.rejected_size());
    if (accounted != size) {
      return absl::InternalError(absl::StrCat(
          "the server acknowledged batch ", ack.batch_id(), " with ", accounted,
          " readings accounted for; it held ", size));
    }
    std::vector<RowProblem> rejected;
    for (const v1::RejectedReading& reading : ack.rejected()) {
      if (reading.index() >= size) {
        return absl::InternalError(
            absl::StrCat("the server rejected reading ", reading.index(),
                         " of batch ", ack.batch_id(), ", which held ", size));
      }
      std::string text =
          absl::StrCat("rejected (", ReasonText(reading.reason()), ")");
      if (!reading.message().empty()) {
        absl::StrAppend(&text, ": ", reading.message());
      }
      rejected.push_back({batch.lines[reading.index()], std::move(text)});
    }
    std::sort(rejected.begin(), rejected.end(),
              [](const RowProblem& a, const RowProblem& b) {
                return a.line < b.line;
              });
    WriteProblems(rejected, batch.skipped);
    summary_.accepted += ack.accepted();
    summary_.duplicates += ack.duplicates();
    summary_.rejected += ack.rejected_size();
    in_flight_.pop_front();
    return absl::OkStatus();
  }

  // Writes two line-ordered lists merged into one.
  void WriteProblems(const std::vector<RowProblem>& a,
                     const std::vector<RowProblem>& b) {
    size_t i = 0;
    size_t j = 0;
    while (i < a.size() || j < b.size()) {
      const bool take_a =
          j == b.size() || (i < a.size() && a[i].line < b[j].line);
      const RowProblem& problem = take_a ? a[i++] : b[j++];
      problems_ << name_ << ':' << problem.line << ": " << problem.text << '\n';
    }
  }

  BatchStream* const stream_;
  grpc::ClientContext* const context_;
  const std::string name_;
  const ReadingsUploadOptions options_;
  std::ostream& problems_;

  ReadingsImportSummary summary_;
  bool closed_ = false;
  bool ended_ = false;
  uint64_t last_batch_id_ = 0;
  // The batch being filled, and its lines and skipped rows.
  v1::ReadingBatch batch_;
  SentBatch pending_;
  // Oldest first: acknowledgements come in the order batches were sent.
  std::deque<SentBatch> in_flight_;
};

}  // namespace

absl::StatusOr<ReadingsImportSummary> UploadReadingsCsv(
    v1::IngestService::StubInterface& stub, std::istream& csv,
    absl::string_view name, const ReadingsUploadOptions& options,
    std::ostream& problems) {
  absl::StatusOr<std::unique_ptr<ReadingsCsvFile>> file =
      ReadingsCsvFile::Open(&csv);
  if (!file.ok()) {
    return absl::Status(file.status().code(),
                        absl::StrCat(name, ": ", file.status().message()));
  }
  for (const std::string& column : (*file)->columns().ignored) {
    problems << name << ":1: note: ignoring column \"" << column << "\"\n";
  }
  v1::IngestService::StubInterface::async_interface* async = stub.async();
  if (async == nullptr) {
    return absl::InternalError("the ingest stub has no callback interface");
  }

  grpc::ClientContext context;
  BatchStream stream(async, &context);
  Upload upload(&stream, &context, name, options, problems);
  absl::Status status = upload.Run(**file);
  if (status.ok()) return upload.summary();

  const grpc::Status call_status = upload.Abort();
  if (upload.ended() && !call_status.ok()) status = FromGrpcStatus(call_status);
  const ReadingsImportSummary& summary = upload.summary();
  const int64_t acknowledged =
      summary.accepted + summary.duplicates + summary.rejected;
  if (acknowledged > 0) {
    problems << name << ": import stopped; the server had acknowledged "
             << acknowledged << " readings (" << summary.accepted
             << " accepted, " << summary.duplicates << " duplicates, "
             << summary.rejected
             << " rejected), which stay stored; importing the file again is "
                "safe, stored readings count as duplicates\n";
  }
  return status;
}

}  // namespace monipaikka::client
