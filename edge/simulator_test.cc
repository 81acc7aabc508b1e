#include "edge/simulator.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/calendar.h"
#include "common/time_format.h"
#include "gtest/gtest.h"

namespace monipaikka::edge {
namespace {

constexpr int64_t kMinuteMs = 60 * 1000;
constexpr int64_t kHeartbeatMs = 15 * kMinuteMs;

absl::TimeZone Helsinki() { return *LoadZone("Europe/Helsinki"); }

int64_t Midnight(absl::CivilDay day, const absl::TimeZone& zone = Helsinki()) {
  return LocalToMs(absl::CivilSecond(day), zone);
}

std::vector<SimulatedDesk> Desks(int count,
                                 const std::string& zone = "Europe/Helsinki") {
  std::vector<SimulatedDesk> desks;
  for (int i = 0; i < count; ++i) {
    desks.push_back(
        {absl::StrCat("70B3D5E75E00", absl::Hex(i, absl::kZeroPad4)), zone,
         std::nullopt, std::nullopt});
  }
  return desks;
}

Simulator MakeSimulator(int desks, uint64_t seed = 42) {
  absl::StatusOr<Simulator> simulator = Simulator::Create(Desks(desks), seed);
  EXPECT_TRUE(simulator.ok()) << simulator.status();
  return *std::move(simulator);
}

absl::CivilDay LocalDay(int64_t ts_ms) {
  return absl::CivilDay(Helsinki().At(FromMs(ts_ms)).cs);
}

absl::CivilSecond LocalTime(int64_t ts_ms) {
  return Helsinki().At(FromMs(ts_ms)).cs;
}

TEST(SimulatorTest, SameSeedGivesSameReadingsOtherSeedOthers) {
  const int64_t from = Midnight(absl::CivilDay(2025, 3, 3));
  const int64_t to = Midnight(absl::CivilDay(2025, 3, 8));
  std::vector<Reading> a = MakeSimulator(40, 7).ReadingsBetween(from, to);
  std::vector<Reading> b = MakeSimulator(40, 7).ReadingsBetween(from, to);
  std::vector<Reading> c = MakeSimulator(40, 8).ReadingsBetween(from, to);
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST(SimulatorTest, BackfillEqualsConcatenatedLivePolls) {
  Simulator simulator = MakeSimulator(25);
  const int64_t from = Midnight(absl::CivilDay(2025, 3, 27));
  const int64_t to = Midnight(absl::CivilDay(2025, 4, 1));  // across DST
  std::vector<Reading> backfill = simulator.ReadingsBetween(from, to);

  // Live polls of irregular length, as a timer with jitter would make them.
  std::vector<Reading> live;
  const int64_t steps[] = {5000, 4999, 1, 61000, 3600000, 900000, 7, 86400000};
  int64_t last = from;
  for (int i = 0; last < to; ++i) {
    int64_t now = std::min(to, last + steps[i % std::size(steps)]);
    std::vector<Reading> polled = simulator.ReadingsBetween(last, now);
    live.insert(live.end(), polled.begin(), polled.end());
    last = now;
  }
  ASSERT_GT(backfill.size(), 25u * 5 * 90);
  EXPECT_EQ(backfill, live);
}

TEST(SimulatorTest, OutputIsSortedByTimeThenSensorWithoutDuplicates) {
  std::vector<Reading> readings =
      MakeSimulator(60).ReadingsBetween(Midnight(absl::CivilDay(2025, 3, 4)),
                                        Midnight(absl::CivilDay(2025, 3, 6)));
  ASSERT_FALSE(readings.empty());
  for (size_t i = 1; i < readings.size(); ++i) {
    const Reading& a = readings[i - 1];
    const Reading& b = readings[i];
    ASSERT_TRUE(a.ts_ms < b.ts_ms ||
                (a.ts_ms == b.ts_ms && a.sensor < b.sensor))
        << "reading " << i << " out of order";
  }
}

TEST(SimulatorTest, WindowIsHalfOpen) {
  Simulator simulator = MakeSimulator(10);
  const int64_t from = Midnight(absl::CivilDay(2025, 3, 5)) + 9 * 3600 * 1000;
  std::vector<Reading> hour = simulator.ReadingsBetween(from, from + 3600000);
  ASSERT_FALSE(hour.empty());
  for (const Reading& r : hour) {
    EXPECT_GE(r.ts_ms, from);
    EXPECT_LT(r.ts_ms, from + 3600000);
  }
  EXPECT_TRUE(simulator.ReadingsBetween(from, from).empty());
  EXPECT_TRUE(simulator.ReadingsBetween(from + 1, from).empty());
}

TEST(SimulatorTest, HeartbeatEveryFifteenMinutesAllDay) {
  Simulator simulator = MakeSimulator(30);
  // A Sunday: nobody comes, so every reading is a heartbeat.
  const absl::CivilDay sunday(2025, 3, 9);
  std::vector<Reading> readings =
      simulator.ReadingsBetween(Midnight(sunday), Midnight(sunday + 1));
  std::map<std::string, std::vector<int64_t>> by_sensor;
  for (const Reading& r : readings) by_sensor[r.sensor].push_back(r.ts_ms);
  ASSERT_EQ(by_sensor.size(), 30u);
  std::set<int64_t> offsets;
  for (const auto& [sensor, times] : by_sensor) {
    EXPECT_EQ(times.size(), 96u) << sensor;
    for (size_t i = 1; i < times.size(); ++i) {
      EXPECT_EQ(times[i] - times[i - 1], kHeartbeatMs) << sensor;
    }
    offsets.insert(times.front() % kHeartbeatMs);
  }
  // The grid is offset per sensor, so heartbeats do not all come at once.
  EXPECT_GT(offsets.size(), 20u);

  // On a working day no sensor is silent for longer than a heartbeat.
  const absl::CivilDay wednesday(2025, 3, 12);
  readings =
      simulator.ReadingsBetween(Midnight(wednesday), Midnight(wednesday + 1));
  by_sensor.clear();
  for (const Reading& r : readings) by_sensor[r.sensor].push_back(r.ts_ms);
  for (const auto& [sensor, times] : by_sensor) {
    EXPECT_GE(times.size(), 96u);
    for (size_t i = 1; i < times.size(); ++i) {
      EXPECT_LE(times[i] - times[i - 1], kHeartbeatMs) << sensor;
    }
  }
}

TEST(SimulatorTest, DaylightSavingDaysHaveTheirRealLength) {
  Simulator simulator = MakeSimulator(5);
  // Finland moves clocks forward on 2025-03-30 (23 h) and back on
  // 2025-10-26 (25 h); both Sundays, so only heartbeats.
  for (auto [day, beats] : {std::pair{absl::CivilDay(2025, 3, 30), 92u},
                            std::pair{absl::CivilDay(2025, 10, 26), 100u}}) {
    std::vector<Reading> readings =
        simulator.ReadingsBetween(Midnight(day), Midnight(day + 1));
    EXPECT_EQ(readings.size(), 5 * beats) << day;
  }
}

TEST(SimulatorTest, NobodyComesOnWeekendsOrPublicHolidays) {
  Simulator simulator = MakeSimulator(200);
  // Christmas week 2025: Sat 20, Sun 21, then Mon 22, Tue 23 working days,
  // Wed 24 – Fri 26 public holidays, Sat 27, Sun 28.
  std::vector<Reading> readings =
      simulator.ReadingsBetween(Midnight(absl::CivilDay(2025, 12, 20)),
                                Midnight(absl::CivilDay(2025, 12, 29)));
  std::map<absl::CivilDay, int> occupied_by_day;
  for (const Reading& r : readings) {
    if (r.occupied) ++occupied_by_day[LocalDay(r.ts_ms)];
  }
  for (absl::CivilDay day = absl::CivilDay(2025, 12, 20);
       day <= absl::CivilDay(2025, 12, 28); ++day) {
    bool workday = IsoWeekday(day) <= 5 && !IsFinnishPublicHoliday(day);
    if (workday) {
      EXPECT_GT(occupied_by_day[day], 0) << day;
    } else {
      EXPECT_EQ(occupied_by_day[day], 0) << day;
    }
  }
  // Easter 2025: Good Friday 18 April and Easter Monday 21 April.
  for (absl::CivilDay day :
       {absl::CivilDay(2025, 4, 18), absl::CivilDay(2025, 4, 21)}) {
    for (const Reading& r :
         simulator.ReadingsBetween(Midnight(day), Midnight(day + 1))) {
      ASSERT_FALSE(r.occupied) << day;
    }
  }
}

TEST(SimulatorTest, MondaysAndFridaysAreQuieterThanMidweek) {
  Simulator simulator = MakeSimulator(300);
  std::map<int, int> used;   // ISO weekday -> desk-days with any occupancy
  std::map<int, int> total;  // ISO weekday -> desk-days
  for (absl::CivilDay day(2025, 9, 1); day < absl::CivilDay(2025, 10, 27);
       ++day) {
    int weekday = IsoWeekday(day);
    if (weekday > 5) continue;
    for (int i = 0; i < 300; ++i) {
      std::string sensor =
          absl::StrCat("70B3D5E75E00", absl::Hex(i, absl::kZeroPad4));
      ++total[weekday];
      if (!simulator.PlanOf(sensor, day).empty()) ++used[weekday];
    }
  }
  auto share = [&](std::initializer_list<int> days) {
    double u = 0, t = 0;
    for (int d : days) {
      u += used[d];
      t += total[d];
    }
    return u / t;
  };
  const double quiet = share({1, 5});
  const double midweek = share({2, 3, 4});
  EXPECT_NEAR(quiet, 0.35, 0.04);
  EXPECT_NEAR(midweek, 0.6, 0.05);
  EXPECT_LT(quiet + 0.15, midweek);
}

TEST(SimulatorTest, OfficeDaysHaveArrivalLunchMeetingsAndDeparture) {
  Simulator simulator = MakeSimulator(100);
  int days_checked = 0;
  int with_meetings = 0;
  for (absl::CivilDay day(2025, 3, 3); day <= absl::CivilDay(2025, 3, 7);
       ++day) {
    for (int i = 0; i < 100; ++i) {
      std::string sensor =
          absl::StrCat("70B3D5E75E00", absl::Hex(i, absl::kZeroPad4));
      std::vector<OccupiedSpan> spans = simulator.PlanOf(sensor, day);
      if (spans.empty()) continue;
      ++days_checked;
      absl::CivilSecond arrival = LocalTime(spans.front().start_ms);
      absl::CivilSecond departure = LocalTime(spans.back().end_ms);
      EXPECT_GE(arrival,
                absl::CivilSecond(day.year(), day.month(), day.day(), 7, 30));
      EXPECT_LE(arrival,
                absl::CivilSecond(day.year(), day.month(), day.day(), 9, 30));
      EXPECT_GE(departure,
                absl::CivilSecond(day.year(), day.month(), day.day(), 15, 0));
      EXPECT_LE(departure,
                absl::CivilSecond(day.year(), day.month(), day.day(), 17, 0));
      // Away stretches: lunch (30–45 min inside 11:00–12:30) plus 0–2
      // meetings of 30–90 min.
      ASSERT_GE(spans.size(), 2u);
      ASSERT_LE(spans.size(), 4u);
      bool lunch = false;
      for (size_t s = 1; s < spans.size(); ++s) {
        ASSERT_LT(spans[s - 1].end_ms, spans[s].start_ms);
        int64_t gap = spans[s].start_ms - spans[s - 1].end_ms;
        EXPECT_GE(gap, 30 * kMinuteMs);
        EXPECT_LE(gap, 90 * kMinuteMs);
        absl::CivilSecond out = LocalTime(spans[s - 1].end_ms);
        absl::CivilSecond back = LocalTime(spans[s].start_ms);
        if (gap <= 45 * kMinuteMs &&
            out >=
                absl::CivilSecond(day.year(), day.month(), day.day(), 11, 0) &&
            back <=
                absl::CivilSecond(day.year(), day.month(), day.day(), 12, 30)) {
          lunch = true;
        }
      }
      EXPECT_TRUE(lunch) << sensor << " " << day;
      if (spans.size() > 2) ++with_meetings;
    }
  }
  EXPECT_GT(days_checked, 150);
  EXPECT_GT(with_meetings, days_checked / 3);
}

TEST(SimulatorTest, HeartbeatsRepeatTheCurrentState) {
  Simulator simulator = MakeSimulator(50);
  const absl::CivilDay day(2025, 3, 5);
  std::vector<Reading> readings =
      simulator.ReadingsBetween(Midnight(day), Midnight(day + 1));
  std::map<std::string, std::vector<OccupiedSpan>> plans;
  int occupied = 0;
  for (const Reading& r : readings) {
    auto it = plans.find(r.sensor);
    if (it == plans.end())
      it = plans.emplace(r.sensor, simulator.PlanOf(r.sensor, day)).first;
    bool expected = false;
    for (const OccupiedSpan& span : it->second) {
      if (span.start_ms <= r.ts_ms && r.ts_ms < span.end_ms) expected = true;
    }
    ASSERT_EQ(r.occupied, expected)
        << r.sensor << " at " << FormatInstantMs(r.ts_ms);
    occupied += r.occupied;
  }
  EXPECT_GT(occupied, 0);
}

TEST(SimulatorTest, TimeZoneShiftsTheOfficeDay) {
  std::vector<SimulatedDesk> desks = {{"A", "Europe/Helsinki", {}, {}},
                                      {"B", "America/New_York", {}, {}}};
  absl::StatusOr<Simulator> simulator = Simulator::Create(desks, 3);
  ASSERT_TRUE(simulator.ok());
  absl::TimeZone new_york = *LoadZone("America/New_York");
  int office_days = 0;
  for (absl::CivilDay day(2025, 3, 3); day < absl::CivilDay(2025, 3, 31);
       ++day) {
    std::vector<OccupiedSpan> spans = simulator->PlanOf("B", day);
    if (spans.empty()) continue;
    ++office_days;
    absl::CivilSecond arrival = new_york.At(FromMs(spans.front().start_ms)).cs;
    EXPECT_EQ(absl::CivilDay(arrival), day);
    EXPECT_GE(arrival.hour(), 7);
    EXPECT_LE(arrival.hour(), 9);
  }
  EXPECT_GT(office_days, 0);
}

TEST(SimulatorTest, NoReadingsOutsideTheBoundDays) {
  std::vector<SimulatedDesk> desks = {{"A", "Europe/Helsinki",
                                       absl::CivilDay(2025, 3, 4),
                                       absl::CivilDay(2025, 3, 6)}};
  absl::StatusOr<Simulator> simulator = Simulator::Create(desks, 3);
  ASSERT_TRUE(simulator.ok());
  std::vector<Reading> readings =
      simulator->ReadingsBetween(Midnight(absl::CivilDay(2025, 3, 1)),
                                 Midnight(absl::CivilDay(2025, 3, 10)));
  ASSERT_FALSE(readings.empty());
  // Two days of heartbeats plus the state changes (a change at a heartbeat's
  // instant replaces it).
  const size_t changes =
      2 * (simulator->PlanOf("A", absl::CivilDay(2025, 3, 4)).size() +
           simulator->PlanOf("A", absl::CivilDay(2025, 3, 5)).size());
  EXPECT_GE(readings.size(), 2 * 96u);
  EXPECT_LE(readings.size(), 2 * 96u + changes);
  for (const Reading& r : readings) {
    EXPECT_GE(LocalDay(r.ts_ms), absl::CivilDay(2025, 3, 4));
    EXPECT_LT(LocalDay(r.ts_ms), absl::CivilDay(2025, 3, 6));
  }
}

TEST(SimulatorTest, RejectsBadDesks) {
  absl::StatusOr<Simulator> bad_zone =
      Simulator::Create({{"A", "Europe/Atlantis", {}, {}}}, 1);
  ASSERT_FALSE(bad_zone.ok());
  EXPECT_NE(bad_zone.status().message().find("Europe/Atlantis"),
            std::string::npos);
  EXPECT_NE(bad_zone.status().message().find("sensor A"), std::string::npos);

  EXPECT_FALSE(Simulator::Create({{"A", "Europe/Helsinki", {}, {}},
                                  {"A", "Europe/Helsinki", {}, {}}},
                                 1)
                   .ok());
  EXPECT_FALSE(Simulator::Create({{"", "Europe/Helsinki", {}, {}}}, 1).ok());
}

TEST(SimulatorTest, FourWeeksForThreeHundredDesksHaveHeartbeatsAndChanges) {
  // Speed is measured by bench/ programs, not here.
  Simulator simulator = MakeSimulator(300);
  std::vector<Reading> readings =
      simulator.ReadingsBetween(Midnight(absl::CivilDay(2025, 3, 3)),
                                Midnight(absl::CivilDay(2025, 3, 31)));
  // 300 desks × 28 days × (96 heartbeats + a few state changes).
  EXPECT_GT(readings.size(), 300u * 28 * 96);
  EXPECT_LT(readings.size(), 300u * 28 * 106);
}

}  // namespace
}  // namespace monipaikka::edge
