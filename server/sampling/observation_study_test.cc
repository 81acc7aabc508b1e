#include "server/sampling/observation_study.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/time/time.h"

namespace monipaikka {
namespace {

using ::testing::HasSubstr;

TEST(ObservationStudy, StatesByName) {
  EXPECT_EQ(*ParseRoundState("occupied"), RoundState::kOccupied);
  EXPECT_EQ(*ParseRoundState(" Signs-of-Life "), RoundState::kSignsOfLife);
  EXPECT_EQ(*ParseRoundState("vacant"), RoundState::kVacant);
  EXPECT_THAT(ParseRoundState("away").status().message(),
              HasSubstr("\"away\" is not occupied, signs_of_life or vacant"));
  EXPECT_EQ(RoundStateName(RoundState::kSignsOfLife), "signs_of_life");
}

TEST(ObservationStudy, RoundTimesWithOffsetOrLocal) {
  absl::TimeZone helsinki;
  ASSERT_TRUE(absl::LoadTimeZone("Europe/Helsinki", &helsinki));
  // 2026-03-23 is UTC+2.
  const int64_t nine = 1774249200000;  // 2026-03-23T07:00:00Z
  EXPECT_EQ(*ParseRoundTime("2026-03-23T07:00:00Z", helsinki), nine);
  EXPECT_EQ(*ParseRoundTime("2026-03-23T09:00:00+02:00", helsinki), nine);
  EXPECT_EQ(*ParseRoundTime("2026-03-23T09:00", helsinki), nine);
  EXPECT_EQ(*ParseRoundTime("2026-03-23 09:00:00", helsinki), nine);
  // 03:30 on 2026-03-29 does not exist in Helsinki.
  EXPECT_THAT(ParseRoundTime("2026-03-29T03:30", helsinki).status().message(),
              HasSubstr("does not exist"));
  EXPECT_FALSE(ParseRoundTime("23.3.2026 9:00", helsinki).ok());
}

RoundObservation Obs(int32_t desk, int64_t round_ms, int32_t hour,
                     RoundState state) {
  RoundObservation o;
  o.desk = desk;
  o.round_ms = round_ms;
  o.hour = hour;
  o.state = state;
  return o;
}

TEST(ObservationStudy, MeanAndPeakRoundsAndHours) {
  // Round at 9: 4 desks, 1 occupied, 1 signs of life (50 %). Round at 10:
  // 2 desks observed, both occupied (100 %). Round at 11 (another day, same
  // hour 9 as the first): 2 desks, none (0 %).
  std::vector<RoundObservation> obs = {
      Obs(0, 9, 9, RoundState::kOccupied),
      Obs(1, 9, 9, RoundState::kSignsOfLife),
      Obs(2, 9, 9, RoundState::kVacant),
      Obs(3, 9, 9, RoundState::kVacant),
      Obs(0, 10, 10, RoundState::kOccupied),
      Obs(1, 10, 10, RoundState::kOccupied),
      Obs(0, 11, 9, RoundState::kVacant),
      Obs(1, 11, 9, RoundState::kVacant),
  };
  const StudyFigures f = SummarizeRounds(obs);
  EXPECT_EQ(f.rounds, 3);
  EXPECT_EQ(f.workstations_observed, 4);
  EXPECT_DOUBLE_EQ(f.mean_utilization, (0.5 + 1.0 + 0.0) / 3);
  EXPECT_DOUBLE_EQ(f.mean_occupied_share, (0.25 + 1.0 + 0.0) / 3);
  EXPECT_DOUBLE_EQ(f.mean_signs_of_life_share, 0.25 / 3);
  EXPECT_EQ(f.peak.round_ms, 10);
  EXPECT_DOUBLE_EQ(f.peak.shares.utilization, 1.0);
  EXPECT_EQ(f.rounds_by_hour[9], 2);
  EXPECT_EQ(f.by_hour[9].observed, 6);
  EXPECT_DOUBLE_EQ(f.by_hour[9].utilization, 2.0 / 6);
  EXPECT_DOUBLE_EQ(f.by_hour[9].signs_of_life_share, 1.0 / 6);
  EXPECT_EQ(f.by_hour[10].observed, 2);
  EXPECT_EQ(f.by_hour[8].observed, 0);
}

TEST(ObservationStudy, CalibrationAgreementAndBias) {
  std::vector<RoundObservation> obs = {
      Obs(0, 1, 9, RoundState::kOccupied),     // sensor occupied: agree
      Obs(1, 1, 9, RoundState::kSignsOfLife),  // sensor free
      Obs(2, 1, 9, RoundState::kVacant),       // sensor free: agree
      Obs(3, 1, 9, RoundState::kVacant),       // sensor occupied
      Obs(4, 1, 9, RoundState::kOccupied),     // no sensor
  };
  std::vector<SensorAtRound> sensor = {
      SensorAtRound::kOccupied, SensorAtRound::kFree, SensorAtRound::kFree,
      SensorAtRound::kOccupied, SensorAtRound::kUnknown};
  const Calibration c = Calibrate(obs, sensor);
  EXPECT_EQ(c.pairs, 4);
  EXPECT_EQ(c.counts[2][1], 1);
  EXPECT_EQ(c.counts[1][0], 1);
  EXPECT_EQ(c.counts[0][0], 1);
  EXPECT_EQ(c.counts[0][1], 1);
  EXPECT_DOUBLE_EQ(c.agreement, 0.5);
  EXPECT_DOUBLE_EQ(c.agreement_signs_as_vacant, 0.75);
  // Rounds: 2 of 4 used; sensors: 2 of 4 occupied.
  EXPECT_DOUBLE_EQ(c.bias_pp, 0.0);
  // Signs of life as vacant: rounds 1 of 4.
  EXPECT_DOUBLE_EQ(c.bias_signs_as_vacant_pp, -25.0);
}

}  // namespace
}  // namespace monipaikka
