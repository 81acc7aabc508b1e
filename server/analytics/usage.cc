#include "server/analytics/usage.h"

#include <algorithm>

namespace monipaikka {
namespace {

double Ratio(double numerator, double denominator) {
  return denominator > 0 ? numerator / denominator : 0.0;
}

}  // namespace

int32_t NearestRank(std::vector<int32_t> values, int percent) {
  if (values.empty()) return 0;
  const int64_t n = static_cast<int64_t>(values.size());
  const int64_t p = std::clamp(percent, 1, 100);
  // ceil(p · n / 100) in exact integer arithmetic; at least 1.
  const int64_t rank = std::clamp<int64_t>((p * n + 99) / 100, 1, n);
  auto nth = values.begin() + (rank - 1);
  std::nth_element(values.begin(), nth, values.end());
  return *nth;
}

UsageNumbers AggregateUsage(std::span<const UsageDay> days,
                            int32_t workstations, int32_t rooms, int hour) {
  UsageNumbers numbers;
  numbers.workstations_measured = workstations;
  numbers.rooms_measured = hour < 0 ? rooms : 0;
  int64_t desk_measured = 0;
  int64_t room_measured = 0;
  int64_t seat_occupied = 0;
  int64_t seat_count = 0;
  int64_t seat_capacity = 0;
  int64_t peak_sum = 0;
  for (const UsageDay& day : days) {
    const int64_t measured =
        hour < 0 ? day.desk_measured_ms : day.desk_measured_by_hour[hour];
    if (hour < 0 ? day.measured : day.measured_hours[hour]) {
      numbers.measured = true;
    }
    desk_measured += measured;
    if (hour < 0) room_measured += day.room_measured_ms;
    if (day.desks != nullptr) {
      if (hour < 0) {
        numbers.observed_ms += day.desks->observed_ms;
        numbers.occupied_ms += day.desks->occupied_ms;
        numbers.desk_days_observed += day.desks->observed_members;
        numbers.desk_days_used += day.desks->used_members;
        if (day.desks->observed_members > 0) {
          numbers.daily_peaks.push_back(day.desks->peak);
        }
      } else {
        const HourFigures& h = day.desks->hours[hour];
        numbers.observed_ms += h.observed_ms;
        numbers.occupied_ms += h.occupied_ms;
        if (h.observed_ms > 0) numbers.daily_peaks.push_back(h.peak);
      }
    }
    if (hour < 0 && day.rooms != nullptr) {
      numbers.room_observed_ms += day.rooms->observed_ms;
      numbers.room_occupied_ms += day.rooms->occupied_ms;
      seat_occupied += day.rooms->seat_occupied_ms;
      seat_count += day.rooms->seat_count_ms;
      seat_capacity += day.rooms->seat_capacity_ms;
    }
  }
  numbers.unknown_ms =
      std::max<int64_t>(0, desk_measured - numbers.observed_ms);
  numbers.unknown_share = Ratio(static_cast<double>(numbers.unknown_ms),
                                static_cast<double>(desk_measured));
  numbers.time_utilization = Ratio(static_cast<double>(numbers.occupied_ms),
                                   static_cast<double>(numbers.observed_ms));
  numbers.days_counted = static_cast<int32_t>(numbers.daily_peaks.size());
  for (int32_t peak : numbers.daily_peaks) {
    peak_sum += peak;
    numbers.peak_occupancy_max = std::max(numbers.peak_occupancy_max, peak);
  }
  numbers.peak_occupancy_mean =
      Ratio(static_cast<double>(peak_sum), numbers.days_counted);
  numbers.peak_occupancy_p95 = NearestRank(numbers.daily_peaks, 95);
  numbers.peak_utilization_mean =
      Ratio(numbers.peak_occupancy_mean, workstations);
  numbers.peak_utilization_max =
      Ratio(numbers.peak_occupancy_max, workstations);
  numbers.peak_utilization_p95 =
      Ratio(numbers.peak_occupancy_p95, workstations);
  numbers.desk_day_usage =
      Ratio(static_cast<double>(numbers.desk_days_used),
            static_cast<double>(numbers.desk_days_observed));
  if (hour < 0) {
    numbers.room_unknown_ms =
        std::max<int64_t>(0, room_measured - numbers.room_observed_ms);
    numbers.room_time_utilization =
        Ratio(static_cast<double>(numbers.room_occupied_ms),
              static_cast<double>(numbers.room_observed_ms));
    numbers.room_mean_count_while_occupied = Ratio(
        static_cast<double>(seat_count), static_cast<double>(seat_occupied));
    numbers.room_seat_utilization = Ratio(static_cast<double>(seat_count),
                                          static_cast<double>(seat_capacity));
  }
  return numbers;
}

}  // namespace monipaikka
