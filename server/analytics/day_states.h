#pragma once

// From one sensor's readings to its known states within one local day: the
// first step of every occupancy figure (docs/figures.md, "From readings to
// state"). Pure functions over plain structs.
//
// Instants are UTC milliseconds since the epoch (*_ms). Inside a day, times
// are offsets in milliseconds from the day's local midnight (a day lasts 23,
// 24 or 25 hours), so that a day's states do not depend on where the day
// sits in time.

#include <cstdint>
#include <span>
#include <vector>

#include "absl/strings/string_view.h"

namespace monipaikka {

// How a sensor kind's stored reading values are read.
enum class ReadingMeaning : uint8_t {
  // desk_presence, room_presence: 0 free, 1 occupied.
  kPresence,
  // area_count: the number of people present.
  kCount,
  // people_counter: a running count per local day that starts at 0 at
  // local midnight. A flow reading (PackFlow: people who entered and left
  // since the sensor's previous reading) moves it, clamped at 0 after each
  // reading; a plain count reading (a device that counts people itself)
  // sets it.
  kFlow,
};

// The meaning of a sensor kind's readings; unknown kinds read as presence.
ReadingMeaning MeaningOfKind(absl::string_view kind);

// Whether the kind watches a room or area (a space) rather than a desk.
bool IsRoomSensorKind(absl::string_view kind);

// A people counter's flow as stored in a reading's value: bit 62 set to
// tell it from a count, entered in bits 24-47 and exited in bits 0-23 (each
// at most 2^24 - 1; ingest allows 100000).
int64_t PackFlow(uint32_t entered, uint32_t exited);
bool IsFlowValue(int64_t value);
uint32_t FlowEntered(int64_t value);
uint32_t FlowExited(int64_t value);

// One stored reading of a sensor.
struct TimedValue {
  int64_t ts_ms = 0;
  int64_t value = 0;
};

// A span of known state within a local day: [start_ms, end_ms) as offsets
// from local midnight. `value` is 0/1 for presence, otherwise a count of
// people (for a people counter, the running count).
struct DaySpan {
  int32_t start_ms = 0;
  int32_t end_ms = 0;
  int32_t value = 0;
  friend bool operator==(const DaySpan&, const DaySpan&) = default;
};

// The known states of one sensor in [from_ms, day_end_ms), a part of the
// local day [day_start_ms, day_end_ms) (day_start_ms <= from_ms), as spans
// relative to day_start_ms: in time order, non-overlapping, adjacent spans of
// equal value merged. Time not covered is UNKNOWN.
//
// `readings` are the sensor's readings with ts_ms in
// [from_ms - stale_after_ms, day_end_ms), sorted by ts_ms with no repeated
// timestamp (as storage returns them). A reading sets the state from its
// ts_ms until the next reading, but for at most stale_after_ms.
//
// For kFlow, readings before from_ms only say whether the state is known at
// from_ms; the running count there is `count_at_from` (0 when from_ms is the
// local midnight, where the count resets; otherwise the count the day's
// earlier spans ended with, see LastValueBefore). Readings from from_ms on
// move the count, max(0, count + entered − exited), or set it to a plain
// count.
std::vector<DaySpan> SensorDaySpans(std::span<const TimedValue> readings,
                                    ReadingMeaning meaning,
                                    int64_t day_start_ms, int64_t day_end_ms,
                                    int64_t from_ms, int64_t stale_after_ms,
                                    int32_t count_at_from);

// The value of the last span that starts before `offset_ms`, or 0: the
// running count of a people counter just before offset_ms (the count goes
// on through unknown gaps; a gap does not reset it).
int32_t LastValueBefore(std::span<const DaySpan> spans, int32_t offset_ms);

// The spans of `earlier` before `cut_ms` followed by `later` (which must
// start at or after cut_ms), merged where they meet: how a day's states are
// updated when only readings from cut_ms on may have changed.
std::vector<DaySpan> SpliceDaySpans(std::span<const DaySpan> earlier,
                                    int32_t cut_ms,
                                    std::span<const DaySpan> later);

// The states of one target watched by several sensors on the same day, by
// the largest value where they overlap: a desk is occupied when any of its
// sensors says so, and known when any of them is known.
std::vector<DaySpan> CombineDaySpans(
    std::span<const std::vector<DaySpan>> sensors);

}  // namespace monipaikka
