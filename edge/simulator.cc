#include "edge/simulator.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/calendar.h"
#include "common/time_format.h"

namespace monipaikka::edge {
namespace {

constexpr int64_t kMinute = 60;  // seconds
constexpr int64_t kHour = 60 * kMinute;

// SplitMix64's finalizer: a well-mixed 64-bit hash of a 64-bit value.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// FNV-1a: stable across platforms and runs (unlike std::hash or absl::Hash),
// which the plan's reproducibility depends on.
uint64_t HashSensor(absl::string_view sensor) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : sensor) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

// A SplitMix64 stream: small, fast and good enough for a simulation.
class DayRandom {
 public:
  explicit DayRandom(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return Mix(state_);
  }
  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Uniform whole seconds in [lo, hi].
  int64_t Seconds(int64_t lo, int64_t hi) {
    return lo +
           static_cast<int64_t>(Uniform() * static_cast<double>(hi - lo + 1));
  }
  // Seconds in [lo, hi], peaked in the middle (mean of two uniforms).
  int64_t PeakedSeconds(int64_t lo, int64_t hi) {
    double u = (Uniform() + Uniform()) / 2;
    return lo + static_cast<int64_t>(u * static_cast<double>(hi - lo));
  }

 private:
  uint64_t state_;
};

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

absl::CivilDay LocalDayOf(int64_t ts_ms, const absl::TimeZone& zone) {
  return absl::CivilDay(zone.At(FromMs(ts_ms)).cs);
}

struct AwayStretch {
  int64_t start_s;  // local seconds after midnight
  int64_t end_s;
};

// Compact form of a reading while sorting; `desk` indexes the sorted desks.
struct RawReading {
  int64_t ts_ms;
  uint32_t desk;
  bool occupied;
};

}  // namespace

absl::StatusOr<Simulator> Simulator::Create(std::vector<SimulatedDesk> desks,
                                            uint64_t seed,
                                            SimulatorOptions options) {
  if (options.quiet_day_attendance < 0 || options.quiet_day_attendance > 1 ||
      options.midweek_attendance < 0 || options.midweek_attendance > 1) {
    return absl::InvalidArgumentError(
        "simulator: attendance probabilities must be within [0, 1]");
  }
  if (options.heartbeat_interval_ms < 1000) {
    return absl::InvalidArgumentError(absl::StrCat(
        "simulator: heartbeat_interval_ms ", options.heartbeat_interval_ms,
        " is shorter than a second"));
  }
  std::sort(desks.begin(), desks.end(),
            [](const SimulatedDesk& a, const SimulatedDesk& b) {
              return a.sensor < b.sensor;
            });
  for (size_t i = 1; i < desks.size(); ++i) {
    if (desks[i - 1].sensor == desks[i].sensor) {
      return absl::InvalidArgumentError(absl::StrCat(
          "simulator: sensor ", desks[i].sensor, " is listed twice"));
    }
  }
  absl::flat_hash_map<std::string, absl::TimeZone> zones;
  std::vector<Desk> result;
  result.reserve(desks.size());
  for (SimulatedDesk& desk : desks) {
    if (desk.sensor.empty()) {
      return absl::InvalidArgumentError("simulator: a desk has no sensor id");
    }
    auto zone_it = zones.find(desk.timezone);
    if (zone_it == zones.end()) {
      absl::StatusOr<absl::TimeZone> zone = LoadZone(desk.timezone);
      if (!zone.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("simulator: sensor ", desk.sensor, ": time zone \"",
                         desk.timezone, "\": ", zone.status().message()));
      }
      zone_it = zones.emplace(desk.timezone, *zone).first;
    }
    Desk d;
    d.sensor = std::move(desk.sensor);
    d.zone = zone_it->second;
    d.sensor_hash = HashSensor(d.sensor);
    uint64_t desk_hash = Mix(seed ^ Mix(d.sensor_hash));
    int64_t interval_s = options.heartbeat_interval_ms / 1000;
    d.heartbeat_offset_ms =
        static_cast<int64_t>(desk_hash % static_cast<uint64_t>(interval_s)) *
        1000;
    d.propensity =
        0.6 + 0.8 * static_cast<double>(Mix(desk_hash) >> 11) * 0x1.0p-53;
    d.installed = desk.installed;
    d.removed = desk.removed;
    result.push_back(std::move(d));
  }
  return Simulator(std::move(result), seed, options);
}

std::vector<OccupiedSpan> Simulator::PlanDay(const Desk& desk,
                                             absl::CivilDay day) const {
  if (desk.installed && day < *desk.installed) return {};
  if (desk.removed && day >= *desk.removed) return {};
  int weekday = IsoWeekday(day);
  if (weekday >= 6 || IsFinnishPublicHoliday(day)) return {};

  const int64_t day_ordinal = day - absl::CivilDay(1970, 1, 1);
  DayRandom random(Mix(
      seed_ ^ Mix(desk.sensor_hash ^ Mix(static_cast<uint64_t>(day_ordinal)))));
  double attendance = (weekday == 1 || weekday == 5)
                          ? options_.quiet_day_attendance
                          : options_.midweek_attendance;
  attendance = std::min(0.95, attendance * desk.propensity);
  if (random.Uniform() >= attendance) return {};

  const int64_t arrival =
      random.PeakedSeconds(7 * kHour + 30 * kMinute, 9 * kHour + 30 * kMinute);
  const int64_t departure = random.PeakedSeconds(15 * kHour, 17 * kHour);

  std::vector<AwayStretch> away;
  const int64_t lunch_length = random.Seconds(30 * kMinute, 45 * kMinute);
  const int64_t lunch_start =
      random.Seconds(11 * kHour, 12 * kHour + 30 * kMinute - lunch_length);
  away.push_back({lunch_start, lunch_start + lunch_length});

  double meetings_draw = random.Uniform();
  int meetings = meetings_draw < 0.3 ? 0 : (meetings_draw < 0.75 ? 1 : 2);
  for (int m = 0; m < meetings; ++m) {
    // A few tries to fit the meeting between arrival and departure, at least
    // 10 minutes clear of lunch and other meetings; otherwise it is skipped.
    for (int attempt = 0; attempt < 8; ++attempt) {
      const int64_t length = random.Seconds(30 * kMinute, 90 * kMinute);
      const int64_t earliest = arrival + 15 * kMinute;
      const int64_t latest = departure - 15 * kMinute - length;
      if (latest < earliest) continue;
      const int64_t start = random.Seconds(earliest, latest);
      bool clear = true;
      for (const AwayStretch& other : away) {
        if (start < other.end_s + 10 * kMinute &&
            other.start_s < start + length + 10 * kMinute) {
          clear = false;
          break;
        }
      }
      if (clear) {
        away.push_back({start, start + length});
        break;
      }
    }
  }
  std::sort(away.begin(), away.end(),
            [](const AwayStretch& a, const AwayStretch& b) {
              return a.start_s < b.start_s;
            });

  const absl::CivilSecond midnight(day);
  auto to_ms = [&](int64_t seconds) {
    return LocalToMs(midnight + seconds, desk.zone);
  };
  std::vector<OccupiedSpan> spans;
  int64_t present_from = arrival;
  for (const AwayStretch& stretch : away) {
    if (stretch.start_s > present_from) {
      spans.push_back({to_ms(present_from), to_ms(stretch.start_s)});
    }
    present_from = std::max(present_from, stretch.end_s);
  }
  if (departure > present_from) {
    spans.push_back({to_ms(present_from), to_ms(departure)});
  }
  return spans;
}

std::vector<OccupiedSpan> Simulator::PlanOf(const std::string& sensor,
                                            absl::CivilDay day) const {
  auto it = std::lower_bound(
      desks_.begin(), desks_.end(), sensor,
      [](const Desk& desk, const std::string& id) { return desk.sensor < id; });
  if (it == desks_.end() || it->sensor != sensor) return {};
  return PlanDay(*it, day);
}

std::vector<Reading> Simulator::ReadingsBetween(int64_t from_ms,
                                                int64_t to_ms) const {
  if (from_ms >= to_ms || desks_.empty()) return {};
  const int64_t interval = options_.heartbeat_interval_ms;
  std::vector<RawReading> raw;
  // About one heartbeat per interval per desk, plus a few state changes.
  raw.reserve(desks_.size() *
              static_cast<size_t>(std::min<int64_t>(
                  (to_ms - from_ms) / interval + 2, int64_t{1} << 20)));
  std::vector<int64_t> changes;
  for (uint32_t index = 0; index < desks_.size(); ++index) {
    const Desk& desk = desks_[index];
    const absl::CivilDay first_day = LocalDayOf(from_ms, desk.zone);
    const absl::CivilDay last_day = LocalDayOf(to_ms - 1, desk.zone);
    for (absl::CivilDay day = first_day; day <= last_day; ++day) {
      if (desk.installed && day < *desk.installed) continue;
      if (desk.removed && day >= *desk.removed) continue;
      const int64_t day_start = LocalToMs(absl::CivilSecond(day), desk.zone);
      const int64_t day_end = LocalToMs(absl::CivilSecond(day + 1), desk.zone);
      const int64_t lo = std::max(from_ms, day_start);
      const int64_t hi = std::min(to_ms, day_end);
      if (lo >= hi) continue;

      const std::vector<OccupiedSpan> spans = PlanDay(desk, day);
      changes.clear();
      for (const OccupiedSpan& span : spans) {
        if (span.start_ms >= lo && span.start_ms < hi) {
          raw.push_back({span.start_ms, index, true});
        }
        if (span.end_ms >= lo && span.end_ms < hi) {
          raw.push_back({span.end_ms, index, false});
        }
        changes.push_back(span.start_ms);
        changes.push_back(span.end_ms);
      }

      int64_t beat =
          desk.heartbeat_offset_ms +
          interval *
              FloorDiv(lo - desk.heartbeat_offset_ms + interval - 1, interval);
      size_t span_index = 0;
      for (; beat < hi; beat += interval) {
        if (std::find(changes.begin(), changes.end(), beat) != changes.end()) {
          continue;  // the state change at this instant is the heartbeat
        }
        while (span_index < spans.size() && spans[span_index].end_ms <= beat) {
          ++span_index;
        }
        const bool occupied =
            span_index < spans.size() && spans[span_index].start_ms <= beat;
        raw.push_back({beat, index, occupied});
      }
    }
  }
  std::sort(raw.begin(), raw.end(),
            [](const RawReading& a, const RawReading& b) {
              return a.ts_ms != b.ts_ms ? a.ts_ms < b.ts_ms : a.desk < b.desk;
            });
  std::vector<Reading> readings;
  readings.reserve(raw.size());
  for (const RawReading& r : raw) {
    Reading reading;
    reading.sensor = desks_[r.desk].sensor;
    reading.ts_ms = r.ts_ms;
    reading.occupied = r.occupied;
    readings.push_back(std::move(reading));
  }
  return readings;
}

}  // namespace monipaikka::edge
