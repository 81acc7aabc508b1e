#include "client/table.h"

#include <sstream>

#include "gtest/gtest.h"

namespace monipaikka::client {
namespace {

Table Sample() {
  Table table({{"code", "code"},
               {"name", "name"},
               {"area m²", "area_m2", Align::kRight}});
  table.AddRow({"HKI-VT", "Virastotalo, Helsinki", "1250"});
  table.AddRow({"TRE-1", "Tampereen \"talo\"", "80.5"});
  return table;
}

TEST(TableTest, AlignedOutputPadsColumnsAndRightAlignsNumbers) {
  std::ostringstream out;
  WriteAlignedTable(Sample(), out);
  EXPECT_EQ(out.str(),
            "code    name                   area m²\n"
            "------  ---------------------  -------\n"
            "HKI-VT  Virastotalo, Helsinki     1250\n"
            "TRE-1   Tampereen \"talo\"          80.5\n");
}

TEST(TableTest, AlignedOutputCountsLettersNotBytes) {
  Table table({{"name", "name"}, {"n", "n", Align::kRight}});
  table.AddRow({"Hämeenlinna", "1"});
  table.AddRow({"Oulu", "22"});
  std::ostringstream out;
  WriteAlignedTable(table, out);
  EXPECT_EQ(out.str(),
            "name          n\n"
            "-----------  --\n"
            "Hämeenlinna   1\n"
            "Oulu         22\n");
}

TEST(TableTest, AlignedOutputFlattensLineBreaksAndDropsTrailingSpaces) {
  Table table({{"a", "a"}, {"b", "b"}});
  table.AddRow({"two\nlines", ""});
  std::ostringstream out;
  WriteAlignedTable(table, out);
  EXPECT_EQ(out.str(),
            "a          b\n"
            "---------  -\n"
            "two lines\n");
}

TEST(TableTest, EmptyTableSaysNone) {
  std::ostringstream out;
  WriteAlignedTable(Table(std::vector<Column>{{"code", "code"}}), out);
  EXPECT_EQ(out.str(), "code\n----\n(none)\n");
}

TEST(TableTest, CsvOutputUsesCsvNamesAndQuotes) {
  std::ostringstream out;
  WriteCsvTable(Sample(), out);
  EXPECT_EQ(out.str(),
            "code,name,area_m2\n"
            "HKI-VT,\"Virastotalo, Helsinki\",1250\n"
            "TRE-1,\"Tampereen \"\"talo\"\"\",80.5\n");
}

TEST(TableTest, CsvOfEmptyTableIsHeaderOnly) {
  std::ostringstream out;
  WriteCsvTable(Table({{"code", "code"}, {"name", "name"}}), out);
  EXPECT_EQ(out.str(), "code,name\n");
}

TEST(TableDeathTest, RowOfWrongWidthAborts) {
  Table table({{"a", "a"}, {"b", "b"}});
  EXPECT_DEATH(table.AddRow({"only one"}), "1 cells for 2 columns");
}

TEST(DisplayWidthTest, CountsCodePoints) {
  EXPECT_EQ(DisplayWidth("abc"), 3u);
  EXPECT_EQ(DisplayWidth("Työ"), 3u);
  EXPECT_EQ(DisplayWidth("m²"), 2u);
  EXPECT_EQ(DisplayWidth("€"), 1u);
}

}  // namespace
}  // namespace monipaikka::client
