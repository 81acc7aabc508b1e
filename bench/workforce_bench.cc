// Workforce (HR) benchmark: the import of a state-sized registry and a year
// of work-location days, end to end (CSV text → the client's CSV reader and
// upload → gRPC → pseudonymization → SQLite), then the p50 latency of the
// two reports the issue names, over gRPC.
//
//   employees: 71 200 (12 agencies, 20 units each), one row each
//   days:      every employee, every Finnish working day of the last year
//              (about 16 million rows), in date order as a daily export
//   reports:   the state-wide workstation distribution (with a comparison
//              date) and the office days of the last full month by
//              organization
//
// Targets (issue 4): import >= 200 000 rows/s; each report < 200 ms p50.
//
// Usage: workforce_bench [--employees=71200] [--days=365] [--runs=21]
//                        [--dir=/tmp]

#include <grpcpp/grpcpp.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <istream>
#include <random>
#include <sstream>
#include <streambuf>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/in_process_server.h"
#include "client/workforce_commands.h"
#include "common/bearer_token.h"
#include "common/calendar.h"
#include "common/time_format.h"
#include "monipaikka/v1/inventory.grpc.pb.h"
#include "monipaikka/v1/workforce.grpc.pb.h"
#include "server/privacy/publication_calendar.h"
#include "server/reports/workforce_report.h"
#include "server/server.h"

ABSL_FLAG(int, employees, 71200, "employees in the registry");
ABSL_FLAG(int, days, 365,
          "calendar days of work-location records, to yesterday");
ABSL_FLAG(int, runs, 21, "runs of each report for the median");
ABSL_FLAG(std::string, dir, "/tmp", "where the benchmark database goes");

namespace monipaikka {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

constexpr const char* kAgencies[] = {"AVI", "DVV",  "ELY",  "MIGRI",
                                     "MML", "OIKA", "POL",  "RIKSE",
                                     "TE",  "ULO",  "VERO", "KELA"};
constexpr int kUnitsPerAgency = 20;

// A CSV produced row by row as it is read, so that 16 million rows need
// neither memory nor disk.
class GeneratedCsv : public std::streambuf {
 public:
  // `next_row(&text)` appends one row with its line break; false when done.
  explicit GeneratedCsv(std::string header,
                        std::function<bool(std::string*)> next_row)
      : buffer_(std::move(header)), next_row_(std::move(next_row)) {
    setg(buffer_.data(), buffer_.data(), buffer_.data() + buffer_.size());
  }

 protected:
  int_type underflow() override {
    buffer_.clear();
    while (buffer_.size() < 1 << 16 && next_row_(&buffer_)) {
    }
    if (buffer_.empty()) return traits_type::eof();
    setg(buffer_.data(), buffer_.data(), buffer_.data() + buffer_.size());
    return traits_type::to_int_type(buffer_[0]);
  }

 private:
  std::string buffer_;
  std::function<bool(std::string*)> next_row_;
};

std::string EmployeeId(int i) { return absl::StrFormat("E%07d", i); }

// Workstation attributes in the proportions of the 2020 state table.
void AppendEmployee(int i, std::string* out) {
  std::mt19937 random(i);
  const int agency = i % 12;
  const bool office = random() % 1000 < 798;  // 56 800 / 71 200
  const char* kind = !office                 ? "none"
                     : random() % 1000 < 273 ? "unassigned"
                                             : "assigned";
  absl::StrAppend(
      out, EmployeeId(i), ",", kAgencies[agency], ",", kAgencies[agency], "-",
      (i / 12) % kUnitsPerAgency, ",", random() % 10 == 0 ? "0.8" : "1", ",",
      random() % 1000 < 542 ? "yes" : "no", ",", kind, ",",
      random() % 1000 < 433 ? "yes" : "no", ",",
      random() % 1000 < 24 ? "yes" : "no", ",2019-01-01,,SITE-", agency, "\n");
}

std::vector<absl::CivilDay> WorkingDays(absl::CivilDay first,
                                        absl::CivilDay last) {
  std::vector<absl::CivilDay> days;
  for (absl::CivilDay d = first; d <= last; ++d) {
    if (IsoWeekday(d) <= 5 && !IsFinnishPublicHoliday(d)) days.push_back(d);
  }
  return days;
}

// The 1-minute load average: the machine may be shared.
std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string first;
  in >> first;
  return first.empty() ? "?" : first;
}

// CPU seconds this process (client, server and SQLite threads) has used.
double CpuSeconds() {
  rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

int Main() {
  const int employees = absl::GetFlag(FLAGS_employees);
  const int runs = std::max(1, absl::GetFlag(FLAGS_runs));
  const std::string dir =
      absl::GetFlag(FLAGS_dir) + "/monipaikka-workforce-bench";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir + "/db");
  std::filesystem::create_directories(dir + "/key");
  {
    std::ofstream key(dir + "/key/pseudonym.key");
    key << std::string(64, '7') << "\n";
  }

  const absl::CivilDay today = HelsinkiToday();
  const absl::CivilDay last = today - 1;
  const absl::CivilDay first = today - absl::GetFlag(FLAGS_days);
  const std::vector<absl::CivilDay> days = WorkingDays(first, last);

  ServerOptions options;
  options.database = dir + "/db/server.db";
  options.workforce.pseudonym_key_file = dir + "/key/pseudonym.key";
  InProcessServer bench = StartInProcessServer(options);
  const std::shared_ptr<grpc::Channel>& channel = bench.channel;
  {
    v1::ImportInventoryRequest request;
    for (int a = 0; a < 12; ++a) {
      auto* org = request.mutable_inventory()->add_organizations();
      org->set_code(kAgencies[a]);
      org->set_name(kAgencies[a]);
      auto* site = request.mutable_inventory()->add_sites();
      site->set_code(absl::StrCat("SITE-", a));
      site->set_name(absl::StrCat("Site ", a));
      site->set_kind(a % 3 == 0 ? "D" : "B");
    }
    grpc::ClientContext context;
    v1::ImportInventoryResponse response;
    grpc::Status status =
        v1::InventoryService::NewStub(channel)->ImportInventory(
            &context, request, &response);
    if (!status.ok()) {
      std::fprintf(stderr, "inventory: %s\n", status.error_message().c_str());
      return 1;
    }
  }
  auto stub = v1::WorkforceService::NewStub(channel);
  std::ostringstream problems;

  // Employees.
  int next_employee = 0;
  GeneratedCsv employee_csv(
      "employee_id,organization,unit,fte,home_workstation,office_workstation,"
      "multi_space,shared_use,valid_from,valid_to,site\n",
      [&](std::string* out) {
        if (next_employee == employees) return false;
        AppendEmployee(next_employee++, out);
        return true;
      });
  std::istream employee_stream(&employee_csv);
  auto started = Clock::now();
  auto registry = client::UploadEmployeesCsv(*stub, employee_stream,
                                             "employees", 5000, problems);
  const double employee_seconds = Seconds(started);
  if (!registry.ok() || !registry->clean()) {
    std::fprintf(stderr, "employee import failed: %s\n%s\n",
                 std::string(registry.status().message()).c_str(),
                 problems.str().c_str());
    return 1;
  }

  // Work-location days, date by date.
  size_t day_index = 0;
  int employee = 0;
  int64_t rows = 0;
  // Mostly remote or the own office. The generator is kept cheap (ids and
  // dates formatted once, an LCG) since it runs on the importing thread.
  const char kKinds[] = "AAABBBBDCEFGAAAB";
  std::vector<std::string> ids;
  for (int i = 0; i < employees; ++i) ids.push_back(EmployeeId(i));
  std::vector<std::string> dates;
  for (absl::CivilDay d : days) dates.push_back(FormatDate(d));
  uint64_t lcg = 11;
  GeneratedCsv day_csv(
      "employee_id,date,location_kind,site,source\n", [&](std::string* out) {
        if (day_index == days.size()) return false;
        lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
        const char kind = kKinds[lcg >> 60];
        absl::StrAppend(out, ids[employee], ",", dates[day_index], ",",
                        absl::string_view(&kind, 1), ",,badge\n");
        ++rows;
        if (++employee == employees) {
          employee = 0;
          ++day_index;
        }
        return true;
      });
  std::istream day_stream(&day_csv);
  started = Clock::now();
  const double cpu_before = CpuSeconds();
  auto imported =
      client::UploadWorkDaysCsv(*stub, day_stream, "days", 5000, problems);
  const double day_seconds = Seconds(started);
  const double day_cpu = CpuSeconds() - cpu_before;
  if (!imported.ok() || !imported->clean()) {
    std::fprintf(stderr, "day import failed: %s\n%s\n",
                 std::string(imported.status().message()).c_str(),
                 problems.str().c_str());
    return 1;
  }

  // Reports.
  auto time_report = [&](auto call) {
    std::vector<double> ms;
    for (int r = 0; r < runs; ++r) {
      grpc::ClientContext context;
      const auto t = Clock::now();
      grpc::Status status = call(&context);
      ms.push_back(Seconds(t) * 1000);
      if (!status.ok()) {
        std::fprintf(stderr, "report failed: %s\n",
                     status.error_message().c_str());
        std::exit(1);
      }
    }
    return ms;
  };
  v1::WorkstationDistributionRequest distribution;
  // Snapshots are published on month ends: the last one passed, and the
  // one a year before it.
  const absl::CivilDay published =
      LatestPublicationDate(today - 1, PublicationCalendar::kMonthEnd);
  distribution.set_as_of(FormatDate(published));
  distribution.set_compare_to(FormatDate(
      LatestPublicationDate(published - 365, PublicationCalendar::kMonthEnd)));
  v1::WorkstationDistributionReport distribution_report;
  const std::vector<double> distribution_ms =
      time_report([&](grpc::ClientContext* c) {
        return stub->GetWorkstationDistribution(c, distribution,
                                                &distribution_report);
      });
  const absl::CivilMonth month = absl::CivilMonth(today) - 1;
  v1::OfficeDaysRequest office_days;
  office_days.set_from_month(
      absl::StrFormat("%04d-%02d", month.year(), month.month()));
  office_days.set_to_month(office_days.from_month());
  office_days.set_group_by(v1::HR_GROUPING_ORGANIZATION);
  v1::OfficeDaysReport office_report;
  const std::vector<double> office_ms =
      time_report([&](grpc::ClientContext* c) {
        return stub->GetOfficeDays(c, office_days, &office_report);
      });

  const int64_t total_rows = registry->rows + imported->rows;
  std::printf("employees: %d imported in %.1f s (%.0f rows/s), %lld new\n",
              employees, employee_seconds, registry->rows / employee_seconds,
              static_cast<long long>(registry->new_employees));
  std::printf(
      "work-location days: %lld rows (%zu working days %s..%s) in %.1f s: "
      "%.0f rows/s\n",
      static_cast<long long>(imported->rows), days.size(),
      FormatDate(days.front()).c_str(), FormatDate(days.back()).c_str(),
      day_seconds, imported->rows / day_seconds);
  std::printf(
      "  CPU of all threads (generating the CSV included): %.1f s, "
      "%.2f us per row; load average at the end: %s\n",
      day_cpu, 1e6 * day_cpu / std::max<int64_t>(1, imported->rows),
      LoadAverage().c_str());
  std::printf(
      "import overall: %lld rows in %.1f s: %.0f rows/s (target >= 200000)\n",
      static_cast<long long>(total_rows), employee_seconds + day_seconds,
      total_rows / (employee_seconds + day_seconds));
  std::printf(
      "workstation distribution, state-wide, as of %s vs %s: p50 %.1f ms, "
      "max %.1f ms over %d runs (target < 200 ms)\n",
      distribution.as_of().c_str(), distribution.compare_to().c_str(),
      Median(distribution_ms),
      *std::max_element(distribution_ms.begin(), distribution_ms.end()), runs);
  std::printf(
      "office days %s by organization (%d rows): p50 %.1f ms, max %.1f ms "
      "over %d runs (target < 200 ms)\n",
      office_days.from_month().c_str(), office_report.rows_size(),
      Median(office_ms), *std::max_element(office_ms.begin(), office_ms.end()),
      runs);
  std::printf(
      "state: %lld employees, %lld in offices; database %.0f MiB "
      "(%.1f bytes per day row)\n",
      static_cast<long long>(
          distribution_report.categories(0).employees().value()),
      static_cast<long long>(
          distribution_report.categories(1).employees().value()),
      std::filesystem::file_size(options.database) / 1048576.0,
      static_cast<double>(std::filesystem::file_size(options.database)) /
          std::max<int64_t>(1, imported->rows));
  bench.server->Shutdown();
  std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace monipaikka

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return monipaikka::Main();
}
