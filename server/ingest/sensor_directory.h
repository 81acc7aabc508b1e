#pragma once

// An immutable, in-memory snapshot of every sensor, looked up by external id
// on the ingest path. Replaced as a whole after inventory changes.

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "server/storage/storage.h"

namespace monipaikka {

class SensorDirectory {
 public:
  explicit SensorDirectory(std::vector<SensorBinding> sensors);

  // nullptr when no sensor has the id.
  const SensorBinding* Find(absl::string_view external_id) const;
  // The ids of the sensors bound to `gateway`, in no particular order.
  std::vector<int64_t> SensorsOfGateway(absl::string_view gateway) const;
  size_t size() const { return by_external_id_.size(); }

 private:
  absl::flat_hash_map<std::string, SensorBinding> by_external_id_;
  absl::flat_hash_map<std::string, std::vector<int64_t>> by_gateway_;
};

// Holds the current snapshot. Thread-safe.
class SensorDirectoryHolder {
 public:
  std::shared_ptr<const SensorDirectory> Get() const ABSL_LOCKS_EXCLUDED(mu_);
  void Set(std::shared_ptr<const SensorDirectory> directory)
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  mutable absl::Mutex mu_;
  std::shared_ptr<const SensorDirectory> current_ ABSL_GUARDED_BY(mu_) =
      std::make_shared<SensorDirectory>(std::vector<SensorBinding>{});
};

}  // namespace monipaikka
