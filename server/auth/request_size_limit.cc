#include "server/auth/request_size_limit.h"

#include "absl/strings/str_cat.h"

namespace monipaikka {

absl::flat_hash_set<std::string> RequestSizeLimit::ImportMethods() {
  return {"/monipaikka.v1.IngestService/StreamReadings",
          "/monipaikka.v1.InventoryService/ImportInventory",
          "/monipaikka.v1.SamplingService/ImportObservationRounds",
          "/monipaikka.v1.BookingService/ImportBookings",
          "/monipaikka.v1.WorkforceService/ImportEmployees",
          "/monipaikka.v1.WorkforceService/ImportWorkDays",
          "/monipaikka.v1.WorkforceService/RecordWorkDays"};
}

size_t RequestSizeLimit::LimitOf(absl::string_view method) const {
  return large_methods_.contains(method) ? 0 : max_request_bytes_;
}

void RequestSizeLimit::NoteOversized(const grpc::ServerContextBase* context,
                                     size_t bytes) {
  absl::MutexLock lock(&mu_);
  oversized_[context] = bytes;
}

void RequestSizeLimit::Forget(const grpc::ServerContextBase* context) {
  absl::MutexLock lock(&mu_);
  oversized_.erase(context);
}

absl::Status RequestSizeLimit::Check(const grpc::ServerContextBase& context,
                                     absl::string_view rpc) const {
  size_t bytes = 0;
  {
    absl::MutexLock lock(&mu_);
    auto it = oversized_.find(&context);
    if (it == oversized_.end()) return absl::OkStatus();
    bytes = it->second;
  }
  refused_.fetch_add(1, std::memory_order_relaxed);
  return absl::ResourceExhaustedError(absl::StrCat(
      rpc, ": the request has ", bytes,
      " bytes, over --max_request_bytes=", max_request_bytes_,
      " (only the imports and the ingest stream take larger messages)"));
}

}  // namespace monipaikka
