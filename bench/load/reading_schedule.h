#pragma once

// When the simulated sensors of one gateway report, and what. Sensor i
// reports at phase_i + k * period (k = 0, 1, …) after the start of the run,
// with period = 1 min / readings_per_sensor_per_min and the phases spread at
// random over one period, so that a gateway's readings arrive at a steady
// rate. Each reading carries the time it is due (UTC milliseconds), the
// sensor's sequence number k + 1 and the desk's state, which changes at a
// reading with the given probability.
// A sensor's timestamps strictly increase as long as its period is at least
// one millisecond.

#include <cstdint>
#include <random>
#include <vector>

namespace monipaikka::load {

struct ScheduledReading {
  int sensor;  // index into the gateway's sensors
  int64_t ts_ms;
  uint64_t seq;
  bool occupied;
};

class ReadingSchedule {
 public:
  // The run starts at `start_unix_ms`.
  ReadingSchedule(int sensors, double readings_per_sensor_per_min,
                  double change_probability, int64_t start_unix_ms,
                  uint64_t seed);

  // The readings due after the previous call and at or before
  // `elapsed_us` after the start, in time order.
  std::vector<ScheduledReading> TakeDue(int64_t elapsed_us);

 private:
  struct SensorState {
    double phase_us;
    uint64_t next_k = 0;
    bool occupied = false;
  };
  const double period_us_;
  std::bernoulli_distribution change_;
  const int64_t start_unix_ms_;
  std::vector<SensorState> sensors_;
  std::mt19937_64 random_;
};

}  // namespace monipaikka::load
