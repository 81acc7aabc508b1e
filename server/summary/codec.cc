#include "server/summary/codec.h"

#include <limits>

#include "absl/strings/str_cat.h"
#include "common/varint.h"

namespace monipaikka {
namespace {

// Version byte of EncodeNodeDay's form.
constexpr uint8_t kNodeDayVersion = 1;

absl::Status Corrupt(absl::string_view what) {
  return absl::DataLossError(
      absl::StrCat("stored ", what, " is corrupt; rebuild the summaries"));
}

void PutDesks(std::string& out, const DeskDayFigures& d) {
  PutVarint(out, static_cast<uint64_t>(d.observed_ms));
  PutVarint(out, static_cast<uint64_t>(d.occupied_ms));
  PutVarint(out, static_cast<uint64_t>(d.peak));
  PutVarint(out, static_cast<uint64_t>(d.observed_members));
  PutVarint(out, static_cast<uint64_t>(d.used_members));
  uint32_t present = 0;
  for (int h = 0; h < 24; ++h) {
    if (d.hours[h] != HourFigures{}) present |= 1u << h;
  }
  PutVarint(out, present);
  for (int h = 0; h < 24; ++h) {
    if ((present & (1u << h)) == 0) continue;
    PutVarint(out, static_cast<uint64_t>(d.hours[h].observed_ms));
    PutVarint(out, static_cast<uint64_t>(d.hours[h].occupied_ms));
    PutVarint(out, static_cast<uint64_t>(d.hours[h].peak));
  }
}

bool GetDesks(VarintReader& in, DeskDayFigures& d) {
  constexpr uint64_t kMaxMs = std::numeric_limits<int64_t>::max();
  uint32_t present = 0;
  if (!in.Bounded(&d.observed_ms, kMaxMs) ||
      !in.Bounded(&d.occupied_ms, kMaxMs) || !in.Bounded(&d.peak) ||
      !in.Bounded(&d.observed_members) || !in.Bounded(&d.used_members) ||
      !in.Bounded(&present, (1u << 24) - 1)) {
    return false;
  }
  for (int h = 0; h < 24; ++h) {
    if ((present & (1u << h)) == 0) continue;
    if (!in.Bounded(&d.hours[h].observed_ms, kMaxMs) ||
        !in.Bounded(&d.hours[h].occupied_ms, kMaxMs) ||
        !in.Bounded(&d.hours[h].peak)) {
      return false;
    }
  }
  return true;
}

void PutRooms(std::string& out, const RoomDayFigures& r) {
  PutVarint(out, static_cast<uint64_t>(r.observed_rooms));
  PutVarint(out, static_cast<uint64_t>(r.observed_ms));
  PutVarint(out, static_cast<uint64_t>(r.occupied_ms));
  PutVarint(out, static_cast<uint64_t>(r.seat_occupied_ms));
  PutVarint(out, static_cast<uint64_t>(r.seat_count_ms));
  PutVarint(out, static_cast<uint64_t>(r.seat_capacity_ms));
}

bool GetRooms(VarintReader& in, RoomDayFigures& r) {
  constexpr uint64_t kMax = std::numeric_limits<int64_t>::max();
  return in.Bounded(&r.observed_rooms) && in.Bounded(&r.observed_ms, kMax) &&
         in.Bounded(&r.occupied_ms, kMax) &&
         in.Bounded(&r.seat_occupied_ms, kMax) &&
         in.Bounded(&r.seat_count_ms, kMax) &&
         in.Bounded(&r.seat_capacity_ms, kMax);
}

}  // namespace

std::string EncodeDaySpans(const std::vector<DaySpan>& spans) {
  std::string out;
  out.reserve(spans.size() * 6 + 2);
  PutVarint(out, spans.size());
  int32_t previous_end = 0;
  for (const DaySpan& span : spans) {
    PutVarint(out, static_cast<uint64_t>(span.start_ms - previous_end));
    PutVarint(out, static_cast<uint64_t>(span.end_ms - span.start_ms));
    PutVarint(out, static_cast<uint64_t>(span.value));
    previous_end = span.end_ms;
  }
  return out;
}

absl::StatusOr<std::vector<DaySpan>> DecodeDaySpans(absl::string_view bytes) {
  VarintReader in(bytes);
  uint64_t count = 0;
  if (!in.Varint(&count) || count > bytes.size()) return Corrupt("day spans");
  std::vector<DaySpan> spans(static_cast<size_t>(count));
  int64_t previous_end = 0;
  constexpr uint64_t kMaxOffset = 100'000'000;  // > 25 h in ms
  for (DaySpan& span : spans) {
    uint64_t gap = 0;
    uint64_t length = 0;
    uint64_t value = 0;
    if (!in.Bounded(&gap, kMaxOffset) || !in.Bounded(&length, kMaxOffset) ||
        !in.Bounded(&value, std::numeric_limits<int32_t>::max())) {
      return Corrupt("day spans");
    }
    const int64_t start = previous_end + static_cast<int64_t>(gap);
    const int64_t end = start + static_cast<int64_t>(length);
    if (end > static_cast<int64_t>(kMaxOffset)) return Corrupt("day spans");
    span = {static_cast<int32_t>(start), static_cast<int32_t>(end),
            static_cast<int32_t>(value)};
    previous_end = end;
  }
  if (!in.done()) return Corrupt("day spans");
  return spans;
}

std::string EncodeNodeDay(const NodeDayFigures& figures) {
  std::string out;
  out.push_back(static_cast<char>(kNodeDayVersion));
  for (int mode = 0; mode < 2; ++mode) {
    PutDesks(out, figures.desks[mode]);
    PutRooms(out, figures.rooms[mode]);
  }
  // The minute series as runs: (value, length) pairs.
  PutVarint(out, figures.minute_peaks.size());
  for (size_t m = 0; m < figures.minute_peaks.size();) {
    size_t end = m + 1;
    while (end < figures.minute_peaks.size() &&
           figures.minute_peaks[end] == figures.minute_peaks[m]) {
      ++end;
    }
    PutVarint(out, figures.minute_peaks[m]);
    PutVarint(out, end - m);
    m = end;
  }
  return out;
}

absl::StatusOr<NodeDayFigures> DecodeNodeDay(absl::string_view bytes) {
  VarintReader in(bytes);
  NodeDayFigures figures;
  uint8_t version = 0;
  if (!in.Byte(&version) || version != kNodeDayVersion) {
    return Corrupt("node figures");
  }
  for (int mode = 0; mode < 2; ++mode) {
    if (!GetDesks(in, figures.desks[mode]) ||
        !GetRooms(in, figures.rooms[mode])) {
      return Corrupt("node figures");
    }
  }
  uint64_t minutes = 0;
  if (!in.Bounded(&minutes, 1500)) return Corrupt("node figures");
  figures.minute_peaks.reserve(static_cast<size_t>(minutes));
  while (figures.minute_peaks.size() < minutes) {
    uint16_t value = 0;
    uint64_t run = 0;
    if (!in.Bounded(&value) ||
        !in.Bounded(&run, minutes - figures.minute_peaks.size()) || run == 0) {
      return Corrupt("node figures");
    }
    figures.minute_peaks.insert(figures.minute_peaks.end(),
                                static_cast<size_t>(run), value);
  }
  if (!in.done()) return Corrupt("node figures");
  return figures;
}

}  // namespace monipaikka
