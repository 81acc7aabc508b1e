#include "server/analytics/right_sizing.h"

#include <algorithm>

#include "server/analytics/usage.h"

namespace monipaikka {

int32_t NeededWorkstations(int32_t peak_p95, int32_t buffer_pct) {
  const int64_t scaled = int64_t{peak_p95} * (100 + buffer_pct);
  return static_cast<int32_t>((scaled + 99) / 100);
}

RightSizingFigures RightSize(const RightSizingInput& input) {
  RightSizingFigures figures;
  figures.needed = NeededWorkstations(input.peak_p95, input.buffer_pct);
  figures.surplus = input.workstations - figures.needed;
  if (input.workstations > 0) {
    figures.area_per_workstation_m2 = input.office_area_m2 / input.workstations;
  }
  figures.releasable_area_m2 =
      std::max(0, figures.surplus) * figures.area_per_workstation_m2;
  figures.releasable_rent_eur =
      figures.releasable_area_m2 * input.rent_per_m2_eur;
  return figures;
}

ConsolidationFigures Consolidate(std::span<const ConsolidationDayInput> days,
                                 size_t group_count, int32_t capacity,
                                 int32_t buffer_pct) {
  ConsolidationFigures figures;
  std::vector<int32_t> combined_peaks;
  std::vector<std::vector<int32_t>> group_peaks(group_count);
  std::vector<int32_t> sum;
  int64_t peak_total = 0;
  for (const ConsolidationDayInput& day : days) {
    if (day.core_end_minute <= day.core_first_minute) continue;
    bool observed = false;
    for (const std::vector<uint16_t>* series : day.groups) {
      if (series != nullptr) observed = true;
    }
    if (!observed) continue;
    ConsolidationDayFigures out;
    out.date = day.date;
    out.peak_minute = day.core_first_minute;
    const int32_t minutes = day.core_end_minute - day.core_first_minute;
    sum.assign(static_cast<size_t>(minutes), 0);
    for (size_t g = 0; g < group_count; ++g) {
      const std::vector<uint16_t>* series =
          g < day.groups.size() ? day.groups[g] : nullptr;
      int32_t own = 0;
      if (series != nullptr) {
        for (int32_t m = 0; m < minutes; ++m) {
          const size_t at = static_cast<size_t>(day.core_first_minute + m);
          if (at >= series->size()) break;
          sum[m] += (*series)[at];
          own = std::max<int32_t>(own, (*series)[at]);
        }
      }
      out.group_peaks.push_back(own);
      group_peaks[g].push_back(own);
    }
    for (int32_t m = 0; m < minutes; ++m) {
      if (sum[m] > out.combined_peak) {
        out.combined_peak = sum[m];
        out.peak_minute = day.core_first_minute + m;
      }
    }
    combined_peaks.push_back(out.combined_peak);
    peak_total += out.combined_peak;
    figures.days.push_back(std::move(out));
  }
  if (!combined_peaks.empty()) {
    figures.combined_peak_mean =
        static_cast<double>(peak_total) / combined_peaks.size();
    figures.combined_peak_max =
        *std::max_element(combined_peaks.begin(), combined_peaks.end());
  }
  figures.combined_peak_p95 = NearestRank(combined_peaks, 95);
  for (size_t g = 0; g < group_count; ++g) {
    figures.group_peak_p95.push_back(NearestRank(group_peaks[g], 95));
    figures.group_peak_max.push_back(
        group_peaks[g].empty()
            ? 0
            : *std::max_element(group_peaks[g].begin(), group_peaks[g].end()));
    figures.sum_of_group_p95 += figures.group_peak_p95.back();
  }
  figures.needed = NeededWorkstations(figures.combined_peak_p95, buffer_pct);
  figures.fits = figures.needed <= capacity;
  figures.headroom = capacity - figures.needed;
  figures.fits_at_max = figures.combined_peak_max <= capacity;
  figures.headroom_at_max = capacity - figures.combined_peak_max;
  return figures;
}

}  // namespace monipaikka
