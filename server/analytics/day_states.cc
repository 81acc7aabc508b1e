#include "server/analytics/day_states.h"

#include <algorithm>
#include <limits>

namespace monipaikka {
namespace {

constexpr int64_t kMaxInt32 = std::numeric_limits<int32_t>::max();

int32_t ClampToInt32(int64_t value) {
  return static_cast<int32_t>(std::clamp<int64_t>(value, 0, kMaxInt32));
}

// Appends [start, end) with `value`, merging with the previous span when it
// ends where this one starts and has the same value.
void Append(std::vector<DaySpan>& spans, int32_t start, int32_t end,
            int32_t value) {
  if (end <= start) return;
  if (!spans.empty() && spans.back().end_ms == start &&
      spans.back().value == value) {
    spans.back().end_ms = end;
    return;
  }
  spans.push_back({start, end, value});
}

}  // namespace

ReadingMeaning MeaningOfKind(SensorKind kind) {
  switch (kind) {
    case SensorKind::kDeskPresence:
    case SensorKind::kRoomPresence:
      return ReadingMeaning::kPresence;
    case SensorKind::kAreaCount:
      return ReadingMeaning::kCount;
    case SensorKind::kPeopleCounter:
      return ReadingMeaning::kFlow;
  }
  return ReadingMeaning::kPresence;
}

constexpr int64_t kFlowTag = int64_t{1} << 62;
constexpr uint64_t kFlowFieldMask = (uint64_t{1} << 24) - 1;

int64_t PackFlow(uint32_t entered, uint32_t exited) {
  return kFlowTag |
         static_cast<int64_t>((static_cast<uint64_t>(entered) & kFlowFieldMask)
                              << 24) |
         static_cast<int64_t>(static_cast<uint64_t>(exited) & kFlowFieldMask);
}

bool IsFlowValue(int64_t value) { return (value & kFlowTag) != 0; }

uint32_t FlowEntered(int64_t value) {
  return static_cast<uint32_t>((static_cast<uint64_t>(value) >> 24) &
                               kFlowFieldMask);
}

uint32_t FlowExited(int64_t value) {
  return static_cast<uint32_t>(static_cast<uint64_t>(value) & kFlowFieldMask);
}

std::vector<DaySpan> SensorDaySpans(std::span<const TimedValue> readings,
                                    ReadingMeaning meaning,
                                    int64_t day_start_ms, int64_t day_end_ms,
                                    int64_t from_ms, int64_t stale_after_ms,
                                    int32_t count_at_from) {
  std::vector<DaySpan> spans;
  if (stale_after_ms <= 0 || from_ms >= day_end_ms) return spans;
  int64_t count = count_at_from;
  for (size_t i = 0; i < readings.size(); ++i) {
    const TimedValue& reading = readings[i];
    if (reading.ts_ms >= day_end_ms) break;
    int64_t end =
        reading.ts_ms > std::numeric_limits<int64_t>::max() - stale_after_ms
            ? std::numeric_limits<int64_t>::max()
            : reading.ts_ms + stale_after_ms;
    if (i + 1 < readings.size()) end = std::min(end, readings[i + 1].ts_ms);
    int32_t value = 0;
    switch (meaning) {
      case ReadingMeaning::kPresence:
        value = reading.value != 0 ? 1 : 0;
        break;
      case ReadingMeaning::kCount:
        value = ClampToInt32(reading.value);
        break;
      case ReadingMeaning::kFlow:
        if (reading.ts_ms >= from_ms) {
          count =
              IsFlowValue(reading.value)
                  ? std::min<int64_t>(
                        kMaxInt32, std::max<int64_t>(
                                       0, count + FlowEntered(reading.value) -
                                              FlowExited(reading.value)))
                  : ClampToInt32(reading.value);
        }
        value = static_cast<int32_t>(count);
        break;
    }
    const int64_t start = std::max(reading.ts_ms, from_ms);
    end = std::min(end, day_end_ms);
    if (end <= start) continue;
    Append(spans, static_cast<int32_t>(start - day_start_ms),
           static_cast<int32_t>(end - day_start_ms), value);
  }
  return spans;
}

int32_t LastValueBefore(std::span<const DaySpan> spans, int32_t offset_ms) {
  int32_t value = 0;
  for (const DaySpan& span : spans) {
    if (span.start_ms >= offset_ms) break;
    value = span.value;
  }
  return value;
}

std::vector<DaySpan> SpliceDaySpans(std::span<const DaySpan> earlier,
                                    int32_t cut_ms,
                                    std::span<const DaySpan> later) {
  std::vector<DaySpan> spans;
  spans.reserve(earlier.size() + later.size());
  for (const DaySpan& span : earlier) {
    if (span.start_ms >= cut_ms) break;
    Append(spans, span.start_ms, std::min(span.end_ms, cut_ms), span.value);
  }
  for (const DaySpan& span : later) {
    Append(spans, std::max(span.start_ms, cut_ms), span.end_ms, span.value);
  }
  return spans;
}

std::vector<DaySpan> CombineDaySpans(
    std::span<const std::vector<DaySpan>> sensors) {
  if (sensors.empty()) return {};
  if (sensors.size() == 1) return sensors.front();
  std::vector<int32_t> bounds;
  for (const std::vector<DaySpan>& spans : sensors) {
    for (const DaySpan& span : spans) {
      bounds.push_back(span.start_ms);
      bounds.push_back(span.end_ms);
    }
  }
  std::sort(bounds.begin(), bounds.end());
  bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
  std::vector<size_t> cursor(sensors.size(), 0);
  std::vector<DaySpan> combined;
  for (size_t b = 0; b + 1 < bounds.size(); ++b) {
    const int32_t start = bounds[b];
    const int32_t end = bounds[b + 1];
    bool known = false;
    int32_t value = 0;
    for (size_t s = 0; s < sensors.size(); ++s) {
      const std::vector<DaySpan>& spans = sensors[s];
      size_t& i = cursor[s];
      while (i < spans.size() && spans[i].end_ms <= start) ++i;
      if (i < spans.size() && spans[i].start_ms <= start) {
        value = known ? std::max(value, spans[i].value) : spans[i].value;
        known = true;
      }
    }
    if (known) Append(combined, start, end, value);
  }
  return combined;
}

}  // namespace monipaikka
