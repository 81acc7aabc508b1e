#include "server/ingest/sensor_directory.h"

namespace monipaikka {

SensorDirectory::SensorDirectory(std::vector<SensorBinding> sensors) {
  by_external_id_.reserve(sensors.size());
  for (SensorBinding& sensor : sensors) {
    std::string key = sensor.external_id;
    by_external_id_.emplace(std::move(key), std::move(sensor));
  }
}

const SensorBinding* SensorDirectory::Find(
    absl::string_view external_id) const {
  auto it = by_external_id_.find(external_id);
  return it == by_external_id_.end() ? nullptr : &it->second;
}

std::shared_ptr<const SensorDirectory> SensorDirectoryHolder::Get() const {
  absl::MutexLock lock(&mu_);
  return current_;
}

void SensorDirectoryHolder::Set(
    std::shared_ptr<const SensorDirectory> directory) {
  absl::MutexLock lock(&mu_);
  current_ = std::move(directory);
}

}  // namespace monipaikka
