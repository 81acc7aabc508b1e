#include "client/readings_csv.h"

#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace monipaikka::client {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr int64_t kMarch23At0715Ms = 1'774'250'100'000;  // 2026-03-23T07:15:00Z

ReadingsCsvColumns Columns(const std::vector<std::string>& header) {
  absl::StatusOr<ReadingsCsvColumns> columns = ParseReadingsHeader(header);
  EXPECT_TRUE(columns.ok()) << columns.status();
  return columns.value_or(ReadingsCsvColumns());
}

std::string RowProblem(const std::vector<std::string>& header,
                       const std::vector<std::string>& row) {
  absl::StatusOr<v1::Reading> reading = ParseReadingRow(Columns(header), row);
  if (reading.ok()) return "ok";
  return std::string(reading.status().message());
}

const std::vector<std::string> kHeader = {"sensor", "ts", "occupied", "seq"};

TEST(ReadingsHeaderTest, FindsColumnsInAnyOrder) {
  ReadingsCsvColumns columns = Columns({" TS ", "seq", "Occupied", "sensor"});
  EXPECT_EQ(columns.ts, 0);
  EXPECT_EQ(columns.seq, 1);
  EXPECT_EQ(columns.occupied, 2);
  EXPECT_EQ(columns.sensor, 3);
  EXPECT_EQ(columns.count, -1);
  EXPECT_EQ(columns.field_count, 4u);
  EXPECT_TRUE(columns.ignored.empty());
}

TEST(ReadingsHeaderTest, SeqIsOptionalAndOtherColumnsAreIgnored) {
  ReadingsCsvColumns columns = Columns({"sensor", "battery", "ts", "count"});
  EXPECT_EQ(columns.seq, -1);
  EXPECT_EQ(columns.count, 3);
  EXPECT_THAT(columns.ignored, ElementsAre("battery"));
}

TEST(ReadingsHeaderTest, NamesMissingColumns) {
  absl::StatusOr<ReadingsCsvColumns> columns =
      ParseReadingsHeader({"sensor", "time", "seq"});
  ASSERT_FALSE(columns.ok());
  EXPECT_EQ(columns.status().message(),
            "header has no ts, no occupied (or count) column; expected a "
            "header like sensor,ts,occupied,seq");
}

TEST(ReadingsHeaderTest, RejectsRepeatedColumn) {
  absl::StatusOr<ReadingsCsvColumns> columns =
      ParseReadingsHeader({"sensor", "ts", "occupied", "ts"});
  ASSERT_FALSE(columns.ok());
  EXPECT_EQ(columns.status().message(), "header has column \"ts\" twice");
}

TEST(ReadingRowTest, ParsesPresenceReading) {
  absl::StatusOr<v1::Reading> reading =
      ParseReadingRow(Columns(kHeader),
                      {"70B3D57ED0001234", "2026-03-23T07:15:00Z", "1", "118"});
  ASSERT_TRUE(reading.ok()) << reading.status();
  EXPECT_EQ(reading->sensor(), "70B3D57ED0001234");
  EXPECT_EQ(reading->ts_ms(), kMarch23At0715Ms);
  EXPECT_EQ(reading->state_case(), v1::Reading::kOccupied);
  EXPECT_TRUE(reading->occupied());
  EXPECT_EQ(reading->seq(), 118u);
}

TEST(ReadingRowTest, ZeroIsNotOccupiedAndEmptySeqIsNone) {
  absl::StatusOr<v1::Reading> reading = ParseReadingRow(
      Columns(kHeader), {"S1", " 2026-03-23T09:15:00+02:00 ", "0", ""});
  ASSERT_TRUE(reading.ok()) << reading.status();
  EXPECT_EQ(reading->ts_ms(), kMarch23At0715Ms);
  EXPECT_EQ(reading->state_case(), v1::Reading::kOccupied);
  EXPECT_FALSE(reading->occupied());
  EXPECT_EQ(reading->seq(), 0u);
}

TEST(ReadingRowTest, ParsesCounterReading) {
  absl::StatusOr<v1::Reading> reading = ParseReadingRow(
      Columns({"sensor", "ts", "count"}), {"C1", "2026-03-23T07:15:00Z", "12"});
  ASSERT_TRUE(reading.ok()) << reading.status();
  EXPECT_EQ(reading->state_case(), v1::Reading::kCount);
  EXPECT_EQ(reading->count(), 12);
}

TEST(ReadingRowTest, MixedFileFillsOneOfOccupiedAndCount) {
  const std::vector<std::string> header = {"sensor", "ts", "occupied", "count"};
  absl::StatusOr<v1::Reading> counter =
      ParseReadingRow(Columns(header), {"C1", "2026-03-23T07:15:00Z", "", "3"});
  ASSERT_TRUE(counter.ok()) << counter.status();
  EXPECT_EQ(counter->count(), 3);
  absl::StatusOr<v1::Reading> desk =
      ParseReadingRow(Columns(header), {"D1", "2026-03-23T07:15:00Z", "1", ""});
  ASSERT_TRUE(desk.ok()) << desk.status();
  EXPECT_TRUE(desk->occupied());
  EXPECT_EQ(RowProblem(header, {"D1", "2026-03-23T07:15:00Z", "1", "3"}),
            "occupied and count are both set; fill one");
  EXPECT_EQ(RowProblem(header, {"D1", "2026-03-23T07:15:00Z", "", ""}),
            "occupied and count are both empty; fill one");
}

TEST(ReadingRowTest, EveryRejectionReasonNamesColumnAndValue) {
  EXPECT_EQ(RowProblem(kHeader, {"S1", "2026-03-23T07:15:00Z", "1"}),
            "expected 4 fields like the header, found 3");
  EXPECT_EQ(RowProblem(kHeader, {"S1", "2026-03-23T07:15:00Z", "1", "2", "x"}),
            "expected 4 fields like the header, found 5");
  EXPECT_EQ(RowProblem(kHeader, {" ", "2026-03-23T07:15:00Z", "1", "2"}),
            "sensor is empty");
  EXPECT_THAT(RowProblem(kHeader, {"S1", "2026-03-23 07:15", "1", "2"}),
              HasSubstr("ts \"2026-03-23 07:15\" is not an ISO-8601 instant"));
  EXPECT_THAT(RowProblem(kHeader, {"S1", "", "1", "2"}),
              HasSubstr("ts \"\" is not an ISO-8601 instant"));
  EXPECT_EQ(RowProblem(kHeader, {"S1", "2026-03-23T07:15:00Z", "2", "2"}),
            "occupied is \"2\"; expected 0 or 1");
  EXPECT_EQ(RowProblem(kHeader, {"S1", "2026-03-23T07:15:00Z", "true", "2"}),
            "occupied is \"true\"; expected 0 or 1");
  EXPECT_EQ(RowProblem(kHeader, {"S1", "2026-03-23T07:15:00Z", "", "2"}),
            "occupied is \"\"; expected 0 or 1");
  EXPECT_EQ(RowProblem(kHeader, {"S1", "2026-03-23T07:15:00Z", "1", "-1"}),
            "seq is \"-1\"; expected a whole number 0 or more");
  EXPECT_EQ(RowProblem(kHeader, {"S1", "2026-03-23T07:15:00Z", "1", "7x"}),
            "seq is \"7x\"; expected a whole number 0 or more");
  EXPECT_EQ(RowProblem(kHeader, {"S1", "2026-03-23T07:15:00Z", "1",
                                 "99999999999999999999999"}),
            "seq is \"99999999999999999999999\"; expected a whole number 0 or "
            "more");
  EXPECT_EQ(RowProblem({"sensor", "ts", "count"},
                       {"C1", "2026-03-23T07:15:00Z", "-3"}),
            "count is \"-3\"; expected a whole number 0 or more");
  EXPECT_EQ(RowProblem({"sensor", "ts", "count"},
                       {"C1", "2026-03-23T07:15:00Z", "1.5"}),
            "count is \"1.5\"; expected a whole number 0 or more");
}

// All rows of a readings CSV, as "LINE ok SENSOR" or "LINE PROBLEM".
std::vector<std::string> ReadRows(const std::string& text) {
  std::istringstream in(text);
  absl::StatusOr<std::unique_ptr<ReadingsCsvFile>> file =
      ReadingsCsvFile::Open(&in);
  EXPECT_TRUE(file.ok()) << file.status();
  if (!file.ok()) return {};
  std::vector<std::string> rows;
  ReadingRow row;
  while ((*file)->Next(&row)) {
    rows.push_back(
        std::to_string(row.line) + " " +
        (row.problem.empty() ? "ok " + row.reading.sensor() : row.problem));
  }
  EXPECT_TRUE((*file)->io_status().ok());
  return rows;
}

TEST(ReadingsCsvFileTest, ReportsEachBadRowWithItsLine) {
  const std::string csv =
      "\xEF\xBB\xBFsensor,ts,occupied,seq\r\n"
      "A,2026-03-23T07:15:00Z,1,1\r\n"
      "B,2026-03-23T07:15:00Z,1\r\n"
      "\r\n"
      "\"C\nD\",2026-03-23T07:15:00Z,0,2\r\n"
      "E,yesterday,1,3\r\n"
      "F,2026-03-23T07:15:00Z,2,4\r\n"
      "G,2026-03-23T07:15:00Z,1,x\r\n"
      "\"H\"junk,2026-03-23T07:15:00Z,1,5\r\n"
      "I,2026-03-23T07:16:00Z,0,6\r\n";
  EXPECT_THAT(
      ReadRows(csv),
      ElementsAre("2 ok A", "3 expected 4 fields like the header, found 3",
                  "5 ok C\nD",
                  "7 ts \"yesterday\" is not an ISO-8601 instant like "
                  "2026-03-23T07:15:00Z",
                  "8 occupied is \"2\"; expected 0 or 1",
                  "9 seq is \"x\"; expected a whole number 0 or more",
                  "10 text after the closing quote of field 1", "11 ok I"));
}

TEST(ReadingsCsvFileTest, EmptyFileNeedsHeader) {
  std::istringstream in("");
  absl::StatusOr<std::unique_ptr<ReadingsCsvFile>> file =
      ReadingsCsvFile::Open(&in);
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().message(),
            "the file is empty; expected a header like sensor,ts,occupied,seq");
}

TEST(ReadingsCsvFileTest, BadHeaderFailsOpen) {
  std::istringstream in(
      "sensor,timestamp,occupied\nA,2026-03-23T07:15:00Z,1\n");
  absl::StatusOr<std::unique_ptr<ReadingsCsvFile>> file =
      ReadingsCsvFile::Open(&in);
  ASSERT_FALSE(file.ok());
  EXPECT_THAT(file.status().message(), HasSubstr("header has no ts column"));
}

}  // namespace
}  // namespace monipaikka::client
