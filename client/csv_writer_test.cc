#include "client/csv_writer.h"

#include <sstream>

#include "gtest/gtest.h"

namespace monipaikka::client {
namespace {

TEST(CsvWriterTest, PlainFieldsStayUnquoted) {
  EXPECT_EQ(CsvField("HKI-VIRASTOTALO"), "HKI-VIRASTOTALO");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("Työ- ja elinkeinoministeriö"),
            "Työ- ja elinkeinoministeriö");
}

TEST(CsvWriterTest, QuotesFieldsThatNeedIt) {
  EXPECT_EQ(CsvField("Mannerheimintie 1, Helsinki"),
            "\"Mannerheimintie 1, Helsinki\"");
  EXPECT_EQ(CsvField("the \"big\" room"), "\"the \"\"big\"\" room\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvField("cr\r"), "\"cr\r\"");
  EXPECT_EQ(CsvField(" padded"), "\" padded\"");
}

TEST(CsvWriterTest, WritesRecordWithLineFeed) {
  std::ostringstream out;
  WriteCsvRecord({"a", "b,c", ""}, out);
  WriteCsvRecord({"\"q\""}, out);
  EXPECT_EQ(out.str(), "a,\"b,c\",\n\"\"\"q\"\"\"\n");
}

}  // namespace
}  // namespace monipaikka::client
