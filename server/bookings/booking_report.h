#pragma once

// BookingService.GetBookingReport: bookings against the sensors' known
// states for a scope over a window, in total and grouped by site, floor,
// room, organization, weekday or hour, with the right-sizing of rooms by
// the people present (docs/bookings.md). Adds up the stored site-days of
// its window (booking_days.h) and computes the missing or out-of-date ones
// from the bookings and the summarizer's sensor days, and stores them (for
// the default thresholds); the figures are booking_figures.h's.

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "monipaikka/v1/bookings.pb.h"
#include "server/reports/occupancy_source.h"

namespace monipaikka {

// INVALID_ARGUMENT for bad dates, windows, groupings or thresholds;
// NOT_FOUND for unknown sites, spaces or organizations.
absl::StatusOr<v1::BookingReport> BuildBookingReport(
    const ReportContext& context, const v1::BookingReportRequest& request);

// What the site-days of an import's window need before a first report can
// read them: computes and stores the figures of site `site_code` (core
// hours, default thresholds: the dashboard's first question) on the site's
// local dates of [from_ms, to_ms) up to today, at most the last
// max_window_days of them. The number of dates covered (0: none up to
// today); NOT_FOUND for an unknown site.
absl::StatusOr<int32_t> PrepareBookingDays(const ReportContext& context,
                                           const std::string& site_code,
                                           int64_t from_ms, int64_t to_ms);

}  // namespace monipaikka
