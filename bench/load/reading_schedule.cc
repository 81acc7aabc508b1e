#include "bench/load/reading_schedule.h"

#include <algorithm>
#include <cmath>

namespace monipaikka::load {

ReadingSchedule::ReadingSchedule(int sensors,
                                 double readings_per_sensor_per_min,
                                 double change_probability,
                                 int64_t start_unix_ms, uint64_t seed)
    : period_us_(60e6 / readings_per_sensor_per_min),
      change_(change_probability),
      start_unix_ms_(start_unix_ms),
      random_(seed) {
  std::uniform_real_distribution<double> phase(0, period_us_);
  sensors_.reserve(sensors);
  for (int i = 0; i < sensors; ++i)
    sensors_.push_back(SensorState{phase(random_)});
}

std::vector<ScheduledReading> ReadingSchedule::TakeDue(int64_t elapsed_us) {
  std::vector<ScheduledReading> due;
  for (size_t i = 0; i < sensors_.size(); ++i) {
    SensorState& sensor = sensors_[i];
    while (true) {
      const double at_us = sensor.phase_us + sensor.next_k * period_us_;
      if (at_us > static_cast<double>(elapsed_us)) break;
      if (change_(random_)) sensor.occupied = !sensor.occupied;
      ++sensor.next_k;
      due.push_back(ScheduledReading{
          static_cast<int>(i),
          start_unix_ms_ + static_cast<int64_t>(std::floor(at_us / 1000)),
          sensor.next_k, sensor.occupied});
    }
  }
  std::sort(due.begin(), due.end(),
            [](const ScheduledReading& a, const ScheduledReading& b) {
              return a.ts_ms < b.ts_ms;
            });
  return due;
}

}  // namespace monipaikka::load
