#include "server/ingest/sensor_directory.h"

namespace monipaikka {

SensorDirectory::SensorDirectory(std::vector<SensorBinding> sensors) {
  by_external_id_.reserve(sensors.size());
  for (SensorBinding& sensor : sensors) {
    by_gateway_[sensor.gateway].push_back(sensor.sensor_id);
    std::string key = sensor.external_id;
    by_external_id_.emplace(std::move(key), std::move(sensor));
  }
}

const SensorBinding* SensorDirectory::Find(
    absl::string_view external_id) const {
  auto it = by_external_id_.find(external_id);
  return it == by_external_id_.end() ? nullptr : &it->second;
}

std::vector<int64_t> SensorDirectory::SensorsOfGateway(
    absl::string_view gateway) const {
  auto it = by_gateway_.find(gateway);
  return it == by_gateway_.end() ? std::vector<int64_t>() : it->second;
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
