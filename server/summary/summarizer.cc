#include "server/summary/summarizer.h"

#include <malloc.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <span>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "common/status_macros.h"
#include "common/time_format.h"
#include "server/summary/codec.h"
#include "server/summary/node_days.h"

namespace monipaikka {
namespace {

constexpr int64_t kHourMs = 3600 * 1000;
constexpr char kStatesMeta[] = "states";
constexpr char kLatticeMeta[] = "lattice";

// The time zones of the sites, each with the sensors of its sites.
struct Zone {
  absl::TimeZone zone;
  absl::flat_hash_set<int32_t> sensors;
};

int64_t LocalMidnightMs(int32_t date, const absl::TimeZone& zone) {
  return LocalToMs(absl::CivilSecond(DateOf(date)), zone);
}

int32_t LocalDateOf(int64_t ts_ms, const absl::TimeZone& zone) {
  return DateIndex(absl::CivilDay(absl::ToCivilSecond(FromMs(ts_ms), zone)));
}

// Writes in transactions of a few thousand rows, so that the ingest writer
// never waits long for the database's write lock (held by a thread of lower
// CPU priority). Safe: the pass clears its dirty hours only after all its
// writes, so a crash between chunks recomputes the dates.
absl::Status WriteInChunks(AnalyticsStorage& store, SummaryWrite write) {
  constexpr size_t kRows = 2000;
  SummaryWrite chunk;
  auto flush = [&]() -> absl::Status {
    absl::Status status = store.WriteSummaries(chunk);
    chunk = SummaryWrite();
    return status;
  };
  for (SensorDayRow& row : write.sensor_days) {
    chunk.sensor_days.push_back(std::move(row));
    if (chunk.sensor_days.size() >= kRows) RETURN_IF_ERROR(flush());
  }
  for (NodeDayRow& row : write.node_days) {
    chunk.node_days.push_back(std::move(row));
    if (chunk.sensor_days.size() + chunk.node_days.size() >= kRows) {
      RETURN_IF_ERROR(flush());
    }
  }
  chunk.deleted_sensor_days = std::move(write.deleted_sensor_days);
  chunk.last_readings = std::move(write.last_readings);
  return flush();
}

// Sensor ids are small integers (rowids): a dense table beats hashing for
// the millions of readings a pass may scan.
class SensorIndexTable {
 public:
  explicit SensorIndexTable(const OccupancyInventory& inventory)
      : inventory_(inventory) {
    int64_t max_id = 0;
    for (const OccupancyInventory::Sensor& sensor : inventory.sensors()) {
      max_id = std::max(max_id, sensor.id);
    }
    by_id_.assign(static_cast<size_t>(std::min<int64_t>(max_id, 1 << 26)) + 1,
                  -1);
    for (size_t s = 0; s < inventory.sensors().size(); ++s) {
      const int64_t id = inventory.sensors()[s].id;
      if (id >= 0 && id < static_cast<int64_t>(by_id_.size())) {
        by_id_[static_cast<size_t>(id)] = static_cast<int32_t>(s);
      }
    }
  }
  // The sensor's index in the inventory, or -1.
  int32_t Find(int64_t id) const {
    return id >= 0 && static_cast<uint64_t>(id) < by_id_.size()
               ? by_id_[static_cast<size_t>(id)]
               : inventory_.SensorIndex(id);
  }

 private:
  const OccupancyInventory& inventory_;
  std::vector<int32_t> by_id_;
};

constexpr int64_t kNoReading = std::numeric_limits<int64_t>::min();

// A pass's working space, by sensor index, reused across dates and zones.
struct PassWork {
  explicit PassWork(size_t sensors)
      : readings(sensors), before(sensors, {kNoReading, 0}), last(sensors) {}
  // The readings of the current slice.
  std::vector<std::vector<TimedValue>> readings;
  std::vector<int32_t> in_slice;  // sensors with readings in the slice
  // The last reading before the current slice (ts_ms kNoReading: none).
  std::vector<TimedValue> before;
  std::vector<int32_t> with_before;
  // The newest reading scanned for the date (ts_ms 0: none).
  std::vector<LastReading> last;
  std::vector<TimedValue> input;  // one sensor's readings, for a slice
};

void NoteNewest(LastReading& newest, const StoredReading& r) {
  if (r.ts_ms >= newest.ts_ms) newest = {r.sensor_id, r.ts_ms, r.value};
}

// Recomputes the states of the sensors of `zone` on `date` from `cut` on.
//
// The readings of the lookback before the cut give each sensor's last
// reading; the readings from the cut to the day's end follow in time slices
// of about slicing.readings_per_slice readings, and each slice's states are
// spliced in from the slice's start. A reading only affects the states after
// it, and of the readings before an instant only the last one does (see
// SensorDaySpans), so the slices give exactly the states of one pass over
// all readings, while the readings held at once stay few whatever the
// reading rate or the backlog.
//
// Updates `spans` (the date's states by sensor index); appends the sensors
// whose states changed to `touched`.
absl::Status RecomputeZoneDay(
    AnalyticsStorage& store, const OccupancyInventory& inventory,
    const SensorIndexTable& sensor_index, const Zone& zone,
    std::span<const Zone* const> zone_of_sensor, int32_t date, int64_t cut,
    int64_t lookback_ms, const SummarySlicing& slicing, PassWork& work,
    SensorSpansByIndex& spans, std::vector<int32_t>& touched,
    SummaryPassStats& out) {
  const int64_t day_start = LocalMidnightMs(date, zone.zone);
  const int64_t day_end = LocalMidnightMs(date + 1, zone.zone);

  for (int32_t s : work.with_before) work.before[s].ts_ms = kNoReading;
  work.with_before.clear();
  int64_t in_lookback = 0;
  RETURN_IF_ERROR(store.ScanAllReadings(
      cut - lookback_ms, cut, [&](const StoredReading& r) {
        ++out.readings_scanned;
        const int32_t s = sensor_index.Find(r.sensor_id);
        if (s < 0 || zone_of_sensor[s] != &zone) return;
        ++in_lookback;
        if (work.before[s].ts_ms == kNoReading) work.with_before.push_back(s);
        work.before[s] = {r.ts_ms, r.value};
        NoteNewest(work.last[s], r);
      }));

  // Recomputed in the first slice even without a reading in it: sensors
  // with a reading before the cut, and sensors with states after the cut
  // (which no reading may support any more).
  std::vector<int32_t> affected = work.with_before;
  const int32_t cut_offset = static_cast<int32_t>(cut - day_start);
  for (const auto& [s, states] : spans) {
    if (zone_of_sensor[s] == &zone && !states.empty() &&
        states.back().end_ms > cut_offset) {
      affected.push_back(s);
    }
  }

  const int64_t target = std::max<int64_t>(1, slicing.readings_per_slice);
  const int64_t max_slice_ms =
      std::max<int64_t>(1000, absl::ToInt64Milliseconds(slicing.max_slice));
  // The first slice: sized from the rate of the lookback when it had
  // readings.
  // The length in which `target` readings come at `count` readings per
  // `length_ms`, within [1 s, longest].
  auto length_for_target = [target](int64_t length_ms, int64_t count,
                                    int64_t longest) {
    const double ms = static_cast<double>(length_ms) *
                      static_cast<double>(target) / static_cast<double>(count);
    return static_cast<int64_t>(
        std::clamp(ms, 1000.0, static_cast<double>(longest)));
  };
  int64_t slice_ms =
      in_lookback > 0
          ? length_for_target(lookback_ms, in_lookback, max_slice_ms)
          : std::clamp<int64_t>(absl::ToInt64Milliseconds(slicing.first_slice),
                                1000, max_slice_ms);
  for (int64_t from = cut; from < day_end;) {
    if (from > cut) {
      // Time without readings is skipped: the states there follow from the
      // slices before.
      ASSIGN_OR_RETURN(std::optional<int64_t> next,
                       store.FirstReadingTime(from, day_end));
      if (!next.has_value()) break;
      from = *next;
    }
    const int64_t to = from + std::min(slice_ms, day_end - from);
    for (int32_t s : work.in_slice) work.readings[s].clear();
    work.in_slice.clear();
    int64_t held = 0;
    RETURN_IF_ERROR(
        store.ScanAllReadings(from, to, [&](const StoredReading& r) {
          ++out.readings_scanned;
          const int32_t s = sensor_index.Find(r.sensor_id);
          if (s < 0 || zone_of_sensor[s] != &zone) return;
          std::vector<TimedValue>& mine = work.readings[s];
          if (mine.empty()) work.in_slice.push_back(s);
          mine.push_back({r.ts_ms, r.value});
          ++held;
          NoteNewest(work.last[s], r);
        }));
    ++out.slices;
    out.max_slice_readings = std::max(out.max_slice_readings, held);

    affected.insert(affected.end(), work.in_slice.begin(), work.in_slice.end());
    std::sort(affected.begin(), affected.end());
    affected.erase(std::unique(affected.begin(), affected.end()),
                   affected.end());
    const int32_t from_offset = static_cast<int32_t>(from - day_start);
    for (int32_t s : affected) {
      const OccupancyInventory::Sensor& sensor = inventory.sensors()[s];
      std::vector<DaySpan>& old = spans[s];
      work.input.clear();
      if (work.before[s].ts_ms != kNoReading) {
        work.input.push_back(work.before[s]);
      }
      work.input.insert(work.input.end(), work.readings[s].begin(),
                        work.readings[s].end());
      const int32_t count_at_from =
          sensor.meaning == ReadingMeaning::kFlow && from > day_start
              ? LastValueBefore(old, from_offset)
              : 0;
      std::vector<DaySpan> tail =
          SensorDaySpans(work.input, sensor.meaning, day_start, day_end, from,
                         sensor.stale_after_ms, count_at_from);
      std::vector<DaySpan> updated = SpliceDaySpans(old, from_offset, tail);
      if (updated == old) continue;
      old = std::move(updated);
      touched.push_back(s);
    }
    affected.clear();
    for (int32_t s : work.in_slice) {
      if (work.before[s].ts_ms == kNoReading) work.with_before.push_back(s);
      work.before[s] = work.readings[s].back();
    }

    // The next slice: about `target` readings at the rate just seen, at
    // most twice as long as this one (after an empty slice, as long).
    if (held > 0) {
      slice_ms = length_for_target(slice_ms, held,
                                   std::min(2 * slice_ms, max_slice_ms));
    }
    from = to;
  }
  return absl::OkStatus();
}

}  // namespace

int32_t FirstRecomputableDate(int64_t horizon_ms, int64_t lookback_ms) {
  if (horizon_ms <= 0) return std::numeric_limits<int32_t>::min();
  constexpr int64_t kDayMs = 24 * kHourMs;
  constexpr int64_t kMaxZoneOffsetMs = 14 * kHourMs;
  const int64_t earliest_midnight = horizon_ms + lookback_ms + kMaxZoneOffsetMs;
  return static_cast<int32_t>(earliest_midnight / kDayMs + 1);
}

absl::StatusOr<bool> LatticeIsCurrent(StorageSession& session,
                                      const OccupancyInventory& inventory) {
  ASSIGN_OR_RETURN(std::string stored,
                   session.Analytics().GetSummaryMeta(kLatticeMeta));
  return stored == inventory.fingerprint();
}

absl::Status SummarizePending(StorageSession& session,
                              const OccupancyInventory& inventory,
                              SummaryPassStats* stats,
                              const SummarySlicing& slicing) {
  SummaryPassStats local_stats;
  SummaryPassStats& out = stats != nullptr ? *stats : local_stats;
  out = SummaryPassStats();
  AnalyticsStorage& store = session.Analytics();
  const SummarySettings& settings = inventory.settings();

  // Raw readings before the horizon were deleted: the dates before
  // `recomputable` keep the sensor days they have.
  ASSIGN_OR_RETURN(const int64_t horizon_ms,
                   session.Retention().RawReadingsHorizonMs());
  const int32_t recomputable =
      FirstRecomputableDate(horizon_ms, settings.MaxStaleAfterMs());

  // States computed with other stale times are recomputed from readings.
  ASSIGN_OR_RETURN(std::string states, store.GetSummaryMeta(kStatesMeta));
  const bool restate = states != settings.StatesFingerprint();
  if (restate) {
    RETURN_IF_ERROR(store.SetSummaryMeta(kLatticeMeta, ""));
    if (horizon_ms == 0) {
      RETURN_IF_ERROR(store.DeleteSummaries(/*sensor_days_too=*/true));
    } else {
      RETURN_IF_ERROR(store.DeleteSummaries(/*sensor_days_too=*/false));
      RETURN_IF_ERROR(store.DeleteSensorDaysFrom(recomputable));
    }
    RETURN_IF_ERROR(store.MarkEveryReadingHourDirty());
    RETURN_IF_ERROR(
        store.SetSummaryMeta(kStatesMeta, settings.StatesFingerprint()));
  }

  ASSIGN_OR_RETURN(std::vector<DirtyHour> hours, store.ListDirtyHours());
  ASSIGN_OR_RETURN(std::string lattice, store.GetSummaryMeta(kLatticeMeta));
  const bool rebuild = lattice != inventory.fingerprint();
  if (hours.empty() && !rebuild) return absl::OkStatus();
  out.lattice_rebuilt = rebuild;
  if (rebuild && horizon_ms != 0) {
    ASSIGN_OR_RETURN(std::vector<int32_t> stored, store.ListSensorDayDates());
    if (!stored.empty() && stored.front() < recomputable) {
      Log(LogLevel::kWarning, "summaries_not_recomputed",
          {{"first_date", FormatDate(DateOf(stored.front()))},
           {"last_date", FormatDate(DateOf(recomputable - 1))},
           {"change", restate ? "stale_after (--desk_stale_after_min, "
                                "--room_stale_after_min)"
                              : "inventory"},
           {"reason",
            absl::StrCat(
                "raw readings before ", FormatInstantMs(horizon_ms),
                " were deleted (--raw_retention_days): on these dates the "
                "sensor days stay as computed before",
                restate ? " (with the stale_after then in force)" : "",
                ", and the figures are rebuilt from them; sensors newly "
                "placed at a site or moved to another time zone are not "
                "counted on these dates")}});
    }
  }

  std::map<std::string, Zone> zones;
  std::vector<const Zone*> zone_of_sensor(inventory.sensors().size(), nullptr);
  for (const OccupancyInventory::Site& site : inventory.sites()) {
    zones.try_emplace(site.timezone, Zone{site.zone, {}});
  }
  for (size_t s = 0; s < inventory.sensors().size(); ++s) {
    const int32_t site = inventory.sensors()[s].site;
    if (site < 0) continue;
    Zone& zone = zones.at(inventory.sites()[site].timezone);
    zone.sensors.insert(static_cast<int32_t>(s));
    zone_of_sensor[s] = &zone;
  }

  // For each local date, per zone: the earliest instant from which readings
  // may have changed its states.
  const int64_t lookback_ms = settings.MaxStaleAfterMs();
  std::map<int32_t, std::map<const Zone*, int64_t>> cuts;
  for (const DirtyHour& hour : hours) {
    const int64_t from = hour.hour * kHourMs;
    const int64_t to = from + kHourMs + lookback_ms;  // exclusive
    for (const auto& [name, zone] : zones) {
      const int32_t first = LocalDateOf(from, zone.zone);
      const int32_t last = LocalDateOf(to - 1, zone.zone);
      for (int32_t date = first; date <= last; ++date) {
        const int64_t cut = std::max(from, LocalMidnightMs(date, zone.zone));
        auto [it, inserted] = cuts[date].try_emplace(&zone, cut);
        if (!inserted) it->second = std::min(it->second, cut);
      }
    }
  }
  std::vector<int32_t> dates;
  for (const auto& [date, unused] : cuts) dates.push_back(date);
  if (rebuild) {
    // Readers must not take the old node days for current meanwhile.
    RETURN_IF_ERROR(store.SetSummaryMeta(kLatticeMeta, ""));
    RETURN_IF_ERROR(store.DeleteSummaries(/*sensor_days_too=*/false));
    ASSIGN_OR_RETURN(std::vector<int32_t> stored, store.ListSensorDayDates());
    dates.insert(dates.end(), stored.begin(), stored.end());
    std::sort(dates.begin(), dates.end());
    dates.erase(std::unique(dates.begin(), dates.end()), dates.end());
  }

  // Node ids of the lattice.
  std::vector<int64_t> node_ids(inventory.lattice().size(), 0);
  {
    ASSIGN_OR_RETURN(auto nodes, store.ListNodes());
    absl::flat_hash_map<std::string, int64_t> by_key;
    for (auto& [id, key] : nodes) by_key[key] = id;
    for (size_t n = 0; n < inventory.lattice().size(); ++n) {
      auto it = by_key.find(inventory.lattice()[n].key);
      if (it != by_key.end()) {
        node_ids[n] = it->second;
      } else {
        ASSIGN_OR_RETURN(node_ids[n],
                         store.AddNode(inventory.lattice()[n].key));
      }
    }
  }
  std::vector<NodeDefinition> definitions;
  definitions.reserve(inventory.lattice().size());
  for (const OccupancyInventory::LatticeNode& node : inventory.lattice()) {
    definitions.push_back({node.workstations, node.rooms, node.minute_peaks});
  }

  const SensorIndexTable sensor_index(inventory);
  PassWork work(inventory.sensors().size());
  FrameCache frames(inventory);
  for (int32_t date : dates) {
    ++out.dates;
    SensorSpansByIndex spans;
    absl::Status decoded = absl::OkStatus();
    RETURN_IF_ERROR(store.ScanSensorDays(
        date, date, std::numeric_limits<int64_t>::min(),
        std::numeric_limits<int64_t>::max(),
        [&](int32_t, int64_t sensor_id, absl::string_view bytes) {
          const int32_t s = inventory.SensorIndex(sensor_id);
          if (s < 0 || !decoded.ok()) return;
          absl::StatusOr<std::vector<DaySpan>> states = DecodeDaySpans(bytes);
          if (!states.ok()) {
            decoded = states.status();
            return;
          }
          spans[s] = *std::move(states);
        }));
    RETURN_IF_ERROR(decoded);

    SummaryWrite write;
    bool changed = false;
    auto date_cuts = cuts.find(date);
    if (date_cuts != cuts.end()) {
      std::vector<int32_t> touched;
      for (const auto& [zone, cut] : date_cuts->second) {
        RETURN_IF_ERROR(RecomputeZoneDay(store, inventory, sensor_index, *zone,
                                         zone_of_sensor, date, cut, lookback_ms,
                                         slicing, work, spans, touched, out));
      }
      std::sort(touched.begin(), touched.end());
      touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
      for (int32_t s : touched) {
        changed = true;
        const int64_t id = inventory.sensors()[s].id;
        auto it = spans.find(s);
        if (it == spans.end() || it->second.empty()) {
          write.deleted_sensor_days.emplace_back(date, id);
        } else {
          write.sensor_days.push_back({date, id, EncodeDaySpans(it->second)});
        }
      }
      for (LastReading& reading : work.last) {
        if (reading.ts_ms > 0) write.last_readings.push_back(reading);
        reading = LastReading();
      }
    }
    // Drop sensors left without states (from spans[s] lookups above).
    for (auto it = spans.begin(); it != spans.end();) {
      if (it->second.empty()) {
        spans.erase(it++);
      } else {
        ++it;
      }
    }

    if (changed || rebuild) {
      std::vector<NodeDayFigures> figures =
          ComputeNodeDays(inventory, date, spans, definitions, frames);
      for (size_t n = 0; n < figures.size(); ++n) {
        // Nothing known of the node that day: no row (readers take a
        // missing day for one without observations).
        if (figures[n] != NodeDayFigures{}) {
          write.node_days.push_back(
              {node_ids[n], date, EncodeNodeDay(figures[n])});
        }
      }
    }
    out.sensor_days_written += static_cast<int64_t>(
        write.sensor_days.size() + write.deleted_sensor_days.size());
    out.node_days_written += static_cast<int64_t>(write.node_days.size());
    RETURN_IF_ERROR(WriteInChunks(store, std::move(write)));
  }
  RETURN_IF_ERROR(store.ClearDirtyHours(hours));
  if (rebuild) {
    RETURN_IF_ERROR(
        store.SetSummaryMeta(kLatticeMeta, inventory.fingerprint()));
  }
  return absl::OkStatus();
}

Summarizer::Summarizer(Storage* storage,
                       const OccupancyInventoryHolder* inventory,
                       Options options)
    : storage_(storage), inventory_(inventory), options_(options) {}

Summarizer::~Summarizer() { Stop(); }

absl::Status Summarizer::Start() {
  ASSIGN_OR_RETURN(session_, storage_->OpenSession());
  thread_ = std::thread([this] { Run(); });
  return absl::OkStatus();
}

void Summarizer::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void Summarizer::NoteCommitted() {
  absl::MutexLock lock(&mu_);
  ++noted_;
  last_commit_ = absl::Now();
  if (first_pending_ == absl::InfinitePast()) {
    first_pending_ = absl::Now();
    wake_ = true;
  }
}

void Summarizer::NoteInventoryChanged() {
  absl::MutexLock lock(&mu_);
  ++inventory_noted_;
  urgent_ = true;
  wake_ = true;
}

bool Summarizer::AwaitCurrent(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  const uint64_t target = noted_;
  const uint64_t inventory_target = inventory_noted_;
  if (done_ >= target && inventory_done_ >= inventory_target) return true;
  urgent_ = true;
  wake_ = true;
  struct Wait {
    Summarizer* self;
    uint64_t target;
    uint64_t inventory_target;
  } wait{this, target, inventory_target};
  return mu_.AwaitWithTimeout(
      absl::Condition(
          +[](Wait* w) ABSL_EXCLUSIVE_LOCKS_REQUIRED(w->self->mu_) {
            return w->self->done_ >= w->target &&
                   w->self->inventory_done_ >= w->inventory_target;
          },
          &wait),
      timeout);
}

Summarizer::Counters Summarizer::counters() const {
  absl::MutexLock lock(&mu_);
  return counters_;
}

void Summarizer::Run() {
  // Ingest and queries come first.
  setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)),
              options_.nice);
  while (true) {
    uint64_t target = 0;
    uint64_t inventory_target = 0;
    {
      absl::MutexLock lock(&mu_);
      while (true) {
        if (stopping_) return;
        wake_ = false;
        // When the pending work is due: after a quiet spell, or at the
        // latest max_delay after it began.
        const absl::Time due =
            std::min(first_pending_ + options_.max_delay,
                     std::max(first_pending_, last_commit_) + options_.quiet);
        if (Pending() && (urgent_ || absl::Now() >= due)) break;
        const absl::Duration wait =
            Pending() ? due - absl::Now() : absl::Seconds(60);
        mu_.AwaitWithTimeout(
            absl::Condition(
                +[](Summarizer* s) ABSL_EXCLUSIVE_LOCKS_REQUIRED(s->mu_) {
                  return s->stopping_ || s->wake_;
                },
                this),
            std::max(wait, absl::Milliseconds(1)));
      }
      target = noted_;
      inventory_target = inventory_noted_;
      urgent_ = false;
      first_pending_ = absl::InfinitePast();
    }
    const absl::Time started = absl::Now();
    std::shared_ptr<const OccupancyInventory> inventory = inventory_->Get();
    SummaryPassStats stats;
    absl::Status status =
        inventory == nullptr
            ? absl::FailedPreconditionError("no inventory snapshot")
            : SummarizePending(*session_, *inventory, &stats);
    const absl::Duration pass_duration = absl::Now() - started;
    // Give back to the system what the pass freed: glibc keeps freed heap
    // in its arenas, and passes come every max_delay under load.
    const absl::Time trim_started = absl::Now();
    if (status.ok() && stats.dates > 0) malloc_trim(0);
    const absl::Duration trim_duration = absl::Now() - trim_started;
    absl::MutexLock lock(&mu_);
    ++counters_.passes;
    counters_.last_duration = pass_duration;
    if (status.ok()) {
      counters_.last = stats;
      done_ = std::max(done_, target);
      inventory_done_ = std::max(inventory_done_, inventory_target);
      if (stats.dates > 0) {
        Log(LogLevel::kInfo, "summarized",
            {{"dates", stats.dates},
             {"readings_scanned", stats.readings_scanned},
             {"slices", stats.slices},
             {"max_slice_readings", stats.max_slice_readings},
             {"sensor_days", stats.sensor_days_written},
             {"node_days", stats.node_days_written},
             {"lattice_rebuilt", stats.lattice_rebuilt},
             {"ms", absl::ToInt64Milliseconds(counters_.last_duration)},
             {"trim_ms", absl::ToInt64Milliseconds(trim_duration)}});
      }
    } else {
      ++counters_.failures;
      Log(LogLevel::kError, "summary_failed",
          {{"error", std::string(status.message())}});
      // Try again after a while; queued commits stay pending.
      first_pending_ = absl::Now() + options_.retry - options_.max_delay;
      urgent_ = false;
      if (noted_ == done_) ++noted_;
    }
  }
}

}  // namespace monipaikka
