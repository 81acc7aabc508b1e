#include "client/csv_reader.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "client/text_file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace monipaikka::client {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Every record of `text`, checking that none is malformed.
std::vector<CsvRecord> ReadAll(const std::string& text) {
  std::istringstream in(text);
  CsvReader reader(&in);
  std::vector<CsvRecord> records;
  CsvRecord record;
  while (reader.Next(&record)) {
    EXPECT_TRUE(record.status.ok()) << record.status;
    records.push_back(record);
  }
  EXPECT_TRUE(reader.io_status().ok());
  return records;
}

TEST(CsvReaderTest, SplitsRecordsAndFieldsAndCountsLines) {
  std::vector<CsvRecord> records = ReadAll("a,b,c\n1,2,3\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].line, 1);
  EXPECT_THAT(records[0].fields, ElementsAre("a", "b", "c"));
  EXPECT_EQ(records[1].line, 2);
  EXPECT_THAT(records[1].fields, ElementsAre("1", "2", "3"));
}

TEST(CsvReaderTest, EmptyInputHasNoRecords) {
  EXPECT_TRUE(ReadAll("").empty());
}

TEST(CsvReaderTest, LastRecordWithoutLineBreakIsRead) {
  std::vector<CsvRecord> records = ReadAll("a,b\n1,2");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_THAT(records[1].fields, ElementsAre("1", "2"));
}

TEST(CsvReaderTest, QuotedFieldsKeepCommasAndDoubledQuotes) {
  std::vector<CsvRecord> records =
      ReadAll("\"Helsinki, Virastotalo\",\"say \"\"hi\"\"\",\"\"\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_THAT(records[0].fields,
              ElementsAre("Helsinki, Virastotalo", "say \"hi\"", ""));
}

TEST(CsvReaderTest, QuotedLineBreaksAreDataAndShiftLineNumbers) {
  std::vector<CsvRecord> records =
      ReadAll("h1,h2\n\"two\nlines\",x\n\"three\r\nmore\nlines\",y\nlast,z\n");
  ASSERT_EQ(records.size(), 4u);
  EXPECT_THAT(records[1].fields, ElementsAre("two\nlines", "x"));
  EXPECT_EQ(records[1].line, 2);
  EXPECT_THAT(records[2].fields, ElementsAre("three\r\nmore\nlines", "y"));
  EXPECT_EQ(records[2].line, 4);
  EXPECT_EQ(records[3].line, 7);
}

TEST(CsvReaderTest, CrlfAndLoneCrEndRecords) {
  std::vector<CsvRecord> records = ReadAll("a,b\r\n1,2\r\n3,4\r5,6\r\n");
  ASSERT_EQ(records.size(), 4u);
  EXPECT_THAT(records[1].fields, ElementsAre("1", "2"));
  EXPECT_THAT(records[2].fields, ElementsAre("3", "4"));
  EXPECT_THAT(records[3].fields, ElementsAre("5", "6"));
  EXPECT_EQ(records[3].line, 4);
}

TEST(CsvReaderTest, SkipsUtf8ByteOrderMark) {
  std::vector<CsvRecord> records = ReadAll("\xEF\xBB\xBFsensor,ts\nA,B\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_THAT(records[0].fields, ElementsAre("sensor", "ts"));
  EXPECT_EQ(records[0].line, 1);
}

TEST(CsvReaderTest, ByteOrderMarkOnlyAtStartIsSkipped) {
  std::vector<CsvRecord> records = ReadAll(
      "a\n\xEF\xBB\xBF"
      "b\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_THAT(records[1].fields, ElementsAre("\xEF\xBB\xBF"
                                             "b"));
}

TEST(CsvReaderTest, ShortAndEmptyRowsComeAsTheyAre) {
  std::vector<CsvRecord> records = ReadAll("a,b,c\n1\n\n,,\n");
  ASSERT_EQ(records.size(), 4u);
  EXPECT_THAT(records[1].fields, ElementsAre("1"));
  EXPECT_THAT(records[2].fields, ElementsAre(""));
  EXPECT_EQ(records[2].line, 3);
  EXPECT_THAT(records[3].fields, ElementsAre("", "", ""));
}

TEST(CsvReaderTest, QuoteInsideUnquotedFieldIsText) {
  std::vector<CsvRecord> records = ReadAll("5\" screen,x\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_THAT(records[0].fields, ElementsAre("5\" screen", "x"));
}

TEST(CsvReaderTest, TextAfterClosingQuoteIsMalformedAndReadingResumes) {
  std::istringstream in("a,b\n\"x\"y,2\nc,d\n");
  CsvReader reader(&in);
  CsvRecord record;
  ASSERT_TRUE(reader.Next(&record));
  ASSERT_TRUE(reader.Next(&record));
  EXPECT_EQ(record.line, 2);
  EXPECT_FALSE(record.status.ok());
  EXPECT_THAT(record.status.message(),
              HasSubstr("text after the closing quote of field 1"));
  ASSERT_TRUE(reader.Next(&record));
  EXPECT_TRUE(record.status.ok());
  EXPECT_EQ(record.line, 3);
  EXPECT_THAT(record.fields, ElementsAre("c", "d"));
  EXPECT_FALSE(reader.Next(&record));
}

// A Latin-1 "ä" (0xE4) is no UTF-8: that record alone is malformed (the
// server's protobuf would refuse the whole request over it).
TEST(CsvReaderTest, ARecordThatIsNotUtf8IsMalformedAndTheRestRead) {
  std::istringstream in("a,b\nM\xe4tti,1\nM\xc3\xa4tti,2\n");
  CsvReader reader(&in);
  CsvRecord record;
  ASSERT_TRUE(reader.Next(&record));
  ASSERT_TRUE(reader.Next(&record));
  EXPECT_EQ(record.line, 2);
  EXPECT_THAT(record.status.message(), HasSubstr("not UTF-8"));
  ASSERT_TRUE(reader.Next(&record));
  EXPECT_TRUE(record.status.ok()) << record.status;
  EXPECT_THAT(record.fields, ElementsAre("M\xc3\xa4tti", "2"));
  EXPECT_FALSE(reader.Next(&record));
}

// A text file (an iCalendar export, an inventory) that is not UTF-8 is
// refused naming the line of its first bad byte; a directory is named.
TEST(TextFileTest, NotUtf8NamesTheLineAndADirectoryIsNamed) {
  const std::string path = ::testing::TempDir() + "/latin1.ics";
  std::ofstream(path) << "BEGIN:VCALENDAR\nLOCATION:ok\nSUMMARY:M\xe4tti\n";
  absl::StatusOr<std::string> text = ReadTextFile(path);
  EXPECT_EQ(text.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(text.status().message(), HasSubstr(path + ":3: not UTF-8"));
  absl::StatusOr<std::string> directory = ReadTextFile(::testing::TempDir());
  EXPECT_EQ(directory.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(directory.status().message(), HasSubstr("is a directory"));
}

TEST(CsvReaderTest, UnclosedQuoteIsMalformed) {
  std::istringstream in("a,b\n1,\"never closed\n2,3\n");
  CsvReader reader(&in);
  CsvRecord record;
  ASSERT_TRUE(reader.Next(&record));
  ASSERT_TRUE(reader.Next(&record));
  EXPECT_EQ(record.line, 2);
  EXPECT_EQ(record.status.message(),
            "quoted field 2 opened on line 2 is never closed");
  EXPECT_FALSE(reader.Next(&record));
  EXPECT_TRUE(reader.io_status().ok());
}

TEST(CsvReaderTest, ReadsAcrossBlockBoundaries) {
  // More than one 64 KiB block, with a quoted field straddling a boundary.
  std::string text;
  const int kRows = 5000;
  for (int i = 0; i < kRows; ++i) {
    text += "sensor-" + std::to_string(i) + ",\"quoted, " + std::to_string(i) +
            "\",\"multi\nline\"\n";
  }
  ASSERT_GT(text.size(), 2u * 65536u);
  std::vector<CsvRecord> records = ReadAll(text);
  ASSERT_EQ(records.size(), static_cast<size_t>(kRows));
  for (int i = 0; i < kRows; ++i) {
    ASSERT_EQ(records[i].line, 1 + 2 * i);
    ASSERT_THAT(records[i].fields,
                ElementsAre("sensor-" + std::to_string(i),
                            "quoted, " + std::to_string(i), "multi\nline"));
  }
}

}  // namespace
}  // namespace monipaikka::client
