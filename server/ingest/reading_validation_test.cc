#include "server/ingest/reading_validation.h"

#include <gtest/gtest.h>

#include "common/vocabulary.h"

namespace monipaikka {
namespace {

constexpr int64_t kNow = 1774250100000;  // 2026-03-23T07:15:00Z

class ReadingValidationTest : public ::testing::Test {
 protected:
  ReadingValidationTest()
      : directory_({{1, "DESK-1", SensorKind::kDeskPresence, "gw-a"},
                    {2, "DESK-2", SensorKind::kDeskPresence, "gw-b"},
                    {3, "COUNTER-1", SensorKind::kPeopleCounter, "gw-a"}}) {}

  v1::Reading* Add(const std::string& sensor, int64_t ts_ms) {
    v1::Reading* reading = batch_.add_readings();
    reading->set_sensor(sensor);
    reading->set_ts_ms(ts_ms);
    return reading;
  }

  SensorDirectory directory_;
  v1::ReadingBatch batch_;
  ValidationLimits limits_;
};

TEST_F(ReadingValidationTest, KeepsGoodReadingsBesideBadOnes) {
  batch_.set_gateway("gw-a");
  Add("DESK-1", kNow - 1000)->set_occupied(true);             // 0 good
  Add("NOPE", kNow)->set_occupied(true);                      // 1 unknown
  Add("DESK-1", kNow + 10 * 60 * 1000)->set_occupied(false);  // 2 future
  Add("DESK-1", kNow - limits_.retention_ms - 1)->set_occupied(true);  // 3 old
  Add("DESK-2", kNow)->set_occupied(true);                   // 4 gateway
  Add("DESK-1", kNow);                                       // 5 no state
  Add("COUNTER-1", kNow)->set_count(-1);                     // 6 range
  Add("COUNTER-1", kNow)->set_occupied(true);                // 7 wrong kind
  Add("", kNow)->set_occupied(true);                         // 8 no sensor
  Add("COUNTER-1", kNow - 5)->set_count(12);                 // 9 good
  Add("DESK-1", kNow + 4 * 60 * 1000)->set_occupied(false);  // 10 good (skew)

  ValidatedBatch result = ValidateBatch(batch_, directory_, kNow, limits_);

  ASSERT_EQ(result.readings.size(), 3u);
  EXPECT_EQ(result.readings[0], (StoredReading{1, kNow - 1000, 0, 1}));
  EXPECT_EQ(result.readings[1], (StoredReading{3, kNow - 5, 0, 12}));
  EXPECT_EQ(result.indexes, (std::vector<uint32_t>{0, 9, 10}));

  std::vector<std::pair<uint32_t, v1::RejectReason>> rejected;
  for (const auto& r : result.rejected)
    rejected.emplace_back(r.index(), r.reason());
  EXPECT_EQ(rejected, (std::vector<std::pair<uint32_t, v1::RejectReason>>{
                          {1, v1::REJECT_REASON_UNKNOWN_SENSOR},
                          {2, v1::REJECT_REASON_FUTURE_TIMESTAMP},
                          {3, v1::REJECT_REASON_TOO_OLD},
                          {4, v1::REJECT_REASON_WRONG_GATEWAY},
                          {5, v1::REJECT_REASON_MALFORMED},
                          {6, v1::REJECT_REASON_MALFORMED},
                          {7, v1::REJECT_REASON_MALFORMED},
                          {8, v1::REJECT_REASON_MALFORMED}}));
  // Messages name the field.
  EXPECT_EQ(result.rejected[1].message().rfind("ts_ms:", 0), 0u);
  EXPECT_EQ(result.rejected[4].message().rfind("state:", 0), 0u);
  EXPECT_EQ(result.rejected[5].message().rfind("count:", 0), 0u);
}

TEST_F(ReadingValidationTest, AdministrativeImportMayWriteAnyGateway) {
  Add("DESK-1", kNow)->set_occupied(true);
  Add("DESK-2", kNow)->set_occupied(false);
  ValidatedBatch result = ValidateBatch(batch_, directory_, kNow, limits_);
  EXPECT_EQ(result.readings.size(), 2u);
  EXPECT_TRUE(result.rejected.empty());
}

}  // namespace
}  // namespace monipaikka
