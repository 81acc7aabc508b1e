#include "server/service/workforce_service.h"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "common/grpc_status.h"
#include "common/log.h"
#include "common/status_macros.h"
#include "common/time_format.h"
#include "server/analytics/workforce_anonymity.h"
#include "server/auth/access_control.h"
#include "server/auth/rpc_policy.h"
#include "server/service/refused_call.h"
#include "server/service/unary_call.h"
#include "server/workforce/workforce_records.h"

namespace monipaikka {
namespace {

constexpr int kMaxRejectionsReported = 1000;
// Chunks of one stream waiting for the writer before the stream stops
// reading (backpressure).
constexpr int kMaxChunksInFlight = 2;

// What storage made of one chunk, by index in the chunk.
struct StoreOutcome {
  int64_t stored = 0;
  int64_t unchanged = 0;
  int64_t new_employees = 0;
  std::vector<RowRejection> rejected;
};

// Adds a rejection to the summary, keeping the first ones in full.
void Reject(int64_t row, std::string message, v1::ImportSummary* summary) {
  summary->set_rejected(summary->rejected() + 1);
  if (summary->rejections_size() < kMaxRejectionsReported) {
    v1::RejectedRecord* rejected = summary->add_rejections();
    rejected->set_row(row);
    rejected->set_message(std::move(message));
  }
}

void SortRejections(v1::ImportSummary* summary) {
  std::stable_sort(
      summary->mutable_rejections()->begin(),
      summary->mutable_rejections()->end(),
      [](const v1::RejectedRecord& a, const v1::RejectedRecord& b) {
        return a.row() < b.row();
      });
}

// Raw id → pseudonym, for one stream: an import names each person many
// times, and one HMAC per person is enough. Lives only as long as the call.
class PseudonymCache {
 public:
  explicit PseudonymCache(const Pseudonymizer* pseudonymizer)
      : pseudonymizer_(pseudonymizer) {}
  const std::string& Get(const std::string& raw_id) {
    if (cache_.size() > 500000) cache_.clear();
    auto [it, inserted] = cache_.try_emplace(raw_id);
    if (inserted) it->second = pseudonymizer_->Pseudonymize(raw_id);
    return it->second;
  }

 private:
  const Pseudonymizer* pseudonymizer_;
  absl::flat_hash_map<std::string, std::string> cache_;
};

// One import call (client stream of batches). Checks records as they come,
// hands the good ones to the writer in chunks of rows_per_commit, and
// finishes with the summary once every chunk is committed. Stops reading
// while kMaxChunksInFlight chunks wait for the writer.
//
// `Traits` supplies: Batch, Input, Records(batch), Convert(record, cache,
// *input) -> absl::Status, Store(session, span<Input>) ->
// absl::StatusOr<StoreOutcome>.
//
// The stream's messages arrive as bytes and are parsed here: a message that
// is no protobuf of the batch type ends the import with INVALID_ARGUMENT
// (gRPC's own parsing would end the reads as if the client had finished,
// and the import would answer OK with the records before it).
template <typename Traits>
class ImportStream : public grpc::ServerReadReactor<grpc::ByteBuffer> {
 public:
  using Batch = typename Traits::Batch;
  using Input = typename Traits::Input;

  // `on_success` is called with the summary when the import succeeded,
  // just before the call finishes.
  ImportStream(Traits traits, QueryExecutor* writer,
               const WorkforceOptions* options, grpc::ByteBuffer* summary,
               std::function<void(const v1::ImportSummary&)> on_success)
      : traits_(std::move(traits)),
        writer_(writer),
        options_(options),
        response_(summary),
        on_success_(std::move(on_success)) {
    this->StartRead(&batch_bytes_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Act(
          [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
            reads_done_ = true;
            read_pending_ = false;
          },
          /*flush=*/true);
      return;
    }
    ++messages_;
    batch_.Clear();
    if (grpc::Status parsed = grpc::SerializationTraits<Batch>::Deserialize(
            &batch_bytes_, &batch_);
        !parsed.ok()) {
      const grpc::Status status(
          grpc::StatusCode::INVALID_ARGUMENT,
          absl::StrCat("message ", messages_, " of the stream is not a ",
                       Batch::descriptor()->name(), " protobuf (",
                       parsed.error_message(), ")"));
      Act([&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        if (!failure_) failure_ = status;
        reads_done_ = true;
        read_pending_ = false;
      });
      return;
    }
    const auto& records = Traits::Records(batch_);
    if (records.size() > options_->max_batch_records) {
      const grpc::Status status(
          grpc::StatusCode::INVALID_ARGUMENT,
          absl::StrCat("batch has ", records.size(), " records; the limit is ",
                       options_->max_batch_records));
      Act([&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        if (!failure_) failure_ = status;
        reads_done_ = true;
        read_pending_ = false;
      });
      return;
    }
    // Checking needs no lock: only this reaction touches batch_ and cache_.
    // The good records join the chunk under the lock, since a commit
    // finishing on the writer thread may take the chunk at any time.
    std::vector<std::pair<int64_t, std::string>> rejected;
    Chunk checked;
    checked.inputs.reserve(records.size());
    checked.rows.reserve(records.size());
    for (const auto& record : records) {
      Input input;
      absl::Status status = traits_.Convert(record, cache_, &input);
      if (!status.ok()) {
        rejected.emplace_back(record.row(), std::string(status.message()));
        continue;
      }
      checked.inputs.push_back(std::move(input));
      checked.rows.push_back(record.row());
    }
    Act([&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      if (chunk_.inputs.empty()) {
        chunk_ = std::move(checked);
      } else {
        chunk_.inputs.insert(chunk_.inputs.end(),
                             std::make_move_iterator(checked.inputs.begin()),
                             std::make_move_iterator(checked.inputs.end()));
        chunk_.rows.insert(chunk_.rows.end(), checked.rows.begin(),
                           checked.rows.end());
      }
      summary_.set_received(summary_.received() +
                            static_cast<int64_t>(records.size()));
      for (auto& [row, message] : rejected) {
        Reject(row, std::move(message), &summary_);
      }
      read_pending_ = false;
    });
  }

  void OnCancel() override {
    Act([&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      if (!failure_)
        failure_ = grpc::Status(grpc::StatusCode::CANCELLED, "cancelled");
      reads_done_ = true;
    });
  }

  void OnDone() override { delete this; }

 private:
  struct Chunk {
    std::vector<Input> inputs;
    std::vector<int64_t> rows;
  };

  // Applies `change` under the lock, then decides what to do next: send a
  // full chunk (or the last one when `flush`), read on, or finish.
  template <typename Change>
  void Act(Change change, bool flush = false) ABSL_LOCKS_EXCLUDED(mu_) {
    std::optional<Chunk> to_store;
    bool start_read = false;
    std::optional<grpc::Status> finish;
    {
      absl::MutexLock lock(&mu_);
      change();
      if (!failure_ && !chunk_.inputs.empty() &&
          (chunk_.inputs.size() >= options_->rows_per_commit ||
           (flush && reads_done_))) {
        to_store = std::move(chunk_);
        chunk_ = Chunk();
        ++in_flight_;
      }
      if (!finished_ && in_flight_ == 0 && (reads_done_ || failure_) &&
          !read_pending_) {
        finished_ = true;
        if (failure_) {
          finish = *failure_;
        } else {
          SortRejections(&summary_);
          bool own_buffer = false;
          finish = grpc::SerializationTraits<v1::ImportSummary>::Serialize(
              summary_, response_, &own_buffer);
          if (finish->ok()) on_success_(summary_);
        }
      }
      if (!finished_ && !reads_done_ && !failure_ && !read_pending_ &&
          in_flight_ < kMaxChunksInFlight) {
        read_pending_ = true;
        start_read = true;
      }
    }
    if (to_store) Store(std::move(*to_store));
    if (start_read) this->StartRead(&batch_bytes_);
    if (finish) this->Finish(*finish);
  }

  void Store(Chunk chunk) {
    writer_->Post([this, chunk = std::move(chunk)](StorageSession& session) {
      absl::StatusOr<StoreOutcome> outcome =
          traits_.Store(session, std::span<const Input>(chunk.inputs));
      Act([&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        --in_flight_;
        if (!outcome.ok()) {
          if (!failure_) failure_ = ToGrpcStatus(outcome.status());
          return;
        }
        summary_.set_stored(summary_.stored() + outcome->stored);
        summary_.set_unchanged(summary_.unchanged() + outcome->unchanged);
        summary_.set_new_employees(summary_.new_employees() +
                                   outcome->new_employees);
        for (RowRejection& r : outcome->rejected) {
          Reject(chunk.rows[r.index], std::move(r.message), &summary_);
        }
      });
    });
  }

  Traits traits_;
  QueryExecutor* const writer_;
  const WorkforceOptions* const options_;
  grpc::ByteBuffer* const response_;
  const std::function<void(const v1::ImportSummary&)> on_success_;
  grpc::ByteBuffer batch_bytes_;  // target of the read in flight
  Batch batch_;                   // the message just read, parsed
  int64_t messages_ = 0;          // read so far
  PseudonymCache cache_{traits_.pseudonymizer};

  absl::Mutex mu_;
  Chunk chunk_ ABSL_GUARDED_BY(mu_);
  v1::ImportSummary summary_ ABSL_GUARDED_BY(mu_);
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  // A read was started and its OnReadDone has not yet handed over.
  bool read_pending_ ABSL_GUARDED_BY(mu_) = true;
  bool reads_done_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<grpc::Status> failure_ ABSL_GUARDED_BY(mu_);
};

struct EmployeeTraits {
  using Batch = v1::EmployeeBatch;
  using Input = EmployeePeriodInput;
  const Pseudonymizer* pseudonymizer;

  static const auto& Records(const Batch& batch) { return batch.records(); }
  absl::Status Convert(const v1::EmployeeRecord& record, PseudonymCache& cache,
                       Input* input) const {
    ASSIGN_OR_RETURN(input->period, CheckEmployeeRecord(record));
    input->pseudonym = cache.Get(record.employee_id());
    return absl::OkStatus();
  }
  absl::StatusOr<StoreOutcome> Store(StorageSession& session,
                                     std::span<const Input> inputs) const {
    ASSIGN_OR_RETURN(EmployeeUpsertResult result,
                     session.Workforce().UpsertEmployeePeriods(inputs));
    return StoreOutcome{result.stored, result.unchanged, result.new_employees,
                        std::move(result.rejected)};
  }
};

struct WorkDayTraits {
  using Batch = v1::WorkDayBatch;
  using Input = WorkDayInput;
  const Pseudonymizer* pseudonymizer;
  WorkDayWindow window;

  static const auto& Records(const Batch& batch) { return batch.records(); }
  absl::Status Convert(const v1::WorkDayRecord& record, PseudonymCache& cache,
                       Input* input) const {
    ASSIGN_OR_RETURN(*input, CheckWorkDayRecord(record, window));
    input->pseudonym = cache.Get(record.employee_id());
    return absl::OkStatus();
  }
  absl::StatusOr<StoreOutcome> Store(StorageSession& session,
                                     std::span<const Input> inputs) const {
    ASSIGN_OR_RETURN(WorkDayUpsertResult result,
                     session.Workforce().UpsertWorkDays(inputs));
    return StoreOutcome{result.inserted + result.replaced, result.unchanged, 0,
                        std::move(result.rejected)};
  }
};

// What an import did, for the audit log: counts only, no personal data.
std::string ImportAuditSummary(const v1::ImportSummary& summary) {
  return absl::StrCat("received ", summary.received(), ", stored ",
                      summary.stored(), ", unchanged ", summary.unchanged(),
                      ", rejected ", summary.rejected());
}

grpc::Status NoKeyStatus() {
  return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                      "the server has no pseudonym key (--pseudonym_key_file), "
                      "so it accepts no employee data");
}

}  // namespace

// The imports take their messages as bytes (see ImportStream).
class WorkforceServiceImpl final
    : public v1::WorkforceService::WithRawCallbackMethod_ImportEmployees<
          v1::WorkforceService::WithRawCallbackMethod_ImportWorkDays<
              v1::WorkforceService::CallbackService>> {
 public:
  WorkforceServiceImpl(QueryExecutor* queries, QueryExecutor* writer,
                       const AccessControl* access,
                       const Pseudonymizer* pseudonymizer,
                       const WorkforceOptions* options,
                       HrPeriodPreparation* preparation,
                       std::function<void()> imported)
      : queries_(queries),
        writer_(writer),
        access_(access),
        pseudonymizer_(pseudonymizer),
        options_(options),
        imported_(std::move(imported)) {
    settings_.anonymity_k = options->anonymity_k;
    settings_.retention_months = options->retention_months;
    settings_.today = options->today;
    settings_.publication = options->publication;
    settings_.preparation = preparation;
    settings_.inline_audit = options->hr_audit_inline;
  }

  grpc::ServerReadReactor<grpc::ByteBuffer>* ImportEmployees(
      grpc::CallbackServerContext* context,
      grpc::ByteBuffer* response) override {
    absl::StatusOr<Caller> caller =
        access_->Authorize(*context, rpc::kImportEmployees);
    if (!caller.ok()) {
      return new RefusedReadStream<grpc::ByteBuffer>(
          ToGrpcStatus(caller.status()));
    }
    if (pseudonymizer_ == nullptr) {
      return new RefusedReadStream<grpc::ByteBuffer>(NoKeyStatus());
    }
    return new ImportStream<EmployeeTraits>(
        EmployeeTraits{pseudonymizer_}, writer_, options_, response,
        AuditImport(*std::move(caller), rpc::kImportEmployees));
  }

  grpc::ServerReadReactor<grpc::ByteBuffer>* ImportWorkDays(
      grpc::CallbackServerContext* context,
      grpc::ByteBuffer* response) override {
    absl::StatusOr<Caller> caller =
        access_->Authorize(*context, rpc::kImportWorkDays);
    if (!caller.ok()) {
      return new RefusedReadStream<grpc::ByteBuffer>(
          ToGrpcStatus(caller.status()));
    }
    if (pseudonymizer_ == nullptr) {
      return new RefusedReadStream<grpc::ByteBuffer>(NoKeyStatus());
    }
    return new ImportStream<WorkDayTraits>(
        WorkDayTraits{pseudonymizer_, Window()}, writer_, options_, response,
        AuditImport(*std::move(caller), rpc::kImportWorkDays));
  }

  grpc::ServerUnaryReactor* RecordWorkDays(
      grpc::CallbackServerContext* context,
      const v1::RecordWorkDaysRequest* request,
      v1::ImportSummary* response) override {
    return RunUnary(
        context, writer_, *access_, rpc::kRecordWorkDays,
        [=, this](StorageSession& session, const Caller& caller) {
          if (pseudonymizer_ == nullptr) {
            return absl::FailedPreconditionError(NoKeyStatus().error_message());
          }
          if (request->records_size() > options_->max_batch_records) {
            return absl::InvalidArgumentError(absl::StrCat(
                "records: ", request->records_size(), " records; the limit is ",
                options_->max_batch_records));
          }
          const WorkDayTraits traits{pseudonymizer_, Window()};
          PseudonymCache cache(pseudonymizer_);
          std::vector<WorkDayInput> inputs;
          std::vector<int64_t> rows;
          response->set_received(request->records_size());
          for (const v1::WorkDayRecord& record : request->records()) {
            WorkDayInput input;
            absl::Status status = traits.Convert(record, cache, &input);
            if (!status.ok()) {
              Reject(record.row(), std::string(status.message()), response);
              continue;
            }
            inputs.push_back(std::move(input));
            rows.push_back(record.row());
          }
          ASSIGN_OR_RETURN(StoreOutcome outcome, traits.Store(session, inputs));
          response->set_stored(outcome.stored);
          response->set_unchanged(outcome.unchanged);
          for (RowRejection& r : outcome.rejected) {
            Reject(rows[r.index], std::move(r.message), response);
          }
          SortRejections(response);
          return access_->Audit(session, caller, rpc::kRecordWorkDays,
                                ImportAuditSummary(*response));
        });
  }

  grpc::ServerUnaryReactor* GetWorkstationDistribution(
      grpc::CallbackServerContext* context,
      const v1::WorkstationDistributionRequest* request,
      v1::WorkstationDistributionReport* response) override {
    return RunUnary(
        context, queries_, *access_, rpc::kGetWorkstationDistribution,
        [=, this](StorageSession& session, const Caller& caller) {
          // Recorded before the figures are computed: a request is audited even
          // when it fails.
          RETURN_IF_ERROR(access_->Audit(
              session, caller, rpc::kGetWorkstationDistribution,
              AuditParameters({{"as_of", request->as_of()},
                               {"compare_to", request->compare_to()},
                               {"organization", request->organization()},
                               {"unit", request->unit()}})));
          ASSIGN_OR_RETURN(*response, BuildWorkstationDistribution(
                                          session, *request, settings_));
          return absl::OkStatus();
        });
  }

  grpc::ServerUnaryReactor* GetOfficeDays(
      grpc::CallbackServerContext* context,
      const v1::OfficeDaysRequest* request,
      v1::OfficeDaysReport* response) override {
    return RunUnary(
        context, queries_, *access_, rpc::kGetOfficeDays,
        [=, this](StorageSession& session, const Caller& caller) {
          RETURN_IF_ERROR(access_->Audit(
              session, caller, rpc::kGetOfficeDays,
              AuditParameters({{"from_month", request->from_month()},
                               {"to_month", request->to_month()},
                               {"organization", request->organization()},
                               {"unit", request->unit()},
                               {"group_by", request->group_by() == 0
                                                ? ""
                                                : v1::HrGrouping_Name(
                                                      request->group_by())}})));
          ASSIGN_OR_RETURN(*response,
                           BuildOfficeDays(session, *request, settings_));
          return absl::OkStatus();
        });
  }

 private:
  // The import's audit entry, written on the HR writer thread once the
  // import succeeded.
  std::function<void(const v1::ImportSummary&)> AuditImport(
      Caller caller, const RpcPolicy& policy) const {
    return [this, caller = std::move(caller),
            &policy](const v1::ImportSummary& summary) {
      writer_->Post([this, caller, &policy, text = ImportAuditSummary(summary)](
                        StorageSession& session) {
        access_->Audit(session, caller, policy, text).IgnoreError();
        // After the import's commit: the month's figures changed.
        imported_();
      });
    };
  }

  WorkDayWindow Window() const {
    const absl::CivilDay today = options_->today();
    return WorkDayWindow{RetainedFrom(today, options_->retention_months),
                         today};
  }

  QueryExecutor* const queries_;
  QueryExecutor* const writer_;
  const AccessControl* const access_;
  const Pseudonymizer* const pseudonymizer_;
  const WorkforceOptions* const options_;
  const std::function<void()> imported_;  // after each successful import
  WorkforceSettings settings_;
};

absl::StatusOr<std::unique_ptr<WorkforceBackend>> WorkforceBackend::Start(
    Storage* storage, const std::string& database, QueryExecutor* queries,
    const AccessControl* access, WorkforceOptions options) {
  if (options.anonymity_k < kMinAnonymityK) {
    return absl::InvalidArgumentError(
        absl::StrCat("anonymity_k: ", options.anonymity_k, " is below ",
                     kMinAnonymityK, "; groups that small identify people"));
  }
  if (options.retention_months < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("workforce_retention_months: ", options.retention_months,
                     " must be at least 1"));
  }
  if (!options.today) options.today = HelsinkiToday;
  std::unique_ptr<WorkforceBackend> backend(new WorkforceBackend());
  if (!options.pseudonym_key_file.empty()) {
    RETURN_IF_ERROR(
        CheckKeyApartFromDatabase(options.pseudonym_key_file, database));
    ASSIGN_OR_RETURN(Pseudonymizer pseudonymizer,
                     Pseudonymizer::FromKeyFile(options.pseudonym_key_file));
    backend->pseudonymizer_ =
        std::make_unique<Pseudonymizer>(std::move(pseudonymizer));
  }
  backend->options_ = std::move(options);
  backend->writer_ = std::make_unique<QueryExecutor>(storage);
  RETURN_IF_ERROR(backend->writer_->Start(1));
  backend->service_ = std::make_unique<WorkforceServiceImpl>(
      queries, backend->writer_.get(), access, backend->pseudonymizer_.get(),
      &backend->options_, backend.get(),
      [b = backend.get()] { b->RequestPreparation(); });
  ASSIGN_OR_RETURN(std::unique_ptr<StorageSession> preparation,
                   storage->OpenSession());
  backend->retention_thread_ =
      std::thread([b = backend.get()] { b->RetentionLoop(); });
  backend->preparation_thread_ = std::thread(
      [b = backend.get(), session = std::move(preparation)]() mutable {
        b->PreparationLoop(std::move(session));
      });
  return backend;
}

WorkforceBackend::~WorkforceBackend() { Stop(); }

grpc::Service* WorkforceBackend::service() { return service_.get(); }

void WorkforceBackend::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  cancel_audit_.store(true);
  if (retention_thread_.joinable()) retention_thread_.join();
  // An audit under way ends at its next solve.
  if (preparation_thread_.joinable()) preparation_thread_.join();
  if (writer_) writer_->Stop();
}

void WorkforceBackend::RequestPreparation() {
  absl::MutexLock lock(&mu_);
  preparation_requested_ = true;
}

bool WorkforceBackend::Pending(absl::CivilMonth month) const {
  absl::MutexLock lock(&mu_);
  return month_in_audit_ == month ||
         std::find(queued_months_.begin(), queued_months_.end(), month) !=
             queued_months_.end();
}

void WorkforceBackend::Request(absl::CivilMonth month) {
  absl::MutexLock lock(&mu_);
  if (month_in_audit_ == month ||
      std::find(queued_months_.begin(), queued_months_.end(), month) !=
          queued_months_.end()) {
    return;
  }
  queued_months_.push_back(month);
  Log(LogLevel::kInfo, "hr_period_queued", {{"month", FormatIsoMonth(month)}});
}

void WorkforceBackend::PreparationLoop(
    std::unique_ptr<StorageSession> session) {
  WorkforceSettings settings;
  settings.anonymity_k = options_.anonymity_k;
  settings.retention_months = options_.retention_months;
  settings.today = options_.today;
  settings.publication = options_.publication;
  settings.cancel_audit = &cancel_audit_;
  while (true) {
    absl::CivilMonth month;
    {
      absl::MutexLock lock(&mu_);
      month_in_audit_.reset();
      mu_.AwaitWithTimeout(
          absl::Condition(
              +[](WorkforceBackend* b) ABSL_EXCLUSIVE_LOCKS_REQUIRED(b->mu_) {
                return b->stopping_ || b->preparation_requested_ ||
                       !b->queued_months_.empty();
              },
              this),
          options_.retention_interval);
      if (stopping_) return;
      if (preparation_requested_ || queued_months_.empty()) {
        // The last closed month (also hourly); a pattern already cached
        // costs only the count.
        preparation_requested_ = false;
        month = absl::CivilMonth(options_.today()) - 1;
      } else {
        // A month a request queued: requests for it wait for this audit
        // (Pending) rather than audit it again inline.
        month = queued_months_.front();
        queued_months_.pop_front();
        month_in_audit_ = month;
      }
    }
    const absl::Time start = absl::Now();
    const absl::Status status = PrepareHrPeriod(*session, month, settings);
    if (absl::IsCancelled(status)) return;
    if (status.ok()) {
      Log(LogLevel::kInfo, "hr_period_prepared",
          {{"month", FormatIsoMonth(month)},
           {"seconds", absl::ToDoubleSeconds(absl::Now() - start)}});
    } else {
      Log(LogLevel::kError, "hr_period_preparation_failed",
          {{"month", FormatIsoMonth(month)},
           {"error", std::string(status.message())}});
    }
  }
}

absl::StatusOr<int64_t> WorkforceBackend::RunRetention() {
  const absl::CivilDay cutoff =
      RetainedFrom(options_.today(), options_.retention_months);
  absl::Notification done;
  absl::StatusOr<int64_t> deleted;
  writer_->Post([&](StorageSession& session) {
    deleted = session.Workforce().DeleteWorkDaysBefore(cutoff);
    done.Notify();
  });
  done.WaitForNotification();
  if (deleted.ok()) {
    Log(LogLevel::kInfo, "workforce_retention",
        {{"kept_from", FormatDate(cutoff)}, {"deleted_days", *deleted}});
  } else {
    Log(LogLevel::kError, "workforce_retention_failed",
        {{"error", std::string(deleted.status().message())}});
  }
  return deleted;
}

void WorkforceBackend::RetentionLoop() {
  while (true) {
    RunRetention().IgnoreError();
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(&stopping_),
                         options_.retention_interval);
    if (stopping_) return;
  }
}

}  // namespace monipaikka
