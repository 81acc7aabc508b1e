#include "client/excel_csv.h"

#include "gtest/gtest.h"

namespace monipaikka::client {
namespace {

TEST(ExcelCsvTest, FinnishExcelBytes) {
  const std::string csv =
      "date,site,time_utilization_pct,peak,note\n"
      "2026-03-23,HKI-VT,25.5,3,\"A, B\"\n"
      "2026-03-24,TRE-1,-0.25,12,\"say \"\"hi\"\"; bye\"\n";
  const absl::StatusOr<std::string> excel = ToExcelCsv(csv);
  ASSERT_TRUE(excel.ok()) << excel.status();
  EXPECT_EQ(*excel,
            "\xEF\xBB\xBF"
            "date;site;time_utilization_pct;peak;note\r\n"
            "2026-03-23;HKI-VT;25,5;3;A, B\r\n"
            "2026-03-24;TRE-1;-0,25;12;\"say \"\"hi\"\"; bye\"\r\n");
}

TEST(ExcelCsvTest, OnlyDecimalNumbersGetADecimalComma) {
  const absl::StatusOr<std::string> excel =
      ToExcelCsv("1.2.3,.5,5.,v1.2,10,äö 1.5\n");
  ASSERT_TRUE(excel.ok()) << excel.status();
  EXPECT_EQ(*excel,
            "\xEF\xBB\xBF"
            "1.2.3;.5;5.;v1.2;10;äö 1.5\r\n");
}

TEST(ExcelCsvTest, MalformedCsvIsAnError) {
  EXPECT_FALSE(ToExcelCsv("a,\"b\n").ok());
}

}  // namespace
}  // namespace monipaikka::client
