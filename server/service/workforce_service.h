#pragma once

// The HR part of the server: WorkforceService (imports and reports), the
// single thread that writes HR data, the retention task that deletes old
// work-location days, and the task that audits the last closed month in the
// background (PrepareHrPeriod). Started and stopped as one by Server.

#include <atomic>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "monipaikka/v1/workforce.grpc.pb.h"
#include "server/auth/access_control.h"
#include "server/reports/workforce_report.h"
#include "server/service/query_executor.h"
#include "server/storage/storage.h"
#include "server/workforce/pseudonym.h"

namespace monipaikka {

struct WorkforceOptions {
  // File holding the pseudonym key (docs/hr-privacy.md). Empty: the server
  // refuses HR imports (reports still work). It must not be under the
  // database's directory (see CheckKeyApartFromDatabase()).
  std::string pseudonym_key_file;
  // Figures over fewer than k employees are withheld; at least 3.
  int anonymity_k = 5;
  // Work-location days older than this many months are deleted.
  int retention_months = 24;
  // A request audits a month not yet audited for at most this long; a
  // larger month is left to the background task (HrPeriodPreparation).
  absl::Duration hr_audit_inline = absl::Seconds(5);
  // How often retention runs (also once at start).
  absl::Duration retention_interval = absl::Hours(1);
  // Records written per transaction by an import. Large, because a day-
  // ordered import touches every employee's monthly rollup row each day: a
  // transaction spanning a few days adds them up first (4x the import rate
  // of 50 000). The cost: the database's write lock is held about a second.
  size_t rows_per_commit = 200000;
  // Largest batch a client may send.
  int max_batch_records = 10000;
  // Today in Europe/Helsinki; injectable for tests. Empty: the system clock.
  std::function<absl::CivilDay()> today;
  // Registry snapshots (the workstation distribution) are published only on
  // these dates.
  PublicationCalendar publication = PublicationCalendar::kMonthEnd;
};

class WorkforceServiceImpl;

class WorkforceBackend : public HrPeriodPreparation {
 public:
  // Checks the options, reads the key and starts the writer thread and the
  // retention task. `database` is the database path (the key must not be
  // beside it); `queries` answers the reports; `access` authorizes the calls
  // and writes the audit log (not owned; outlives the backend).
  static absl::StatusOr<std::unique_ptr<WorkforceBackend>> Start(
      Storage* storage, const std::string& database, QueryExecutor* queries,
      const AccessControl* access, WorkforceOptions options);
  ~WorkforceBackend() override;

  grpc::Service* service();
  // Stops the retention task, cancels an HR audit under way and, once no
  // call can come any more, the writer (after the writes queued). Call after
  // the gRPC server shut down.
  void Stop();

  // Runs retention now and waits for it; returns the days deleted.
  absl::StatusOr<int64_t> RunRetention();

  // Asks the background task to audit the last closed month again (its
  // data changed); returns at once.
  void RequestPreparation() ABSL_LOCKS_EXCLUDED(mu_);

  // HrPeriodPreparation: months that requests found too large to audit
  // inline, audited one at a time after the last closed month.
  bool Pending(absl::CivilMonth month) const override ABSL_LOCKS_EXCLUDED(mu_);
  void Request(absl::CivilMonth month) override ABSL_LOCKS_EXCLUDED(mu_);

 private:
  WorkforceBackend() = default;
  void RetentionLoop();
  // Audits the last closed month at start, when asked and every
  // retention_interval, and the months requests queued, on its own session,
  // one audit at a time.
  void PreparationLoop(std::unique_ptr<StorageSession> session);

  WorkforceOptions options_;
  std::unique_ptr<Pseudonymizer> pseudonymizer_;
  std::unique_ptr<QueryExecutor> writer_;
  std::unique_ptr<WorkforceServiceImpl> service_;
  std::thread retention_thread_;
  std::thread preparation_thread_;
  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool preparation_requested_ ABSL_GUARDED_BY(mu_) = true;
  // Queued by requests, in order; and the one of them being audited now.
  std::deque<absl::CivilMonth> queued_months_ ABSL_GUARDED_BY(mu_);
  std::optional<absl::CivilMonth> month_in_audit_ ABSL_GUARDED_BY(mu_);
  // Set by Stop: the audit under way ends at its next solve.
  std::atomic<bool> cancel_audit_{false};
};

}  // namespace monipaikka
